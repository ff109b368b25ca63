"""A Label Studio project through label-studio-sdk: found or created with mining's labelling config,
tasks imported with predictions, and read back from an export that holds the predictions in full."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from mining import jsonread
from mining.annotate.projects import check_model_version, known_documents
from mining.annotate.settings import Server, not_the_api, refusal, require, shorten
from mining.corpora import labelstudio
from mining.corpora.corrections import pre_labelled
from mining.corpora.labelstudio import labeling_config
from mining.errors import ServerError, UsageError
from mining.schema import Document

# The control names of mining's labelling config that the tasks refer to.
_CONTROLS = (labelstudio.LABEL_NAME, labelstudio.TEXT_NAME, labelstudio.STANCE_NAME, labelstudio.HOLDER_NAME,
             labelstudio.ATTRIBUTES_NAME)
EXPORT_TIMEOUT = 300.0  # seconds an export may take to be built


class LabelStudioProject:
    """One Label Studio project; every server error becomes a :class:`ServerError` naming the request."""

    def __init__(self, server: Server, client: Any, project: Any):
        self.server = server
        self.client = client
        self.project = project
        self.name = project.title
        self.changes: list[str] = []

    @classmethod
    def open(cls, server: Server, name: str, *, create: bool = False) -> LabelStudioProject:
        sdk = require("label_studio_sdk", "label-studio-sdk", "labelstudio")
        client = sdk.LabelStudio(base_url=server.url, api_key=server.token)
        with _answers(server, "list the projects"):
            found = [p for p in _each_once(client.projects.list(title=name), server, "list the projects")
                     if p.title == name]
        if len(found) > 1:
            raise UsageError(f"{server.name} has {len(found)} projects named {name!r} (ids "
                             f"{', '.join(str(p.id) for p in found)}): rename all but one")
        if found:
            with _answers(server, f"read project {name!r}"):
                project = client.projects.get(id=found[0].id)
            _check_config(server, project)
        elif create:
            with _answers(server, f"create project {name!r}"):
                project = client.projects.create(title=name, label_config=labeling_config(),
                                                 description="Argument units, stances, holders and relations "
                                                             "(mining annotate push)")
        else:
            raise UsageError(f"{server.name} has no project named {name!r}: push to it first")
        return cls(server, client, project)

    def push(self, docs: Sequence[Document], *, model_version: str | None,
             scores: dict[str, float] | None = None) -> tuple[int, list[str]]:
        skipped = known_documents(self.server, self.name, docs, self.document_texts())
        held = set(skipped)
        new = [d for d in docs if d.id not in held]
        tasks = labelstudio.to_tasks(new, predictions=True, model_version=model_version)
        for doc, task in zip(new, tasks):
            # A text without units that no model labelled has nothing proposed; one a model labelled keeps its
            # empty prediction: the model proposed no unit, and pull --predictions reads that
            if model_version is None and not task["predictions"][0]["result"] and not pre_labelled(doc):
                del task["predictions"]
            elif scores is not None and doc.id in scores:
                task["predictions"][0]["score"] = scores[doc.id]
        if tasks:
            with _answers(self.server, f"import {len(tasks)} task(s) into project {self.name!r}"):
                self.client.projects.import_tasks(id=self.project.id, request=tasks)
        return len(tasks), skipped

    def document_texts(self) -> dict[str, Any]:
        """The ``data.doc_id`` of every task in the project (the task id for tasks we did not write) -> its text."""
        with _answers(self.server, f"list the tasks of project {self.name!r}"):
            tasks = list(_each_once(self.client.tasks.list(project=self.project.id, fields="task_only"), self.server,
                                    f"list the tasks of project {self.name!r}"))
        return {str(t.data.get("doc_id", t.id)) if isinstance(t.data, dict) else str(t.id):
                t.data.get("text") if isinstance(t.data, dict) else None for t in tasks}

    def pull(self, *, predictions: bool = False, model_version: str | None = None) -> list[Document]:
        tasks = self.export()
        if predictions:
            check_model_version(self.server, self.name, model_version, _versions(tasks))
        source = f"{self.server.shown}/projects/{self.project.id}"
        # With every prediction asked for, a task with none is a text pushed without units (push sends no empty
        # prediction that no model made): a document without units, as doccano gives it, not one to leave out.
        everything = predictions and model_version is None
        return labelstudio.from_tasks(tasks, file=source, predictions=predictions, model_version=model_version,
                                      unannotated="empty" if everything else "skip")

    def export(self) -> list[dict[str, Any]]:
        """Every task with its annotations and its predictions in full: Label Studio's plain JSON export
        lists predictions by id, so this asks for an export snapshot with ``predictions.only_id`` false."""
        from label_studio_sdk.types import SerializationOptionRequest, SerializationOptionsRequest

        options = SerializationOptionsRequest(predictions=SerializationOptionRequest(only_id=False))
        with _answers(self.server, f"export project {self.name!r}"):
            snapshot = self.client.projects.exports.create(id=self.project.id, title="mining annotate pull",
                                                           serialization_options=options)
            self.wait(snapshot.id)
            data = b"".join(self.client.projects.exports.download(id=self.project.id, export_pk=snapshot.id,
                                                                   export_type="JSON"))
            self.client.projects.exports.delete(id=self.project.id, export_pk=snapshot.id)
        try:
            tasks = jsonread.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ServerError(f"{self.server.name}: the export of project {self.name!r} is not JSON ({e})") from None
        if not isinstance(tasks, list):
            raise ServerError(f"{self.server.name}: the export of project {self.name!r} is not a list of tasks")
        return tasks

    def wait(self, export_id: int) -> None:
        began = time.monotonic()
        while True:
            status = str(self.client.projects.exports.get(id=self.project.id, export_pk=export_id).status)
            if status.endswith("completed"):
                return
            if status.endswith("failed"):
                raise ServerError(f"{self.server.name}: the export of project {self.name!r} failed")
            if time.monotonic() - began > EXPORT_TIMEOUT:
                raise ServerError(f"{self.server.name}: the export of project {self.name!r} was not ready after "
                                  f"{EXPORT_TIMEOUT:.0f} s (status {status})")
            time.sleep(0.5)


def _versions(tasks: list[Any]) -> Iterator[str]:
    """The model versions of the tasks' predictions."""
    for task in tasks:
        found = task.get("predictions") if isinstance(task, dict) else None
        for prediction in found if isinstance(found, list) else []:
            if isinstance(prediction, dict) and prediction.get("model_version"):
                yield str(prediction["model_version"])


