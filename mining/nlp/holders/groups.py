"""Group names: a group party's head noun with its modifiers, without determiners and clauses."""

from __future__ import annotations

from spacy.tokens import Token

from mining.nlp.holders.layout import TextLayout
from mining.nlp.party_words import ORG_WORDS, ROLE_NOUNS

# Collective and quantity heads: "A group of hospital directors" -> "hospital directors".
COLLECTIVE_NOUNS = frozenset("""
    group number majority minority handful dozen dozens hundred hundreds thousand thousands some many
    most several all one each none both lot lots couple few
""".split())

_APOSTROPHES = ("'", "’")


def group_name(head: Token, layout: TextLayout) -> tuple[str, Token]:
    """The normalised name of the party headed by ``head``, and its real head word.

    "Officials of the dockworkers' union" -> "dockworkers' union officials", "Shop owners on Mill
    Road" -> "shop owners", "A group of hospital directors" -> "hospital directors".
    """
    head = _past_collectives(head)
    pstart, pend = layout.paragraph_of(head.idx)
    kind = kind_before_name(head)

    def modifiers(tok: Token) -> list[Token]:
        out = []
        for child in tok.lefts:
            if child.dep_ in ("compound", "amod", "poss", "nmod") and child.lower_ not in COLLECTIVE_NOUNS \
                    and child != kind:
                out.extend(t for t in child.subtree if pstart <= t.idx < pend and not t.is_space
                           and t.dep_ != "det" and (not t.is_punct or t.text in _APOSTROPHES))
        return out

    words = modifiers(head) + [head]
    of = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "for")]
    objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
    if objs and head.lower_ in ROLE_NOUNS:  # "officials of the union", "a spokeswoman for the council"
        words = modifiers(objs[0]) + [objs[0]] + words
    elif objs and ((of[0].lower_ == "of" and "PROPN" in (head.pos_, objs[0].pos_))
                   or head.pos_ == objs[0].pos_ == "PROPN"):  # "... of the X Union", "National Institute for X"
        words = words + [of[0]] + modifiers(objs[0]) + [objs[0]]
    name, real_head = _placed(head, _join_words(words), layout)
    return name, kind if kind is not None and real_head == head else real_head


def kind_before_name(head: Token) -> Token | None:
    """The common noun that says what kind of body a proper name is, written before it: "group" in "the residents'
    group Marvik Lives" (the name is "Marvik Lives"; a later "the group" is that body)."""
    if head.pos_ != "PROPN":
        return None
    compounds = [c for c in head.lefts if c.dep_ == "compound"]
    if (len(compounds) < 2 or compounds[0].pos_ != "NOUN" or compounds[0].lemma_.lower() not in ORG_WORDS
            or any(c.pos_ != "PROPN" for c in compounds[1:])):
        return None
    return compounds[0]


def _placed(head: Token, name: str, layout: TextLayout) -> tuple[str, Token]:
    """The name of people placed in a named body: "Ecologists at the University of Vinterby" are "University
    of Vinterby ecologists" (docs/news-guideline.md: a group named by where it sits takes that place as
    modifier), and "Campaigners from the Green Belt Alliance" speak for the alliance itself."""
    if head.tag_ not in ("NNS", "NNPS"):
        return name, head
    for prep in head.children:
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.dep_ == "prep" else None
        if obj is None or obj.pos_ != "PROPN":
            continue
        place, place_head = group_name(obj, layout)
        if prep.lower_ == "at":
            return f"{place} {name.lower() if head.pos_ == 'PROPN' else name}", head
        if prep.lower_ == "from" and (obj.ent_type_ == "ORG" or any(w in ORG_WORDS for w in place.casefold().split())):
            return place, place_head
    return name, head


def _past_collectives(head: Token) -> Token:
    """The noun a collective or quantity head counts ("directors" in "a group of directors", "companies" in "two of
    the companies"), up to three deep."""
    for _ in range(3):
        if head.lower_ in COLLECTIVE_NOUNS or head.lemma_.lower() in COLLECTIVE_NOUNS or head.like_num:
            of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
            objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
            if objs and not (head.like_num and objs[0].pos_ == "PRON"):  # "two of them": the pronoun's party
                head = objs[0]
                continue
        break
    return head


def _inside_word(t: Token) -> bool:
    """A hyphen or slash that joins two words with no space ("call-centre", "anti-poverty")."""
    return (t.text in ("-", "/") and 0 < t.i < len(t.doc) - 1 and not t.whitespace_
            and not t.doc[t.i - 1].whitespace_)


def _opens(t: Token) -> bool:
    """Whether ``t`` opens a sentence or a line, where any word is capitalised."""
    return t.is_sent_start or t.i == 0 or "\n" in t.doc[t.i - 1].text_with_ws


def _join_words(words: list[Token]) -> str:
    """The words once each, proper nouns, acronyms and capitalised words inside a sentence as written ("the Drevnian
    Employers' Confederation", whose "Drevnian" the tagger takes for an adjective), the rest lower-cased,
    possessives glued on, and two words with a hyphen between them in the text joined by it ("call-centre")."""
    out: list[str] = []
    seen: set[int] = set()
    last = -2
    for t in words:
        if t.i in seen:
            continue
        seen.add(t.i)
        as_written = t.pos_ == "PROPN" or t.text.isupper() or (t.text[:1].isupper() and not _opens(t))
        text = t.text if as_written else t.text.lower()
        if out and t.text in ("'", "’", "'s", "’s"):
            out[-1] += text
        elif out and t.i == last + 2 and _inside_word(t.doc[last + 1]):
            out[-1] += t.doc[last + 1].text + text
        else:
            out.append(text)
        last = t.i
    return " ".join(out)
