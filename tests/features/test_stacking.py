"""PredictedLabelVectorizer: no training unit's stacked scores come from a model that saw its document.

The inner classifier here is a spy. Its features are the document of each unit (a code per
document id), so it knows which documents it was fitted on; each fitted spy gets a number, and
it writes that number into the scores it gives, so every row of the stacked features says which
inner model scored it.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.pipeline import Pipeline

from mining.features.stacking import PredictedLabelVectorizer
from mining.nlp.sharing import sharing

DOCUMENTS = ("cars", "homework", "bridge")  # the documents of tests/features/conftest.py


def _dense(X) -> np.ndarray:
    return X.toarray() if sp.issparse(X) else np.asarray(X)


class DocumentCode(TransformerMixin, BaseEstimator):
    """One column: the position of the unit's document in DOCUMENTS."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.array([[DOCUMENTS.index(inst.document.id)] for inst in X], dtype=float)


class SpyModel(ClassifierMixin, BaseEstimator):
    """Records the documents each fitted copy saw; its first score column is ``(number + 1) / 64``."""

    fitted: list[frozenset[str]] = []  # documents seen, by the number of the fitted copy

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.number_ = len(SpyModel.fitted)
        SpyModel.fitted.append(frozenset(DOCUMENTS[int(code)] for code in _dense(X)[:, 0]))
        return self

    def predict_proba(self, X):
        first = (self.number_ + 1) / 64
        proba = np.full((_dense(X).shape[0], len(self.classes_)), (1 - first) / (len(self.classes_) - 1))
        proba[:, 0] = first
        return proba

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class Recorder(ClassifierMixin, BaseEstimator):
    """The outer classifier: keeps the feature matrix the outer pipeline trained it on."""

    def fit(self, X, y):
        self.X_ = X.toarray()
        self.classes_ = np.unique(y)
        return self


def _scorers(matrix: np.ndarray, column: int) -> list[int]:
    """The number of the inner model that wrote each row's scores (in ``column``)."""
    return [round(value * 64) - 1 for value in matrix[:, column]]


@pytest.fixture
def spy():
    SpyModel.fitted = []
    return PredictedLabelVectorizer(features=DocumentCode(), model=SpyModel(), positions=("self", "prev", "next"))


def test_training_units_are_scored_by_models_that_never_saw_their_document(spy, unit_instances):
    labels = [inst.unit.label for inst in unit_instances]
    matrix = spy.fit_transform(unit_instances, labels).toarray()
    names = spy.get_feature_names_out().tolist()
    # Three documents, so three folds (one per document), then the full model.
    assert len(SpyModel.fitted) == 4 and SpyModel.fitted[-1] == frozenset(DOCUMENTS)
    scorers = _scorers(matrix, names.index(f"self:{spy.classes_[0]}"))
    for inst, number in zip(unit_instances, scorers):
        assert number < 3, "a training unit was scored by the model fitted on every document"
        assert inst.document.id not in SpyModel.fitted[number]
        assert SpyModel.fitted[number] == frozenset(DOCUMENTS) - {inst.document.id}  # the others' units
    # A neighbour's scores are the out-of-fold scores of the neighbour, from the same document.
    for position in ("prev", "next"):
        column, has = names.index(f"{position}:{spy.classes_[0]}"), names.index(f"has_{position}")
        for inst, row in zip(unit_instances, matrix):
            if row[has]:
                (number,) = _scorers(row[None, :], column)
                assert inst.document.id not in SpyModel.fitted[number]


def test_the_outer_pipeline_trains_on_out_of_fold_scores(spy, unit_instances):
    labels = [inst.unit.label for inst in unit_instances]
    outer = Pipeline([("stack", spy), ("model", Recorder())]).fit(unit_instances, labels)
    scorers = _scorers(outer.named_steps["model"].X_, 0)
    assert all(inst.document.id not in SpyModel.fitted[n] for inst, n in zip(unit_instances, scorers))


def test_new_units_are_scored_by_the_model_fitted_on_every_training_unit(spy, unit_instances):
    train = [inst for inst in unit_instances if inst.document.id != "bridge"]
    test = [inst for inst in unit_instances if inst.document.id == "bridge"]
    spy.fit(train, [inst.unit.label for inst in train])
    full = len(SpyModel.fitted) - 1
    assert SpyModel.fitted[full] == frozenset({"cars", "homework"}) and spy.classifier_.steps[1][1].number_ == full
    assert _scorers(spy.transform(test).toarray(), 0) == [full] * len(test)
    # The training units themselves, once fitted, are scored by the full model too (as test data would be).
    assert _scorers(spy.transform(train).toarray(), 0) == [full] * len(train)


def test_within_one_fit_an_equal_vectorizer_on_the_same_units_takes_the_first_ones_fit(spy, unit_instances):
    """A relation model's source and target sides: the same units in another order, fitted once."""
    spy.set_params(share_fit=True)
    other = spy.__class__(**spy.get_params(deep=False))  # equal parameters, another object
    backwards = unit_instances[::-1]
    with sharing():
        first = spy.fit_transform(unit_instances).toarray()
        second = other.fit_transform(backwards).toarray()
        assert len(SpyModel.fitted) == 4, "the second vectorizer fitted again"
        assert other.classifier_ is spy.classifier_
        np.testing.assert_array_equal(second, first[::-1])
        # Other parameters or other units: a fit of their own.
        spy.set_params(random_state=1).fit(unit_instances)
        assert len(SpyModel.fitted) == 8
        other.fit(unit_instances[1:])
        assert len(SpyModel.fitted) == 12
    other.fit(backwards)  # outside a block every fit is a fit
    assert len(SpyModel.fitted) == 16
    with sharing():  # and without share_fit, inside one too
        spy.set_params(random_state=0, share_fit=False).fit(unit_instances)
        other.set_params(share_fit=False).fit(backwards)
    assert len(SpyModel.fitted) == 24
