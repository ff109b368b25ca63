"""Label Studio tasks: lossless round trips (sample, AAEC, microtexts), exports we did not write, bad input."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mining.corpora import aaec, brat, labelstudio, load_corpus, microtexts
from mining.errors import CorpusError
from mining.schema import Document, Relation, Unit
from tests.helpers import run_mining as mining

BRAT_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "brat"
TEXT = "Bike lanes make streets safer.\nDrivers, the council says, lose little parking. Shops gain customers."


def dicts(docs: list[Document]) -> list[dict]:
    return [d.to_dict() for d in docs]


def round_trip(docs: list[Document], **options) -> list[Document]:
    """To tasks, through JSON text (as a file would hold them), and back."""
    tasks = json.loads(json.dumps(labelstudio.to_tasks(docs, **options)))
    return labelstudio.from_tasks(tasks, predictions=options.get("predictions", False))


def tricky_doc() -> Document:
    """A discontinuous unit, an id that is no region id, a holder with spaces, typed attributes."""
    return Document(
        id="news/7", text=TEXT, paragraphs=[(0, 30), (31, len(TEXT))], topic="bike lanes", split="test",
        metadata={"source": "made up", "n": [1, 2]},
        units=[
            Unit("c/1", 0, 29, TEXT[0:29], "claim", "for", "Ana María Ruiz", {"speech": "quote", "central": True}),
            Unit("P2", 31, 77, f"{TEXT[31:38]} {TEXT[58:77]}", "premise", "against", "council",
                 {"score": 0.5, "tags": ["a", "b"]}, fragments=[(31, 38), (58, 77)]),
            Unit("P3", 79, 99, TEXT[79:99], "premise"),
        ],
        relations=[Relation("e1", "P2", "c/1", "attack", {"type": "reb"}), Relation("e2", "P3", "c/1", "support")],
    )


# --- lossless round trips ---

def test_sample_round_trip():
    docs = load_corpus("sample")
    assert dicts(round_trip(docs)) == dicts(docs)


def test_sample_round_trip_as_predictions():
    docs = load_corpus("sample")
    tasks = labelstudio.to_tasks(docs, predictions=True, model_version="demo-1", score=0.25)
    assert all("annotations" not in t for t in tasks)
    assert {(p["model_version"], p["score"]) for t in tasks for p in t["predictions"]} == {("demo-1", 0.25)}
    assert dicts(round_trip(docs, predictions=True)) == dicts(docs)


def test_fragments_ids_holders_and_attributes_survive():
    doc = tricky_doc()
    assert dicts(round_trip([doc])) == dicts([doc])


def test_brat_fixtures_round_trip():
    docs = brat.load(BRAT_FIXTURES)  # has a discontinuous unit, binary attributes and free notes
    assert dicts(round_trip(docs)) == dicts(docs)


def test_round_trip_through_a_file(tmp_path: Path):
    docs = [*load_corpus("sample"), tricky_doc()]
    path = tmp_path / "tasks.json"
    assert labelstudio.save(docs, path) == len(docs)
    assert dicts(load_corpus("labelstudio", path)) == dicts(docs)
    folder = tmp_path / "exports"  # a folder of exports reads them in name order
    labelstudio.save(docs[:3], folder / "a.json")
    labelstudio.save(docs[3:], folder / "b.json")
    assert [d.id for d in load_corpus("labelstudio", folder)] == [d.id for d in docs]
    labelstudio.save(docs[:1], folder / "c.json")  # the same document twice is refused, naming its id
    with pytest.raises(CorpusError, match=f"duplicate document id '{docs[0].id}'"):
        load_corpus("labelstudio", folder)



def with_unknown_fields(doc: Document) -> Document:
    """``doc`` with fields the schema does not know on the document, a unit (a discontinuous one) and a relation."""
    doc.extra = {"annotator": "ana", "round": 2}
    doc.units[1].extra = {"confidence": 0.5, "notes": ["moved"]}
    doc.relations[0].extra = {"checked": True}
    return doc


@pytest.mark.parametrize("predictions", [False, True])
def test_fields_the_schema_does_not_know_survive(predictions: bool):
    doc = with_unknown_fields(tricky_doc())
    (task,) = labelstudio.to_tasks([doc], predictions=predictions)
    assert task["data"]["mining"]["fields"] == {
        "document": {"annotator": "ana", "round": 2}, "units": {"P2": {"confidence": 0.5, "notes": ["moved"]}},
        "relations": {"e1": {"checked": True}}}
    assert round_trip([doc], predictions=predictions) == [doc]


def test_documents_without_unknown_fields_store_none():
    (task,) = labelstudio.to_tasks([tricky_doc()])
    assert "fields" not in task["data"]["mining"]


def test_units_and_relations_an_annotator_added_have_no_unknown_fields():
    (task,) = labelstudio.to_tasks([with_unknown_fields(tricky_doc())])
    result = task["annotations"][0]["result"]
    # the annotator deleted P2 (and with it its relation e1) and marked a unit P9 attacking c/1 instead
    result[:] = [r for r in result if not {"P2", "P2_2"} & {r.get("id"), r.get("from_id")}]
    result.append(region_of("P9", 31, 38))
    result.append({"type": "relation", "from_id": "P9", "to_id": "u1", "direction": "right", "labels": ["attack"]})
    (doc,) = labelstudio.from_tasks([task])
    assert doc.extra == {"annotator": "ana", "round": 2}
    assert [(u.id, u.extra) for u in doc.units] == [("c/1", {}), ("P3", {}), ("P9", {})]
    assert [(r.source, r.extra) for r in doc.relations] == [("P3", {}), ("P9", {})]


def region_of(rid: str, start: int, end: int) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": ["premise"]}}


@pytest.mark.corpora
def test_aaec_round_trip(corpora: Path):
    essays = aaec.load(corpora / "aaec-v2")
    assert len(essays) == 402
    assert dicts(round_trip(essays)) == dicts(essays)


@pytest.mark.corpora
def test_microtexts_round_trip(corpora: Path):
    texts = microtexts.load(corpora / "arg-microtexts", language="en")
    assert len(texts) == 112
    assert dicts(round_trip(texts)) == dicts(texts)
    assert dicts(round_trip(texts, predictions=True)) == dicts(texts)


# --- the encoding ---

def test_result_layout():
    (task,) = labelstudio.to_tasks([tricky_doc()])
    data, result = task["data"], task["annotations"][0]["result"]
    assert (data["text"], data["doc_id"], data["topic"], data["split"]) == (TEXT, "news/7", "bike lanes", "test")
    assert data["paragraphs"] == [[0, 30], [31, len(TEXT)]] and data["metadata"] == {"source": "made up", "n": [1, 2]}
    regions = [r for r in result if r["type"] == "labels"]
    assert all((r["from_name"], r["to_name"]) == ("label", "text") for r in regions)
    assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"]) for r in regions] == [
        (0, 29, ["claim"]), (31, 38, ["premise"]), (58, 77, ["premise"]), (79, 99, ["premise"])]
    assert all(r["value"]["text"] == TEXT[r["value"]["start"]:r["value"]["end"]] for r in regions)
    first, p2, p2_second, p3 = (r["id"] for r in regions)
    assert (p2, p2_second, p3) == ("P2", "P2_2", "P3")
    assert data["mining"]["unit_ids"] == {first: "c/1"}  # "c/1" is not a valid region id
    stance = {r["id"]: r["value"]["choices"] for r in result if r.get("from_name") == "stance"}
    assert stance == {first: ["for"], "P2": ["against"]}
    holder = {r["id"]: r["value"]["text"] for r in result if r.get("from_name") == "holder"}
    assert holder == {first: ["Ana María Ruiz"], "P2": ["council"]}
    attributes = {r["id"]: json.loads(r["value"]["text"][0]) for r in result if r.get("from_name") == "attributes"}
    assert attributes == {first: {"speech": "quote", "central": True}, "P2": {"score": 0.5, "tags": ["a", "b"]}}
    links = [(r["from_id"], r["to_id"], r["direction"], r["labels"]) for r in result if r["type"] == "relation"]
    assert links == [("P2_2", "P2", "right", ["same_unit"]), ("P2", first, "right", ["attack"]),
                     ("P3", first, "right", ["support"])]
    assert data["mining"]["relations"][0] == {"id": "e1", "source": "P2", "target": "c/1", "label": "attack",
                                              "attributes": {"type": "reb"}}


def test_labeling_config_matches_the_result_names():
    view = ET.fromstring(labelstudio.labeling_config())
    labels = view.find("Labels")
    assert (labels.get("name"), labels.get("toName")) == ("label", "text")
    assert [x.get("value") for x in labels] == ["major_claim", "claim", "premise"]
    assert view.find("Text").get("value") == "$text"
    assert [x.get("value") for x in view.find("Relations")] == ["support", "attack", "same_unit"]
    controls = {c.get("name"): c for c in view.iter() if c.get("perRegion") == "true"}
    assert set(controls) == {"stance", "holder", "attributes"}
    assert [x.get("value") for x in controls["stance"]] == ["for", "against"]
    assert controls["holder"].tag == controls["attributes"].tag == "TextArea"
    custom = ET.fromstring(labelstudio.labeling_config(labels=["Claim", 'a"b'], relations=["supports"]))
    assert [x.get("value") for x in custom.find("Labels")] == ["Claim", 'a"b']


def test_model_version_needs_predictions():
    with pytest.raises(ValueError, match="predictions"):
        labelstudio.to_tasks(load_corpus("sample")[:1], model_version="x")


# --- exports Label Studio wrote for a project we did not set up ---

FOREIGN_TEXT = "Title line\n\nSchools should ban phones. Phones distract pupils.\n"


def region(rid: str, start: int, end: int, label: str, **value) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": FOREIGN_TEXT[start:end], "labels": [label], **value}}


def foreign_task() -> dict:
    old = [region("aB3_x9Qk1z", 12, 37, "premise")]
    latest = [
        region("aB3_x9Qk1z", 12, 37, "claim"),
        region("Zz-01", 39, 61, "premise"),
        {"id": "Zz-01", "from_name": "confidence", "to_name": "text", "type": "choices",
         "value": {"start": 39, "end": 61, "choices": ["high"]}},
        {"id": "doc-level", "from_name": "quality", "to_name": "text", "type": "choices",
         "value": {"choices": ["good"]}},
        {"from_id": "aB3_x9Qk1z", "to_id": "Zz-01", "type": "relation", "direction": "left",
         "labels": ["support"]},
    ]
    return {
        "id": 41, "project": 3,
        "data": {"text": FOREIGN_TEXT, "source": "forum"},
        "annotations": [
            {"id": 1, "result": old, "was_cancelled": False, "created_at": "2024-05-01T10:00:00.123456Z"},
            {"id": 2, "result": latest, "was_cancelled": False, "created_at": "2024-05-01T09:00:00Z",
             "updated_at": "2024-05-02T08:00:00Z"},
            {"id": 3, "result": [], "was_cancelled": True, "created_at": "2024-06-01T00:00:00Z"},
        ],
        "predictions": [{"model_version": "m", "result": old}],
    }


def test_reads_an_export_we_did_not_write():
    (doc,) = labelstudio.from_tasks([foreign_task()])
    assert doc.id == "41"  # no data.doc_id: the task id
    assert doc.paragraphs == [(0, 10), (12, 62)]  # no data.paragraphs: the non-blank lines
    # the annotation relabelled the prediction's unit and drew one more (see test_corrections_are_recorded)
    assert doc.metadata == {"source": "forum", "labelstudio": {"quality": "good"},
                            "labelled_by": {"annotator": "human", "tool": "labelstudio", "units_unchanged": 0,
                                            "units_corrected": 1, "units_added": 1, "units_removed": 0}}
    # annotation 2 was updated last; annotation 3 is newer but cancelled
    assert [(u.id, u.label, u.start, u.end) for u in doc.units] == [
        ("aB3_x9Qk1z", "claim", 12, 37), ("Zz-01", "premise", 39, 61)]
    assert doc.units[1].attributes == {"confidence": "high", "labelled_by": "human"}
    (rel,) = doc.relations  # direction "left": from to_id to from_id
    assert (rel.id, rel.source, rel.target, rel.label) == ("R1", "Zz-01", "aB3_x9Qk1z", "support")


def test_predictions_are_read_only_when_asked():
    task = foreign_task()
    task["annotations"] = [task["annotations"][2]]  # only the cancelled one
    with pytest.raises(CorpusError, match=r"\[task 41\]: task has no annotation .*predictions=True"):
        labelstudio.from_tasks([task])
    (doc,) = labelstudio.from_tasks([task], predictions=True)
    assert [(u.id, u.label) for u in doc.units] == [("aB3_x9Qk1z", "premise")]
    task["predictions"].append({"model_version": "n", "result": []})
    with pytest.raises(CorpusError, match=r"several model versions \(m, n\); pass model_version"):
        labelstudio.from_tasks([task], predictions=True)
    (doc,) = labelstudio.from_tasks([task], predictions=True, model_version="n")
    assert doc.units == []


def test_unannotated_tasks():
    task = {"id": 5, "data": {"text": "Nothing marked here."}}
    with pytest.raises(CorpusError, match="no annotation"):
        labelstudio.from_tasks([task])
    assert labelstudio.from_tasks([task], unannotated="skip") == []
    (doc,) = labelstudio.from_tasks([task], unannotated="empty")
    assert (doc.id, doc.units, doc.paragraphs) == ("5", [], [(0, 20)])


def test_label_mapping_and_text_key():
    task = foreign_task()
    task["data"] = {"essay": task["data"]["text"]}
    for item in task["annotations"][1]["result"]:
        if item["type"] == "labels":
            item["value"]["labels"] = [item["value"]["labels"][0].title()]
    (doc,) = labelstudio.from_tasks([task], text_key="essay", unit_labels={"Claim": "claim", "Premise": "premise"})
    assert [u.label for u in doc.units] == ["claim", "premise"]


# --- bad input: every message names the file, the task and the region, and the problem ---

def write_task(tmp_path: Path, change) -> Path:
    (task,) = labelstudio.to_tasks([tricky_doc()])
    task["id"] = 12
    change(task, task["annotations"][0]["result"])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    return path


def set_value(rid: str, from_name: str, **value):
    def change(task, result):
        for item in result:
            if item.get("id") == rid and item.get("from_name") == from_name:
                item["value"].update(value)
    return change


def drop_region(rid: str):
    def change(task, result):
        result[:] = [r for r in result if r.get("id") != rid]
    return change


BAD = [
    (set_value("P3", "label", end=500), "task 12/region P3", "offsets 79-500 are outside the text"),
    (set_value("P3", "label", text="Shops gain votes"), "task 12/region P3", "does not match the text at 79-99"),
    (set_value("P3", "label", labels=["evidence"]), "task 12/region P3", "unknown label 'evidence'"),
    (set_value("P3", "label", labels=["claim", "premise"]), "task 12/region P3", "exactly one label"),
    (set_value("P2", "stance", choices=["neutral"]), "task 12/region P2", "unknown stance"),
    (set_value("P2", "attributes", text=["{not json"]), "task 12/region P2", "attributes are not valid JSON"),
    (set_value("P2_2", "label", labels=["claim"]), "task 12/region P2_2", "fragment has label 'claim'"),
    (drop_region("P3"), "task 12/relation P3->", "relation points at missing region 'P3'"),
    (lambda task, result: result.append({"type": "relation", "from_id": "P3", "to_id": "P2", "labels": ["rebut"]}),
     "task 12/relation P3->P2", "unknown relation label 'rebut'"),
    (lambda task, result: result.append({"type": "relation", "from_id": "P3", "to_id": "P2", "direction": "bi",
                                         "labels": ["attack"]}), "task 12/relation P3->P2", "direction 'bi'"),
    (lambda task, result: result.append({"id": "x", "type": "hypertextlabels", "value": {}}),
     "task 12/result 14", "unsupported result type 'hypertextlabels'"),
    (lambda task, result: task["data"].pop("text"), "task 12", "data field 'text' is missing"),
    (lambda task, result: task["data"].pop("doc_id") and task.pop("id"), "task #1", "neither data.doc_id nor an id"),
    (lambda task, result: task["data"]["mining"]["relations"][1].update(attributes="x"), "task 12",
     "data.mining.relations[1].attributes must be a JSON object, got str 'x'"),
    (lambda task, result: task["data"]["mining"]["relations"][0].pop("id"), "task 12",
     "data.mining.relations[0].id is missing"),
    (lambda task, result: task["data"]["mining"]["unit_ids"].update(u1=None), "task 12",
     "data.mining.unit_ids.u1 is missing"),
    (lambda task, result: task["data"]["mining"].update(fields={"units": {"P3": {"label": "claim"}}}), "task 12",
     "data.mining.fields.units['P3'] holds 'label', which the schema knows"),
    (lambda task, result: task["data"].update(topic=999), "task 12", "data.topic must be a string, got int 999"),
    (set_value("P2", "attributes", text=[999]), "task 12/region P2", "attributes must be one JSON object"),
    (set_value("P3", "label", labels=[["claim"]]), "task 12/region P3", "unknown label ['claim']"),
    # str() of these made the ids "{'a': 1}" and "['x']" (and brat file names of them)
    (lambda task, result: task["data"].update(doc_id={"a": 1}), "task 12",
     "data.doc_id must be a string or an integer, got dict {'a': 1}"),
    (lambda task, result: task["data"].pop("doc_id") and task.update(id=["x"]), "task #1",
     "'id' must be a string or an integer, got list ['x']"),
    # blank: it was passed over for the task's id, without a word
    (lambda task, result: task["data"].update(doc_id=" "), "task 12", "data.doc_id is blank"),
]


@pytest.mark.parametrize(("change", "where", "problem"), BAD, ids=[b[2] for b in BAD])
def test_bad_input_names_file_task_region_and_problem(tmp_path: Path, change, where, problem):
    path = write_task(tmp_path, change)
    with pytest.raises(CorpusError) as caught:
        labelstudio.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path} [{where}"), message
    assert problem in message, message


def test_broken_json_names_file_and_line(tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"data": {"text": "x"}},\n  {"data": \n', encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{path}:4: invalid JSON"):
        load_corpus("labelstudio", path)


def test_not_a_list_of_tasks(tmp_path: Path):
    path = tmp_path / "odd.json"
    path.write_text('"tasks"', encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{path}: expected a JSON list of tasks"):
        labelstudio.load(path)


def test_utf16_offsets_get_a_hint():
    text = "\U0001F6B2 Bike lanes help."
    task = {"id": 1, "data": {"text": text}, "annotations": [{"result": [
        {"id": "r", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 3, "end": 18, "text": "Bike lanes help", "labels": ["claim"]}}]}]}
    with pytest.raises(CorpusError, match="UTF-16"):
        labelstudio.from_tasks([task])
    task["annotations"][0]["result"][0]["value"].update(start=2, end=17)
    assert labelstudio.from_tasks([task])[0].units[0].text == "Bike lanes help"


def test_reading_does_not_change_the_tasks():
    tasks = labelstudio.to_tasks([tricky_doc()])
    before = copy.deepcopy(tasks)
    labelstudio.from_tasks(tasks)
    assert tasks == before


# --- the command line ---

def test_convert_writes_predictions_and_config(tmp_path: Path):
    out = tmp_path / "ls" / "sample.json"
    result = mining("data", "convert", "sample", "--to", "labelstudio", "--predictions", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "predictions" in json.loads(out.read_text(encoding="utf-8"))[0]
    assert ET.parse(out.with_name("sample.config.xml")).getroot().find("Labels").get("name") == "label"
    assert dicts(load_corpus("labelstudio", out, predictions=True)) == dicts(load_corpus("sample"))
    wrong = mining("data", "convert", "sample", "--to", "jsonl", "--predictions", "-o", str(tmp_path / "x.jsonl"))
    assert wrong.returncode == 2 and "--predictions applies to --to labelstudio only" in wrong.stderr


def test_a_file_round_trip_keeps_who_labelled_what():
    """Tasks mining wrote and reads back without Label Studio in between record no annotation session: the
    documents' and units' provenance comes back as it was (an annotation made in Label Studio has its author)."""
    import copy
    import json

    from mining.corpora import load_corpus

    doc = copy.deepcopy(load_corpus("sample")[0])
    doc.metadata["labelled_by"] = {"annotator": "labelstudio user 3", "model": "mining:/runs/a", "units_unchanged": 2}
    doc.units[0].attributes.update(labelled_by="labelstudio user 3", pre_labelled_by="mining:/runs/a")
    doc.units[1].attributes.update(labelled_by="mining:/runs/a")
    (read,) = labelstudio.from_tasks(json.loads(json.dumps(labelstudio.to_tasks([doc]))))
    assert read == doc
