"""benchmarks/segmentation_errors.py: each gold unit falls in one kind of error, and a run's predictions are read."""

from __future__ import annotations

import json

import pytest

from tests.helpers import load_benchmark


@pytest.fixture(scope="module")
def script():
    return load_benchmark("segmentation_errors")


TEXT = "We agree that cars pollute, because fumes rise. Bikes are clean and cheap. Trains are fast. Walk."
#       0         1         2         3         4         5         6         7         8         9
#       0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456


def test_each_gold_unit_gets_one_kind(script):
    gold = [(14, 26), (36, 46), (48, 73), (75, 90)]
    predicted = [(3, 26),    # starts 2 tokens early ("agree that")
                 (36, 47),   # ends 1 token late (the full stop)
                 (48, 58), (63, 73),  # one unit in two
                 (92, 96)]   # no gold unit there
    counts = script.classify(TEXT, gold, predicted)
    assert counts["start"] == 1 and counts["start offset -2"] == 1
    assert counts["end"] == 1 and counts["end offset +1"] == 1
    assert counts["split"] == 1 and counts["missed"] == 1 and counts["spurious"] == 1
    assert counts["exact"] == 0 and (counts["gold"], counts["predicted"]) == (4, 5)
    merged = script.classify(TEXT, gold, [(14, 46), (48, 73)])
    assert (merged["merged"], merged["exact"], merged["missed"]) == (2, 1, 1)


def test_a_run_directory_is_read_and_a_wrong_one_named(script, tmp_path, capsys):
    doc = {"id": "d1", "text": TEXT, "units": [{"start": 14, "end": 26}],
           "metadata": {"gold_units": [{"start": 14, "end": 26}, {"start": 75, "end": 90}]}}
    (tmp_path / "predictions.jsonl").write_text(json.dumps(doc) + "\n")
    assert script.main([str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["exact"], out["missed"], out["gold"]) == (1, 1, 2)
    doc["metadata"] = {}
    (tmp_path / "predictions.jsonl").write_text(json.dumps(doc) + "\n")
    with pytest.raises(SystemExit, match="line 1: document 'd1'"):
        script.main([str(tmp_path)])
