"""The Task protocol every task module implements, and helpers they share."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, Protocol

from spacy.tokens import Doc

from mining.schema import Document


class Task(Protocol):
    """Turns parsed documents into instances and gold labels, and predictions back into documents."""

    name: str
    labels: tuple[str, ...]

    def build_instances(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[Any]:
        """Instances in a stable order; each has a ``document`` attribute (used for grouping)."""

    def gold_labels(self, instances: Sequence[Any]) -> list[str]:
        """The gold label of each instance."""

    def apply_predictions(self, docs: Sequence[Document], instances: Sequence[Any],
                          predictions: Sequence[str]) -> list[Document]:
        """Copies of ``docs`` carrying the predictions (gold kept in ``attributes['gold']``)."""

    def predict(self, estimator: Any, instances: Sequence[Any]) -> list[str]:
        """Labels for ``instances`` from a fitted estimator (a task may decode jointly here)."""

    def extra_scores(self, instances: Sequence[Any], gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        """Task-specific metrics beyond the per-class report (e.g. span F1), flat ``name -> value``."""


def final_model(estimator: Any) -> Any:
    """The model that decides: the last step of a Pipeline, or the estimator itself."""
    steps = getattr(estimator, "steps", None)
    return steps[-1][1] if steps else estimator


def predict_independently(estimator: Any, instances: Sequence[Any]) -> list[str]:
    """One ``estimator.predict`` call: each instance labelled on its own."""
    return [str(label) for label in estimator.predict(list(instances))]


def relabel_units(docs: Sequence[Document], instances: Sequence[Any], predictions: Sequence[str],
                  field: str) -> list[Document]:
    """Copies of the documents of unit ``instances`` with ``field`` (label, stance) set to the predictions.

    The gold value stays in ``attributes['gold']``.
    """
    out = copy_documents(docs, {inst.document.id for inst in instances})
    for inst, value in zip(instances, predictions):
        unit = out[inst.document.id].unit(inst.unit.id)
        unit.attributes["gold"] = getattr(unit, field)
        setattr(unit, field, value)
    return list(out.values())


def copy_documents(docs: Sequence[Document], doc_ids: set[str]) -> dict[str, Document]:
    """Deep copies of the documents named in ``doc_ids``, by id."""
    return {d.id: copy.deepcopy(d) for d in docs if d.id in doc_ids}
