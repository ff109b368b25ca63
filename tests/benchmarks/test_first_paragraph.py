"""benchmarks/first_paragraph.py: the default model and a text that opens with its first paragraph, no headline.

Every report the news model trains on opens with a headline and a narrating lede. While the model placed a paragraph
by its position, it took a text's first paragraph for such a lede and found 2 of the six texts' units, 11 with a
headline line above. news_miner places paragraphs by their headlines (``paragraph_places: headline``,
docs/labelling.md, "The first paragraph"): its units are found and typed the same with a headline above it or without.
"""

from __future__ import annotations

import pytest

from mining.label.bundle import default_model
from mining.label.miner import ArgumentMiner
from tests.helpers import load_benchmark


@pytest.fixture(scope="module")
def found() -> dict[str, int]:
    return load_benchmark("first_paragraph").units_found(ArgumentMiner.from_run(default_model()))


# The default models trained on 613, 625 and 637 reports found 11 units each way; those on 649, 661 and 673 (52a3280,
# 0776ca6, 8e5be35) found 9: none of "Residents oppose the wind farm, ... The energy company says the turbines will
# power ten thousand homes", nor "rivers need the money"; the ones trained on 685 and 697 find 10, the one trained on
# 709 at 068c636 9 again, none in the wind farm text, the ones trained on 721 and 733 10, the one trained on 745 11,
# the ones trained on 757 and 769 10, none in the wind farm text (docs/labelling.md, "The first paragraph").
def test_a_headline_above_the_texts_finds_their_units(found):
    assert found["headline above"] >= 9


def test_a_text_with_no_headline_keeps_its_first_paragraphs_units(found):
    assert found["as given"] == found["headline above"]
