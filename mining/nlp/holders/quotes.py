"""Find the quotations of a text, tell direct quotes from quoted phrases, and find the cues outside them."""

from __future__ import annotations

import re

from spacy.tokens import Token

from mining.nlp.holders.layout import SENTENCE_END, TextLayout
from mining.nlp.holders.records import Quote
from mining.nlp.speech import OPEN_QUOTES, QUOTE_MARKS, is_attribution_cue

_MARKS = re.compile("[" + re.escape("".join(sorted(QUOTE_MARKS))) + "]")


class QuoteIndex:
    """The quotes of one text in text order, and the cues that stand outside every direct quote.

    Parameters
    ----------
    layout : TextLayout
        The text's paragraphs and tokens.

    Attributes
    ----------
    quotes : list of Quote
        Straight or curly quotations, one per pair of marks within a paragraph, plus one for a
        quote left open at a paragraph's end.
    """

    def __init__(self, layout: TextLayout):
        self.layout = layout
        self.quotes: list[Quote] = []
        self._find_quotes()

    def _find_quotes(self) -> None:
        """Fill ``self.quotes`` paragraph by paragraph (a quote's directness looks at those before it)."""
        text, quotes = self.layout.text, self.quotes
        for pstart, pend in self.layout.paragraphs:
            open_at, closer = None, None
            for mark in _MARKS.finditer(text, pstart, pend):  # the other characters change nothing
                i, ch = mark.start(), mark.group()
                if open_at is None and ch in OPEN_QUOTES:
                    open_at, closer = i, OPEN_QUOTES[ch]
                elif open_at is not None and ch == closer:
                    quotes.append(self._quote(open_at, i + 1, (open_at + 1, i), (pstart, pend)))
                    open_at = None
            if open_at is not None:
                # News style leaves a quote open at a paragraph end when the next paragraph goes on
                # quoting the same speaker.
                quotes.append(self._quote(open_at, pend, (open_at + 1, pend), (pstart, pend)))

    def _quote(self, start: int, end: int, content: tuple[int, int], paragraph: tuple[int, int]) -> Quote:
        prefix = self.layout.text[paragraph[0]:start].rstrip()
        # A direct quote opens a paragraph or sentence, or follows "said:" / "said,"; one that
        # opens mid-clause ("described the talks as "not easy"") is part of the reported clause.
        direct = not prefix or prefix[-1] in SENTENCE_END + ":\"”" or (
            prefix[-1] == "," and self.last_cue(self.layout.sentence_tail(paragraph[0], start)) is not None)
        return Quote(start, end, content, direct, paragraph)

    def in_quote(self, offset: int) -> Quote | None:
        """The direct quote whose content holds ``offset``, if any."""
        for q in self.quotes:
            if q.direct and q.content[0] <= offset < q.content[1]:
                return q
        return None

    def first_cue(self, window: tuple[int, int]) -> Token | None:
        """The first cue in ``window`` outside the direct quotes, if any."""
        cues = self._cues(window)
        return cues[0] if cues else None

    def last_cue(self, window: tuple[int, int]) -> Token | None:
        """The last cue in ``window`` outside the direct quotes, if any."""
        cues = self._cues(window)
        return cues[-1] if cues else None

    def _cues(self, window: tuple[int, int]) -> list[Token]:
        doc, cue_words = self.layout.doc, self.layout.cue_words
        ids = [i for i in self.layout.token_ids(*window) if i in cue_words]
        return [t for t in map(doc.__getitem__, ids) if is_attribution_cue(t) and self.in_quote(t.idx) is None]
