"""Read and write Label Studio JSON tasks (annotations or pre-annotations) and the matching labeling config.

One task per Document. The task ``data`` holds ``text``, ``doc_id``, ``paragraphs``, ``topic``,
``split`` and ``metadata`` (a JSON object), plus a ``mining`` object with what the results cannot
hold (below). The results follow Label Studio's text conventions (labelstud.io/guide/task_format,
/tags/labels, /tags/relations; per-region controls share the region's ``id``):

- each unit is a ``labels`` region: ``from_name: "label"``, ``to_name: "text"``,
  ``value: {start, end, text, labels: [label]}``, and ``id`` = the unit id. Offsets count Python
  characters (Unicode code points), as ``Unit`` offsets do.
- its stance is a per-region ``choices`` result (``from_name: "stance"``, ``choices: ["for"]``), its
  holder a per-region ``textarea`` (``from_name: "holder"``, ``text: [holder]``), and its attributes a
  per-region ``textarea`` named ``attributes`` holding one JSON object (``{"speech": "quote"}``), so
  that they stay with the region when an annotator moves, relabels or deletes it.
- a relation is ``{type: "relation", from_id: SOURCE, to_id: TARGET, direction: "right",
  labels: [support|attack]}``.
- a discontinuous unit (``Unit.fragments``) is one region per fragment: the first fragment carries the
  unit id, label, stance, holder and attributes; every later fragment is a ``labels`` region with the
  same label, id ``<unit id>_<k>``, joined to the first by a relation labelled ``same_unit`` (the name
  RST-DT gives to the pieces of a split discourse unit). On reading, ``same_unit`` links may also
  form chains; the fragments are ordered by offset.
- Label Studio relations have no id or attributes, so ``data.mining.relations`` lists each
  relation's ``id``, ``source``, ``target``, ``label`` and ``attributes``. A relation result takes the
  id and attributes of the first unused entry with the same source, target and label; a relation an
  annotator added (or relabelled) gets a fresh id ``R<n>`` and no attributes. Unit ids that are not
  valid region ids (``[A-Za-z0-9_-]+``) are renamed and mapped back through ``data.mining.unit_ids``.

Reading a full export takes, per task, the latest annotation that was not cancelled (skipped): the
one with the latest ``updated_at`` (or ``created_at``), or the last one listed if they have no
timestamps. Label Studio keeps one annotation per annotator and per review round, so the latest
one is the most recent judgement (a reviewer's fix, a re-annotation); ``ground_truth`` flags are not
used. ``predictions`` are read only when ``predictions=True`` and a task has no such annotation.
Tasks that we did not write are read too: without ``data.doc_id`` the task id names the document,
without ``data.paragraphs`` the paragraphs are the non-blank lines, other ``data`` fields and
other per-region or per-document results go into ``metadata`` / ``Unit.attributes``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from mining.corpora import SAME_UNIT, corpus_files, fragment_heads
from mining.errors import CorpusError
from mining.schema import RELATION_LABELS, STANCES, UNIT_LABELS, Document, Relation, Unit, read_paragraphs

TEXT_NAME = "text"
LABEL_NAME = "label"
STANCE_NAME = "stance"
HOLDER_NAME = "holder"
ATTRIBUTES_NAME = "attributes"
DATA_KEY = "mining"
DEFAULT_MODEL_VERSION = "mining"
UNANNOTATED = ("error", "skip", "empty")
_REGION_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_DOC_FIELDS = ("doc_id", "paragraphs", "topic", "split", "metadata", DATA_KEY)
# The key under ``value`` that holds the answer, per classification-like result type.
_VALUE_KEYS = {"choices": "choices", "textarea": "text", "rating": "rating", "number": "number",
               "taxonomy": "taxonomy", "datetime": "datetime"}


# --- writing ---

def to_tasks(docs: Iterable[Document], *, predictions: bool = False, model_version: str | None = None,
             score: float | None = None) -> list[dict[str, Any]]:
    """Render documents as Label Studio tasks, as annotations or (``predictions=True``) pre-annotations.

    Parameters
    ----------
    docs : iterable of Document
    predictions : bool
        Write the units as ``predictions`` for an annotator to correct, instead of ``annotations``.
    model_version : str, optional
        The predictions' ``model_version`` (default ``"mining"``); only with ``predictions=True``.
    score : float, optional
        The predictions' ``score`` (Label Studio sorts tasks by it); omitted when None.

    Examples
    --------
    >>> from mining.schema import Document, Unit
    >>> doc = Document("d1", "Cats rule.", units=[Unit("T1", 0, 9, "Cats rule", "claim", "for")])
    >>> [r["type"] for r in to_tasks([doc])[0]["annotations"][0]["result"]]
    ['labels', 'choices']
    """
    if not predictions and (model_version is not None or score is not None):
        raise ValueError("model_version and score apply to predictions only (pass predictions=True)")
    tasks = []
    for doc in docs:
        result, extra = _results(doc)
        data = {"text": doc.text, "doc_id": doc.id, "paragraphs": [list(p) for p in doc.paragraphs],
                "topic": doc.topic, "split": doc.split, "metadata": dict(doc.metadata), DATA_KEY: extra}
        if predictions:
            prediction: dict[str, Any] = {"model_version": model_version or DEFAULT_MODEL_VERSION}
            if score is not None:
                prediction["score"] = score
            prediction["result"] = result
            tasks.append({"data": data, "predictions": [prediction]})
        else:
            tasks.append({"data": data, "annotations": [{"result": result}]})
    return tasks


def _results(doc: Document) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    region_ids: dict[str, str] = {}
    used = {u.id for u in doc.units if _REGION_ID.match(u.id)}
    for i, unit in enumerate(doc.units, start=1):
        region_ids[unit.id] = unit.id if _REGION_ID.match(unit.id) else _fresh(f"u{i}", used)
    results: list[dict[str, Any]] = []
    for unit in doc.units:
        rid = region_ids[unit.id]
        pieces = unit.spans()
        start, end = pieces[0]
        results.append(_region(rid, doc.text, start, end, unit.label))
        if unit.stance is not None:
            results.append(_per_region(rid, STANCE_NAME, "choices", start, end, {"choices": [unit.stance]}))
        if unit.holder is not None:
            results.append(_per_region(rid, HOLDER_NAME, "textarea", start, end, {"text": [unit.holder]}))
        if unit.attributes:
            attributes = json.dumps(unit.attributes, ensure_ascii=False)
            results.append(_per_region(rid, ATTRIBUTES_NAME, "textarea", start, end, {"text": [attributes]}))
        for k, (a, b) in enumerate(pieces[1:], start=2):
            fid = _fresh(f"{rid}_{k}", used)
            results.append(_region(fid, doc.text, a, b, unit.label))
            results.append(_relation(fid, rid, SAME_UNIT))
    for rel in doc.relations:
        for end_id in (rel.source, rel.target):
            if end_id not in region_ids:
                raise CorpusError(f"relation points at missing unit {end_id!r}", item=f"{doc.id}/{rel.id}")
        results.append(_relation(region_ids[rel.source], region_ids[rel.target], rel.label))
    extra: dict[str, Any] = {"relations": [
        {"id": r.id, "source": r.source, "target": r.target, "label": r.label, "attributes": dict(r.attributes)}
        for r in doc.relations]}
    renamed = {rid: uid for uid, rid in region_ids.items() if rid != uid}
    if renamed:
        extra["unit_ids"] = renamed
    return results, extra


def _fresh(name: str, used: set[str]) -> str:
    while name in used:
        name += "_"
    used.add(name)
    return name


def _region(rid: str, text: str, start: int, end: int, label: str) -> dict[str, Any]:
    return {"id": rid, "from_name": LABEL_NAME, "to_name": TEXT_NAME, "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def _per_region(rid: str, name: str, kind: str, start: int, end: int, answer: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "from_name": name, "to_name": TEXT_NAME, "type": kind,
            "value": {"start": start, "end": end, **answer}}


def _relation(from_id: str, to_id: str, label: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": "right", "labels": [label]}


def labeling_config(labels: Iterable[str] = UNIT_LABELS, relations: Iterable[str] = RELATION_LABELS,
                    stances: Iterable[str] = STANCES) -> str:
    """The Label Studio labeling config (XML) whose control names match :func:`to_tasks`.

    The ``white-space: pre-wrap`` style keeps every space and line break on screen, so the offsets an
    annotator creates count the same characters as the document text (labelstud.io/tags/text).
    """
    def options(tag: str, values: Iterable[str], indent: str = "    ") -> str:
        return "".join(f"\n{indent}<{tag} value={quoteattr(v)}/>" for v in values)

    return (
        "<View>\n"
        "  <Style>.htx-text { white-space: pre-wrap; }</Style>\n"
        f'  <Labels name="{LABEL_NAME}" toName="{TEXT_NAME}">{options("Label", labels)}\n  </Labels>\n'
        f'  <Text name="{TEXT_NAME}" value="$text"/>\n'
        f'  <Relations>{options("Relation", [*relations, SAME_UNIT])}\n  </Relations>\n'
        '  <View visibleWhen="region-selected">\n'
        '    <Header value="Stance"/>\n'
        f'    <Choices name="{STANCE_NAME}" toName="{TEXT_NAME}" perRegion="true" choice="single">'
        f'{options("Choice", stances, "      ")}\n    </Choices>\n'
        '    <Header value="Holder"/>\n'
        f'    <TextArea name="{HOLDER_NAME}" toName="{TEXT_NAME}" perRegion="true" maxSubmissions="1" '
        'editable="true"/>\n'
        '    <Header value="Attributes (JSON)"/>\n'
        f'    <TextArea name="{ATTRIBUTES_NAME}" toName="{TEXT_NAME}" perRegion="true" maxSubmissions="1" '
        'editable="true"/>\n'
        "  </View>\n"
        "</View>\n"
    )


def save(docs: Iterable[Document], path: str | Path, **options: Any) -> int:
    """Write documents as one Label Studio JSON task file, and beside it (``tasks.json`` ->
    ``tasks.config.xml``) the labelling config a project needs; ``options`` go to :func:`to_tasks`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tasks = to_tasks(docs, **options)
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    config_path(path).write_text(labeling_config(), encoding="utf-8")
    return len(tasks)


