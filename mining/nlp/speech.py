"""Reported speech in a parse: reporting cues, their source and frame, the content they report, and quotations.

News reports give a party's positions in reported speech: "Varga said that X", "X," he told
reporters, "according to officials, X". In PARC's terms (Pareti 2016, LREC) each attribution has a
*cue* (the reporting verb), a *source* (who speaks) and *content* (what is said). An argumentative
unit is the content; the cue, the source and the rest of the frame ("told reporters", "on Monday")
are not. :func:`speech_roles` marks every token with the roles it plays, so that a segmenter can
learn to keep units to the content, and holder attribution (``mining.nlp.holders``) reads the
same cue lexicon, with the cues of a position that report no words ("wants", "is pressing for", "found that":
:func:`is_attribution_cue`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import accumulate

from spacy.tokens import Doc, Token

from mining.nlp.party_words import ORG_WORDS, ROLE_NOUNS, TITLE_WORDS

# Lemmas of verbs that introduce a party's words or stance (a cue in PARC terms). Stance verbs
# ("backed", "rejected", "ruled out") count too: "Trump has ruled out X" commits Trump to the
# position, so its subject is the holder, exactly as for "Trump said X is ruled out".
REPORTING_LEMMAS = frozenset("""
    say tell describe acknowledge welcome indicate note slam praise argue warn insist claim add call
    urge accuse reject announce state explain suggest stress emphasise emphasize write tweet post
    declare predict estimate believe think maintain contend assert admit concede deny complain
    criticise criticize condemn demand ask answer reply respond confirm report reveal agree disagree
    promise pledge vow threaten recall observe remark comment mention conclude allege dismiss defend
    back support oppose endorse reaffirm reiterate refuse question doubt fear hope caution signal hail
    blast brand label dub term characterise characterize portray decry lament applaud commend propose
    recommend advise assure boast blame cite quote counter dispute highlight testify underline underscore voice express
