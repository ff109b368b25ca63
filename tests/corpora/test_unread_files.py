"""A folder's reader names the files it would leave unread (one in a subfolder, a suffix in capitals) instead of
reading the rest and reporting success: a nested brat collection, ``part2.JSONL`` and ``notes.TXT`` dropped out
without a word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mining.corpora import brat, jsonl, load_corpus
from mining.corpora.custom import load as load_custom
from mining.dataset.validation import validate_path
from mining.errors import CorpusError
from mining.label.streams import iter_items


@pytest.fixture(scope="module")
def docs():
    return load_corpus("sample")[:4]


def _jsonl_folder(root: Path, docs) -> Path:
    folder = root / "jsonl"
    (folder / "sub").mkdir(parents=True)
    jsonl.save(docs[:2], folder / "a.jsonl")
    jsonl.save(docs[2:3], folder / "sub" / "b.jsonl")
    jsonl.save(docs[3:], folder / "c.JSONL")
    return folder


def _brat_folder(root: Path, docs) -> Path:
    folder = root / "brat"
    brat.save(docs[:2], folder)
    brat.save(docs[2:], folder / "collection2")
    return folder


def test_a_jsonl_folder_names_its_unread_files(tmp_path: Path, docs):
    folder = _jsonl_folder(tmp_path, docs)
    with pytest.raises(CorpusError, match=r"\.jsonl files the reader would leave unread: c\.JSONL, sub/b\.jsonl; "):
        load_custom(folder)
    problems = validate_path(folder, strict=False)
    assert [p.message.startswith(".jsonl files the reader would leave unread") for p in problems] == [True]
    (folder / "c.JSONL").unlink()
    shutil.rmtree(folder / "sub")
    assert [d.id for d in load_custom(folder)] == [d.id for d in docs[:2]]


def test_a_nested_brat_collection_is_named(tmp_path: Path, docs):
    folder = _brat_folder(tmp_path, docs)
    unread = ", ".join(f"collection2/{d.id}.ann" for d in docs[2:])
    with pytest.raises(CorpusError, match=f"\\.ann files the reader would leave unread: {unread}; "):
        brat.load(folder)
    with pytest.raises(CorpusError, match="leave unread"):
        validate_path(folder)
    assert [d.id for d in brat.load(folder / "collection2")] == [d.id for d in docs[2:]]


def test_hidden_folders_are_left_alone(tmp_path: Path, docs):
    """A hidden folder (``.git``, a writer's ``.staging-``) is no collection of the corpus."""
    folder = tmp_path / "jsonl"
    jsonl.save(docs, folder / "a.jsonl")
    jsonl.save(docs, folder / ".backup" / "a.JSONL")
    assert len(load_custom(folder)) == len(docs)


def test_label_names_texts_whose_suffix_is_in_capitals(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".cache").mkdir()
    for name in ("a.txt", "sub/b.txt", "c.TXT", "notes.md", ".cache/old.TXT", ".cache/a-checkpoint.txt"):
        (tmp_path / name).write_text("The mayor said the bridge is good.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"left unread, their suffix not in lower case: c\.TXT; rename"):
        list(iter_items([tmp_path]))
    (tmp_path / "c.TXT").unlink()
    # notes.md is no text of the folder's, and a hidden folder (a notebook's checkpoints) is not read
    assert [item.id for item in iter_items([tmp_path])] == ["a", "sub/b"]
