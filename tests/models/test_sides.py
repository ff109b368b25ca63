"""HolderSideClassifier: premises train with their holder's side, from the training documents and labels only."""

from __future__ import annotations

import pytest
from sklearn.pipeline import make_pipeline

from mining.corpora import news
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
