"""Ordinal position features: a unit's place counted from either end of its paragraph, and a pair's signed
distance, one-hot."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.instances.units import PairInstance, UnitInstance
from mining.nlp.sharing import reuse_rows


class OrdinalPositionVectorizer(TransformerMixin, BaseEstimator):
    """One-hot place of each unit, counted from the start and from the end of its paragraph.

    In a microtext (one paragraph of about five units) the central claim is the first unit in
    over half of the texts and the last in a fifth, and an opponent's voice is most often the
    second unit and rarely the last (arg-microtexts part 1); the log-scaled index and relative position of
    ``StructuralVectorizer`` blur "second" and "second to last", which a linear model can weigh separately here.

    Parameters
    ----------
    max_position : int, default=3
        Places ``0 .. max_position - 1`` from each end get a column; units further in get none.

    Attributes
    ----------
    feature_names_ : ndarray of str
        ``from_start=<k>`` then ``from_end=<k>``.

    Examples
    --------
    >>> OrdinalPositionVectorizer(max_position=2).fit([]).get_feature_names_out().tolist()
    ['from_start=0', 'from_start=1', 'from_end=0', 'from_end=1']
    """

    def __init__(self, *, max_position=3):
        self.max_position = max_position

    def fit(self, X: Sequence[UnitInstance], y=None):
        if not isinstance(self.max_position, int) or self.max_position < 1:
            raise UsageError(f"max_position must be a positive int, got {self.max_position!r}")
        m = self.max_position
        self.feature_names_ = np.asarray([f"from_start={k}" for k in range(m)] + [f"from_end={k}" for k in range(m)],
                                         dtype=object)
        return self

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        m = self.max_position
        rows, cols = [], []
        for r, inst in enumerate(X):
            k, from_end = inst.index_in_paragraph, inst.n_in_paragraph - 1 - inst.index_in_paragraph
            if k < m:
                rows.append(r)
                cols.append(k)
            if from_end < m:
                rows.append(r)
                cols.append(m + from_end)
        data = np.ones(len(rows), dtype=np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(X), 2 * m))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()


class PairDistanceVectorizer(TransformerMixin, BaseEstimator):
    """One-hot signed distance from source to target, in units, clipped at ``max_distance``.

    Most microtext edges join neighbours, and "attaches to the unit just before" is not the
    mirror image of "just after"; ``PairVectorizer`` gives the distance as one scaled number
    and a direction flag, which cannot express such a non-monotone preference.

    Parameters
    ----------
    max_distance : int, default=3
        Distances beyond it in either direction share the column ``distance<=-k``/``distance>=k``.

    Attributes
    ----------
    feature_names_ : ndarray of str
        ``distance<=-3``, ``distance=-2``, ... ``distance=2``, ``distance>=3`` (0 never occurs).

    Examples
    --------
    >>> PairDistanceVectorizer(max_distance=2).fit([]).get_feature_names_out().tolist()
    ['distance<=-2', 'distance=-1', 'distance=1', 'distance>=2']
    """

    def __init__(self, *, max_distance=3):
        self.max_distance = max_distance

    def fit(self, X: Sequence[PairInstance], y=None):
        if not isinstance(self.max_distance, int) or self.max_distance < 1:
            raise UsageError(f"max_distance must be a positive int, got {self.max_distance!r}")
        m = self.max_distance
        names = [f"distance={d}" for d in range(-m, m + 1) if d != 0]
        names[0], names[-1] = f"distance<={-m}", f"distance>={m}"
        self.feature_names_ = np.asarray(names, dtype=object)
        return self

    @reuse_rows
    def transform(self, X: Sequence[PairInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        m = self.max_distance
        cols = []
        for pair in X:
            d = max(-m, min(m, pair.distance))
            if d == 0:
                raise ValueError(f"pair of unit {pair.source.unit.id} with itself in {pair.document.id}")
            cols.append(d + m if d < 0 else d + m - 1)
        data = np.ones(len(cols), dtype=np.float64)
        return sp.csr_matrix((data, (np.arange(len(cols)), cols)), shape=(len(X), 2 * m))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()
