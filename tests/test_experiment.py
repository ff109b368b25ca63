"""The experiment loop on the sample corpus: no document crosses folds, resampling stays in training folds."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import Pipeline

from mining.corpora import load_corpus
from mining.evaluation.splits import GroupedCV, HoldoutSplit, OfficialSplit, resample_indices
from mining.experiment import run_experiment
from mining.features.structural import StructuralVectorizer
from mining.nlp.cache import parse_documents
from mining.nlp.pipeline import find_pipeline
from mining.tasks.components import ComponentTask


class SpyClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the majority class and records which documents it was trained and asked on."""

    log: list = []

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.majority_ = max(sorted(set(y)), key=list(y).count)
        SpyClassifier.log.append(("fit", list(X) if isinstance(X, list) else X, list(y)))
        return self

    def predict(self, X):
        SpyClassifier.log.append(("predict", list(X) if isinstance(X, list) else X, None))
        return np.array([self.majority_] * X.shape[0] if hasattr(X, "shape") else [self.majority_] * len(X))


class PassThrough(BaseEstimator):
    """Hands the instances through unchanged, so the spy sees them."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


@pytest.fixture(scope="module")
def sample():
    docs = load_corpus("sample")
    parsed, _ = parse_documents(docs, find_pipeline(exclude=["ner"]), cache_dir=None, progress=False)
    return docs, parsed


@pytest.mark.parametrize("evaluation", [
    GroupedCV(n_splits=5, n_repeats=2),
    GroupedCV(n_splits=3, n_repeats=1, resample="oversample"),
    OfficialSplit(resample="oversample"),
    HoldoutSplit(test_size=0.25),
])
def test_no_document_crosses_folds_and_resampling_stays_in_training(sample, evaluation):
    docs, parsed = sample
    SpyClassifier.log = []
    estimator = Pipeline([("x", PassThrough()), ("model", SpyClassifier())])
    result = run_experiment(docs=docs, parsed=parsed, task=ComponentTask(), estimator=estimator,
                            evaluation=evaluation, seed=3)
    calls = SpyClassifier.log
    fits = [c for c in calls if c[0] == "fit"]
    predicts = [c for c in calls if c[0] == "predict"]
    assert len(predicts) == len(result.folds)
    for fold, (_, train_x, train_y), (_, test_x, _) in zip(result.folds, fits, predicts):
        train_docs = {inst.document.id for inst in train_x}
        test_docs = {inst.document.id for inst in test_x}
        assert train_docs <= fold.train and test_docs == fold.test
        assert not train_docs & test_docs, "a document is in both the training and the test fold"
        test_units = {(i.document.id, i.unit.id) for i in test_x}
        assert not test_units & {(i.document.id, i.unit.id) for i in train_x}
        if evaluation.resample == "oversample":
            counts = {label: train_y.count(label) for label in set(train_y)}
            assert len(set(counts.values())) == 1  # balanced ...
            assert len(train_x) > len({id(i) for i in train_x})  # ... by repeating training instances only
    if isinstance(evaluation, GroupedCV):
        for r in range(evaluation.n_repeats):
            tests = [f.test for f in result.folds if f.repeat == r]
            assert frozenset().union(*tests) == {d.id for d in docs}  # every document tested once per repeat
            assert sum(len(t) for t in tests) == len(docs)


def test_cv_repeats_differ_but_are_seeded(sample):
    docs, _ = sample
    cv = GroupedCV(n_splits=5, n_repeats=2)
    first, again = list(cv.folds(docs, seed=1)), list(cv.folds(docs, seed=1))
    assert first == again
    assert [f.test for f in first[:5]] != [f.test for f in first[5:]]


def test_resample_indices_never_adds_unseen_indices():
    labels = ["a"] * 6 + ["b"] * 2 + ["c"] * 4
    train = np.array([0, 1, 2, 3, 6, 8, 9])
    out = resample_indices(train, labels, "oversample", seed=0)
    assert set(out) <= set(train)
    assert sorted(labels[i] for i in out).count("b") == 4


def test_real_features_on_sample(sample):
    docs, parsed = sample
    estimator = Pipeline([("x", StructuralVectorizer()), ("model", SpyClassifier())])
    result = run_experiment(docs=docs, parsed=parsed, task=ComponentTask(), estimator=estimator,
                            evaluation=OfficialSplit(), seed=0)
    assert 0.0 < result.metrics["test.macro_f1"] < 1.0  # majority-class predictions score low
    assert result.metrics["test.n"] == sum(len(d.units) for d in docs if d.split == "test")
    assert np.sum(result.metrics["test.confusion_matrix"]) == result.metrics["test.n"]


def test_fold_metric_gives_each_fold_the_score_run_experiment_averages(sample):
    """benchmarks/paired_cv.py scores settings fold by fold with TaskData.fold_metric: the same folds and
    fits as run_experiment, so their mean is its cross-validated mean."""
    from sklearn.linear_model import LogisticRegression

    from mining.errors import UsageError
    from mining.experiment import TaskData, Timer

    docs, parsed = sample
    estimator = Pipeline([("x", StructuralVectorizer()), ("model", LogisticRegression(max_iter=500))])
    cv = GroupedCV(n_splits=3, n_repeats=2)
    result = run_experiment(docs=docs, parsed=parsed, task=ComponentTask(), estimator=estimator, evaluation=cv,
                            seed=1)
    data = TaskData.build(ComponentTask(), docs, parsed, Timer())
    values = data.fold_metric(estimator, result.folds, "macro_f1", None, 1, Timer())
    assert len(values) == 6 and len(set(values)) > 1
    assert np.mean(values) == pytest.approx(result.metrics["cv.macro_f1.mean"])
    with pytest.raises(UsageError, match="--metric='f2' is not a score of task 'components'"):
        data.fold_metric(estimator, result.folds[:1], "f2", None, 1, Timer(), source="--metric")


def test_cv_on_one_split_never_sees_the_other():
    from mining.schema import Document

    docs = [Document(id=f"d{i}", text="x", split="train" if i < 6 else "test") for i in range(9)]
    folds = list(GroupedCV(n_splits=3, split="train").folds(docs, seed=0))
    assert len(folds) == 3
    assert frozenset().union(*(f.train | f.test for f in folds)) == {f"d{i}" for i in range(6)}


def test_extra_training_documents_train_in_every_fold_and_are_never_scored():
    from mining.schema import Document

    docs = [Document(id=f"d{i}", text="x", split="train" if i < 6 else "train-extra") for i in range(8)]
    folds = list(GroupedCV(n_splits=3, split="train", extra_split="train-extra").folds(docs, seed=0))
    assert all({"d6", "d7"} <= f.train and not {"d6", "d7"} & f.test for f in folds)
    assert frozenset().union(*(f.test for f in folds)) == {f"d{i}" for i in range(6)}
    official = OfficialSplit(train_split=["train", "train-extra"], test_split="train").folds(docs, seed=0)
    assert next(official).train == {f"d{i}" for i in range(8)}


def _subtasks():
    """Three small subtasks of the sample corpus, fitted with real features and a real classifier."""
    from sklearn.linear_model import LogisticRegression

    from mining.features.lexical import LexicalVectorizer

    def pipeline(features):
        return Pipeline([("features", features), ("model", LogisticRegression(max_iter=500))])

    return {"structural": (ComponentTask(), pipeline(StructuralVectorizer())),
            "lexical": (ComponentTask(), pipeline(LexicalVectorizer())),
            "majority": (ComponentTask(), Pipeline([("x", PassThrough()), ("model", SpyClassifier())]))}


def test_subtasks_in_parallel_give_what_they_give_one_at_a_time(sample):
    """n_jobs=2 runs the subtasks in forked processes: the same metrics, predictions and models, in
    the subtasks' own order, whichever started first."""
    from mining.experiment import run_subtasks

    docs, parsed = sample
    runs = [run_subtasks(docs=docs, parsed=parsed, subtasks=_subtasks(), evaluation=OfficialSplit(), seed=0,
                         n_jobs=n_jobs, first=first)
            for n_jobs, first in ((1, ()), (2, ("lexical",)), (-1, ()))]  # -1: one process per CPU
    serial, parallel, per_cpu = runs
    assert list(parallel.metrics) == list(serial.metrics) and parallel.metrics == serial.metrics == per_cpu.metrics
    assert list(parallel.model) == list(serial.model) == ["structural", "lexical", "majority"]
    assert [(d.metadata["subtask"], d.id, [(u.id, u.start, u.end, u.label) for u in d.units])
            for d in parallel.predictions] == [(d.metadata["subtask"], d.id, [(u.id, u.start, u.end, u.label)
                                                                               for u in d.units])
                                               for d in serial.predictions]
    for name in ("structural", "lexical"):
        np.testing.assert_array_equal(parallel.model[name][-1].coef_, serial.model[name][-1].coef_)
    assert parallel.timings["fit"] > 0 and parallel.timings["subtasks"] > 0
    for run in runs:  # each subtask's CPU time, measured in the process that ran it
        assert all(run.timings[f"cpu_{name}"] > 0 for name in ("structural", "lexical", "majority"))


