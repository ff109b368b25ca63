"""The contract every instance-level feature extractor keeps: scikit-learn API, shapes, names, determinism."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import FeatureUnion

from mining.features.context import ContextVectorizer
from mining.features.lexical import LexicalVectorizer, ShellVectorizer
from mining.features.markers import IndicatorVectorizer
from mining.features.opening import OpeningVectorizer
from mining.features.pairs import PairSideVectorizer, PairVectorizer
from mining.features.party_order import PartyOrderVectorizer
from mining.features.stance_cues import StanceCueVectorizer
from mining.features.structural import StructuralVectorizer
from mining.features.syntax import SyntaxVectorizer
from mining.features.thesis import ThesisVectorizer
from mining.features.topic import TopicSimilarityVectorizer
from mining.nlp.sharing import fingerprint, sharing

UNIT_EXTRACTORS = [
    LexicalVectorizer(),
    ShellVectorizer(),
    IndicatorVectorizer(),
    IndicatorVectorizer(lists={"reason": ["because", "since"], "contrast": ["however", "but"]}, shell_markers=False),
    StructuralVectorizer(),
    SyntaxVectorizer(),
    ContextVectorizer(),
    TopicSimilarityVectorizer(),
    StanceCueVectorizer(),
    PartyOrderVectorizer(),
    ThesisVectorizer(),
    ThesisVectorizer(thesis="major_claims"),
    OpeningVectorizer(min_df=1),
]
PAIR_EXTRACTORS = [
    PairVectorizer(),
    PairSideVectorizer(),
    PairSideVectorizer(vectorizer=StructuralVectorizer(), side="target"),
]
CASES = [("unit", e) for e in UNIT_EXTRACTORS] + [("pair", e) for e in PAIR_EXTRACTORS]
IDS = [f"{type(e).__name__}-{i}" for i, (_, e) in enumerate(CASES)]


@pytest.fixture(params=CASES, ids=IDS)
def case(request, unit_instances, pair_instances):
    kind, extractor = request.param
    return clone(extractor), unit_instances if kind == "unit" else pair_instances


def test_clone_keeps_params(case):
    extractor, _ = case
    twin = clone(extractor)
    assert twin is not extractor
    # Nested estimators are cloned too, so they compare by their parameters (repr), not identity.
    params, twin_params = extractor.get_params(deep=False), twin.get_params(deep=False)
    assert params.keys() == twin_params.keys()
    for name, value in params.items():
        if isinstance(value, BaseEstimator):
            assert twin_params[name] is not value and repr(twin_params[name]) == repr(value)
        else:
            assert twin_params[name] == value


def test_fit_returns_self(case):
    extractor, X = case
    assert extractor.fit(X) is extractor


def test_unfitted_transform_raises(case):
    extractor, X = case
    with pytest.raises(NotFittedError):
        extractor.transform(X)
    with pytest.raises(NotFittedError):
        extractor.get_feature_names_out()


def test_names_match_columns(case):
    extractor, X = case
    matrix = extractor.fit_transform(X)
    names = extractor.get_feature_names_out()
    assert sp.isspmatrix_csr(matrix) or isinstance(matrix, sp.csr_array)
    assert matrix.dtype == np.float64
    assert matrix.shape == (len(X), len(names))
    assert len(names) > 0
    assert all(isinstance(n, str) for n in names)
    assert len(set(names)) == len(names)
    assert np.isfinite(matrix.data).all()


def test_fit_transform_equals_fit_then_transform(case):
    extractor, X = case
    once = extractor.fit_transform(X)
    again = clone(extractor).fit(X).transform(X)
    # TfidfVectorizer's fit_transform and transform may differ in the last bits.
    assert once.shape == again.shape and abs(once - again).max() < 1e-12


def test_transform_is_deterministic_and_per_instance(case):
    extractor, X = case
    full = extractor.fit(X).transform(X)
    assert (extractor.transform(X) != full).nnz == 0
    # A row depends on its instance only, not on the batch it is transformed in.
    for i in (0, len(X) // 2, len(X) - 1):
        assert (extractor.transform([X[i]]) != full[i]).nnz == 0


def test_feature_union_prefixes_names(unit_instances):
    union = FeatureUnion([("structural", StructuralVectorizer()), ("indicators", IndicatorVectorizer())])
    matrix = union.fit_transform(unit_instances)
    names = union.get_feature_names_out()
    assert matrix.shape[1] == len(names)
    assert "structural__in_intro" in names and "indicators__shell:backward" in names


@pytest.mark.parametrize("extractor", UNIT_EXTRACTORS, ids=[type(e).__name__ for e in UNIT_EXTRACTORS])
def test_equal_extractors_share_rows_in_a_sharing_block(extractor, unit_instances):
    first, twin = clone(extractor).fit(unit_instances), clone(extractor).fit(unit_instances)
    alone = first.transform(unit_instances)
    fingerprints = {}  # kept across blocks, as a miner keeps them
    with sharing(fingerprints):
        first.transform(unit_instances), twin.transform(unit_instances)
    calls = []
    if hasattr(twin, "_all_parts"):  # a spy: the twin's rows must come from `first`, not from its own texts
        computed = twin._all_parts
        twin._all_parts = lambda X: calls.append(X) or computed(X)
    with sharing(fingerprints):
        inside = first.transform(unit_instances)
        reordered = twin.transform(unit_instances[::-1])
    assert _same(inside, alone) and _same(reordered, alone[::-1])
    assert not calls
    # A different fit is a different extractor: nothing is shared with it.
    other = clone(extractor).fit(unit_instances[: len(unit_instances) // 2])
    with sharing():
        first.transform(unit_instances)
        assert _same(other.transform(unit_instances), clone(extractor).fit(unit_instances[: len(unit_instances) // 2])
                     .transform(unit_instances))


@pytest.mark.parametrize("make", [StructuralVectorizer, ContextVectorizer])
def test_instances_rebuilt_alike_share_rows_in_a_batch(make, unit_instances, monkeypatch):
    # Typing drops units, and the labeller rebuilds the instances of their documents: an extractor whose rows
    # read only the unit's span, neighbours and places (row_key = layout_key) reuses the rows of the
    # instances rebuilt alike, and computes those whose layout changed.
    from dataclasses import replace

    extractor = make().fit(unit_instances)
    alone = extractor.transform(unit_instances)
    calls = []
    if make is StructuralVectorizer:
        row = StructuralVectorizer._row
        monkeypatch.setattr(make, "_row", staticmethod(lambda inst, *a: calls.append(inst) or row(inst, *a)))
    else:
        side = ContextVectorizer._side
        monkeypatch.setattr(make, "_side", lambda self, inst, *a: calls.append(inst) or side(self, inst, *a))
    rebuilt = [replace(x) for x in unit_instances]  # new objects, the same layout
    changed = replace(unit_instances[1], n_in_paragraph=unit_instances[1].n_in_paragraph + 1)
    with sharing({}):
        extractor.transform(unit_instances)
        calls.clear()
        again = extractor.transform(rebuilt + [changed])
    assert calls and {id(inst) for inst in calls} == {id(changed)}
    assert _same(again[:-1], alone) and _same(again[-1], extractor.transform([changed]))
    assert (again[-1] != alone[1]).nnz > 0


def _same(a, b) -> bool:
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    return a.shape == b.shape and (a != b).nnz == 0


def test_fingerprints_read_list_parameters_as_tuples_and_see_the_fit(unit_instances):
    from_config = LexicalVectorizer(ngram_range=[1, 2]).fit(unit_instances)  # YAML gives lists
    default = LexicalVectorizer().fit(unit_instances)
    assert fingerprint(from_config) == fingerprint(default)
    assert fingerprint(LexicalVectorizer(min_df=1).fit(unit_instances)) != fingerprint(default)
    assert fingerprint(LexicalVectorizer().fit(unit_instances[:5])) != fingerprint(default)


def test_every_extractor_reuses_rows_in_a_labelling_batch():
    """One sharing mechanism for all (mining.nlp.sharing): no extractor is left out of it."""
    import importlib
    import inspect
    import pkgutil

    import mining.features

    extractors = []
    for info in pkgutil.iter_modules(mining.features.__path__, "mining.features."):
        module = importlib.import_module(info.name)
        extractors += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                       if cls.__module__ == module.__name__ and issubclass(cls, BaseEstimator)
                       and "transform" in vars(cls) and not cls.__name__.startswith("_")
                       and not issubclass(cls, FeatureUnion)]  # a union's rows are its extractors' rows
    assert len(extractors) >= 12
    assert [c.__name__ for c in extractors if not getattr(c.transform, "reuses_rows", False)] == []
