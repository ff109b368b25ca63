"""Who labelled what after an annotator corrected a model's pre-annotation: the units it proposed, and the
provenance an import records.

A model-labelled document names its model in ``metadata["labelled_by"]``. When such a document goes to
an annotation tool, the writer also stores the units as proposed (:func:`proposed_units`: spans, label,
stance, holder and id of each). On the way back, :func:`record_corrections` pairs each submitted unit with
a proposed one, one to one: the proposed unit with its id (the readers keep a unit's id when the annotator
moves its bounds or changes its label, stance or holder), else one equal to it, else one with its spans
(a proposal stored without ids, by older writers, is paired by these two alone). Then:

- a unit equal to its proposed one (same spans, label, stance and holder) keeps the model:
  ``attributes["labelled_by"]`` is the model version (``units_unchanged``);
- a unit the annotator changed (its spans, label, stance or holder) gets ``attributes["labelled_by"]`` =
  the annotator and ``attributes["pre_labelled_by"]`` = the model (``units_corrected``: a moved unit is
  one unit corrected, not one removed and one added);
- a unit paired with no proposed one, which the annotator drew, gets only ``labelled_by`` = the
  annotator (``units_added``), and a proposed unit paired with none was removed (``units_removed``);
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
    """The keys of ``doc``'s units and their ids (``[*unit_key(unit), unit.id]``), for a writer to store beside a
    model's pre-annotation."""
    return [[*unit_key(u), u.id] for u in doc.units]


def pre_labelled(doc: Document) -> bool:
    """Whether a model labelled ``doc`` (its metadata names one), so that a writer stores the proposal."""
    return "labelled_by" in doc.metadata


def check_proposed(value: Any, fail) -> list[list[Any]]:
    """A stored proposal as read from a tool's record, or the error ``fail(problem)`` gives."""
    ok = isinstance(value, list) and all(
        isinstance(k, list) and len(k) in (4, 5) and isinstance(k[0], list) and k[0]
        and all(isinstance(s, list) and len(s) == 2 for s in k[0]) and (len(k) == 4 or isinstance(k[4], str))
        for k in value)
    if not ok:
        raise fail(f"{PROPOSED_KEY} must be a list of [spans, label, stance, holder, unit id], got {str(value)[:80]}")
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
    model_name = model or MODEL
    who = annotator or HUMAN
    pairs = _pair(doc.units, proposed)
    counts = Counter()
    marks: list[tuple[Unit, dict[str, str]]] = []
    for k, unit in enumerate(doc.units):
        if k not in pairs:
            marks.append((unit, {"labelled_by": who}))
            counts["units_added"] += 1
        elif _hashable(unit_key(unit)) == _hashable(proposed[pairs[k]][:4]):
            marks.append((unit, {"labelled_by": model_name}))
            counts["units_unchanged"] += 1
        else:  # its spans, label, stance or holder changed
            marks.append((unit, {"labelled_by": who, "pre_labelled_by": model_name}))
            counts["units_corrected"] += 1
    removed = len(proposed) - len(pairs)
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


def _pair(units: Sequence[Unit], proposed: list[list[Any]]) -> dict[int, int]:
    """Which proposed unit each unit is (unit index -> proposal index), one to one: the proposed unit with its id
    (the readers keep a unit's id when its spans, label, stance or holder change), else one equal to it, else
    one with its spans."""
    left = dict.fromkeys(range(len(proposed)))  # the proposals not paired yet, in order
    by_id: dict[str, int] = {}
    for i, key in enumerate(proposed):
        if len(key) > 4:
            by_id.setdefault(str(key[4]), i)
    pairs: dict[int, int] = {}
    for k, unit in enumerate(units):
        if by_id.get(unit.id) in left:
            pairs[k] = by_id[unit.id]
            del left[pairs[k]]
    keys = [_hashable(unit_key(unit)) for unit in units]
    for part in (slice(0, 4), slice(0, 1)):  # the whole key, then the spans alone
        for k, key in enumerate(keys):
            found = None if k in pairs else next((i for i in left if _hashable(proposed[i][part]) == key[part]), None)
            if found is not None:
                pairs[k] = found
                del left[found]
    return pairs


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
