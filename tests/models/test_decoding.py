"""Document-level decoders: the spanning-tree search is exact, and the wrappers keep the scikit-learn contract."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from mining.features.position import OrdinalPositionVectorizer, PairDistanceVectorizer
from mining.models.decoding import (
    BodyParagraphClassifier,
    DocumentArgmaxClassifier,
    DocumentTreeClassifier,
    best_tree,
    max_arborescence,
)
from mining.runs.trust import trusted_types


def _brute_force(scores: np.ndarray) -> float:
    """The best total over every head assignment with one root and no cycle."""
    n = len(scores)
    best = -np.inf
    for heads in itertools.product(range(-1, n), repeat=n):
        if heads.count(-1) != 1 or any(h == d for d, h in enumerate(heads)):
            continue
        acyclic = True
        for start in range(n):
            seen, v = set(), start
            while v != -1 and acyclic:
                acyclic = v not in seen
                seen.add(v)
                v = heads[v]
        if acyclic:
            best = max(best, sum(scores[h, d] for d, h in enumerate(heads) if h >= 0))
    return best


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_best_tree_is_the_best_spanning_tree(n):
    rng = np.random.default_rng(n)
    for _ in range(30):
        scores = rng.normal(size=(n, n))
        heads = best_tree(scores)
        assert heads.count(-1) == 1
        total = sum(scores[h, d] for d, h in enumerate(heads) if h >= 0)
        assert total == pytest.approx(_brute_force(scores))


def test_arborescence_avoids_missing_edges_and_breaks_cycles():
    # 1 and 2 prefer each other (a cycle); the edge 0 -> 2 is missing.
    scores = np.array([[0.0, 1.0, -np.inf],
                       [0.0, 0.0, 5.0],
                       [0.0, 5.0, 0.0]])
    heads = max_arborescence(scores, root=0)
    assert heads[0] == -1 and heads[2] == 1 and heads[1] == 0


def _units(doc_sizes):
    """Fake unit instances (what OrdinalPositionVectorizer reads) of documents with the given sizes."""
    out = []
    for d, n in enumerate(doc_sizes):
        doc = SimpleNamespace(id=f"d{d}")
        out += [SimpleNamespace(document=doc, index=k, index_in_paragraph=k, n_in_paragraph=n) for k in range(n)]
    return out


def _pairs(units):
    return [SimpleNamespace(document=a.document, source=a, target=b, distance=b.index - a.index)
            for a in units for b in units if a is not b and a.document is b.document]


def _argmax_model():
    return DocumentArgmaxClassifier(estimator=Pipeline([("position", OrdinalPositionVectorizer()),
                                                        ("clf", LogisticRegression())]))


def _tree_model():
    return DocumentTreeClassifier(estimator=Pipeline([("distance", PairDistanceVectorizer()),
                                                      ("clf", LogisticRegression())]))


def test_argmax_gives_the_label_to_exactly_one_instance_per_document():
    units = _units([4, 5, 3, 5])
    # Training texts have several or no first-position "cc": the decoder still picks one per text.
    y = ["cc" if u.index_in_paragraph in (0, 1) and u.document.id != "d2" else "no" for u in units]
    model = _argmax_model().fit(units, y)
    test = _units([5, 4, 6])
    predicted = model.predict(test)
    for doc in ("d0", "d1", "d2"):
        labels = [p for u, p in zip(test, predicted) if u.document.id == doc]
        assert labels.count("cc") == 1
    assert model.predict_proba(test).shape == (len(test), 2)
    assert list(model.classes_) == ["cc", "no"]


def test_tree_decoder_predicts_one_tree_per_document():
    units = _units([4, 5, 5])
    pairs = _pairs(units)
    y = ["attached" if p.distance == -1 else "not" for p in pairs]
    model = _tree_model().fit(pairs, y)
    test = _pairs(_units([5, 3]))
    predicted = model.predict(test)
    for doc, n in (("d0", 5), ("d1", 3)):
        edges = [(p.source.index, p.target.index) for p, label in zip(test, predicted)
                 if label == "attached" and p.document.id == doc]
        assert len(edges) == n - 1 and len(dict(edges)) == n - 1  # one head each, but for the root
    # Attaching to the previous unit is what it learned: the tree is the chain.
    assert all((label == "attached") == (p.distance == -1) for p, label in zip(test, predicted))


@pytest.mark.parametrize("make", [_argmax_model, _tree_model])
def test_wrappers_keep_the_estimator_contract(make):
    model = make()
    twin = clone(model)
    assert twin.get_params(deep=False).keys() == model.get_params(deep=False).keys()
    with pytest.raises(NotFittedError):
        model.predict_proba(_units([3]))
    with pytest.raises(ValueError, match="needs an estimator"):
        type(model)().fit(_units([3]), ["cc", "no", "no"])


def test_wrappers_reject_a_label_they_never_saw():
    units = _units([3, 3])
    with pytest.raises(ValueError, match="not among"):
        DocumentArgmaxClassifier(estimator=_argmax_model().estimator, label="central").fit(
            units, ["cc", "no", "no"] * 2)


def test_fitted_wrappers_round_trip_through_skops():
    units = _units([4, 5, 4])
    pairs = _pairs(units)
    argmax = _argmax_model().fit(units, ["cc" if u.index == 0 else "no" for u in units])
    tree = _tree_model().fit(pairs, ["attached" if p.distance == -1 else "not" for p in pairs])
    for model, X in ((argmax, units), (tree, pairs)):
        data = sio.dumps(model)
        untrusted = sio.get_untrusted_types(data=data)
        assert set(untrusted) <= trusted_types()
        loaded = sio.loads(data, trusted=untrusted)
        assert list(loaded.predict(X)) == list(model.predict(X))


class FixedScores:
    """A fitted classifier whose decision_function is each unit's own ``scores`` (claim, major_claim, none, premise)."""

    classes_ = np.array(["claim", "major_claim", "none", "premise"], dtype=object)

    def fit(self, X, y):
        return self

    def decision_function(self, X):
        return np.array([u.scores for u in X], dtype=float)

    def get_params(self, deep=True):
        return {}


