"""The news measures on found units: detection by coverage, then labels, holders and stances, by hand."""

from __future__ import annotations

import pytest

from mining.evaluation.documents import compare_documents, format_comparison
from mining.evaluation.found import coverage, covered_pairs
from mining.schema import Document, Unit

# A narration sentence, a reported claim, a quoted premise, an evaluation in the reporter's verb.
TEXT = ('Talks resumed on Monday. Varga said the truce must hold. "Maps do not stop guns," Mensk said. '
        'Critics called the deal weak.')


def _unit(uid: str, phrase: str, label: str, *, stance: str | None = None, holder: str | None = "author") -> Unit:
    start = TEXT.index(phrase)
    return Unit(uid, start, start + len(phrase), phrase, label, stance=stance, holder=holder)


def _doc(*units: Unit) -> Document:
    return Document(id="n1", text=TEXT, paragraphs=[(0, len(TEXT))], topic="The truce should hold", units=list(units))


def gold() -> Document:
    return _doc(_unit("G1", "the truce must hold", "claim", stance="for", holder="Ilse Varga"),
                _unit("G2", "Maps do not stop guns", "premise", holder="Dario Mensk"),
                _unit("G3", "weak", "claim", stance="against", holder="critics"))


def naive() -> Document:
    """Every sentence a claim by the author, no stance: what benchmarks/news_baselines.py predicts."""
    return _doc(*(_unit(f"P{i}", s, "claim") for i, s in enumerate((
        "Talks resumed on Monday.", "Varga said the truce must hold.", '"Maps do not stop guns," Mensk said.',
        "Critics called the deal weak."))))


def test_coverage_is_the_share_of_the_gold_span():
    assert coverage((10, 20), (0, 15)) == 0.5
    assert coverage((10, 20), (0, 100)) == 1.0
    assert coverage((10, 20), (20, 30)) == 0.0


def test_one_prediction_finds_one_unit_and_half_is_enough():
    assert covered_pairs([(0, 4), (5, 9)], [(0, 9)]) == [(0, 0)]  # the second unit is not found
    assert covered_pairs([(0, 10)], [(5, 12)]) == [(0, 0)]        # exactly half
    assert covered_pairs([(0, 10)], [(6, 12)]) == []
    # the tighter of two covering predictions takes the unit
    assert covered_pairs([(5, 10)], [(0, 20), (5, 11)]) == [(0, 1)]


def test_naive_labeller_by_hand():
    scores = compare_documents([gold()], [naive()])
    # 3 of 3 gold units covered by a sentence; the narration sentence is a false positive
    assert scores["units.cover50.recall"] == 1.0 and scores["units.cover50.precision"] == 0.75
    assert scores["units.cover50.f1"] == pytest.approx(6 / 7)
    # claim: 2 correct of 3 predicted claims and 2 gold (F1 0.8); premise: never predicted (F1 0)
    assert scores["found.labels.claim.f1"] == pytest.approx(0.8)
    assert scores["found.labels.premise.f1"] == 0.0
    assert scores["found.labels.macro_f1"] == pytest.approx(0.4) and scores["found.labels.n"] == 3
    assert scores["found.holder.accuracy"] == 0.0 and scores["found.holder.n"] == 3
    # both found claims have a stance; no stance predicted: for and against both F1 0
    assert scores["found.stance.macro_f1"] == 0.0 and scores["found.stance.n"] == 2
    assert "claim/premise    macro F1 0.400 (n=3)" in format_comparison(scores)


def test_labels_holders_and_stances_on_found_units():
    predicted = _doc(_unit("P1", "Varga said the truce must hold", "major_claim", stance="for", holder="Varga"),
                     _unit("P2", "Maps do not stop", "premise", holder="Mensk"),   # 16 of 21 characters
                     _unit("P3", "the deal weak", "premise", stance="against", holder="critics"))
    scores = compare_documents([gold()], [predicted])
    assert scores["units.cover50.f1"] == 1.0
    # major_claim counts as claim; G3 predicted as premise: claim F1 2/3, premise F1 2/3
    assert scores["found.labels.macro_f1"] == pytest.approx(2 / 3)
    # "Varga" names Ilse Varga, "Mensk" Dario Mensk
    assert scores["found.holder.accuracy"] == 1.0
    # G1 for -> for; G3 against -> a premise has no stance toward the topic: a miss
    assert scores["found.stance.for.f1"] == 1.0 and scores["found.stance.against.f1"] == 0.0
    assert scores["found.stance.macro_f1"] == 0.5


def test_a_short_prediction_does_not_find_the_unit():
    predicted = _doc(_unit("P1", "the truce", "claim", stance="for"))  # 9 of 19 characters
    scores = compare_documents([gold()], [predicted])
    assert scores["units.cover50.n_matched"] == 0 and scores["units.cover50.precision"] == 0.0
    assert scores["found.labels.n"] == scores["found.stance.n"] == scores["found.holder.n"] == 0
