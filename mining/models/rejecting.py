"""Learn to reject segmenter output that is no unit: out-of-fold predicted spans as negative examples of a type
classifier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.evaluation.spans import overlap_ratio
from mining.evaluation.splits import document_folds
from mining.forks import map_forked
from mining.instances.units import UnitInstance, build_unit_instances, documents_of
from mining.models.decoding import score_columns
from mining.progress import Steps
from mining.schema import Unit


class SegmentRejectingClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A unit-type classifier that also learns the label ``reject`` for spans a segmenter finds wrongly.

    Labelling raw text types the spans a segmenter proposes, and some of them are no unit at all
    (a fragment of a non-argumentative sentence). Trained on gold units alone, a type classifier
    has never seen such spans. ``fit`` therefore runs the segmenter out of fold over the training
    documents (``n_splits`` folds grouped by document: each document's spans come from a segmenter
    that never saw it) and adds every predicted span that matches no gold unit with at least 50%
    overlap as an instance labelled ``reject``, among the gold units of its document. Only the
    training documents given to ``fit`` are used, so nothing leaks from a test fold.

    Parameters
    ----------
    estimator : classifier over UnitInstances, default=None
        Usually a Pipeline of feature extractors and a classifier.
    segmenter : classifier over TokenInstances, default=None
        The segmentation pipeline (features and model), cloned and fitted per fold.
    segmentation : SegmentationTask, default=None
        Builds the token instances and gold tags and decodes predicted tags into spans.
    reject : str, default="none"
    n_splits : int, default=5
    random_state : int, default=0
        Seeds the shuffled GroupKFold.
    n_jobs : int, default=1
        The out-of-fold segmenters fitted that many at a time, each in a forked process
        (:func:`mining.forks.map_forked`); the spans are the same.
    """

    n_jobs = 1  # models saved before the parameter existed load without it

    def __init__(self, *, estimator=None, segmenter=None, segmentation=None, reject="none", n_splits=5,
                 random_state=0, n_jobs=1):
        self.estimator = estimator
        self.segmenter = segmenter
        self.segmentation = segmentation
        self.reject = reject
        self.n_splits = n_splits
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X: Sequence[UnitInstance], y=None):
        if self.estimator is None or self.segmenter is None or self.segmentation is None:
            raise UsageError(f"{type(self).__name__} needs an estimator, a segmenter and a segmentation task")
        documents = documents_of(X)
        false_spans = self._false_spans(documents)
        instances, labels = [], []
        for doc, parsed in documents:
            wrong = [Unit(id=f"{self.reject}-{i}", start=a, end=b, text=doc.text[a:b], label=self.reject)
                     for i, (a, b) in enumerate(false_spans.get(doc.id, []), start=1)]
            for inst in build_unit_instances(doc, parsed, [*doc.units, *wrong]):
                instances.append(inst)
                labels.append(inst.unit.label)
        self.n_rejected_ = sum(label == self.reject for label in labels)
        self.estimator_ = clone(self.estimator).fit(instances, labels)
        self.classes_ = np.asarray(self.estimator_.classes_)
        return self

    def _false_spans(self, documents: list[tuple[Any, Any]]) -> dict[str, list[tuple[int, int]]]:
        """Out-of-fold predicted spans (edge punctuation trimmed) that match no gold unit, by document id."""
        docs = [d for d, _ in documents]
        if min(self.n_splits, len(docs)) < 2:
            return {}
        groups = [d.id for d in docs]
        folds = list(document_folds(self.n_splits, groups, self.random_state).split(docs, groups=groups))
        steps = Steps("components: out-of-fold segmenter", len(folds), "fold")
        found = map_forked(_fold_false_spans, folds, self.n_jobs, (self.segmentation, self.segmenter, documents),
                           done=lambda _: steps.done())
        return {doc_id: spans for fold in found for doc_id, spans in fold.items()}

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.estimator_.decision_function(X)


def _fold_false_spans(shared: tuple, fold: tuple) -> dict[str, list[tuple[int, int]]]:
    """The false spans of a fold's held-out documents, from a clone of the segmenter fitted on its training ones."""
    task, segmenter, documents = shared
    train, held_out = fold
    tokens = task.build_instances([documents[i][0] for i in train], [documents[i][1] for i in train])
    model = clone(segmenter).fit(tokens, task.gold_labels(tokens))
    tokens = task.build_instances([documents[i][0] for i in held_out], [documents[i][1] for i in held_out])
    spans = task.predicted_spans(model, tokens)
    out = {}
    for i in held_out:
        doc = documents[i][0]
        gold = [(u.start, u.end) for u in doc.units if not u.implicit]
        out[doc.id] = [span for span in spans.get(doc.id, []) if all(overlap_ratio(span, g) < 0.5 for g in gold)]
    return out


class TypesAfterRejection(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A rejecting type classifier whose types come from a second classifier fitted on the units alone.

    ``estimator`` (a Pipeline: features, then a classifier) is fitted as it is on the units and the
    rejected spans (labelled ``reject``); a clone of its classifier is fitted on the same feature rows
    of the units only, so that the spans it rejects do not move the boundaries between the types. A row
    the first classifier rejects keeps its scores; any other row takes the second classifier's scores,
    with a ``reject`` score one below its lowest, so that it is never rejected.

    Parameters
    ----------
    estimator : Pipeline, default=None
        Features, then a classifier with ``decision_function``.
    reject : str, default="none"

    Attributes
    ----------
    features_, classifier_, typer_ : the fitted features, the classifier of every label and the one of the types
    classes_ : ndarray of str
    """

    def __init__(self, *, estimator=None, reject="none"):
        self.estimator = estimator
        self.reject = reject

    def fit(self, X: Sequence[UnitInstance], y: Sequence[str]):
        if self.estimator is None or not hasattr(self.estimator, "steps"):
            raise UsageError(f"{type(self).__name__} needs a Pipeline of features and a classifier")
        y = np.asarray(y)
        self.features_ = clone(self.estimator[:-1])
        rows = self.features_.fit_transform(list(X), y)
        self.classifier_ = clone(self.estimator[-1]).fit(rows, y)
        units = [i for i, label in enumerate(y) if label != self.reject]
        if len(np.unique(y[units])) < 2:
            raise UsageError(f"{type(self).__name__} needs two unit labels or more besides {self.reject!r}; got "
                             f"{np.unique(y[units]).tolist()}")
        self.typer_ = clone(self.estimator[-1]).fit(rows[units], y[units])
        self.classes_ = np.asarray(self.classifier_.classes_)
        return self

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self)
        rows = self.features_.transform(list(X))
        scores, types = (score_columns(model.decision_function(rows)) for model in (self.classifier_, self.typer_))
        rejected = self.classes_[np.argmax(scores, axis=1)] == self.reject
        typed = np.empty_like(scores)
        columns = [list(self.classes_).index(c) for c in self.typer_.classes_]
        typed[:, columns] = types
        if self.reject in self.classes_:
            typed[:, list(self.classes_).index(self.reject)] = types.min(axis=1) - 1.0
        out = np.where(rejected[:, None], scores, typed)
        # Two classes (no reject among them): one score, positive for the second class, as scikit-learn gives.
        return out[:, 1] - out[:, 0] if len(self.classes_) == 2 else out

    def predict(self, X) -> np.ndarray:
        scores = score_columns(self.decision_function(X))
        return self.classes_[np.argmax(scores, axis=1)]
