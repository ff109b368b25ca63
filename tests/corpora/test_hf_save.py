"""hf.save's staging folders: half a dataset that a save killed before its renames left goes with the next save of the
same output; a save's at work, the user's old dataset and another output's stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from mining.corpora import hf, load_corpus
from tests.helpers import stage_of_a_killed_process, stage_of_another_process

STAGE = ".staging-out."  # the prefix of a save of tmp_path/out


def _half_written(stage: Path) -> Path:
    (stage / "dataset").mkdir()
    (stage / "dataset" / "data-00000-of-00001.arrow").write_bytes(b"half of a dataset")
    return stage


@pytest.mark.parametrize("replacing", [False, True])
def test_half_a_dataset_left_by_a_killed_save_goes_with_the_next_save(tmp_path: Path, replacing: bool):
    """It stayed for good: one more copy of the data beside the output for every save killed while writing."""
    out = tmp_path / "out"
    if replacing:
        hf.save(load_corpus("sample")[:1], out)
    killed = _half_written(stage_of_a_killed_process(tmp_path, STAGE))
    hf.save(load_corpus("sample")[:2], out, overwrite=replacing)
    assert not killed.exists() and hf.load(out) == load_corpus("sample")[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_save_leaves_every_staging_folder_that_is_no_dead_saves_half_dataset(tmp_path: Path):
    out = tmp_path / "out"
    hf.save(load_corpus("sample")[:1], out)
    running, writer = stage_of_another_process(tmp_path, STAGE)  # a second save of out, at work in another process
    try:
        kept = {"running": _half_written(running),
                "another output's (out.v2)": _half_written(stage_of_a_killed_process(tmp_path, ".staging-out.v2.")),
                "holding the old dataset": stage_of_a_killed_process(tmp_path, STAGE)}
        (kept["holding the old dataset"] / "old").mkdir()  # a kill after both renames, before the clean-up
        hf.save(load_corpus("sample")[:2], out, overwrite=True)
        assert [name for name, stage in kept.items() if not stage.exists()] == []
        assert (running / "dataset").is_dir() and hf.load(out) == load_corpus("sample")[:2]
    finally:
        writer.stdin.close()
        writer.wait()
        writer.stdout.close()


def test_save_leaves_the_progress_bars_to_its_caller(tmp_path: Path, capfd: pytest.CaptureFixture):
    """hf.save switched datasets' bars off for the whole process while stderr was no terminal (as it is here): a
    library's call to make no more, the command's (mining.cli.data)."""
    import datasets

    if datasets.are_progress_bars_disabled():
        pytest.skip("datasets' progress bars are off in this environment (HF_DATASETS_DISABLE_PROGRESS_BARS)")
    hf.save(load_corpus("sample")[:1], tmp_path / "shown")
    assert "Saving the dataset" in capfd.readouterr().err
    datasets.disable_progress_bars()
    try:
        hf.save(load_corpus("sample")[:1], tmp_path / "hidden")
    finally:
        datasets.enable_progress_bars()
    assert "Saving the dataset" not in capfd.readouterr().err
