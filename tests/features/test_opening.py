"""Opening-word features: the first lemmas of a unit and of its neighbours, by position."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from mining.features.opening import OpeningVectorizer


def test_contract(unit_instances):
    extractor = OpeningVectorizer(min_df=1)
    with pytest.raises(NotFittedError):
        extractor.transform(unit_instances)
    assert clone(extractor).get_params() == extractor.get_params()
    assert extractor.fit(unit_instances) is extractor
    matrix = extractor.transform(unit_instances)
    names = extractor.get_feature_names_out()
    assert matrix.shape == (len(unit_instances), len(names)) and matrix.dtype == np.float64
    assert len(set(names)) == len(names)
    for i in (0, len(unit_instances) - 1):
        assert (extractor.transform([unit_instances[i]]) != matrix[i]).nnz == 0


def test_reads_the_unit_and_its_neighbours(unit_instances, unit_of):
    vec = OpeningVectorizer(n_tokens=2, min_df=1).fit(unit_instances)
    names = vec.get_feature_names_out()
    # "homework can teach discipline" opens its paragraph's units; "discipline can also ..." follows it.
    inst = unit_of("discipline can also be learned at school")
    active = set(names[vec.transform([inst]).indices])
    assert active == {"self:0=discipline", "self:1=can", "prev:0=homework", "prev:1=can", "next:none"}


def test_min_df_and_positions(unit_instances):
    only_self = OpeningVectorizer(n_tokens=1, min_df=2, positions=("self",)).fit(unit_instances)
    names = list(only_self.get_feature_names_out())
    assert names and all(n.startswith("self:0=") for n in names)
    counts = np.asarray(only_self.transform(unit_instances).sum(axis=0)).ravel()
    assert (counts >= 2).all()
    with pytest.raises(ValueError, match="positions"):
        OpeningVectorizer(positions=("left",)).fit(unit_instances)
