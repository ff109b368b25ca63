"""Read and write brat standoff (``.txt`` + ``.ann``), including discontinuous spans and attributes.

Entity types map to unit labels and relation types to relation labels through plain dicts.
The ``Stance`` attribute becomes the unit's stance and ``Holder`` its holder; every other
attribute is kept in ``Unit.attributes``. What brat cannot hold (holders with spaces, non-id
unit ids, typed attribute values) is written as an ``AnnotatorNotes`` line starting with
``mining:`` followed by JSON, and read back from there, so a round trip is lossless. A unit across a line
break is written as brat writes one, as fragments that stop at line breaks (an ``.ann`` line cannot hold one),
with its own spans in the note (read back only while the ``T`` line is still what was written: an annotator's
edit of it wins). Document
fields brat has no place for (paragraphs, topic, split, metadata) go in an optional sidecar
``<id>.json``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mining import jsonread
from mining.corpora import folder_files
from mining.corpora.jsonl import utf8_text
from mining.errors import CorpusError, listed, short_repr, shortened
from mining.files import STAGING, remove_if_stale, staging_folder, staging_folders, write_text_atomic
from mining.schema import (
    RELATION_LABELS,
    UNIT_LABELS,
    Document,
    Relation,
    SchemaError,
    Unit,
    paragraphs_from_lines,
    require_spans,
    text_at,
)

DEFAULT_UNIT_LABELS = {
    "MajorClaim": "major_claim",
    "Claim": "claim",
    "Premise": "premise",
    "major_claim": "major_claim",
    "claim": "claim",
    "premise": "premise",
}
DEFAULT_RELATION_LABELS = {
    "supports": "support",
    "attacks": "attack",
    "support": "support",
    "attack": "attack",
}
STANCE_ATTRIBUTE = "Stance"
HOLDER_ATTRIBUTE = "Holder"
NOTE_PREFIX = "mining:"
_BRAT_ID = re.compile(r"^[TR]\d+$")
BOM = "\ufeff"
_TOKEN = re.compile(r"^\S+$")
# An offset as brat writes one: ASCII digits (str.isdigit also takes "²" and "١٩١", which int() fails on or reads)
_OFFSET = re.compile(r"[0-9]+")
logger = logging.getLogger(__name__)


def read_document(txt_path: str | Path, *, unit_labels: dict[str, str] | None = None,
                  relation_labels: dict[str, str] | None = None) -> Document:
    """Read one brat document from ``NAME.txt`` and ``NAME.ann`` (and ``NAME.json`` if present)."""
    txt_path = Path(txt_path)
    ann_path = txt_path.with_suffix(".ann")
    unit_labels = DEFAULT_UNIT_LABELS if unit_labels is None else unit_labels
    relation_labels = DEFAULT_RELATION_LABELS if relation_labels is None else relation_labels
    text = _read_text(txt_path)
    doc = Document(id=txt_path.stem, text=text, paragraphs=paragraphs_from_lines(text))
    sidecar = txt_path.with_suffix(".json")
    if sidecar.exists():
        _apply_sidecar(doc, sidecar)
    if not ann_path.exists():
        raise CorpusError("annotation file is missing", file=ann_path)
    # A byte order mark (Windows editors start a file with one) is no part of the first annotation's id. In the .txt
    # it stays: brat counts it in the offsets.
    _parse_ann(doc, _read_text(ann_path).removeprefix(BOM), ann_path, unit_labels, relation_labels)
    return doc


def load(path: str | Path, *, unit_labels: dict[str, str] | None = None,
         relation_labels: dict[str, str] | None = None) -> list[Document]:
    """Read every ``*.txt``/``*.ann`` pair of a brat folder, sorted by name."""
    path = Path(path)
    if not path.is_dir():
        raise CorpusError("not a directory of brat files", file=path)
    folder_files(path, ".ann")  # a nested collection's or an .ANN file: named, not left unread
    txts = sorted(path.glob("*.txt"))
    if not txts:
        raise CorpusError("no *.txt files found", file=path)
    orphans = [a.name for a in orphan_annotations(path)]
    if orphans:
        raise CorpusError(f"annotation file(s) without their .txt, which would be skipped: {listed(orphans)}",
                          file=path)
    return [read_document(t, unit_labels=unit_labels, relation_labels=relation_labels) for t in txts]


def _read_text(path: Path) -> str:
    """``path``'s text as brat reads it: UTF-8, line ends and a byte order mark kept (brat counts them in offsets)."""
    return utf8_text(path.read_bytes(), path, kind="a brat file", keep_bom=True)


