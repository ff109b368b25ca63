"""The layout of one text as holder attribution reads it: paragraphs, headlines, sentence tails, tokens by offset."""

from __future__ import annotations

import bisect
from functools import cached_property

from spacy.tokens import Doc, Token

from mining.nlp.holders.cues import holder_cue_candidates
from mining.nlp.tokens import tokens_of
from mining.schema import headlines, paragraphs_from_lines

SENTENCE_END = ".!?"


class TextLayout:
    """One parsed document's paragraphs (one per non-blank line) and its tokens looked up by offset.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed text.
    text : str
        ``doc.text``, computed once by the caller.
    """

    def __init__(self, doc: Doc, text: str):
        self.doc = doc
        self.text = text
        self.paragraphs = paragraphs_from_lines(text)
        self.headlines = {p for p, h in zip(self.paragraphs, headlines(text, self.paragraphs)) if h}
        self.table = tokens_of(doc)  # the Doc's attributes as lists: iterating it would build a Token per token
        self.starts = self.table.idx

    @cached_property
    def cue_words(self) -> frozenset[int]:
        """The offsets of the tokens that may be cues (:func:`~mining.nlp.holders.cues.holder_cue_candidates`): no
        other token is one, so a rule asks :func:`~mining.nlp.speech.is_attribution_cue` only about these."""
        return frozenset(holder_cue_candidates(self.table, range(self.table.n)))

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        """The paragraph that holds ``offset``, or the empty span at ``offset`` if none does."""
        for start, end in self.paragraphs:
            if start <= offset < end:
                return start, end
        return offset, offset

    def is_headline(self, paragraph: tuple[int, int]) -> bool:
        """Whether ``paragraph`` reads as a headline or crosshead (``mining.schema.headlines``): author voice."""
        return paragraph in self.headlines

    def sentence_tail(self, pstart: int, offset: int) -> tuple[int, int]:
        """From the last sentence end (or the paragraph start) before ``offset`` to ``offset``."""
        text = self.text[pstart:offset]
        cut = max(text.rfind(p) for p in SENTENCE_END)
        return pstart + cut + 1, offset

    def tokens(self, start: int, end: int) -> list[Token]:
        """The non-space tokens that overlap ``[start, end)``."""
        return [self.doc[i] for i in self.token_ids(start, end)]

    def token_ids(self, start: int, end: int) -> list[int]:
        """The offsets of ``tokens(start, end)``, read from the token table without building Tokens."""
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        last = bisect.bisect_left(self.starts, end)
        ends, space = self.table.end_char, self.table.is_space
        return [i for i in range(first, last) if ends[i] > start and not space[i]]
