"""What the real Label Studio and doccano servers did to our files (issue 17), each made impossible to miss.

1. Label Studio's plain JSON export lists predictions by id: reading such a task must say how to get them.
2. `mining data validate` reads Label Studio exports, one-line and indented, and doccano exports.
3. A text the tool changed (doccano read a UTF-8 upload as Windows-1252) no longer has its fingerprint: refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mining.corpora import doccano, labelstudio, load_corpus
from mining.errors import CorpusError
from mining.schema import Document, Unit
from tests.helpers import run_mining as mining

EMOJI_TEXT = "Ferries matter 😀. They carry nurses at night."


def emoji_doc() -> Document:
    return Document("emoji", EMOJI_TEXT, units=[Unit("T1", 18, 45, EMOJI_TEXT[18:45], "claim", "for")])


def plain_export(tasks: list[dict]) -> list[dict]:
    """What Label Studio's plain JSON export gives for tasks imported with predictions: ids in their place."""
    out = json.loads(json.dumps(tasks))
    for n, task in enumerate(out, start=1):
        task["id"] = n
        task["predictions"] = [100 + n]
        task["annotations"] = []
    return out


# --- 1. predictions listed by id ---

def test_predictions_listed_by_id_are_refused_with_how_to_get_them():
    tasks = plain_export(labelstudio.to_tasks(load_corpus("sample")[:2], predictions=True))
    with pytest.raises(CorpusError) as e:
        labelstudio.from_tasks(tasks, file="export.json", predictions=True)
    message = str(e.value)
    assert message.startswith("export.json [task 1]: task lists its predictions by id only (predictions: [101])")
    assert "mining annotate pull --predictions" in message and "only_id" in message
    # skipping unannotated tasks does not hide it either: the predictions were asked for
    with pytest.raises(CorpusError, match="by id only"):
        labelstudio.from_tasks(tasks, file="export.json", predictions=True, unannotated="skip")


def test_without_predictions_asked_the_hint_is_to_ask_for_them():
    tasks = plain_export(labelstudio.to_tasks(load_corpus("sample")[:1], predictions=True))
    with pytest.raises(CorpusError, match=r"it has predictions: `mining annotate pull --predictions` reads them"):
        labelstudio.from_tasks(tasks, file="export.json")
    assert labelstudio.from_tasks(tasks, file="export.json", unannotated="skip") == []


def test_a_model_version_that_matches_nothing_is_named_not_the_wrong_hint():
    tasks = labelstudio.to_tasks(load_corpus("sample")[:1], predictions=True, model_version="run-a")
    with pytest.raises(CorpusError, match=r"none of its predictions is of model version 'run-b'"):
        labelstudio.from_tasks(tasks, predictions=True, model_version="run-b")


def test_full_predictions_beside_annotations_read_as_a_partly_annotated_project():
    docs = load_corpus("sample")[:3]
    tasks = json.loads(json.dumps(labelstudio.to_tasks(docs, predictions=True, model_version="run")))
    tasks[1]["annotations"] = [{"id": 9, "result": [], "was_cancelled": False}]  # annotated: no unit found
    read = labelstudio.from_tasks(tasks, predictions=True)
    assert [d.id for d in read] == [d.id for d in docs]
    assert read[0] == docs[0] and read[2] == docs[2] and read[1].units == []
    only_annotated = labelstudio.from_tasks(tasks, unannotated="skip")
    assert [d.id for d in only_annotated] == [docs[1].id]


# --- 2. validate reads every format ---

@pytest.mark.parametrize("indent", [None, 2], ids=["one-line", "indented"])
def test_validate_reads_a_label_studio_export(tmp_path: Path, indent):
    docs = load_corpus("sample")[:3]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(labelstudio.to_tasks(docs), indent=indent, ensure_ascii=False), encoding="utf-8")
    done = mining("data", "validate", str(export))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"{export}: ok")


def test_validate_names_the_task_of_a_broken_label_studio_export(tmp_path: Path):
    tasks = labelstudio.to_tasks(load_corpus("sample")[:2])
    tasks[1]["id"] = 42
    tasks[1]["annotations"][0]["result"][0]["value"]["labels"] = ["thesis"]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, indent=2), encoding="utf-8")
    done = mining("data", "validate", str(export))
    assert done.returncode == 1
    assert f"{export} [task 42/region" in done.stdout and "unknown label 'thesis'" in done.stdout


def test_validate_reads_a_doccano_export(tmp_path: Path):
    export = tmp_path / "export.jsonl"
    doccano.save(load_corpus("sample")[:3], export)
    done = mining("data", "validate", str(export))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"{export}: ok")


# --- 3. a text the tool changed is refused ---

def mangled(text: str) -> str:
    """What doccano's "Auto" encoding made of a small UTF-8 upload: its bytes read as Windows-1252."""
    return text.encode("utf-8").decode("cp1252", errors="replace")


def test_doccano_text_read_in_another_encoding_is_refused():
    (record,) = doccano.to_records([emoji_doc()])
    assert record["mining"]["text_sha256"]
    record["text"] = mangled(record["text"])
    assert "ðŸ˜€" in record["text"]
    with pytest.raises(CorpusError) as e:
        doccano.from_records([record], file="export.jsonl")
    assert str(e.value).startswith("export.jsonl:1 [document emoji]: the text is not the one mining wrote")
    assert "mining.text_sha256" in str(e.value) and "UTF-8" in str(e.value)


def test_label_studio_text_changed_is_refused_too():
    (task,) = labelstudio.to_tasks([emoji_doc()])
    task["data"]["text"] = task["data"]["text"].replace("😀", ":)")
    with pytest.raises(CorpusError,
                       match=r"\[task #1\]: the text is not the one mining wrote .*data.mining.text_sha256"):
        labelstudio.from_tasks([task], file="export.json")


def test_the_unchanged_text_and_texts_we_did_not_write_still_read():
    (record,) = doccano.to_records([emoji_doc()])
    assert doccano.from_records([record]) == [emoji_doc()]
    del record["mining"]["text_sha256"]  # a file from before the fingerprint, or from another tool
    assert doccano.from_records([record]) == [emoji_doc()]
