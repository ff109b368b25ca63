"""Read the Argument Annotated Essays corpus v2 (Stab & Gurevych 2017) from its brat release."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mining.corpora import brat
from mining.errors import CorpusError
from mining.schema import AUTHOR, Document

BRAT_FOLDER = "brat-project-final"
SPLIT_FILE = "train-test-split.csv"
PROMPT_FILE = "prompts.csv"


def load(path: str | Path) -> list[Document]:
    """Load all essays with the official split, prompts as topics, and paragraphs.

    ``path`` is the corpus folder holding ``brat-project-final/``, ``train-test-split.csv`` and
    ``prompts.csv``. The first line of each essay is its title; paragraphs are the lines after it.
    Every unit is held by the essay's ``author``.
    """
    path = Path(path)
    brat_dir = path / BRAT_FOLDER
    if not brat_dir.is_dir():
        raise CorpusError(f"expected the AAEC folder with {BRAT_FOLDER}/", file=path)
    splits = read_split(path / SPLIT_FILE)
    prompts = read_prompts(path / PROMPT_FILE)
    docs = brat.load(brat_dir)
    for doc in docs:
        if doc.id not in splits:
            raise CorpusError(f"essay {doc.id} has no row in {SPLIT_FILE}", file=path / SPLIT_FILE)
        doc.split = splits[doc.id]
        doc.topic = prompts.get(doc.id)
        title_end = doc.text.find("\n")
        doc.metadata = {"corpus": "aaec-v2", "title": doc.text[:title_end].strip()}
        doc.paragraphs = [p for p in doc.paragraphs if p[0] > title_end]
        for unit in doc.units:
            unit.holder = AUTHOR
    return docs


def _read_csv(path: Path, encoding: str) -> list[list[str]]:
    """Rows of a ``;``-separated, quoted CSV; the release uses old Mac ``\\r`` line ends."""
    if not path.exists():
        raise CorpusError("file is missing", file=path)
    raw = path.read_bytes().decode(encoding)
    # Normalise every line-end style so that csv sees one record per line.
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return [row for row in csv.reader(io.StringIO(text), delimiter=";", quotechar='"') if row]


def read_split(path: Path) -> dict[str, str]:
    """Map essay id to ``train``/``test`` from ``train-test-split.csv``."""
    rows = _read_csv(path, "utf-8")
    out = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or row[1] not in ("TRAIN", "TEST"):
            raise CorpusError(f"expected '\"essayNNN\";\"TRAIN|TEST\"', got {row!r}", file=path, line=lineno)
        out[row[0]] = row[1].lower()
    return out


def read_prompts(path: Path) -> dict[str, str]:
    """Map essay id to its prompt from ``prompts.csv`` (Latin-1 encoded in the release)."""
    rows = _read_csv(path, "latin-1")
    out = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) != 2:
            raise CorpusError(f"expected 'essayNNN.txt;PROMPT', got {len(row)} fields", file=path, line=lineno)
        out[row[0].removesuffix(".txt")] = row[1].strip()
    return out
