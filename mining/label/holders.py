"""Attribute argumentative units in news text to their holders: quoted speakers, reporting-verb subjects or the author.

News reports mix voices. A unit inside a direct quotation belongs to the quote's speaker; a unit
under a reporting frame (``Marsh said that X``, ``described the plan as X``, ``..., noting that X``)
belongs to the frame's subject; everything else, headlines included, is the author's own voice
(the attribution scheme of Pareti's PARC corpus: source, cue and content; Pareti 2016, LREC). The
rules read the spaCy dependency parse and are listed on :func:`attribute_holders`.

Holders are normalised so that the mentions of one party agree: a person is the fullest
PERSON-entity name seen in the document with the same surname, without titles ("Ukrainian
President Volodymyr Zelenskyy", "Zelenskyy" and a later "he" are all "Volodymyr Zelenskyy"); a
group is its head noun with the head's modifiers, determiners and clauses dropped
("Officials of the dockworkers' union" -> "dockworkers' union officials", "Shop owners on Mill
Road" -> "shop owners"), and a singular member of a group the text has already named ("one
official", "the official") is that group ("US officials").
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from mining.evaluation.holders import normalise_holder
from mining.nlp.tokens import tokens_of
from mining.schema import AUTHOR, UNKNOWN, paragraphs_from_lines

SPEECH_KINDS = ("quote", "reported", "author")

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

# Subjects that are evidence rather than parties: "A study estimated that X" is the author citing
# a source, which the sample corpus annotates as author voice.
NONAGENT_NOUNS = frozenset("""
    study report survey estimate figure data analysis research poll statistic document review audit
    forecast model paper assessment evaluation index census projection calculation investigation
    inquiry evidence article book law rule regulation guideline bill proposal plan policy treaty
    agreement record test trial experiment chart table graph map
""".split())

# Nouns naming a role held within an organisation or place: "Officials of the X union" is
# normalised to "X union officials", as news style writes it.
ROLE_NOUNS = frozenset("""
    official officials member members resident residents representative representatives leader
    leaders spokesman spokeswoman spokesperson spokespeople head heads chief chiefs staff worker
    workers employee employees owner owners director directors executive executives negotiator
    negotiators diplomat diplomats source sources aide aides officer officers supporter supporters
    manager managers
""".split())

# Collective and quantity heads: "A group of hospital directors" -> "hospital directors".
COLLECTIVE_NOUNS = frozenset("""
    group number majority minority handful dozen dozens hundred hundreds thousand thousands some many
    most several all one each none both lot lots couple few
""".split())

# Words that make a proper name an organisation's ("Coastal Alliance", "Riverside FC").
ORG_WORDS = frozenset("""
    alliance association union council group party federation club trust company committee authority
    department agency institute university bank corporation corp inc ltd plc fc ministry office
    board commission court police army foundation society league network fund government parliament
    congress senate assembly campaign coalition partnership centre center school hospital airport port
    airlines airways news times post press organisation organization
""".split())

# Titles, offices and occupations news style puts in front of a name ("German Chancellor Friedrich
# Merz", "Farmer Aled Price"): stripped, with everything before them, from a person's name.
TITLE_WORDS = frozenset("""
    president chancellor minister prime mayor councillor councilor chairman chairwoman chair
    secretary governor senator judge general director chief head dr mr mrs ms miss prof professor
    sir dame lord lady king queen prince princess pope deputy officer commissioner ambassador envoy
    spokesman spokeswoman spokesperson representative rep sen gov ceo leader captain coach manager
    teacher librarian police opposition board club energy health economy transport finance foreign
    interior defence defense justice education regional local state federal vice acting former
    managing executive founder lawyer attorney inspector sergeant detective superintendent
    nurse doctor dr. surgeon midwife farmer fisherman engineer architect economist analyst scientist
    researcher student activist campaigner organiser organizer tenant landlord shopkeeper owner
    developer investor entrepreneur businessman businesswoman lawmaker legislator mp mep congressman
    congresswoman sheriff colonel major lieutenant admiral commander constable firefighter pastor
    reverend rev father bishop rabbi imam writer author novelist artist singer actor actress
    composer chef driver pilot player striker goalkeeper referee
