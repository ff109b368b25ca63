"""A doccano project through its REST API: found or created as a relation-labelling project with mining's
span and relation types and without overlapping spans, documents uploaded as UTF-8 relation JSONL, and read back
example by example."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from mining.annotate.projects import check_model_version, known_documents
from mining.annotate.settings import Server, not_the_api, refusal, require, web_page
from mining.corpora import SAME_UNIT, doccano
from mining.corpora.corrections import PROPOSED_KEY
from mining.corpora.labelstudio.write import DEFAULT_MODEL_VERSION
from mining.errors import CorpusError, ServerError, UsageError
from mining.schema import RELATION_LABELS, STANCES, UNIT_LABELS, Document

IMPORT_TIMEOUT = 300.0  # seconds the Celery worker may take to import an upload
PAGE = 100
# The span types: each unit label alone and with each stance (doccano spans have a label and nothing else).
SPAN_TYPES = [label for unit in UNIT_LABELS for label in (unit, *(f"{unit}{doccano.SEPARATOR}{s}" for s in STANCES))]
RELATION_TYPES = [*RELATION_LABELS, SAME_UNIT]
_COLOURS = {"major_claim": "#1f77b4", "claim": "#2ca02c", "premise": "#ff7f0e", "support": "#2ca02c",
            "attack": "#d62728", SAME_UNIT: "#7f7f7f"}


def _whole(items: list[dict[str, Any]], total: int, server: Server, what: str) -> list[dict[str, Any]]:
    """``items``, once each, if they are the ``total`` the listing announced: rows of one creation time may come back
    in another order from one page to the next, one then sent twice and another never."""
    unique = list({item["id"]: item for item in items}.values())
    if len(unique) < min(total, len(items)):
        raise ServerError(f"{server.name}: could not {what}: the listing changed while it was read ({len(unique)} "
                          f"different items of {total}, some sent twice): try again")
    return unique


class DoccanoProject:
    """One doccano project; every failed request becomes a :class:`ServerError` naming it."""

    def __init__(self, server: Server, session: Any, project: dict[str, Any]):
        self.server = server
        self.session = session
        self.project = project
        self.name = project["name"]
        self.base = f"/v1/projects/{project['id']}"
        self.changes: list[str] = []

    @classmethod
    def open(cls, server: Server, name: str, *, create: bool = False) -> DoccanoProject:
        requests = require("requests", "requests", "doccano")
        session = requests.Session()
        client = cls(server, session, {"id": 0, "name": name})
        token = server.token or client.login()
        # The login also set a session cookie; with it, doccano (Django) would ask for a CSRF token on every
        # change. The token header alone authenticates each request.
        session.cookies.clear()
        session.headers["Authorization"] = f"Token {token}"
        found = [p for p in client.every("/v1/projects", "list the projects") if p.get("name") == name]
        if len(found) > 1:
            raise UsageError(f"{server.name} has {len(found)} projects named {name!r}: rename all but one")
        if not found and not create:
            raise UsageError(f"{server.name} has no project named {name!r}: push to it first")
        project = found[0] if found else client.call("POST", "/v1/projects", f"create project {name!r}", json={
            "name": name, "description": "Argument units, stances, holders and relations (mining annotate push)",
            "guideline": "", "project_type": "SequenceLabeling", "resourcetype": "SequenceLabelingProject",
            "use_relation": True, "allow_overlapping": False, "collaborative_annotation": True,
            "grapheme_mode": False, "random_order": False, "tags": []})
        if project.get("project_type") != "SequenceLabeling" or not project.get("use_relation"):
            raise UsageError(f"{server.name}: project {name!r} is not a sequence-labelling project with relations")
        if not project.get("collaborative_annotation"):
            # Otherwise doccano shows each user only their own spans and "done" marks: a pull would miss
            # every other annotator's work without a word.
            raise UsageError(f"{server.name}: project {name!r} does not share annotations across users, so mining "
                             "would see only its own user's: turn on 'Share annotations across all users' in the "
                             "project's settings")
        opened = cls(server, session, project)
        if create and project.get("allow_overlapping"):
            opened.forbid_overlaps()
        opened.add_types("span-types", SPAN_TYPES)
        opened.add_types("relation-types", RELATION_TYPES)
        return opened

    def call(self, method: str, path: str, what: str, **options: Any) -> Any:
        """One request; its JSON answer (the text when it is not JSON)."""
        import requests

        try:
            answer = self.session.request(method, self.server.url + path, timeout=60, **options)
        except requests.RequestException as e:
            raise ServerError(f"{self.server.name}: could not {what}: {type(e).__name__} (is it running?)") from None
        if answer.status_code >= 400:
            refused = answer.status_code in (401, 403) or (answer.status_code == 400 and path.startswith("/v1/auth/"))
            hint = ("; check DOCCANO_USERNAME and DOCCANO_PASSWORD (or DOCCANO_TOKEN), and that the user is a member "
                    "of the project") if refused else ""
            raise refusal(self.server, what, answer.status_code, answer.text, hint)
        try:
            return answer.json()
        except ValueError:
            if web_page(answer.text) is not None:  # a page where the API answers in JSON
                raise refusal(self.server, what, answer.status_code, answer.text) from None
            return answer.text

    def login(self) -> str:
        """The token of the user and password of the server's settings."""
        answer = self.call("POST", "/v1/auth/login/", "log in", json={
            "username": self.server.username, "password": self.server.password})
        if not isinstance(answer, dict) or not isinstance(answer.get("key"), str):
            raise not_the_api(self.server, "log in", answer)
        return answer["key"]

    def every(self, path: str, what: str) -> list[dict[str, Any]]:
        """All items of a list endpoint, page after page (doccano pages with limit/offset, and says how many items
        there are in all: the paging stops there, whatever ``next`` says). An answer of another shape is a
        ServerError."""
        items: list[dict[str, Any]] = []
        seen: set[Any] = set()
        while True:
            page = self.call("GET", path, what, params={"limit": PAGE, "offset": len(items)})
            listed = page if isinstance(page, list) else page.get("results") if isinstance(page, dict) else None
            if not isinstance(listed, list) or not all(isinstance(item, dict) and "id" in item for item in listed):
                raise not_the_api(self.server, what, page)
            if isinstance(page, list):  # an endpoint without pages
                return page
            total = page.get("count")
            if not isinstance(total, int) or isinstance(total, bool):
                raise not_the_api(self.server, what, page)
            if listed and all(item["id"] in seen for item in listed):  # it ignores the offset: it would page for ever
                raise not_the_api(self.server, what, f"the same page again at offset {len(items)}: {page}")
            seen.update(item["id"] for item in listed)
            items += listed
            if not page.get("next") or not listed or len(items) >= total:
                return _whole(items, total, self.server, what)

    def forbid_overlaps(self) -> None:
        """Make doccano refuse overlapping spans, as mining's units never overlap: an annotator who draws one
        is stopped there, not the pull later (a project made before mining forbade them allows them)."""
        self.project = self.call("PATCH", self.base, f"forbid overlapping spans in project {self.name!r}",
                                 json={"allow_overlapping": False, "resourcetype": "SequenceLabelingProject"})
        self.changes.append("switched off 'Allow overlapping spans' (mining's units never overlap, and pull refuses "
                            "overlapping spans)")

    def add_types(self, kind: str, names: list[str]) -> None:
        """Create the span or relation types of ``names`` that the project does not have yet."""
        have = {t["text"] for t in self.every(f"{self.base}/{kind}", f"list the {kind}")}
        for name in names:
            if name not in have:
                colour = _COLOURS.get(name.split(doccano.SEPARATOR)[0], "#9467bd")
                self.call("POST", f"{self.base}/{kind}", f"create the {kind[:-1]} {name!r}",
                          json={"text": name, "background_color": colour, "text_color": "#ffffff"})

    def examples(self) -> list[dict[str, Any]]:
        return self.every(f"{self.base}/examples", f"list the examples of project {self.name!r}")

    def push(self, docs: Sequence[Document], *, model_version: str | None,
             scores: dict[str, float] | None = None) -> tuple[int, list[str]]:
        texts = {str((e.get("meta") or {}).get("doc_id", e["id"])): e.get("text") for e in self.examples()}
        skipped = known_documents(self.server, self.name, docs, texts)
        held = set(skipped)
        records = doccano.to_records([d for d in docs if d.id not in held])
        for record in records:  # the reader leaves it be; pull --model-version picks by it
            if model_version is not None or PROPOSED_KEY in record[doccano.META_KEY]:
                # a proposal with no model named is "mining"'s, as Label Studio's predictions are (to_tasks)
                record[doccano.META_KEY]["model_version"] = model_version or DEFAULT_MODEL_VERSION
        if records:
            self.upload(records)
        return len(records), skipped

    def upload(self, records: list[dict[str, Any]], *, encoding: str = "utf_8") -> None:
        """Import ``records`` as relation JSONL, declared UTF-8: doccano's default (``"Auto"``) guesses,
        and read a small UTF-8 file as Windows-1252. (``encoding`` is there to show that in a test.)"""
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
        upload_id = self.call("POST", "/v1/fp/process/", "upload the documents",
                              files={"filepond": ("mining.jsonl", data, "application/octet-stream")})
        task = self.call("POST", f"{self.base}/upload", f"import the upload into project {self.name!r}", json={
            "uploadIds": [str(upload_id).strip()], "format": "JSONL", "task": "RelationExtraction",
            "encoding": encoding})
        began = time.monotonic()
        while True:
            status = self.call("GET", f"/v1/tasks/status/{task['task_id']}", "follow the import")
            if status.get("ready"):
                break
            if time.monotonic() - began > IMPORT_TIMEOUT:
                raise ServerError(f"{self.server.name}: the import into project {self.name!r} was not done after "
                                  f"{IMPORT_TIMEOUT:.0f} s: is its worker (`doccano task`) running?")
            time.sleep(0.5)
        errors = (status.get("result") or {}).get("error") or ([status["error"]] if status.get("error") else [])
        if errors:
            raise ServerError(f"{self.server.name}: the import into project {self.name!r} failed: "
                              f"{' '.join(json.dumps(errors[:3]).split())[:400]}")

    def pull(self, *, predictions: bool = False, model_version: str | None = None) -> list[Document]:
        spans = {t["id"]: t["text"] for t in self.every(f"{self.base}/span-types", "list the span types")}
        relations = {t["id"]: t["text"] for t in self.every(f"{self.base}/relation-types", "list the relation types")}
        records, done = [], []
        examples = self.examples()
        if predictions:
            check_model_version(self.server, self.name, model_version,
                                (v for v in map(_version_of, examples) if v is not None))
        for example in examples:
            asked = model_version is None or _version_of(example) == model_version  # the predictions asked for
            if not example.get("is_confirmed") and not (predictions and asked):
                continue
            records.append(self.record(example, spans, relations))
            done.append(bool(example.get("is_confirmed")))
        return [self.read(record, reviewed) for record, reviewed in zip(records, done)]

    def read(self, record: dict[str, Any], reviewed: bool) -> Document:
        """The document of one example; an error names it by its document id and example id (an error naming
        the record's place in the pull, ``projects/15:2``, named nothing an annotator could find)."""
        try:
            (doc,) = doccano.from_records([record], reviewed=[reviewed])
        except CorpusError as e:
            doc_id = record.get("doc_id") or record["id"]
            where = f"{doc_id} (example {record['id']})"
            named = e.item and e.item != f"document {doc_id}"  # the text's error names the document already
            raise CorpusError(e.problem, file=f"{self.server.shown} project {self.name!r}",
                              item=f"{where}/{e.item}" if named else where) from None
        return doc

    def record(self, example: dict[str, Any], spans: dict[int, str], relations: dict[int, str]) -> dict[str, Any]:
        """The example as a line of doccano's relation JSONL export: its metadata fields, text, spans, links."""
        where = f"{self.base}/examples/{example['id']}"
        meta = example.get("meta") or {}
        named = f"example {example['id']}"
        named = f"{meta['doc_id']} ({named})" if meta.get("doc_id") else named
        entities = [{"id": s["id"], "label": spans.get(s["label"], s["label"]), "start_offset": s["start_offset"],
                     "end_offset": s["end_offset"]} for s in self.every(f"{where}/spans", f"read the spans of {named}")]
        links = [{"id": r["id"], "from_id": r["from_id"], "to_id": r["to_id"],
                  "type": relations.get(r["type"], r["type"])}
                 for r in self.every(f"{where}/relations", f"read the relations of {named}")]
        return {**meta, "id": example["id"], "text": example["text"], "entities": entities, "relations": links}


def _version_of(example: dict[str, Any]) -> str | None:
    """The model version that push stored with an example's spans, if any."""
    stored = (example.get("meta") or {}).get(doccano.META_KEY)
    version = stored.get("model_version") if isinstance(stored, dict) else None
    return version if isinstance(version, str) else None
