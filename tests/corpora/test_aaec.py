"""AAEC v2 on the real corpus: the published counts, and lossless round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from mining.corpora import aaec, brat, hf, jsonl
from mining.dataset.stats import corpus_stats
from mining.dataset.validation import validate_documents


@pytest.fixture(scope="module")
def essays(corpora: Path):
    return aaec.load(corpora / "aaec-v2")


def test_published_counts(essays):
    stats = corpus_stats(essays)
    assert stats["documents"] == 402
    assert stats["units"] == {"claim": 1506, "major_claim": 751, "premise": 3832}
    assert stats["stance"] == {"for": 1228, "against": 278}
    assert stats["relations"] == {"attack": 219, "support": 3613}
    assert stats["holders"] == {"author": 6089}
    assert stats["splits"]["train"]["documents"] == 322
    assert stats["splits"]["test"] == {"documents": 80, "units": 1266,
                                       "labels": {"claim": 304, "major_claim": 153, "premise": 809}}


def test_prompts_titles_and_paragraphs(essays):
    assert all(d.topic for d in essays)
    assert all(d.metadata["title"] and "\n" not in d.metadata["title"] for d in essays)
    assert all(4 <= len(d.paragraphs) <= 7 for d in essays)
    # every unit lies inside a paragraph, never in the title line
    assert all(d.paragraph_index(u.start) >= 0 for d in essays for u in d.units)
    assert validate_documents(essays, strict=False) == []


def test_round_trip_jsonl(essays, tmp_path: Path):
    jsonl.save(essays, tmp_path / "aaec.jsonl")
    assert [d.to_dict() for d in jsonl.load(tmp_path / "aaec.jsonl")] == [d.to_dict() for d in essays]


def test_round_trip_brat(essays, tmp_path: Path):
    brat.save(essays, tmp_path)
    assert [d.to_dict() for d in brat.load(tmp_path)] == [d.to_dict() for d in essays]


def test_round_trip_datasets(essays, tmp_path: Path):
    dataset = hf.to_dataset(essays)
    assert dataset.features["units"].feature["label"].names == ["major_claim", "claim", "premise"]
    assert [d.to_dict() for d in hf.from_dataset(dataset)] == [d.to_dict() for d in essays]
    dataset.save_to_disk(str(tmp_path / "hf"))
    assert [d.to_dict() for d in hf.load(tmp_path / "hf")] == [d.to_dict() for d in essays]
