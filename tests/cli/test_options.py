"""Options are spelled one way everywhere, and the other common spelling is an alias."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_mining as mining


@pytest.mark.parametrize("spelling", ["labelstudio", "label-studio"])
def test_convert_takes_both_spellings_of_label_studio(tmp_path: Path, spelling: str):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "d1", "text": "Cats are better pets."}) + "\n", encoding="utf-8")
    out = tmp_path / "tasks.json"
    done = mining("data", "convert", "jsonl", "--path", str(source), "--to", spelling, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))[0]["data"]["text"] == "Cats are better pets."


def test_preannotate_lists_the_same_spelling_as_convert():
    for command in (["data", "convert", "--help"], ["data", "preannotate", "--help"]):
        done = mining(*command)
        assert done.returncode == 0 and "labelstudio" in done.stdout