""".split())
# Verbs that are cues only with a particle or preposition: "ruled out X", "pointed to X".
PARTICLE_CUES = {"rule": {"out"}, "point": {"to", "out"}}
# Verbs that are cues with a clause of their own: a court "ruled that X". (Not "expect": "Economists expect prices to
# rise" is one, but "Seluna expects its authors to lend their work for nothing" is the reporter's verdict on Seluna.)
CLAUSE_CUES = frozenset({"rule"})
# "put it" says something in a way when a colon follows or "as" opens it: 'Agnes Pruitt put it bluntly: "X"', "As the
# chief put it, X" (not "put it to a vote", "put it online").
IDIOM_CUES = {"put": "it"}
# The lowercased lemmas of every verb that may be a cue: ``is_cue`` holds only for "according" and for verbs
# with one of these, so a token table can pass over the other tokens without building them.
CUE_LEMMAS = REPORTING_LEMMAS | frozenset(PARTICLE_CUES) | CLAUSE_CUES | frozenset(IDIOM_CUES)
# Verbs of wanting state a party's position without reporting its words ("The union wants a 36-hour week",
# "Residents seek a new vote"). So do verbs of resisting and of pressing for a thing when a party is their subject
# ("The guild has resisted calls to merge the crossings", "The club is pushing for the lane to be widened", "The
# mayor is pressing the utility to bury its cables"), but not "Rising costs pushed the company to cut jobs", "The old
# bridge has resisted three floods" or "a cap would push prices up for shoppers" (:func:`is_attribution_cue`).
STANCE_LEMMAS = frozenset({"want", "seek"})
PRESSING_LEMMAS = frozenset({"push", "press", "resist"})
# The clause pressed for: the parser attaches "pressing the utility to bury ..." as xcomp or ccomp, and "for the lane
# to be widened" as an adverbial clause marked by "for" or "to".
_PRESSED_CLAUSES = frozenset({"xcomp", "ccomp"})
_PARTY_ENTITIES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_PARTY_NOUNS = ROLE_NOUNS | TITLE_WORDS
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# A finding with a clause is its finder's ("The food agency found that X", "A study by the institute found
# that X"), with the evidence nouns read as for "said" (``mining.nlp.holders.parties.NONAGENT_NOUNS``: "Figures
# found X" is the author's). So is what a study finds with no clause ("A survey by the union found [no rise in X]"),
# but not what a party finds ("Inspectors found corroded steel in its supports" narrates).
FINDING_LEMMAS = frozenset({"find"})
# The texts whose findings are a study's: "A review found [no link]".
STUDY_NOUNS = frozenset("study survey review report audit analysis research poll investigation inquiry".split())
# The lowercased lemmas of every verb :func:`is_attribution_cue` may accept.
ATTRIBUTION_CUE_LEMMAS = CUE_LEMMAS | STANCE_LEMMAS | PRESSING_LEMMAS | FINDING_LEMMAS

OPEN_QUOTES = {'"': '"', "“": "”"}
QUOTE_MARKS = frozenset({*OPEN_QUOTES, *OPEN_QUOTES.values()})  # every character that opens or closes a quotation
# The dependents of a cue that hold what is reported; its subject (or agent) is the source, and
# every other dependent ("reporters", "on Monday", "as quoted by AFP") is the frame.
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "csubj"})
SOURCE_DEPS = frozenset({"nsubj", "nsubjpass", "agent"})
# Verbs that only say, whose object is an addressee ("told reporters"); the object of any other cue
# is what it judges ("rejected the plan", "described the talks as positive") and is content.
SAYING_LEMMAS = frozenset("say tell add ask answer reply respond write tweet post quote cite comment mention "
                          "remark report state explain note".split())
# The cues whose participle after a comma sets off a statement or a source, frame around the content: ", saying B",
# ", noting B", ", according to X", ", arguing B", ", warning B" (not ", threatening the bay", a consequence).
ASIDE_LEMMAS = SAYING_LEMMAS | frozenset({"accord", "argue", "warn", "point", "insist", "stress", "claim"})
# Cues that judge their object as something ("described the talks as [hard]", "slammed the offer as [an insult]"): the
# "as" the parser hangs on their object's last noun is their verdict. Not a cue of wanting or resisting ("wants the
# loot boxes treated as gambling", "resisted calls to use the square as a car park"), nor one that may name a role
# ("welcomed the appointment of Ada Berg as chair").
AS_LEMMAS = frozenset("describe portray characterise characterize depict brand label dub term slam blast dismiss hail "
                      "praise criticise criticize condemn denounce decry".split())
OBJECT_DEPS = frozenset({"dobj", "prep", "oprd", "attr", "dative"})
QUESTION_TAGS = frozenset({"WDT", "WP", "WP$"})  # "what", "which", "who": an object that asks, or a relative pronoun
ROLES = ("cue", "source", "frame", "content", "verdict", "schedule", "quote", "quoted_phrase", "quote_mark", "position")
# Cues that state a party's position rather than report its words: "wants [the council to buy the licences]", "is
# pressing [the ministry to go further]", "has refused to [support the bill]", "indicated that [it would not object]".
# Their content is a unit wherever it stands (docs/news-guideline.md, "What is a unit"), as the content of "said" is
# not ("said he planned a call"). "want", "seek", "press", "push" and "resist" are cues when a party wants, presses
# for or resists a thing (is_attribution_cue). "call" states one when it calls for a thing ("called for [every trial to
# be paid]"), not when it judges ("called the plan reckless") or calls something ("called a strike for 18 October"):
# :func:`_states_position`.
POSITION_LEMMAS = frozenset("want seek press push resist refuse indicate signal rule urge demand".split())
# What a party resists or refuses is the thing called for, not the call: "has resisted calls to [merge the two votes]".
CALL_NOUNS = frozenset("call demand request appeal".split())
# Reported plans are narration, not positions (docs/news-guideline.md, "Not a unit"): "Trump said he
# planned a call with X", "Ardal said he would brief parliament on Tuesday". A content clause is a
# schedule when its verb only moves or meets people, or plans a meeting; "meet" and "return" only
# with a party or a place ("meet the demand" and "return the land" are positions). A step of procedure
# that a party says it will take is a plan too ("the rule would be reviewed in two years", "it would study
# the costs", "they would decide within a month whether ...", "she would publish guidance"); with no
# "would" or "will" the same verbs state a demand or a fact ("the ministry should review the law", "every
# donation was already published"). A clause joined to a plan with a subject of its own ("would study the
# report, but that forcing people to vote was not the way") is not part of it.
SCHEDULE_VERBS = frozenset("brief visit travel fly convene".split())
PROCEDURE_VERBS = frozenset("review study decide publish".split())
MEETING_NOUNS = frozenset("call meeting visit trip talk summit conference briefing session".split())
PLAN_VERBS = frozenset("plan intend schedule".split())
# What a direct quote follows: nothing (it opens the line), a sentence end, or "said:" / "said,".
DIRECT_AFTER = frozenset('.!?:,"”')
# The punctuation that ends a sentence or a clause: a statement that goes on after one is not split by its frame.
CLAUSE_ENDS = frozenset(".!?;:")


def is_cue(token: Token) -> bool:
    """Whether ``token`` is a reporting or stance verb ("said", "ruled out", "according to")."""
    if token.lower_ == "according":
        return any(c.lower_ == "to" for c in token.children)
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    if lemma in CLAUSE_CUES and any(c.dep_ == "ccomp" for c in token.children):
        return True
    if lemma in IDIOM_CUES:
        doc, children = token.doc, list(token.children)
        after = token.right_edge.i + 1
        framed = (after < len(doc) and doc[after].text == ":") or any(c.dep_ == "mark" and c.lower_ == "as"
                                                                       for c in children)
        return framed and any(c.dep_ == "dobj" and c.lower_ == IDIOM_CUES[lemma] for c in children)
    if lemma in PARTICLE_CUES:
        return any(c.lower_ in PARTICLE_CUES[lemma] and c.dep_ in ("prt", "prep") for c in token.children)
    if lemma == "add" and any(c.dep_ == "dobj" for c in token.children):
        # "adding 40,000 lorry journeys a year", "the plant added 300 jobs": a sum, not words, unless a clause follows
        return any(c.dep_ in CONTENT_DEPS for c in token.children)
    return lemma in REPORTING_LEMMAS


def is_attribution_cue(token: Token) -> bool:
    """Whether ``token`` frames a party's position: a reporting or stance cue (:func:`is_cue`), a verb of wanting, a
    party resisting or pressing for a thing (:func:`_presses_for`), or a finding with a clause ("found that X"; not
    "professors find assistants" or "find it difficult", which essays say often) or a study's ("A study found no
    link")."""
    if is_cue(token):
        return True
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    finding = lemma in FINDING_LEMMAS and (_that_follows(token) or any(
        (c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")) or (c.dep_ == "dobj" and _study_subject(token))
        for c in token.children))
    return lemma in STANCE_LEMMAS or finding or (lemma in PRESSING_LEMMAS and _presses_for(token))


def _that_follows(verb: Token) -> bool:
    """Whether a "that" opening a clause follows ``verb``: "found that four in ten involved X" is a finding, however
    the parser hangs the clause."""
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return after is not None and after.lower_ == "that" and after.dep_ == "mark"


def _study_subject(verb: Token) -> bool:
    """Whether the subject of ``verb`` is a study, a survey or a report ("A study by X found no effect")."""
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in STUDY_NOUNS for c in verb.children)


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
        if c.dep_ in _PRESSED_CLAUSES or (c.dep_ == "prep" and c.lower_ == "for" and not objects):
            return True
        if c.dep_ == "advcl" and _has_marker(c, ("for", "to")):
            return True
    return verb.lemma_.lower() == "resist" and bool(objects)


