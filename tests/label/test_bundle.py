"""describe_bundle: the one line `mining label` prints about the model, from the run's meta.json."""

from __future__ import annotations

import json
from pathlib import Path

from mining.label.bundle import describe_bundle


def test_the_line_names_domain_and_training_data(tmp_path: Path):
    (tmp_path / "meta.json").write_text(json.dumps({
        "domain": "news", "data": {"name": "news", "documents": 32, "training_documents": 20}}))
    assert describe_bundle(tmp_path) == f"model: {tmp_path} (news, trained on news: 20 of 32 documents)"
    (tmp_path / "config.yaml").write_text("data:\n  name: news\n  sample_news: true\n")
    assert describe_bundle(tmp_path) == \
        f"model: {tmp_path} (news, trained on news and the sample's news reports: 20 of 32 documents)"


def test_older_runs_and_missing_records(tmp_path: Path):
    assert describe_bundle(tmp_path) is None  # loading the bundle says what is wrong
    (tmp_path / "meta.json").write_text(json.dumps({"data": {"name": "aaec", "documents": 402}}))
    assert describe_bundle(tmp_path) == f"model: {tmp_path} (domain not recorded, trained on aaec)"
