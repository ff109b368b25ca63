"""matched_pairs: the one-to-one matching that match_spans counts, as index pairs."""

from __future__ import annotations

from mining.evaluation.spans import match_spans, matched_pairs


def test_exact_pairs_identical_spans_once():
    assert matched_pairs([(0, 4), (5, 9)], [(5, 9), (0, 3)]) == [(1, 0)]
    assert matched_pairs([(0, 4), (0, 4)], [(0, 4)]) == [(0, 0)]


def test_overlap_pairs_are_greedy_best_first():
    # (0, 4) overlaps (0, 2) and (2, 4) by exactly one half each: the first (leftmost, when sorted) wins
    assert matched_pairs([(0, 4)], [(0, 2), (2, 4)], threshold=0.5) == [(0, 0)]
    # gold (0, 8) would take (4, 8) at 1/2, but (4, 8) matches gold (4, 8) at 1: best ratio first
    assert matched_pairs([(0, 8), (4, 8)], [(4, 8), (0, 4)], threshold=0.5) == [(0, 1), (1, 0)]


def test_match_spans_counts_the_pairs():
    gold, predicted = [(0, 4), (6, 10), (12, 20)], [(0, 4), (6, 9), (30, 40)]
    for threshold in (None, 0.5):
        assert match_spans(gold, predicted, threshold) == len(matched_pairs(gold, predicted, threshold))