SIDECAR_FIELDS = ("id", "paragraphs", "topic", "split", "metadata", "fields")


def _apply_sidecar(doc: Document, path: Path) -> None:
    """The document fields a ``NAME.json`` sidecar holds, each of the type a document's field has."""
    try:
        info = jsonread.loads(_read_text(path).removeprefix(BOM))
    except json.JSONDecodeError as e:
        raise CorpusError(f"invalid JSON: {e.msg}", file=path, line=e.lineno) from None
    if not isinstance(info, dict):
        raise CorpusError(f"expected a JSON object of the document's fields ({', '.join(SIDECAR_FIELDS)}), got a "
                          f"{type(info).__name__}", file=path)
    fields = info.get("fields")
    if fields is not None and not isinstance(fields, dict):
        raise CorpusError(f"'fields' must be an object of the document's other fields, got {type(fields).__name__}",
                          file=path)
    given = {k: info[k] for k in ("id", "paragraphs") if info.get(k) is not None}
    try:
        read = Document.from_dict({"id": doc.id, "text": doc.text, "paragraphs": doc.paragraphs, **given,
                                   **{k: info.get(k) for k in ("topic", "split", "metadata")}})
    except SchemaError as e:
        raise CorpusError(str(e), file=path) from None
    doc.id, doc.paragraphs, doc.topic, doc.split = read.id, read.paragraphs, read.topic, read.split
    doc.metadata, doc.extra = read.metadata, dict(fields or {})


def _parse_ann(doc: Document, ann: str, ann_path: Path, unit_labels: dict[str, str],
               relation_labels: dict[str, str]) -> None:
    units: dict[str, Unit] = {}
    relations: dict[str, Relation] = {}
    lines: dict[str, int] = {}  # T and R ids -> the line that defines them
    pending: list[tuple[int, str, list[str], str]] = []  # attributes and notes, applied after T/R lines
    for lineno, line in enumerate(_ann_lines(ann), start=1):
        if not line.strip():
            continue
        fields = line.split("\t", 2)  # an entity's text may hold a tab
        ann_id = fields[0]
        if len(fields) < 2:
            raise CorpusError(f"annotation {ann_id!r} has no tab-separated body", file=ann_path, line=lineno)
        head = fields[1].split()
        if ann_id in lines:
            raise CorpusError(f"duplicate annotation id {ann_id!r} (first on line {lines[ann_id]}); each T and R "
                              "id must be unique, or one annotation would silently replace the other",
                              file=ann_path, line=lineno)
        if ann_id.startswith("T"):
            units[ann_id] = _parse_entity(doc, fields, head, ann_path, lineno, unit_labels)
            lines[ann_id] = lineno
        elif ann_id.startswith("R"):
            if len(head) != 3 or not head[1].startswith("Arg1:") or not head[2].startswith("Arg2:"):
                raise CorpusError(f"relation {ann_id} must read 'TYPE Arg1:ID Arg2:ID'", file=ann_path, line=lineno)
            label = _map(head[0], relation_labels, "relation type", ann_path, lineno, ann_id)
            relations[ann_id] = Relation(id=ann_id, source=head[1][5:], target=head[2][5:], label=label,
                                         attributes=_type_attribute(head[0], label))
            lines[ann_id] = lineno
        elif ann_id.startswith(("A", "M", "#")):
            pending.append((lineno, ann_id, head, fields[2] if len(fields) > 2 else ""))
        else:
            raise CorpusError(f"unsupported brat annotation {ann_id!r} (only T, R, A/M and # lines are read)",
                              file=ann_path, line=lineno)
    _apply_pending(pending, units, relations, ann_path)
    for rel in relations.values():
        for end in (rel.source, rel.target):
            if end not in units:
                raise CorpusError(f"relation {rel.id} points at missing unit {end!r}", file=ann_path,
                                  line=lines[rel.id])
    for unit in units.values():
        _restore_spans(unit, doc, ann_path, lines[unit.id])
    # Restore the original ids last: relations were parsed against brat ids.
    renamed = {bid: u.attributes.pop("_id", bid) for bid, u in units.items()}
    for bid, unit in units.items():
        unit.id = renamed[bid]
    for rel in relations.values():
        rel.source, rel.target = renamed[rel.source], renamed[rel.target]
        rel.id = rel.attributes.pop("_id", rel.id)
    doc.units = sorted(units.values(), key=lambda u: (u.start, u.end))
    doc.relations = list(relations.values())


