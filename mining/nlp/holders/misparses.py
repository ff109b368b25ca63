"""Speakers the small parser hangs away from their cue: where a cue's subject is missing or is another clause's, the
word that names who speaks (``mining.nlp.holders.cues.cue_subject`` asks these first)."""

from __future__ import annotations

from spacy.tokens import Token

from mining.nlp.holders.gender import gender_of_name
from mining.nlp.party_words import ORG_WORDS
from mining.nlp.speech import QUOTE_MARKS


def misparsed_speaker(cue: Token) -> Token | None:
    """The speaker of ``cue`` where the parse hung it elsewhere: a cue inside the speaker's relative clause, then, for
    a cue with no subject, the finders below in turn."""
    relative = cue.head if cue.dep_ == "advcl" and cue.head.dep_ == "relcl" else None
    if relative is not None and _after_comma(cue) and relative.head.pos_ == "PROPN" and relative.head.i < relative.i:
        # "Linnea Strand, whose brother drowned when his canoe overturned, said X": the cue hung inside the name's
        # relative clause, and its subject, if any, found there
        return relative.head
    if any(c.dep_ in ("nsubj", "csubj") for c in cue.children):
        return None
    found = (_speaker_before_relative(cue) or _subject_after(cue) or _name_before_apposition(cue)
             or _misread_name_child(cue) or _root_read_as_subject(cue))
    # "X, the federation's director general, Ota Marek, said" with the cue joined to a clause: the name before the
    # cue, not the subject of that clause
    return found or (named_before(cue) if cue.dep_ == "conj" else None)


def _speaker_before_relative(cue: Token) -> Token | None:
    """The speaker whose relative clause the parser took for the cue's words: in "Lena Holm, a baker whose vans were
    fined, said: 'X'" and "Ole Dahl, who learnt that a colleague earned more, said X", "fined" or "earned" may hang on
    "said", with the name as its subject. The speaker is that subject, set off by a comma before the "who" or "whose"
    ("The list includes countries whose X, its president, Ada Berg, said" is the president's words about the list)."""
    doc = cue.doc
    for clause in cue.children:
        if clause.i > cue.i or clause.dep_ not in ("ccomp", "advcl"):
            continue
        subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("PROPN", "NOUN")]
        for subject in subjects[:1]:
            if doc[subject.i + 1].text == "," and any(t.tag_ in ("WP", "WP$") for t in doc[subject.i + 2:cue.i]):
                return subject
    return None


def _root_read_as_subject(cue: Token) -> Token | None:
    """The noun the parser took for the sentence's root, where it read the finite cue as a participle modifying it: in
    "A study by Qasr Consulting, commissioned by the council, recommended that X", "recommended" hangs on "study" as
    "commissioned" does. The cue's reported clause tells the two apart ("a study commissioned by the council" has
    none)."""
    noun = cue.head
    if cue.dep_ != "acl" or noun.dep_ != "ROOT" or noun.pos_ not in ("NOUN", "PROPN") or noun.i > cue.i:
        return None
    return noun if any(c.dep_ == "ccomp" for c in cue.children) else None


def _after_comma(cue: Token) -> bool:
    return cue.i > 0 and cue.doc[cue.i - 1].text == ","


def _name_before_apposition(cue: Token) -> Token | None:
    """The name whose apposition ends right before a cue that the parser gave no subject: "Outside the bank, Mihai
    Dobre, a retired teacher who lost his savings, said X", with "Dobre" hung on the place before it."""
    if not _after_comma(cue) or cue.i < 2 or cue.tag_ not in ("VBD", "VBZ", "VBP"):  # not "..., saying X"
        return None
    last = cue.doc[cue.i - 2]
    appos = next((a for a in [last, *last.ancestors] if a.dep_ == "appos" and a.right_edge == last), None)
    if appos is None or appos.pos_ != "NOUN" or appos.head.pos_ != "PROPN" or appos.head.i > appos.i:
        return None
    return appos.head


def _misread_name_child(cue: Token) -> Token | None:
    """The speaker of a cue with no subject whose given name the tagger read as a preposition hung on the cue: in
    "Per Olsen, who has crewed a boat for 22 years, said X", "Per" is a preposition and "Olsen" its object."""
    return next((n for c in cue.children if c.i < cue.i and c.dep_ == "prep"
                 and (n := misread_given_name(c)) is not None), None)


def misread_given_name(prep: Token) -> Token | None:
    """The name after ``prep`` when ``prep`` is a given name the tagger read as a preposition ("Per" in "Per Aasen"):
    capitalised, with a proper noun as its object that is a PERSON or, inside a sentence, set off by a comma before
    it ("its chief executive, Per Ahlberg,"); not a body's name ("Parents Against Cuts", "Doctors Without Borders")."""
    after = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if prep.dep_ != "prep" or not prep.text[:1].isupper() or after is None or after.pos_ != "PROPN":
        return None
    set_off = not prep.is_sent_start and prep.doc[prep.i - 1].text == ","
    return after if after.ent_type_ == "PERSON" or set_off else None


