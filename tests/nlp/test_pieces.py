"""Long texts cut into pieces that join back: at a line break, else a sentence end, else whitespace, else the limit."""

from __future__ import annotations

import pytest

from mining.nlp.pieces import split_text


@pytest.mark.parametrize(("text", "first"), [
    ("One line.\nTwo. Three words here", "One line.\n"),  # the last line break inside the limit
    ("One sentence. Another one here and more", "One sentence. "),  # no line break: the last sentence end
    ("no sentence end at all in here", "no sentence end at "),  # neither: the last whitespace
    ("x" * 30, "x" * 20),  # nothing: the limit itself
])
def test_a_piece_ends_at_the_best_cut_inside_the_limit(text: str, first: str):
    pieces = split_text(text, max_chars=20)
    assert pieces[0] == first
    assert "".join(pieces) == text and all(len(p) <= 20 for p in pieces)


def test_a_short_text_is_one_piece():
    assert split_text("short", max_chars=20) == ["short"]
