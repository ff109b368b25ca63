"""Person names: one canonical name per person, the fullest PERSON name with the same surname, titles dropped
(a full name with other given names is another person of that surname)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from mining.nlp.holders.gender import gender_beside, gender_of_name
from mining.nlp.party_words import ORG_WORDS, TITLE_WORDS
from mining.nlp.speech import is_attribution_cue
from mining.nlp.tokens import tokens_of

_POSSESSIVES = ("'s", "’s", "'", "’")
# Entity labels the small model gives names of people it does not know ("councillor Teresa Vidal"
# as a WORK_OF_ART): such a name may still be a person's.
_MISREAD_ENTITIES = frozenset({"", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "FAC", "LAW", "LANGUAGE"})


class PersonNames:
    """The people one document names, each under the fullest name seen with their surname; a full name whose given
    names differ from that one's is another person, under that full name.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed text; its PERSON entities seed the names.

    Attributes
    ----------
    names : dict of str to str
        Surname (case-folded) -> the fullest name with that surname, without titles (the first of two people).
        Names the document mentions outside PERSON entities are added as :meth:`person_name` meets them.
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.names: dict[str, str] = {}
        self._introduced: dict[int, str | None] = {}  # token index of a role noun -> the person it introduces
        self._answers: dict[int, str | None] = {}  # token index of a definite role noun -> what introduced_as gave
        self._later = _LaterIntroductions(doc, self._introduction)
        # each mention of a person, by the index of its last token: (the name registered then, the gender a word beside
        # it gives)
        self._mentions: dict[int, tuple[str, str | None]] = {}
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            tokens = [t for t in ent if t.text not in _POSSESSIVES]
            if tokens:
                self._mention(self._name_tokens(tokens[-1]))
        for title, name in _titled_names(doc):
            self._mention([title, *name])
        for name in _given_named(doc):
            self._mention(name)

    def _mention(self, tokens: Sequence[Token]) -> str:
        """:meth:`_register` the name ``tokens`` make, and remember where it was mentioned."""
        name = self._register(tokens)
        if name and tokens[-1].i not in self._mentions:
            self._mentions[tokens[-1].i] = (name, gender_beside(tokens[0], tokens[-1]))
        return name

    def _full(self, name: str) -> str:
        """The name of a mention as it stands now: a surname alone is the fullest name registered with it since."""
        return name if " " in name else self.names.get(name.casefold(), name)

    def gender(self, name: str) -> str | None:
        """"he" or "she" for the person named ``name``, if the text says: by a gendered title or role beside one of
        their mentions ("Mrs Lund", "Lund, a spokeswoman"), else by their given name
        (:func:`mining.nlp.holders.gender.gender_of_name`). Two people of one surname keep their own genders ("Jon Lund
        and his wife, Eva Lund")."""
        full = self._full(name)
        beside = {g for named, g in self._mentions.values() if g and self._full(named) == full}
        if len(beside) == 1:
            return beside.pop()
        return gender_of_name(full) if not beside else None

    def last_of_gender(self, before: int, gender: str) -> str | None:
        """The person of ``gender`` mentioned last before token ``before``, if any: "Mayor Agnes Pruitt met Olav Ring.
        He said X" is Ring's."""
        for i in sorted((i for i in self._mentions if i < before), reverse=True):
            if self.gender(name := self._full(self._mentions[i][0])) == gender:
                return name
        return None

    def person_name(self, head: Token) -> str | None:
        """The canonical name of the person ``head`` ends, or None if it names no person."""
        key = head.text.casefold()
        if head.ent_type_ == "PERSON" or (head.text[:1].isupper() and key in self.names
                                          and head.ent_type_ not in ("GPE", "NORP")):
            return self._mention(self._name_tokens(head)) or head.text
        if head.pos_ == "PROPN" and head.ent_type_ in _MISREAD_ENTITIES:
            # A proper name of two or three capitalised words with no organisation word in it
            # ("Nadia Karimi", which the small model tags ORG) is most often a person; a single
            # unrecognised word is a person too unless the model calls it an organisation.
            tokens = self._name_tokens(head)
            words = _clean_name(tokens)
            # "The digital rights group Open Line": a name set after a body's common noun names that body.
            before = self.doc[tokens[0].i - 1] if tokens[0].i > 0 else None
            if before is not None and before.pos_ == "NOUN" and before.lower_ in ORG_WORDS:
                return None
            looks_personal = all(w[:1].isupper() and not w.isupper() and w.casefold() not in ORG_WORDS for w in words)
            if words and looks_personal and (2 <= len(words) <= 3 or (len(words) == 1 and not head.ent_type_)):
                return self._mention(tokens)
        return None

    def introduced_as(self, noun: Token) -> str | None:
        """The person a definite singular ``noun`` ("the novelist", "the board's chair", "its chair") names: the one
        the text last introduced before it with that role ("novelist Vera Lind", "the novelist Vera Lind", "Vera
        Lind, a novelist", "the board's chair, Vera Lind"); None if none.

        A role names a body when it is an organisation's word ("the commission" after "Commission President Ada
        Varga" is the commission), and another office when ``noun`` says more about it than the introduction did
        ("the prime minister" after "Finance Minister Ana Berg", "the union's chair" after "the committee's
        chair, Ada Berg", "the judge in the second case").
        """
        lemma = noun.lemma_.lower()
        definite = any((c.dep_ == "det" and c.lower_ == "the") or c.dep_ == "poss" for c in noun.children)
        if noun.tag_ != "NN" or not definite or lemma in ORG_WORDS or any(c.dep_ == "prep" for c in noun.children):
            return None
        wanted, answer = _modifiers(noun), None
        for i in reversed([i for i in self._positions.get(lemma, ()) if i < noun.i]):
            role = self.doc[i]
            if role.tag_ not in ("NN", "NNP") or not wanted <= _modifiers(role):
                continue
            introduced = self._introduction(role)
            if introduced is not None or i in self._answers:
                # an introduction, or an earlier "the minister" that is the same one: no need to look further back
                answer = introduced if introduced is not None else self._answers[i]
                break
        self._answers[noun.i] = answer
        return answer

    def introduced_later(self, noun: Token) -> str | None:
        """The person a singular role ``noun`` names when the text introduces that role only after it: a lede's
        "Ibrenia's justice minister said X" and a later "Justice Minister Marta Quintana"; "A grocer in Kalvsund has
        complained" and a later "The grocer, Stig Nyberg". The first later introduction of the role counts, if it says
        no more about the role than ``noun`` does: no determiner but "the" or "this" ("Another resident, Ada Berg"),
        no number ("One resident") and no prepositional phrase ("The mayor of Vardby, Ada Berg")."""
        lemma = noun.lemma_.lower()
        if noun.tag_ != "NN" or lemma in ORG_WORDS:
            return None
        positions = self._positions.get(lemma, [])
        found = self._later.first(lemma, positions, bisect_right(positions, noun.i))
        if found is None:
            return None
        role = self.doc[positions[found]]
        return self._introduced[role.i] if _modifiers(role) <= _modifiers(noun) else None

    def _introduction(self, role: Token) -> str | None:
        """:meth:`_introduced_by`, read once per role noun."""
        if role.i not in self._introduced:
            self._introduced[role.i] = self._introduced_by(role)
        return self._introduced[role.i]

    def _introduced_by(self, role: Token) -> str | None:
        """The person the role noun ``role`` introduces, if any: "novelist Vera Lind", "the novelist Vera Lind",
        "Vera Lind, a novelist", "the board's chair, Vera Lind"."""
        doc = self.doc
        # a title before its name, or a noun apposed to one: "novelist Vera Lind", "Vera Lind, a novelist"
        titled = role.dep_ in ("compound", "amod") and role.head.i > role.i
        named = [role.head] if titled or role.dep_ == "appos" else []
        named += [c for c in role.children if c.dep_ == "appos"]
        following = role.i + 1
        while following < len(doc) and doc[following].pos_ == "PROPN":
            following += 1
        named += [doc[following - 1]] if following > role.i + 1 else []  # "the novelist Vera Lind"
        people = (self.person_name(name) for name in named if name.pos_ == "PROPN")
        return next((person for person in people if person is not None), None)

    @cached_property
    def _positions(self) -> dict[str, list[int]]:
        """Lower-cased lemma -> the indices of the document's tokens with it, in text order."""
        positions: dict[str, list[int]] = {}
        for i, lemma in enumerate(tokens_of(self.doc).lemma):  # iterating the Doc would build a Token per word
            positions.setdefault(lemma.lower(), []).append(i)
        return positions

    @cached_property
    def _person_at(self) -> dict[int, Span]:
        """The PERSON entity of each token in one, by index (``Doc.ents`` builds every entity anew)."""
        return {i: ent for ent in self.doc.ents if ent.label_ == "PERSON" for i in range(ent.start, ent.end)}

    def _name_tokens(self, head: Token) -> list[Token]:
        """The tokens of the name ``head`` ends: its PERSON entity, or the proper nouns before it.

        The small model often leaves a given name out of the entity ("Agnes" in "librarian Agnes
        Wu"), so a one-word entity takes in one capitalised proper noun before it (a title there
        is stripped later); a longer entity is taken as it is ("Fisherman Declan Moore").
        """
        doc = self.doc
        ent = self._person_at.get(head.i)
        if ent is not None:
            tokens = [t for t in ent if t.text not in _POSSESSIVES]
            start = tokens[0].i if tokens else head.i
            if len(tokens) == 1 and start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper():
                start -= 1
            return list(doc[start:head.i + 1])
        start = head.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper():
            start -= 1
        return list(doc[start:head.i + 1])

    def _register(self, tokens: Sequence[Token]) -> str:
        """Add the cleaned name of ``tokens`` if it is the fullest for its surname; the name kept. A full name whose
        given names share none with the kept one's is another person of that surname ("Milo Haskel" and his father
        "Adrian Haskel") and keeps its own name; the surname alone still names the one kept."""
        words = _clean_name(tokens)
        if not words:
            return ""
        key = words[-1].casefold()
        kept = self.names.get(key, "").split()
        given = _given_names(words)
        if given and kept[1:] and not given & {w.casefold() for w in kept[:-1]}:
            return " ".join(words)
        if len(words) > len(kept):
            self.names[key] = " ".join(words)
        return self.names[key]


