"""Classification metrics as flat ``name -> number`` dicts, and their mean and std over folds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def classification_scores(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    """Macro-F1, accuracy and per-class precision, recall, F1 and support.

    Keys: ``macro_f1``, ``accuracy``, ``per_class.<label>.{precision,recall,f1,support}``.
    The macro average runs over the labels that occur in ``gold``: a label no gold instance has
    (such as the reject label of a component model, on gold units) would only add a 0; its
    predictions still count, as misses of the gold labels.
    """
    from sklearn.metrics import f1_score, precision_recall_fscore_support  # not for aggregate(): compare stays light

    present = [lab for lab in labels if lab in set(gold)]
    p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=list(labels), zero_division=0)
    scores = {
        "macro_f1": float(f1_score(gold, predicted, labels=present, average="macro", zero_division=0)),
        "accuracy": float(np.mean(np.asarray(gold) == np.asarray(predicted))) if len(gold) else 0.0,
        "n": float(len(gold)),
    }
    for i, label in enumerate(labels):
        scores[f"per_class.{label}.precision"] = float(p[i])
        scores[f"per_class.{label}.recall"] = float(r[i])
        scores[f"per_class.{label}.f1"] = float(f[i])
        scores[f"per_class.{label}.support"] = float(s[i])
    return scores


def confusion(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Rows are gold labels, columns predicted labels, both in ``labels`` order."""
    from sklearn.metrics import confusion_matrix

    return confusion_matrix(gold, predicted, labels=list(labels)).tolist()


def aggregate(runs: Sequence[dict[str, float]]) -> dict[str, float]:
    """``key.mean``, ``key.std`` (population), ``key.min`` and ``key.max`` over folds or seeds."""
    out: dict[str, float] = {}
    for key in runs[0]:
        values = np.array([r[key] for r in runs], dtype=float)
        out[f"{key}.mean"] = float(values.mean())
        out[f"{key}.std"] = float(values.std())
        out[f"{key}.min"] = float(values.min())
        out[f"{key}.max"] = float(values.max())
    return out
