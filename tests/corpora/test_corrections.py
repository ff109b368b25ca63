"""A model's pre-annotation corrected by a person says so after import: Label Studio and doccano exports, and merge."""

from __future__ import annotations

import copy
import json

from mining.corpora import doccano, jsonl, labelstudio, load_corpus
from mining.dataset.merge import merge_files, read_changelog

MODEL = {"runs": {"components": "runs/miner-v1"}, "pipeline": "en_core_web_sm 3.8.0"}


def model_labelled(n: int = 2):
    """Sample documents as `mining label` gives them: units, and the model named in ``labelled_by``."""
    docs = [d for d in load_corpus("sample") if len(d.units) >= 3][:n]
    for doc in docs:
        doc.metadata = {**doc.metadata, "labelled_by": MODEL}
    return docs


def annotate(task: dict, edit, **annotation) -> dict:
    """What Label Studio exports once an annotator submitted the prediction, changed by ``edit(result)``."""
    task = copy.deepcopy(task)
    result = copy.deepcopy(task["predictions"][0]["result"])
    edit(result)
    task["annotations"] = [{"id": 1, "result": result, "was_cancelled": False, **annotation}]
    return task


def relabel_first_and_drop_last(result: list) -> None:
    regions = [r for r in result if r["type"] == "labels"]
    first, last = regions[0], regions[-1]
    first["value"]["labels"] = ["premise" if first["value"]["labels"] != ["premise"] else "claim"]
    result[:] = [r for r in result
                 if r.get("id") != last["id"] and last["id"] not in (r.get("from_id"), r.get("to_id"))]


def test_label_studio_records_the_annotators_corrections():
    (doc,) = model_labelled(1)
    (task,) = labelstudio.to_tasks([doc], predictions=True, model_version="miner-v1")
    export = annotate(task, relabel_first_and_drop_last, completed_by=3)
    # Label Studio's plain JSON export lists predictions by id: the proposal stored in the task is the reference
    plain = {**export, "predictions": [17]}
    for exported in (export, plain):
        (read,) = labelstudio.from_tasks([exported])
        n = len(doc.units)
        assert read.metadata["labelled_by"] == {"annotator": "labelstudio user 3", "tool": "labelstudio",
                                                "units_unchanged": n - 2, "units_corrected": 1, "units_added": 0,
                                                "units_removed": 1}
        assert read.metadata["pre_labelled_by"] == MODEL
        assert read.units[0].attributes == {**doc.units[0].attributes, "labelled_by": "labelstudio user 3",
                                            "pre_labelled_by": "miner-v1"}
        assert all(u.attributes["labelled_by"] == "miner-v1" for u in read.units[1:])


def test_label_studio_unit_drawn_by_the_annotator_and_user_objects():
    (doc,) = model_labelled(1)
    (task,) = labelstudio.to_tasks([doc], predictions=True)

    def draw(result):
        start = doc.units[0].start
        result.append({"id": "new1", "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {"start": start, "end": start + 3, "text": doc.text[start:start + 3],
                                 "labels": ["claim"]}})

    (read,) = labelstudio.from_tasks([annotate(task, draw, completed_by={"id": 9, "email": "a@example.org"})])
    assert read.metadata["labelled_by"]["units_added"] == 1
    assert read.metadata["labelled_by"]["annotator"] == "labelstudio user 9"  # the id, not the e-mail address
    drawn = next(u for u in read.units if u.id == "new1")
    assert drawn.attributes == {"labelled_by": "labelstudio user 9"}


def test_label_studio_accepted_as_is_names_the_reviewer_and_keeps_the_model_per_unit():
    (doc,) = model_labelled(1)
    (task,) = labelstudio.to_tasks([doc], predictions=True)
    (read,) = labelstudio.from_tasks([annotate(task, lambda result: None)])
    assert read.metadata["labelled_by"]["annotator"] == "human"  # no completed_by in this export
    assert read.metadata["labelled_by"]["units_unchanged"] == len(doc.units)
    assert read.metadata["labelled_by"]["units_corrected"] == 0
    assert {u.attributes["labelled_by"] for u in read.units} == {labelstudio.DEFAULT_MODEL_VERSION}


def test_label_studio_predictions_and_gold_round_trips_are_not_marked():
    docs = model_labelled(1)
    (predicted,) = labelstudio.from_tasks(labelstudio.to_tasks(docs, predictions=True), predictions=True)
    assert predicted.metadata["labelled_by"] == MODEL and "pre_labelled_by" not in predicted.metadata
    gold = load_corpus("sample")[:1]
    (back,) = labelstudio.from_tasks(labelstudio.to_tasks(gold))
    assert back.metadata == gold[0].metadata and "proposed" not in labelstudio.to_tasks(gold)[0]["data"]["mining"]


def test_doccano_records_the_annotators_corrections(tmp_path):
    docs = model_labelled(2)
    records = doccano.to_records(docs)
    entity = records[0]["entities"][0]
    base, _, stance = entity["label"].partition("|")
    entity["label"] = ("premise" if base != "premise" else "claim") + (f"|{stance}" if stance else "")
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    corrected, untouched = doccano.load(path)
    assert corrected.metadata["labelled_by"] == {
        "annotator": "human", "tool": "doccano", "units_unchanged": len(docs[0].units) - 1, "units_corrected": 1,
        "units_added": 0, "units_removed": 0}
    assert corrected.metadata["pre_labelled_by"] == MODEL
    assert corrected.units[0].attributes["labelled_by"] == "human"
    # doccano does not say whether anyone opened a document: one equal to the proposal stays the model's
    assert untouched.metadata["labelled_by"] == MODEL and "pre_labelled_by" not in untouched.metadata
    assert all("labelled_by" not in u.attributes for u in untouched.units)


