"""The embedded news corpus: original wire-style reports annotated with claims, premises, holders and speech."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mining.corpora import jsonl
from mining.schema import Document


def news_path() -> Path:
    return Path(str(resources.files("mining.corpora") / "data" / "news.jsonl"))


def load(path: str | Path | None = None) -> list[Document]:
    """Load the news evaluation corpus shipped with the package (``path`` overrides it, for tests).

    32 reports written for the project (fictional parties), annotated by docs/news-guideline.md;
    documents 01-20 are ``train``, 21-32 ``test``.
    """
    return jsonl.load(path or news_path())
