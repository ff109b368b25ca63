"""Learn the stance of claims from the premises of their holders too: a party keeps one side through a report."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.evaluation.holders import normalise_holder
from mining.instances.units import UnitInstance, build_unit_instances


class HolderSideClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A stance classifier that also learns from the premises of the parties whose claims it is given.

    A news report has few claims with a stance (about three per report), but its parties keep one
    side throughout it, and the reasons a party gives sound like its side. ``fit`` therefore adds,
    for every training document, each unit whose label is in ``unit_labels`` and whose holder has
    claims among the training instances: labelled with the stance most of that holder's claims in
    the document have. Only the instances and labels given to ``fit`` are read, so in a CV fold
    nothing comes from the test documents. ``predict`` is the inner estimator's, on claims only.

    Parameters
    ----------
    estimator : classifier over UnitInstances, default=None
        Usually a Pipeline of feature extractors and a classifier.
    unit_labels : sequence of str, default=("premise",)
        The labels of the units that take their holder's side as extra training rows.

    Attributes
    ----------
    estimator_ : the fitted inner estimator
    n_added_ : int
        How many units were added to the training rows.
    """

    def __init__(self, *, estimator=None, unit_labels=("premise",)):
        self.estimator = estimator
        self.unit_labels = unit_labels

    def fit(self, X: Sequence[UnitInstance], y=None):
        if self.estimator is None:
            raise UsageError(f"{type(self).__name__} needs an estimator")
        X, y = list(X), list(y)
        sides: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for inst, label in zip(X, y):
            sides[inst.document.id, normalise_holder(inst.unit.holder or "")][label] += 1
        added, added_labels = [], []
        for doc, parsed in {id(inst.document): (inst.document, inst.parsed) for inst in X}.values():
            for inst in build_unit_instances(doc, parsed):
                side = sides.get((doc.id, normalise_holder(inst.unit.holder or "")))
                if inst.unit.label in self.unit_labels and inst.unit.holder and side:
                    added.append(inst)
                    added_labels.append(side.most_common(1)[0][0])
        self.n_added_ = len(added)
        self.estimator_ = clone(self.estimator).fit(X + added, y + added_labels)
        self.classes_ = np.asarray(self.estimator_.classes_)
        return self

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)
