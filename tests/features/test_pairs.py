"""Pair features: direction and distance, sentence sharing, markers between the units, one side's features."""

from __future__ import annotations

import numpy as np
import pytest

from mining.features.pairs import PairSideVectorizer, PairVectorizer
from mining.features.structural import StructuralVectorizer


def _pair(pair_instances, source, target):
    (pair,) = [p for p in pair_instances if p.source.text == source and p.target.text == target]
    return pair


def test_distance_sign_and_direction(pair_instances):
    vec = PairVectorizer().fit(pair_instances)
    names = list(vec.get_feature_names_out())
    forward = _pair(pair_instances, "cars make the air dirty", "fewer cars mean healthier residents")
    backward = _pair(pair_instances, "fewer cars mean healthier residents", "cars make the air dirty")
    a, b = (dict(zip(names, row)) for row in vec.transform([forward, backward]).toarray())
    assert a["distance"] > 0 and a["target_after"] == 1
    assert b["distance"] == -a["distance"] and b["target_after"] == 0
    assert a["abs_distance"] == b["abs_distance"] and a["units_between"] > 0
    assert a["shared_nouns"] > 0 and b["source_first"] == 0 and b["target_first"] == 1


def test_same_sentence_and_between_markers(pair_instances):
    vec = PairVectorizer().fit(pair_instances)
    names = list(vec.get_feature_names_out())
    pair = _pair(pair_instances, "exhaust fumes harm the lungs", "children in busy streets suffer from asthma")
    row = dict(zip(names, vec.transform([pair]).toarray()[0]))
    assert row["same_sentence"] == 1 and row["adjacent"] == 1
    assert row["source_shell:backward"] == 1 and row["between:backward"] == 0
    later = _pair(pair_instances, "children in busy streets suffer from asthma", "fewer cars mean healthier residents")
    assert dict(zip(names, vec.transform([later]).toarray()[0]))["between:forward"] == 1


def test_side_vectorizer_repeats_the_unit_rows(pair_instances):
    side = PairSideVectorizer(vectorizer=StructuralVectorizer(), side="target").fit(pair_instances)
    unit = StructuralVectorizer().fit([p.target for p in pair_instances])
    assert np.allclose(side.transform(pair_instances).toarray(),
                       unit.transform([p.target for p in pair_instances]).toarray())
    assert side.get_feature_names_out()[0] == "target:in_intro"


def test_side_is_checked(pair_instances):
    with pytest.raises(ValueError):
        PairSideVectorizer(side="both").fit(pair_instances)


def test_side_units_are_distinct_in_order_of_first_sight(pair_instances):
    units, rows = PairSideVectorizer(side="target")._units(pair_instances)
    assert len({id(u) for u in units}) == len(units)
    assert [id(units[r]) for r in rows] == [id(p.target) for p in pair_instances]
    firsts = list(dict.fromkeys(id(p.target) for p in pair_instances))
    assert [id(u) for u in units] == firsts
