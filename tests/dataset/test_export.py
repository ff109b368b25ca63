"""`mining data export`: a Hugging Face dataset folder that reloads to the same documents, with a dataset card."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
import yaml
from datasets import load_from_disk

from mining.corpora import hf, jsonl, load_corpus
from mining.dataset.export import export_hf
from mining.errors import CorpusError
from tests.helpers import run_mining as mining


def _front_matter(card: str) -> dict:
    assert card.startswith("---\n")
    return yaml.safe_load(card.split("---\n")[1])


def test_export_sample_reloads_identically_with_a_card(tmp_path: Path):
    out = tmp_path / "sample-hf"
    done = mining("data", "export", "sample", "-o", str(out), "--format", "hf")
    assert done.returncode == 0, done.stderr
    sample = load_corpus("sample")
    dataset = load_from_disk(str(out))
    assert dataset.features == hf.FEATURES
    assert hf.from_dataset(dataset) == sample
    assert load_corpus("custom", out) == sample  # detected as hf
    card = (out / "README.md").read_text(encoding="utf-8")
    front = _front_matter(card)
    assert front["license"] == "mit"  # the sample was written for the project, under its licence
    assert front["language"] == ["en"] and "token-classification" in front["task_categories"]
    assert [f["name"] for f in front["dataset_info"]["features"]] == list(hf.FEATURES)
    assert f"- documents: {len(sample)}" in card
    assert jsonl.fingerprint(sample) in card
    for section in ("## Schema", "load_from_disk", "hf.from_dataset", "push_to_hub"):
        assert section in card


def test_user_data_gets_an_unknown_licence_unless_given(tmp_path: Path):
    data = tmp_path / "mine.jsonl"
    jsonl.save(load_corpus("sample")[:2], data)
    out = tmp_path / "out"
    done = mining("data", "export", "custom", "--path", str(data), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert _front_matter((out / "README.md").read_text())["license"] == "unknown"
    done = mining("data", "export", "jsonl", "--path", str(data), "-o", str(out), "--license", "cc-by-4.0")
    assert done.returncode == 2 and "exists" in done.stderr  # never overwritten silently
    done = mining("data", "export", "jsonl", "--path", str(data), "-o", str(out), "--license", "cc-by-4.0",
                  "--overwrite")
    assert done.returncode == 0, done.stderr
    assert _front_matter((out / "README.md").read_text())["license"] == "cc-by-4.0"
    assert hf.load(out) == load_corpus("sample")[:2]


def test_export_leaves_no_staging_folder(tmp_path: Path):
    export_hf(load_corpus("sample")[:1], tmp_path / "one", name="sample", license="mit")
    assert [p.name for p in tmp_path.iterdir()] == ["one"]
    with pytest.raises(FileExistsError):
        export_hf(load_corpus("sample")[:1], tmp_path / "one", name="sample", license="mit")


def test_export_never_writes_onto_its_input(tmp_path: Path):
    data = tmp_path / "mine.jsonl"
    jsonl.save(load_corpus("sample")[:1], data)
    done = mining("data", "export", "jsonl", "--path", str(data), "-o", str(data), "--overwrite")
    assert done.returncode == 2 and "the output is the input" in done.stderr, done.stderr
    assert jsonl.load(data) == load_corpus("sample")[:1]


def test_overwrite_never_removes_a_folder_that_holds_more_than_a_dataset(tmp_path: Path):
    # --overwrite once emptied such a folder with rmtree: `-o .` from a project folder deleted the project
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "code.py").write_text("precious\n")
    done = mining("data", "export", "sample", "-o", str(project), "--overwrite")
    assert done.returncode == 2, done.stderr
    assert "will not replace the folder: it holds 'src'" in done.stderr
    assert (project / "src" / "code.py").read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]  # no staging folder left



class _Terminal(io.StringIO):
    """A stderr that is a terminal, as a person's is."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command", [["convert", "jsonl", "--path", "{data}", "--to", "hf"],
                                     ["export", "jsonl", "--path", "{data}", "--format", "hf"]])
@pytest.mark.parametrize("terminal", [True, False])
def test_datasets_bars_show_on_a_terminal_only(tmp_path: Path, command: list[str], terminal: bool):
    """The command decides, for the process; the switch is as it was afterwards (hf.save leaves it alone)."""
    import datasets

    from mining.cli import main

    if datasets.are_progress_bars_disabled():
        pytest.skip("datasets' progress bars are off in this environment (HF_DATASETS_DISABLE_PROGRESS_BARS)")
    data = tmp_path / "in.jsonl"
    jsonl.save(load_corpus("sample")[:1], data)
    err = _Terminal() if terminal else io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["data", *(a.format(data=data) for a in command), "-o", str(tmp_path / "out")]) == 0
    assert ("Saving the dataset" in err.getvalue()) == terminal, err.getvalue()
    assert not datasets.are_progress_bars_disabled()


