"""Run one experiment: parse, build instances, fit and evaluate per fold, and refit the final model."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from mining.errors import UsageError
from mining.evaluation.metrics import aggregate, classification_scores, confusion
from mining.evaluation.splits import Fold, NestedCV, resample_indices
from mining.forks import cpu_seconds, map_forked, processes
from mining.nlp.sharing import sharing
from mining.progress import Steps, note
from mining.schema import Document
from mining.tasks.base import Task

logger = logging.getLogger(__name__)


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
    data = TaskData.build(task, docs, parsed, timer)
    folds = list(evaluation.folds(docs, seed))
    steps = Steps(task.name, len(folds), "fold")
    note(f"{task.name}: {len(data.instances)} instances from {len(docs)} documents, {len(folds)} fold(s)")
    scored = _Scored(task)
    for fold in folds:
        data.warn_unseen(fold)
        model, test_instances, predicted = data.fit_predict(estimator, fold, evaluation.resample, seed, timer)
        scored.add(fold, test_instances, predicted, data.gold_of(fold), docs, timer)
        steps.done()
    metrics = scored.metrics(evaluation.prefix, len(folds))
    if len(folds) > 1:
        # Cross-validation: the recorded model is refitted on every document the folds used (with
        # GroupedCV(split="train") the test documents stay unseen).
        model = data.fit_all(estimator, folds, evaluation.resample, seed, timer)
        note(f"{task.name}: final model on every fold's documents done in {timer.seconds['fit_final']:.1f} s")
    return ExperimentResult(metrics=metrics, predictions=scored.predictions(docs), model=model, task=task,
                            timings=dict(timer.seconds), folds=folds)


def run_nested(*, docs: Sequence[Document], parsed: Sequence, task: Task, candidates: dict[str, Pipeline],
               evaluation: NestedCV, seed: int, timer: Timer | None = None) -> ExperimentResult:
    """Nested CV (:class:`~mining.evaluation.splits.NestedCV`): in each outer fold an inner CV over the outer
    training documents chooses one of ``candidates`` (name -> estimator), which then scores the outer test fold.

    Besides the usual ``nested.*`` scores, ``nested.chosen`` lists the setting each outer fold chose (in fold
    order) and ``nested.inner_scores`` their inner scores by name. The recorded model is the setting chosen
    most often (the first in ``candidates`` order on a tie; ``nested.final_choice``) fitted on every document.
    """
    if not candidates:
        raise UsageError("nested CV needs at least one candidate setting (evaluation.grid)")
    timer = timer or Timer()
    data = TaskData.build(task, docs, parsed, timer)
    folds = list(evaluation.folds(docs, seed))
    steps = Steps(task.name, len(folds), "outer fold")
    note(f"{task.name}: {len(data.instances)} instances from {len(docs)} documents, {len(folds)} outer fold(s), "
         f"{len(candidates)} candidate(s): {', '.join(candidates)}")
    scored = _Scored(task)
    chosen: list[str] = []
    inner_scores: list[dict[str, float]] = []
    for fold in folds:
        data.warn_unseen(fold)
        inner = evaluation.inner_folds(docs, fold, seed)
        scores = {name: data.inner_score(estimator, inner, evaluation, seed, timer)
                  for name, estimator in candidates.items()}
        best = max(scores, key=lambda name: (scores[name], -list(candidates).index(name)))
        chosen.append(best)
        inner_scores.append(scores)
        _, test_instances, predicted = data.fit_predict(candidates[best], fold, evaluation.resample, seed, timer)
        scored.add(fold, test_instances, predicted, data.gold_of(fold), docs, timer)
        steps.done()
    final = max(candidates, key=lambda name: (chosen.count(name), -list(candidates).index(name)))
    metrics = scored.metrics(evaluation.prefix, len(folds))
    metrics.update({f"{evaluation.prefix}.chosen": chosen, f"{evaluation.prefix}.inner_scores": inner_scores,
                    f"{evaluation.prefix}.final_choice": final})
    model = data.fit_all(candidates[final], folds, evaluation.resample, seed, timer)
    return ExperimentResult(metrics=metrics, predictions=scored.predictions(docs), model=model, task=task,
                            timings=dict(timer.seconds), folds=folds)


@dataclass
class TaskData:
    """A task's instances, gold labels and the document of each instance, and fitting and scoring on folds of them.

    ``run_experiment`` and ``run_nested`` use it, and so does ``benchmarks/paired_cv.py``, which scores
    several settings on the same folds.
    """

    task: Task
    instances: list
    gold: np.ndarray
    doc_of: np.ndarray
    _unseen_told: set = field(default_factory=set, repr=False)  # labels already warned of (:meth:`warn_unseen`)

    @classmethod
    def build(cls, task: Task, docs: Sequence[Document], parsed: Sequence, timer: Timer) -> TaskData:
        with timer.stage("instances"):
            instances = task.build_instances(docs, parsed)
            gold = np.asarray(task.gold_labels(instances), dtype=object)
            doc_of = np.array([inst.document.id for inst in instances], dtype=object)
        if len(instances) == 0:
            raise UsageError(f"task {task.name!r} found no instances in {len(docs)} documents: the corpus holds "
                             "nothing this task learns from")
        return cls(task, instances, gold, doc_of)

    def indices(self, doc_ids: frozenset[str]) -> np.ndarray:
        return np.flatnonzero(np.isin(self.doc_of, list(doc_ids)))

    def gold_of(self, fold: Fold) -> list[str]:
        return list(self.gold[self.indices(fold.test)])

    def fit_predict(self, estimator: Pipeline, fold: Fold, resample: str | None, seed: int,
                    timer: Timer) -> tuple[Pipeline, list, list[str]]:
        """Fit a clone on the fold's training documents: it, the test documents' instances and its predictions."""
        train_idx = resample_indices(self.indices(fold.train), self.gold, resample, seed + fold.repeat)
        self.check_labels(train_idx, f"fold {fold.index + 1}, repeat {fold.repeat + 1}")
        model = clone(estimator)
        # sharing(): per-document work (tokens, markers) once per fit and per prediction, not per fold
        # of the stacked and out-of-fold models inside, and equal stacked models fitted once (fit_once). Out-of-fold
        # segmenters fitted in forked processes (n_jobs) build their own, which stays in them.
        with timer.stage("fit"), sharing():
            model.fit([self.instances[i] for i in train_idx], list(self.gold[train_idx]))
        with timer.stage("predict"), sharing():
            test_instances = [self.instances[i] for i in self.indices(fold.test)]
            return model, test_instances, self.task.predict(model, test_instances)

    def warn_unseen(self, fold: Fold) -> None:
        """Warn, once per label, of a gold label of ``fold``'s test documents (a scored fold's: not an inner one of
        nested CV) that none of its training documents has: the model can never predict it, and every such instance
        counts as an error."""
        unseen = sorted(set(self.gold_of(fold)) - set(self.gold[self.indices(fold.train)]) - self._unseen_told)
        if unseen:
            self._unseen_told.update(unseen)
            logger.warning("task %r: the test documents hold the label(s) %s, which no training document has: the "
                           "model cannot predict them", self.task.name, ", ".join(map(repr, unseen)))

    def check_labels(self, train_idx: np.ndarray, where: str) -> None:
        """Refuse training instances of fewer than two labels: a classifier cannot learn from them (scikit-learn
        raises deep in ``fit``, naming no task or fold; a forest would predict the one label for everything)."""
        labels = sorted(set(self.gold[train_idx]))
        if len(labels) >= 2:
            return
        held = (f"give all {len(train_idx)} of their instances the label {labels[0]!r}" if labels
                else "hold no instance")
        raise UsageError(f"task {self.task.name!r}: the training documents ({where}) {held}; a classifier needs two "
                         f"labels or more (of {', '.join(self.task.labels)}): check that the corpus's training "
                         "documents annotate what this task learns")

    def fold_metric(self, estimator: Pipeline, folds: Sequence[Fold], metric: str, resample: str | None,
                    seed: int, timer: Timer, *, source: str = "metric") -> list[float]:
        """``metric`` of ``estimator`` on each of ``folds``, a clone fitted on each fold's training documents.

        A ``metric`` that is no score of the task raises, naming it as ``source`` (where it was set)."""
        values = []
        for fold in folds:
            _, test_instances, predicted = self.fit_predict(estimator, fold, resample, seed, timer)
            scores = fold_scores(self.task, test_instances, self.gold_of(fold), predicted)
            if metric not in scores:
                raise UsageError(f"{source}={metric!r} is not a score of task "
                                 f"{self.task.name!r} ({', '.join(sorted(scores)[:12])}, ...)")
            values.append(float(scores[metric]))
        return values

    def inner_score(self, estimator: Pipeline, inner: Sequence[Fold], evaluation: NestedCV, seed: int,
                    timer: Timer) -> float:
        """Mean ``evaluation.inner_metric`` of ``estimator`` over the inner folds."""
        return float(np.mean(self.fold_metric(estimator, inner, evaluation.inner_metric, evaluation.resample, seed,
                                              timer, source="inner_metric")))

    def fit_all(self, estimator: Pipeline, folds: Sequence[Fold], resample: str | None, seed: int,
                timer: Timer) -> Pipeline:
        """A clone fitted on every document the folds used."""
        used = frozenset().union(*(fold.train | fold.test for fold in folds))
        all_idx = resample_indices(self.indices(used), self.gold, resample, seed)
        self.check_labels(all_idx, "of every fold, for the final model")
        model = clone(estimator)
        with timer.stage("fit_final"), sharing():
            model.fit([self.instances[i] for i in all_idx], list(self.gold[all_idx]))
        return model


def fold_scores(task: Task, test_instances: Sequence, gold: Sequence[str],
                predicted: Sequence[str]) -> dict[str, float]:
    """One fold's scores: the classification scores over ``task.labels`` and the task's own extras."""
    scores = classification_scores(gold, predicted, task.labels)
    scores.update(task.extra_scores(test_instances, gold, predicted))
    return scores


class _Scored:
    """Scores per fold, the pooled confusion matrix, and the first repeat's predicted documents."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.fold_scores: list[dict[str, float]] = []
        self.confusion = np.zeros((len(task.labels), len(task.labels)), dtype=int)
        self.predicted_docs: dict[str, Document] = {}

    def add(self, fold: Fold, test_instances: list, predicted: list[str], gold: list[str],
            docs: Sequence[Document], timer: Timer) -> None:
        with timer.stage("score"):
            self.fold_scores.append(fold_scores(self.task, test_instances, gold, predicted))
            self.confusion += np.asarray(confusion(gold, predicted, self.task.labels))
        if fold.repeat == 0:
            for doc in self.task.apply_predictions(docs, test_instances, predicted):
                self.predicted_docs[doc.id] = doc

    def metrics(self, prefix: str, n_folds: int) -> dict[str, Any]:
        summary = self.fold_scores[0] if len(self.fold_scores) == 1 else aggregate(self.fold_scores)
        metrics: dict[str, Any] = {f"{prefix}.{k}": v for k, v in summary.items()}
        metrics[f"{prefix}.labels"] = list(self.task.labels)
        metrics[f"{prefix}.confusion_matrix"] = self.confusion.tolist()
        metrics[f"{prefix}.n_folds"] = n_folds
        return metrics

    def predictions(self, docs: Sequence[Document]) -> list[Document]:
        order = {d.id: i for i, d in enumerate(docs)}
        return sorted(self.predicted_docs.values(), key=lambda d: order[d.id])


