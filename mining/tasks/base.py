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

    def extra_scores(self, gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        """Task-specific metrics beyond the per-class report, flat ``name -> value``."""


def copy_documents(docs: Sequence[Document], doc_ids: set[str]) -> dict[str, Document]:
    """Deep copies of the documents named in ``doc_ids``, by id."""
    return {d.id: copy.deepcopy(d) for d in docs if d.id in doc_ids}