def test_subtasks_to_start_first_must_be_subtasks(sample):
    from mining.errors import UsageError
    from mining.experiment import run_subtasks

    docs, parsed = sample
    with pytest.raises(UsageError, match="relation"):
        run_subtasks(docs=docs, parsed=parsed, subtasks=_subtasks(), evaluation=OfficialSplit(), seed=0,
                     n_jobs=2, first=["relation"])


class FailingClassifier(SpyClassifier):
    def fit(self, X, y):
        raise ValueError("this classifier never fits")


def test_a_subtask_that_fails_in_its_process_fails_the_run_with_its_error(sample):
    from mining.experiment import run_subtasks

    docs, parsed = sample
    subtasks = {**_subtasks(), "failing": (ComponentTask(), Pipeline([("x", PassThrough()),
                                                                      ("model", FailingClassifier())]))}
    with pytest.raises(ValueError, match="never fits"):
        run_subtasks(docs=docs, parsed=parsed, subtasks=subtasks, evaluation=OfficialSplit(), seed=0, n_jobs=2,
                     first=["failing"])


def test_parallel_subtasks_without_fork_are_an_error(sample, monkeypatch):
    import multiprocessing

    from mining.errors import UsageError
    from mining.experiment import run_subtasks

    docs, parsed = sample
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with pytest.raises(UsageError, match="n_jobs=1"):
        run_subtasks(docs=docs, parsed=parsed, subtasks=_subtasks(), evaluation=OfficialSplit(), seed=0, n_jobs=2)


