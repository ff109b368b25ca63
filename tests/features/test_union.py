"""make_feature_union: the union it builds transforms in a loop and gives scikit-learn's matrix."""

from __future__ import annotations

import pytest
from sklearn.pipeline import FeatureUnion

from mining.features.markers import IndicatorVectorizer
from mining.features.structural import StructuralVectorizer
from mining.features.union import SequentialFeatureUnion, make_feature_union


def _parts():
    return [("structural", StructuralVectorizer()), ("indicators", IndicatorVectorizer())]


@pytest.mark.parametrize("weights", [None, {"structural": 2.0}])
def test_sequential_union_gives_the_feature_union_matrix(unit_instances, weights, monkeypatch):
    ours = SequentialFeatureUnion(_parts(), transformer_weights=weights).fit(unit_instances)
    theirs = FeatureUnion(_parts(), transformer_weights=weights).fit(unit_instances)
    expected = theirs.transform(unit_instances)
    assert expected.nnz > 0 and (ours.transform(unit_instances) != expected).nnz == 0
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    # Without n_jobs it never reaches joblib; with n_jobs it is scikit-learn's transform.
    import sklearn.pipeline

    def no_parallel(*args, **kwargs):
        raise AssertionError("joblib.Parallel was used")
    monkeypatch.setattr(sklearn.pipeline, "Parallel", no_parallel)
    assert (ours.transform(unit_instances) != expected).nnz == 0
    with pytest.raises(AssertionError, match="Parallel"):
        ours.set_params(n_jobs=2).transform(unit_instances)


def test_make_feature_union_builds_the_sequential_union():
    union = make_feature_union(structural=StructuralVectorizer(), indicators=None, drop="none")
    assert type(union) is SequentialFeatureUnion and [name for name, _ in union.transformer_list] == ["structural"]