class _LaterIntroductions:
    """The scans of :meth:`PersonNames.introduced_later`: for a role noun, the first later mention of its role that
    introduces a person. The last scan of each lemma is kept (where it started, what it found): one starting inside it
    has the same answer, so the mentions of a role, asked in text order, are read once each, not once per mention
    before them (a text of 2,000 "the mayor"s took 11 s of 21)."""

    def __init__(self, doc: Doc, introduction: Callable[[Token], str | None]):
        self.doc, self.introduction = doc, introduction  # introduction: read once per role noun, the same each time
        self.scans: dict[str, tuple[int, int | None]] = {}

    def first(self, lemma: str, positions: list[int], start: int) -> int | None:
        """The first index from ``start`` on of ``positions`` (of ``lemma``'s tokens) whose role noun is plain (no
        determiner but "the" or "this", no number, no prepositional phrase) and introduces a person; else None."""
        scanned = self.scans.get(lemma)
        if scanned is not None and scanned[0] <= start and (scanned[1] is None or start <= scanned[1]):
            return scanned[1]
        found = None
        for k in range(start, len(positions)):
            role = self.doc[positions[k]]
            if role.tag_ not in ("NN", "NNP") or any(
                    (c.dep_ == "det" and c.lower_ not in ("the", "this")) or c.dep_ in ("nummod", "prep")
                    for c in role.children):
                continue
            if self.introduction(role) is not None:
                found = k
                break
        self.scans[lemma] = (start, found)
        return found


