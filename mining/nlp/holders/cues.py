"""The party each cue names (the subject of "said"), for holder attribution; the cue lexicon is nlp.speech's
(``is_attribution_cue``)."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from mining.nlp.speech import ATTRIBUTION_CUE_LEMMAS, QUOTE_MARKS, SAYING_LEMMAS, is_attribution_cue
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
    """The token naming who speaks through ``cue``: a speaker the parse hung elsewhere (``_misparsed_speaker``), its
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
    misparsed = _misparsed_speaker(cue)
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


def _misparsed_speaker(cue: Token) -> Token | None:
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
