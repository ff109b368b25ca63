"""Run one experiment: parse, build instances, fit and evaluate per fold, and refit the final model."""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from mining.evaluation.metrics import aggregate, classification_scores, confusion
from mining.evaluation.splits import Fold, resample_indices
from mining.progress import Steps, note
from mining.schema import Document
from mining.tasks.base import Task


class Evaluation(Protocol):
    prefix: str
    resample: str | None

    def folds(self, docs: Sequence[Document], seed: int): ...


@dataclass
class ExperimentResult:
    """What a run produced: flat metrics, predicted documents, the final model, its task and stage timings.

    For several subtasks ``model`` and ``task`` are dicts by subtask name.
    """

    metrics: dict[str, Any]
    predictions: list[Document]
    model: Pipeline
    task: Any = None
    timings: dict[str, float] = field(default_factory=dict)
    folds: list[Fold] = field(default_factory=list)


class Timer:
    """Wall-clock seconds per named stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 4)


# BLAS threads while fitting and predicting. OpenBLAS splits long dot products over its threads, and
# each thread count sums in another order, so the default (one per core) made a fit depend on the
# machine's core count as well as on its CPU's kernel. The heavy products here are sparse (scipy's own
# loops, not BLAS), so one thread should cost little; it was not timed apart on a quiet machine.
BLAS_THREADS = 1


@contextmanager
def fixed_blas_threads(limit: int = BLAS_THREADS):
    """Run the block with ``limit`` BLAS threads (every BLAS library loaded), then restore the defaults."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=limit, user_api="blas"):
        yield


def run_experiment(*, docs: Sequence[Document], parsed: Sequence, task: Task, estimator: Pipeline,
                   evaluation: Evaluation, seed: int, timer: Timer | None = None) -> ExperimentResult:
    """Evaluate ``estimator`` on ``task`` with ``evaluation``'s folds, then fit it on all training data.

    Documents never cross folds: instances are assigned to folds by their document's id. Resampling
    (``evaluation.resample``) touches training-fold instances only.
    """
    timer = timer or Timer()
    with timer.stage("instances"):
        instances = task.build_instances(docs, parsed)
        gold = np.asarray(task.gold_labels(instances), dtype=object)
        doc_of = np.array([inst.document.id for inst in instances], dtype=object)
    if len(instances) == 0:
        raise ValueError(f"task {task.name!r} found no instances in {len(docs)} documents")
    folds = list(evaluation.folds(docs, seed))
    steps = Steps(task.name, len(folds), "fold")
    note(f"{task.name}: {len(instances)} instances from {len(docs)} documents, {len(folds)} fold(s)")
    fold_scores: list[dict[str, float]] = []
    total_confusion = np.zeros((len(task.labels), len(task.labels)), dtype=int)
    predicted_docs: dict[str, Document] = {}
    for fold in folds:
        train_idx = np.flatnonzero(np.isin(doc_of, list(fold.train)))
        test_idx = np.flatnonzero(np.isin(doc_of, list(fold.test)))
        train_idx = resample_indices(train_idx, gold, evaluation.resample, seed + fold.repeat)
        model = clone(estimator)
        with timer.stage("fit"):
            model.fit([instances[i] for i in train_idx], list(gold[train_idx]))
        with timer.stage("predict"):
            test_instances = [instances[i] for i in test_idx]
            predicted = task.predict(model, test_instances)
        with timer.stage("score"):
            fold_gold = list(gold[test_idx])
            scores = classification_scores(fold_gold, predicted, task.labels)
            scores.update(task.extra_scores(test_instances, fold_gold, predicted))
            fold_scores.append(scores)
            total_confusion += np.asarray(confusion(fold_gold, predicted, task.labels))
        if fold.repeat == 0:
            for doc in task.apply_predictions(docs, test_instances, predicted):
                predicted_docs[doc.id] = doc
        steps.done()
    prefix = evaluation.prefix
    metrics: dict[str, Any] = {}
    summary = fold_scores[0] if len(fold_scores) == 1 else aggregate(fold_scores)
    metrics.update({f"{prefix}.{k}": v for k, v in summary.items()})
    metrics[f"{prefix}.labels"] = list(task.labels)
    metrics[f"{prefix}.confusion_matrix"] = total_confusion.tolist()
    metrics[f"{prefix}.n_folds"] = len(folds)
    if len(folds) > 1:
        # Cross-validation: the recorded model is refitted on every document the folds used (with
        # GroupedCV(split="train") the test documents stay unseen).
        used = list(frozenset().union(*(fold.train | fold.test for fold in folds)))
        all_idx = resample_indices(np.flatnonzero(np.isin(doc_of, used)), gold, evaluation.resample, seed)
        model = clone(estimator)
        with timer.stage("fit_final"):
            model.fit([instances[i] for i in all_idx], list(gold[all_idx]))
        note(f"{task.name}: final model on every fold's documents done in {timer.seconds['fit_final']:.1f} s")
    order = {d.id: i for i, d in enumerate(docs)}
    predictions = sorted(predicted_docs.values(), key=lambda d: order[d.id])
    return ExperimentResult(metrics=metrics, predictions=predictions, model=model, task=task,
                            timings=dict(timer.seconds), folds=folds)


def run_subtasks(*, docs: Sequence[Document], parsed: Sequence, subtasks: dict[str, tuple[Task, Pipeline]],
                 evaluation: Evaluation, seed: int, timer: Timer | None = None) -> ExperimentResult:
    """Several tasks on the same folds (e.g. the four microtext tasks), as one result.

    Metric keys get the subtask name after the prefix (``cv.role.macro_f1.mean``), the model is
    a dict of pipelines by name, and every predicted document carries ``metadata['subtask']``.
    """
    timer = timer or Timer()
    merged = ExperimentResult(metrics={}, predictions=[], model={}, task={})
    for name, (task, estimator) in subtasks.items():
        result = run_experiment(docs=docs, parsed=parsed, task=task, estimator=estimator, evaluation=evaluation,
                                seed=seed, timer=timer)
        for key, value in result.metrics.items():
            prefix, rest = key.split(".", 1)
            merged.metrics[f"{prefix}.{name}.{rest}"] = value
        for doc in result.predictions:
            doc.metadata["subtask"] = name
        merged.predictions += result.predictions
        merged.model[name] = result.model
        merged.task[name] = task
        merged.folds = result.folds
    merged.timings = dict(timer.seconds)
    return merged
