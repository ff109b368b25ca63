"""Attribute unit spans to their holders: the quote a unit is in, else the cue that frames it, else the author."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from mining.nlp.holders.cues import reports_nothing
from mining.nlp.holders.layout import TextLayout
from mining.nlp.holders.misparses import named_before
from mining.nlp.holders.names import PersonNames
from mining.nlp.holders.parties import PartyResolver
from mining.nlp.holders.quotes import QuoteIndex
from mining.nlp.holders.records import Attribution, Quote
from mining.nlp.holders.speakers import assign_speakers
from mining.nlp.sharing import once_per_batch
from mining.nlp.speech import is_attribution_cue
from mining.nlp.tokens import ancestors
from mining.schema import AUTHOR, UNKNOWN

# Dependencies that put a clause inside a noun phrase (a subject, a relative clause, an apposition), not in the words of
# the verb above it.
_NOUN_PHRASE = frozenset({"nsubj", "nsubjpass", "csubj", "relcl", "acl", "appos", "dobj", "pobj"})


class UnitAttributor:
    """One document's quotes, with their speakers, and the parties of its cues, ready to attribute spans.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed text.
    text : str
        ``doc.text``.
    """

    def __init__(self, doc: Doc, text: str):
        self.layout = TextLayout(doc, text)
        names = PersonNames(doc)
        self.quotes = QuoteIndex(self.layout)
        self.parties = PartyResolver(self.layout, self.quotes, names).resolve()
        assign_speakers(self.layout, self.quotes, self.parties)

    def attribute(self, start: int, end: int, *, own_frames: bool = True) -> Attribution:
        """The holder and speech kind of the unit ``[start, end)``; a cue inside the unit counts only with
        ``own_frames`` (:func:`attribute_holders`)."""
        tokens = self.layout.token_ids(start, end)
        if not tokens:
            return Attribution(AUTHOR, "author")
        paragraph = self.layout.paragraph_of(self.layout.starts[tokens[0]])
        if self.layout.is_headline(paragraph):
            return Attribution(AUTHOR, "author")
        quote = self._quote_of(start, end)
        if quote is not None and quote.direct:
            if quote.party is not None and quote.party.kind == "nonagent":
                return Attribution(AUTHOR, "author")  # '"...," the report said': cited evidence
            cue = (quote.cue.idx, quote.cue.idx + len(quote.cue)) if quote.cue is not None else None
            return Attribution(quote.party.name if quote.party else UNKNOWN, "quote", cue)
        frame = self._frame(tokens, paragraph, own_frames)
        if frame is not None and reports_nothing(frame):
            # "X has not explained how Y": the reporter's statement, unless a party says it ("Ellefsen said he would not
            # tell his officers to Z, since Y": Ellefsen's reason)
            frame = self._cue_above(frame, paragraph)
            if frame is None:
                return Attribution(AUTHOR, "author")
        party = self.parties.get(frame.i) if frame is not None else None
        # "[A study by the institute found X]": a unit that names the study is the reporter citing it.
        if party is None or party.kind == "nonagent" or (party.kind == "cited" and start <= frame.idx < end):
            return Attribution(AUTHOR, "author")
        speech = "quote" if quote is not None else "reported"  # a partial quote keeps its frame's holder
        return Attribution(party.name, speech, (frame.idx, frame.idx + len(frame)))

    def _cue_above(self, cue: Token, paragraph: tuple[int, int]) -> Token | None:
        """The nearest cue in ``paragraph`` and outside quotes whose words hold ``cue``, if any: not one reached through
        its speaker's own phrase ("Ana Lind, who did not explain why X, said Y": X is no one's words)."""
        node = cue
        while node.head.i != node.i and paragraph[0] <= node.head.idx < paragraph[1]:
            node, child = node.head, node
            if child.dep_ in _NOUN_PHRASE:
                return None
            if is_attribution_cue(node) and self.quotes.in_quote(node.idx) is None:
                return node
        return None

    def _quote_of(self, start: int, end: int) -> Quote | None:
        """The quote that holds most of the unit's characters, or the direct quotes it is made of."""
        if not self.quotes.quotes:  # most texts quote no one: no need to look at the unit's characters
            return None
        text = self.layout.text
        chars = [i for i in range(start, end) if not text[i].isspace()]
        for q in self.quotes.quotes:
            share = max(bisect_left(chars, q.content[1]) - bisect_left(chars, q.content[0]), 0)  # chars is sorted
            if chars and share * 2 > len(chars):
                return q
        # A quote with its attribution ('"X," he told state television.') is a quote too, however
        # long the attribution: nothing in the unit is outside the quotes and their frames. A quote
        # interrupted by its attribution ('"X," she said, "Y."') may end past the unit's last word.
        covered = [q for q in self.quotes.quotes if q.direct and start <= q.content[0] < end]
        spans = [q.content for q in covered] + [q.attribution for q in covered if q.attribution]
        if covered and not any(text[i].isalnum() and not any(a <= i < b for a, b in spans) for i in chars):
            return covered[0]
        return None

    def _according_before(self, first: int, pstart: int) -> Token | None:
        """The "according" of an "According to X," that ends right before token ``first``, in its sentence and
        its paragraph (from ``pstart``): only commas stand between the phrase and the unit. Read from the token
        table: a Token is built only for an "according"."""
        table = self.layout.table
        lower, sentence, idx = table.lower, table.sentence_ids, table.idx
        if first <= 0 or sentence[first - 1] != sentence[first]:
            return None
        end = first - 1
        while end > 0 and lower[end] == ",":
            end -= 1
        for i in range(end, max(end - 12, -1), -1):
            if idx[i] < pstart or sentence[i] != sentence[first]:
                break
            if lower[i] == "according":
                t = self.layout.doc[i]
                if t.right_edge.i == end and self.quotes.in_quote(t.idx) is None:
                    return t
        return None

    def _frame(self, tokens: list[int], paragraph: tuple[int, int], own_frames: bool = True) -> Token | None:
        """The cue governing the unit made of the tokens ``tokens``: above it, beside it, or (with ``own_frames``) its
        own root. The tree is walked in the token table: a Token is built only for a word that may be a cue
        (``TextLayout.cue_words``)."""
        ids = set(tokens)
        pstart = paragraph[0]
        doc, table = self.layout.doc, self.layout.table
        heads, depth = table.heads, table.depth
        root = min((i for i in tokens if heads[i] not in ids or heads[i] == i), key=depth.__getitem__)
        # 1. A cue above the unit, 2. one attached beside it.
        cue = self._cue_above_unit(root, ids, paragraph) or self._cue_beside_unit(root, ids, paragraph)
        if cue is not None:
            return cue
        # 3. "According to X, [unit]", whatever the parser hangs the phrase on (often a verb of the unit).
        according = self._according_before(min(ids), pstart)
        if according is not None:
            return according
        # 4. With own_frames, the unit states its own frame: "[Trump has ruled out X]", "[Wolff hit back, accusing X]".
        cue_words = self.layout.cue_words
        if own_frames:
            dep, lower = table.dep, table.lower
            own = [c for c in table.children[root]
                   if c in ids and (dep[c] in ("conj", "advcl") or lower[c] == "according")]
            for candidate in [root, *own]:
                if candidate in cue_words and is_attribution_cue(doc[candidate]):
                    return doc[candidate]
        # 5. A cue with a subject right before the unit that the parser hung below it: "Arvik said [rewards would
        #    be paid only when X, so a tip would earn nothing]", with "earn" as the sentence's root and "said" under
        #    it (not "It is needless to say that [X]").
        before = min(ids) - 1
        before -= before > 0 and table.lower[before] == "that"
        if before < 0 or before not in cue_words:
            return None
        cue = doc[before]
        if (pstart <= cue.idx < paragraph[1] and cue.sent == doc[root].sent and is_attribution_cue(cue)
                and self.quotes.in_quote(cue.idx) is None
                and any(a.i in ids for a in cue.ancestors) and any(c.dep_ == "nsubj" for c in cue.children)):
            return cue
        return None

    def _cue_above_unit(self, root: int, ids: set[int], paragraph: tuple[int, int]) -> Token | None:
        """A cue above the unit of the tokens ``ids``, whose root is token ``root``, in ``paragraph``: "Marsh said
        that [X]", "described the plan as [X]"."""
        doc, heads, idx = self.layout.doc, self.layout.table.heads, self.layout.table.idx
        node = root
        while heads[node] != node and paragraph[0] <= idx[heads[node]] < paragraph[1]:
            node, child = heads[node], node
            if node in ids or not self._is_frame(node):
                continue
            # "She said A, while a commission would answer to no one, and that [B]": a clause with its own
            # "that" joined to a verb that is itself a clause of another is a second complement of the
            # verb above, not the words of the verb it is joined to ("X said A and that [B]" is X's).
            cue, clause = doc[node], doc[child]
            second_complement = clause.dep_ == "conj" and cue.dep_ in ("ccomp", "advcl") and any(
                c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
            if not second_complement:
                return cue
        return None

    def _cue_beside_unit(self, root: int, ids: set[int], paragraph: tuple[int, int]) -> Token | None:
        """A cue attached beside the unit of the tokens ``ids``, whose root is token ``root``, in ``paragraph``: "[X],
        he said" parsed with X as the root, or a frame set into the sentence before the unit: "Without more money, he
        said, [X]"."""
        doc, table = self.layout.doc, self.layout.table
        last = max(ids)
        for anchor in [root, *ancestors(table, root)]:
            if not paragraph[0] <= table.idx[anchor] < paragraph[1]:
                break
            for c in table.children[anchor]:
                if c in ids or not self._is_frame(c):
                    continue
                child = doc[c]
                beside = child.dep_ in ("parataxis", "ccomp", "advcl", "prep") or (
                    # "[X], its president, Kaj Nordin, said, and Y": a cue joined to the unit, its speaker named
                    # right before it
                    child.dep_ == "conj" and c > last and named_before(child) is not None)
                if beside and (c > last or child.lower_ == "according" or child.dep_ == "parataxis"):
                    return child
        return None

    def _is_frame(self, i: int) -> bool:
        """Whether token ``i`` is a cue outside the direct quotes."""
        return (i in self.layout.cue_words and is_attribution_cue(self.layout.doc[i])
                and self.quotes.in_quote(self.layout.table.idx[i]) is None)


def attribute_holders(parsed: Doc, spans: Sequence[tuple[int, int]], *, text: str | None = None,
                      own_frames: bool = True) -> list[Attribution]:
    """The holder and speech kind of each unit span (character offsets into ``parsed.text``).

    Rules, in order:

    1. A unit in a headline (a short paragraph without final punctuation: ``mining.schema.headlines``) is the author's.
    2. A unit mostly inside a direct quotation (straight or curly quotes that open a paragraph or sentence, or follow
       "said:"/"said,") belongs to the quote's speaker: the subject of the reporting verb right after the quote (``"X,"
       she said.``) or right before it (``He said: "X"``). A quote with neither, such as the second sentence after
       ``"S1," he said.`` or a quote paragraph that continues the previous one, keeps the most recent speaker.
    3. Otherwise the unit belongs to the subject of the reporting or stance verb
       (:data:`mining.nlp.speech.REPORTING_LEMMAS`) that governs it in the parse: one above it (``Merz said that X``,
       ``described X as Y``, ``..., noting that X``), one attached beside it (``X, he said``), or its own root
       (``Trump has ruled out X``: the stance is Trump's). Participial adjuncts and conjuncts without a subject take
       the main clause's subject, a passive cue takes its ``by`` agent, ``according to X`` names X; ``The union wants
       X`` and ``Olympians signed a letter calling for X`` name the union and the signers.
    4. A subject that is evidence rather than a party ("a study", "the figures"), a negated saying cue or one that
       says only a quantity (``has not explained how X``, ``the data say little about X``), and a unit with no frame
       are the author's.

    Pronoun subjects resolve in text order: "he"/"she" to the most recent single speaker (a person, "a senior
    diplomat", a spokesperson's body; not one inside another's words), "they" to the most recent group speaker, "it"
    to the most recent group speaker or to no one; a pronoun with nothing to resolve to gives ``UNKNOWN``. Names are
    normalised as the :mod:`mining.nlp.holders` docstring says.

    Parameters
    ----------
    parsed : spacy.tokens.Doc
        The text parsed by a pipeline with a tagger, lemmatizer, dependency parser and entity recogniser.
    spans : sequence of (int, int)
        Unit spans ``[start, end)`` in any order; an empty span is the author's.
    text : str, optional
        ``parsed.text``, when the caller holds it: ``Doc.text`` joins every token's text anew.
    own_frames : bool, default=True
        Whether a unit's own cue (rule 3's own root, or an "according" inside it) names its holder, as in news; an
        essay's "teachers want X" is its author's claim (``mining.label.miner.ONE_VOICE_DOMAINS``).

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
    _check_inputs(parsed, spans, len(text))
    attributor = attributor_of(parsed, text)
    return [attributor.attribute(int(s), int(e), own_frames=own_frames) for s, e in spans]


def attributor_of(parsed: Doc, text: str | None = None) -> UnitAttributor:
    """The :class:`UnitAttributor` of ``parsed``, built once per :func:`~mining.nlp.sharing.sharing` block (the
    labeller's holders and the stance step's party verbs read the same one), afresh outside one."""
    return once_per_batch("attributor", parsed, lambda: UnitAttributor(parsed, parsed.text if text is None else text))


def _check_inputs(parsed: Doc, spans: Sequence[tuple[int, int]], n_chars: int) -> None:
    """Raise ValueError for a span outside the text's ``n_chars`` characters, or a doc with text but no parse."""
    for start, end in spans:
        if not 0 <= start <= end <= n_chars:
            raise ValueError(f"span ({start}, {end}) is not inside the text of {n_chars} characters")
    if any(not t.is_space for t in parsed) and not parsed.has_annotation("DEP"):
        raise ValueError("attribute_holders needs a dependency parse: parse the text with a pipeline that has a parser")
