"""Ordinal position features: one-hot places from both ends of a paragraph, and one-hot pair distances."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from mining.features.position import OrdinalPositionVectorizer, PairDistanceVectorizer


@pytest.mark.parametrize("kind, extractor", [("unit", OrdinalPositionVectorizer()), ("pair", PairDistanceVectorizer())])
def test_contract(kind, extractor, unit_instances, pair_instances):
    X = unit_instances if kind == "unit" else pair_instances
    extractor = clone(extractor)
    with pytest.raises(NotFittedError):
        extractor.transform(X)
    assert extractor.fit(X) is extractor
    matrix = extractor.transform(X)
    assert matrix.shape == (len(X), len(extractor.get_feature_names_out())) and matrix.dtype == np.float64
    assert (extractor.transform(X[:1]) != matrix[:1]).nnz == 0


def test_places_count_from_both_ends(unit_of):
    vec = OrdinalPositionVectorizer(max_position=2).fit([])
    names = list(vec.get_feature_names_out())
    assert names == ["from_start=0", "from_start=1", "from_end=0", "from_end=1"]
    # The "homework" essay's third paragraph holds two units; the news report's one holds three.
    first, second = unit_of("homework can teach discipline"), unit_of("discipline can also be learned at school")
    middle = unit_of("the steel frame is already finished")
    rows = vec.transform([first, second, middle]).toarray()
    assert rows.tolist() == [[1, 0, 0, 1], [0, 1, 1, 0], [0, 1, 0, 1]]


def test_distance_is_signed_and_clipped(pair_instances):
    vec = PairDistanceVectorizer(max_distance=2).fit(pair_instances)
    names = list(vec.get_feature_names_out())
    assert names == ["distance<=-2", "distance=-1", "distance=1", "distance>=2"]
    matrix = vec.transform(pair_instances).toarray()
    assert (matrix.sum(axis=1) == 1).all()
    for pair, row in zip(pair_instances, matrix):
        d = pair.distance
        expected = "distance<=-2" if d <= -2 else "distance>=2" if d >= 2 else f"distance={d}"
        assert names[int(row.argmax())] == expected


@pytest.mark.parametrize("extractor",
                         [OrdinalPositionVectorizer(max_position=0), PairDistanceVectorizer(max_distance=0)])
def test_bad_sizes_raise_in_fit(extractor):
    with pytest.raises(ValueError, match="positive int"):
        extractor.fit([])
