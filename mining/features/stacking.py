"""Stacked evidence: out-of-fold class scores of a unit classifier, for a unit itself or its neighbours."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.model_selection import cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.evaluation.splits import document_folds
from mining.instances.units import UnitInstance
from mining.nlp.sharing import fit_once, reuse_rows, transform_reusing_rows
from mining.progress import note

POSITIONS = ("self", "prev", "next")


class PredictedLabelVectorizer(TransformerMixin, BaseEstimator):
    """Class probabilities of a unit classifier (``features`` + ``model``) trained on gold unit fields.

    Joint modelling the scikit-learn way (as ``StackingClassifier`` does): while the outer pipeline
    is fitted, each training unit gets scores from inner models that never saw its document
    (``cross_val_predict`` grouped by document); at prediction time the inner model fitted on all
    training units scores the new units. So a relation model can use *predicted* component types of
    its source and target (Stab & Gurevych 2017, sec. 5.2, without gold types), and a component
    model can use the predicted types of the neighbouring units.

    Parameters
    ----------
    features : transformer, default=None
        Feature extractor for the inner classifier (cloned); required.
    model : classifier, default=None
        Inner classifier with ``predict_proba`` (cloned); required.
    field : str, default="label"
        The gold field of ``Unit`` the inner classifier learns (``label`` or ``stance``).
    positions : sequence of {"self", "prev", "next"}, default=("self",)
        Whose scores become columns: the unit's own, or its previous/next unit in the paragraph
        (zeros, and a 0 in ``has_<position>``, when there is none).
    n_splits : int, default=5
        Folds of the inner, document-grouped cross-validation.
    random_state : int, default=0
        Seed of the fold assignment.
    share_fit : bool, default=False
        Inside a ``sharing()`` block (``run_experiment`` opens one per fit), take the fitted
        classifier and out-of-fold scores of an equal vectorizer already fitted there on the same
        units (``mining.nlp.sharing.fit_once``): a relation model's source and target sides. The
        units come in another order, so the two fits sum in another order: at ``tol=1e-10`` the
        AAEC relation and miner runs keep every prediction, but at scikit-learn's ``tol=1e-4``
        (``news_miner``) one test pair of 238 changed its label, so sharing is asked for where it was checked.

    Attributes
    ----------
    classifier_ : Pipeline
        The inner classifier fitted on every training unit.
    classes_ : ndarray of str
        Its classes, in column order.
    """

    share_fit = False  # models saved before the parameter existed load without it

    def __init__(self, *, features=None, model=None, field="label", positions=("self",), n_splits=5, random_state=0,
                 share_fit=False):
        self.features = features
        self.model = model
        self.field = field
        self.positions = positions
        self.n_splits = n_splits
        self.random_state = random_state
        self.share_fit = share_fit

    def _classifier(self) -> Pipeline:
        if self.features is None or self.model is None:
            raise UsageError("PredictedLabelVectorizer needs both `features` and `model`")
        unknown = set(self.positions) - set(POSITIONS)
        if unknown:
            raise UsageError(f"unknown positions {sorted(unknown)} (known: {', '.join(POSITIONS)})")
        return Pipeline([("features", clone(self.features)), ("model", clone(self.model))])

    def fit(self, X: Sequence[UnitInstance], y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Sequence[UnitInstance], y=None) -> sp.csr_matrix:
        X = list(X)
        if self.share_fit:  # an equal vectorizer on the same units (a relation model's other side)
            self.classifier_, scores = fit_once(self, X, lambda: self._fit_scores(X))
        else:
            self.classifier_, scores = self._fit_scores(X)
        self.classes_ = np.asarray(self.classifier_.classes_, dtype=str)
        return self._arrange(X, scores)

    def _fit_scores(self, X: list[UnitInstance]) -> tuple[Pipeline, np.ndarray]:
        """The classifier fitted on every unit with a gold field, and the out-of-fold scores of each unit."""
        labels = [getattr(inst.unit, self.field) for inst in X]
        keep = [i for i, label in enumerate(labels) if label is not None]
        units = [X[i] for i in keep]
        gold = [labels[i] for i in keep]
        groups = [inst.document.id for inst in units]
        cv = document_folds(self.n_splits, groups, self.random_state)
        scores = np.zeros((len(X), len(set(gold))))
        note(f"stacking: {cv.n_splits}-fold out-of-fold {self.field} scores of {len(units)} units")
        scores[keep] = cross_val_predict(self._classifier(), units, gold, groups=groups, cv=cv,
                                         method="predict_proba")
        return self._classifier().fit(units, gold), scores

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        # The inner features go through transform_reusing_rows: a relation model's source and target
        # sides hold two such vectorizers, fitted on the same units to the same features.
        (_, features), (_, model) = self.classifier_.steps  # see _classifier
        return self._arrange(X, model.predict_proba(transform_reusing_rows(features, list(X))))

    def _arrange(self, X: Sequence[UnitInstance], scores: np.ndarray) -> sp.csr_matrix:
        row_of = {(inst.document.id, inst.unit.id): r for r, inst in enumerate(X)}
        blocks = []
        for position in self.positions:
            if position == "self":
                blocks.append(scores)
                continue
            block = np.zeros((len(X), scores.shape[1] + 1))
            for r, inst in enumerate(X):
                neighbour = getattr(inst, position)
                row = row_of.get((inst.document.id, neighbour.id)) if neighbour is not None else None
                if row is not None:
                    block[r, :-1] = scores[row]
                    block[r, -1] = 1.0
            blocks.append(block)
        return sp.csr_matrix(np.hstack(blocks))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        names = []
        for position in self.positions:
            names += [f"{position}:{c}" for c in self.classes_]
            if position != "self":
                names.append(f"has_{position}")
        return np.asarray(names, dtype=object)