def _apply_pending(pending: list[tuple[int, str, list[str], str]], units: dict[str, Unit],
                   relations: dict[str, Relation], ann_path: Path) -> None:
    """Apply the attribute (A/M) and note (#) lines to the T and R annotations they name; each gives one target one
    attribute of a name, one note and one mining note at most."""
    given: dict[tuple[str, str], tuple[str, int]] = {}  # (target, attribute or note) -> the A/M/# id and line giving it
    for lineno, ann_id, head, rest in pending:
        target_id = head[1] if len(head) > 1 else None
        target = units.get(target_id) or relations.get(target_id)
        if target is None:
            raise CorpusError(f"{ann_id} refers to unknown annotation {target_id!r}", file=ann_path, line=lineno)
        what = ("a mining note" if rest.startswith(NOTE_PREFIX) else "a note") if ann_id.startswith("#") else head[0]
        if (target_id, what) in given:
            first, line = given[target_id, what]
            raise CorpusError(f"{ann_id} sets {what} of {target_id} a second time (first by {first} on line {line}): "
                              "one value would silently replace the other", file=ann_path, line=lineno)
        given[target_id, what] = ann_id, lineno
        if ann_id.startswith("#"):
            _apply_note(target, rest, ann_path, lineno)
        else:
            _apply_attribute(target, head, ann_path, lineno, ann_id)


def _ann_lines(ann: str) -> list[str]:
    """The lines of an ``.ann`` text: split at ``\\n`` only, as brat splits them (``str.splitlines`` would split an
    entity's text at a form feed or U+2028 too)."""
    return [line.removesuffix("\r") for line in ann.split("\n")]


def _restore_spans(unit: Unit, doc: Document, ann_path: Path, lineno: int) -> None:
    """Give ``unit`` back the spans its note keeps (it crossed a line break: the ``T`` line holds pieces of it).

    The note's spans are applied only when cutting them at line breaks as the writer does gives exactly the ``T``
    line's spans. Otherwise the ``T`` line was edited in brat after the note was written: the annotator's edit
    wins, and the stale spans are ignored with a warning naming the file, the line and the id."""
    spans = unit.attributes.pop("_spans", None)
    if spans is None:
        return
    text = doc.text
    pairs = all(isinstance(p, list) and len(p) == 2 and all(type(x) is int for x in p) for p in spans)
    spans = [(p[0], p[1]) for p in spans] if pairs else []
    if not spans or not all(0 <= a < b <= len(text) for a, b in spans):
        raise CorpusError(f"the mining note of {unit.id} has spans {spans!r}: expected [start, end] pairs inside "
                          f"the text (length {len(text)})", file=ann_path, line=lineno)
    noted = Unit(id=unit.id, start=spans[0][0], end=spans[-1][1], text=text_at(text, spans), label=unit.label,
                 fragments=spans if len(spans) > 1 else None)
    try:
        pieces = line_pieces(doc, noted)
    except CorpusError:  # only line breaks and spaces: no T line holds that
        pieces = []
    if pieces != unit.spans():
        logger.warning("%s:%d [%s]: the T line's spans %s are not the mining note's spans %s cut at line breaks: "
                       "the T line was edited after the note was written; the T line is kept, the note's spans "
                       "ignored", ann_path, lineno, unit.id, unit.spans(), spans)
        return
    unit.start, unit.end, unit.text, unit.fragments = noted.start, noted.end, noted.text, noted.fragments


def _parse_entity(doc: Document, fields: list[str], head: list[str], ann_path: Path, lineno: int,
                  unit_labels: dict[str, str]) -> Unit:
    ann_id = fields[0]
    if len(fields) < 3 or len(head) < 3:
        raise CorpusError(f"entity {ann_id} must read 'TYPE START END<TAB>TEXT'", file=ann_path, line=lineno)
    label = _map(head[0], unit_labels, "entity type", ann_path, lineno, ann_id)
    fragments = []
    for piece in " ".join(head[1:]).split(";"):
        bounds = piece.split()
        if len(bounds) != 2 or not all(_OFFSET.fullmatch(b) for b in bounds):
            raise CorpusError(f"entity {ann_id} has a malformed span {short_repr(piece.strip())}; expected "
                              "'START END', two offsets in ASCII digits", file=ann_path, line=lineno)
        # no text is 10**18 characters long; int() refuses some thousand digits
        start, end = (int(b) if len(b) <= 18 else 10**18 for b in bounds)
        if not 0 <= start < end <= len(doc.text):
            span = "-".join(bounds)
            raise CorpusError(f"entity {ann_id} span {shortened(span)} is outside the "
                              f"text (length {len(doc.text)})", file=ann_path, line=lineno)
        fragments.append((start, end))
    text = fields[2]
    expected = text_at(doc.text, fragments)
    if text != expected and text.startswith(expected + "\t"):  # fields after the text (AAEC ends lines with a tab)
        text = expected
    if text != expected:
        raise CorpusError(f"entity {ann_id} text {text!r} does not match the text at its offsets {expected!r}"
                          f"{_shift_hint(doc.text, fragments, text)}", file=ann_path, line=lineno)
    return Unit(id=ann_id, start=fragments[0][0], end=fragments[-1][1], text=text, label=label,
                attributes=_type_attribute(head[0], label), fragments=fragments if len(fragments) > 1 else None)


