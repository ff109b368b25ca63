"""Relation identification: ordered unit pairs within a paragraph become support, attack or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.metrics import f1_score
from spacy.tokens import Doc

from mining.instances import PairInstance, build_pair_instances, build_unit_instances
from mining.schema import RELATION_LABELS, Document, Relation
from mining.tasks.base import copy_documents

NONE = "none"


@dataclass
class RelationTask:
    """Label every ordered pair of units in one paragraph (Stab & Gurevych 2017, section 5.2).

    Besides the three-way scores, ``link.macro_f1`` is the published link vs no-link measure.
    """

    name: str = "relations"
    labels: tuple[str, ...] = (*RELATION_LABELS, NONE)

    def build_instances(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[PairInstance]:
        return [pair for doc, p in zip(docs, parsed) for pair in build_pair_instances(build_unit_instances(doc, p))]

    def gold_labels(self, instances: Sequence[PairInstance]) -> list[str]:
        gold: dict[tuple[str, str, str], str] = {}
        for doc in {id(i.document): i.document for i in instances}.values():
            for rel in doc.relations:
                gold[(doc.id, rel.source, rel.target)] = rel.label
        return [gold.get((p.document.id, p.source.unit.id, p.target.unit.id), NONE) for p in instances]

    def apply_predictions(self, docs: Sequence[Document], instances: Sequence[PairInstance],
                          predictions: Sequence[str]) -> list[Document]:
        out = copy_documents(docs, {p.document.id for p in instances})
        for doc in out.values():
            doc.metadata["gold_relations"] = [r.to_dict() for r in doc.relations]
            doc.relations = []
        for pair, label in zip(instances, predictions):
            if label == NONE:
                continue
            doc = out[pair.document.id]
            doc.relations.append(Relation(id=f"P{len(doc.relations) + 1}", source=pair.source.unit.id,
                                          target=pair.target.unit.id, label=label))
        return list(out.values())

    def extra_scores(self, gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        def link(labels):
            return ["link" if x != NONE else "no-link" for x in labels]

        return {"link.macro_f1": float(f1_score(link(gold), link(predicted), average="macro",
                                                labels=["link", "no-link"], zero_division=0))}
