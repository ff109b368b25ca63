"""Writing a file whole or not at all (mining/files.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mining.files import atomic_writer, write_text_atomic


def test_a_file_is_replaced_only_when_its_writing_ends(tmp_path: Path):
    path = tmp_path / "out" / "labels.jsonl"
    write_text_atomic(path, "first\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(ValueError, match="a bad document"):
        with atomic_writer(path) as f:
            f.write("half of the second\n")
            raise ValueError("a bad document")
    assert path.read_text(encoding="utf-8") == "first\n"  # the old file, whole
    assert [p.name for p in path.parent.iterdir()] == ["labels.jsonl"]  # no temporary file left
    write_text_atomic(path, "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"
