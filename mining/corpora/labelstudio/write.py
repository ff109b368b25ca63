"""Write Label Studio tasks (annotations or pre-annotations) and the labelling config that matches them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from mining.corpora import SAME_UNIT
from mining.corpora.corrections import MODEL, PROPOSED_BY_KEY, PROPOSED_KEY, pre_labelled, proposed_units
from mining.corpora.labelstudio.names import (
    ATTRIBUTES_NAME,
    DATA_KEY,
    HOLDER_NAME,
    LABEL_NAME,
    STANCE_NAME,
    TEXT_NAME,
    fresh,
)
from mining.corpora.stored import TEXT_HASH, text_hash
from mining.errors import CorpusError, UsageError
from mining.files import write_text_atomic
from mining.schema import RELATION_LABELS, STANCES, UNIT_LABELS, Document, require_spans

DEFAULT_MODEL_VERSION = "mining"
_REGION_ID = re.compile(r"^[A-Za-z0-9_-]+$")


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
        raise UsageError("model_version and score apply to predictions only (pass predictions=True)")
    tasks = []
    for doc in docs:
        result, extra = _results(doc)
        if predictions or pre_labelled(doc):  # what the model proposed, to tell the annotator's corrections apart
            extra[PROPOSED_KEY] = proposed_units(doc)
            extra[PROPOSED_BY_KEY] = model_version or DEFAULT_MODEL_VERSION if predictions else MODEL
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
    require_spans(doc, "Label Studio")  # a region is a span of the text
    region_ids: dict[str, str] = {}
    used = {u.id for u in doc.units if _REGION_ID.match(u.id)}
    for i, unit in enumerate(doc.units, start=1):
        region_ids[unit.id] = unit.id if _REGION_ID.match(unit.id) else fresh(f"u{i}", used)
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
            fid = fresh(f"{rid}_{k}", used)
            results.append(_region(fid, doc.text, a, b, unit.label))
            results.append(_relation(fid, rid, SAME_UNIT))
    for rel in doc.relations:
        for end_id in (rel.source, rel.target):
            if end_id not in region_ids:
                raise CorpusError(f"relation points at missing unit {end_id!r}", item=f"{doc.id}/{rel.id}")
        results.append(_relation(region_ids[rel.source], region_ids[rel.target], rel.label))
    extra: dict[str, Any] = {"relations": [
        {"id": r.id, "source": r.source, "target": r.target, "label": r.label, "attributes": dict(r.attributes)}
        for r in doc.relations], TEXT_HASH: text_hash(doc.text)}
    renamed = {rid: uid for uid, rid in region_ids.items() if rid != uid}
    if renamed:
        extra["unit_ids"] = renamed
    fields = _fields(doc)
    if fields:
        extra["fields"] = fields
    return results, extra


def _fields(doc: Document) -> dict[str, Any]:
    """The fields the schema does not know (``extra``), by owner: ``document``, and ``units`` and
    ``relations`` by id; empty when there are none, so that such documents are written as before."""
    fields: dict[str, Any] = {}
    if doc.extra:
        fields["document"] = dict(doc.extra)
    units = {u.id: dict(u.extra) for u in doc.units if u.extra}
    if units:
        fields["units"] = units
    relations = {r.id: dict(r.extra) for r in doc.relations if r.extra}
    if relations:
        fields["relations"] = relations
    return fields


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


def save(docs: Iterable[Document], path: str | Path, *, exclusive: bool = False, **options: Any) -> int:
    """Write documents as one Label Studio JSON task file, and beside it (``tasks.json`` ->
    ``tasks.config.xml``) the labelling config a project needs; ``options`` go to :func:`to_tasks`. Each file is
    written atomically, the tasks last (``exclusive``: as :func:`mining.corpora.jsonl.save`, for the tasks; the
    config is the same for every project)."""
    tasks = to_tasks(docs, **options)
    write_text_atomic(config_path(path), labeling_config())
    write_text_atomic(path, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", exclusive=exclusive)
    return len(tasks)


def config_path(path: str | Path) -> Path:
    """Where :func:`save` puts the labelling config of the task file ``path``."""
    return Path(path).with_suffix(".config.xml")