@pytest.mark.parametrize("evaluation", [OfficialSplit(), GroupedCV(n_splits=3)])
def test_training_documents_of_one_label_are_named_not_a_scikit_learn_traceback(sample, evaluation):
    """A corpus whose training documents hold one label (every unit a claim; relations with no relation) made
    LogisticRegression raise deep in fit, naming neither the task nor the fold; a forest predicted that label."""
    from dataclasses import replace

    from sklearn.linear_model import LogisticRegression

    from mining.errors import UsageError

    docs, parsed = sample
    claims = [replace(d, units=[replace(u, label="claim") for u in d.units]) for d in docs]
    estimator = Pipeline([("x", StructuralVectorizer()), ("model", LogisticRegression())])
    with pytest.raises(UsageError, match=r"task 'components': the training documents \(fold 1, repeat 1\) give all "
                                         r"\d+ of their instances the label 'claim'; a classifier needs two labels"):
        run_experiment(docs=claims, parsed=parsed, task=ComponentTask(), estimator=estimator, evaluation=evaluation,
                       seed=0)


def test_a_label_only_the_test_documents_hold_is_warned_of_once(sample, caplog):
    """The model can never predict it, and every instance of it counts as an error: said once, not per fold."""
    import logging
    from dataclasses import replace

    from sklearn.linear_model import LogisticRegression

    docs, parsed = sample
    test_only = [d if d.split == "test" else  # the training documents' major claims made claims
                 replace(d, units=[replace(u, label="claim") if u.label == "major_claim" else u for u in d.units])
                 for d in docs]
    estimator = Pipeline([("x", StructuralVectorizer()), ("model", LogisticRegression())])
    with caplog.at_level(logging.WARNING, logger="mining.experiment"):
        run_experiment(docs=test_only, parsed=parsed, task=ComponentTask(), estimator=estimator,
                       evaluation=OfficialSplit(), seed=0)
    warned = [r.getMessage() for r in caplog.records if "no training document has" in r.getMessage()]
    assert warned == ["task 'components': the test documents hold the label(s) 'major_claim', which no training "
                      "document has: the model cannot predict them"]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mining.experiment"):
        run_experiment(docs=docs, parsed=parsed, task=ComponentTask(), estimator=estimator,
                       evaluation=GroupedCV(n_splits=3), seed=0)
    assert not [r for r in caplog.records if "no training document has" in r.getMessage()]


def test_nested_cv_warns_of_an_unseen_label_for_the_scored_folds_only(sample, caplog, monkeypatch):
    """Inner folds fit too: the warning came from one of them, called its validation documents "the test documents",
    and, once told, was not given for the outer fold whose scores the label costs."""
    import logging
    from dataclasses import replace

    from sklearn.linear_model import LogisticRegression

    from mining.evaluation.splits import NestedCV
    from mining.experiment import TaskData, run_nested

    docs, parsed = sample
    first = next(d for d in docs if any(u.label == "major_claim" for u in d.units))
    one_doc = [d if d is first else  # major claims in one document only: the outer fold that tests it trains on none
               replace(d, units=[replace(u, label="claim") if u.label == "major_claim" else u for u in d.units])
               for d in docs]
    asked, real = [], TaskData.warn_unseen
    monkeypatch.setattr(TaskData, "warn_unseen", lambda self, fold: asked.append(fold) or real(self, fold))
    estimator = Pipeline([("x", StructuralVectorizer()), ("model", LogisticRegression())])
    with caplog.at_level(logging.WARNING, logger="mining.experiment"):
        run_nested(docs=one_doc, parsed=parsed, task=ComponentTask(), candidates={"a": estimator},
                   evaluation=NestedCV(n_splits=3), seed=0)
    outer = list(NestedCV(n_splits=3).folds(one_doc, 0))
    assert asked == outer  # the scored folds, not the inner ones
    warned = [r.getMessage() for r in caplog.records if "no training document has" in r.getMessage()]
    assert len(warned) == 1 and "'major_claim'" in warned[0]
