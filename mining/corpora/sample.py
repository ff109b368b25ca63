"""The embedded sample corpus: original essays and news reports written for this project (a demo, not a benchmark)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mining.corpora import jsonl
from mining.schema import Document


def sample_path() -> Path:
    return Path(str(resources.files("mining.corpora") / "data" / "sample.jsonl"))


def load(path: str | Path | None = None) -> list[Document]:
    """Load the sample corpus shipped with the package (``path`` overrides it, for tests)."""
    return jsonl.load(path or sample_path())