""".split())

_DETERMINERS = frozenset({"the", "a", "an", "one", "this", "that", "these", "those", "some"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GROUP_PRONOUNS = frozenset({"they", "them"})
_FIRST_PERSON = frozenset({"i", "we", "me", "us"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_SENTENCE_END = ".!?"
# A paragraph that ends in none of these is a headline or crosshead: author voice.
_FINAL_PUNCT = ".!?…:;\"”’')]"
_OPEN_QUOTES = {'"': '"', "“": "”"}


@dataclass(frozen=True)
class Attribution:
    """Who voices a unit and how.

    Attributes
    ----------
    holder : str
        The normalised party name, ``mining.schema.AUTHOR`` for the author's own voice, or
        ``UNKNOWN`` for a direct quote with no speaker anywhere before it or a pronoun speaker
        with nothing to resolve to.
    speech : str
        ``"quote"`` (inside quotation marks), ``"reported"`` (under a reporting or stance verb) or
        ``"author"``, the vocabulary of ``Unit.attributes["speech"]`` in the sample corpus.
    cue : tuple of (int, int) or None
        Character span of the reporting verb that decided the holder, if any.
    """

    holder: str
    speech: str
    cue: tuple[int, int] | None = None


@dataclass
class _Party:
    name: str
    # "person" (a named person), "individual" ("the minister", "a witness"), "group", "unknown"
    # (a pronoun with no antecedent) or "nonagent" (evidence such as "a study": author voice).
    kind: str
    lemma: str = ""


@dataclass
class _Quote:
    start: int  # the opening mark
    end: int  # after the closing mark, or the paragraph end for an unclosed quote
    content: tuple[int, int]
    direct: bool
    paragraph: tuple[int, int]
    cue: Token | None = None
    party: _Party | None = None
    attribution: tuple[int, int] | None = None  # the text that holds the cue, beside the quote


def _is_cue(token: Token) -> bool:
    """Whether ``token`` is a reporting or stance verb ("said", "ruled out", "according to")."""
    if token.lower_ == "according":
        return any(c.lower_ == "to" for c in token.children)
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    if lemma in PARTICLE_CUES:
        return any(c.lower_ in PARTICLE_CUES[lemma] and c.dep_ in ("prt", "prep") for c in token.children)
    return lemma in REPORTING_LEMMAS


def _cue_subject(cue: Token, paragraph: tuple[int, int]) -> Token | None:
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
            above = [a for a in verb.ancestors if _is_cue(a) and inside(a)]
            verb = above[-1] if above else verb.head
            continue
        return None
    return None


class _Attributor:
    """One document's state: paragraphs, quotes, names seen and the parties resolved so far."""

    def __init__(self, doc: Doc, text: str):
        self.doc = doc
        self.text = text
        self.paragraphs = paragraphs_from_lines(self.text)
        self.starts = tokens_of(doc).idx  # iterating the Doc would build a Token per token
        self.names = self._person_names()
        self.quotes: list[_Quote] = []
        self._find_quotes()
        self.parties: dict[int, _Party | None] = {}  # cue token index -> its party
        self.groups: list[_Party] = []
        self._resolve_all()

    # -- layout ---------------------------------------------------------------------------------

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        for start, end in self.paragraphs:
            if start <= offset < end:
                return start, end
        return offset, offset

    def is_headline(self, paragraph: tuple[int, int]) -> bool:
        start, end = paragraph
        return end > start and self.text[end - 1] not in _FINAL_PUNCT

    def _find_quotes(self) -> None:
        """Fill ``self.quotes`` paragraph by paragraph (a quote's directness looks at those before it)."""
        quotes = self.quotes
        for pstart, pend in self.paragraphs:
            i, open_at, closer = pstart, None, None
            while i < pend:
                ch = self.text[i]
                if open_at is None and ch in _OPEN_QUOTES:
                    open_at, closer = i, _OPEN_QUOTES[ch]
                elif open_at is not None and ch == closer:
                    quotes.append(self._quote(open_at, i + 1, (open_at + 1, i), (pstart, pend)))
                    open_at = None
                i += 1
            if open_at is not None:
                # News style leaves a quote open at a paragraph end when the next paragraph goes on
                # quoting the same speaker.
                quotes.append(self._quote(open_at, pend, (open_at + 1, pend), (pstart, pend)))

    def _quote(self, start: int, end: int, content: tuple[int, int], paragraph: tuple[int, int]) -> _Quote:
        prefix = self.text[paragraph[0]:start].rstrip()
        # A direct quote opens a paragraph or sentence, or follows "said:" / "said,"; one that
        # opens mid-clause ("described the talks as "not easy"") is part of the reported clause.
        direct = not prefix or prefix[-1] in _SENTENCE_END + ":\"”" or (
            prefix[-1] == "," and self._last_cue(self._sentence_tail(paragraph[0], start)) is not None)
        return _Quote(start, end, content, direct, paragraph)

    def _sentence_tail(self, pstart: int, offset: int) -> tuple[int, int]:
        """From the last sentence end (or the paragraph start) before ``offset`` to ``offset``."""
        text = self.text[pstart:offset]
        cut = max(text.rfind(p) for p in _SENTENCE_END)
        return pstart + cut + 1, offset

    def tokens(self, start: int, end: int) -> list[Token]:
        """The non-space tokens that overlap ``[start, end)``."""
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        last = bisect.bisect_left(self.starts, end)
        return [t for t in self.doc[first:last] if t.idx + len(t) > start and not t.is_space]

    def in_quote(self, offset: int) -> _Quote | None:
        """The direct quote whose content holds ``offset``, if any."""
        for q in self.quotes:
            if q.direct and q.content[0] <= offset < q.content[1]:
                return q
        return None

    def _last_cue(self, window: tuple[int, int]) -> Token | None:
        cues = [t for t in self.tokens(*window) if _is_cue(t) and self.in_quote(t.idx) is None]
        return cues[-1] if cues else None

    def _first_cue(self, window: tuple[int, int]) -> Token | None:
        cues = [t for t in self.tokens(*window) if _is_cue(t) and self.in_quote(t.idx) is None]
        return cues[0] if cues else None

    # -- names ----------------------------------------------------------------------------------

    def _clean_name(self, tokens: Sequence[Token]) -> list[str]:
        words = [t for t in tokens if t.text not in ("'s", "’s", "'", "’") and t.text[:1].isalpha()]
        # Everything up to the last title, nationality or lower-case word goes; the last word is
        # the name itself even when it is also a title word ("John Major").
        cut = 0
        for i, t in enumerate(words[:-1]):
            if t.lower_ in TITLE_WORDS or t.ent_type_ in ("NORP", "GPE") or not t.text[:1].isupper():
                cut = i + 1
        return [t.text for t in words[cut:]]

    def _name_tokens(self, head: Token) -> list[Token]:
        """The tokens of the name ``head`` ends: its PERSON entity, or the proper nouns before it.

        The small model often leaves a given name out of the entity ("Agnes" in "librarian Agnes
        Wu"), so a one-word entity takes in one capitalised proper noun before it (a title there
        is stripped later); a longer entity is taken as it is ("Fisherman Declan Moore").
        """
        doc = self.doc
        ent = next((e for e in doc.ents if e.start <= head.i < e.end and e.label_ == "PERSON"), None)
        if ent is not None:
            tokens = [t for t in ent if t.text not in ("'s", "’s", "'", "’")]
            start = tokens[0].i if tokens else head.i
            if len(tokens) == 1 and start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper():
                start -= 1
            return list(doc[start:head.i + 1])
        start = head.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper():
            start -= 1
        return list(doc[start:head.i + 1])

    def _person_names(self) -> dict[str, str]:
        """Surname (case-folded) -> the fullest name with that surname among the PERSON entities.

        Names are read with :meth:`_name_tokens` and stripped of titles.
        """
        names: dict[str, str] = {}
        for ent in self.doc.ents:
            if ent.label_ != "PERSON":
                continue
            tokens = [t for t in ent if t.text not in ("'s", "’s", "'", "’")]
            if tokens:
                self._register(self._name_tokens(tokens[-1]), names)
        return names

    def _register(self, tokens: Sequence[Token], names: dict[str, str]) -> str:
        """Add the cleaned name of ``tokens`` to ``names`` if it is the fullest; the name kept."""
        words = self._clean_name(tokens)
        if not words:
            return ""
        key = words[-1].casefold()
        if len(words) > len(names.get(key, "").split()):
            names[key] = " ".join(words)
        return names[key]

    # -- parties --------------------------------------------------------------------------------

    def _subject_head(self, subject: Token) -> Token:
        phrase = list(subject.subtree)
        # "An official briefing AFP indicated": the tagger reads "official" as an adjective; a
        # determiner followed by a role noun names the party whatever the parse says.
        if (len(phrase) > 2 and phrase[0].lower_ in _DETERMINERS and phrase[1].lower_ in ROLE_NOUNS
                and phrase[1].i != subject.i):
            return phrase[1]
        # "The company's chief executive, Laura Chen, said": the apposed name.
        for child in subject.children:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON" and subject.ent_type_ != "PERSON":
                return child
        # "Deputy mayor for housing Lucia Ferraro": a bare title (no determiner) whose name the
        # parser hung under a preposition. "A spokesman for Merz" keeps its determiner and its head.
        if subject.lower_ in TITLE_WORDS and not any(c.dep_ == "det" for c in subject.children):
            for prep in subject.children:
                if prep.dep_ != "prep":
                    continue
                for obj in prep.children:
                    if obj.dep_ == "pobj" and obj.ent_type_ == "PERSON":
                        return obj
        return subject

    def _group_name(self, head: Token) -> tuple[str, Token]:
        """The normalised name of the party headed by ``head``, and its real head word."""
        for _ in range(3):
            if head.lower_ in COLLECTIVE_NOUNS or head.lemma_.lower() in COLLECTIVE_NOUNS:
                of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
                objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
                if objs:
                    head = objs[0]
                    continue
            break

        pstart, pend = self.paragraph_of(head.idx)

        def modifiers(tok: Token) -> list[Token]:
            out = []
            for child in tok.lefts:
                if child.dep_ in ("compound", "amod", "poss", "nmod") and child.lower_ not in COLLECTIVE_NOUNS:
                    out.extend(t for t in child.subtree if pstart <= t.idx < pend and not t.is_space
                               and t.dep_ != "det" and (not t.is_punct or t.text in ("'", "’")))
            return out

        words = modifiers(head) + [head]
        of = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "for")]
        objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
        if objs and head.lower_ in ROLE_NOUNS:  # "officials of the union", "a spokeswoman for the council"
            words = modifiers(objs[0]) + [objs[0]] + words
        elif objs and of[0].lower_ == "of" and (head.pos_ == "PROPN" or objs[0].pos_ == "PROPN"):
            words = words + [of[0]] + modifiers(objs[0]) + [objs[0]]
        out = []
        seen: set[int] = set()
        for t in words:
            if t.i in seen:
                continue
            seen.add(t.i)
            text = t.text if t.pos_ == "PROPN" or t.text.isupper() else t.text.lower()
            if out and t.text in ("'", "’", "'s", "’s"):
                out[-1] += text
            else:
                out.append(text)
        return " ".join(out), head

    def _group(self, name: str, head: Token) -> _Party:
        """The party ``name`` headed by ``head``, or the earlier party it repeats."""
        words = set(normalise_holder(name).split())
        lemma = head.lemma_.lower()
        for group in reversed(self.groups):
            # "the union" after "the Nurses' Union", and "one official" after "US officials": a
            # bare head, or a subset of an earlier party's words, repeats that party.
            if group.lemma == lemma and (words <= set(normalise_holder(group.name).split())
                                         or not words - {head.lower_, lemma}):
                return group
        singular = head.pos_ == "NOUN" and head.tag_ == "NN" and lemma not in ORG_WORDS
        party = _Party(name, "individual" if singular else "group", lemma)
        self.groups.append(party)
        return party

    def party_of(self, subject: Token, memory: dict[str, _Party | None]) -> _Party | None:
        head = self._subject_head(subject)
        lower = head.lower_
        if head.pos_ == "PRON" or lower in _PERSON_PRONOUNS | _GROUP_PRONOUNS | _FIRST_PERSON | {"it"}:
            if lower in _PERSON_PRONOUNS:
                found = memory["person"] or memory["individual"] or memory["any"]
            elif lower in _GROUP_PRONOUNS:
                found = memory["group"] or memory["any"]
            elif lower == "it":
                found = memory["group"]
            elif lower in _FIRST_PERSON:
                return _Party(AUTHOR, "nonagent")  # "we" outside quotes: the author's voice
            else:
                return None
            return found or _Party(UNKNOWN, "unknown")
        person = self._person(head)
        if person is not None:
            return person
        if head.pos_ == "NOUN" and head.lemma_.lower() in NONAGENT_NOUNS:
            return _Party(AUTHOR, "nonagent")
        return self._group(*self._group_name(head))

    def _person(self, head: Token) -> _Party | None:
        """The named person ``head`` ends, or None if it names no person."""
        key = head.text.casefold()
        if head.ent_type_ == "PERSON" or (head.text[:1].isupper() and key in self.names
                                          and head.ent_type_ not in ("GPE", "NORP")):
            return _Party(self._register(self._name_tokens(head), self.names) or head.text, "person")
        if head.pos_ == "PROPN" and head.ent_type_ in ("", "ORG"):
            # A proper name of two or three capitalised words with no organisation word in it
            # ("Nadia Karimi", which the small model tags ORG) is most often a person; a single
            # unrecognised word is a person too unless the model calls it an organisation.
            words = self._clean_name(self._name_tokens(head))
            looks_personal = all(w[:1].isupper() and not w.isupper() and w.casefold() not in ORG_WORDS for w in words)
            if words and looks_personal and (2 <= len(words) <= 3 or (len(words) == 1 and not head.ent_type_)):
                return _Party(self._register(self._name_tokens(head), self.names), "person")
        return None

    def _resolve_all(self) -> None:
        """Resolve every cue's party in text order, so that pronouns see the parties before them."""
        memory: dict[str, _Party | None] = {"person": None, "individual": None, "group": None, "any": None}
        # Only a verb, "according" or a noun subject can be either kind of token below: the token
        # table finds them without building a Token for every word.
        table = tokens_of(self.doc)
        lower, pos, dep = table.lower, table.pos, table.dep
        candidates = [i for i in range(table.n) if pos[i] == "VERB" or lower[i] == "according"
                      or (dep[i] == "nsubj" and pos[i] in ("PROPN", "NOUN"))]
        for token in map(self.doc.__getitem__, candidates):
            if token.is_space or self.in_quote(token.idx) is not None:
                continue
            if _is_cue(token):
                subject = _cue_subject(token, self.paragraph_of(token.idx))
                party = self.party_of(subject, memory) if subject is not None else None
                self.parties[token.i] = party
            elif token.dep_ == "nsubj" and token.head.dep_ == "ROOT" and token.pos_ in ("PROPN", "NOUN"):
                # Subjects of other main clauses ("Smith arrived on Monday. He said ...") are
                # antecedents for pronouns, but no holders.
                party = self._person(self._subject_head(token))
            else:
                continue
            if party is not None and party.kind in memory:
                memory["any"] = party
                memory[party.kind] = party
        self._resolve_quotes()

    def _resolve_quotes(self) -> None:
        # (offset, party) of every speaker so far: the cues, then each quote as it is resolved.
        events = sorted((self.doc[i].idx, p) for i, p in self.parties.items()
                        if p is not None and p.kind not in ("nonagent", "unknown"))
        for q in self.quotes:
            if not q.direct:
                continue
            pstart, pend = q.paragraph
            cue = None
            content = self.text[q.content[0]:q.content[1]].rstrip()
            after = self.text[q.end:pend]
            # Attribution after the quote, unless the quote closed its own sentence and a new one
            # starts ("... forever." Those ...).
            if q.end < pend and (not content or content[-1] not in _SENTENCE_END or after.lstrip()[:1].islower()):
                stop = next((i for i in range(q.end, pend) if self.text[i] in _SENTENCE_END + '"“'), pend)
                window = (q.end, stop + 1 if stop < pend and self.text[stop] in _SENTENCE_END else stop)
                cue = self._first_cue(window)
            if cue is None:
                before = self.text[pstart:q.start].rstrip()
                if before and before[-1] in ":,":
                    window = self._sentence_tail(pstart, q.start)
                    cue = self._last_cue(window)
            if cue is not None and self.parties.get(cue.i) is not None:
                q.cue, q.party, q.attribution = cue, self.parties[cue.i], window
            else:
                # A quote without attribution goes on quoting the most recent speaker.
                earlier = [p for pos, p in events if pos < q.start]
                q.party = earlier[-1] if earlier else None
            if q.party is not None and q.party.kind not in ("nonagent", "unknown"):
                events.append((q.start, q.party))
                events.sort(key=lambda e: e[0])

    # -- units ----------------------------------------------------------------------------------

    def _frame(self, tokens: list[Token], paragraph: tuple[int, int]) -> Token | None:
        """The cue governing the unit made of ``tokens``: above it, beside it, or its own root."""
        ids = {t.i for t in tokens}
        pstart, pend = paragraph

        def inside(t: Token) -> bool:
            return pstart <= t.idx < pend

        roots = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
        root = min(roots, key=lambda t: len(list(t.ancestors)))
        # 1. A cue above the unit: "Marsh said that [X]", "described the plan as [X]".
        node = root
        while node.head.i != node.i and inside(node.head):
            node = node.head
            if node.i not in ids and _is_cue(node) and self.in_quote(node.idx) is None:
                return node
        # 2. A cue attached beside the unit: "[X], he said" parsed with X as the root.
        for anchor in [root, *root.ancestors]:
            if not inside(anchor):
                break
            for child in anchor.children:
                if (child.i not in ids and _is_cue(child) and child.dep_ in ("parataxis", "ccomp", "advcl", "prep")
                        and self.in_quote(child.idx) is None and (child.i > max(ids) or child.lower_ == "according")):
                    return child
        # 3. The unit states its own frame: "[Trump has ruled out X]", "[A study estimated that X]",
        #    "[Wolff hit back, accusing him of X]".
        own = [c for c in root.children if c.i in ids and (c.dep_ in ("conj", "advcl") or c.lower_ == "according")]
        for candidate in [root, *own]:
            if _is_cue(candidate):
                return candidate
        return None

    def attribute(self, start: int, end: int) -> Attribution:
        tokens = self.tokens(start, end)
        if not tokens:
            return Attribution(AUTHOR, "author")
        paragraph = self.paragraph_of(tokens[0].idx)
        if self.is_headline(paragraph):
            return Attribution(AUTHOR, "author")
        chars = [i for i in range(start, end) if not self.text[i].isspace()]
        quote = None
        for q in self.quotes:
            share = sum(q.content[0] <= i < q.content[1] for i in chars)
            if chars and share * 2 > len(chars):
                quote = q
                break
        if quote is None:
            # A quote with its attribution ('"X," he told state television.') is a quote too, however
            # long the attribution: nothing in the unit is outside the quotes and their frames.
            covered = [q for q in self.quotes if q.direct and start <= q.content[0] and q.content[1] <= end]
            spans = [q.content for q in covered] + [q.attribution for q in covered if q.attribution]
            if covered and not any(self.text[i].isalnum() and not any(a <= i < b for a, b in spans) for i in chars):
                quote = covered[0]
        if quote is not None and quote.direct:
            if quote.party is not None and quote.party.kind == "nonagent":
                return Attribution(AUTHOR, "author")  # '"...," the report said': cited evidence
            cue = (quote.cue.idx, quote.cue.idx + len(quote.cue)) if quote.cue is not None else None
            return Attribution(quote.party.name if quote.party else UNKNOWN, "quote", cue)
        frame = self._frame(tokens, paragraph)
        party = self.parties.get(frame.i) if frame is not None else None
        if party is None or party.kind == "nonagent":
            return Attribution(AUTHOR, "author")
        speech = "quote" if quote is not None else "reported"  # a partial quote keeps its frame's holder
        return Attribution(party.name, speech, (frame.idx, frame.idx + len(frame)))


