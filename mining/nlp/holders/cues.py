"""The cues holder attribution reads (lexicon: nlp.speech) and the party each names: the subject of "said"."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from mining.nlp.holders.groups import ROLE_NOUNS
from mining.nlp.holders.names import ORG_WORDS, TITLE_WORDS
from mining.nlp.speech import CUE_LEMMAS, SAYING_LEMMAS, is_cue
from mining.nlp.tokens import DocTokens

_RELATIVE = frozenset({"who", "which", "that", "whom"})
# Verbs of wanting state a party's position without reporting its words ("The union wants a 36-hour week",
# "Residents seek a new vote"). So do verbs of resisting and of pressing for a thing when a party is their subject
# ("The guild has resisted calls to merge the crossings", "The club is pushing for the lane to be widened", "The
# mayor is pressing the utility to bury its cables"), but not "Rising costs pushed the company to cut jobs", "The old
# bridge has resisted three floods" or "a cap would push prices up for shoppers". The speech roles a segmenter learns
# from read them as cues too, and what they want or press for as a position (mining.nlp.speech.POSITION_LEMMAS).
STANCE_LEMMAS = frozenset({"want", "seek"})
PRESSING_LEMMAS = frozenset({"push", "press", "resist"})
# The clause pressed for: the parser attaches "pressing the utility to bury ..." as xcomp or ccomp, and "for the lane
# to be widened" as an adverbial clause marked by "for" or "to".
_CLAUSES = frozenset({"xcomp", "ccomp"})
_PARTY_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PARTY_NOUNS = ROLE_NOUNS | TITLE_WORDS
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# A finding with a clause is its finder's ("The food agency found that X", "A study by the institute found
# that X"), with the evidence nouns read as for "said" (``parties.NONAGENT_NOUNS``: "Figures found X" is the
# author's).
FINDING_LEMMAS = frozenset({"find"})
_HOLDER_CUE_LEMMAS = CUE_LEMMAS | STANCE_LEMMAS | PRESSING_LEMMAS | FINDING_LEMMAS
# A saying verb whose object is only a quantity judges and reports no words: "37 arrests say little
# about X", "The safeguards answer much of the case".
_QUANTITY_OBJECTS = frozenset({"little", "nothing", "much", "less"})
# Subjects that name no one who speaks: "None of the backers has said X", "Neither side has explained X".
_NO_ONE = frozenset({"none", "nobody", "neither", "no"})


def is_holder_cue(token: Token) -> bool:
    """Whether ``token`` frames a party's position: a reporting or stance cue, a verb of wanting, a party resisting
    or pressing for a thing (:func:`_presses_for`), or a finding with a clause ("found that X"; not "professors find
    assistants" or "find it difficult", which essays say often)."""
    if is_cue(token):
        return True
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    finding = lemma in FINDING_LEMMAS and any(c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") for c in token.children)
    return lemma in STANCE_LEMMAS or finding or (lemma in PRESSING_LEMMAS and _presses_for(token))


def _presses_for(verb: Token) -> bool:
    """Whether a verb of pressing or resisting has a party for its subject and a thing pressed for or resisted: a
    clause, "for" with no object of the verb's own, or (resisting) an object."""
    governing = verb.head if verb.dep_ == "conj" else verb  # "X has stayed out of it but is pressing both sides to Y"
    subjects = ([c for c in verb.children if c.dep_ in _SUBJECTS]
                or [c for c in governing.children if c.dep_ in _SUBJECTS])
    if not any(_can_be_party(s) for s in subjects):
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    for c in verb.children:
        if c.dep_ in _CLAUSES or (c.dep_ == "prep" and c.lower_ == "for" and not objects):
            return True
        if c.dep_ == "advcl" and any(m.lower_ in ("for", "to") and m.dep_ in ("mark", "aux") for m in c.children):
            return True
    return verb.lemma_.lower() == "resist" and bool(objects)


def _can_be_party(subject: Token) -> bool:
    """A name, a named body or group, a role ("the minister", "residents"), one named beside it ("the minister, Ines
    Corrado") or a pronoun: not "costs" or "the bridge"."""
    return (subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in _PARTY_ENTITIES
            or subject.lower_ in _PARTY_NOUNS or subject.lemma_.lower() in ORG_WORDS
            or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in subject.children))


def holder_cue_candidates(table: DocTokens, ids: Iterable[int]) -> list[int]:
    """The tokens of ``ids`` that can be holder cues: every one :func:`is_holder_cue` accepts, read from
    the token table so that no spaCy Token is built for the words that cannot ("according", or a verb
    with a cue lemma; ``is_holder_cue`` checks the rest)."""
    lower, pos, lemma = table.lower, table.pos, table.lemma
    return [i for i in ids if lower[i] == "according" or (pos[i] == "VERB" and lemma[i].lower() in _HOLDER_CUE_LEMMAS)]


def reports_nothing(cue: Token) -> bool:
    """Whether the saying cue ``cue`` is negated, says only a quantity or has no one as its subject, and so
    reports no one's words.

    "The ministry has not explained how X", "the three towns have not reported a rise", "the figures
    say little about X", "none of the backers has said what X", "neither side has explained X": the
    reporter notes what a party did not say or weighs the evidence, and what follows is the reporter's
    own statement.
    """
    if cue.lemma_.lower() not in SAYING_LEMMAS:
        return False
    subjects = [c for c in cue.children if c.dep_ == "nsubj"]
    no_one = any(s.lower_ in _NO_ONE or any(_says_no_one(d) for d in s.children) for s in subjects)
    return no_one or any(c.dep_ == "neg" or (c.dep_ == "dobj" and c.lower_ in _QUANTITY_OBJECTS)
                         for c in cue.children)


def _says_no_one(det: Token) -> bool:
    """A determiner "no" or "neither" ("no minister", "neither side"), not "no fewer than 30 residents"."""
    after = det.doc[det.i + 1] if det.i + 1 < len(det.doc) else None
    return det.dep_ == "det" and det.lower_ in _NO_ONE and (after is None or after.lower_ not in ("fewer", "more", "less"))


def cue_subject(cue: Token, paragraph: tuple[int, int]) -> Token | None:
    """The token naming who speaks through ``cue``: its subject, an inherited one, or an agent.

    Arcs that leave ``paragraph`` are parse errors (the parser runs a headline into the next
    line), so a subject found across one is replaced by the first paragraph-local root before
    the cue: in "Fears for fish<newline>Ingrid Maas ... described X", "Maas".
    """
    pstart, pend = paragraph

    def inside(t: Token) -> bool:
        return pstart <= t.idx < pend

    if cue.lower_ == "according":
        for to in cue.children:
            if to.lower_ == "to":
                return next((c for c in to.children if c.dep_ == "pobj"), None)
        return None
    verb = cue
    for _ in range(8):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        broken = not inside(verb.head) or any(not inside(c) for c in verb.children)
        if any(not inside(c) for c in subjects) or (not subjects and broken):
            local_roots = [t for t in cue.doc[:cue.i] if inside(t) and not inside(t.head)
                           and t.pos_ in ("NOUN", "PROPN", "PRON")]
            return local_roots[0] if local_roots else None
        if subjects:
            subject = subjects[0]
            if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            return subject
        named = named_before(cue) if verb is cue and verb.dep_ == "conj" else None
        if named is not None:
            # "X, the federation's director general, Ota Marek, said": the name before the cue, not the subject
            # of the clause the parser joined the cue to.
            return named
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            if verb.lemma_.lower() == "quote":  # "X was quoted as saying": X speaks
                return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            for agent in verb.children:
                if agent.dep_ == "agent":
                    return next((c for c in agent.children if c.dep_ == "pobj"), None)
            return None  # "is expected to": a passive cue with no agent names no one
        if verb.dep_ in ("advcl", "conj", "xcomp", "pcomp", "prep") and verb.head.i != verb.i:
            # Participial adjuncts and conjuncts share the main clause's subject: "Merz reaffirmed
            # X, slamming Y", "acknowledged X but insisted Y". The parser often hangs "..., saying
            # that" on the reported clause ("insisted that the benefits outweighed the costs,
            # saying ..."): the outermost cue above that clause is the speaker, not the clause's
            # subject.
            above = [a for a in verb.ancestors if is_holder_cue(a) and inside(a)]
            verb = above[-1] if above else verb.head
            continue
        if verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "nsubjpass") and verb.head.head.i != verb.head.i:
            # "Olympians signed a letter calling for X", "a petition urging X was handed in by
            # parents": whoever signs or hands in the text that calls for X holds X.
            verb = verb.head.head
            continue
        return named_before(cue)
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