def _shift_hint(text: str, fragments: list[tuple[int, int]], wanted: str) -> str:
    """Why the offsets miss, when the .txt was changed in a way that shifts them: its line ends made Windows ones
    (``\\r\\n``), or a byte order mark put before it; brat counts every ``\\r`` and the mark as characters."""
    causes = [("Windows line ends (\\r\\n)", "them", text.replace("\r\n", "\n")),
              ("a byte order mark", "it", text.removeprefix(BOM))]
    for cause, pronoun, original in causes:
        if original != text and all(end <= len(original) for _, end in fragments) \
                and text_at(original, fragments) == wanted:
            return (f"; the .txt has {cause}, which brat counts as characters, and the offsets match the text "
                    f"without {pronoun}: the .txt was changed after the .ann was written (by an editor, or git on "
                    "Windows?)")
    return ""


def _type_attribute(brat_type: str, label: str) -> dict[str, str]:
    """Keep the corpus's own type name when it differs from the schema label."""
    return {} if brat_type == label else {"brat_type": brat_type}


def _map(name: str, mapping: dict[str, str], what: str, ann_path: Path, lineno: int, ann_id: str) -> str:
    if name not in mapping:
        known = ", ".join(sorted(mapping))
        raise CorpusError(f"{ann_id} has unknown {what} {name!r} (known: {known})", file=ann_path, line=lineno)
    return mapping[name]


def _apply_attribute(target: Unit | Relation, head: list[str], ann_path: Path, lineno: int, ann_id: str) -> None:
    name = head[0]
    value: Any = head[2] if len(head) > 2 else True
    if isinstance(target, Unit) and name == STANCE_ATTRIBUTE:
        stance = str(value).lower()
        if stance not in ("for", "against"):
            raise CorpusError(f"{ann_id} has unknown stance {value!r} (known: For, Against)", file=ann_path,
                              line=lineno)
        target.stance = stance
    elif isinstance(target, Unit) and name == HOLDER_ATTRIBUTE:
        target.holder = str(value)
    else:
        target.attributes[name] = value


# What a mining note may hold, and the JSON type of each.
_NOTE_FIELDS = {"holder": (str, "a string"), "stance": (str, "a string"), "id": (str, "a string"),
                "attributes": (dict, "an object"), "fields": (dict, "an object"),
                "spans": (list, "a list of [start, end] pairs")}


def _note_problem(extra: Any) -> str | None:
    """What is wrong with the JSON of a mining note (None when nothing is)."""
    if not isinstance(extra, dict):
        return f"must be one JSON object ({', '.join(_NOTE_FIELDS)}), got a {type(extra).__name__}"
    for key, (kind, expected) in _NOTE_FIELDS.items():
        if extra.get(key) is not None and not isinstance(extra[key], kind):
            return f"{key!r} must be {expected}, got {type(extra[key]).__name__}"
    return None


def _apply_note(target: Unit | Relation, note: str, ann_path: Path, lineno: int) -> None:
    if not note.startswith(NOTE_PREFIX):
        target.attributes["note"] = note
        return
    try:
        extra = jsonread.loads(note[len(NOTE_PREFIX):])
    except json.JSONDecodeError as e:
        raise CorpusError(f"invalid JSON in mining note: {e.msg}", file=ann_path, line=lineno) from None
    if (problem := _note_problem(extra)) is not None:
        raise CorpusError(f"the mining note {problem}", file=ann_path, line=lineno)
    if isinstance(target, Unit):
        if "holder" in extra:
            target.holder = extra.pop("holder")
        if "stance" in extra:
            target.stance = extra.pop("stance")
    if "id" in extra:
        target.attributes["_id"] = extra.pop("id")
    if "spans" in extra and isinstance(target, Unit):
        target.attributes["_spans"] = extra.pop("spans")
    target.attributes.update(extra.pop("attributes", {}))
    target.extra.update(extra.pop("fields", {}))


