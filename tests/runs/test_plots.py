"""Run plots (confusion matrix, per-class F1) and the sweep bar chart are PNGs, drawn without pyplot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mining.runs.plots import CONFUSION_MATRIX, PER_CLASS_F1, plot_comparison, write_run_plots

PNG = b"\x89PNG\r\n\x1a\n"
LABELS = ["major_claim", "claim", "premise"]


def split_metrics(prefix: str = "test") -> dict:
    metrics = {f"{prefix}.labels": LABELS, f"{prefix}.confusion_matrix": [[9, 1, 0], [2, 20, 8], [0, 5, 60]],
               f"{prefix}.macro_f1": 0.83}
    for label, f1, support in zip(LABELS, [0.86, 0.71, 0.92], [10, 30, 65]):
        metrics[f"{prefix}.per_class.{label}.f1"] = f1
        metrics[f"{prefix}.per_class.{label}.support"] = float(support)
    return metrics


def cv_metrics(prefix: str = "cv") -> dict:
    metrics = {f"{prefix}.labels": LABELS, f"{prefix}.confusion_matrix": [[9, 1, 0], [2, 20, 8], [0, 5, 60]],
               f"{prefix}.macro_f1.mean": 0.8, f"{prefix}.macro_f1.std": 0.02}
    for label in LABELS:
        metrics[f"{prefix}.per_class.{label}.f1.mean"] = 0.8
        metrics[f"{prefix}.per_class.{label}.f1.std"] = 0.05
    return metrics


def is_png(path: Path) -> bool:
    return path.is_file() and path.read_bytes()[:8] == PNG and path.stat().st_size > 5000


@pytest.mark.parametrize("metrics", [split_metrics(), cv_metrics(),
                                     {**cv_metrics("cv.role"), **cv_metrics("cv.function")}],
                         ids=["split", "cv", "subtasks"])
def test_run_plots_are_written(tmp_path: Path, metrics: dict):
    written = write_run_plots(metrics, tmp_path)
    assert [p.name for p in written] == [CONFUSION_MATRIX, PER_CLASS_F1]
    assert all(is_png(p) for p in written)


def test_metrics_without_labels_have_nothing_to_draw(tmp_path: Path):
    assert write_run_plots({"test.macro_f1": 0.5}, tmp_path) == []


def test_a_malformed_confusion_matrix_is_an_error(tmp_path: Path):
    metrics = {**split_metrics(), "test.confusion_matrix": [[1, 2], [3, 4]]}
    with pytest.raises(ValueError, match="must be 3x3"):
        write_run_plots(metrics, tmp_path)


def test_comparison_chart(tmp_path: Path):
    out = plot_comparison(["model=logreg", "model=linear_svc"], [[0.85, 0.86, 0.87], [0.84]], tmp_path / "c.png",
                          metric="test.macro_f1")
    assert is_png(out)
    with pytest.raises(ValueError):
        plot_comparison(["a"], [[0.1], [0.2]], tmp_path / "d.png", metric="m")


def test_plotting_leaves_no_global_state(tmp_path: Path):
    """Importing draws in nothing; drawing never loads pyplot or switches the backend."""
    code = (
        "import sys, mining.runs.plots as p, mining.runs.record\n"
        "assert 'matplotlib' not in sys.modules, 'imported at import time'\n"
        f"p.plot_comparison(['a'], [[0.5, 0.6]], {str(tmp_path / 'x.png')!r}, metric='m')\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "MPLBACKEND": "tkagg"})  # a GUI backend: unusable here, never used
    assert done.returncode == 0, done.stderr