def config_path(path: str | Path) -> Path:
    """Where :func:`save` puts the labelling config of the task file ``path``."""
    return Path(path).with_suffix(".config.xml")


# --- reading ---

def load(path: str | Path, **options: Any) -> list[Document]:
    """Read a Label Studio JSON export (a ``.json`` file, or every ``*.json`` file of a folder).

    ``options`` go to :func:`from_tasks`.
    """
    docs = []
    for f in corpus_files(path, ".json"):
        try:
            tasks = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise CorpusError(f"invalid JSON: {e.msg} at column {e.colno}", file=f, line=e.lineno) from None
        except UnicodeDecodeError as e:
            raise CorpusError(f"not valid UTF-8 (byte {e.start})", file=f) from None
        docs += from_tasks(tasks, file=f, **options)
    return docs


def from_tasks(tasks: list[dict[str, Any]] | dict[str, Any], *, file: str | Path | None = None,
               predictions: bool = False, model_version: str | None = None, unannotated: str = "error",
               text_key: str = "text", unit_labels: dict[str, str] | None = None,
               relation_labels: dict[str, str] | None = None) -> list[Document]:
    """Documents from Label Studio tasks (a full JSON export, or a task file with only predictions).

    Parameters
    ----------
    tasks : list of dict, or one task
    file : path, optional
        Named in error messages.
    predictions : bool
        Read a task's prediction when it has no annotation that was not cancelled.
    model_version : str, optional
        Read only predictions of this model version. Without it, predictions from more than one
        model version in a task are an error (which one would be a guess).
    unannotated : {"error", "skip", "empty"}
        What to do with a task that has nothing to read: raise, leave it out, or read it as a
        document without units (only right if the annotator really found no argument).
    text_key : str
        The ``data`` field that holds the text (the ``value="$text"`` of the ``<Text>`` tag).
    unit_labels, relation_labels : dict, optional
        Label Studio label -> schema label (default: the schema labels themselves).
    """
    if unannotated not in UNANNOTATED:
        raise ValueError(f"unannotated must be one of {', '.join(UNANNOTATED)}, not {unannotated!r}")
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise CorpusError(f"expected a JSON list of tasks, got {type(tasks).__name__}", file=file)
    reader = _TaskReader(file, predictions, model_version, unannotated, text_key,
                         {v: v for v in UNIT_LABELS} if unit_labels is None else unit_labels,
                         {v: v for v in RELATION_LABELS} if relation_labels is None else relation_labels)
    docs = []
    for n, task in enumerate(tasks, start=1):
        doc = reader.read(task, n)
        if doc is not None:
            docs.append(doc)
    return docs


