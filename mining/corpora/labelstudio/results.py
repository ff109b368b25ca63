"""Read the result list of one Label Studio annotation into units and relations (regions, answers, links)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mining import jsonread
from mining.corpora import SAME_UNIT, fragment_heads
from mining.corpora.labelstudio.names import ATTRIBUTES_NAME, DATA_KEY, HOLDER_NAME, STANCE_NAME, fresh
from mining.corpora.stored import check_text, stored_entries, stored_field, unknown_fields
from mining.errors import CorpusError
from mining.schema import DOCUMENT_FIELDS, RELATION_FIELDS, STANCES, UNIT_FIELDS, Document, Relation, Unit, text_at

# The key under ``value`` that holds the answer, per classification-like result type.
VALUE_KEYS = {"choices": "choices", "textarea": "text", "rating": "rating", "number": "number",
              "taxonomy": "taxonomy", "datetime": "datetime"}
# fail(problem, where) -> the error to raise
Fail = Callable[[str, str], CorpusError]
# (from region, to region, schema label or SAME_UNIT, where)
Link = tuple[str, str, str, str]
# data.mining.relations checked ({"id", "attributes"}), by (source, target, label)
_Stored = dict[tuple[str, str, str], list[dict[str, Any]]]


@dataclass
class Results:
    """One result list sorted by kind, each in result order."""

    regions: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # region id -> (start, end, label)
    answers: dict[str, dict[str, tuple[str, Any]]] = field(default_factory=dict)  # region id -> {name: (kind, answer)}
    links: list[Link] = field(default_factory=list)


class ResultReader:
    """Reads the result list of one annotation; ``fail(problem, where)`` builds every error."""

    def __init__(self, fail: Fail, unit_labels: dict[str, str], relation_labels: dict[str, str]):
        self.fail = fail
        self.unit_labels = unit_labels
        self.relation_labels = relation_labels

    def read(self, doc: Document, result: list[Any], extra: Any, where: str) -> None:
        """Set ``doc.units`` and ``doc.relations`` from ``result``; ``extra`` is the task's ``data.mining``."""
        if not isinstance(extra, dict):
            raise self.fail(f"data.{DATA_KEY} must be a JSON object", where)
        check_text(extra, doc.text, f"data.{DATA_KEY}", lambda problem: self.fail(problem, where))
        found = self.collect(doc.text, result, where)
        _keep_document_answers(doc, found, self.fail, where)
        heads = self.fragment_heads(found.regions,
                                    [(a, b, w) for a, b, label, w in found.links if label == SAME_UNIT])
        units = self.units(doc.text, found, heads, _unit_ids(extra, lambda problem: self.fail(problem, where)),
                           where)
        doc.units = list(units.values())
        doc.relations = _relations(found.links, heads, units, extra, self.fail, where)
        _apply_fields(doc, extra, lambda problem: self.fail(problem, where))

    def collect(self, text: str, result: list[Any], where: str) -> Results:
        """Check every result and sort it into regions, per-region answers and links."""
        found = Results()
        for k, item in enumerate(result, start=1):
            if not isinstance(item, dict) or not isinstance(item.get("type"), str):
                raise self.fail(f"result {k} is not an object with a 'type'", where)
            kind = item["type"]
            if kind == "labels":
                rid, region = self.read_region(text, item, k, where)
                if rid in found.regions:
                    raise self.fail("duplicate region id", f"{where}/region {rid}")
                found.regions[rid] = region
            elif kind == "relation":
                found.links.append(self.read_link(item, k, where))
            elif kind in VALUE_KEYS:
                name = item.get("from_name")
                value = item.get("value")
                if not isinstance(name, str) or not isinstance(value, dict) or VALUE_KEYS[kind] not in value:
                    raise self.fail(f"{kind} result {k} needs a from_name and value.{VALUE_KEYS[kind]}", where)
                rid = str(item.get("id"))
                found.answers.setdefault(rid, {})[name] = (kind, value[VALUE_KEYS[kind]])
            else:
                raise self.fail(f"unsupported result type {kind!r} (read: labels, relation, "
                                f"{', '.join(VALUE_KEYS)})", f"{where}/result {k}")
        return found

    def read_region(self, text: str, item: dict[str, Any], k: int, where: str) -> tuple[str, tuple[int, int, str]]:
        if item.get("id") is None:
            raise self.fail(f"labels result {k} has no id", where)
        rid = str(item["id"])
        here = f"{where}/region {rid}"
        value = item.get("value")
        if not isinstance(value, dict):
            raise self.fail("region has no value", here)
        start, end = value.get("start"), value.get("end")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            raise self.fail(f"region offsets must be integers, got start={start!r} end={end!r}", here)
        if not 0 <= start < end <= len(text):
            raise self.fail(f"offsets {start}-{end} are outside the text (length {len(text)}) or empty", here)
        if "text" in value and value["text"] != text[start:end]:
            hint = ""
            if any(ord(c) > 0xFFFF for c in text):
                hint = " (the text has characters beyond U+FFFF: offsets counted in UTF-16 units would do this)"
            raise self.fail(f"region text {value['text']!r} does not match the text at {start}-{end}: "
                            f"{text[start:end]!r}{hint}", here)
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1:
            raise self.fail(f"a region needs exactly one label, got {labels!r}", here)
        if not isinstance(labels[0], str) or labels[0] not in self.unit_labels:
            raise self.fail(f"unknown label {labels[0]!r} (known: {', '.join(sorted(self.unit_labels))})", here)
        return rid, (start, end, self.unit_labels[labels[0]])

    def read_link(self, item: dict[str, Any], k: int, where: str) -> Link:
        source, target = item.get("from_id"), item.get("to_id")
        here = f"{where}/relation {source}->{target}"
        if source is None or target is None:
            raise self.fail(f"relation result {k} needs from_id and to_id", where)
        direction = item.get("direction", "right")
        if direction == "left":
            source, target = target, source
        elif direction != "right":
            raise self.fail(f"relation direction {direction!r} has no source and target (use right or left)", here)
        labels = item.get("labels")
        if not isinstance(labels, list) or len(labels) != 1:
            raise self.fail(f"a relation needs exactly one label, got {labels!r}", here)
        label = labels[0]
        if label != SAME_UNIT:
            if not isinstance(label, str) or label not in self.relation_labels:
                known = ", ".join(sorted([*self.relation_labels, SAME_UNIT]))
                raise self.fail(f"unknown relation label {label!r} (known: {known})", here)
            label = self.relation_labels[label]
        return str(source), str(target), label, here

    def fragment_heads(self, regions: dict[str, Any], links: list[tuple[str, str, str]]) -> dict[str, str]:
        """Map every region to the first region of its unit, following ``same_unit`` links."""
        for source, target, here in links:
            for end in (source, target):
                if end not in regions:
                    raise self.fail(f"same_unit relation points at missing region {end!r}", here)
        return fragment_heads(regions, links, self.fail, "region")

    def units(self, text: str, found: Results, heads: dict[str, str], unit_ids: dict[str, Any],
              where: str) -> dict[str, Unit]:
        """One unit per group of fragments, in result order, keyed by its first region's id."""
        regions = found.regions
        groups: dict[str, list[str]] = {rid: [] for rid in regions if heads[rid] == rid}  # in result order
        for rid in regions:
            groups[heads[rid]].append(rid)
        units: dict[str, Unit] = {}
        for rid, pieces in groups.items():
            label = regions[rid][2]
            spans = sorted(regions[p][:2] for p in pieces)
            for p in pieces:
                if regions[p][2] != label:
                    raise self.fail(f"fragment has label {regions[p][2]!r} but its unit {rid} has {label!r}",
                                    f"{where}/region {p}")
            unit = Unit(id=str(unit_ids.get(rid, rid)), start=spans[0][0], end=spans[-1][1],
                        text=text_at(text, spans), label=label,
                        fragments=spans if len(spans) > 1 else None)
            for p in pieces:
                _apply_answers(unit, found.answers.get(p, {}), self.fail, f"{where}/region {p}")
            units[rid] = unit
        return units


