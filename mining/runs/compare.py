"""Compare finished runs: one row per run, the config keys that differ, and chosen metrics."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from mining.runs.record import CONFIG, find_runs, read_metrics

IGNORED_PREFIXES = ("hydra", "paths", "nlp.progress", "nlp.n_process", "nlp.batch_size")
MAX_CELL = 40


def flatten(tree: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts -> ``{"a.b.c": value}``; lists stay values."""
    if not isinstance(tree, dict):
        return {prefix: tree}
    out: dict[str, Any] = {}
    for key, value in tree.items():
        out.update(flatten(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
    return {k.rstrip("."): v for k, v in out.items()}


def read_config(run_dir: Path) -> dict[str, Any]:
    """The run's resolved config, flattened, with each config group's choice under ``<group>=``."""
    path = run_dir / CONFIG
    config = flatten(yaml.safe_load(path.read_text(encoding="utf-8"))) if path.exists() else {}
    meta = run_dir / "meta.json"
    if meta.exists():
        choices = json.loads(meta.read_text(encoding="utf-8")).get("choices", {})
        config.update({f"{group}=": choice for group, choice in choices.items()})
    return config


def differing_keys(configs: Sequence[dict[str, Any]]) -> list[str]:
    """Keys whose values differ between runs; a group whose choice differs stands for all its keys."""
    keys = sorted({k for c in configs for k in c})
    differ = [k for k in keys if len({repr(c.get(k)) for c in configs}) > 1
              and not k.startswith(IGNORED_PREFIXES)]
    groups = [k[:-1] for k in differ if k.endswith("=")]
    return [k for k in differ if k.endswith("=") or not any(k == g or k.startswith(g + ".") for g in groups)]


def collect(paths: Sequence[str | Path], *, sort_by: str | None = None,
            metrics: Sequence[str] | None = None) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: run, the differing config keys, then the metrics; best ``sort_by`` first."""
    runs = find_runs(paths)
    if not runs:
        raise FileNotFoundError(f"no finished runs (directories with metrics.json) under {list(map(str, paths))}")
    configs = [read_config(r) for r in runs]
    results = [read_metrics(r) for r in runs]
    differing = differing_keys(configs) if len(runs) > 1 else []
    if metrics is None:
        scalar = sorted({k for m in results for k, v in m.items() if isinstance(v, (int, float))})
        metrics = [k for k in scalar if k.endswith(("macro_f1", "macro_f1.mean", "macro_f1.std"))]
    if sort_by is None:
        optimized = {c.get("optimized_metric") for c in configs} - {None}
        sort_by = optimized.pop() if len(optimized) == 1 else (metrics[0] if metrics else None)
    if sort_by is not None and sort_by not in metrics:
        metrics = [sort_by, *metrics]
    root = Path(os.path.commonpath([str(r) for r in runs])) if len(runs) > 1 else runs[0].parent
    rows = []
    for run, cfg, res in zip(runs, configs, results):
        rows.append([str(run.relative_to(root)), *[_cell(cfg.get(k)) for k in differing],
                     *[res.get(m) for m in metrics]])
    if sort_by is not None:
        col = 1 + len(differing) + list(metrics).index(sort_by)
        rows.sort(key=lambda r: (r[col] is None, -(r[col] or 0.0)))
    return ["run", *[k.rstrip("=") for k in differing], *metrics], rows


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    if isinstance(value, str) and len(value) > MAX_CELL:
        value = value[:MAX_CELL - 3] + "..."
    return value


def render(header: list[str], rows: list[list[Any]], fmt: str = "table") -> str:
    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.4f}"
        return "" if v is None else str(v)

    body = [[cell(v) for v in row] for row in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
        return out.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(lines) + "\n"
    widths = [max(len(x) for x in col) for col in zip(header, *body)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in body]
    return "\n".join(lines) + "\n"
