"""Extractors whose columns are a fixed list of names: fitting only records the names."""

from __future__ import annotations

import numpy as np
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