def attribute_holders(parsed: Doc, spans: Sequence[tuple[int, int]], *, text: str | None = None) -> list[Attribution]:
    """The holder and speech kind of each unit span (character offsets into ``parsed.text``).

    Rules, in order:

    1. A unit in a headline (a paragraph that ends without final punctuation) is the author's.
    2. A unit mostly inside a direct quotation (straight or curly quotes that open a paragraph or
       sentence, or follow "said:"/"said,") belongs to the quote's speaker: the subject of the
       reporting verb right after the quote (``"X," she said.``) or right before it (``He said:
       "X"``). A quote with neither, such as the second sentence after ``"S1," he said.`` or a
       quote paragraph that continues the previous one, keeps the most recent speaker.
    3. Otherwise the unit belongs to the subject of the reporting or stance verb
       (:data:`REPORTING_LEMMAS`) that governs it in the parse: one above it (``Merz said that
       X``, ``described X as Y``, ``..., noting that X``), one attached beside it (``X, he
       said``), or its own root (``Trump has ruled out X``: the stance is Trump's). Participial
       adjuncts and conjuncts without a subject take the main clause's subject, a passive cue
       takes its ``by`` agent, and ``according to X`` names X.
    4. A subject that is evidence rather than a party ("a study", "the figures") and a unit with
       no frame are the author's.

    Pronoun subjects resolve in text order: "he"/"she" to the most recent named person (a
    speaker, or the subject of a main clause), "they" to the most recent group speaker, "it" to
    the most recent group speaker or to no one; a pronoun with nothing to resolve to gives
    ``UNKNOWN``. Names are normalised as the module docstring says.

    Parameters
    ----------
    parsed : spacy.tokens.Doc
        The text parsed by a pipeline with a tagger, lemmatizer, dependency parser and entity
        recogniser (``en_core_web_sm``).
    spans : sequence of (int, int)
        Unit spans ``[start, end)`` in any order; an empty span is the author's.
    text : str, optional
        ``parsed.text``, when the caller holds it: ``Doc.text`` joins every token's text anew.

    Returns
    -------
    list of Attribution
        One per span, in the order of ``spans``.

    Raises
    ------
    ValueError
        If a span is not inside the text, or the doc has text but no dependency parse.

    Examples
    --------
    >>> from mining.nlp.pipeline import find_pipeline, load_pipeline
    >>> nlp = load_pipeline(find_pipeline())  # doctest: +SKIP
    >>> doc = nlp('"The bridge must close," engineer Ruth Obi said.')  # doctest: +SKIP
    >>> attribute_holders(doc, [(1, 22)])[0].holder  # doctest: +SKIP
    'Ruth Obi'
    """
    text = parsed.text if text is None else text
    n_chars = len(text)
    for start, end in spans:
        if not 0 <= start <= end <= n_chars:
            raise ValueError(f"span ({start}, {end}) is not inside the text of {n_chars} characters")
    if any(not t.is_space for t in parsed) and not parsed.has_annotation("DEP"):
        raise ValueError("attribute_holders needs a dependency parse: parse the text with a pipeline that has a parser")
    attributor = _Attributor(parsed, text)
    return [attributor.attribute(int(s), int(e)) for s, e in spans]


def sentence_spans(parsed: Doc) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``parsed``, cut at line breaks and without outer spaces.

    The parser's sentences may run across a headline and the next line, or end inside a line;
    this cuts them at line breaks, glues a piece without final punctuation to the next piece of
    its line, and a piece without letters or digits (a stray closing quote) to the one before.
    """
    text = parsed.text
    sentences = [(sent.start_char, sent.end_char) for sent in parsed.sents] if len(parsed) else []
    spans: list[tuple[int, int]] = []
    for pstart, pend in paragraphs_from_lines(text):
        pieces: list[tuple[int, int]] = []
        for sstart, send in sentences:
            s, e = max(sstart, pstart), min(send, pend)
            if s >= e or not text[s:e].strip():
                continue
            piece = text[s:e]
            s, e = s + len(piece) - len(piece.lstrip()), s + len(piece.rstrip())
            if pieces and (not any(ch.isalnum() for ch in text[s:e]) or text[pieces[-1][1] - 1] not in _FINAL_PUNCT):
                pieces[-1] = (pieces[-1][0], e)
            else:
                pieces.append((s, e))
        spans.extend(pieces)
    return spans
