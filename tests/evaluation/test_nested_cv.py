"""Nested CV: the inner choice never sees an outer test document, and the outer fold is scored once with it.

A tiny synthetic task (no spaCy): each document has three instances whose label is known; a spy estimator
records the documents of every fit and every prediction, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from mining.errors import UsageError
from mining.evaluation.splits import GroupedCV, NestedCV
from mining.experiment import run_nested, run_subtasks
from mining.schema import Document


@dataclass(eq=False)
class Item:
    document: Document
    label: str


class ToyTask:
    name = "toy"
    labels = ("a", "b")

    def build_instances(self, docs, parsed):
        return [Item(d, "a" if (k + int(d.id[1:])) % 3 else "b") for d in docs for k in range(3)]

    def gold_labels(self, instances):
        return [i.label for i in instances]

    def predict(self, estimator, instances):
        return [str(p) for p in estimator.predict(instances)]

    def apply_predictions(self, docs, instances, predicted):
        return [Document(id=d.id, text=d.text) for d in docs if d.id in {i.document.id for i in instances}]

    def extra_scores(self, instances, gold, predicted):
        return {}


class Spy(ClassifierMixin, BaseEstimator):
    """``skill="oracle"`` predicts the gold label, ``"constant"`` always the first class it saw."""

    log: list = []

    def __init__(self, skill: str = "constant"):
        self.skill = skill

    def fit(self, X, y):
        self.first_ = sorted(set(y))[0]
        Spy.log.append(("fit", self.skill, frozenset(i.document.id for i in X)))
        return self

    def predict(self, X):
        Spy.log.append(("predict", self.skill, frozenset(i.document.id for i in X)))
        return np.array([i.label if self.skill == "oracle" else self.first_ for i in X], dtype=object)


DOCS = [Document(id=f"d{k}", text=f"text {k}") for k in range(12)]
CANDIDATES = {"constant": Spy("constant"), "oracle": Spy("oracle")}


def test_inner_folds_are_folds_of_the_outer_training_documents():
    cv = NestedCV(n_splits=4, n_repeats=2, inner_splits=3)
    for outer in cv.folds(DOCS, seed=0):
        inner = cv.inner_folds(DOCS, outer, seed=0)
        assert len(inner) == 3
        assert frozenset().union(*(f.test for f in inner)) == outer.train  # every training doc scored once
        for fold in inner:
            assert not (fold.train | fold.test) & outer.test
            assert not fold.train & fold.test


def test_no_inner_fit_or_prediction_sees_an_outer_test_document():
    Spy.log.clear()
    cv = NestedCV(n_splits=4, n_repeats=2, inner_splits=3)
    result = run_nested(docs=DOCS, parsed=[None] * len(DOCS), task=ToyTask(), candidates=CANDIDATES,
                        evaluation=cv, seed=0)
    outer = list(cv.folds(DOCS, seed=0))
    assert result.folds == outer
    per_outer = 2 * 3 * 2 + 2  # candidates x inner folds x (fit, predict), then the outer fit and predict
    assert len(Spy.log) == len(outer) * per_outer + 1  # + the final model
    for k, fold in enumerate(outer):
        calls = Spy.log[k * per_outer:(k + 1) * per_outer]
        for _, _, seen in calls[:-2]:  # the inner choice
            assert seen <= fold.train and not seen & fold.test
        assert calls[-2] == ("fit", "oracle", fold.train)  # the chosen setting, on the outer training docs
        assert calls[-1] == ("predict", "oracle", fold.test)  # scored once on the outer test docs
    assert result.metrics["nested.chosen"] == ["oracle"] * len(outer)
    assert result.metrics["nested.final_choice"] == "oracle"
    assert result.metrics["nested.macro_f1.mean"] == 1.0
    assert result.metrics["nested.n_folds"] == 8
    assert all(s["oracle"] == 1.0 and s["constant"] < 1.0 for s in result.metrics["nested.inner_scores"])


def test_a_tie_goes_to_the_first_candidate_and_subtasks_choose_apart():
    Spy.log.clear()
    cv = NestedCV(n_splits=3, inner_splits=2)
    result = run_subtasks(docs=DOCS, parsed=[None] * len(DOCS), seed=1, evaluation=cv, subtasks={
        "same": (ToyTask(), {"first": Spy("constant"), "second": Spy("constant")}),
        "better": (ToyTask(), {"first": Spy("constant"), "second": Spy("oracle")}),
    })
    assert result.metrics["nested.same.chosen"] == ["first"] * 3
    assert result.metrics["nested.better.chosen"] == ["second"] * 3


def test_bad_settings_name_what_to_change():
    with pytest.raises(UsageError, match="needs at least one candidate"):
        run_nested(docs=DOCS, parsed=[None] * 12, task=ToyTask(), candidates={}, evaluation=NestedCV(), seed=0)
    with pytest.raises(UsageError, match="inner_metric='accuracy_at_3' is not a score"):
        run_nested(docs=DOCS, parsed=[None] * 12, task=ToyTask(), candidates=CANDIDATES,
                   evaluation=NestedCV(n_splits=3, inner_splits=2, inner_metric="accuracy_at_3"), seed=0)
    with pytest.raises(UsageError, match="inner CV: n_splits=9: 6 documents make 2 to 6 folds.*inner_splits"):
        NestedCV(n_splits=2, inner_splits=9).inner_folds(DOCS, next(GroupedCV(n_splits=2).folds(DOCS, 0)), 0)
