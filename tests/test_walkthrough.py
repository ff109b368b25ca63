"""The dataset-extension walkthrough of docs/annotation.md runs as written, on the sample corpus."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from mining.corpora import jsonl
from mining.dataset.merge import read_changelog
from tests.helpers import run_mining

pytestmark = pytest.mark.slow

WALKTHROUGH = Path(__file__).resolve().parents[1] / "docs" / "annotation.md"
# Original texts written for this test: the "new texts" a user brings.
NEW_TEXTS = {
    "ferry.txt": "Harbour master Jonas Lind said that the night ferry should keep running. "
                 "\"Nurses and bakers travel on it every night,\" he told the council.\n",
    "library.txt": "Libraries should open on Sundays. Families have more free time at the weekend, "
                   "and quiet rooms help students who share small flats.\n",
}


def write_new_texts(folder: Path) -> None:
    """The walkthrough's ``new-texts/`` folder in ``folder``: the texts a user brings."""
    (folder / "new-texts").mkdir()
    for name, text in NEW_TEXTS.items():
        (folder / "new-texts" / name).write_text(text, encoding="utf-8")


def walkthrough_commands(name: str = "walkthrough") -> list[str]:
    """The ``mining`` commands of the block between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->``."""
    text = WALKTHROUGH.read_text(encoding="utf-8")
    block = text.split(f"<!-- {name}:begin -->")[1].split(f"<!-- {name}:end -->")[0]
    lines = re.sub(r"\\\n\s*", " ", block).splitlines()
    return [line.strip() for line in lines if line.strip().startswith("mining ")]


def simulate_label_studio(tasks_path: Path, export_path: Path) -> None:
    """What an annotator's session gives: each prediction accepted as an annotation, one label corrected."""
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    regions = [r for task in tasks for r in task["predictions"][0]["result"] if r["type"] == "labels"]
    assert regions, "the model predicted no unit in the new texts"
    regions[0]["value"]["labels"] = ["claim" if regions[0]["value"]["labels"] != ["claim"] else "premise"]
    for i, task in enumerate(tasks):
        result = task.pop("predictions")[0]["result"]
        task["id"] = i + 1
        task["annotations"] = [{"id": i + 1, "result": result, "was_cancelled": False}]
    export_path.write_text(json.dumps(tasks), encoding="utf-8")


def test_readme_walkthrough_runs_as_written(tmp_path: Path):
    commands = walkthrough_commands()
    assert len(commands) >= 9 and commands[0].startswith("mining data convert sample")
    write_new_texts(tmp_path)
    outputs = {}
    for command in commands:
        if "annotation/export.json" in command:  # step 2 happens in Label Studio
            simulate_label_studio(tmp_path / "annotation/tasks.json", tmp_path / "annotation/export.json")
        # In tmp_path, with MINING_HOME=tmp_path and nlp.progress=false for `run`.
        done = run_mining(*shlex.split(command)[1:], cwd=tmp_path)
        assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"
        outputs[command] = done.stdout

    rank = next(out for cmd, out in outputs.items() if " rank " in cmd)
    assert {"ferry", "library"} <= set(rank.split())
    v1, v2 = jsonl.load(tmp_path / "data/v1.jsonl"), jsonl.load(tmp_path / "data/v2.jsonl")
    assert len(v2) == len(v1) + len(NEW_TEXTS)
    added = {d.id: d for d in v2 if d.id in ("ferry", "library")}
    assert set(added) == {"ferry", "library"} and all(d.split == "train" for d in added.values())
    # the label the annotator changed is theirs now, the rest stays the model's (docs/annotation.md,
    # "Who labelled what")
    records = [d.metadata["labelled_by"] for d in added.values()]
    assert sum(r["units_corrected"] for r in records) == 1 and {r["annotator"] for r in records} == {"human"}
    assert all("runs" in d.metadata["pre_labelled_by"] for d in added.values())
    (entry,) = read_changelog(tmp_path / "data/v2.jsonl")
    assert entry["annotated"] == {"documents": 2, "units_corrected": 1, "units_added": 0, "units_removed": 0,
                                  "unreviewed": 0}
    assert entry["fingerprint"] == jsonl.fingerprint(v2) and entry["previous_fingerprint"] == jsonl.fingerprint(v1)
    for version, docs in (("v1", v1), ("v2", v2)):
        meta = json.loads((tmp_path / f"runs/miner-{version}/meta.json").read_text())
        assert meta["choices"]["experiment"] == "miner" and meta["data"]["fingerprint"] == jsonl.fingerprint(docs)
    # compare shows what changed in the data: each run's fingerprint and document counts, which differ
    compare = outputs[commands[-1]]
    assert commands[-1] == "mining compare runs/miner-v1 runs/miner-v2", commands[-1]
    header, *rows = [line for line in compare.splitlines() if line.strip() and not set(line) <= set("-| ")]
    assert "data fingerprint" in header and "documents" in header, compare
    for version, docs in (("v1", v1), ("v2", v2)):
        (row,) = [row for row in rows if jsonl.fingerprint(docs)[:12] in row]
        assert re.search(rf"(^|\s|\|){len(docs)}(\s|\||$)", row), (version, row)
