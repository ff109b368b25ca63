"""How unsure a labelling bundle is about a document: margin uncertainty, the score ``mining data rank`` sorts by."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from spacy.tokens import Doc

from mining.instances.units import unit_instances
from mining.schema import Document


def margin_uncertainty(estimator: Any, instances: Sequence[Any]) -> np.ndarray:
    """``1 / (1 + margin)`` per instance, the margin being the gap between its two best class scores
    (probabilities when the estimator has ``predict_proba``, else decision values): 1 for a tie."""
    if hasattr(estimator, "predict_proba"):
        scores = np.asarray(estimator.predict_proba(list(instances)))
    else:
        scores = np.asarray(estimator.decision_function(list(instances)))
        if scores.ndim == 1:  # binary: one signed distance
            scores = np.stack([-scores, scores], axis=1)
    best_two = np.sort(scores, axis=1)[:, -2:]
    return 1.0 / (1.0 + best_two[:, 1] - best_two[:, 0])


def score_uncertainty(models: dict[str, Any], docs: list[Document], parsed: Sequence[Doc],
                      tokens: Sequence[Any]) -> None:
    """``metadata["uncertainty"]`` of each document: the mean margin uncertainty of its segmentation
    ``tokens`` and its typed units (0 when it has neither).

    Inside the labelling batch's ``sharing()`` block, the token instances segmentation predicted on
    and the unit instances of the typing and stance steps are the same objects, so their feature
    rows are reused rather than computed again; only the estimators' last steps run again.
    """
    per_doc: dict[str, list[float]] = {d.id: [] for d in docs}
    units = [inst for doc, p in zip(docs, parsed) for inst in unit_instances(doc, p)]
    for step, instances in (("segmentation", tokens), ("components", units)):
        if instances:
            for inst, value in zip(instances, margin_uncertainty(models[step], instances)):
                per_doc[inst.document.id].append(float(value))
    for doc in docs:
        values = per_doc[doc.id]
        doc.metadata["uncertainty"] = sum(values) / len(values) if values else 0.0
