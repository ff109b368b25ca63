"""Read and write doccano JSONL: the relation-extraction export, and the sequence-labeling form on read.

One line per Document (doccano.github.io, "Relation extraction" import/export)::

    {"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}],
     "relations": [{"id", "from_id", "to_id", "type"}], "doc_id": ..., "paragraphs": ...,
     "topic": ..., "split": ..., "metadata": {...}, "mining": {...}}

doccano keeps the fields it does not know as the example's metadata and writes them back on export,
so the document fields ride along as top-level keys. Offsets count Python characters (code points).

doccano spans have a label and nothing else, so:

- **stance** is part of the label: ``claim`` (no stance), ``claim|for``, ``claim|against``. It stays
  visible and editable in doccano (a project declares these composite span types).
- **holder, attributes and the unit id** go in ``mining.units``: one entry
  ``{"span": [start, end], "label": ..., "id": ..., "holder": ..., "attributes": {...}}`` per unit,
  found again by the offsets and the (stance-less) label of the unit's first span, or by the offsets
  alone when an annotator changed the label, or by overlap when they moved its bounds. doccano renumbers
  entities on import, so entity ids cannot be the key; offsets survive. A span an annotator added has no
  entry: its id is the doccano entity id, with no holder or attributes.
- **relation ids and attributes** go in ``mining.relations`` (``id``, ``source``, ``target``,
  ``label``, ``attributes``), matched to a relation by its source and target unit ids and label,
  as in :mod:`mining.corpora.labelstudio`; unmatched relations get the doccano relation id.
- **fields the schema does not know** (the objects' ``extra``) go in ``fields``: a unit's and a
  relation's in its ``mining.units``/``mining.relations`` entry, the document's in ``mining.fields``;
  only when there are some.
- the **text's fingerprint**, ``mining.text_sha256`` (the SHA-256 of its UTF-8 bytes): a record whose
  text no longer has it is refused. An import that doccano read in another encoding than UTF-8 changes
  the text (``😀`` becomes ``ðŸ˜€``) and so every offset after it.
- the units a model **proposed** (``mining.proposed``), when the document names the model that
  labelled it (``metadata["labelled_by"]``): on the way back, the units an annotator changed or drew
  are marked as theirs (:mod:`mining.corpora.corrections`).
- a **discontinuous unit** is one entity per fragment, all with the unit's label; every later
  fragment points at the first with a relation of type ``same_unit`` (add that relation type to the
  project). Chains of ``same_unit`` relations are read too; fragments are ordered by offset.

On read, the sequence-labeling form ``{"text": ..., "label": [[start, end, "LABEL"], ...]}`` (and
the older ``"labels"`` key) is accepted; its spans are numbered ``T1``, ``T2``... A record without
``doc_id`` is named by its doccano ``id``, or else by ``FILE-LINE``. Unknown top-level fields go
into ``metadata``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from mining import jsonread
from mining.corpora import SAME_UNIT, corpus_files, fragment_heads
from mining.corpora.corrections import PROPOSED_KEY, check_proposed, pre_labelled, proposed_units, record_corrections
from mining.corpora.jsonl import utf8_lines
from mining.corpora.stored import (
    TEXT_HASH,
    check_text,
    document_id,
    stored_entries,
    stored_field,
    text_hash,
    unknown_fields,
)
from mining.errors import CorpusError
from mining.files import atomic_writer
from mining.schema import (
    DOCUMENT_FIELDS,
    RELATION_FIELDS,
    RELATION_LABELS,
    STANCES,
    UNIT_FIELDS,
    UNIT_LABELS,
    Document,
    Relation,
    Unit,
    read_paragraphs,
    require_spans,
    text_at,
)

SEPARATOR = "|"
META_KEY = "mining"
_KNOWN = {"id", "text", "entities", "relations", "label", "labels", "Comments",
          "doc_id", "paragraphs", "topic", "split", "metadata", META_KEY}


# --- writing ---

def to_records(docs: Iterable[Document]) -> list[dict[str, Any]]:
    """Render documents as doccano relation-extraction records (one dict per line of the JSONL).

    Examples
    --------
    >>> from mining.schema import Document, Unit
    >>> doc = Document("d1", "Cats rule.", units=[Unit("T1", 0, 9, "Cats rule", "claim", "for")])
    >>> to_records([doc])[0]["entities"]
    [{'id': 1, 'label': 'claim|for', 'start_offset': 0, 'end_offset': 9}]
    """
    return [_record(doc) for doc in docs]


def _record(doc: Document) -> dict[str, Any]:
    require_spans(doc, "doccano")  # an entity is a span of the text
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    heads: dict[str, int] = {}
    units_meta = []
    for unit in doc.units:
        label = unit.label if unit.stance is None else f"{unit.label}{SEPARATOR}{unit.stance}"
        pieces = unit.spans()
        heads[unit.id] = len(entities) + 1
        for k, (start, end) in enumerate(pieces):
            entities.append({"id": len(entities) + 1, "label": label, "start_offset": start, "end_offset": end})
            if k:
                relations.append({"id": len(relations) + 1, "from_id": len(entities), "to_id": heads[unit.id],
                                  "type": SAME_UNIT})
        entry: dict[str, Any] = {"span": list(pieces[0]), "label": unit.label, "id": unit.id}
        if unit.holder is not None:
            entry["holder"] = unit.holder
        if unit.attributes:
            entry["attributes"] = dict(unit.attributes)
        if unit.extra:
            entry["fields"] = dict(unit.extra)  # fields the schema does not know, kept for the way back
        units_meta.append(entry)
    for rel in doc.relations:
        for end in (rel.source, rel.target):
            if end not in heads:
                raise CorpusError(f"relation points at missing unit {end!r}", item=f"{doc.id}/{rel.id}")
        relations.append({"id": len(relations) + 1, "from_id": heads[rel.source], "to_id": heads[rel.target],
                          "type": rel.label})
    rel_meta = [{"id": r.id, "source": r.source, "target": r.target, "label": r.label,
                 **({"attributes": dict(r.attributes)} if r.attributes else {}),
                 **({"fields": dict(r.extra)} if r.extra else {})} for r in doc.relations]
    meta: dict[str, Any] = {"units": units_meta, "relations": rel_meta, TEXT_HASH: text_hash(doc.text)}
    if doc.extra:
        meta["fields"] = dict(doc.extra)
    if pre_labelled(doc):  # what the model proposed, to tell the annotator's corrections apart on the way back
        meta[PROPOSED_KEY] = proposed_units(doc)
    return {"text": doc.text, "entities": entities, "relations": relations, "doc_id": doc.id,
            "paragraphs": [list(p) for p in doc.paragraphs], "topic": doc.topic, "split": doc.split,
            "metadata": dict(doc.metadata), META_KEY: meta}


def save(docs: Iterable[Document], path: str | Path, *, exclusive: bool = False) -> int:
    """Write documents as doccano JSONL, one record per line, atomically (``exclusive``: as :func:`jsonl.save`)."""
    records = to_records(docs)
    with atomic_writer(path, exclusive=exclusive) as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)


# --- reading ---

def load(path: str | Path, **options: Any) -> list[Document]:
    """Read a doccano JSONL file, or every ``*.jsonl`` file of a folder; ``options`` go to the reader.

    Options: ``unit_labels`` and ``relation_labels`` (doccano label -> schema label; default: the
    schema labels themselves).
    """
    docs = []
    for f in corpus_files(path, ".jsonl"):
        docs += [_read_record(record, lineno, f, **options) for lineno, record in _read_lines(f)]
    return docs


def _read_lines(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open("rb") as f:  # a byte order mark that starts the file is dropped
        lines = list(utf8_lines(f, path, kind="doccano's JSONL export"))
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield lineno, jsonread.loads(line.rstrip("\r\n"))  # an error at its end: that column
        except json.JSONDecodeError as e:
            raise CorpusError(jsonread.describe(e), file=path, line=lineno) from None


def from_records(records: Iterable[dict[str, Any]], *, file: str | Path | None = None,
                 unit_labels: dict[str, str] | None = None, relation_labels: dict[str, str] | None = None,
                 reviewed: Sequence[bool] | None = None) -> list[Document]:
    """Documents from doccano records; errors name ``file`` and the record's line (its 1-based position).

    ``reviewed`` says, per record, whether a person marked the example done (the server knows; an export file
    does not): a reviewed document a model labelled is marked as submitted even when nothing changed."""
    records = list(records)
    reviewed = [False] * len(records) if reviewed is None else list(reviewed)
    return [_read_record(r, n, file, unit_labels=unit_labels, relation_labels=relation_labels, reviewed=done)
            for n, (r, done) in enumerate(zip(records, reviewed, strict=True), start=1)]


# (entity id of the source, of the target, schema label or SAME_UNIT, doccano relation id, item for errors)
_Link = tuple[str, str, str, str | None, str]
# entity id -> (start, end, schema label, stance)
_Spans = dict[str, tuple[int, int, str, str | None]]


def _read_record(record: Any, lineno: int, file: str | Path | None, *, unit_labels: dict[str, str] | None = None,
                 relation_labels: dict[str, str] | None = None, reviewed: bool = False) -> Document:
    unit_labels = {v: v for v in UNIT_LABELS} if unit_labels is None else unit_labels
    relation_labels = {v: v for v in RELATION_LABELS} if relation_labels is None else relation_labels

    def fail(problem: str, item: str | None = None) -> CorpusError:
        return CorpusError(problem, file=file, line=lineno, item=item)

    if not isinstance(record, dict):
        raise fail(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise fail("missing or non-string field 'text'")
    if "units" in record and not any(key in record for key in ("entities", "label", "labels")):
        raise fail('a record of the project\'s JSONL (it has "units"), not a doccano export: read it as jsonl')
    doc_id = document_id(record, ("doc_id", "id"), "", fail)
    if doc_id is None:
        doc_id = f"{Path(file).stem}-{lineno}" if file is not None else str(lineno)
    doc = Document(id=doc_id, text=text)
    _read_fields(doc, record, fail)
    extra = record.get(META_KEY) or {}
    if not isinstance(extra, dict):
        raise fail(f"field {META_KEY!r} must be a JSON object")
    check_text(extra, text, META_KEY, lambda problem: fail(problem, f"document {doc_id}"))
    spans = _read_spans(_entities(record, fail), text, unit_labels, fail)
    links = _read_links(record, spans, relation_labels, fail)
    heads = fragment_heads(spans, [(s, t, i) for s, t, kind, _, i in links if kind == SAME_UNIT], fail, "entity")
    units = _read_units(record, text, spans, heads, extra, fail)
    doc.units = list(units.values())
    doc.relations = _read_relations(links, heads, units, extra, fail)
    doc.extra = unknown_fields(extra.get("fields"), DOCUMENT_FIELDS, f"{META_KEY}.fields", fail)
    if PROPOSED_KEY in extra:  # doccano's export does not say who changed a span: "human"
        proposed = check_proposed(extra[PROPOSED_KEY], lambda problem: fail(f"{META_KEY}.{problem}"))
        version = extra.get("model_version")  # what push --model stored: the model, named as Label Studio names it
        record_corrections(doc, proposed, annotator=None, tool="doccano", reviewed=reviewed,
                           model=version if isinstance(version, str) else None)
    return doc


def _read_spans(entities: list[Any], text: str, unit_labels: dict[str, str], fail) -> _Spans:
    """Check each entity: offsets inside ``text``, a known label with an optional ``|stance``."""
    spans: _Spans = {}
    for k, entity in enumerate(entities, start=1):
        if not isinstance(entity, dict) or entity.get("id") is None:
            raise fail(f"entity {k} is not an object with an 'id'")
        eid = str(entity["id"])
        item = f"entity {eid}"
        if eid in spans:
            raise fail("duplicate entity id", item)
        start, end = entity.get("start_offset"), entity.get("end_offset")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            raise fail(f"offsets must be integers, got start_offset={start!r} end_offset={end!r}", item)
        if not 0 <= start < end <= len(text):
            raise fail(f"offsets {start}-{end} are outside the text (length {len(text)}) or empty", item)
        label = entity.get("label")
        if not isinstance(label, str):
            raise fail(f"label must be a string, got {label!r}", item)
        base, sep, stance = label.partition(SEPARATOR)
        if base not in unit_labels:
            known = ", ".join(sorted(unit_labels))
            raise fail(f"unknown label {base!r} (known: {known}, optionally with |for or |against)", item)
        if sep and stance not in STANCES:
            raise fail(f"unknown stance {stance!r} in label {label!r} (known: {', '.join(STANCES)})", item)
        spans[eid] = (start, end, unit_labels[base], stance if sep else None)
    return spans


def _read_links(record: dict[str, Any], spans: _Spans, relation_labels: dict[str, str], fail) -> list[_Link]:
    """Check each relation: both ends are entities, the type is ``same_unit`` or a known relation label."""
    links = []
    raw_relations = record.get("relations") or []
    if not isinstance(raw_relations, list):
        raise fail("'relations' must be a list")
    for k, rel in enumerate(raw_relations, start=1):
        if not isinstance(rel, dict):
            raise fail(f"relation {k} is not an object")
        item = f"relation {rel.get('id', k)}"
        if rel.get("from_id") is None or rel.get("to_id") is None:
            raise fail("relation has no 'from_id' and 'to_id' (the entity ids it links)", item)
        source, target, kind = str(rel.get("from_id")), str(rel.get("to_id")), rel.get("type")
        for end in (source, target):
            if end not in spans:
                raise fail(f"relation points at missing entity {end!r}", item)
        if kind != SAME_UNIT:
            if not isinstance(kind, str) or kind not in relation_labels:
                known = ", ".join(sorted([*relation_labels, SAME_UNIT]))
                raise fail(f"unknown relation type {kind!r} (known: {known})", item)
            kind = relation_labels[kind]
        links.append((source, target, kind, str(rel["id"]) if rel.get("id") is not None else None, item))
    return links


def _read_units(record: dict[str, Any], text: str, spans: _Spans, heads: dict[str, str], extra: dict[str, Any],
                fail) -> dict[str, Unit]:
    """One unit per group of fragments, keyed by its first entity and in document order: the units
    stored in ``mining.units`` in their stored order (ids, holders, attributes), then new ones by offset.

    A group finds its stored entry by the offsets and label of its first span; failing that, by the
    offsets alone (an annotator changed the label: the unit keeps its id, holder and attributes), once
    every exact match has taken its entry; failing that, by overlap (an annotator moved the unit's bounds)."""
    groups: dict[str, list[str]] = {eid: [] for eid in spans if heads[eid] == eid}
    for eid in spans:
        groups[heads[eid]].append(eid)
    fragments: dict[str, list[tuple[int, int]]] = {}
    for eid, pieces in groups.items():
        for p in pieces:
            if spans[p][2:] != spans[eid][2:]:
                raise fail(f"fragment label differs from its unit's (entity {eid})", f"entity {p}")
        fragments[eid] = sorted(spans[p][:2] for p in pieces)
    stored = _stored_units(extra, fail)
    entries = {eid: _pop(stored, (fragments[eid][0], spans[eid][2])) for eid in groups}
    for eid in groups:
        if not entries[eid]:
            entries[eid] = _pop_span(stored, fragments[eid][0])
    moved = {eid: (fragments[eid][0], spans[eid][2]) for eid in groups if not entries[eid]}
    entries.update(_pop_overlapping(stored, moved))
    units: dict[str, Unit] = {}
    order: dict[str, tuple[float, int, int]] = {}  # stored units in their stored order, then new ones by offset
    for eid in groups:
        entry, pieces = entries[eid], fragments[eid]
        fallback_id = eid if "entities" in record else f"T{eid}"  # the label form has no entity ids
        unit = Unit(id=entry.get("id", fallback_id),
                    start=pieces[0][0], end=pieces[-1][1], text=text_at(text, pieces),
                    label=spans[eid][2], stance=spans[eid][3], holder=entry.get("holder"),
                    attributes=entry.get("attributes", {}), fragments=pieces if len(pieces) > 1 else None,
                    extra=entry.get("extra", {}))
        units[eid] = unit
        order[eid] = (entry.get("index", float("inf")), unit.start, unit.end)
    return {eid: units[eid] for eid in sorted(units, key=order.__getitem__)}


def _read_relations(links: list[_Link], heads: dict[str, str], units: dict[str, Unit], extra: dict[str, Any],
                    fail) -> list[Relation]:
    """The argumentative links as relations, with the ids and attributes stored in ``mining.relations``,
    in their stored order, then new ones in record order."""
    stored_rels = _stored_relations(extra, fail)
    relations = []
    for k, (source, target, kind, rid, item) in enumerate(links, start=1):
        if kind == SAME_UNIT:
            continue
        key = (units[heads[source]].id, units[heads[target]].id, kind)
        entry = _pop(stored_rels, key)
        relation = Relation(id=entry.get("id", rid or f"R{k}"), source=key[0], target=key[1], label=kind,
                            attributes=entry.get("attributes", {}), extra=entry.get("extra", {}))
        relations.append(((entry.get("index", float("inf")), k), relation))
    return [r for _, r in sorted(relations, key=lambda t: t[0])]


def _read_fields(doc: Document, record: dict[str, Any], fail) -> None:
    try:
        doc.paragraphs = read_paragraphs(record.get("paragraphs"), doc.text)
    except ValueError as e:
        raise fail(f"'paragraphs' {e}") from None
    doc.topic = stored_field(record, "topic", (str,), "", fail)
    doc.split = stored_field(record, "split", (str,), "", fail)
    metadata = record.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise fail("'metadata' must be a JSON object")
    doc.metadata = dict(metadata)
    # doccano writes the metadata of records it imported as top-level fields: keep them.
    for key, value in record.items():
        if key in _KNOWN and not (key == "Comments" and value):
            continue
        if key in doc.metadata and doc.metadata[key] != value:
            raise fail(f"field {key!r} clashes with metadata[{key!r}]")
        doc.metadata[key] = value


def _entities(record: dict[str, Any], fail) -> list[Any]:
    if "entities" in record:
        entities = record["entities"]
        if not isinstance(entities, list):
            raise fail("'entities' must be a list")
        if record.get("label") or record.get("labels"):
            raise fail("record has both 'entities' and 'label' spans; which ones to read is unclear")
        return entities
    spans = record.get("label", record.get("labels")) or []
    if not isinstance(spans, list):
        raise fail("'label' must be a list of [start, end, label] spans")
    entities = []
    for k, span in enumerate(spans, start=1):
        if not (isinstance(span, list) and len(span) == 3):
            raise fail(f"label span {k} is not [start, end, label]: {span!r}")
        entities.append({"id": k, "start_offset": span[0], "end_offset": span[1], "label": span[2]})
    return entities


# A stored entry, checked: its position in the list ("index"), "id", "attributes", "extra" (its "fields")
# and, for a unit, "holder".
_Stored = dict[Any, list[dict[str, Any]]]


def _stored_units(extra: dict[str, Any], fail) -> _Stored:
    """``mining.units`` by ``((start, end), label)`` of each unit's first span."""
    stored: _Stored = {}
    for i, entry in enumerate(stored_entries(extra.get("units"), f"{META_KEY}.units", fail)):
        name = f"{META_KEY}.units[{i}]"
        checked = _stored_entry(entry, i, name, UNIT_FIELDS, fail)
        checked["holder"] = stored_field(entry, "holder", (str,), name, fail)
        span = stored_field(entry, "span", (list,), name, fail, required=True)
        if len(span) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) for x in span):
            raise fail(f"{name}.span must be [start, end] integer offsets, got {span!r}"[:200])
        key = ((span[0], span[1]), stored_field(entry, "label", (str,), name, fail, required=True))
        stored.setdefault(key, []).append(checked)
    return stored


