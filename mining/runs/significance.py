"""Paired significance tests of two runs on the same test instances, resampling whole documents.

Both tests work on one confusion matrix per test document and system, so a resample is a weighted
sum of matrices and the metric is recomputed on the pooled instances of the resample, as it is for
the run (macro-F1 is not an average over documents, so it cannot be resampled per instance).

- **Paired bootstrap** (Koehn 2004; Berg-Kirkpatrick et al. 2012): draw the test documents with
  replacement, score A and B on the same draw, and keep the difference ``δ* = B − A``. The 95%
  interval is the 2.5th and 97.5th percentile of ``δ*``. The two-sided p-value uses the *shift
  method* (Efron & Tibshirani 1993, section 16.4): the bootstrap distribution, moved to be centred
  on 0, stands for the null, so ``p = (1 + #{|δ* − δ| ≥ |δ|}) / (R + 1)`` with ``δ`` the observed
  difference and ``R`` the number of resamples.
- **Approximate randomization** (Noreen 1989; Riezler & Maxwell 2005): under the null the two
  systems are exchangeable, so each document's A and B predictions are swapped with probability
  1/2, and ``p = (1 + #{|δ*| ≥ |δ|}) / (R + 1)``. The interval reported with it is the paired
  bootstrap interval of the same seed.

Identical runs give ``δ = 0`` and ``p = 1`` under both tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mining.corpora import jsonl
from mining.errors import NotFinishedError, RunRecordError, UsageError, short_repr
from mining.runs.compare import render
from mining.runs.jsonfile import read_json_object
from mining.runs.record import CONFIG, META, METRICS, PREDICTIONS, read_metrics, read_resolved_config, record_file
from mining.schema import Document

TESTS = ("bootstrap", "permutation")
DEFAULT_RESAMPLES = 10_000
CONFIDENCE = 0.95
# Differences of macro-F1 computed from integer counts agree exactly, but a sum of floats may not.
EPSILON = 1e-12
# The tasks, by the name a run records in meta.json, whose predictions the tests know how to read.
TASKS = ("components", "stance", "relations")
# Runs recorded before meta.json named the task: the task's _target_ in the resolved config -> its name.
LEGACY_TARGETS = {
    "mining.tasks.components.ComponentTask": "components",
    "mining.tasks.stance.StanceTask": "stance",
    "mining.tasks.relations.RelationTask": "relations",
}
P_METHODS = {
    "bootstrap": "two-sided, shift method: (1 + #{|d* - d| >= |d|}) / (R + 1)",
    "permutation": "two-sided: (1 + #{|d*| >= |d|}) / (R + 1)",
}

# (instance key, gold label, predicted label); the key names the instance within its document.
Item = tuple[str, str, str]


@dataclass
class SignificanceResult:
    """A paired test of B against A: scores, the difference B − A, its interval and the p-value."""

    test: str
    metric: str
    score_a: float
    score_b: float
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    resamples: int
    seed: int
    documents: int
    instances: int
    confidence: float = CONFIDENCE
    p_method: str = ""
    ci_method: str = "paired bootstrap over documents, percentile interval"
    run_a: str = "A"
    run_b: str = "B"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def task_of(run_dir: str | Path) -> str:
    """``components``, ``stance`` or ``relations``: the task name in the run's ``meta.json``.

    Runs recorded before ``meta.json`` named the task are read from the task ``_target_`` of their
    resolved config (:data:`LEGACY_TARGETS`).
    """
    meta_path = Path(run_dir) / META
    meta = read_json_object(record_file(run_dir, META)) if meta_path.exists() else {}
    if "task" in meta or "subtasks" in meta:
        several, task = bool(meta.get("subtasks")), meta.get("task")
    else:
        several, task = _legacy_task_of(run_dir)
    if several:
        raise RunRecordError(f"{run_dir} runs several subtasks; significance tests compare single-task runs")
    if task not in TASKS:
        raise RunRecordError(f"{run_dir}: significance tests read the predictions of {sorted(TASKS)} runs, "
                             f"not of task {task!r}")
    return task


def _legacy_task_of(run_dir: str | Path) -> tuple[bool, str | None]:
    """Whether a run whose ``meta.json`` does not name its task ran subtasks, and its task's name, from its
    resolved config's task ``_target_`` (the ``_target_`` itself when it names no task we know)."""
    path = Path(run_dir) / CONFIG
    if not path.exists():
        raise NotFinishedError(f"{run_dir} has no {CONFIG}: not a finished run of `mining run`")
    config = read_resolved_config(run_dir)
    target = (config.get("task") or {}).get("_target_")
    return bool(config.get("subtasks")), LEGACY_TARGETS.get(target, target)


