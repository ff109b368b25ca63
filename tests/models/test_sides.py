"""HolderSideClassifier: premises train with their holder's side, from the training documents and labels only;
at prediction, one side per party and both sides in a report."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import make_pipeline

from mining.corpora import news
from mining.errors import UsageError
from mining.evaluation.holders import normalise_holder
from mining.models.sides import HolderSideClassifier
from mining.nlp.cache import parse_documents
from mining.nlp.pipeline import find_pipeline
from mining.tasks.stance import StanceTask
from tests.test_experiment import PassThrough, SpyClassifier


@pytest.fixture(scope="module")
def claims():
    docs = [d for d in news.load() if d.id in ("news-01", "news-02", "news-03", "news-21")]
    parsed, _ = parse_documents(docs, find_pipeline(exclude=[]), cache_dir=None, progress=False)
    return StanceTask(toward="topic").build_instances(docs, parsed)


def _fit(claims, labels):
    SpyClassifier.log = []
    model = HolderSideClassifier(estimator=make_pipeline(PassThrough(), SpyClassifier())).fit(claims, labels)
    ((_, rows, y),) = [entry for entry in SpyClassifier.log if entry[0] == "fit"]
    return model, rows, y


def test_premises_train_with_the_side_their_holder_takes_in_the_training_labels(claims):
    train = [c for c in claims if c.document.id != "news-21"]
    labels = [c.unit.stance for c in train]
    model, rows, y = _fit(train, labels)
    added = rows[len(train):]
    assert model.n_added_ == len(added) > 0 and all(r.unit.label == "premise" for r in added)
    side = {(c.document.id, normalise_holder(c.unit.holder)): s for c, s in zip(train, labels)}
    assert all(label == side[r.document.id, normalise_holder(r.unit.holder)] for r, label in zip(added, y[len(train):]))
    # The labels given to fit decide, not the gold stances: flipped labels flip the premises' sides.
    flipped = ["against" if s == "for" else "for" for s in labels]
    _, _, y_flipped = _fit(train, flipped)
    assert y_flipped[len(train):] == ["against" if s == "for" else "for" for s in y[len(train):]]


def test_nothing_comes_from_documents_outside_the_training_rows(claims):
    train = [c for c in claims if c.document.id != "news-21"]
    _, rows, _ = _fit(train, [c.unit.stance for c in train])
    assert "news-21" not in {r.document.id for r in rows}
    _, rows, _ = _fit(claims, [c.unit.stance for c in claims])
    assert "news-21" in {r.document.id for r in rows[len(claims):]}  # it would be used, were it given


def test_no_unit_labels_is_the_claims_alone(claims):
    SpyClassifier.log = []
    model = HolderSideClassifier(estimator=make_pipeline(PassThrough(), SpyClassifier()), unit_labels=())
    model.fit(claims, [c.unit.stance for c in claims])
    assert model.n_added_ == 0 and list(model.predict(claims[:2])) == [model.estimator_.predict(claims[:1])[0]] * 2


class FixedScores(ClassifierMixin, BaseEstimator):
    """Scores given per (document, unit): > 0 is "for"."""

    def __init__(self, scores=None):
        self.scores = scores

    def fit(self, X, y):
        self.classes_ = np.array(["against", "for"])
        return self

    def decision_function(self, X):
        return np.array([self.scores[inst.document.id, inst.unit.id] for inst in X])

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


def _decide(claims, scores, **options):
    model = HolderSideClassifier(estimator=FixedScores(scores), **options).fit(claims, [c.unit.stance for c in claims])
    return dict(zip([(c.document.id, c.unit.id) for c in claims], model.predict(claims)))


def test_pooled_claims_of_one_holder_share_the_side_of_their_mean_score(claims):
    varga = [c for c in claims if c.document.id == "news-01" and c.unit.holder == "Ilse Varga"]
    assert len(varga) == 2
    scores = {(c.document.id, c.unit.id): 0.5 for c in claims}
    scores.update({(c.document.id, c.unit.id): s for c, s in zip(varga, (-2.0, 1.0))})
    alone, pooled = _decide(claims, scores), _decide(claims, scores, pool=True)
    assert [alone[c.document.id, c.unit.id] for c in varga] == ["against", "for"]
    assert [pooled[c.document.id, c.unit.id] for c in varga] == ["against", "against"]
    others = [key for key in scores if key not in {(c.document.id, c.unit.id) for c in varga}]
    assert all(pooled[key] == alone[key] == "for" for key in others)


def test_a_partys_premises_join_its_mean_score_with_pool_labels(claims):
    varga = [c for c in claims if c.document.id == "news-01" and c.unit.holder == "Ilse Varga"]
    premise = next(u for u in varga[0].document.units if u.label == "premise" and u.holder == "Ilse Varga")
    scores = {(c.document.id, u.id): 0.5 for c in claims for u in c.document.units}
    scores["news-01", premise.id] = -3.0  # (0.5 + 0.5 - 3) / 3 < 0
    alone, joined = _decide(claims, scores, pool=True), _decide(claims, scores, pool=True, pool_labels=["premise"])
    assert [alone[c.document.id, c.unit.id] for c in varga] == ["for", "for"]
    assert [joined[c.document.id, c.unit.id] for c in varga] == ["against", "against"]
    assert sum(side == "against" for side in joined.values()) == 2  # no other party moved


def test_both_sides_turns_the_least_certain_party_of_a_one_sided_document(claims):
    doc = [c for c in claims if c.document.id == "news-01"]
    assert len({normalise_holder(c.unit.holder) for c in doc}) >= 3
    weakest = next(c.unit.holder for c in doc if c.unit.holder != "Ilse Varga")
    scores = {(c.document.id, c.unit.id): 2.0 for c in doc}
    scores.update({(c.document.id, c.unit.id): 0.1 for c in doc if c.unit.holder == weakest})
    sides = _decide(doc, scores, pool=True, both_sides=True)
    assert {key for key, side in sides.items() if side == "against"} == \
        {(c.document.id, c.unit.id) for c in doc if c.unit.holder == weakest}
    # Without both_sides, the same scores leave the document on one side.
    assert set(_decide(doc, scores, pool=True).values()) == {"for"}


def test_the_reporter_apart_is_neither_a_side_of_a_report_nor_turned(claims):
    doc = [c for c in claims if c.document.id == "news-01"]
    assert {c.unit.holder for c in doc} >= {"author", "Ilse Varga", "Dario Mensk"}
    scores = {(c.document.id, u.id): 2.0 for c in doc for u in c.document.units}
    scores.update({(c.document.id, c.unit.id): 0.1 for c in doc if c.unit.holder == "author"})
    scores.update({(c.document.id, c.unit.id): 0.5 for c in doc if c.unit.holder == "Dario Mensk"})
    turned = {key for key, side in _decide(doc, scores, pool=True, both_sides=True).items() if side == "against"}
    assert turned == {(c.document.id, c.unit.id) for c in doc if c.unit.holder == "author"}
    apart = _decide(doc, scores, pool=True, both_sides=True, reporter_apart=True)
    assert {key for key, side in apart.items() if side == "against"} == \
        {(c.document.id, c.unit.id) for c in doc if c.unit.holder == "Dario Mensk"}
    # The reporter against and every party for: the reporter is no second side, so the weakest party is turned.
    scores.update({(c.document.id, c.unit.id): -0.1 for c in doc if c.unit.holder == "author"})
    assert set(_decide(doc, scores, pool=True, both_sides=True).values()) == {"for", "against"}
    apart = _decide(doc, scores, pool=True, both_sides=True, reporter_apart=True)
    assert {key for key, side in apart.items() if side == "against"} == \
        {(c.document.id, c.unit.id) for c in doc if c.unit.holder in ("author", "Dario Mensk")}


def test_the_reporters_premises_do_not_join_its_side_when_it_stands_apart(claims):
    doc = [c for c in claims if c.document.id == "news-01"]
    (claim,) = [c for c in doc if c.unit.holder == "author"]
    (premise,) = [u for u in claim.document.units if u.holder == "author" and u.label == "premise"]
    scores = {(c.document.id, u.id): 1.0 for c in doc for u in c.document.units}
    scores["news-01", premise.id] = -5.0  # (1 - 5) / 2 < 0
    joined = _decide(doc, scores, pool=True, pool_labels=["premise"])
    apart = _decide(doc, scores, pool=True, pool_labels=["premise"], reporter_apart=True)
    assert joined["news-01", claim.unit.id] == "against" and apart["news-01", claim.unit.id] == "for"


def test_a_claim_without_a_holder_is_a_party_of_its_own(claims):
    doc = [c for c in claims if c.document.id == "news-02"]
    saved = [c.unit.holder for c in doc]
    try:
        for c in doc:
            c.unit.holder = None
        scores = {(c.document.id, c.unit.id): s for c, s in zip(doc, (-1.0, *[1.0] * (len(doc) - 1)))}
        sides = _decide(doc, scores, pool=True)
        assert [sides[c.document.id, c.unit.id] for c in doc] == ["against"] + ["for"] * (len(doc) - 1)
    finally:
        for c, holder in zip(doc, saved):
            c.unit.holder = holder


def test_a_model_saved_before_pooling_decides_per_claim(claims):
    model = HolderSideClassifier(estimator=FixedScores({(c.document.id, c.unit.id): 1.0 for c in claims}), pool=True)
    state = model.fit(claims, [c.unit.stance for c in claims]).__getstate__()
    for name in ("pool", "pool_labels", "both_sides", "against_words", "topic_reading", "approval_words",
                 "reporter_apart"):
        del state[name]
    old = HolderSideClassifier.__new__(HolderSideClassifier)
    old.__setstate__(state)
    assert old.pool is False and old.pool_labels == () and old.both_sides is False and old.against_words == ()
    assert old.reporter_apart is False
    assert old.topic_reading == "words" and old.approval_words == ()
    assert list(old.predict(claims)) == list(old.estimator_.predict(claims))


@pytest.mark.parametrize(("topic", "turned"), [
    ("The old town's car ban is a mistake", True),
    ("A car ban would harm the old town's shops", True),
    ("The old town should not ban cars", True),
    ("The old town's car ban isn't a mistake", False),  # two: the topic is for its measure again
    ("The old town shouldn’t ban cars", True),  # a typographic apostrophe
    ("A car ban harms the old town's shops", True),  # a third person
    ("The old town should ban cars", False),
])
def test_a_topic_against_its_measure_is_learnt_and_decided_toward_the_measure(claims, topic, turned):
    doc = [c for c in claims if c.document.id == "news-01"]
    saved = doc[0].document.topic
    try:
        doc[0].document.topic = topic
        SpyClassifier.log = []
        labels = [c.unit.stance for c in doc]
        HolderSideClassifier(estimator=make_pipeline(PassThrough(), SpyClassifier()), unit_labels=(),
                             against_words=["mistake", "harm"]).fit(doc, labels)
        ((_, _, y),) = [entry for entry in SpyClassifier.log if entry[0] == "fit"]
        swap = {"for": "against", "against": "for"}
        assert y == ([swap[s] for s in labels] if turned else labels)
        # every claim scored "for" the measure: "against" a topic that speaks against it
        sides = _decide(doc, {(c.document.id, c.unit.id): 1.0 for c in doc}, against_words=["mistake", "harm"])
        assert set(sides.values()) == {"against" if turned else "for"}
        assert set(_decide(doc, {(c.document.id, c.unit.id): 1.0 for c in doc}).values()) == {"for"}
    finally:
        doc[0].document.topic = saved


@pytest.mark.parametrize(("topic", "turned"), [
    ("The old town should not ban cars", False),  # "not" is no word of the list
    ("A car ban harms the old town's shops", True),
    ("A car ban would not harm the old town's shops", True),  # one word: negations are not read
    ("A car ban is not a mistake and does no harm", False),  # two words
])
def test_a_run_saved_before_the_topic_reading_counts_the_words_in_the_whole_topic(claims, topic, turned):
    doc = [c for c in claims if c.document.id == "news-01"]
    saved = doc[0].document.topic
    try:
        doc[0].document.topic = topic
        model = HolderSideClassifier(estimator=FixedScores({(c.document.id, c.unit.id): 1.0 for c in doc}),
                                     against_words=["mistake", "harm"])
        state = model.fit(doc, [c.unit.stance for c in doc]).__getstate__()
        del state["topic_reading"]
        old = HolderSideClassifier.__new__(HolderSideClassifier)
        old.__setstate__(state)
        assert old.topic_reading == "words"
        assert set(old.predict(doc)) == {"against" if turned else "for"}
    finally:
        doc[0].document.topic = saved


def test_approval_words_turn_a_verdict_without_them_and_a_run_saved_before_them_reads_none(claims):
    doc = [c for c in claims if c.document.id == "news-01"]
    saved = doc[0].document.topic
    try:
        doc[0].document.topic = "A car ban would empty the old town's shops"
        model = HolderSideClassifier(estimator=FixedScores({(c.document.id, c.unit.id): 1.0 for c in doc}),
                                     against_words=["mistake"], approval_words=["safer"])
        state = model.fit(doc, [c.unit.stance for c in doc]).__getstate__()
        assert set(model.predict(doc)) == {"against"}
        del state["approval_words"]
        old = HolderSideClassifier.__new__(HolderSideClassifier)
        old.__setstate__(state)
        assert set(old.predict(doc)) == {"for"}
        with pytest.raises(UsageError, match="approval_words must be a list of words"):
            HolderSideClassifier(estimator=FixedScores({}), against_words=["mistake"], approval_words="safer").fit(
                doc, [c.unit.stance for c in doc])
    finally:
        doc[0].document.topic = saved


def test_an_unknown_topic_reading_is_refused(claims):
    model = HolderSideClassifier(estimator=FixedScores({}), topic_reading="parse")
    with pytest.raises(UsageError, match="topic_reading='parse'"):
        model.fit(claims, [c.unit.stance for c in claims])


class FixedProba(ClassifierMixin, BaseEstimator):
    """P(against) = 0.2, P(for) = 0.8 for every instance."""

    def fit(self, X, y):
        self.classes_ = np.array(["against", "for"])
        return self

    def predict_proba(self, X):
        return np.tile([0.2, 0.8], (len(X), 1))

    def predict(self, X):
        return np.array(["for"] * len(X))


def test_probabilities_are_turned_with_the_decisions(claims):
    doc = [c for c in claims if c.document.id == "news-01"]
    other = [c for c in claims if c.document.id == "news-02"]
    saved = doc[0].document.topic
    try:
        doc[0].document.topic = "The old town's car ban is a mistake"
        model = HolderSideClassifier(estimator=FixedProba(), unit_labels=(), against_words=["mistake"])
        model.fit(doc + other, [c.unit.stance for c in doc + other])
        proba = model.predict_proba(doc + other)
        assert proba[:len(doc)].tolist() == [[0.8, 0.2]] * len(doc)
        assert proba[len(doc):].tolist() == [[0.2, 0.8]] * len(other)
        assert list(model.predict(doc + other)) == ["against"] * len(doc) + ["for"] * len(other)
    finally:
        doc[0].document.topic = saved