def format_ann(doc: Document, *, unit_types: dict[str, str] | None = None,
               relation_types: dict[str, str] | None = None) -> str:
    """Render a document's units and relations as brat ``.ann`` text.

    ``unit_types``/``relation_types`` map schema labels to brat type names (default: the labels).
    An implicit unit (no span) is refused: a brat text-bound annotation needs characters of the text. So are a span
    empty or outside the text, and a NaN or an infinity anywhere in ``doc`` (:func:`mining.schema.require_spans`).
    """
    require_spans(doc, "brat")
    return _ann_text(doc, unit_types=unit_types, relation_types=relation_types)


def _ann_text(doc: Document, *, unit_types: dict[str, str] | None = None,
              relation_types: dict[str, str] | None = None) -> str:
    """:func:`format_ann` of a document :func:`mining.schema.require_spans` has passed (:func:`save` checks every
    document before it writes one: its check serialises the document to JSON, too dear to make twice)."""
    unit_types = unit_types or {}
    relation_types = relation_types or {}
    lines: list[str] = []
    notes: list[tuple[str, dict[str, Any]]] = []
    n_attr = 0
    brat_ids: dict[str, str] = {}
    for i, unit in enumerate(doc.units, start=1):
        bid = unit.id if _BRAT_ID.match(unit.id) and unit.id.startswith("T") else f"T{i}"
        brat_ids[unit.id] = bid
    if len(set(brat_ids.values())) != len(brat_ids):  # mixed id styles collided: number them all
        brat_ids = {u.id: f"T{i}" for i, u in enumerate(doc.units, start=1)}
    for unit in doc.units:
        bid = brat_ids[unit.id]
        attributes = {k: v for k, v in unit.attributes.items() if k != "brat_type"}
        brat_type = unit.attributes.get("brat_type") if unit_types == {} else None
        pieces = line_pieces(doc, unit)
        span = ";".join(f"{a} {b}" for a, b in pieces)
        lines.append(f"{bid}\t{brat_type or unit_types.get(unit.label, unit.label)} {span}\t"
                     f"{text_at(doc.text, pieces)}")
        note: dict[str, Any] = {} if pieces == unit.spans() else {"spans": [list(p) for p in unit.spans()]}
        if bid != unit.id:
            note["id"] = unit.id
        if unit.stance is not None:
            n_attr += 1
            lines.append(f"A{n_attr}\t{STANCE_ATTRIBUTE} {bid} {unit.stance.capitalize()}")
        if unit.holder is not None:
            if _TOKEN.match(unit.holder):
                n_attr += 1
                lines.append(f"A{n_attr}\t{HOLDER_ATTRIBUTE} {bid} {unit.holder}")
            else:
                note["holder"] = unit.holder
        n_attr = _write_attributes(lines, bid, attributes, note, n_attr)
        if unit.extra:
            note["fields"] = unit.extra  # fields the schema does not know, kept for the way back
        if note:
            notes.append((bid, note))
    rids = _relation_ids(doc.relations)
    for rel, rid in zip(doc.relations, rids):
        brat_type = rel.attributes.get("brat_type") if relation_types == {} else None
        lines.append(f"{rid}\t{brat_type or relation_types.get(rel.label, rel.label)} "
                     f"Arg1:{brat_ids[rel.source]} Arg2:{brat_ids[rel.target]}\t")
        note = {"id": rel.id} if rid != rel.id else {}
        attributes = {k: v for k, v in rel.attributes.items() if k != "brat_type"}
        n_attr = _write_attributes(lines, rid, attributes, note, n_attr)
        if rel.extra:
            note["fields"] = rel.extra
        if note:
            notes.append((rid, note))
    for k, (bid, note) in enumerate(notes, start=1):
        lines.append(f"#{k}\tAnnotatorNotes {bid}\t{NOTE_PREFIX}{json.dumps(note, ensure_ascii=False)}")
    return "".join(line + "\n" for line in lines)


def _relation_ids(relations: list[Relation]) -> list[str]:
    """The brat id of each relation: its own when that is one (``R7``), else ``R`` and its position; when the two
    styles give one id twice (``R2`` kept, the second relation numbered ``R2``), all are numbered, as units are (a
    repeated id makes the ``.ann`` unreadable)."""
    rids = [rel.id if _BRAT_ID.match(rel.id) and rel.id.startswith("R") else f"R{i}"
            for i, rel in enumerate(relations, start=1)]
    return rids if len(set(rids)) == len(rids) else [f"R{i}" for i in range(1, len(relations) + 1)]