def _subject_after(cue: Token) -> Token | None:
    """The speaker named between the two parts of a quote that the cue interrupts, which the parser took for the
    subject of the second part's verb: in '"X," said its president, Jordi Valls, "Y."', "president" hangs on Y's
    verb and "said" has no subject."""
    doc = cue.doc
    if cue.i < 1 or cue.i + 1 >= len(doc) or doc[cue.i - 1].text not in QUOTE_MARKS:
        return None
    # the quote's second part opens after a comma that closes the name: '..., Jordi Valls, "Y."'
    opens = next((t.i for t in doc[cue.i + 1:cue.sent.end] if t.text in QUOTE_MARKS), None)
    if opens is None or doc[opens - 1].text != ",":
        return None
    for token in cue.subtree:
        if (token.dep_ in ("nsubj", "nsubjpass") and token.left_edge.i == cue.i + 1 and token.head != cue
                and token.pos_ in ("NOUN", "PROPN") and token.right_edge.i >= opens - 1):
            return token
    return None


# The words of a speaker's name and title that the parser may hang anywhere: "its chairman, Tomas Reyes, said".
_NAME_DEPS = frozenset({"appos", "compound", "poss", "punct", "det", "amod", "aux"})


def named_before(cue: Token) -> Token | None:
    """The speaker named right before a finite cue that the parser gave no subject: "A club cannot pay its rent,
    its chairman, Tomas Reyes, said" (the title hung on "rent" as an apposition), "Arend said X" (the name read as
    an auxiliary), "..., its chairman, Per Hovgaard, said" ("Per" read as a preposition). The words between the
    cue and the content before it, or the sentence's start, must all be name, title, determiner or comma (two
    comma-set pieces at most, and no place), and an apposition among them (or the sentence's start) sets them off."""
    if cue.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    run = []
    doc = cue.doc
    commas = 0
    for token in reversed(doc[cue.sent.start:cue.i]):
        commas += token.text == ","
        if commas > 2 or token.ent_type_ in ("GPE", "LOC"):  # the name and the title, not the statement's end
            break
        # a name the parser hung elsewhere: "Hovgaard" under "Per", and "Per" itself, read as a preposition
        first_name = token.text[:1].isupper() and run and run[-1].pos_ == "PROPN" and not run[-1].is_punct
        last_name = token.pos_ == "PROPN" and token.i > 0 and (doc[token.i - 1].text[:1].isupper()
                                                               or doc[token.i - 1].text == ",")
        name_part = token.dep_ in _NAME_DEPS or first_name or last_name
        if not name_part or (token.is_punct and token.text != ","):
            break
        run.append(token)
    run.reverse()
    starts_sentence = bool(run) and run[0].i == cue.sent.start
    names = [t for t in run if t.pos_ in ("NOUN", "PROPN") or t.tag_ in ("NNP", "NNPS")]
    if not names or not (starts_sentence or any(t.dep_ == "appos" for t in run)):
        return None
    return next((t for t in names if t.head not in run), names[-1])  # the phrase's head, not "Eva" of "Eva Ruzicka"


_PLACES_AND_TIMES = frozenset({"GPE", "LOC", "NORP", "FAC", "DATE", "TIME"})
# The common nouns of bodies whose proper name news sets off after them ("the grid operator, Estlink,").
_BODY_KINDS = ORG_WORDS | {"firm", "business", "operator", "provider", "carrier", "retailer", "broadcaster", "insurer",
                           "lender", "regulator", "watchdog", "utility", "manufacturer", "producer", "chain"}


def name_set_off(noun: Token) -> Token | None:
    """The last word of the proper name set off by commas right after the singular common noun ``noun`` of a body,
    where the parser hung that name elsewhere: in "According to the national rail operator, Sudbahn, night trains were
    full" the name became the clause's subject. Not a place or a date ("the port, Tellan,"), a person's name ("the
    union, Ada Lund,"), the first of a list ("the federation, Acme, Bolt and Cog,") or anything after a text or a role
    ("the indictment, Jan Novak,")."""
    doc = noun.doc
    start = noun.i + 2
    if noun.tag_ != "NN" or noun.lemma_.lower() not in _BODY_KINDS or start >= len(doc) or doc[noun.i + 1].text != ",":
        return None
    end = start
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
        end += 1
    listed = end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN"  # "the federation, Acme, Bolt and Cog,"
    if end == start or end >= len(doc) or doc[end].text != "," or listed:
        return None
    name = doc[start:end]
    if any(t.ent_type_ in _PLACES_AND_TIMES for t in name) or gender_of_name(name.text):
        return None
    return doc[end - 1]