def _can_be_party(subject: Token) -> bool:
    """A name, a named body or group, a role ("the minister", "residents"), one named beside it ("the minister, Ines
    Corrado") or a pronoun: not "costs" or "the bridge"."""
    return (subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in _PARTY_ENTITIES
            or subject.lower_ in _PARTY_NOUNS or subject.lemma_.lower() in ORG_WORDS
            or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in subject.children))


def speech_roles(doc: Doc) -> list[frozenset[str]]:
    """The roles (``ROLES``) each token of ``doc`` plays in reported speech; most tokens play none.

    - ``quote_mark`` / ``quote``: a quotation mark, and a token between a pair of them in one line
      (a quote left open at a line's end runs to it) when the quote is direct: it opens the line or
      a sentence, or follows a colon or comma;
    - ``quoted_phrase``: a token of any other quote, a phrase quoted inside the reporter's clause
      ("described the talks as "not easy"");
    - ``cue``: a reporting verb outside every quotation (:func:`is_cue`), a verb of wanting, pressing for or
      resisting a thing, or a finding ("found that X"; :func:`is_attribution_cue`);
    - ``source``: in the subtree of the cue's subject or agent (of ``to`` in "according to X");
    - ``content``: in the subtree of the cue's clausal complement (``ccomp``, ``xcomp``, ...), of
      the object of a cue that judges rather than only says ("rejected the plan"), or of the clause
      that "according to" hangs on;
    - ``verdict``: content too, the judgement a cue passes on its object, which is then frame: "called
      the plan [reckless]", "defended the law as [a proportionate response]", "described talks with the envoys as
      [“not easy”]" (an "as" hung on the object: ``_judgement``) (docs/news-guideline.md, "The span");
    - ``position``: content too, of a cue that states a position (``POSITION_LEMMAS``, "call for"), less the "that",
      "for" or first "to" that opens it: "wants [the council to buy ...]", "indicated that [it would not object]", "is
      pushing for [the lane to be widened]" (an adverbial clause opened by "for" or "to"), "has resisted calls to
      [merge the votes]" (the call is frame); of the cue's prepositions only "for" and "against" open a position
      ("indicated on Monday that ...": the day is frame). As measured and published at 404d537, to be mended with a
      fresh split (a review found them after the scoring): every other preposition is frame, also one that belongs
      to what is wanted ("wants a 35-hour week [with no loss of pay]"); a "to" after the cue's object is left out of
      the position ("pressing [the ministry] to [go further]"); and a call whose clause the parser attaches as a
      relative clause, or a bare "refused the demand", gives no position at all;
    - ``frame``: in the subtree of any other dependent of the cue but a conjoined cue ("... but said [that X]");
    - ``schedule``: content too, when its clause only schedules (:func:`is_schedule`).

    Punctuation gets no role but that of a quotation mark.

    A token may play several roles: the content of one cue can hold another cue and its frame.

    Examples
    --------
    >>> import spacy  # doctest: +SKIP
    >>> doc = spacy.load("en_core_web_sm")('Varga told reporters that the plan would fail.')  # doctest: +SKIP
    >>> [sorted(r) for r in speech_roles(doc)][:5]  # doctest: +SKIP
    [['source'], ['cue'], ['frame'], ['content'], ['content']]
    """
    roles: list[set[str]] = [set() for _ in range(len(doc))]
    _mark_quotes(doc, roles)
    lines = list(accumulate(("\n" in t.text for t in doc), initial=0))[:-1]  # the parser may join lines

    def mark(head: Token, role: str, skip: Iterable[Token] = (), *, line: int) -> None:
        """Give ``role`` to the subtree of ``head`` on the cue's line (less those of ``skip``); the words of a
        quote are only ever content."""
        skipped = {t.i for s in skip for t in s.subtree}
        for t in head.subtree:
            if (lines[t.i] == line and t.i not in skipped and not t.is_punct and not t.is_space
                    and (role == "content" or "quote" not in roles[t.i])):
                roles[t.i].add(role)

    for token in doc:
        if "quote" in roles[token.i] or not is_attribution_cue(token):
            continue
        roles[token.i].add("cue")
        line = lines[token.i]
        _mark_dependents(token, partial(mark, line=line))
    return [frozenset(r) for r in roles]


