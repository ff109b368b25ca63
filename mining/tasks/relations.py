"""Relation identification: ordered unit pairs within a paragraph become support, attack or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from spacy.tokens import Doc

from mining.instances.units import PairInstance, build_pair_instances, build_unit_instances
from mining.schema import RELATION_LABELS, Document, Relation
from mining.tasks.base import copy_documents, predict_independently

NONE = "none"


@dataclass
class RelationTask:
    """Label every ordered pair of units in one paragraph (Stab & Gurevych 2017, section 5.2).

    Besides the three-way scores, ``link.macro_f1`` is the published link vs no-link measure.

    With ``one_target_per_source`` (AAEC: every premise has exactly one outgoing relation, and
    no other unit has one inside a paragraph) each source keeps at most its most probable target,
    and only when that target's link probability is at least ``link_threshold``; the estimator
    must then have ``predict_proba``.
    """

    name: str = "relations"
    labels: tuple[str, ...] = (*RELATION_LABELS, NONE)
    one_target_per_source: bool = False
    link_threshold: float = 0.5

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

    def predict(self, estimator: Any, instances: Sequence[PairInstance]) -> list[str]:
        if not self.one_target_per_source:
            return predict_independently(estimator, instances)
        proba = estimator.predict_proba(list(instances))
        classes = [str(c) for c in estimator.classes_]
        none = classes.index(NONE)
        link = 1.0 - proba[:, none]
        relation_proba = proba.copy()
        relation_proba[:, none] = -1.0
        by_source: dict[tuple[str, str], list[int]] = {}
        for i, pair in enumerate(instances):
            by_source.setdefault((pair.document.id, pair.source.unit.id), []).append(i)
        labels = [NONE] * len(instances)
        for rows in by_source.values():
            best = max(rows, key=lambda i: link[i])
            if link[best] >= self.link_threshold:
                labels[best] = classes[int(np.argmax(relation_proba[best]))]
        return labels

    def extra_scores(self, instances: Sequence[Any], gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        def link(labels):
            return ["link" if x != NONE else "no-link" for x in labels]

        return {"link.macro_f1": float(f1_score(link(gold), link(predicted), average="macro",
                                                labels=["link", "no-link"], zero_division=0))}