def prediction_items(docs: Sequence[Document], task: str, *, source: str | Path = "<predictions>"
                     ) -> dict[str, list[Item]]:
    """Per document id, every test instance of a ``predictions.jsonl`` with its gold and predicted label.

    Components and stance: the units carrying ``attributes.gold`` (predicted ``label`` or ``stance``).
    Relations: every ordered pair of units in one paragraph, as ``RelationTask`` builds them, gold
    from ``metadata.gold_relations`` and predicted from ``relations``, ``none`` when unlinked.
    """
    if task not in TASKS:
        raise UsageError(f"unknown task {task!r}; expected one of {sorted(TASKS)}")
    out: dict[str, list[Item]] = {}
    for doc in docs:
        if task == "relations":
            out[doc.id] = _relation_items(doc, source)
        else:
            out[doc.id] = [(u.id, str(u.attributes["gold"]), str(u.label if task == "components" else u.stance))
                           for u in doc.units if "gold" in u.attributes]
    return out


def _recorded_items(run: Path, task: str) -> dict[str, list[Item]]:
    """:func:`prediction_items` of the run's recorded ``predictions.jsonl``."""
    return prediction_items(jsonl.load(record_file(run, PREDICTIONS)), task, source=run / PREDICTIONS)


def _relation_items(doc: Document, source: str | Path) -> list[Item]:
    """The items of one document of ``source`` (a relation run's ``predictions.jsonl``): its ``gold_relations``
    must be a list of ``{"source", "target", "label"}`` objects, or the record is refused, naming the document."""
    from mining.tasks.relations import NONE

    recorded = doc.metadata.get("gold_relations")
    if not isinstance(recorded, list) or not all(
            isinstance(r, dict) and all(isinstance(r.get(k), str) for k in ("source", "target", "label"))
            for r in recorded):
        problem = "no" if recorded is None else "a malformed"
        raise RunRecordError(f"{source} [{doc.id}]: {problem} metadata.gold_relations (a list of {{\"source\", "
                             "\"target\", \"label\"} objects): not the predictions of a relation run")
    gold = {(r["source"], r["target"]): r["label"] for r in recorded}
    predicted = {(r.source, r.target): r.label for r in doc.relations}
    by_paragraph: dict[int, list[str]] = {}
    for unit in sorted(doc.units, key=lambda u: (u.start, u.end)):
        by_paragraph.setdefault(doc.paragraph_index(unit.start), []).append(unit.id)
    return [(f"{a}->{b}", gold.get((a, b), NONE), predicted.get((a, b), NONE))
            for members in by_paragraph.values() for a in members for b in members if a != b]


