"""Long texts cut into pieces at line breaks or sentence ends (no spaCy here: the command line reads it)."""

from __future__ import annotations

import re

# Texts longer than this are parsed in pieces cut at line breaks (spaCy refuses texts over
# nlp.max_length, 1,000,000 characters by default, and the parser's memory grows with length).
MAX_PIECE_CHARS = 100_000


# Where a piece of a long text may end when no line break is near: after a sentence's final
# punctuation (and any closing quotes or brackets) and the whitespace after it.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")


def split_text(text: str, max_chars: int = MAX_PIECE_CHARS) -> list[str]:
    """Pieces of ``text``, each at most ``max_chars`` long, that concatenate back to ``text``.

    A piece ends after the last line break inside the limit, else after the last sentence end
    (a text with no line break at all, such as a whole book on one line), else after the last
    whitespace, else at the limit itself.
    """
    pieces = []
    while len(text) > max_chars:
        cut = _cut(text[:max_chars])
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _cut(window: str) -> int:
    line = window.rfind("\n") + 1
    if line:
        return line
    sentence = max((m.end() for m in SENTENCE_END.finditer(window)), default=0)
    return sentence or max(window.rfind(" "), window.rfind("\t")) + 1 or len(window)
