"""benchmarks/bench_peers.py end to end on the sample corpus, with the smallest settings (needs the `bench` extra)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import load_benchmark

pytest.importorskip("sklearn_crfsuite")


def load_script():
    return load_benchmark("bench_peers")


@pytest.mark.slow
def test_bench_peers_scores_every_system_on_the_sample(tmp_path: Path, capsys):
    bench = load_script()
    out = tmp_path / "peers.json"
    rows = bench.main(["--data", "sample", "--cache-dir", str(tmp_path / "cache"), "--crf-c1", "0.1", "--crf-c2", "0.1",
                       "--crf-folds", "2", "--svc-c", "1", "--spacy-max-epochs", "2", "--spacy-labels", "types",
                       "--out", str(out)])
    assert [(r.task, r.system.split()[0]) for r in rows] == [
        ("segmentation", "ours"), ("segmentation", "CRF"), ("segmentation", "spaCy"),
        ("components", "ours"), ("components", "TF-IDF"), ("components", "TF-IDF")]
    for row in rows:
        assert 0.0 <= row.quality["macro_f1"] <= 1.0 and row.fit_s > 0 and row.speed > 0
    assert "span_type_exact_f1" in rows[2].quality  # --spacy-labels types adds span+type F1
    assert rows[4].extra_s == 0.0 < rows[5].extra_s  # the unit's text needs no parse, its sentence does
    printed = capsys.readouterr().out
    assert "| segmentation | CRF (sklearn-crfsuite) |" in printed and "speed ratio" in printed
    saved = json.loads(out.read_text())
    assert [r["system"] for r in saved["rows"]] == [r.system for r in rows]
    assert saved["rows"][0]["quality"]["macro_f1"] == rows[0].quality["macro_f1"]


def test_bench_peers_refuses_to_overwrite_its_output(tmp_path: Path):
    bench = load_script()
    out = tmp_path / "peers.json"
    out.write_text("{}")
    with pytest.raises(SystemExit):
        bench.parse_args(["--data", "sample", "--out", str(out)])
    assert out.read_text() == "{}"