def test_merge_keeps_who_corrected_and_counts_it(tmp_path):
    docs = model_labelled(2)
    tasks = labelstudio.to_tasks(docs, predictions=True)
    export = [annotate(tasks[0], relabel_first_and_drop_last, completed_by=3), annotate(tasks[1], lambda r: None)]
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    base = [d for d in load_corpus("sample") if d.id not in {x.id for x in docs}][:3]
    jsonl.save(base, tmp_path / "v1.jsonl")
    merge_files(tmp_path / "v1.jsonl", tmp_path / "export.json", tmp_path / "v2.jsonl", split="train")
    merged = {d.id: d for d in jsonl.load(tmp_path / "v2.jsonl")}
    assert merged[docs[0].id].metadata["labelled_by"]["units_corrected"] == 1
    assert merged[docs[0].id].metadata["pre_labelled_by"] == MODEL
    (entry,) = read_changelog(tmp_path / "v2.jsonl")
    assert entry["annotated"] == {"documents": 2, "units_corrected": 1, "units_added": 0, "units_removed": 1,
                                  "unreviewed": 0}


def test_merging_a_models_labels_that_nobody_reviewed_is_counted_and_warned_of(tmp_path):
    from tests.helpers import run_mining

    docs = model_labelled(2)
    jsonl.save(docs, tmp_path / "predicted.jsonl")
    base = [d for d in load_corpus("sample") if d.id not in {x.id for x in docs}][:3]
    jsonl.save(base, tmp_path / "v1.jsonl")
    done = run_mining("data", "merge", str(tmp_path / "v1.jsonl"), str(tmp_path / "predicted.jsonl"),
                      "-o", str(tmp_path / "v2.jsonl"))
    assert done.returncode == 0, done.stderr
    assert "warning: 2 of the 2 new documents hold a model's labels that no annotator submitted" in done.stderr
    (entry,) = read_changelog(tmp_path / "v2.jsonl")
    assert entry["annotated"]["unreviewed"] == 2 and entry["annotated"]["documents"] == 0


def _shift_start(doc) -> tuple[int, int]:
    """New bounds for ``doc``'s second unit: its first word left out, as an annotator moving its start would."""
    unit = doc.units[1]
    return unit.start + unit.text.index(" ") + 1, unit.end


def test_a_unit_whose_bounds_an_annotator_moved_is_corrected_in_both_tools(tmp_path):
    """It keeps its id, holder and attributes (the readers pair it with the proposed unit), so it counts as one
    unit corrected, not as one removed and one added."""
    (doc,) = model_labelled(1)
    start, end = _shift_start(doc)
    (record,) = doccano.to_records([doc])
    (entity,) = [e for e in record["entities"] if e["start_offset"] == doc.units[1].start]
    entity["start_offset"] = start
    (task,) = labelstudio.to_tasks([doc], predictions=True, model_version="miner-v1")

    def move(result):
        for item in result:
            if item.get("id") == doc.units[1].id:  # the region and its per-region stance, holder...
                item["value"]["start"] = start
                if item["type"] == "labels":
                    item["value"]["text"] = doc.text[start:end]

    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (from_doccano,) = doccano.load(path)
    (from_labelstudio,) = labelstudio.from_tasks([annotate(task, move, completed_by=3)])
    for read, who, model in ((from_doccano, "human", "model"), (from_labelstudio, "labelstudio user 3", "miner-v1")):
        counts = {k: v for k, v in read.metadata["labelled_by"].items() if k.startswith("units_")}
        assert counts == {"units_unchanged": len(doc.units) - 1, "units_corrected": 1, "units_added": 0,
                          "units_removed": 0}, read.metadata["labelled_by"]["tool"]
        moved = read.units[1]
        assert (moved.id, moved.start, moved.holder) == (doc.units[1].id, start, doc.units[1].holder)
        assert moved.attributes == {**doc.units[1].attributes, "labelled_by": who, "pre_labelled_by": model}


def test_a_unit_deleted_and_drawn_again_elsewhere_is_removed_and_added():
    """A new region (a new id) where no proposed unit was is the annotator's; the proposed one it replaced is gone."""
    (doc,) = model_labelled(1)
    start, end = _shift_start(doc)
    (task,) = labelstudio.to_tasks([doc], predictions=True)

    def redraw(result):
        for item in result:
            if item.get("id") == doc.units[1].id:
                item["id"] = "drawn1"
                item["value"]["start"] = start
                if item["type"] == "labels":
                    item["value"]["text"] = doc.text[start:end]
            for end_name in ("from_id", "to_id"):
                if item.get(end_name) == doc.units[1].id:
                    item[end_name] = "drawn1"

    (read,) = labelstudio.from_tasks([annotate(task, redraw)])
    assert {k: v for k, v in read.metadata["labelled_by"].items() if k.startswith("units_")} == {
        "units_unchanged": len(doc.units) - 1, "units_corrected": 0, "units_added": 1, "units_removed": 1}


def test_a_proposal_stored_without_unit_ids_is_still_read():
    """Files written before the proposal named the units: a unit is paired by its spans alone."""
    (doc,) = model_labelled(1)
    (task,) = labelstudio.to_tasks([doc], predictions=True)
    task["data"]["mining"]["proposed"] = [key[:4] for key in task["data"]["mining"]["proposed"]]
    plain = {**annotate(task, relabel_first_and_drop_last), "predictions": [17]}
    (read,) = labelstudio.from_tasks([plain])
    assert read.metadata["labelled_by"]["units_corrected"] == 1 and read.metadata["labelled_by"]["units_removed"] == 1
