"""Stance classification: each claim becomes for or against (towards the major claim or topic)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from mining.errors import UsageError
from mining.instances.units import UnitInstance, build_unit_instances
from mining.schema import STANCES, Document
from mining.tasks.base import predict_independently, relabel_units

TOWARD = ("major_claim", "topic")


@dataclass
class StanceTask:
    """Classify the stance of the units whose label is in ``unit_labels`` and that carry a gold stance.

    ``toward`` says what the stance is toward: ``"major_claim"`` (essays: the author's thesis, always
    there) or ``"topic"`` (news: the document's ``topic``, a proposition such as "Valdoria should accept
    a ceasefire"). Toward a topic, a document without one gets no stance at all: a for/against with
    nothing to be for or against would mean nothing.
    """

    name: str = "stance"
    labels: tuple[str, ...] = STANCES
    unit_labels: tuple[str, ...] = ("claim",)
    toward: str = "major_claim"

    def __post_init__(self):
        if self.toward not in TOWARD:
            raise UsageError(f"stance task: toward must be one of {', '.join(TOWARD)}, got {self.toward!r}")

    def has_target(self, doc: Document) -> bool:
        """Whether the units of ``doc`` can have a stance: always toward a major claim, toward a topic only
        when the document has one."""
        return self.toward != "topic" or bool(doc.topic and doc.topic.strip())

    def build_instances(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[UnitInstance]:
        # Neighbours and positions are computed over all units; only the selected ones become instances.
        return [
            inst for doc, p in zip(docs, parsed) for inst in build_unit_instances(doc, p)
            if inst.unit.label in self.unit_labels and inst.unit.stance is not None
        ]

    def gold_labels(self, instances: Sequence[UnitInstance]) -> list[str]:
        return [inst.unit.stance for inst in instances]

    def apply_predictions(self, docs: Sequence[Document], instances: Sequence[UnitInstance],
                          predictions: Sequence[str]) -> list[Document]:
        return relabel_units(docs, instances, predictions, "stance")

    def predict(self, estimator: Any, instances: Sequence[UnitInstance]) -> list[str]:
        return predict_independently(estimator, instances)

    def extra_scores(self, instances: Sequence[Any], gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        return {}