class _TaskReader:
    """Reads one task at a time; every error names the file, the task and the region."""

    def __init__(self, file, predictions, model_version, unannotated, text_key, unit_labels, relation_labels):
        self.file = file
        self.predictions = predictions
        self.model_version = model_version
        self.unannotated = unannotated
        self.text_key = text_key
        self.unit_labels = unit_labels
        self.relation_labels = relation_labels

    def fail(self, problem: str, where: str) -> CorpusError:
        return CorpusError(problem, file=self.file, item=where)

    def read(self, task: Any, n: int) -> Document | None:
        if not isinstance(task, dict):
            raise self.fail(f"expected a task object, got {type(task).__name__}", f"task #{n}")
        where = f"task {task['id']}" if "id" in task else f"task #{n}"
        data = task.get("data", task if self.text_key in task else None)
        if not isinstance(data, dict):
            raise self.fail("task has no 'data' object", where)
        text = data.get(self.text_key)
        if not isinstance(text, str):
            raise self.fail(f"data field {self.text_key!r} is missing or not a string", where)
        if data.get("doc_id") is not None:
            doc_id = str(data["doc_id"])
        elif task.get("id") is not None:
            doc_id = str(task["id"])
        else:
            raise self.fail("task has neither data.doc_id nor an id to name the document", where)
        result = self.pick_result(task, where)
        if result is None:
            if self.unannotated == "error":
                hint = " (pass predictions=True to read pre-annotations)" if task.get("predictions") else ""
                raise self.fail(f"task has no annotation that was not cancelled{hint}; pass "
                                "unannotated='skip' or 'empty' to read such tasks", where)
            if self.unannotated == "skip":
                return None
            result = []
        doc = Document(id=doc_id, text=text)
        self.read_fields(doc, data, where)
        self.read_result(doc, result, data.get(DATA_KEY) or {}, where)
        return doc

    def pick_result(self, task: dict[str, Any], where: str) -> list[Any] | None:
        annotations = task.get("annotations") or []
        if not isinstance(annotations, list):
            raise self.fail("'annotations' is not a list", where)
        done = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
        chosen = _latest(done)
        if chosen is None and self.predictions:
            found = task.get("predictions") or []
            if not isinstance(found, list):
                raise self.fail("'predictions' is not a list", where)
            found = [p for p in found if isinstance(p, dict)]
            if self.model_version is not None:
                found = [p for p in found if p.get("model_version") == self.model_version]
            versions = sorted({str(p.get("model_version")) for p in found})
            if len(versions) > 1:
                raise self.fail(f"task has predictions of several model versions ({', '.join(versions)}); "
                                "pass model_version", where)
            chosen = _latest(found)
        if chosen is None:
            return None
        result = chosen.get("result")
        if not isinstance(result, list):
            raise self.fail(f"annotation {chosen.get('id', '?')} has no 'result' list", where)
        return result

    def read_fields(self, doc: Document, data: dict[str, Any], where: str) -> None:
        try:
            doc.paragraphs = read_paragraphs(data.get("paragraphs"), doc.text)
        except ValueError as e:
            raise self.fail(f"data.paragraphs {e}", where) from None
        doc.topic = data.get("topic")
        doc.split = data.get("split")
        metadata = data.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise self.fail("data.metadata must be a JSON object", where)
        doc.metadata = dict(metadata)
        # Fields of tasks we did not write (an image URL, a source name) are kept, not dropped.
        for key, value in data.items():
            if key != self.text_key and key not in _DOC_FIELDS:
                doc.metadata[key] = value

    def read_result(self, doc: Document, result: list[Any], extra: Any, where: str) -> None:
        if not isinstance(extra, dict):
            raise self.fail(f"data.{DATA_KEY} must be a JSON object", where)
        regions: dict[str, tuple[int, int, str]] = {}   # region id -> (start, end, schema label)
        answers: dict[str, dict[str, Any]] = {}         # region id -> {name: answer} of per-region results
        links: list[tuple[str, str, str, str]] = []     # (from region, to region, label, where)
        for k, item in enumerate(result, start=1):
            if not isinstance(item, dict) or not isinstance(item.get("type"), str):
                raise self.fail(f"result {k} is not an object with a 'type'", where)
            kind = item["type"]
            if kind == "labels":
                rid, region = self.read_region(doc.text, item, k, where)
                if rid in regions:
                    raise self.fail("duplicate region id", f"{where}/region {rid}")
                regions[rid] = region
            elif kind == "relation":
                links.append(self.read_link(item, k, where))
            elif kind in _VALUE_KEYS:
                name = item.get("from_name")
                value = item.get("value")
                if not isinstance(name, str) or not isinstance(value, dict) or _VALUE_KEYS[kind] not in value:
                    raise self.fail(f"{kind} result {k} needs a from_name and value.{_VALUE_KEYS[kind]}", where)
                rid = str(item.get("id"))
                answers.setdefault(rid, {})[name] = (kind, value[_VALUE_KEYS[kind]])
            else:
                raise self.fail(f"unsupported result type {kind!r} (read: labels, relation, "
                                f"{', '.join(_VALUE_KEYS)})", f"{where}/result {k}")
        for rid, named in answers.items():
            if rid not in regions:
                for name, (_, answer) in named.items():
                    if name in (STANCE_NAME, HOLDER_NAME, ATTRIBUTES_NAME):
                        raise self.fail(f"{name} result refers to missing region", f"{where}/region {rid}")
                    doc.metadata.setdefault("labelstudio", {})[name] = _simple(answer)
        heads = self.fragment_heads(regions, [(a, b, w) for a, b, label, w in links if label == SAME_UNIT])
        unit_ids = extra.get("unit_ids") or {}
        if not isinstance(unit_ids, dict):
            raise self.fail(f"data.{DATA_KEY}.unit_ids must be a JSON object", where)
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
                        text=" ".join(doc.text[a:b] for a, b in spans), label=label,
                        fragments=spans if len(spans) > 1 else None)
            for p in pieces:
                self.apply_answers(unit, answers.get(p, {}), f"{where}/region {p}")
            units[rid] = unit
        doc.units = list(units.values())
        doc.relations = self.relations(links, heads, units, extra, where)

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
        if labels[0] not in self.unit_labels:
            raise self.fail(f"unknown label {labels[0]!r} (known: {', '.join(sorted(self.unit_labels))})", here)
        return rid, (start, end, self.unit_labels[labels[0]])

    def read_link(self, item: dict[str, Any], k: int, where: str) -> tuple[str, str, str, str]:
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
            if label not in self.relation_labels:
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

    def apply_answers(self, unit: Unit, named: dict[str, tuple[str, Any]], here: str) -> None:
        for name, (kind, answer) in named.items():
            if name == STANCE_NAME:
                if not (isinstance(answer, list) and len(answer) == 1 and answer[0] in STANCES):
                    raise self.fail(f"unknown stance {answer!r} (known: {', '.join(STANCES)})", here)
                _set(unit, "stance", answer[0], lambda p: self.fail(p, here))
            elif name == HOLDER_NAME:
                if not (isinstance(answer, list) and len(answer) == 1 and isinstance(answer[0], str)):
                    raise self.fail(f"a holder is one text, got {answer!r}", here)
                _set(unit, "holder", answer[0], lambda p: self.fail(p, here))
            elif name == ATTRIBUTES_NAME:
                try:
                    attributes = json.loads(answer[0]) if isinstance(answer, list) and len(answer) == 1 else None
                except json.JSONDecodeError as e:
                    raise self.fail(f"attributes are not valid JSON: {e.msg}", here) from None
                if not isinstance(attributes, dict):
                    raise self.fail(f"attributes must be one JSON object, got {answer!r}", here)
                for key, value in attributes.items():
                    if unit.attributes.get(key, value) != value:
                        raise self.fail(f"fragments disagree on attribute {key!r}", here)
                    unit.attributes[key] = value
            else:  # a per-region control of a project we did not set up
                unit.attributes[name] = _simple(answer)

    def relations(self, links, heads, units, extra, where) -> list[Relation]:
        stored: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        entries = extra.get("relations") or []
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise self.fail(f"data.{DATA_KEY}.relations must be a list of objects", where)
        for entry in entries:
            key = (str(entry.get("source")), str(entry.get("target")), str(entry.get("label")))
            stored.setdefault(key, []).append(entry)
        used = {str(e.get("id")) for e in entries}
        relations = []
        for source, target, label, here in links:
            if label == SAME_UNIT:
                continue
            for end in (source, target):
                if end not in heads:
                    raise self.fail(f"relation points at missing region {end!r}", here)
            key = (units[heads[source]].id, units[heads[target]].id, label)
            if stored.get(key):
                entry = stored[key].pop(0)
                rel_id, attributes = str(entry["id"]), dict(entry.get("attributes") or {})
            else:
                rel_id, attributes = _fresh(f"R{len(relations) + 1}", used), {}
            relations.append(Relation(id=rel_id, source=key[0], target=key[1], label=label, attributes=attributes))
        return relations


def _set(unit: Unit, field: str, value: Any, fail) -> None:
    current = getattr(unit, field)
    if current is not None and current != value:
        raise fail(f"fragments disagree on {field}: {current!r} vs {value!r}")
    setattr(unit, field, value)


def _simple(answer: Any) -> Any:
    """A one-element answer list as its element (``["quote"]`` -> ``"quote"``), anything else as is."""
    return answer[0] if isinstance(answer, list) and len(answer) == 1 else answer


def _latest(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The item with the latest ``updated_at``/``created_at``, or the last one if any lacks a timestamp."""
    if not items:
        return None
    stamps = [_timestamp(i.get("updated_at") or i.get("created_at")) for i in items]
    if any(s is None for s in stamps):
        return items[-1]
    return max(zip(stamps, range(len(items)), items), key=lambda t: (t[0], t[1]))[2]


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
