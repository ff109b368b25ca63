"""The counts of mining data stats leave nothing out."""

from __future__ import annotations

from mining.dataset.stats import corpus_stats, format_stats
from mining.schema import Document, Unit

TEXT = "Cats are better pets. They sleep all day."


def test_a_stance_that_is_none_of_the_schemas_is_counted_under_its_name():
    """Stats does not validate: a unit label outside the schema was counted, but a stance outside it was dropped from
    the counts without a word (15 stances read as for=11 against=3)."""
    units = [Unit("T1", 0, 20, TEXT[:20], "claim", stance="for"),
             Unit("T2", 22, 40, TEXT[22:40], "claim", stance="sideways"),
             Unit("T3", 22, 25, TEXT[22:25], "banana", stance="against")]
    stats = corpus_stats([Document("d1", TEXT, units=units)])
    assert stats["units"] == {"banana": 1, "claim": 2}
    assert stats["stance"] == {"for": 1, "against": 1, "sideways": 1}
    assert "stance     for=1  against=1  sideways=1" in format_stats(stats).splitlines()
    assert corpus_stats([Document("d1", TEXT)])["stance"] == {"for": 0, "against": 0}
