"""Turn a sparse feature matrix dense, for estimators that accept no sparse input."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted


class DenseTransformer(TransformerMixin, BaseEstimator):
    """Matrix -> dense ``float64`` array (for example before ``HistGradientBoostingClassifier``).

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in ``fit``.
    """

    def fit(self, X, y=None):
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        check_is_fitted(self)
        return np.asarray(X.toarray() if sparse.issparse(X) else X, dtype=np.float64)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        if input_features is not None:
            return np.asarray(input_features, dtype=object)
        return np.array([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
