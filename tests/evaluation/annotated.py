"""A small hand-annotated document and its perturbations, for comparison and agreement tests."""

from __future__ import annotations

import copy

from mining.schema import Document, Relation, Unit

TEXT = "Cats are great pets. They sleep a lot. Dogs need walks. So cats are easier."


def _unit(uid: str, phrase: str, label: str, *, stance: str | None = None, holder: str | None = "author") -> Unit:
    start = TEXT.index(phrase)
    return Unit(uid, start, start + len(phrase), phrase, label, stance=stance, holder=holder)


def gold(doc_id: str = "d1") -> Document:
    """Four units (claim, premise, premise, major claim) and three support relations."""
    return Document(
        id=doc_id, text=TEXT, paragraphs=[(0, len(TEXT))], split="test",
        units=[
            _unit("T1", "Cats are great pets", "claim", stance="for"),
            _unit("T2", "They sleep a lot", "premise"),
            _unit("T3", "Dogs need walks", "premise", holder="Ann Lee"),
            _unit("T4", "So cats are easier", "major_claim", stance="for"),
        ],
        relations=[
            Relation("R1", "T2", "T1", "support"),
            Relation("R2", "T3", "T4", "support"),
            Relation("R3", "T1", "T4", "support"),
        ],
    )


def perturbed(doc: Document, **changes) -> Document:
    """A copy of ``doc`` with unit fields changed: ``T2={"end": 31}``; ``drop=["T3"]`` drops units
    (and their relations), ``drop_relations=["R3"]`` relations, ``relation_labels={"R1": "attack"}``."""
    doc = copy.deepcopy(doc)
    drop = set(changes.pop("drop", []))
    drop_relations = set(changes.pop("drop_relations", []))
    relation_labels = changes.pop("relation_labels", {})
    doc.units = [u for u in doc.units if u.id not in drop]
    doc.relations = [r for r in doc.relations if r.id not in drop_relations
                     and r.source not in drop and r.target not in drop]
    for rel in doc.relations:
        rel.label = relation_labels.get(rel.id, rel.label)
    for unit in doc.units:
        for key, value in changes.get(unit.id, {}).items():
            setattr(unit, key, value)
        unit.text = doc.text[unit.start:unit.end]
    return doc