def _raised_in_sdk(error: BaseException) -> bool:
    """Whether ``error`` was raised inside the SDK, reading an answer (its models, its pager), not in mining's code or
    at a call of the SDK with wrong arguments (raised in the caller's frame)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and "label_studio_sdk/" in tb.tb_frame.f_code.co_filename.replace("\\", "/")


def _check_config(server: Server, project: Any) -> None:
    """An existing project must have the controls the tasks refer to (it may look different otherwise)."""
    config = project.label_config or ""
    missing = [n for n in _CONTROLS if not re.search(rf'\bname="{re.escape(n)}"', config)]
    if missing:
        raise UsageError(f"{server.name}: project {project.title!r} has a labelling config without the controls "
                         f"{', '.join(missing)} that mining's tasks use: push to a new project, or give it the config "
                         "of `mining data convert ... --to labelstudio` (tasks.config.xml)")


def _each_once(items: Iterable[Any], server: Server, what: str) -> Iterator[Any]:
    """``items`` of a paged listing, each id met once: a server (or a proxy) that ignores the page asked for sends
    the first one again and again, and the listing would never end. An id met twice is a ServerError; an item without
    one is no answer of Label Studio's."""
    seen: set[object] = set()
    for item in items:
        found = getattr(item, "id", None)
        if found is None:
            raise _OddShape(f"an item without an id: {item!r}")
        if found in seen:
            raise ServerError(f"{server.name}: could not {what}: it sent {found!r} twice, as if it ignored the page "
                              f"asked for (or the listing changed while it was read: try again); is {server.shown} a "
                              "Label Studio server?")
        seen.add(found)
        yield item


class _OddShape(Exception):
    """An answer of a shape Label Studio's API never gives, met reading it."""


@contextmanager
def _answers(server: Server, what: str) -> Iterator[None]:
    """Turn the SDK's and httpx's errors into one line naming the server and the request; and the errors the SDK
    raises building its models from an answer of another shape than Label Studio's API gives (a list where a page
    belongs, an object without its fields). A TypeError raised elsewhere is a bug, and keeps its traceback."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    try:
        from label_studio_sdk.core.parse_error import ParsingError  # SDK 2.0.21 and later
    except ImportError:
        ParsingError = _OddShape  # noqa: N806 - before it, a model of the wrong shape is a TypeError
    try:
        yield
    except (ParsingError, _OddShape) as e:
        raise not_the_api(server, what, f"{type(e).__name__}: {e}") from None
    except TypeError as e:
        if not _raised_in_sdk(e):
            raise
        raise not_the_api(server, what, f"{type(e).__name__}: {e}") from None
    except ApiError as e:
        hint = ""
        if e.status_code == 401:
            hint = ("; the token (LABEL_STUDIO_API_KEY) was refused: give the legacy API token of Account & "
                    "Settings, on a server started with --enable-legacy-api-token")
        raise refusal(server, what, e.status_code, e.body, hint) from None
    except httpx.HTTPError as e:
        raise ServerError(f"{server.name}: could not {what}: {type(e).__name__}: {shorten(e)} "
                          "(is it running?)") from None