def _titled_names(doc: Doc) -> list[tuple[Token, list[Token]]]:
    """Each title with the full name it stands before ("Migration Minister Anders Wikström"), whatever entity the small
    model made of it (often ORG): two or three capitalised proper nouns with no title, no organisation word ("General
    Motors Corp" is no one) and no place among them."""
    found = []
    lower = tokens_of(doc).lower  # a Token is built only for a title
    for title in (doc[i] for i in range(len(doc)) if lower[i] in TITLE_WORDS):
        name = []
        for t in doc[title.i + 1:title.i + 5]:
            if t.pos_ != "PROPN" or not t.text[:1].isupper() or t.lower_ in TITLE_WORDS:
                break
            name.append(t)
        fits = 2 <= len(name) <= 3 and (name[-1].i + 1 == len(doc) or doc[name[-1].i + 1].pos_ != "PROPN")
        if fits and not any(t.lower_ in ORG_WORDS or t.ent_type_ in ("GPE", "NORP", "LOC") for t in name):
            found.append((title, name))
    return found


def _given_named(doc: Doc) -> list[list[Token]]:
    """Each name of two or three capitalised proper nouns that opens with a common given name and stands where a
    person's does, set off after a role or speaking ("the head of the force, Irena Dolman, said"), whatever entity the
    small model made of it (a place, often): a person's. Not a place named after one ("Ships avoid George Town")."""
    found = []
    for ent in doc.ents:
        words = [t for t in ent if t.text not in _POSSESSIVES]
        placed = ent.root.dep_ == "appos" or (ent.root.dep_ == "nsubj" and is_attribution_cue(ent.root.head))
        if (ent.label_ in ("GPE", "LOC", "NORP", "ORG") and placed and 2 <= len(words) <= 3
                and all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in ORG_WORDS for t in words)
                and gender_of_name(" ".join(t.text for t in words))):
            found.append(words)
    return found


def _given_names(words: Sequence[str]) -> set[str]:
    """The given names before a surname, case-folded; none when one is an initial or an abbreviated title ("J. Haskel",
    "Mr. Haskel", "Sen. Haskel"), which names no other person."""
    given = {w.casefold() for w in words[:-1]}
    return given if all(len(w) > 1 and w.isalpha() for w in given) else set()


def _modifiers(noun: Token) -> set[str]:
    """The words that say which one ``noun`` is: its adjectives, compounds and possessor ("prime", "union")."""
    return {c.lemma_.lower() for c in noun.children if c.dep_ in ("amod", "compound", "poss", "nmod")}


def _clean_name(tokens: Sequence[Token]) -> list[str]:
    """The words of a name without possessive marks, and without the titles and nationalities before it."""
    words = [t for t in tokens if t.text not in _POSSESSIVES and t.text[:1].isalpha()]
    # Everything up to the last title, nationality or lower-case word goes; the last word is
    # the name itself even when it is also a title word ("John Major").
    cut = 0
    for i, t in enumerate(words[:-1]):
        # a nationality ends its own entity; a name the model read as a place runs on in it ("Irena Dolman")
        nationality = t.ent_type_ in ("NORP", "GPE") and words[i + 1].ent_iob_ != "I"
        if t.lower_ in TITLE_WORDS or nationality or not t.text[:1].isupper():
            cut = i + 1
    return [t.text for t in words[cut:]]