# What ends a line for str.splitlines: none may stand in an .ann line, and brat ends a fragment at each.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK = re.compile(f"[{_BREAKS}]")
_LINE = re.compile(f"[^{_BREAKS}]+")


def line_pieces(doc: Document, unit: Unit) -> list[tuple[int, int]]:
    """The spans of ``unit``, a span across line breaks cut there into pieces without the whitespace at their ends,
    as brat's server cuts a selection across lines (``annotator.py``, ``__create_span``): an ``.ann`` line cannot
    hold a line break."""
    text, pieces = doc.text, []
    for start, end in unit.spans():
        if not _LINE_BREAK.search(text, start, end):
            pieces.append((start, end))
            continue
        for line in _LINE.finditer(text, start, end):
            a, b = line.span()
            a, b = a + len(line[0]) - len(line[0].lstrip()), b - len(line[0]) + len(line[0].rstrip())
            if a < b:
                pieces.append((a, b))
    if not pieces:
        raise CorpusError(f"unit {unit.id!r} holds only line breaks and spaces; brat cannot hold it",
                          item=f"{doc.id}/{unit.id}")
    return pieces


def _write_attributes(lines: list[str], bid: str, attributes: dict[str, Any], note: dict[str, Any],
                      n_attr: int) -> int:
    """Write simple attributes as ``A`` lines; the rest goes into the JSON note, and so do attributes named as the
    unit's stance and holder are (``Stance``, ``Holder``), whose ``A`` lines would read back as a second stance."""
    for name, value in attributes.items():
        if name in (STANCE_ATTRIBUTE, HOLDER_ATTRIBUTE):
            note.setdefault("attributes", {})[name] = value
        elif value is True and _TOKEN.match(name):
            n_attr += 1
            lines.append(f"A{n_attr}\t{name} {bid}")
        elif isinstance(value, str) and _TOKEN.match(value) and _TOKEN.match(name):
            n_attr += 1
            lines.append(f"A{n_attr}\t{name} {bid} {value}")
        else:
            note.setdefault("attributes", {})[name] = value
    return n_attr


# brat's own files in a collection: its settings and the statistics cache of its server
BRAT_SETTINGS = frozenset({"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf", ".stats_cache"})


def save(docs: Iterable[Document], directory: str | Path, *, conf: bool = True, overwrite: bool = False) -> int:
    """Write each document as ``ID.txt``, ``ID.ann`` and the ``ID.json`` sidecar in ``directory``.

    With ``conf`` (the default) also write the ``annotation.conf`` that declares every entity type,
    relation type and attribute the ``.ann`` files use, so that brat can open the folder as a project.

    Nothing is written when two documents would get the same file name (ids that differ only in
    characters a file name cannot hold, such as ``a/b`` and ``a_b``, or only in case), or when a
    file to be written exists already and ``overwrite`` is false.

    Every file is written first into a hidden staging folder inside ``directory`` (the same file system, so
    a mount point or the current folder works), which an error while writing removes, leaving ``directory``
    as it was; then each file is renamed into place whole. With ``overwrite`` the folder is replaced as a
    set: once the new files are in, the brat documents it held that were not written again are removed, so
    the folder reads back as exactly ``docs`` (brat's own settings files stay). A folder holding anything
    else is refused before anything is written (:func:`check_replaceable`). The staging folders that writes killed
    before they ended left in ``directory`` are removed; a write at work holds its own locked
    (:func:`mining.files.remove_if_stale`).
    """
    directory = Path(directory)
    docs = list(docs)
    for doc in docs:  # before any file is written
        require_spans(doc, "brat")
    stems = _file_stems(docs, directory)
    if overwrite:
        check_replaceable(directory)
    else:
        targets = [directory / f"{stem}{suffix}" for stem in stems for suffix in (".txt", ".ann", ".json")]
        targets += [directory / "annotation.conf"] if conf else []
        existing = [t.name for t in targets if t.exists()]
        if existing:
            raise CorpusError(f"would overwrite {listed(existing, 3)}; write into a new folder or ask to overwrite",
                              file=directory)
    if directory.exists() and not directory.is_dir():
        raise CorpusError("the output exists and is not a folder; remove it or choose a new path", file=directory)
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in staging_folders(directory, STAGING):  # of a write killed before it ended; not one at work
        remove_if_stale(leftover)
    with staging_folder(directory, STAGING) as staging:
        try:
            _write_folder(docs, stems, staging, conf=conf)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if created:
                shutil.rmtree(directory, ignore_errors=True)
            raise
        for path in sorted(staging.iterdir()):
            os.replace(path, directory / path.name)
        staging.rmdir()
    if overwrite:
        _remove_stale(directory, stems)
    return len(docs)