def _mark_dependents(cue: Token, mark: Callable[..., None]) -> None:
    """Source, frame, content (with verdicts and schedules) around ``cue``, through ``mark(head, role, skip=())``."""
    if cue.lower_ == "according":  # "according to X, Y": X is the source, the clause is Y
        mark(cue.head, "content", skip=[cue])
        for child in cue.children:
            mark(child, "source")
        return
    judges = cue.lemma_.lower() not in SAYING_LEMMAS
    states_position = _states_position(cue)
    judgement = _judgement(cue) if judges else []
    for child in cue.children:
        if judgement and child.dep_ == "dobj":  # "called [the plan] reckless": what is judged is the frame
            mark(child, "frame", skip=[j for j in judgement if j.head != cue])
        elif child in judgement:
            _mark_verdict(child, mark)
        elif states_position and child.dep_ == "dobj" and child.lemma_.lower() in CALL_NOUNS:
            _mark_call(child, mark)
        elif _states(child, judges, states_position):
            mark(child, "content")
            if states_position:
                mark(child, "position", skip=_opening(child))
            if is_schedule(child):
                mark(child, "schedule", skip=_own_clauses(child))
        elif child.dep_ == "conj" and is_attribution_cue(child):
            continue  # "described the talks as hard but said [they had brought progress]": a cue of its own, no frame
        elif child.dep_ != "punct":
            mark(child, "source" if child.dep_ in SOURCE_DEPS else "frame")
    for judged in judgement:
        if judged.head != cue:  # an "as" the parser hung inside the object (``_judgement``)
            _mark_verdict(judged, mark)


