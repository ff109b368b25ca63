"""The party each cue names (the subject of "said"), for holder attribution; the cue lexicon is nlp.speech's
(``is_attribution_cue``)."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from mining.nlp.holders.misparses import misparsed_speaker, named_before
from mining.nlp.speech import ATTRIBUTION_CUE_LEMMAS, SAYING_LEMMAS, is_attribution_cue
from mining.nlp.tokens import DocTokens

_RELATIVE = frozenset({"who", "which", "that", "whom"})
# A saying verb whose object is only a quantity judges and reports no words: "37 arrests say little
# about X", "The safeguards answer much of the case".
_QUANTITY_OBJECTS = frozenset({"little", "nothing", "much", "less"})
# Subjects that name no one who speaks: "None of the backers has said X", "Neither side has explained X".
_NO_ONE = frozenset({"none", "nobody", "neither", "no"})


def holder_cue_candidates(table: DocTokens, ids: Iterable[int]) -> list[int]:
    """The tokens of ``ids`` that can be holder cues: every one :func:`is_attribution_cue` accepts, read from
    the token table so that no spaCy Token is built for the words that cannot ("according", or a verb
    with a cue lemma; ``is_attribution_cue`` checks the rest)."""
    lower, pos, lemma = table.lower, table.pos, table.lemma
    return [i for i in ids
            if lower[i] == "according" or (pos[i] == "VERB" and lemma[i].lower() in ATTRIBUTION_CUE_LEMMAS)]


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
    return det.dep_ == "det" and det.lower_ in _NO_ONE and (after is None
                                                            or after.lower_ not in ("fewer", "more", "less"))


def cue_subject(cue: Token, paragraph: tuple[int, int]) -> Token | None:
    """The token naming who speaks through ``cue``: a speaker the parse hung elsewhere
    (:func:`~mining.nlp.holders.misparses.misparsed_speaker`), its
    subject, an inherited one, or an agent.

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
    misparsed = misparsed_speaker(cue)
    if misparsed is not None:
        return misparsed
    verb = cue
    for _ in range(8):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        broken = not inside(verb.head) or any(not inside(c) for c in verb.children)
        if any(not inside(c) for c in subjects) or (not subjects and broken):
            local_roots = [t for t in cue.doc[:cue.i] if inside(t) and not inside(t.head)
                           and t.pos_ in ("NOUN", "PROPN", "PRON")]
            return local_roots[0] if local_roots else None
        if subjects:
            subject = _interrupting_speaker(subjects, verb) if _interrupts(verb, subjects) else subjects[0]
            if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            return subject
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            if verb.lemma_.lower() == "quote":  # "X was quoted as saying": X speaks
                return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            for agent in verb.children:
                if agent.dep_ == "agent":
                    return next((c for c in agent.children if c.dep_ == "pobj"), None)
            return None  # "is expected to": a passive cue with no agent names no one
        if verb.dep_ == "xcomp" and (raised := _raised_subject(verb)) is not None:
            return raised
        if verb.dep_ in ("advcl", "conj", "xcomp", "pcomp", "prep") and verb.head.i != verb.i:
            # Participial adjuncts and conjuncts share the main clause's subject: "Merz reaffirmed
            # X, slamming Y", "acknowledged X but insisted Y". The parser often hangs "..., saying
            # that" on the reported clause ("insisted that the benefits outweighed the costs,
            # saying ..."): the outermost cue above that clause is the speaker, not the clause's
            # subject.
            above = [a for a in verb.ancestors if is_attribution_cue(a) and inside(a)]
            verb = above[-1] if above else verb.head
            continue
        if verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "nsubjpass") and verb.head.head.i != verb.head.i:
            # "Olympians signed a letter calling for X", "a petition urging X was handed in by
            # parents": whoever signs or hands in the text that calls for X holds X.
            verb = verb.head.head
            continue
        return named_before(cue)
    return None


def _interrupts(cue: Token, subjects: list[Token]) -> bool:
    """Whether ``cue`` interrupts the statement it frames: the parser hung it on the statement ("X, said Y, would Z"),
    or gave it the statement's subject as well as its own, set off by a comma ("X, the auditors said, left out Z")."""
    last, doc = subjects[-1], cue.doc
    opens = last.left_edge.i
    # a second subject of its own, not a participle's object: "A ministry official, briefing reporters, ruled out X"
    return cue.dep_ == "parataxis" or (len(subjects) > 1 and last.pos_ in ("NOUN", "PROPN") and last.dep_ == "nsubj"
                                       and opens > subjects[0].right_edge.i and doc[opens - 1].text == ","
                                       and doc[opens].tag_ != "VBG")


def _interrupting_speaker(subjects: list[Token], cue: Token) -> Token:
    """Of the subjects the parser gave a cue that interrupts the statement it frames, the one that speaks: one set after
    it ("The reform, said Judge Petra Aune, would X", the statement's subject before it), else the nearest before it
    ("Pellonia's demands, the ministry said in a statement, amounted to X")."""
    after = [s for s in subjects if s.i > cue.i]
    return after[0] if after else subjects[-1]


def _raised_subject(verb: Token) -> Token | None:
    """The subject of the passive that a cue completes, which is who speaks: "Lorne is expected to tell parliament X",
    "Aalst is understood to have told colleagues X" (not when the passive is a cue itself: "Berg was urged to say X",
    and so not "Stahl was reported to have said X" either)."""
    if is_attribution_cue(verb.head):
        return None
    return next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