def _stored_relations(extra: dict[str, Any], fail) -> _Stored:
    """``mining.relations`` by ``(source, target, label)``."""
    stored: _Stored = {}
    for i, entry in enumerate(stored_entries(extra.get("relations"), f"{META_KEY}.relations", fail)):
        name = f"{META_KEY}.relations[{i}]"
        checked = _stored_entry(entry, i, name, RELATION_FIELDS, fail)
        key = (str(stored_field(entry, "source", (str, int), name, fail, required=True)),
               str(stored_field(entry, "target", (str, int), name, fail, required=True)),
               stored_field(entry, "label", (str,), name, fail, required=True))
        stored.setdefault(key, []).append(checked)
    return stored


def _stored_entry(entry: dict[str, Any], index: int, name: str, known: frozenset[str], fail) -> dict[str, Any]:
    return {"index": index, "id": str(stored_field(entry, "id", (str, int), name, fail, required=True)),
            "attributes": dict(stored_field(entry, "attributes", (dict,), name, fail) or {}),
            "extra": unknown_fields(entry.get("fields"), known, f"{name}.fields", fail)}


def _pop_span(stored: _Stored, span: tuple[int, int]) -> dict[str, Any]:
    """The first stored unit entry whose first span is ``span``, whatever its label, or ``{}``."""
    for (offsets, _), found in stored.items():
        if offsets == span and found:
            return found.pop(0)
    return {}


