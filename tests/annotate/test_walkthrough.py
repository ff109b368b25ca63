"""The server walkthrough of docs/annotation.md runs as written against a real Label Studio.

Between push and pull an annotator works through Label Studio's API, as in its web interface: every
prediction accepted, one label corrected. What comes back is validated, merged, and trained on.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from mining.corpora import jsonl
from tests.annotate.annotators import LabelStudioAnnotator
from tests.helpers import run_mining
from tests.test_walkthrough import NEW_TEXTS, walkthrough_commands, write_new_texts

pytestmark = [pytest.mark.servers, pytest.mark.slow]


def annotate(annotator: LabelStudioAnnotator) -> dict[str, str]:
    """Accept every task's predictions, the first predicted unit relabelled; the relabelled unit by document."""
    changed = {}
    for doc_id in sorted(annotator.tasks):
        result = annotator.predicted(doc_id)
        regions = [r for r in result if r["type"] == "labels"]
        if regions and not changed:
            label = "claim" if regions[0]["value"]["labels"] != ["claim"] else "premise"
            regions[0]["value"]["labels"] = [label]
            changed[doc_id] = label
        annotator.submit(doc_id, result)
    assert changed, "the model predicted no unit in the new texts"
    return changed


def test_the_server_walkthrough_runs_as_written(labelstudio_server, tmp_path: Path, project_name):
    commands = walkthrough_commands("server-walkthrough")
    assert [c.split()[1:3] for c in commands if c.startswith("mining annotate")] == [
        ["annotate", "push"], ["annotate", "pull"]]
    write_new_texts(tmp_path)
    outputs = {}
    for command in commands:
        argv = shlex.split(command)[1:]
        if argv[0] == "annotate":
            argv[argv.index("--project") + 1] = project_name  # a project of this test's own
        if argv[:2] == ["annotate", "pull"]:  # step 2 happens in Label Studio
            changed = annotate(LabelStudioAnnotator(labelstudio_server, project_name))
        done = run_mining(*argv, cwd=tmp_path)
        assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"
        outputs[command] = done.stdout

    pulled = jsonl.load(tmp_path / "annotation/round-1.jsonl")
    assert sorted(d.id for d in pulled) == sorted(Path(n).stem for n in NEW_TEXTS)
    (doc_id, label), = changed.items()
    corrected = next(d for d in pulled if d.id == doc_id)
    assert corrected.units[0].label == label  # the correction came back, as the annotator's
    assert corrected.metadata["labelled_by"]["annotator"].startswith("labelstudio user ")
    assert corrected.metadata["labelled_by"]["units_corrected"] == 1 and "runs" in corrected.metadata["pre_labelled_by"]
    v1, v2 = jsonl.load(tmp_path / "data/v1.jsonl"), jsonl.load(tmp_path / "data/v2.jsonl")
    assert [d.id for d in v2] == [d.id for d in v1] + [d.id for d in pulled]
    assert all(d.split == "train" for d in v2[len(v1):])
    meta = json.loads((tmp_path / "runs/miner-v2/meta.json").read_text())
    assert meta["data"]["fingerprint"] == jsonl.fingerprint(v2)  # the miner was re-trained on v2
    compare = outputs[commands[-1]]
    assert "miner-v1" in compare and "miner-v2" in compare
    assert jsonl.fingerprint(v1)[:12] in compare and jsonl.fingerprint(v2)[:12] in compare  # what changed in the data
