"""Target ranking: features relative to a source's other candidates, the two-stage fit, and its model file."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from mining.errors import UsageError
from mining.features.pairs import PairSideVectorizer
from mining.features.position import OrdinalPositionVectorizer, PairDistanceVectorizer
from mining.models.ranking import RANKING_FEATURES, TargetRankingClassifier, ranking_features
from mining.runs.trust import trusted_types


def test_ranking_features_compare_each_candidate_with_the_others_of_its_source():
    # Source 0 has the candidates 1, 2, 3; source 1 has 0 (the reverse of 0 -> 1).
    keys = [("d", 0, 1), ("d", 0, 2), ("d", 0, 3), ("d", 1, 0)]
    link = np.array([1.0, 3.0, -1.0, 0.5])
    source_types = np.full((4, 2), 0.5)
    target_types = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5], [0.5, 0.5]])
    out = ranking_features(keys, link, source_types, target_types)
    col = {name: j for j, name in enumerate(RANKING_FEATURES)}
    assert out.shape == (4, len(RANKING_FEATURES) + 2 + 2 * 2)
    assert out[:, col["is_best"]].tolist() == [0, 1, 0, 1]
    assert out[:, col["margin_to_best"]].tolist() == [-2.0, 0.0, -4.0, 0.0]
    assert out[1, col["margin_to_runner_up"]] == 2.0  # the best is 2 ahead of the second
    assert out[:3, col["share"]].sum() == pytest.approx(1.0)
    assert out[:, col["adjacent_after"]].tolist() == [1, 0, 0, 0]
    assert out[:, col["adjacent_before"]].tolist() == [0, 0, 0, 1]
    assert out[0, col["reverse_link"]] == 0.5 and out[3, col["reverse_link"]] == 1.0
    assert out[0, col["target_outgoing"]] == 0.5  # unit 1's own best outgoing score
    # Among source 0's candidates, unit 1 has the highest first type score and unit 2 the highest second.
    assert out[:3, -2].tolist() == [1, 0, 0] and out[:3, -1].tolist() == [0, 1, 0]


def _pairs(doc_sizes):
    """Fake pairs of every ordered two units of each document (one paragraph each)."""
    pairs = []
    for d, n in enumerate(doc_sizes):
        doc = SimpleNamespace(id=f"d{d}")
        units = [SimpleNamespace(document=doc, index=k, index_in_paragraph=k, n_in_paragraph=n) for k in range(n)]
        pairs += [SimpleNamespace(document=doc, source=a, target=b, distance=b.index - a.index)
                  for a in units for b in units if a is not b]
    return pairs


def _labels(pairs):
    # Every unit but the first supports the unit before it; some attack it instead.
    return ["none" if p.distance != -1 else ("attack" if p.source.index == 3 else "support") for p in pairs]


def _model(**params):
    features = FeatureUnion([
        ("distance", PairDistanceVectorizer()),
        ("source_type", PairSideVectorizer(side="source", vectorizer=OrdinalPositionVectorizer())),
        ("target_type", PairSideVectorizer(side="target", vectorizer=OrdinalPositionVectorizer())),
    ])
    return TargetRankingClassifier(features=features, estimator=LogisticRegression(max_iter=1000),
                                   ranker=LogisticRegression(max_iter=1000), n_splits=3, **params)


def test_fitted_ranking_finds_each_units_target():
    pairs = _pairs([4, 5, 6, 4, 5, 6])
    model = _model().fit(pairs, _labels(pairs))
    assert list(model.classes_) == ["attack", "none", "support"]
    test = _pairs([5, 4])
    proba = model.predict_proba(test)
    assert proba.shape == (len(test), 3)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert list(model.predict(test)) == _labels(test)


@pytest.mark.parametrize("warm_start", [True, False])
def test_out_of_fold_scores_are_the_same_with_and_without_a_warm_start(warm_start):
    pairs = _pairs([4, 5, 6, 4, 5, 6])
    model = _model(warm_start=warm_start)
    model.set_params(estimator=LogisticRegression(max_iter=10000, tol=1e-10))
    model.fit(pairs, _labels(pairs))
    reference = _model(warm_start=False).set_params(estimator=LogisticRegression(max_iter=10000, tol=1e-10))
    reference.fit(pairs, _labels(pairs))
    assert np.allclose(model.predict_proba(pairs), reference.predict_proba(pairs), atol=1e-5)


def test_ranking_keeps_the_estimator_contract_and_names_what_is_missing():
    model = _model()
    assert clone(model).get_params(deep=False).keys() == model.get_params(deep=False).keys()
    pairs = _pairs([3, 4])
    with pytest.raises(NotFittedError):
        model.predict_proba(pairs)
    with pytest.raises(UsageError, match="needs features, estimator and ranker"):
        TargetRankingClassifier().fit(pairs, _labels(pairs))
    with pytest.raises(UsageError, match="no group 'kinds'"):
        _model(source_types="kinds").fit(pairs, _labels(pairs))
    with pytest.raises(ValueError, match="none 'no-link' is not among"):
        _model(none="no-link").fit(pairs, _labels(pairs))


def test_fitted_ranking_round_trips_through_skops():
    pairs = _pairs([4, 5, 6, 4])
    model = _model().fit(pairs, _labels(pairs))
    data = sio.dumps(model)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= trusted_types()
    loaded = sio.loads(data, trusted=untrusted)
    assert np.array_equal(loaded.predict_proba(pairs), model.predict_proba(pairs))


def test_a_boosted_ranker_round_trips_through_skops():
    # aaec_relations_ranked ranks with gradient boosting: its fitted trees must load under the allow-list.
    from sklearn.ensemble import HistGradientBoostingClassifier

    pairs = _pairs([4, 5, 6, 4, 5, 6])
    model = _model().set_params(ranker=HistGradientBoostingClassifier(max_iter=5, random_state=0))
    model.fit(pairs, _labels(pairs))
    data = sio.dumps(model)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= trusted_types()
    loaded = sio.loads(data, trusted=untrusted)
    assert np.array_equal(loaded.predict_proba(pairs), model.predict_proba(pairs))


def test_passthrough_groups_reach_the_ranker_and_old_runs_load_without_them():
    pairs = _pairs([4, 5, 6, 4, 5, 6])
    plain = _model().fit(pairs, _labels(pairs))
    passed = _model(passthrough=["distance"]).fit(pairs, _labels(pairs))
    n_distance = len(passed.features_.transformer_list[0][1].get_feature_names_out())
    assert passed.ranker_.n_features_in_ == plain.ranker_.n_features_in_ + n_distance
    assert list(passed.predict(pairs)) == _labels(pairs)
    with pytest.raises(UsageError, match="no group 'gap'"):
        _model(passthrough=["gap"]).fit(pairs, _labels(pairs))
    state = dict(plain.__getstate__())
    del state["passthrough"], state["passthrough_columns_"]  # a run saved before passthrough existed
    old = TargetRankingClassifier.__new__(TargetRankingClassifier)
    old.__setstate__(state)
    assert np.array_equal(old.predict_proba(pairs), plain.predict_proba(pairs))


def test_a_ranker_with_passthrough_round_trips_through_skops_and_a_string_is_refused():
    pairs = _pairs([4, 5, 6, 4])
    model = _model(passthrough=["distance"]).fit(pairs, _labels(pairs))
    data = sio.dumps(model)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= trusted_types()
    loaded = sio.loads(data, trusted=untrusted)
    assert np.array_equal(loaded.predict_proba(pairs), model.predict_proba(pairs))
    with pytest.raises(UsageError, match=r"passthrough must be a list of feature groups, got the string 'distance'"):
        _model(passthrough="distance").fit(pairs, _labels(pairs))
    unfitted = _model().__getstate__()
    del unfitted["passthrough"]  # an unfitted model saved before passthrough existed gets no fitted attribute
    old = TargetRankingClassifier.__new__(TargetRankingClassifier)
    old.__setstate__(dict(unfitted))
    assert old.passthrough == () and not hasattr(old, "passthrough_columns_")


def test_a_labeller_splits_the_link_probability_and_old_runs_load_without_it():
    pairs = _pairs([4, 5, 6, 4, 5, 6])
    labels = _labels(pairs)
    plain = _model().fit(pairs, labels)
    labelled = _model(labeller=LogisticRegression(max_iter=1000)).fit(pairs, labels)
    assert labelled.labeller_.n_features_in_ == plain.estimator_.n_features_in_
    assert set(labelled.labeller_.classes_) == {"attack", "support"}  # fitted on the linked pairs alone
    ours, theirs = labelled.predict_proba(pairs), plain.predict_proba(pairs)
    none = labelled.classes_.tolist().index("none")
    assert np.array_equal(ours[:, none], theirs[:, none])  # the ranker's link probability is kept
    assert not np.allclose(ours, theirs) and np.allclose(ours.sum(axis=1), 1.0)
    relations = [labelled.classes_.tolist().index(c) for c in labelled.labeller_.classes_]
    linked = 1.0 - ours[:, [none]]
    np.testing.assert_allclose(ours[:, relations], linked * labelled.labeller_.predict_proba(
        labelled.features_.transform(pairs)))
    data = sio.dumps(labelled)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= trusted_types()
    assert np.array_equal(sio.loads(data, trusted=untrusted).predict_proba(pairs), ours)
    one_label = ["support" if label == "attack" else label for label in labels]  # nothing to tell apart
    assert _model(labeller=LogisticRegression()).fit(pairs, one_label).labeller_ is None
    state = dict(plain.__getstate__())
    del state["labeller"], state["labeller_"]  # a run saved before the labeller existed
    old = TargetRankingClassifier.__new__(TargetRankingClassifier)
    old.__setstate__(state)
    assert old.labeller is None and np.array_equal(old.predict_proba(pairs), theirs)


def _ranking_features_pair_by_pair(keys, link, source_types, target_types):
    """The definition of :func:`ranking_features`, one pair at a time (its former code): the reference that the
    columns it computes a source at a time must match bit for bit."""
    by_source, into, row_of = {}, {}, {}
    for i, (doc, s, t) in enumerate(keys):
        by_source.setdefault((doc, s), []).append(i)
        into.setdefault((doc, t), []).append(link[i])
        row_of[(doc, s, t)] = i
    outgoing = {key: max(link[r] for r in rows) for key, rows in by_source.items()}
    popularity = {key: float(np.mean(v)) for key, v in into.items()}
    base, k = len(RANKING_FEATURES), target_types.shape[1]
    out = ranking_features(keys, link, source_types, target_types)  # the log-odds columns: not redefined here
    for (doc, s), rows in by_source.items():
        rows = np.asarray(rows)
        scores = link[rows]
        order = np.argsort(-scores, kind="stable")
        rank = np.empty(len(rows))
        rank[order] = np.arange(len(rows))
        best = scores[order[0]]
        runner_up = scores[order[1]] if len(rows) > 1 else best
        share = np.exp(scores - best)
        share /= share.sum()
        distance = np.array([keys[r][2] - s for r in rows])
        distance_rank = np.argsort(np.argsort(np.abs(distance), kind="stable"), kind="stable")
        top_type = target_types[rows] >= target_types[rows].max(axis=0)
        for j, r in enumerate(rows):
            t = keys[r][2]
            reverse = row_of.get((doc, t, s))
            out[r, :base] = [
                scores[j], rank[j] == 0, np.log1p(rank[j]), scores[j] - best,
                scores[j] - (runner_up if rank[j] == 0 else best), share[j], np.log(len(rows)),
                distance[j] / 5, distance[j] == -1, distance[j] == 1, distance_rank[j],
                link[reverse] if reverse is not None else 0.0, popularity[(doc, t)], outgoing.get((doc, t), 0.0),
            ]
            out[r, base + source_types.shape[1] + k:] = top_type[j]
    return out


def test_ranking_features_equal_their_pair_by_pair_definition_bit_for_bit():
    rng = np.random.default_rng(0)
    keys = [(f"d{d}", s, t) for d, n in enumerate([1, 2, 5, 9, 14]) for s in range(n) for t in range(n)
            if s != t and abs(s - t) <= 6]
    link = np.round(rng.normal(size=len(keys)), 1)  # rounded: ties, which the ranks break by order
    source_types, target_types = rng.dirichlet(np.ones(3), size=len(keys)), rng.dirichlet(np.ones(3), size=len(keys))
    fast = ranking_features(keys, link, source_types, target_types)
    assert fast.tobytes() == _ranking_features_pair_by_pair(keys, link, source_types, target_types).tobytes()