def _essay(paragraph_scores):
    """Units of one document: one list of (claim, major_claim, none, premise) scores per paragraph."""
    doc = SimpleNamespace(id="essay")
    return [SimpleNamespace(document=doc, paragraph=p, n_paragraphs=len(paragraph_scores), scores=s)
            for p, units in enumerate(paragraph_scores) for s in units]


def test_body_paragraph_decoder_gives_each_body_paragraph_one_claim():
    units = _essay([
        [(0, 3, 0, 1), (2, 0, 0, 1), (2, 0, 0, 1)],    # introduction: kept as predicted (two claims stay)
        [(2, 0, 0, 1), (3, 0, 0, 1), (0, 4, 0, 1)],    # two claims and a major claim: the best margin wins
        [(0, 0, 0, 1), (0.5, 0, 0, 1), (0, 0, 5, 1)],  # no claim: the best margin becomes one; `none` stays
        [(0, 5, 0, 1), (0, 0, 0, 1)],                  # conclusion: kept
    ])
    model = BodyParagraphClassifier(estimator=FixedScores()).fit(units, ["claim", "premise"] * 5 + ["none"])
    predicted = list(model.predict(units))
    assert predicted == ["major_claim", "claim", "claim",
                         "premise", "claim", "premise",
                         "premise", "claim", "none",
                         "major_claim", "premise"]


def test_body_paragraph_decoder_needs_its_labels_and_round_trips():
    units = _essay([[(1, 0, 0, 0)] * 2] * 3)
    with pytest.raises(ValueError, match="rest 'conclusion' is not among"):
        BodyParagraphClassifier(estimator=FixedScores(), rest="conclusion").fit(units, ["claim"] * 6)
    for u in units:
        u.index_in_paragraph, u.n_in_paragraph = 0, 2
    y = ["claim", "premise"] * 3
    model = BodyParagraphClassifier(estimator=Pipeline([("position", OrdinalPositionVectorizer()),
                                                        ("clf", LogisticRegression())])).fit(units, y)
    data = sio.dumps(model)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= trusted_types()
    assert list(sio.loads(data, trusted=untrusted).predict(units)) == list(model.predict(units))


def test_body_paragraphs_are_counted_in_the_document_not_among_paragraphs_with_units():
    # Paragraph 0 (the introduction) has no unit: paragraph 1 is still a body paragraph, and the last
    # paragraph (3) is the conclusion. A unit outside every paragraph (-1) is never decoded.
    units = _essay([[], [(2, 0, 0, 1), (3, 0, 0, 1)], [(0, 0, 0, 1)], [(2, 0, 0, 1), (2, 0, 0, 1)]])
    units.append(SimpleNamespace(document=units[0].document, paragraph=-1, n_paragraphs=4, scores=(2, 0, 0, 1)))
    model = BodyParagraphClassifier(estimator=FixedScores()).fit(units, ["claim", "premise"] * 3)
    assert list(model.predict(units)) == ["premise", "claim", "claim", "claim", "claim", "claim"]


def test_edge_label_gives_the_first_and_last_paragraph_one_major_claim():
    units = _essay([
        [(2, 1, 0, 0), (3, 0, 0, 1)],               # introduction without one: the best margin (-1 vs -3) gets it
        [(2, 0, 0, 1)],                              # body paragraph: decoded as before
        [(0, 5, 0, 1), (0, 4, 0, 2), (0, 0, 5, 1)],  # conclusion with two: the weaker goes to premise; `none` stays
    ])
    y = ["claim", "major_claim", "none", "premise", "claim", "premise"]
    kept = BodyParagraphClassifier(estimator=FixedScores()).fit(units, y)
    assert list(kept.predict(units)) == ["claim", "claim", "claim", "major_claim", "major_claim", "none"]
    model = BodyParagraphClassifier(estimator=FixedScores(), edge_label="major_claim").fit(units, y)
    assert list(model.predict(units)) == ["major_claim", "claim", "claim", "major_claim", "premise", "none"]
    with pytest.raises(ValueError, match="edge_label 'thesis' is not among"):
        BodyParagraphClassifier(estimator=FixedScores(), edge_label="thesis").fit(units, y)