def run_subtasks(*, docs: Sequence[Document], parsed: Sequence, subtasks: dict[str, tuple[Task, Pipeline]],
                 evaluation: Evaluation, seed: int, timer: Timer | None = None, n_jobs: int = 1,
                 first: Sequence[str] = ()) -> ExperimentResult:
    """Several tasks on the same folds (e.g. the four microtext tasks), as one result.

    A subtask whose estimator is a dict (candidate name -> estimator) runs :func:`run_nested` with
    ``evaluation`` (a NestedCV), which chooses among them per subtask.

    Metric keys get the subtask name after the prefix (``cv.role.macro_f1.mean``), the model is
    a dict of pipelines by name, and every predicted document carries ``metadata['subtask']``.

    With ``n_jobs`` > 1 the subtasks, which share nothing but their inputs, run that many at a time,
    each in a process of its own (:func:`_run_forked`); ``first`` names the ones to start first (the
    longest, so that the others fill the other processes meanwhile). Each subtask computes exactly
    what it computes alone, so the result is the same; only the order of the progress lines differs.
    The stage timings are then summed over the processes, and ``subtasks`` is the wall-clock time of
    them all; ``cpu_<name>`` is the CPU time of each subtask, with that of the processes it forked itself
    (:func:`mining.forks.cpu_seconds`), in any case.
    """
    timer = timer or Timer()
    unknown = sorted(set(first) - set(subtasks))
    if unknown:
        raise UsageError(f"subtasks to start first {unknown} are no subtasks ({', '.join(subtasks)})")
    with timer.stage("subtasks"):
        if processes(n_jobs) > 1 and len(subtasks) > 1:
            results = _run_forked(docs, parsed, subtasks, evaluation, seed, n_jobs, first)
        else:
            results = {name: _run_subtask(docs, parsed, subtasks[name], evaluation, seed) for name in subtasks}
    merged = ExperimentResult(metrics={}, predictions=[], model={}, task={})
    for name in subtasks:  # in the subtasks' own order, whichever finished first
        result, cpu = results[name]
        for key, value in result.metrics.items():
            prefix, rest = key.split(".", 1)
            merged.metrics[f"{prefix}.{name}.{rest}"] = value
        for doc in result.predictions:
            doc.metadata["subtask"] = name
        merged.predictions += result.predictions
        merged.model[name] = result.model
        merged.task[name] = result.task
        merged.folds = result.folds
        for stage, seconds in result.timings.items():
            timer.seconds[stage] = round(timer.seconds.get(stage, 0.0) + seconds, 4)
        timer.seconds[f"cpu_{name}"] = cpu
    merged.timings = dict(timer.seconds)
    return merged


