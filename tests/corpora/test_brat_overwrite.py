"""brat.save with overwrite replaces the folder's documents as a set: no stale documents, nothing of the user's lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from mining.corpora import brat, load_corpus
from mining.errors import CorpusError
from mining.schema import Document
from tests.helpers import stage_of_a_killed_process, stage_of_another_process


@pytest.fixture
def docs() -> list[Document]:
    return load_corpus("sample")[:2]


@pytest.fixture
def stale_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ob"
    brat.save([Document(id="stale", text="An old document."), Document(id="older", text="Another.")], folder)
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_overwrite_leaves_exactly_the_written_documents(docs, stale_folder: Path):
    assert brat.save(docs, stale_folder, overwrite=True) == 2
    assert [d.to_dict() for d in brat.load(stale_folder)] == [d.to_dict() for d in docs]
    assert not list(stale_folder.glob("stale.*")) and not list(stale_folder.glob("older.*"))
    assert not list(stale_folder.glob(".staging-*")) and [p.name for p in stale_folder.parent.iterdir()] == ["ob"]


def test_brats_own_settings_stay_and_plain_texts_are_refused(docs, stale_folder: Path):
    (stale_folder / "visual.conf").write_text("[labels]\n", encoding="utf-8")
    brat.save(docs, stale_folder, overwrite=True)
    assert (stale_folder / "visual.conf").read_text(encoding="utf-8") == "[labels]\n"
    (stale_folder / "draft.txt").write_text("a text of my own, not annotated", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"draft\.txt"):
        brat.save(docs[:1], stale_folder, overwrite=True)
    assert (stale_folder / "draft.txt").is_file() and len(list(stale_folder.glob("*.ann"))) == 2


def test_a_folder_with_foreign_files_is_refused_and_untouched(docs, stale_folder: Path):
    (stale_folder / "notes.md").write_text("my notes", encoding="utf-8")
    before = _snapshot(stale_folder)
    with pytest.raises(CorpusError, match=r"notes\.md") as caught:
        brat.save(docs, stale_folder, overwrite=True)
    assert str(stale_folder) in str(caught.value)
    assert _snapshot(stale_folder) == before
    assert [p.name for p in stale_folder.parent.iterdir()] == ["ob"]


def test_a_write_that_fails_midway_leaves_the_old_folder(docs, stale_folder: Path, monkeypatch):
    before = _snapshot(stale_folder)
    real = brat._write_document
    calls = []

    def failing(doc, *args, **kwargs):
        calls.append(doc.id)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(brat, "_write_document", failing)
    with pytest.raises(OSError, match="disk full"):
        brat.save(docs, stale_folder, overwrite=True)
    assert len(calls) == 2
    assert _snapshot(stale_folder) == before
    assert [p.name for p in stale_folder.parent.iterdir()] == ["ob"]


def test_a_new_folder_that_fails_midway_is_not_created(docs, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(brat, "_write_document", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        brat.save(docs, tmp_path / "new")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("overwrite", [True, False])
def test_a_staging_folder_left_by_a_killed_write_goes_with_the_next_write(docs, stale_folder: Path, overwrite: bool):
    leftover = stage_of_a_killed_process(stale_folder, brat.STAGING)
    (leftover / "half.txt").write_text("half written", encoding="utf-8")
    brat.save(docs, stale_folder, overwrite=overwrite, conf=overwrite)  # without overwrite: beside "stale", "older"
    assert not leftover.exists() and len(brat.load(stale_folder)) == 2 + 2 * (not overwrite)


def test_the_staging_folder_of_a_write_at_work_stays(docs, stale_folder: Path):
    """Every .staging-* folder went with an overwrite: with a second write to the folder at work in another process,
    its files too, halfway."""
    running, writer = stage_of_another_process(stale_folder, brat.STAGING)
    try:
        (running / "half.txt").write_text("being written", encoding="utf-8")
        brat.save(docs, stale_folder, overwrite=True)
        assert (running / "half.txt").read_text(encoding="utf-8") == "being written"
    finally:
        writer.stdin.close()
        writer.wait()
        writer.stdout.close()


def test_a_document_whose_id_differs_only_in_case_is_not_kept_as_stale(tmp_path: Path):
    # On a file system that tells case apart, Case.* stayed beside the new case.*: two documents read back
    folder = tmp_path / "ob"
    brat.save([Document(id="Case", text="An old document.")], folder)
    new = [Document(id="case", text="The new document.")]
    brat.save(new, folder, overwrite=True)
    assert [d.to_dict() for d in brat.load(folder)] == [d.to_dict() for d in new]
