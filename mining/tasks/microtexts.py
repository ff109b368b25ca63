"""The four microtext levels of Peldszus & Stede (2015): central claim, role, function and attachment.

Each level is its own task, so that an experiment can give each its own features and model and
score them on the same folds (``run_subtasks``). The gold structure is Peldszus & Stede's
dependency conversion of the argument graph (``evidencegraph``'s ``ArgTree``, simple relation
set): every ADU but the central claim has exactly one outgoing edge,

- ``sup``/``exa`` -> ``support`` and ``reb``/``und`` -> ``attack``, aimed at the target ADU (an
  undercutter at the source of the edge it undercuts, as the corpus reader already resolves it);
- ``add`` (an extra premise of a linked argument) -> ``support`` of its co-premise
  (``attributes['merged_with']``): P&S turn linked premises into a ``link`` edge from the later
  premise to the first one and count ``link`` as support.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from mining.instances.units import PairInstance, UnitInstance, build_unit_instances
from mining.schema import Document, Unit
from mining.tasks.base import copy_documents, predict_independently

CENTRAL = "cc"
NOT_CENTRAL = "no"
ROLES = ("proponent", "opponent")
# P&S (2015) score the function level over three classes: the central claim is a function of its
# own (``cc``, class 0 of ``RelationSet.map_function_to_vector`` in evidencegraph).
FUNCTIONS = (CENTRAL, "support", "attack")
ATTACHED = "attached"
NOT_ATTACHED = "not"
EDGE_FUNCTIONS = {"sup": "support", "exa": "support", "add": "support", "reb": "attack", "und": "attack"}


def argument_tree(doc: Document) -> dict[str, tuple[str, str]]:
    """Each non-central unit's one outgoing edge as ``unit id -> (target unit id, function)``.

    Raises ValueError when a relation has no known ``attributes['type']`` or a unit has two
    outgoing edges: the conversion is defined for arggraph documents only.
    """
    tree: dict[str, tuple[str, str]] = {}
    for rel in doc.relations:
        edge_type = rel.attributes.get("type")
        if edge_type not in EDGE_FUNCTIONS:
            raise ValueError(f"relation {rel.id} of {doc.id} has type {edge_type!r}, expected one of "
                             f"{sorted(EDGE_FUNCTIONS)} (an arg-microtexts document)")
        target = rel.attributes["merged_with"] if edge_type == "add" else rel.target
        if rel.source in tree:
            raise ValueError(f"unit {rel.source} of {doc.id} has more than one outgoing relation")
        tree[rel.source] = (target, EDGE_FUNCTIONS[edge_type])
    return tree


def build_all_pairs(units: Sequence[UnitInstance]) -> list[PairInstance]:
    """Every ordered pair of distinct units of the same document (paragraphs do not matter)."""
    by_document: dict[str, list[UnitInstance]] = {}
    for inst in units:
        by_document.setdefault(inst.document.id, []).append(inst)
    return [PairInstance(a, b) for members in by_document.values() for a in members for b in members if a is not b]


class _UnitLevel:
    """Shared by the three per-ADU levels: instances are all units, predictions go onto unit copies."""

    def build_instances(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[UnitInstance]:
        return [inst for doc, p in zip(docs, parsed) for inst in build_unit_instances(doc, p)]

    def gold_labels(self, instances: Sequence[UnitInstance]) -> list[str]:
        trees: dict[str, dict[str, tuple[str, str]]] = {}
        return [self._gold(inst, trees) for inst in instances]

    def apply_predictions(self, docs: Sequence[Document], instances: Sequence[UnitInstance],
                          predictions: Sequence[str]) -> list[Document]:
        out = copy_documents(docs, {inst.document.id for inst in instances})
        trees: dict[str, dict[str, tuple[str, str]]] = {}
        for inst, label in zip(instances, predictions):
            unit = out[inst.document.id].unit(inst.unit.id)
            unit.attributes["gold"] = self._gold(inst, trees)
            self._apply(unit, label)
        return list(out.values())

    def predict(self, estimator: Any, instances: Sequence[UnitInstance]) -> list[str]:
        # Decoding that needs a whole text (one central claim) is the estimator's job
        # (mining.models.decoding), so that a saved model decodes the same way.
        return predict_independently(estimator, instances)

    def extra_scores(self, instances: Sequence[Any], gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        return {}

    def _gold(self, inst: UnitInstance, trees: dict[str, dict[str, tuple[str, str]]]) -> str:
        raise NotImplementedError

    def _apply(self, unit: Unit, label: str) -> None:
        raise NotImplementedError


@dataclass
class CentralClaimTask(_UnitLevel):
    """Is the ADU the text's central claim (``cc``) or not (``no``)? The reader's ``major_claim``."""

    name: str = "cc"
    labels: tuple[str, ...] = (CENTRAL, NOT_CENTRAL)

    def _gold(self, inst, trees) -> str:
        return CENTRAL if inst.unit.label == "major_claim" else NOT_CENTRAL

    def _apply(self, unit: Unit, label: str) -> None:
        unit.label = "major_claim" if label == CENTRAL else "premise"


@dataclass
class RoleTask(_UnitLevel):
    """Does the ADU speak for the proponent or the opponent (``attributes['role']``)?"""

    name: str = "role"
    labels: tuple[str, ...] = ROLES

    def _gold(self, inst, trees) -> str:
        role = inst.unit.attributes.get("role")
        if role not in ROLES:
            raise ValueError(f"unit {inst.unit.id} of {inst.document.id} has role {role!r}, expected one of {ROLES}")
        return role

    def _apply(self, unit: Unit, label: str) -> None:
        unit.attributes["role"] = label
        unit.holder = label


@dataclass
class FunctionTask(_UnitLevel):
    """The function of the ADU's outgoing edge: ``support``, ``attack``, or ``cc`` when it has none."""

    name: str = "function"
    labels: tuple[str, ...] = FUNCTIONS

    def _gold(self, inst, trees) -> str:
        doc = inst.document
        if doc.id not in trees:
            trees[doc.id] = argument_tree(doc)
        edge = trees[doc.id].get(inst.unit.id)
        return CENTRAL if edge is None else edge[1]

    def _apply(self, unit: Unit, label: str) -> None:
        unit.attributes["function"] = label