def _remove_stale(directory: Path, stems: list[str]) -> None:
    """Remove the brat documents of ``directory`` that are not among the ``stems`` just written. A stem that differs
    from a written one only in case (``Case`` for ``case``) is another document on a file system that tells case
    apart, and the written one itself on one that ignores case: removed only when it is not the same file."""
    written = {stem.casefold(): stem for stem in stems}
    for stem in sorted(_document_stems(directory) - set(stems)):
        twin = written.get(stem.casefold())
        if twin is not None and (directory / f"{stem}.txt").samefile(directory / f"{twin}.txt"):
            continue
        for suffix in (".txt", ".ann", ".json"):
            (directory / f"{stem}{suffix}").unlink(missing_ok=True)


def _write_folder(docs: list[Document], stems: list[str], folder: Path, *, conf: bool) -> None:
    types = _ConfTypes()
    for doc, stem in zip(docs, stems):
        _write_document(doc, stem, folder, types)
    if conf:
        write_text_atomic(folder / "annotation.conf", types.conf())


def _write_document(doc: Document, stem: str, folder: Path, types: _ConfTypes) -> None:
    ann = _ann_text(doc)  # save has checked doc
    types.add(ann)
    sidecar = {"id": doc.id, "paragraphs": [list(p) for p in doc.paragraphs], "topic": doc.topic,
               "split": doc.split, "metadata": doc.metadata, **({"fields": doc.extra} if doc.extra else {})}
    write_text_atomic(folder / f"{stem}.txt", doc.text)
    write_text_atomic(folder / f"{stem}.ann", ann)
    write_text_atomic(folder / f"{stem}.json", json.dumps(sidecar, ensure_ascii=False, indent=1))


def _document_stems(directory: Path) -> set[str]:
    """The stems of the brat documents in ``directory``: a ``.txt`` with its ``.ann``."""
    return {t.stem for t in directory.glob("*.txt") if t.with_suffix(".ann").is_file()}


def check_replaceable(directory: Path) -> None:
    """Refuse to replace ``directory`` as a brat folder when it is not a folder, or holds anything but brat
    documents (a ``.txt`` with its ``.ann``, and the ``.json`` sidecar) and brat's settings files: a user's
    own texts or notes are never removed by ``--overwrite``. Callers that work long before writing (labelling)
    call it first."""
    if not directory.exists():
        return
    if not directory.is_dir():
        raise CorpusError("the output exists and is not a folder; remove it or choose a new path", file=directory)
    documents = _document_stems(directory)
    for entry in sorted(directory.iterdir()):
        brat_file = entry.is_file() and not entry.is_symlink() and (
            entry.name in BRAT_SETTINGS or entry.stem in documents and entry.suffix in (".txt", ".ann", ".json"))
        leftover = entry.is_dir() and not entry.is_symlink() and entry.name.startswith(STAGING)  # a write's, ours
        if not (brat_file or leftover):
            raise CorpusError(f"will not replace the folder: it holds {entry.name!r}, which is not part of a brat "
                              "document (.txt with its .ann, .json sidecar) or brat's settings; move it away or "
                              "write into a new folder", file=directory)


def orphan_annotations(folder: Path) -> list[Path]:
    """The ``.ann`` files of ``folder`` that have no ``.txt`` beside them (they cannot be read)."""
    return sorted(a for a in folder.glob("*.ann") if not a.with_suffix(".txt").exists())


def _file_stems(docs: list[Document], directory: Path) -> list[str]:
    """The file name of each document, refusing ids that would share one."""
    owner: dict[str, str] = {}
    clashes = []
    stems = []
    for doc in docs:
        stem = _safe_stem(doc.id)
        if not stem:  # ".txt" would be a hidden file, read back as the text of a document ".txt"
            raise CorpusError(f"document id {doc.id!r} is empty, and brat names a document's files by its id: "
                              "give each document an id", file=directory)
        stems.append(stem)
        key = stem.casefold()  # some file systems ignore case
        if key in owner:
            clashes.append(f"{owner[key]!r} and {doc.id!r} -> {stem}.txt" if owner[key] != doc.id
                           else f"{doc.id!r} twice")
        owner.setdefault(key, doc.id)
    if clashes:
        raise CorpusError(f"documents would overwrite each other's files: {listed(clashes, sep='; ')}. Give each "
                          "document a distinct id", file=directory)
    return stems


