"""Read Label Studio tasks: each task's latest annotation (or prediction), its text and its data fields."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mining import jsonread
from mining.corpora import corpus_files
from mining.corpora.corrections import PROPOSED_BY_KEY, PROPOSED_KEY, check_proposed, proposed_units, record_corrections
from mining.corpora.jsonl import utf8_text
from mining.corpora.labelstudio.names import DATA_KEY
from mining.corpora.labelstudio.results import ResultReader
from mining.corpora.stored import document_id, stored_field
from mining.errors import CorpusError, UsageError
from mining.schema import RELATION_LABELS, UNIT_LABELS, Document, read_paragraphs

UNANNOTATED = ("error", "skip", "empty")
_DOC_FIELDS = ("doc_id", "paragraphs", "topic", "split", "metadata", DATA_KEY)


def load(path: str | Path, **options: Any) -> list[Document]:
    """Read a Label Studio JSON export (a ``.json`` file, or every ``*.json`` file of a folder).

    ``options`` go to :func:`from_tasks`.
    """
    docs = []
    for f in corpus_files(path, ".json"):
        try:
            tasks = jsonread.loads(utf8_text(f.read_bytes(), f, kind="a Label Studio export"))
        except json.JSONDecodeError as e:
            raise CorpusError(jsonread.describe(e), file=f, line=e.lineno) from None
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
        raise UsageError(f"unannotated must be one of {', '.join(UNANNOTATED)}, not {unannotated!r}")
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
    """Reads one task at a time (its annotation, text and data fields); every error names the file,
    the task and the region."""

    def __init__(self, file, predictions, model_version, unannotated, text_key, unit_labels, relation_labels):
        self.file = file
        self.predictions = predictions
        self.model_version = model_version
        self.unannotated = unannotated
        self.text_key = text_key
        self.results = ResultReader(self.fail, unit_labels, relation_labels)

    def fail(self, problem: str, where: str) -> CorpusError:
        return CorpusError(problem, file=self.file, item=where)

    def read(self, task: Any, n: int) -> Document | None:
        if not isinstance(task, dict):
            raise self.fail(f"expected a task object, got {type(task).__name__}", f"task #{n}")
        named = isinstance(task.get("id"), (str, int)) and not isinstance(task["id"], bool)
        where = f"task {task['id']}" if named else f"task #{n}"  # by its place when its id is no id
        data = task.get("data", task if self.text_key in task else None)
        if not isinstance(data, dict):
            raise self.fail("task has no 'data' object", where)
        text = data.get(self.text_key)
        if not isinstance(text, str):
            raise self.fail(f"data field {self.text_key!r} is missing or not a string", where)
        doc_id = document_id(data, ("doc_id",), "data", lambda problem: self.fail(problem, where))
        if doc_id is None:  # not given: the task's id (a blank one was refused)
            doc_id = document_id(task, ("id",), "", lambda problem: self.fail(problem, where))
        if doc_id is None:
            raise self.fail("task has neither data.doc_id nor an id to name the document", where)
        chosen, annotated = self.pick(task, where)
        result = self.result_of(chosen, where)
        if result is None:
            if self.unannotated == "error":
                hint = self.hint(task)
                raise self.fail(f"task has no annotation that was not cancelled{hint}; annotate it, or read such "
                                "tasks in Python with labelstudio.load(path, unannotated='skip' or 'empty')", where)
            if self.unannotated == "skip":
                return None
            result = []
        doc = Document(id=doc_id, text=text)
        self.read_fields(doc, data, where)
        self.results.read(doc, result, data.get(DATA_KEY) or {}, where)
        if annotated and set(chosen) != {"result"}:  # an annotation with only a result is mining's file, read back
            prediction = _parent_prediction(task, chosen)
            record_corrections(doc, self.proposed(prediction, data, where), annotator=_annotator(chosen),
                               tool="labelstudio", model=_model_of(prediction, data), reviewed=True)
        return doc

    def proposed(self, prediction: dict[str, Any] | None, data: dict[str, Any],
                 where: str) -> list[list[Any]] | None:
        """The units the model proposed for the annotator to correct: the ``prediction`` the annotation
        started from when the export holds it in full, else the proposal the task file stored."""
        if prediction is not None and isinstance(prediction.get("result"), list):
            proposal = Document(id="proposal", text=data[self.text_key])
            try:
                self.results.read(proposal, prediction["result"], data.get(DATA_KEY) or {}, f"{where}/prediction")
            except CorpusError:  # a prediction this reading cannot map (other labels): what it proposed is unknown
                return None
            return proposed_units(proposal)
        extra = data.get(DATA_KEY) or {}
        if PROPOSED_KEY not in extra:
            return None
        return check_proposed(extra[PROPOSED_KEY], lambda problem: self.fail(f"data.{DATA_KEY}.{problem}", where))

    def hint(self, task: dict[str, Any]) -> str:
        """Why a task with predictions gave nothing to read, for the error that says so."""
        if not task.get("predictions"):
            return ""
        if not self.predictions:
            return (" (it has predictions: `mining annotate pull --predictions` reads them from the server, "
                    "labelstudio.load(path, predictions=True) from this file)")
        return f" (none of its predictions is of model version {self.model_version!r})"

    def pick(self, task: dict[str, Any], where: str) -> tuple[dict[str, Any] | None, bool]:
        """The annotation or prediction to read, and whether it is an annotation (a person's)."""
        annotations = task.get("annotations") or []
        if not isinstance(annotations, list):
            raise self.fail("'annotations' is not a list", where)
        done = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
        chosen = _latest(done)
        if chosen is not None:
            return chosen, True
        if self.predictions:
            found = task.get("predictions") or []
            if not isinstance(found, list):
                raise self.fail("'predictions' is not a list", where)
            if any(not isinstance(p, dict) for p in found):
                raise self.fail(f"task lists its predictions by id only ({_shown_ids(found)}), as Label Studio's "
                                "plain JSON export does: read an export with the predictions in full (`mining "
                                "annotate pull --predictions`, or an export with serialization_options "
                                "predictions.only_id false)", where)
            if self.model_version is not None:
                found = [p for p in found if p.get("model_version") == self.model_version]
            versions = sorted({str(p.get("model_version")) for p in found})
            if len(versions) > 1:
                raise self.fail(f"task has predictions of several model versions ({', '.join(versions)}); "
                                "pass model_version", where)
            chosen = _latest(found)
        return chosen, False

    def result_of(self, chosen: dict[str, Any] | None, where: str) -> list[Any] | None:
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
        doc.topic = stored_field(data, "topic", (str,), "data", lambda problem: self.fail(problem, where))
        doc.split = stored_field(data, "split", (str,), "data", lambda problem: self.fail(problem, where))
        metadata = data.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise self.fail("data.metadata must be a JSON object", where)
        doc.metadata = dict(metadata)
        # Fields of tasks we did not write (an image URL, a source name) are kept, not dropped.
        for key, value in data.items():
            if key != self.text_key and key not in _DOC_FIELDS:
                doc.metadata[key] = value



def _model_of(prediction: dict[str, Any] | None, data: dict[str, Any]) -> str | None:
    """The model that proposed the units: the prediction's version, else the one the task file stored."""
    version = prediction.get("model_version") if prediction is not None else None
    stored = (data.get(DATA_KEY) or {}).get(PROPOSED_BY_KEY)
    return str(version) if version else (str(stored) if stored else None)


def _parent_prediction(task: dict[str, Any], annotation: dict[str, Any]) -> dict[str, Any] | None:
    """The prediction (in full) the annotation started from: its ``parent_prediction``, else the latest."""
    found = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    parent = annotation.get("parent_prediction")
    if parent is not None:
        found = [p for p in found if p.get("id") == parent] or found
    return _latest(found)


def _annotator(annotation: dict[str, Any]) -> str | None:
    """Who submitted ``annotation``: Label Studio's ``completed_by`` (a user id, or an object with one).

    The id, not the e-mail address: the dataset names the annotator without personal data."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("id")
    return f"labelstudio user {who}" if isinstance(who, (int, str)) and who != "" else None


def _shown_ids(items: list[Any]) -> str:
    shown = ", ".join(repr(i) for i in items[:3])
    return f"predictions: [{shown}{', ...' if len(items) > 3 else ''}]"


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
