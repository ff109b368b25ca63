"""Learn to reject segmenter output that is no unit: out-of-fold predicted spans as negative examples of a type classifier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.evaluation.spans import overlap_ratio
from mining.evaluation.splits import document_folds
from mining.instances.units import UnitInstance, build_unit_instances, documents_of
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
    """

    def __init__(self, *, estimator=None, segmenter=None, segmentation=None, reject="none", n_splits=5,
                 random_state=0):
        self.estimator = estimator
        self.segmenter = segmenter
        self.segmentation = segmentation
        self.reject = reject
        self.n_splits = n_splits
        self.random_state = random_state

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
        task = self.segmentation
        docs = [d for d, _ in documents]
        parsed = [p for _, p in documents]
        out: dict[str, list[tuple[int, int]]] = {}
        if min(self.n_splits, len(docs)) < 2:
            return out
        groups = [d.id for d in docs]
        folds = document_folds(self.n_splits, groups, self.random_state)
        steps = Steps("components: out-of-fold segmenter", folds.n_splits, "fold")
        for train, held_out in folds.split(docs, groups=groups):
            tokens = task.build_instances([docs[i] for i in train], [parsed[i] for i in train])
            model = clone(self.segmenter).fit(tokens, task.gold_labels(tokens))
            tokens = task.build_instances([docs[i] for i in held_out], [parsed[i] for i in held_out])
            spans = task.predicted_spans(model, tokens)
            for i in held_out:
                doc = docs[i]
                gold = [(u.start, u.end) for u in doc.units if not u.implicit]
                out[doc.id] = [span for span in spans.get(doc.id, []) if all(overlap_ratio(span, g) < 0.5 for g in gold)]
            steps.done()
        return out

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.estimator_.decision_function(X)
