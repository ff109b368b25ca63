"""Eger et al.'s end-to-end scoring: the boundary cases that tell it from ours."""

from __future__ import annotations

import pytest

from mining.evaluation.eger import EGER_LEVELS, TokenAnnotation, eger_matches, eger_scores, micro_f1


def ann(*units, relations=()):
    return TokenAnnotation([(s, e) for s, e, _ in units], [label for _, _, label in units], list(relations))


def test_levels_are_eger_ratios():
    assert EGER_LEVELS == {"exact": 0.999, "overlap50": 0.5}


def test_exactly_half_is_not_a_match():
    gold = ann((0, 4, "claim"))
    assert eger_matches(gold, ann((0, 2, "claim")), 0.5) == []          # 2 / 4 = 0.5, not above
    assert eger_matches(gold, ann((0, 3, "claim")), 0.5) == [(0, 0)]    # 3 / 4


def test_overlap_is_over_the_longer_span():
    # 2 shared tokens: all of the gold span, but 2 / 5 of the longer predicted one
    assert eger_matches(ann((0, 2, "claim")), ann((0, 5, "claim")), 0.5) == []
    assert eger_matches(ann((0, 5, "claim")), ann((0, 2, "claim")), 0.5) == []
    assert eger_matches(ann((0, 3, "claim")), ann((0, 5, "claim")), 0.5) == [(0, 0)]  # 3 / 5


def test_type_must_be_the_same():
    assert eger_matches(ann((0, 4, "claim")), ann((0, 4, "premise")), 0.5) == []


def test_a_prediction_matches_at_most_one_gold():
    gold = ann((0, 4, "claim"), (0, 4, "claim"))
    s = eger_scores([(gold, ann((0, 4, "claim")))])
    assert s["components.eger.overlap50.n_matched"] == 1
    assert s["components.eger.exact.n_matched"] == 1
    assert s["components.eger.overlap50.recall"] == 0.5
    # and a gold component at most one prediction
    s = eger_scores([(ann((0, 4, "claim")), ann((0, 4, "claim"), (0, 4, "claim")))])
    assert s["components.eger.overlap50.n_matched"] == 1 and s["components.eger.overlap50.precision"] == 0.5


def test_the_best_ratio_is_taken_first():
    # prediction 0 overlaps gold 1 better than gold 0 would be able to (overlapping gold, as in a merge)
    gold = ann((0, 6, "claim"), (2, 6, "claim"))
    assert eger_matches(gold, ann((2, 6, "claim")), 0.5) == [(1, 0)]


def test_exact_level_needs_the_same_tokens():
    s = eger_scores([(ann((0, 4, "claim"), (5, 9, "premise")), ann((0, 4, "claim"), (5, 8, "premise")))])
    assert s["components.eger.exact.n_matched"] == 1
    assert s["components.eger.exact.micro_f1"] == 0.5
    assert s["components.eger.overlap50.micro_f1"] == 1.0


def test_f1_is_micro_over_all_components_of_all_documents():
    doc1 = (ann((0, 2, "premise"), (3, 5, "premise"), (6, 8, "premise")),
            ann((0, 2, "premise"), (3, 5, "premise"), (6, 8, "premise")))
    doc2 = (ann((0, 4, "claim")), ann((5, 9, "claim")))
    s = eger_scores([doc1, doc2])
    # TP 3, FP 1, FN 1: 6 / 8; a mean over the types (premise 1.0, claim 0.0) would say 0.5
    assert s["components.eger.overlap50.micro_f1"] == pytest.approx(0.75)
    assert s["components.eger.n_gold"] == 4 and s["components.eger.n_predicted"] == 4


def test_micro_f1_formula():
    assert micro_f1(3, 1, 2) == pytest.approx(6 / 9)
    assert micro_f1(0, 0, 0) == 0.0


def test_a_relation_counts_only_when_both_components_match_and_label_is_the_same():
    gold = ann((0, 4, "claim"), (5, 9, "premise"), relations=[(1, 0, "supports")])
    near = ann((0, 4, "claim"), (5, 8, "premise"), relations=[(1, 0, "supports")])
    s = eger_scores([(gold, near)])
    assert s["relations.eger.overlap50.micro_f1"] == 1.0
    assert s["relations.eger.exact.micro_f1"] == 0.0     # the premise is off by one token
    wrong_label = ann((0, 4, "claim"), (5, 9, "premise"), relations=[(1, 0, "attacks")])
    assert eger_scores([(gold, wrong_label)])["relations.eger.overlap50.n_matched"] == 0
    wrong_type = ann((0, 4, "claim"), (5, 9, "claim"), relations=[(1, 0, "supports")])
    assert eger_scores([(gold, wrong_type)])["relations.eger.overlap50.n_matched"] == 0
    half = ann((0, 4, "claim"), (5, 7, "premise"), relations=[(1, 0, "supports")])  # 2 / 4: no match
    assert eger_scores([(gold, half)])["relations.eger.overlap50.n_matched"] == 0
