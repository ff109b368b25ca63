"""Turn a sparse feature matrix dense, for estimators that accept no sparse input."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class DenseTransformer(TransformerMixin, BaseEstimator):
    """Matrix -> dense ``float64`` array (for example before ``HistGradientBoostingClassifier``).

    The input is validated as scikit-learn estimators validate theirs (2-D, numeric, the same number
    of columns in ``transform`` as in ``fit``), but its values are not judged: NaN and infinity pass
    through to the next estimator, which decides whether it takes missing values.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from scipy import sparse
    >>> DenseTransformer().fit_transform(sparse.csr_matrix([[0, 1], [2, 0]]))
    array([[0., 1.],
           [2., 0.]])
    """

    def fit(self, X, y=None):
        validate_data(self, X, accept_sparse=True, ensure_all_finite=False)
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=True, dtype=np.float64, ensure_all_finite=False, reset=False)
        return np.asarray(X.toarray() if sparse.issparse(X) else X, dtype=np.float64)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        if input_features is not None:
            return np.asarray(input_features, dtype=object)
        return np.array([f"x{i}" for i in range(self.n_features_in_)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # turning sparse input dense is the point
        tags.input_tags.allow_nan = True  # values pass through unjudged (see the class docstring)
        return tags
