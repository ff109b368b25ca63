"""SegmentRejectingClassifier: negative examples come out of fold, from the training documents only.
TypesAfterRejection: the types come from a model of the units alone."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from mining.corpora import load_corpus
from mining.errors import UsageError
from mining.evaluation.spans import overlap_ratio
from mining.features.tokens_window import TokenWindowVectorizer
from mining.instances.units import build_unit_instances
from mining.models.rejecting import SegmentRejectingClassifier, TypesAfterRejection
from mining.nlp.cache import parse_documents
from mining.nlp.pipeline import find_pipeline
from mining.tasks.segmentation import SegmentationTask
from tests.test_experiment import PassThrough, SpyClassifier


@pytest.fixture(scope="module")
def sample():
    docs = load_corpus("sample")
    parsed, _ = parse_documents(docs, find_pipeline(exclude=["ner"]), cache_dir=None, progress=False)
    return docs, parsed


def test_rejected_spans_come_from_held_out_training_documents(sample, monkeypatch):
    docs, parsed = sample
    train = [(d, p) for d, p in zip(docs, parsed) if d.split == "train"]
    X = [inst for d, p in train for inst in build_unit_instances(d, p)]
    fitted: list[set[str]] = []
    original = SegmentationTask.gold_labels

    def spy_gold_labels(self, instances):
        fitted.append({inst.document.id for inst in instances})
        return original(self, instances)

    monkeypatch.setattr(SegmentationTask, "gold_labels", spy_gold_labels)
    SpyClassifier.log = []
    model = SegmentRejectingClassifier(
        estimator=make_pipeline(PassThrough(), SpyClassifier()),
        segmenter=make_pipeline(TokenWindowVectorizer(), LinearSVC(C=0.05, random_state=0)),
        segmentation=SegmentationTask(), reject="none", n_splits=3).fit(X, [i.unit.label for i in X])
    train_ids = {d.id for d, _ in train}
    # Three segmenters, each fitted on a part of the training documents and never on a test document.
    assert len(fitted) == 3 and all(ids < train_ids for ids in fitted) and set.union(*fitted) == train_ids
    (_, seen, labels), = [entry for entry in SpyClassifier.log if entry[0] == "fit"]
    assert {inst.document.id for inst in seen} == train_ids
    assert labels.count("none") == model.n_rejected_ > 0
    gold = [inst for inst, label in zip(seen, labels) if label != "none"]
    assert len(gold) == len(X)  # every gold unit is still a training instance
    for inst, label in zip(seen, labels):
        if label == "none":
            span = (inst.unit.start, inst.unit.end)
            assert all(overlap_ratio(span, (u.start, u.end)) < 0.5 for u in inst.document.units)


def test_segmenters_fitted_in_forked_processes_find_the_same_spans(sample):
    docs, parsed = sample

    def rejecting(n_jobs):
        return SegmentRejectingClassifier(
            estimator=make_pipeline(PassThrough(), SpyClassifier()),
            segmenter=make_pipeline(TokenWindowVectorizer(), LinearSVC(C=0.05, random_state=0)),
            segmentation=SegmentationTask(), n_splits=3, n_jobs=n_jobs)

    documents = [(d, p) for d, p in zip(docs, parsed) if d.split == "train"]
    alone, forked = (rejecting(n_jobs)._false_spans(documents) for n_jobs in (1, 2))
    assert list(forked.items()) == list(alone.items()) and sum(map(len, alone.values())) > 0


def test_types_after_rejection_keep_the_rejections_and_take_the_types_of_a_model_of_the_units_alone():
    rng = np.random.default_rng(0)
    centres = {"claim": (0.0, 3.0), "premise": (3.0, 0.0), "none": (1.5, 1.5)}
    X = np.vstack([rng.normal(centre, 1.0, size=(60, 2)) for centre in centres.values()])
    y = np.repeat(list(centres), 60)
    model = TypesAfterRejection(estimator=make_pipeline(StandardScaler(), LinearSVC())).fit(X, y)
    assert model.typer_.classes_.tolist() == ["claim", "premise"]  # fitted on the units only
    assert model.classes_.tolist() == ["claim", "none", "premise"]
    rows = model.features_.transform(list(X))
    rejected = model.classifier_.predict(rows) == "none"
    predicted = model.predict(X)
    assert rejected.any() and (predicted[rejected] == "none").all()
    assert (predicted[~rejected] == model.typer_.predict(rows[~rejected])).all()
    # Their scores are the typer's, and their reject score is below every type score.
    scores = model.decision_function(X)
    premise = model.typer_.decision_function(rows[~rejected])  # two types: the score of the second
    np.testing.assert_array_equal(scores[~rejected][:, [0, 2]], np.column_stack([-premise, premise]))
    assert (scores[~rejected, 1] < scores[~rejected][:, [0, 2]].min(axis=1)).all()
    np.testing.assert_array_equal(scores[rejected], model.classifier_.decision_function(rows[rejected]))
    with pytest.raises(UsageError, match="two unit labels"):
        TypesAfterRejection(estimator=make_pipeline(StandardScaler(), LinearSVC())).fit(X, np.where(y == "none", y,
                                                                                                 "claim"))


def test_a_model_saved_before_n_jobs_existed_reads_it_as_one():
    model = SegmentRejectingClassifier()
    del model.__dict__["n_jobs"]  # as skops rebuilds one saved without it (the shipped default model)
    assert model.get_params()["n_jobs"] == 1