def _keep_document_answers(doc: Document, found: Results, fail: Fail, where: str) -> None:
    """Answers whose id names no region belong to the document (``metadata["labelstudio"]``), except ours."""
    for rid, named in found.answers.items():
        if rid not in found.regions:
            for name, (_, answer) in named.items():
                if name in (STANCE_NAME, HOLDER_NAME, ATTRIBUTES_NAME):
                    raise fail(f"{name} result refers to missing region", f"{where}/region {rid}")
                doc.metadata.setdefault("labelstudio", {})[name] = _simple(answer)


def _apply_answers(unit: Unit, named: dict[str, tuple[str, Any]], fail: Fail, here: str) -> None:
    """Set the stance, holder and attributes that one region's per-region results give ``unit``."""
    for name, (kind, answer) in named.items():
        if name == STANCE_NAME:
            if not (isinstance(answer, list) and len(answer) == 1 and answer[0] in STANCES):
                raise fail(f"unknown stance {answer!r} (known: {', '.join(STANCES)})", here)
            _set(unit, "stance", answer[0], lambda p: fail(p, here))
        elif name == HOLDER_NAME:
            if not (isinstance(answer, list) and len(answer) == 1 and isinstance(answer[0], str)):
                raise fail(f"a holder is one text, got {answer!r}", here)
            _set(unit, "holder", answer[0], lambda p: fail(p, here))
        elif name == ATTRIBUTES_NAME:
            try:
                single = isinstance(answer, list) and len(answer) == 1 and isinstance(answer[0], str)
                attributes = jsonread.loads(answer[0]) if single else None
            except json.JSONDecodeError as e:
                raise fail(f"attributes are not valid JSON: {e.msg}", here) from None
            if not isinstance(attributes, dict):
                raise fail(f"attributes must be one JSON object, got {answer!r}", here)
            for key, value in attributes.items():
                if unit.attributes.get(key, value) != value:
                    raise fail(f"fragments disagree on attribute {key!r}", here)
                unit.attributes[key] = value
        else:  # a per-region control of a project we did not set up
            unit.attributes[name] = _simple(answer)


