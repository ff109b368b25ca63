"""Compare finished runs: one row per run or per configuration, the config keys that differ, and metrics."""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mining.errors import NotFinishedError, UsageError, printable
from mining.runs.aggregate import RunGroup, Spread, differs_by_seed, group_runs, grouping_keys, is_score
from mining.runs.links import Vouchers
from mining.runs.record import META, find_runs, read_meta, read_metrics, read_resolved_config

# The tracker and where files go (or whether they may replace others) change no result, so they never
# tell configurations apart.
IGNORED_PREFIXES = ("hydra", "paths", "tracking", "overwrite", "nlp.progress", "nlp.n_process", "nlp.batch_size")
MAX_CELL = 40


def flatten(tree: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts -> ``{"a.b.c": value}``; lists stay values."""
    if not isinstance(tree, dict):
        return {prefix: tree}
    out: dict[str, Any] = {}
    for key, value in tree.items():
        out.update(flatten(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
    return {k.rstrip("."): v for k, v in out.items()}


# What meta.json says of a run's data, compared like config keys: two runs on the same corpus path
# before and after new annotations were merged into it differ here, not in their config.
DATA_KEYS = {"fingerprint": "data fingerprint", "documents": "documents", "training_documents": "training documents"}


def read_config(run_dir: Path, vouchers: Vouchers | None = None) -> dict[str, Any]:
    """The run's resolved config, flattened, with each config group's choice under ``<group>=`` and what
    ``meta.json`` recorded of its data (fingerprint, shortened, and document counts); ``vouchers`` as for
    :func:`~mining.runs.record.record_file`."""
    # A run without its config is refused: compared as an empty one, every setting of the others "differed" from it.
    config = flatten(read_resolved_config(run_dir, vouchers=vouchers))
    if (run_dir / META).exists():
        recorded = read_meta(run_dir, vouchers=vouchers)  # its fields of the types read below, or refused
        config.update({f"{group}=": choice for group, choice in (recorded.get("choices") or {}).items()})
        data = recorded.get("data") or {}
        config.update({name: str(data[key])[:12] if key == "fingerprint" else data[key]
                       for key, name in DATA_KEYS.items() if data.get(key) is not None})
    return config


def differing_keys(configs: Sequence[dict[str, Any]]) -> list[str]:
    """Keys whose values differ between runs; a group whose choice differs stands for all its keys."""
    keys = sorted({k for c in configs for k in c})
    differ = [k for k in keys if len({repr(c.get(k)) for c in configs}) > 1
              and not k.startswith(IGNORED_PREFIXES)]
    groups = [k[:-1] for k in differ if k.endswith("=")]
    return [k for k in differ if k.endswith("=") or not any(k == g or k.startswith(g + ".") for g in groups)]


def load_runs(paths: Sequence[str | Path]) -> tuple[list[Path], list[dict[str, Any]], list[dict[str, Any]]]:
    """The finished runs under ``paths``, each with its flattened config and its metrics. A path that holds no
    finished run is refused, naming it: beside others, it would be left out of the table without a word (a run
    whose experiment failed, a sweep still running, a mistyped folder)."""
    found = {path: find_runs([path]) for path in paths}
    runs = sorted({run for held in found.values() for run in held})
    if not runs:
        raise NotFinishedError(f"no finished runs (directories with metrics.json) under {list(map(str, paths))}")
    for path, held in found.items():
        if not held:
            raise NotFinishedError(f"{path}: holds no finished run (a directory with metrics.json); leave it out, "
                                   "or finish or re-run its experiment")
    with Vouchers() as vouchers:  # a sweep checked into git-annex or DVC: git asked once per run, not per file
        return runs, [read_config(r, vouchers) for r in runs], [read_metrics(r, vouchers=vouchers) for r in runs]


def choose_metrics(configs: Sequence[dict[str, Any]], results: Sequence[dict[str, Any]], *,
                   metrics: Sequence[str] | None, sort_by: str | None,
                   with_std: bool = True) -> tuple[list[str], str | None]:
    """The metric columns (default: the macro-F1 keys) and the one to sort by (default: ``optimized_metric``)."""
    if metrics is None:
        scalar = sorted({k for m in results for k, v in m.items() if is_score(v)})
        suffixes = ("macro_f1", "macro_f1.mean", "macro_f1.std") if with_std else ("macro_f1", "macro_f1.mean")
        metrics = [k for k in scalar if k.endswith(suffixes)]
    else:
        _check_known(metrics, results, "--metrics")
    metrics = list(metrics)
    if sort_by is not None:
        _check_known([sort_by], results, "--sort")
        if not any(is_score(m.get(sort_by)) for m in results):
            raise UsageError(f"--sort: {sort_by!r} is no score to rank by in the compared runs (not a number)")
    else:
        optimized = {c.get("optimized_metric") for c in configs} - {None}
        sort_by = optimized.pop() if len(optimized) == 1 else None
        if not any(is_score(m.get(sort_by)) for m in results):  # none, or a list the config named
            sort_by = metrics[0] if metrics else None
    if sort_by is not None and sort_by not in metrics:
        metrics = [sort_by, *metrics]
    return metrics, sort_by


def _check_known(names: Sequence[str], results: Sequence[dict[str, Any]], option: str) -> None:
    """Refuse a metric no compared run has, naming it and the closest metric names the runs have."""
    for name in names:
        if not any(name in m for m in results):
            known = sorted({k for m in results for k, v in m.items() if is_score(v)})
            close = difflib.get_close_matches(name, known, n=4, cutoff=0.6)
            hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(known[:8])}" + (
                ", ..." if len(known) > 8 else "")
            raise UsageError(f"{option}: no compared run has the metric {name!r}; {hint}")


def collect(paths: Sequence[str | Path], *, sort_by: str | None = None, metrics: Sequence[str] | None = None,
            aggregate: bool | None = None) -> tuple[list[str], list[list[Any]]]:
    """Header and rows, best ``sort_by`` first.

    Per run: ``run``, the differing config keys, then the metrics. Aggregated (``aggregate=True``, or
    by default when the runs differ by ``seed`` and some configuration was run more than once): one
    row per configuration, keyed by the differing config keys except the seed and the keys derived
    from it (``*random_state``), with ``n`` runs, their ``seeds``, and per metric a
    :class:`~mining.runs.aggregate.Spread` (mean ± std) and its ``.min`` and ``.max``.
    """
    runs, configs, results = load_runs(paths)
    differing = differing_keys(configs) if len(runs) > 1 else []
    keys = grouping_keys(configs, differing)
    groups = group_runs(runs, configs, results, keys)
    if aggregate is None:
        aggregate = differs_by_seed(configs, groups)
    # A std over seeds of a std over folds says little; ask for it with ``metrics`` if wanted.
    metrics, sort_by = choose_metrics(configs, results, metrics=metrics, sort_by=sort_by, with_std=not aggregate)
    if aggregate:
        if sort_by is not None:
            groups = _best_first(groups, sort_by)
        header = [*[k.rstrip("=") for k in keys], "n", "seeds"]
        for m in metrics:
            header += [m, f"{m}.min", f"{m}.max"]
        rows = []
        for group in groups:
            row = [*[_cell(group.config[k]) for k in keys], len(group.runs), ",".join(map(str, group.seeds))]
            for m in metrics:
                s = group.spread(m)
                row += [s, s.min, s.max] if s is not None else [None, None, None]
            rows.append(row)
        return header, rows
    root = Path(os.path.commonpath([str(r) for r in runs])) if len(runs) > 1 else runs[0].parent
    rows = []
    for run, cfg, res in zip(runs, configs, results):
        rows.append([str(run.relative_to(root)), *[_cell(cfg.get(k)) for k in differing],
                     *[res.get(m) for m in metrics]])
    if sort_by is not None:
        col = 1 + len(differing) + list(metrics).index(sort_by)
        rows.sort(key=lambda r: (not is_score(r[col]), -r[col] if is_score(r[col]) else 0.0))
    return ["run", *[k.rstrip("=") for k in differing], *metrics], rows


def plot_sweep(paths: Sequence[str | Path], out: str | Path, *, metric: str | None = None) -> Path:
    """Bar chart of ``metric`` (default: ``optimized_metric``) per configuration, with the spread over seeds."""
    from mining.runs.plots import plot_comparison

    runs, configs, results = load_runs(paths)
    keys = grouping_keys(configs, differing_keys(configs) if len(runs) > 1 else [])
    _, metric = choose_metrics(configs, results, metrics=None, sort_by=metric)
    if metric is None:
        raise UsageError("no metric to plot: pass one with --sort")
    groups = [g for g in group_runs(runs, configs, results, keys) if g.values(metric)]
    if not groups:
        raise UsageError(f"no run has the metric {metric!r}")
    groups = _best_first(groups, metric)
    return plot_comparison([configuration_name(g.config, keys) for g in groups], [g.values(metric) for g in groups],
                           out, metric=metric)


def configuration_name(config: dict[str, Any], keys: Sequence[str]) -> str:
    """A configuration as the plot labels its bar: ``model=logreg end_to_end=true``, or ``all runs``."""
    return " ".join(f"{k.rstrip('=')}={_yaml_bool(_cell(config[k]))}" for k in keys) or "all runs"


def _best_first(groups: list[RunGroup], metric: str) -> list[RunGroup]:
    def key(group: RunGroup) -> tuple[bool, float]:
        spread = group.spread(metric)
        return (spread is None, -spread.mean if spread is not None else 0.0)

    return sorted(groups, key=key)


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    if isinstance(value, str) and len(value) > MAX_CELL:
        value = value[:MAX_CELL - 3] + "..."
    return value


def render(header: list[str], rows: list[list[Any]], fmt: str = "table") -> str:
    """``table`` (aligned text), ``markdown`` (a GitHub table to paste into a README) or ``csv``.

    A :class:`~mining.runs.aggregate.Spread` cell reads ``mean ± std`` and its column is headed
    ``<metric> mean ± std``; in CSV it becomes two numeric columns, ``<metric>.mean`` and ``<metric>.std``.
    """
    spread_cols = {i for row in rows for i, v in enumerate(row) if isinstance(v, Spread)}
    # names, keys and values come from anyone's records: a terminal acts on their control characters
    header = [printable(h) for h in header]
    rows = [[printable(v) if isinstance(v, str) else v for v in row] for row in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([name for i, h in enumerate(header)
                         for name in ((f"{h}.mean", f"{h}.std") if i in spread_cols else (h,))])
        for row in rows:
            writer.writerow([x for i, v in enumerate(row) for x in _csv_cells(v, i in spread_cols)])
        return out.getvalue()
    header = [f"{h} mean ± std" if i in spread_cols else h for i, h in enumerate(header)]
    body = [[_text(v) for v in row] for row in rows]
    if fmt == "markdown":
        numeric = [all(map(_is_number, col)) for col in zip(*rows)] if rows else [False] * len(header)
        lines = ["| " + " | ".join(_escape(h) for h in header) + " |",
                 "|" + "|".join("---:" if num else "---" for num in numeric) + "|"]
        lines += ["| " + " | ".join(_escape(c) for c in r) + " |" for r in body]
        return "\n".join(lines) + "\n"
    widths = [max(len(x) for x in col) for col in zip(header, *body)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in body]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _yaml_bool(v: Any) -> Any:
    """A boolean as the YAML configs (and JSON) spell it, ``true``/``false``, not Python's ``True``; other values as
    they are."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def _text(v: Any) -> str:
    """A cell as the table and the Markdown show it: a float to 4 places, a boolean as in the configs, None empty."""
    if isinstance(v, bool):
        return _yaml_bool(v)
    if isinstance(v, Spread):
        return f"{v.mean:.4f} ± {v.std:.4f}"
    if isinstance(v, float):
        return f"{v:.4f}"
    return "" if v is None else str(v)


def _is_number(v: Any) -> bool:
    return v is None or (isinstance(v, (int, float, Spread)) and not isinstance(v, bool))


def _csv_cells(v: Any, spread: bool) -> list[Any]:
    if spread:
        return [f"{v.mean:.4f}", f"{v.std:.4f}"] if isinstance(v, Spread) else ["", ""]
    return [_text(v) if isinstance(v, (float, bool)) else ("" if v is None else v)]


def _escape(text: str) -> str:
    """A ``|`` inside a cell would end the cell in Markdown."""
    return text.replace("|", "\\|")
