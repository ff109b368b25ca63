"""The ``mining data`` commands, run as a user would, on the real corpora and on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_mining as mining


@pytest.mark.corpora
def test_stats_aaec_json(corpora: Path):
    result = mining("data", "stats", "aaec", "--path", str(corpora / "aaec-v2"), "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["documents"] == 402
    assert stats["units"] == {"major_claim": 751, "claim": 1506, "premise": 3832}
    assert stats["stance"] == {"for": 1228, "against": 278}
    assert stats["relations"] == {"support": 3613, "attack": 219}
    assert stats["splits"]["test"]["documents"] == 80
    assert stats["splits"]["test"]["units"] == 1266


@pytest.mark.corpora
def test_stats_microtexts_json(corpora: Path):
    result = mining("data", "stats", "microtexts", "--path", str(corpora / "arg-microtexts"), "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["documents"] == 112
    assert sum(stats["units"].values()) == 576
    assert stats["holders"] == {"proponent": 451, "opponent": 125}


def test_stats_sample_text():
    result = mining("data", "stats", "sample")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("documents")


@pytest.mark.parametrize("loader", ["jsonl", "custom"])
def test_stats_of_an_empty_file_counts_zero_and_says_so_on_stderr(tmp_path: Path, loader: str):
    """It printed "documents 0" and nothing else: an empty export read as a corpus went unremarked. The count
    is true, so stdout keeps it (still valid JSON) with exit 0; `data validate` and `mining run` are the ones
    that refuse it."""
    empty = tmp_path / "export.jsonl"
    empty.write_text("\n  \n", encoding="utf-8")
    result = mining("data", "stats", loader, "--path", str(empty), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["documents"] == 0
    assert result.stderr.strip() == f"warning: {empty}: the corpus holds no documents"


def test_convert_then_validate(tmp_path: Path):
    out = tmp_path / "brat"
    assert mining("data", "convert", "sample", "--to", "brat", "-o", str(out)).returncode == 0
    result = mining("data", "validate", str(out))
    assert result.returncode == 0 and result.stdout.strip() == f"{out}: ok"


def test_validate_reports_problems_without_traceback(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": \n', encoding="utf-8")
    result = mining("data", "validate", str(bad))
    assert result.returncode == 1
    assert f"{bad}:2: invalid JSON" in result.stdout
    strict = mining("data", "validate", str(bad), "--strict")
    assert strict.returncode == 2 and "Traceback" not in strict.stderr
    assert f"error: {bad}:2: invalid JSON" in strict.stderr


def test_missing_corpus_says_where_it_looked(tmp_path: Path):
    result = mining("data", "stats", "aaec", env={"MINING_CORPORA": str(tmp_path)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'aaec-v2'}: corpus 'aaec' not found ($MINING_CORPORA is {tmp_path})" in result.stderr
    assert "set MINING_CORPORA" in result.stderr
    result = mining("data", "stats", "jsonl")
    assert result.returncode == 2 and "needs a path: give --path" in result.stderr


def test_a_shipped_corpus_takes_no_path(tmp_path: Path):
    """`data stats sample --path X` read X and called it the sample."""
    other = tmp_path / "other.jsonl"
    other.write_text('{"id": "a", "text": "Cats are better pets."}\n', encoding="utf-8")
    for name in ("sample", "news"):
        result = mining("data", "stats", name, "--path", str(other))
        assert result.returncode == 2 and "Traceback" not in result.stderr and not result.stdout
        assert f"corpus {name!r} ships with the package and takes no --path; to read {other}" in result.stderr
    assert mining("data", "stats", "jsonl", "--path", str(other)).stdout.startswith("documents  1")


@pytest.mark.corpora
@pytest.mark.parametrize("command", [["data", "stats", "microtexts"],
                                     ["data", "convert", "microtexts", "--to", "jsonl", "-o", "OUT"]])
def test_every_command_finds_the_corpora_through_mining_corpora(command: list[str], corpora: Path, tmp_path: Path):
    command = [str(tmp_path / "out.jsonl") if c == "OUT" else c for c in command]
    result = mining(*command, env={"MINING_CORPORA": str(corpora)})
    assert result.returncode == 0, result.stderr
