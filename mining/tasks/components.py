"""Component classification: each unit becomes major_claim, claim or premise (or, optionally, no unit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from mining.instances import UnitInstance, build_unit_instances
from mining.schema import UNIT_LABELS, Document, Unit, trim_span
from mining.tasks.base import predict_independently, relabel_units


@dataclass
class ComponentTask:
    """Classify gold units by type (Stab & Gurevych 2017, section 5.1).

    With ``reject`` set (e.g. ``"none"``), the task also learns to reject candidates that are no
    argumentative unit, for labelling raw text after segmentation: every sentence of a
    paragraph that no gold unit overlaps becomes an instance labelled ``reject`` (its edge
    punctuation trimmed), among the gold units of its paragraph. Predictions of ``reject`` on
    gold units count as errors; the rejected candidates themselves are scored, not written into
    the predicted documents.
    """

    name: str = "components"
    labels: tuple[str, ...] = UNIT_LABELS
    reject: str | None = None

    def __post_init__(self) -> None:
        if self.reject is not None and self.reject not in self.labels:
            self.labels = (*self.labels, self.reject)

    def build_instances(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[UnitInstance]:
        if self.reject is None:
            return [inst for doc, p in zip(docs, parsed) for inst in build_unit_instances(doc, p)]
        return [inst for doc, p in zip(docs, parsed)
                for inst in build_unit_instances(doc, p, [*doc.units, *self._non_units(doc, p)])]

    def _non_units(self, doc: Document, parsed: Doc) -> list[Unit]:
        """The sentences (cut at paragraph edges) that no gold unit overlaps, as units labelled ``reject``."""
        covered = [(u.start, u.end) for u in doc.units]
        out = []
        for start, end in doc.paragraphs:
            for sent in parsed.char_span(start, end, alignment_mode="expand").sents:
                span = trim_span(doc.text, max(sent.start_char, start), min(sent.end_char, end))
                if span and not any(a < span[1] and span[0] < b for a, b in covered):
                    out.append(Unit(id=f"{self.reject}-{len(out) + 1}", start=span[0], end=span[1],
                                    text=doc.text[span[0]:span[1]], label=self.reject))
        return out

    def gold_labels(self, instances: Sequence[UnitInstance]) -> list[str]:
        return [inst.unit.label for inst in instances]

    def apply_predictions(self, docs: Sequence[Document], instances: Sequence[UnitInstance],
                          predictions: Sequence[str]) -> list[Document]:
        kept = [(inst, label) for inst, label in zip(instances, predictions) if inst.unit.label != self.reject]
        return relabel_units(docs, [inst for inst, _ in kept], [label for _, label in kept], "label")

    def predict(self, estimator: Any, instances: Sequence[UnitInstance]) -> list[str]:
        return predict_independently(estimator, instances)

    def extra_scores(self, instances: Sequence[Any], gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        return {}