def paired_confusions(items_a: Mapping[str, Sequence[Item]], items_b: Mapping[str, Sequence[Item]],
                      labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per-document confusion matrices ``(documents, labels, labels)`` of A and B, rows gold.

    Raises ``ValueError`` unless both runs hold the same documents, the same instances in each and
    the same gold labels: a paired test compares two systems on one test set.
    """
    if set(items_a) != set(items_b):
        only_a, only_b = sorted(set(items_a) - set(items_b)), sorted(set(items_b) - set(items_a))
        raise RunRecordError(f"the two runs were tested on different documents: {len(only_a)} only in A "
                         f"{only_a[:3]}, {len(only_b)} only in B {only_b[:3]}")
    doc_ids = sorted(items_a)
    index = {label: i for i, label in enumerate(labels)}
    conf_a = np.zeros((len(doc_ids), len(labels), len(labels)), dtype=np.int64)
    conf_b = np.zeros_like(conf_a)
    for d, doc_id in enumerate(doc_ids):
        gold_a = {key: gold for key, gold, _ in items_a[doc_id]}
        gold_b = {key: gold for key, gold, _ in items_b[doc_id]}
        if gold_a.keys() != gold_b.keys():
            diff = sorted(gold_a.keys() ^ gold_b.keys())
            raise RunRecordError(f"the two runs were tested on different instances in document {doc_id!r}: "
                             f"{len(diff)} in only one of them, e.g. {diff[:3]}")
        wrong = [key for key in gold_a if gold_a[key] != gold_b[key]]
        if wrong:
            raise RunRecordError(f"the two runs disagree on the gold labels in document {doc_id!r}, e.g. {wrong[:3]}")
        for conf, items in ((conf_a, items_a[doc_id]), (conf_b, items_b[doc_id])):
            for _, gold, predicted in items:
                for label in (gold, predicted):
                    if label not in index:
                        raise ValueError(f"label {label!r} in document {doc_id!r} is not among {list(labels)}")
                conf[d, index[gold], index[predicted]] += 1
    return conf_a, conf_b, doc_ids


def scorer(metric: str, labels: Sequence[str], *, none_label: str | None = None) -> Callable[[np.ndarray], np.ndarray]:
    """A function from confusion matrices ``(..., L, L)`` (rows gold) to the metric, shape ``(...)``.

    Matches :func:`mining.evaluation.metrics.classification_scores`: ``macro_f1`` averages the F1 of
    the labels present in gold, ``accuracy``, ``per_class.<label>.f1`` (0 when the
    label is absent), and for relations ``link.macro_f1`` (every label but ``none_label`` is a link).
    """
    labels = list(labels)

    def f1(tp, gold_n, pred_n):
        denominator = gold_n + pred_n
        return np.divide(2.0 * tp, denominator, out=np.zeros(np.shape(tp)), where=denominator > 0), denominator > 0

    def counts(conf):
        conf = np.asarray(conf, dtype=float)
        return np.diagonal(conf, axis1=-2, axis2=-1), conf.sum(axis=-1), conf.sum(axis=-2)

    if metric == "macro_f1":
        def score(conf):
            tp, gold_n, pred_n = counts(conf)
            values, present = f1(tp, gold_n, pred_n)[0], gold_n > 0
            n_present = present.sum(axis=-1)
            return np.divide((values * present).sum(axis=-1), n_present, out=np.zeros(np.shape(n_present)),
                             where=n_present > 0)
    elif metric == "accuracy":
        def score(conf):
            tp, gold_n, _ = counts(conf)
            total = gold_n.sum(axis=-1)
            return np.divide(tp.sum(axis=-1), total, out=np.zeros(np.shape(total)), where=total > 0)
    elif metric.startswith("per_class.") and metric.endswith(".f1") and metric[10:-3] in labels:
        i = labels.index(metric[10:-3])

        def score(conf):
            tp, gold_n, pred_n = counts(conf)
            return f1(tp[..., i], gold_n[..., i], pred_n[..., i])[0]
    elif metric == "link.macro_f1" and none_label in labels:
        n = labels.index(none_label)

        def score(conf):
            conf = np.asarray(conf, dtype=float)
            total = conf.sum(axis=(-2, -1))
            no_link = conf[..., n, n]
            gold_none, pred_none = conf[..., n, :].sum(axis=-1), conf[..., :, n].sum(axis=-1)
            link = total - gold_none - pred_none + no_link  # gold link and predicted link (any label)
            # Both classes always count, as with f1_score(labels=["link", "no-link"]) in RelationTask.
            f_link = f1(link, total - gold_none, total - pred_none)[0]
            f_none = f1(no_link, gold_none, pred_none)[0]
            return (f_link + f_none) / 2.0
    else:
        supported = ["macro_f1", "accuracy", *[f"per_class.{lab}.f1" for lab in labels]]
        supported += ["link.macro_f1"] if none_label in labels else []
        raise UsageError(f"cannot test metric {metric!r}; choose one of {supported}")
    return score


def bootstrap_differences(conf_a: np.ndarray, conf_b: np.ndarray, score: Callable[[np.ndarray], np.ndarray], *,
                          resamples: int, seed: int, chunk: int = 1000) -> np.ndarray:
    """``score(B) − score(A)`` on ``resamples`` draws of the documents with replacement (the same draw for both:
    one seed gives :func:`bootstrap_scores` the same draws)."""
    draws = {"resamples": resamples, "seed": seed, "chunk": chunk}
    return bootstrap_scores(conf_b, score, **draws) - bootstrap_scores(conf_a, score, **draws)


def permutation_differences(conf_a: np.ndarray, conf_b: np.ndarray, score: Callable[[np.ndarray], np.ndarray], *,
                            resamples: int, seed: int, chunk: int = 1000) -> np.ndarray:
    """``score(B') − score(A')`` where each document's A and B predictions are swapped with probability 1/2."""
    rng = np.random.default_rng(seed)
    n_docs, n_labels, _ = conf_a.shape
    total_a, total_b = conf_a.sum(axis=0), conf_b.sum(axis=0)
    delta = (conf_b - conf_a).reshape(n_docs, -1)
    out = []
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        swap = rng.integers(0, 2, size=(size, n_docs))
        moved = (swap @ delta).reshape(size, n_labels, n_labels)  # what swapping moves from B to A
        out.append(score(total_b - moved) - score(total_a + moved))
    return np.concatenate(out) if out else np.zeros(0)


def paired_test(conf_a: np.ndarray, conf_b: np.ndarray, score: Callable[[np.ndarray], np.ndarray], *,
                test: str = "bootstrap", metric: str = "macro_f1", resamples: int = DEFAULT_RESAMPLES,
                seed: int = 0) -> SignificanceResult:
    """Test whether B and A differ in ``score`` on the same documents (see the module docstring)."""
    if test not in TESTS:
        raise UsageError(f"unknown test {test!r}; choose one of {TESTS}")
    _check_resamples(resamples)
    if conf_a.shape != conf_b.shape or conf_a.ndim != 3 or conf_a.shape[0] == 0:
        raise ValueError(f"expected two (documents, labels, labels) arrays of one shape, got {conf_a.shape} "
                         f"and {conf_b.shape}")
    score_a, score_b = float(score(conf_a.sum(axis=0))), float(score(conf_b.sum(axis=0)))
    observed = score_b - score_a
    boot = bootstrap_differences(conf_a, conf_b, score, resamples=resamples, seed=seed)
    if test == "bootstrap":
        extreme = np.abs(boot - observed) >= abs(observed) - EPSILON
    else:
        null = permutation_differences(conf_a, conf_b, score, resamples=resamples, seed=seed)
        extreme = np.abs(null) >= abs(observed) - EPSILON
    low, high = _interval(boot)
    return SignificanceResult(test=test, metric=metric, score_a=score_a, score_b=score_b, difference=observed,
                              ci_low=low, ci_high=high,
                              p_value=float((1 + int(extreme.sum())) / (resamples + 1)), resamples=resamples,
                              seed=seed, documents=int(conf_a.shape[0]), instances=int(conf_a.sum()),
                              p_method=P_METHODS[test])


def compare_runs(run_a: str | Path, run_b: str | Path, *, test: str = "bootstrap", metric: str = "macro_f1",
                 resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> SignificanceResult:
    """Paired test of run B against run A from their ``predictions.jsonl``.

    ``metric`` may carry the split prefix of ``metrics.json`` (``test.macro_f1``). Cross-validated
    runs are compared on their pooled out-of-fold predictions of the first repeat, which is what
    their ``predictions.jsonl`` holds.
    """
    run_a, run_b = Path(run_a), Path(run_b)
    task, task_b = task_of(run_a), task_of(run_b)
    if task_b != task:
        raise RunRecordError(f"cannot pair a {task} run ({run_a}) with a {task_b} run ({run_b})")
    for run in (run_a, run_b):
        if not (run / METRICS).exists() or not (run / PREDICTIONS).exists():
            raise NotFinishedError(f"{run} is not a finished run with {PREDICTIONS}")
    items_a, items_b = _recorded_items(run_a, task), _recorded_items(run_b, task)
    labels = _labels(run_a, run_b, items_a, items_b)
    conf_a, conf_b, _ = paired_confusions(items_a, items_b, labels)
    metric, score = _run_scorer(task, metric, labels)
    result = paired_test(conf_a, conf_b, score, test=test, metric=metric, resamples=resamples, seed=seed)
    result.run_a, result.run_b = str(run_a), str(run_b)
    return result


def bootstrap_scores(conf: np.ndarray, score: Callable[[np.ndarray], np.ndarray], *, resamples: int, seed: int,
                     chunk: int = 1000) -> np.ndarray:
    """``score`` of one run on ``resamples`` draws of its test documents with replacement."""
    rng = np.random.default_rng(seed)
    n_docs, n_labels, _ = conf.shape
    flat = conf.reshape(n_docs, -1)
    out = []
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        # How often each document is drawn when n_docs documents are drawn with replacement.
        weights = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=size)
        out.append(score((weights @ flat).reshape(size, n_labels, n_labels)))
    return np.concatenate(out) if out else np.zeros(0)


def run_interval(run: str | Path, *, metric: str = "macro_f1", resamples: int = DEFAULT_RESAMPLES,
                 seed: int = 0) -> dict[str, Any]:
    """The run's score and its 95% bootstrap interval over test documents (percentile method): how much
    the score would move on another draw of as many documents from the same population."""
    run = Path(run)
    task = task_of(run)
    if not (run / PREDICTIONS).exists():
        raise NotFinishedError(f"{run} is not a finished run with {PREDICTIONS}")
    _check_resamples(resamples)
    items = _recorded_items(run, task)
    labels = _labels(run, run, items)
    conf, _, _ = paired_confusions(items, items, labels)
    metric, score = _run_scorer(task, metric, labels)
    low, high = _interval(bootstrap_scores(conf, score, resamples=resamples, seed=seed))
    return {"run": str(run), "metric": metric, "score": float(score(conf.sum(axis=0))), "ci_low": low,
            "ci_high": high, "confidence": CONFIDENCE, "resamples": resamples, "seed": seed,
            "documents": int(conf.shape[0]), "instances": int(conf.sum())}


def render_interval(result: Mapping[str, Any]) -> str:
    level = f"{result['confidence']:.0%}"
    return (f"{result['run']}  {result['metric']} = {result['score']:.4f}, {level} CI [{result['ci_low']:.4f}, "
            f"{result['ci_high']:.4f}] (bootstrap over {result['documents']} test documents, "
            f"{result['instances']} instances, {result['resamples']} resamples, seed {result['seed']})\n")


def _labels(run_a: Path, run_b: Path, *items: Mapping[str, Sequence[Item]]) -> list[str]:
    """The labels of the runs' metrics (task order), then any other label seen in the predictions."""
    labels: list[str] = []
    for run in (run_a, run_b):
        metrics = read_metrics(run)
        for key, value in metrics.items():
            if key.endswith(".labels"):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise RunRecordError(f"{run / METRICS}: its {key!r} must be a list of label names, got "
                                         f"{short_repr(value)}; a run writes it so: re-run the experiment, or "
                                         "restore the file")
                labels += [v for v in value if v not in labels]
    seen = sorted({label for by_doc in items for doc in by_doc.values() for _, g, p in doc for label in (g, p)})
    return labels + [label for label in seen if label not in labels]


def render_result(result: SignificanceResult, fmt: str = "table") -> str:
    """Readable lines (``table``), or one row of ``markdown``/``csv`` with :func:`mining.runs.compare.render`."""
    level = f"{result.confidence:.0%}"
    if fmt == "table":
        return "\n".join([
            f"paired {'bootstrap' if result.test == 'bootstrap' else 'permutation test (approximate randomization)'}"
            f" over {result.documents} documents ({result.instances} instances), {result.resamples} resamples, "
            f"seed {result.seed}",
            f"A  {result.run_a}  {result.metric} = {result.score_a:.4f}",
            f"B  {result.run_b}  {result.metric} = {result.score_b:.4f}",
            f"difference B - A = {result.difference:+.4f}, {level} CI [{result.ci_low:+.4f}, {result.ci_high:+.4f}] "
            f"({result.ci_method})",
            f"p = {result.p_value:.4f} ({result.p_method})",
        ]) + "\n"
    header = ["A", "B", "metric", "A score", "B score", "B - A", f"{level} CI low", f"{level} CI high", "p", "test",
              "resamples", "documents"]
    row = [result.run_a, result.run_b, result.metric, result.score_a, result.score_b, result.difference,
           result.ci_low, result.ci_high, result.p_value, result.test, result.resamples, result.documents]
    return render(header, [row], fmt)


def _check_resamples(resamples: int) -> None:
    if resamples < 1:
        raise UsageError(f"resamples must be at least 1, got {resamples}")


def _interval(values: np.ndarray) -> tuple[float, float]:
    """The central ``CONFIDENCE`` interval of ``values`` (percentile method)."""
    tail = (1.0 - CONFIDENCE) / 2.0 * 100.0
    low, high = np.percentile(values, [tail, 100.0 - tail])
    return float(low), float(high)


def _run_scorer(task: str, metric: str, labels: list[str]) -> tuple[str, Callable[[np.ndarray], np.ndarray]]:
    """``metric`` without its split prefix (``test.``, ``cv.``), and its scorer for a run of ``task``."""
    none_label = None
    if task == "relations":
        from mining.tasks.relations import NONE as none_label
    for prefix in ("test.", "cv."):
        metric = metric.removeprefix(prefix)
    return metric, scorer(metric, labels, none_label=none_label)