def _mark_verdict(judged: Token, mark: Callable[..., None]) -> None:
    """"called the plan [reckless]", "defended the law as [X]": the verdict is content, its "as" frame.

    A participle cue after a comma that the parser hangs inside the verdict is the subject's next cue, frame as
    it would be hung on the cue: "described the talks as [creating a chance], praising the US for ..."."""
    verdicts = [judged] if judged.dep_ == "oprd" else list(judged.children)
    mark(judged, "frame", skip=verdicts)
    for verdict in verdicts:
        asides = [t for t in verdict.subtree if _is_participle_aside(t)]
        mark(verdict, "content", skip=asides)
        mark(verdict, "verdict", skip=asides)
        for aside in asides:
            mark(aside, "frame")


def _is_participle_aside(token: Token) -> bool:
    """", praising the US for X": a cue in the -ing form set off by a comma, an adverbial clause."""
    return (token.dep_ == "advcl" and token.tag_ == "VBG" and token.i > 0 and token.nbor(-1).text == ","
            and is_attribution_cue(token))


def _mark_call(call: Token, mark: Callable[..., None]) -> None:
    """"has resisted calls to [merge the votes]", "refused demands for [a delay]": the call is frame, what it calls
    for a position (the parser may attach "to merge ..." to the cue instead: :func:`_states`)."""
    called = [c for c in call.children if c.dep_ == "acl" or c.dep_ == "prep" and c.lower_ == "for"]
    mark(call, "frame", skip=called)
    for clause in called:
        for head in (clause.children if clause.dep_ == "prep" else [clause]):
            mark(head, "content")
            mark(head, "position", skip=_opening(head))


def _opening(clause: Token) -> list[Token]:
    """The words that open a clause stated as a position and stay out of it: its "that", "for", or a "to" that
    comes first (the "to" of "refused to support the bill")."""
    first = clause.left_edge
    return [c for c in clause.children if c.dep_ == "mark" or c.dep_ == "aux" and c.lower_ == "to" and c == first]


def _states_position(cue: Token) -> bool:
    """Whether ``cue`` states a party's position (``POSITION_LEMMAS``), or calls for a thing: not when it calls
    something ("called a strike for 18 October", "called a vote for Friday"). As measured and published at 8ea23a6:
    a passive call of something ("a strike was called by the unions for 18 October") still calls for the date."""
    lemma = cue.lemma_.lower()
    if lemma in POSITION_LEMMAS:
        return True
    children = list(cue.children)
    return lemma == "call" and not any(c.dep_ in ("dobj", "oprd") for c in children) and any(
        c.dep_ == "prep" and c.lower_ == "for" or c.dep_ == "advcl" and _has_marker(c, ("for",)) for c in children)