def _run_subtask(docs: Sequence[Document], parsed: Sequence, subtask: tuple[Task, Any], evaluation: Evaluation,
                 seed: int) -> tuple[ExperimentResult, float]:
    """One subtask with a timer of its own (:func:`run_nested` for candidate settings, else
    :func:`run_experiment`), and the CPU seconds it took, in this process and the ones it forked
    (:func:`mining.forks.cpu_seconds`): what decides, with ``n_jobs`` > 1, which subtasks should start first."""
    task, estimator = subtask
    cpu = cpu_seconds()
    if isinstance(estimator, dict):  # candidate settings by name: nested CV chooses per subtask
        result = run_nested(docs=docs, parsed=parsed, task=task, candidates=estimator, evaluation=evaluation,
                            seed=seed, timer=Timer())
    else:
        result = run_experiment(docs=docs, parsed=parsed, task=task, estimator=estimator, evaluation=evaluation,
                                seed=seed, timer=Timer())
    return result, round(cpu_seconds() - cpu, 4)


def _run_forked(docs: Sequence[Document], parsed: Sequence, subtasks: dict[str, tuple[Task, Any]],
                evaluation: Evaluation, seed: int, n_jobs: int, first: Sequence[str]) -> dict[str, tuple]:
    """Each subtask's result, computed in ``n_jobs`` forked processes (:func:`mining.forks.map_forked`: the
    children inherit the parsed documents and settings, and only each result comes back); ``first`` starts
    first. Where the platform cannot fork, this raises rather than running something else."""
    order = [*first, *(name for name in subtasks if name not in first)]
    shared = (docs, parsed, subtasks, evaluation, seed)
    return dict(zip(order, map_forked(_forked_subtask, order, n_jobs, shared)))


def _forked_subtask(shared: tuple, name: str) -> tuple[ExperimentResult, float]:
    """In a forked process: subtask ``name`` of the shared inputs, with the fit's BLAS thread limit."""
    docs, parsed, subtasks, evaluation, seed = shared
    with fixed_blas_threads():
        return _run_subtask(docs, parsed, subtasks[name], evaluation, seed)
