"""Draw a run's confusion matrix and per-class F1, and a sweep's configurations side by side, as PNGs.

Figures are built as :class:`matplotlib.figure.Figure` objects on an Agg canvas, never through
``pyplot``: no backend is chosen and no figure registry is touched, so plotting works without a
display, in parallel jobs, and leaves no global state behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mining.files import atomic_writer

CONFUSION_MATRIX = "confusion_matrix.png"
PER_CLASS_F1 = "per_class_f1.png"
PLOTS = (CONFUSION_MATRIX, PER_CLASS_F1)
DPI = 120


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _save(figure, out_path: str | Path) -> Path:
    """Write ``figure`` as a PNG to ``out_path``, whole or not at all."""
    with atomic_writer(out_path, binary=True) as f:
        figure.savefig(f, format="png")
    return Path(out_path)


def plot_confusion_matrices(panels: Sequence[tuple[str, Sequence[Sequence[int]], Sequence[str]]],
                            out_path: str | Path) -> Path:
    """One confusion matrix panel per ``(title, matrix, labels)``, side by side (a run with subtasks has several).

    Counts with rows = gold and columns = predicted; the colour is the share of the gold row (recall).
    Colouring by row keeps a rare class readable next to a frequent one.
    """
    if not panels:
        raise ValueError("no confusion matrix to draw")
    sizes = [len(labels) for _, _, labels in panels]
    figure = _figure(sum(2.8 + 1.1 * n for n in sizes), 1.6 + 1.1 * max(sizes))
    axes = figure.subplots(1, len(panels), squeeze=False, width_ratios=[1.6 + 1.1 * n for n in sizes])[0]
    for ax, (title, matrix, labels) in zip(axes, panels):
        counts = np.asarray(matrix, dtype=float)
        if counts.shape != (len(labels), len(labels)):
            raise ValueError(f"a confusion matrix over {len(labels)} labels must be {len(labels)}x{len(labels)}, "
                             f"got {counts.shape}")
        rows = counts.sum(axis=1, keepdims=True)
        share = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
        image = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
        for i in range(len(labels)):
            for j in range(len(labels)):
                ax.text(j, i, f"{int(counts[i, j])}\n{share[i, j]:.0%}", ha="center", va="center", fontsize=9,
                        color="white" if share[i, j] > 0.6 else "black")
        ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        ax.set_title(f"{title} (n={int(counts.sum())})", fontsize=10)
    figure.suptitle("Confusion matrix: rows gold, columns predicted", fontsize=11)
    figure.colorbar(image, ax=list(axes), label="share of gold row", shrink=0.8)
    return _save(figure, out_path)


def plot_per_class_f1_panels(panels: Sequence[tuple], out_path: str | Path) -> Path:
    """One per-class F1 panel per ``(title, f1, errors, support, macro_f1)``, side by side.

    One bar per class (with ``errors`` as error bars, e.g. the std over folds) and the macro-F1 as a line.
    """
    if not panels:
        raise ValueError("no per-class F1 to draw")
    sizes = [max(len(p[1]), 1) for p in panels]
    figure = _figure(sum(1.8 + 1.0 * n for n in sizes), 3.6)
    axes = figure.subplots(1, len(panels), squeeze=False, width_ratios=[1.8 + 1.0 * n for n in sizes])[0]
    for ax, (title, f1, errors, support, macro_f1) in zip(axes, panels):
        labels = list(f1)
        values = [f1[lab] for lab in labels]
        yerr = [errors.get(lab, 0.0) for lab in labels] if errors else None
        bars = ax.bar(range(len(labels)), values, yerr=yerr, capsize=4, color="#4c72b0")
        for bar, lab, value in zip(bars, labels, values):
            # Above the bar's foot, where neither the macro-F1 line nor an error bar can cover it.
            text = f"{value:.3f}" + (f"\nn={int(support[lab])}" if support and lab in support else "")
            inside = value >= 0.15
            ax.annotate(text, (bar.get_x() + bar.get_width() / 2, 0.0 if inside else value), xytext=(0, 4),
                        textcoords="offset points", ha="center", va="bottom", fontsize=8,
                        color="white" if inside else "black")
        if macro_f1 is not None:  # named in the title: a legend would cover a bar
            ax.axhline(macro_f1, color="#c44e52", linestyle="--", linewidth=1)
            title = f"{title}\nmacro-F1 {macro_f1:.3f} (dashed)"
        ax.set_xticks(range(len(labels)), labels, rotation=30 if len(labels) > 4 else 0)
        ax.set_ylim(0.0, 1.15)
        ax.set_ylabel("F1")
        ax.set_title(title, fontsize=10)
    figure.suptitle("F1 per class", fontsize=11)
    return _save(figure, out_path)


def write_run_plots(metrics: Mapping[str, Any], out_dir: str | Path) -> list[Path]:
    """``confusion_matrix.png`` and ``per_class_f1.png`` for a run's flat metrics, in ``out_dir``.

    Every ``<P>.labels`` key with its ``<P>.confusion_matrix`` gives one panel, ``P`` being the split
    (``test``), ``cv``, or a subtask under them (``cv.role``). F1s come from
    ``<P>.per_class.<label>.f1``; cross-validated ones are the means over folds, with their std as
    error bars. A run whose metrics have no labels (nothing to draw) gets no plots.
    """
    prefixes = sorted(k[: -len(".labels")] for k, v in metrics.items()
                      if k.endswith(".labels") and isinstance(v, list)
                      and f"{k[: -len('.labels')]}.confusion_matrix" in metrics)
    if not prefixes:
        return []
    confusion, f1_panels = [], []
    for prefix in prefixes:
        labels = list(metrics[f"{prefix}.labels"])
        folds = f"{prefix}.macro_f1.mean" in metrics
        confusion.append((f"{prefix}, summed over folds" if folds else prefix, metrics[f"{prefix}.confusion_matrix"],
                          labels))

        def per_class(stat: str, prefix: str = prefix, folds: bool = folds) -> dict[str, float]:
            keys = {lab: f"{prefix}.per_class.{lab}.{stat}" + (".mean" if folds else "") for lab in labels}
            return {lab: float(metrics[key]) for lab, key in keys.items() if key in metrics}

        errors = ({lab: float(metrics[f"{prefix}.per_class.{lab}.f1.std"]) for lab in labels
                   if f"{prefix}.per_class.{lab}.f1.std" in metrics} if folds else None)
        f1 = per_class("f1")
        if f1:  # the support of a cross-validated run would be a mean per fold: left out
            f1_panels.append((f"{prefix}, mean ± std over folds" if folds else prefix, f1, errors,
                              None if folds else per_class("support"),
                              metrics.get(f"{prefix}.macro_f1.mean" if folds else f"{prefix}.macro_f1")))
    out_dir = Path(out_dir)
    written = [plot_confusion_matrices(confusion, out_dir / CONFUSION_MATRIX)]
    if f1_panels:
        written.append(plot_per_class_f1_panels(f1_panels, out_dir / PER_CLASS_F1))
    return written


def plot_comparison(names: Sequence[str], values: Sequence[Sequence[float]], out_path: str | Path, *,
                    metric: str) -> Path:
    """One horizontal bar per configuration at the mean of its runs, the std as error bar, each run a dot.

    ``values[i]`` holds the metric of every run (seed) of configuration ``names[i]``; the std is the
    population std, as in :class:`~mining.runs.aggregate.Spread`. Bars start at 0 so that their
    lengths compare honestly; the numbers are written beside them.
    """
    if len(names) != len(values) or not names:
        raise ValueError("plot_comparison needs one list of values per configuration name")
    means = np.array([np.mean(v) for v in values])
    stds = np.array([np.std(v) for v in values])
    figure = _figure(7.0 + 0.07 * max(len(n) for n in names), 1.3 + 0.45 * len(names))
    ax = figure.add_subplot()
    y = np.arange(len(names))[::-1]  # the first configuration on top
    ax.barh(y, means, xerr=stds, capsize=4, color="#4c72b0", alpha=0.85, height=0.6)
    for yi, vs in zip(y, values):
        ax.scatter(vs, np.full(len(vs), yi), color="black", s=10, zorder=3)
    for yi, mean, std, vs in zip(y, means, stds, values):
        label = f"{mean:.4f} ± {std:.4f} (n={len(vs)})" if len(vs) > 1 else f"{mean:.4f} (n=1)"
        # Beside the axes, in axes coordinates for x: never on top of a bar or a whisker.
        ax.annotate(label, (1.02, yi), xycoords=("axes fraction", "data"), va="center", fontsize=8,
                    annotation_clip=False)
    ax.set_yticks(y, names)
    ax.set_xlim(0.0, max(1.0, float(max(max(v) for v in values))))
    ax.set_xlabel(f"{metric}: bar = mean, whisker = ± std over seeds, dots = runs")
    ax.set_title(f"{metric} by configuration")
    ax.grid(axis="x", alpha=0.3)
    return _save(figure, out_path)
