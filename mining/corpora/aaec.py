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
    data = path.read_bytes()
    try:
        raw = data.decode(encoding)
    except UnicodeDecodeError as e:
        # the line counted as the rows are below, at any line end (the release ends its lines in "\r")
        line = data[:e.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        raise CorpusError(f"not valid {encoding.upper()}: byte {data[e.start]:#04x}; the release's {path.name} is "
                          f"{encoding.upper()}", file=path, line=line) from None
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
        _once(out, row[0], lineno, path)
        out[row[0]] = row[1].lower()
    return out


def _once(found: dict[str, str], essay: str, lineno: int, path: Path) -> None:
    """A CorpusError when ``essay`` has a row already: the second would replace the first without a word."""
    if essay in found:
        raise CorpusError(f"a second row for {essay} (the release has one per essay)", file=path, line=lineno)


def read_prompts(path: Path) -> dict[str, str]:
    """Map essay id to its prompt from ``prompts.csv`` (Latin-1 encoded in the release)."""
    rows = _read_csv(path, "latin-1")
    out = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) != 2:
            raise CorpusError(f"expected 'essayNNN.txt;PROMPT', got {len(row)} fields", file=path, line=lineno)
        _once(out, row[0].removesuffix(".txt"), lineno, path)
        out[row[0].removesuffix(".txt")] = row[1].strip()
    return out