def test_overwrite_refuses_the_current_folder(tmp_path: Path, monkeypatch):
    export_hf(load_corpus("sample")[:1], tmp_path, name="sample", license="mit")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CorpusError, match="will not replace the current folder"):
        export_hf(load_corpus("sample")[:2], Path("."), name="sample", license="mit", overwrite=True)
    assert hf.load(tmp_path) == load_corpus("sample")[:1]


def test_convert_to_hf_replaces_a_dataset_whole_and_nothing_else(tmp_path: Path):
    data, out = tmp_path / "in.jsonl", tmp_path / "out"
    jsonl.save(load_corpus("sample")[:3], data)
    done = mining("data", "convert", "jsonl", "--path", str(data), "--to", "hf", "-o", str(out))
    assert done.returncode == 0 and "Saving the dataset" not in done.stderr, done.stderr  # no bars into a pipe
    (out / "notes.txt").write_text("mine\n")
    done = mining("data", "convert", "jsonl", "--path", str(data), "--to", "hf", "-o", str(out), "--overwrite")
    assert done.returncode == 2 and "it holds 'notes.txt'" in done.stderr, done.stderr
    (out / "notes.txt").unlink()
    jsonl.save(load_corpus("sample")[:1], data)
    done = mining("data", "convert", "jsonl", "--path", str(data), "--to", "hf", "-o", str(out), "--overwrite")
    assert done.returncode == 0, done.stderr
    assert hf.load(out) == load_corpus("sample")[:1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out"]


def test_an_empty_current_folder_is_not_replaced_either(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CorpusError, match="will not replace the current folder"):
        hf.save(load_corpus("sample")[:1], ".")
    assert tmp_path.is_dir() and list(tmp_path.iterdir()) == []


def test_a_save_interrupted_between_its_renames_keeps_the_dataset_it_replaces(tmp_path: Path, monkeypatch):
    """Ctrl-C (or SIGTERM, raised as an interruption) after the old folder was moved aside: it is moved back."""
    import os

    out = tmp_path / "out"
    hf.save(load_corpus("sample")[:1], out)
    renames = []

    def interrupted_second_rename(src, dst):
        renames.append((Path(src).name, Path(dst).name))
        if len(renames) == 2:
            assert renames == [("out", "old"), ("dataset", "out")]  # save's own two renames, the second one stopped
            raise KeyboardInterrupt
        return real_replace(src, dst)

    real_replace = os.replace
    monkeypatch.setattr(hf.os, "replace", interrupted_second_rename)
    with pytest.raises(KeyboardInterrupt):
        hf.save(load_corpus("sample")[:2], out, overwrite=True)
    monkeypatch.setattr(hf.os, "replace", real_replace)
    assert hf.load(out) == load_corpus("sample")[:1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_save_killed_between_its_renames_is_named_by_the_next_one(tmp_path: Path):
    out = tmp_path / "out"
    hf.save(load_corpus("sample")[:1], out)
    other = tmp_path / ".staging-out.v2.abcd1234"  # another dataset's (out.v2), killed too: not this one's
    (other / "old").mkdir(parents=True)
    stage = tmp_path / ".staging-out.killed_x"
    stage.mkdir()
    out.rename(stage / "old")  # what a kill between the renames leaves
    with pytest.raises(CorpusError, match=r"left the folder it replaced in .*\.staging-out\.killed_x/old: move it"):
        hf.save(load_corpus("sample")[:2], out)
    assert hf.load(stage / "old") == load_corpus("sample")[:1] and not out.exists()
    (stage / "old").rename(out)
    hf.save(load_corpus("sample")[:2], out, overwrite=True)  # out.v2's leftover is neither in the way nor removed
    assert hf.load(out) == load_corpus("sample")[:2] and (other / "old").is_dir()


def test_a_save_at_work_between_its_renames_is_named_as_such(tmp_path: Path):
    """It was taken for a killed one ("move it back"), and the user told to move a live save's folder."""
    from tests.helpers import stage_of_another_process

    out = tmp_path / "out"
    hf.save(load_corpus("sample")[:1], out)
    stage, writer = stage_of_another_process(tmp_path, ".staging-out.")
    try:
        out.rename(stage / "old")  # where the other save stands for an instant
        with pytest.raises(CorpusError, match=r"another save of it is at work \(its staging folder .*\): wait"):
            hf.save(load_corpus("sample")[:2], out)
        assert hf.load(stage / "old") == load_corpus("sample")[:1]
    finally:
        writer.stdin.close()
        writer.wait()
        writer.stdout.close()
    with pytest.raises(CorpusError, match=r"left the folder it replaced in .*/old: move it back"):
        hf.save(load_corpus("sample")[:2], out)  # its writer ended without renaming: a killed save's