@dataclass
class AttachmentTask:
    """Does the source ADU's outgoing edge end at the target ADU? Every ordered pair of a text.

    Predicted edges go to ``metadata['attachments']`` as ``[source, target]`` pairs (gold ones to
    ``metadata['gold_attachments']``); the relations stay the gold ones, since this level does
    not say whether an edge supports or attacks.
    """

    name: str = "attachment"
    labels: tuple[str, ...] = (ATTACHED, NOT_ATTACHED)

    def build_instances(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[PairInstance]:
        return [pair for doc, p in zip(docs, parsed) for pair in build_all_pairs(build_unit_instances(doc, p))]

    def gold_labels(self, instances: Sequence[PairInstance]) -> list[str]:
        trees: dict[str, dict[str, tuple[str, str]]] = {}
        out = []
        for pair in instances:
            doc = pair.document
            if doc.id not in trees:
                trees[doc.id] = argument_tree(doc)
            edge = trees[doc.id].get(pair.source.unit.id)
            out.append(ATTACHED if edge is not None and edge[0] == pair.target.unit.id else NOT_ATTACHED)
        return out

    def apply_predictions(self, docs: Sequence[Document], instances: Sequence[PairInstance],
                          predictions: Sequence[str]) -> list[Document]:
        out = copy_documents(docs, {p.document.id for p in instances})
        for doc in out.values():
            doc.metadata["gold_attachments"] = [[s, t] for s, (t, _) in argument_tree(doc).items()]
            doc.metadata["attachments"] = []
        for pair, label in zip(instances, predictions):
            if label == ATTACHED:
                out[pair.document.id].metadata["attachments"].append([pair.source.unit.id, pair.target.unit.id])
        return list(out.values())

    def predict(self, estimator: Any, instances: Sequence[PairInstance]) -> list[str]:
        return predict_independently(estimator, instances)

    def extra_scores(self, instances: Sequence[Any], gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        return {}