def annotation_conf(labels: Iterable[str], relations: dict[str, tuple[Iterable[str], Iterable[str]]],
                    attributes: dict[str, tuple[Iterable[str], Iterable[str]]]) -> str:
    """Render a brat ``annotation.conf`` (brat.nlplab.org/configuration.html).

    Parameters
    ----------
    labels : iterable of str
        Entity types.
    relations : dict
        Relation type -> (Arg1 entity types, Arg2 entity types); no types means any entity type.
    attributes : dict
        Attribute name -> (types it applies to, values). ``<RELATION>`` among the types puts it on
        relations; no values makes it a binary attribute.

    Examples
    --------
    >>> conf = annotation_conf(["Claim", "Premise"], {"supports": (["Premise"], ["Claim"])},
    ...                        {"Stance": (["Claim"], ["For", "Against"])})
    >>> conf.splitlines()[:6]
    ['[entities]', 'Claim', 'Premise', '', '[relations]', 'supports\\tArg1:Premise, Arg2:Claim']
    >>> conf.splitlines()[-1]
    'Stance\\tArg:Claim, Value:For|Against'
    """
    labels = list(labels)
    lines = ["[entities]", *labels, "", "[relations]"]
    for name, (arg1, arg2) in relations.items():
        lines.append(f"{name}\tArg1:{'|'.join(arg1) or '|'.join(labels)}, Arg2:{'|'.join(arg2) or '|'.join(labels)}")
    lines += ["", "[events]", "", "[attributes]"]
    for name, (targets, values) in attributes.items():
        values = list(values)
        value = f", Value:{'|'.join(values)}" if values else ""
        lines.append(f"{name}\tArg:{'|'.join(targets) or '|'.join(labels)}{value}")
    return "".join(line + "\n" for line in lines)


class _ConfTypes:
    """Collects the entity types, relation argument types and attribute values that ``.ann`` texts use."""

    def __init__(self):
        self.labels: dict[str, None] = {}
        self.relations: dict[str, tuple[dict[str, None], dict[str, None]]] = {}
        self.attributes: dict[str, tuple[dict[str, None], dict[str, None]]] = {
            STANCE_ATTRIBUTE: ({}, {"For": None, "Against": None})}

    def add(self, ann: str) -> None:
        types: dict[str, str] = {}
        for line in _ann_lines(ann):
            if not line:
                continue
            fields = line.split("\t", 2)
            head = fields[1].split()
            if line.startswith("T"):
                types[fields[0]] = head[0]
                self.labels[head[0]] = None
            elif line.startswith("R"):
                arg1, arg2 = self.relations.setdefault(head[0], ({}, {}))
                arg1[types[head[1][5:]]] = None
                arg2[types[head[2][5:]]] = None
            elif line.startswith("A"):
                targets, values = self.attributes.setdefault(head[0], ({}, {}))
                targets[types.get(head[1], "<RELATION>")] = None
                if len(head) > 2:
                    values[head[2]] = None

    def conf(self) -> str:
        """The types used, and mining's whole scheme besides, so that an annotator correcting the folder can add
        what no document holds yet (an attack, a major claim, a premise's stance). A relation of the scheme joins
        any two units and the stance applies to every unit, as the schema allows; other relations and
        attributes keep the types they were seen on."""
        def order(name: str) -> tuple[int, str]:
            label = DEFAULT_UNIT_LABELS.get(name)
            return (UNIT_LABELS.index(label) if label in UNIT_LABELS else len(UNIT_LABELS), name)

        used = {DEFAULT_UNIT_LABELS.get(name) for name in self.labels}
        labels = sorted([*self.labels, *(label for label in UNIT_LABELS if label not in used)], key=order)
        used = {DEFAULT_RELATION_LABELS.get(name) for name in self.relations}
        relations = {name: ((), ()) if name in DEFAULT_RELATION_LABELS else (sorted(a1, key=order),
                                                                             sorted(a2, key=order))
                     for name, (a1, a2) in self.relations.items()}
        relations.update({label: ((), ()) for label in RELATION_LABELS if label not in used})
        attributes = {name: ((), list(v)) if name == STANCE_ATTRIBUTE else (sorted(t, key=order), sorted(v))
                      for name, (t, v) in self.attributes.items()}
        return annotation_conf(labels, relations, attributes)


def _safe_stem(doc_id: str) -> str:
    return re.sub(r"[^\w.-]", "_", doc_id)
