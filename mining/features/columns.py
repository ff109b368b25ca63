"""Extractors whose columns are a fixed list of names: fitting only records the names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted


class FixedColumnsMixin:
    """``fit`` and ``get_feature_names_out`` for an extractor whose columns are its class's ``FEATURES``.

    Nothing is learnt from the data; ``feature_names_`` marks the extractor as fitted, so an unfitted
    ``transform`` still raises ``NotFittedError`` as scikit-learn's contract asks.
    """

    FEATURES: tuple[str, ...] = ()

    def fit(self, X, y=None):
        self.feature_names_ = np.asarray(self.FEATURES, dtype=object)
        return self

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()


def rows_per_document(X: Sequence[Any], width: int, of_document: Callable[[Any], Any],
                      row: Callable[[Any, Any], Sequence[float] | None]) -> sp.csr_matrix:
    """One row of ``width`` columns per instance: ``row(inst, of_document(inst))``, where ``of_document``
    runs once per document (instances of one document share its object); a ``None`` row stays zeros."""
    rows = np.zeros((len(X), width))
    memo: dict[int, Any] = {}
    for r, inst in enumerate(X):
        key = id(inst.document)
        if key not in memo:
            memo[key] = of_document(inst)
        values = row(inst, memo[key])
        if values is not None:
            rows[r] = values
    return sp.csr_matrix(rows)