def _has_marker(clause: Token, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` is a mark or an auxiliary of ``clause`` ("for the lane to be widened"), wherever it
    stands in it."""
    return any(m.lower_ in words and m.dep_ in ("mark", "aux") for m in clause.children)


def _states(child: Token, judges: bool, states_position: bool) -> bool:
    """Whether ``child`` of a cue is what the cue reports: its clausal complement, the object of a cue that judges
    (of one that states a position, a preposition only when it is "for" or "against": "indicated on Monday that"
    gives the day; a preposition before the cue is never what it judges: "[on Monday] described the talks as X"), or
    the clause "for" or "to" opens after a cue that states a position ("is pushing for [the lane to be widened]", "has
    resisted calls to [merge the votes]")."""
    if child.dep_ in CONTENT_DEPS:
        return True
    if states_position and child.dep_ == "prep":
        return child.lower_ in ("for", "against")
    if states_position and child.dep_ == "advcl":  # or the gerund after "ruled out", which the parser attaches so
        return _has_marker(child, ("for", "to")) or child.tag_ == "VBG" and any(
            p.dep_ == "prt" and p.i == child.i - 1 for p in child.head.children)
    return judges and child.dep_ in OBJECT_DEPS and not (child.dep_ == "prep" and child.i < child.head.i)


def _judgement(cue: Token) -> list[Token]:
    """The judgement a cue passes on its object: "called the plan [reckless]", "defended the law as [X]",
    "a plan which critics called [reckless]"; none without an object ("called a strike", which the parser may
    read as "called [a strike]") or when the object is a question word (the naming sense of "what parents
    called their children"; a relative pronoun is no question: its clause is the cue's, a ``relcl``)."""
    objects = [c for c in cue.children if c.dep_ == "dobj" and (c.tag_ not in QUESTION_TAGS or cue.dep_ == "relcl")]
    if not objects:
        return []
    judged = [c for c in cue.children if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as")]
    if judged or cue.lemma_.lower() not in AS_LEMMAS:
        return judged
    # "described [two days of talks with the envoys] as [“not easy”]", "slammed [the council's offer] as [“an insult
    # to every nurse”]": the parser may hang the "as" on the object's last noun; one that ends the object is the
    # verdict
    last = objects[0].right_edge
    return [t for t in objects[0].subtree if t.dep_ == "prep" and t.lower_ == "as" and t.right_edge == last][:1]


def is_schedule(verb: Token) -> bool:
    """Whether the clause ``verb`` heads only schedules: a visit, a trip, a briefing, a meeting with a
    party, a return to a place, a plan for one of them ("he planned a call with Zelenskyy"), or a step
    of procedure that would or will be taken ("it would study the costs")."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    if lemma in SCHEDULE_VERBS:
        return True
    if lemma in PROCEDURE_VERBS:
        return any(c.dep_ == "aux" and c.lower_ in ("would", "will", "'ll") for c in children)
    if lemma == "meet":
        return any(c.dep_ == "prep" and c.lower_ == "with" or c.dep_ == "dobj" and c.ent_type_ in _PARTY_ENTITIES
                   for c in children)
    if lemma == "return":
        return (any(c.dep_ == "prep" and c.lower_ == "to" for c in children)
                and not any(c.dep_ == "dobj" for c in children))
    if lemma in PLAN_VERBS:
        return any(c.dep_ == "dobj" and c.lemma_.lower() in MEETING_NOUNS or c.dep_ == "xcomp" and is_schedule(c)
                   for c in children)
    return False


def _own_clauses(verb: Token) -> list[Token]:
    """The clauses joined to ``verb``'s with a subject of their own: "would study the report, but that [X was Y]"."""
    return [c for c in verb.children if c.dep_ == "conj"
            and any(g.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for g in c.children)]


def in_frame(roles: frozenset[str]) -> bool:
    """Whether a token of these roles belongs to a reporting frame ("Varga told reporters"), not to what is reported
    (a cue inside the content, "said [the council wants ...]", is content)."""
    return bool(roles & {"cue", "source", "frame"}) and not roles & {"content", "quote"}


def phrase_quote_marks(roles: Sequence[frozenset[str]]) -> list[int]:
    """The offsets of the quotation marks around quoted phrases (scare quotes: pressing Ukraine to "withdraw" from
    ...), given each token's :func:`speech_roles`: a mark next to a token of a ``quoted_phrase``."""
    n = len(roles)
    return [i for i, r in enumerate(roles) if "quote_mark" in r and (
        i + 1 < n and "quoted_phrase" in roles[i + 1] or i > 0 and "quoted_phrase" in roles[i - 1])]


def split_quotes(doc: Doc, roles: Sequence[frozenset[str]],
                 spans: Sequence[tuple[int, int]], *, across_sentences: bool = False) -> list[list[tuple[int, int]]]:
    """``spans`` (character offsets, in reading order) grouped into the statements a reporting frame splits inside
    a sentence: ``"We will not sign," Varga said, "that leaves a village behind."`` and ``Battery machines, she
    said, were cheap`` give one group of two spans each. A span joins the one before it when only the frame lies
    between them on the same line: punctuation that ends no sentence or clause, quotation marks, and the words of one
    cue, its source and its frame (``roles``: :func:`speech_roles`), unless the cue opens a statement of its own: a
    participle (", saying B") or a cue joined by "and" ('", and said B'). The test is broader than that, as measured
    and published at 404d537: any coordinating conjunction between the spans ('"A," Varga and Holt said, "B."') and
    any cue tagged as a participle ("was saying") stop a join; no two fragments of one gold unit in the training
    reports stand so. A quote that goes on in a new
    sentence after its frame (``"A," Varga said. "B."``) is not joined, unless ``across_sentences``: then the
    one full stop after the frame may lie between them too, when both spans are quoted (the last token of the
    first and the first of the second are inside a quote). The news training reports make one unit of two
    fragments of that pattern 51 times and two units 24 times (the guideline: "the second sentence completes
    the first", news-30)."""
    groups: list[list[tuple[int, int]]] = []
    text = doc.text  # once: Doc.text joins every token's text anew
    for span in spans:
        if groups and _frame_between(doc, text, roles, groups[-1][-1], span, across_sentences):
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _frame_between(doc: Doc, text: str, roles: Sequence[frozenset[str]], first: tuple[int, int],
                   second: tuple[int, int], across_sentences: bool = False) -> bool:
    """Whether only a reporting frame inside a sentence lies between two spans (:func:`split_quotes`), of one cue
    that is no participle and with no coordinating conjunction; with
    ``across_sentences``, also one that ends its sentence with a full stop between two quoted spans, the second
    with no reporting frame of its own. ``text`` is ``doc.text``."""
    if "\n" in text[first[1]:second[0]]:
        return False
    last = doc.char_span(first[1] - 1, first[1], alignment_mode="expand")
    next_ = doc.char_span(second[0], second[0] + 1, alignment_mode="expand")
    if not last or not next_:
        return False
    between = range(last[-1].i + 1, next_[0].i)
    ends = [i for i in between if doc[i].text in CLAUSE_ENDS]
    cues = [i for i in between if "cue" in roles[i]]
    if len(cues) != 1 or doc[cues[0]].tag_ == "VBG" or any(doc[i].pos_ == "CCONJ" for i in between):
        return False  # ", saying B" and '", and said B' start a statement of their own
    if ends and not (across_sentences and _quote_goes_on(doc, roles, ends, last[-1], next_[0], second)):
        return False
    return all(doc[i].is_punct or doc[i].is_space or in_frame(roles[i]) for i in between)


def _quote_goes_on(doc: Doc, roles: Sequence[frozenset[str]], ends: list[int], last: Token, first: Token,
                   second: tuple[int, int]) -> bool:
    """Whether the quote ending at ``last`` goes on in the next sentence from ``first`` (the span ``second``): one
    full stop between them, both quoted, and no reporting frame of its own in the second sentence ('"A," Varga
    said. "B," Holt replied.' are two speakers)."""
    return (len(ends) == 1 and doc[ends[0]].text == "." and "quote" in roles[last.i] and "quote" in roles[first.i]
            and not any("cue" in roles[t.i] and not second[0] <= t.idx < second[1] for t in first.sent))


def _mark_quotes(doc: Doc, roles: list[set[str]]) -> None:
    closer: str | None = None
    role = "quote"
    previous = ""  # the last non-space token's text on this line
    for token in doc:
        if "\n" in token.text:  # quotes never run across a line break
            closer, previous = None, ""
            continue
        if closer is None and token.text in OPEN_QUOTES:
            closer = OPEN_QUOTES[token.text]
            role = "quote" if not previous or previous[-1] in DIRECT_AFTER else "quoted_phrase"
            roles[token.i].add("quote_mark")
        elif closer is not None and token.text == closer:
            closer = None
            roles[token.i].add("quote_mark")
        elif closer is not None:
            roles[token.i].add(role)
        if not token.is_space:
            previous = token.text
