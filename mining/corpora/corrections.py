"""Who labelled what after an annotator corrected a model's pre-annotation: the units it proposed, and the
provenance an import records.

A model-labelled document names its model in ``metadata["labelled_by"]``. When such a document goes to
an annotation tool, the writer also stores the units as proposed (:func:`proposed_units`: spans, label,
stance and holder of each). On the way back, :func:`record_corrections` compares what the annotator
submitted with that proposal:

- a unit equal to a proposed one (same spans, label, stance and holder) keeps the model:
  ``attributes["labelled_by"]`` is the model version;
- a unit the annotator changed (a proposed unit's spans with another label, stance or holder) gets
  ``attributes["labelled_by"]`` = the annotator and ``attributes["pre_labelled_by"]`` = the model;
  a unit the annotator drew gets only ``labelled_by`` = the annotator;
- the document's ``labelled_by`` becomes ``{"annotator", "tool", "units_unchanged", "units_corrected",
  "units_added", "units_removed"}`` and the model's record moves to ``metadata["pre_labelled_by"]``.

Examples
--------
>>> from mining.schema import Document, Unit
>>> doc = Document("d", "Cats rule. Dogs drool.", units=[Unit("T1", 0, 9, "Cats rule", "claim", "for"),
...                                                      Unit("T2", 11, 21, "Dogs drool", "premise")],
...                metadata={"labelled_by": {"runs": {"components": "runs/miner"}}})
>>> proposed = proposed_units(doc)
>>> doc.units[1].label = "claim"          # the annotator relabels T2 ...
>>> record_corrections(doc, proposed, annotator="user 3", tool="labelstudio", model="mining", reviewed=True)
>>> doc.metadata["labelled_by"]["units_corrected"], doc.units[1].attributes
(1, {'labelled_by': 'user 3', 'pre_labelled_by': 'mining'})
>>> doc.units[0].attributes, doc.metadata["pre_labelled_by"]
({'labelled_by': 'mining'}, {'runs': {'components': 'runs/miner'}})
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from mining.schema import Document, Unit

HUMAN = "human"  # the annotator, when the tool's export does not say who
PROPOSED_KEY = "proposed"  # where writers keep proposed_units() in the tool's own record of the document
PROPOSED_BY_KEY = "proposed_by"  # beside it, the model version that proposed them, when the writer knows it
MODEL = "model"  # the model's name at unit level when the tool does not give a model version


def unit_key(unit: Unit) -> list[Any]:
    """``[[[start, end], ...], label, stance, holder]``: what an annotator can change about a unit (JSON-able)."""
    return [[list(span) for span in unit.spans()], unit.label, unit.stance, unit.holder]


def proposed_units(doc: Document) -> list[list[Any]]:
    """The keys of ``doc``'s units, for a writer to store beside a model's pre-annotation."""
    return [unit_key(u) for u in doc.units]


def pre_labelled(doc: Document) -> bool:
    """Whether a model labelled ``doc`` (its metadata names one), so that a writer stores the proposal."""
    return "labelled_by" in doc.metadata


def check_proposed(value: Any, fail) -> list[list[Any]]:
    """A stored proposal as read from a tool's record, or the error ``fail(problem)`` gives."""
    ok = isinstance(value, list) and all(
        isinstance(k, list) and len(k) == 4 and isinstance(k[0], list) and k[0]
        and all(isinstance(s, list) and len(s) == 2 for s in k[0]) for k in value)
    if not ok:
        raise fail(f"{PROPOSED_KEY} must be a list of [spans, label, stance, holder], got {str(value)[:80]}")
    return value


def record_corrections(doc: Document, proposed: list[list[Any]] | None, *, annotator: str | None, tool: str,
                       model: str | None = None, reviewed: bool = False) -> None:
    """Mark ``doc``'s units and metadata with who labelled them, given the units the model ``proposed``.

    ``reviewed`` says that a person submitted the document (a Label Studio annotation): it is then
    marked even when nothing changed. Otherwise (doccano exports do not say whether anyone opened a
    document) a document that still equals the proposal is left as the model's. Without a proposal
    nothing is known and nothing is changed.
    """
    if proposed is None:
        return
    left = Counter(_hashable(k) for k in proposed)
    spans_left = Counter(_hashable(k[0]) for k in proposed)
    model_name = model or MODEL
    who = annotator or HUMAN
    counts = Counter()
    marks: list[tuple[Unit, dict[str, str]]] = []
    for unit in doc.units:
        key = unit_key(unit)
        if left[_hashable(key)]:
            left[_hashable(key)] -= 1
            spans_left[_hashable(key[0])] -= 1
            marks.append((unit, {"labelled_by": model_name}))
            counts["units_unchanged"] += 1
        elif spans_left[_hashable(key[0])]:  # a proposed unit's spans, with another label, stance or holder
            spans_left[_hashable(key[0])] -= 1
            marks.append((unit, {"labelled_by": who, "pre_labelled_by": model_name}))
            counts["units_corrected"] += 1
        else:
            marks.append((unit, {"labelled_by": who}))
            counts["units_added"] += 1
    removed = len(proposed) - counts["units_unchanged"] - counts["units_corrected"]
    if not reviewed and counts["units_unchanged"] == len(doc.units) and not removed:
        return
    for unit, mark in marks:
        unit.attributes.update(mark)
    if "labelled_by" in doc.metadata:
        doc.metadata["pre_labelled_by"] = doc.metadata["labelled_by"]
    doc.metadata["labelled_by"] = {"annotator": who, "tool": tool,
                                   **{name: counts[name] for name in ("units_unchanged", "units_corrected",
                                                                      "units_added")},
                                   "units_removed": removed}


def _hashable(value: Any) -> Any:
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


def annotated_counts(docs: Sequence[Document]) -> dict[str, int]:
    """How many documents a person submitted after a model's pre-annotation, and their corrections (the
    ``labelled_by`` records :func:`record_corrections` writes)."""
    records = [d.metadata["labelled_by"] for d in docs
               if isinstance(d.metadata.get("labelled_by"), dict) and "annotator" in d.metadata["labelled_by"]]
    counts = {"documents": len(records)}
    for name in ("units_corrected", "units_added", "units_removed"):
        counts[name] = sum(int(r.get(name, 0)) for r in records)
    # a model's labels that no person submitted: predictions, not annotations
    counts["unreviewed"] = sum(1 for d in docs if pre_labelled(d)) - len(records)
    return counts
