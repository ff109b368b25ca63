"""An annotator's work, done through each tool's own API as its web interface would: accept a model's
predictions, change a label, draw a unit (in pieces) and a relation, mark the work done."""

from __future__ import annotations

import re
from typing import Any

from mining.annotate.settings import Server
from mining.schema import Document


def free_phrases(doc: Document, n: int) -> list[tuple[int, int]]:
    """``n`` phrases of ``doc`` outside every unit (a word run of 10+ characters between punctuation)."""
    covered = sorted(span for unit in doc.units for span in unit.spans())
    found, pos = [], 0
    for start, end in [*covered, (len(doc.text), len(doc.text))]:
        if start > pos:
            found += [(pos + m.start(), pos + m.end())
                      for m in re.finditer(r"[A-Za-z][^.;,\n]{8,}[a-z]", doc.text[pos:start])]
        pos = max(pos, end)
    assert len(found) >= n, f"{doc.id} has only {len(found)} phrases outside its units"
    return found[:n]


class LabelStudioAnnotator:
    """Annotations created through label-studio-sdk, from the tasks' predictions."""

    def __init__(self, server: Server, project: str):
        from label_studio_sdk import LabelStudio

        self.client = LabelStudio(base_url=server.url, api_key=server.token)
        (self.project,) = [p for p in self.client.projects.list(title=project) if p.title == project]
        self.tasks = {t.data["doc_id"]: t.id for t in self.client.tasks.list(project=self.project.id, fields="all")}

    def predicted(self, doc_id: str) -> list[dict[str, Any]]:
        (prediction,) = self.client.predictions.list(task=self.tasks[doc_id])
        return [dict(r) for r in prediction.result]

    def submit(self, doc_id: str, result: list[dict[str, Any]]) -> None:
        self.client.annotations.create(id=self.tasks[doc_id], result=result, was_cancelled=False)

    def plain_export(self) -> list[dict[str, Any]]:
        """Label Studio's plain JSON export of every task (predictions listed by id)."""
        import json

        data = b"".join(self.client.projects.exports.download_sync(id=self.project.id, download_all_tasks=True,
                                                                   export_type="JSON"))
        return json.loads(data)


def ls_region(rid: str, text: str, start: int, end: int, label: str) -> dict[str, Any]:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def ls_per_region(rid: str, name: str, kind: str, start: int, end: int, answer: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "from_name": name, "to_name": "text", "type": kind,
            "value": {"start": start, "end": end, **answer}}


def ls_relation(source: str, target: str, label: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": source, "to_id": target, "direction": "right", "labels": [label]}


class DoccanoAnnotator:
    """Spans, relations and "done" marks made through doccano's REST API."""

    def __init__(self, server: Server, project: str):
        import requests

        self.url = server.url
        self.session = requests.Session()
        token = self.call("POST", "/v1/auth/login/", json={"username": server.username,
                                                            "password": server.password})["key"]
        self.session.cookies.clear()
        self.session.headers["Authorization"] = f"Token {token}"
        projects = self.call("GET", "/v1/projects", params={"limit": 1000})["results"]
        (pid,) = [p["id"] for p in projects if p["name"] == project]
        self.base = f"/v1/projects/{pid}"
        examples = self.call("GET", f"{self.base}/examples", params={"limit": 1000})["results"]
        self.examples = {e["meta"]["doc_id"]: e["id"] for e in examples}
        self.span_types = {t["text"]: t["id"] for t in self.call("GET", f"{self.base}/span-types")}
        self.relation_types = {t["text"]: t["id"] for t in self.call("GET", f"{self.base}/relation-types")}

    @staticmethod
    def create_project(server: Server, name: str, *, collaborative: bool) -> None:
        """A relation project made in doccano itself (not by mining), sharing annotations or not."""
        import requests

        session = requests.Session()
        token = session.post(f"{server.url}/v1/auth/login/", json={"username": server.username,
                                                                   "password": server.password}).json()["key"]
        answer = requests.post(f"{server.url}/v1/projects", headers={"Authorization": f"Token {token}"}, json={
            "name": name, "description": "made by hand", "guideline": "", "project_type": "SequenceLabeling",
            "resourcetype": "SequenceLabelingProject", "use_relation": True, "allow_overlapping": True,
            "collaborative_annotation": collaborative, "grapheme_mode": False, "random_order": False, "tags": []})
        assert answer.status_code < 400, answer.text

    def call(self, method: str, path: str, **options: Any) -> Any:
        answer = self.session.request(method, self.url + path, timeout=60, **options)
        assert answer.status_code < 400, f"{method} {path}: {answer.status_code} {answer.text[:300]}"
        return answer.json() if answer.content else None

    def spans(self, doc_id: str) -> list[dict[str, Any]]:
        return self.call("GET", f"{self.base}/examples/{self.examples[doc_id]}/spans")

    def relabel(self, doc_id: str, span_id: int, label: str) -> None:
        self.call("PATCH", f"{self.base}/examples/{self.examples[doc_id]}/spans/{span_id}",
                  json={"label": self.span_types[label]})

    def move(self, doc_id: str, span_id: int, start: int, end: int) -> None:
        self.call("PATCH", f"{self.base}/examples/{self.examples[doc_id]}/spans/{span_id}",
                  json={"start_offset": start, "end_offset": end})

    def add_span(self, doc_id: str, start: int, end: int, label: str) -> int:
        return self.call("POST", f"{self.base}/examples/{self.examples[doc_id]}/spans",
                         json={"label": self.span_types[label], "start_offset": start, "end_offset": end})["id"]

    def refused_span(self, doc_id: str, start: int, end: int, label: str) -> str:
        """What doccano answers to a span it refuses (an empty string when it takes it)."""
        answer = self.session.post(f"{self.url}{self.base}/examples/{self.examples[doc_id]}/spans", timeout=60,
                                   json={"label": self.span_types[label], "start_offset": start, "end_offset": end})
        return "" if answer.status_code < 400 else f"{answer.status_code} {answer.text}"

    def add_relation(self, doc_id: str, source: int, target: int, label: str) -> int:
        return self.call("POST", f"{self.base}/examples/{self.examples[doc_id]}/relations",
                         json={"from_id": source, "to_id": target, "type": self.relation_types[label]})["id"]

    def done(self, doc_id: str) -> None:
        self.call("POST", f"{self.base}/examples/{self.examples[doc_id]}/states", json={})