def _pop_overlapping(stored: _Stored, spans: dict[str, tuple[tuple[int, int], str]]) -> dict[str, dict[str, Any]]:
    """Pair the first spans ``spans`` (entity id -> (offsets, label)) that found no stored unit entry with the entries
    left whose first span they overlap: an annotator moved the unit's bounds, and it keeps its id, holder and
    attributes. One to one, the greatest overlap first and the same label before another; a span that overlaps no
    entry left is a new unit, and an entry that no span overlaps is a unit the annotator removed."""
    pairs = []
    for eid, ((start, end), label) in spans.items():
        for ((s, e), stored_label), found in stored.items():
            overlap = min(end, e) - max(start, s)
            pairs += [(-overlap, stored_label != label, entry["index"], eid, entry) for entry in found if overlap > 0]
    paired: dict[str, dict[str, Any]] = {}
    taken: set[int] = set()
    for *_, index, eid, entry in sorted(pairs, key=lambda pair: pair[:4]):
        if eid not in paired and index not in taken:
            paired[eid] = entry
            taken.add(index)
    for found in stored.values():
        found[:] = [entry for entry in found if entry["index"] not in taken]
    return paired


def _pop(stored: _Stored, key: Any) -> dict[str, Any]:
    """The first stored entry with ``key`` not yet taken, or ``{}``."""
    found = stored.get(key)
    return found.pop(0) if found else {}