def _relations(links: list[Link], heads: dict[str, str], units: dict[str, Unit], extra: dict[str, Any],
               fail: Fail, where: str) -> list[Relation]:
    """The argumentative links as relations, with the ids and attributes stored in ``data.mining.relations``."""
    stored = _stored_relations(extra, lambda problem: fail(problem, where))
    used = {entry["id"] for entries in stored.values() for entry in entries}
    relations = []
    for source, target, label, here in links:
        if label == SAME_UNIT:
            continue
        for end in (source, target):
            if end not in heads:
                raise fail(f"relation points at missing region {end!r}", here)
        key = (units[heads[source]].id, units[heads[target]].id, label)
        if stored.get(key):
            entry = stored[key].pop(0)
            rel_id, attributes = entry["id"], entry["attributes"]
        else:
            rel_id, attributes = fresh(f"R{len(relations) + 1}", used), {}
        relations.append(Relation(id=rel_id, source=key[0], target=key[1], label=label, attributes=attributes))
    return relations


def _unit_ids(extra: dict[str, Any], fail: Callable[[str], CorpusError]) -> dict[str, str]:
    """``data.mining.unit_ids``: region id -> unit id, for the unit ids that are no valid region ids."""
    unit_ids = stored_field(extra, "unit_ids", (dict,), f"data.{DATA_KEY}", fail) or {}
    return {rid: str(stored_field(unit_ids, rid, (str, int), f"data.{DATA_KEY}.unit_ids", fail, required=True))
            for rid in unit_ids}


def _stored_relations(extra: dict[str, Any], fail: Callable[[str], CorpusError]) -> _Stored:
    """``data.mining.relations`` by ``(source, target, label)``, each entry checked: its ``id`` (a
    string) and ``attributes`` (an object)."""
    stored: _Stored = {}
    for i, entry in enumerate(stored_entries(extra.get("relations"), f"data.{DATA_KEY}.relations", fail)):
        name = f"data.{DATA_KEY}.relations[{i}]"
        checked = {"id": str(stored_field(entry, "id", (str, int), name, fail, required=True)),
                   "attributes": dict(stored_field(entry, "attributes", (dict,), name, fail) or {})}
        key = (str(stored_field(entry, "source", (str, int), name, fail, required=True)),
               str(stored_field(entry, "target", (str, int), name, fail, required=True)),
               stored_field(entry, "label", (str,), name, fail, required=True))
        stored.setdefault(key, []).append(checked)
    return stored


def _apply_fields(doc: Document, extra: dict[str, Any], fail: Callable[[str], CorpusError]) -> None:
    """Give the document, its units and relations the fields the schema does not know, from
    ``data.mining.fields`` (``document``, and ``units``/``relations`` by id); a unit or relation an
    annotator added has none."""
    fields = stored_field(extra, "fields", (dict,), f"data.{DATA_KEY}", fail) or {}
    name = f"data.{DATA_KEY}.fields"
    doc.extra = unknown_fields(fields.get("document"), DOCUMENT_FIELDS, f"{name}.document", fail)
    for key, targets, known in (("units", doc.units, UNIT_FIELDS), ("relations", doc.relations, RELATION_FIELDS)):
        by_id = stored_field(fields, key, (dict,), name, fail) or {}  # id -> fields
        for target in targets:
            target.extra = unknown_fields(by_id.get(target.id), known, f"{name}.{key}[{target.id!r}]", fail)


def _set(unit: Unit, field: str, value: Any, fail) -> None:
    current = getattr(unit, field)
    if current is not None and current != value:
        raise fail(f"fragments disagree on {field}: {current!r} vs {value!r}")
    setattr(unit, field, value)


def _simple(answer: Any) -> Any:
    """A one-element answer list as its element (``["quote"]`` -> ``"quote"``), anything else as is."""
    return answer[0] if isinstance(answer, list) and len(answer) == 1 else answer
