"""The output folder of a labelling job: the plan, the journal, and what a folder is resumed from or refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mining.errors import OutputExistsError, RunRecordError
from mining.label import shards
from mining.label.streams import Item

ITEMS = [Item(f"d{i}", "word " * (i + 1), f"in.jsonl:{i + 1}") for i in range(10)]


def _job(items=ITEMS, shard_chars: int = 40) -> shards.Job:
    plan, fingerprint = shards.plan_shards(items, shard_chars)
    return shards.Job(sources=["in.jsonl"], fingerprint=fingerprint, shards=plan,
                      model={"run": "runs/m", "sha256": "0" * 64, "pipeline": "p 1"},
                      options={"shard_chars": shard_chars})


def test_the_plan_is_the_same_each_time_and_the_fingerprint_ignores_the_cut():
    job = _job()
    assert [s.documents for s in job.shards] == [4, 2, 2, 1, 1] and job.documents == 10
    assert [s.first for s in job.shards] == ["d0", "d4", "d6", "d8", "d9"]
    assert _job().shards == job.shards and _job(shard_chars=1000).fingerprint == job.fingerprint
    changed = ITEMS[:3] + [Item("d3", "WORD " * 4, "x")] + ITEMS[4:]  # as long: the cuts stay
    assert _job(changed).shards[0].input_sha256 != job.shards[0].input_sha256
    assert _job(changed).shards[1:] == job.shards[1:]


def test_a_folder_resumes_from_its_journal_and_ignores_a_line_cut_short(tmp_path: Path):
    job = _job()
    assert shards.open_output(tmp_path, job, overwrite=False) == {}
    for index in (0, 2):
        sha = shards.write_atomic(tmp_path / job.shards[index].file, f"shard {index}\n")
        shards.record_shard(tmp_path, index, sha, [])
    (tmp_path / job.shards[3].file).write_text("written, never recorded")
    with (tmp_path / shards.JOURNAL).open("a") as f:
        f.write('{"shard": 3, "output_')  # the kill came mid-line
    (tmp_path / ".part-00004.jsonl.tmp").write_text("half")
    assert sorted(shards.open_output(tmp_path, job, overwrite=False)) == [0, 2]
    (tmp_path / job.shards[2].file).write_text("changed since")
    assert sorted(shards.open_output(tmp_path, job, overwrite=False)) == [0]


def test_a_finished_folder_has_no_journal_and_no_temporary_files(tmp_path: Path):
    job = _job()
    shards.open_output(tmp_path, job, overwrite=False)
    done = {}
    for shard in job.shards:
        sha = shards.write_atomic(tmp_path / shard.file, shard.first + "\n")
        done[shard.index] = shards.record_shard(tmp_path, shard.index, sha, [])
    (tmp_path / ".part-00001.jsonl.tmp").write_text("left by a kill")
    shards.finish(tmp_path, job, done)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"] + [s.file for s in job.shards]
    manifest = json.loads((tmp_path / shards.MANIFEST).read_text())
    assert manifest["complete"] and manifest["input"]["documents"] == 10
    assert sorted(shards.open_output(tmp_path, job, overwrite=False)) == [0, 1, 2, 3, 4]  # nothing left to do


def test_other_labels_and_other_files_are_refused_unless_overwrite(tmp_path: Path):
    shards.open_output(tmp_path, _job(), overwrite=False)
    other_model = _job()
    other_model.model = {**other_model.model, "sha256": "1" * 64}
    with pytest.raises(OutputExistsError, match=r"manifest.json: these labels were made from another model"):
        shards.open_output(tmp_path, other_model, overwrite=False)
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / shards.MANIFEST).unlink()
    with pytest.raises(OutputExistsError, match="not empty and holds no manifest.json"):
        shards.open_output(tmp_path, _job(), overwrite=False)
    assert shards.open_output(tmp_path, other_model, overwrite=True) == {}
    assert (tmp_path / "notes.txt").read_text() == "mine"  # --overwrite removes only a job's own files


def test_a_cluster_job_never_writes_inside_an_input_folder(tmp_path: Path):
    """Its shards are .jsonl files: the same command again (to resume) read them as input and was refused as
    other input. A new folder inside the input was accepted; now it is refused before anything is written."""
    from mining.errors import CorpusError
    from mining.label.bundle import default_model
    from mining.label.cluster import label_to_folder

    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("The mayor said the bridge would help.", encoding="utf-8")
    for output in (texts / "labels", texts, texts / "deeper" / "labels"):
        with pytest.raises(CorpusError, match="the output is inside the input folder"):
            label_to_folder(default_model(), [texts], output)
    assert [p.name for p in texts.iterdir()] == ["a.txt"]


def _resumable(folder: Path) -> shards.Job:
    """A job stopped after shards 0 and 2: their files and journal lines are there."""
    job = _job()
    shards.open_output(folder, job, overwrite=False)
    for index in (0, 2):
        sha = shards.write_atomic(folder / job.shards[index].file, f"shard {index}\n")
        shards.record_shard(folder, index, sha, [])
    return job


@pytest.mark.parametrize("line, problem", [
    ('{"shard": 3, "output_', r"invalid JSON \(Unterminated string starting at\)"),  # not the last line: damage
    (b'{"shard": 3, "output_sha256": "\xff", "failures": []}', "not valid UTF-8: byte 0xff"),
    ("[3]", "expected a JSON object, got list"),
    ('{"output_sha256": "x", "failures": []}', r'no "shard"'),
    ('{"shard": "3", "output_sha256": "x", "failures": []}',
     r"\"shard\" must be a shard number \(0 or more\), got '3'"),
    ('{"shard": true, "output_sha256": "x", "failures": []}', '"shard" must be a shard number'),
    ('{"shard": -1, "output_sha256": "x", "failures": []}', '"shard" must be a shard number'),
    ('{"shard": 3, "failures": []}', '"output_sha256" must be a string, got None'),
    ('{"shard": 3, "output_sha256": "x", "failures": {}}', '"failures" must be a list, got dict'),
    ('{"shard": 3, "output_sha256": "x", "failures": [{"id": "d1"}]}', 'each of "failures" must be an object'),
    ('{"shard": 3, "output_sha256": "x", "failures": [{"id": "\\ud800", "source": "s", "error": "e"}]}',
     'invalid JSON \\("failures\\[0\\].id" holds a lone surrogate'),
], ids=["bad-json", "not-utf8", "not-an-object", "no-shard", "shard-text", "shard-bool", "shard-negative", "no-sha",
        "failures-object", "failure-shape", "lone-surrogate"])
def test_a_damaged_journal_is_one_error_naming_its_line_and_changes_nothing(tmp_path: Path, line, problem):
    """A line that parsed with another shape, or bad bytes, gave a traceback (KeyError, TypeError,
    UnicodeDecodeError); bad JSON before the last line was skipped as if a kill had cut it."""
    job = _resumable(tmp_path)
    journal = tmp_path / shards.JOURNAL
    good = journal.read_bytes().splitlines(keepends=True)
    raw = line if isinstance(line, bytes) else line.encode("utf-8")
    journal.write_bytes(good[0] + raw + b"\n" + good[1])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(RunRecordError, match=re.escape(f"{journal}:2: damaged journal: ") + problem
                       + ".*pass --overwrite to label again from the start, or choose a new folder$"):
        shards.open_output(tmp_path, job, overwrite=False)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert sorted(shards.open_output(tmp_path, job, overwrite=True)) == []


@pytest.mark.parametrize("cut", ['{"shard": 3, "output_',
                                 b'{"shard": 3, "output_sha256": "x", "failures": [{"id": "\xc3'],
                         ids=["mid-line", "mid-character"])
def test_a_last_line_cut_short_is_labelled_again_and_the_next_entry_starts_its_own_line(tmp_path: Path, cut):
    """The next entry ran on into the cut-short line, so a second stop lost it (and a cut inside a character
    gave a UnicodeDecodeError)."""
    job = _resumable(tmp_path)
    with (tmp_path / shards.JOURNAL).open("ab") as f:
        f.write(cut if isinstance(cut, bytes) else cut.encode("utf-8"))  # the kill came mid-line
    assert sorted(shards.open_output(tmp_path, job, overwrite=False)) == [0, 2]
    sha = shards.write_atomic(tmp_path / job.shards[3].file, "shard 3\n")
    shards.record_shard(tmp_path, 3, sha, [])
    assert sorted(shards.open_output(tmp_path, job, overwrite=False)) == [0, 2, 3]  # stopped again, and resumed


def test_a_whole_last_entry_without_its_line_end_stays_recorded_after_a_second_stop(tmp_path: Path):
    """A kill between an entry and its line end left a whole entry: read_journal counted the shard done, then the
    end-of-journal repair cut the entry away, so after a second stop the shard was labelled again."""
    job = _resumable(tmp_path)
    sha = shards.write_atomic(tmp_path / job.shards[3].file, "shard 3\n")
    journal = tmp_path / shards.JOURNAL
    with journal.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"shard": 3, "output_sha256": sha, "failures": []}))  # the kill came before the "\n"
    assert sorted(shards.open_output(tmp_path, job, overwrite=False)) == [0, 2, 3]
    assert journal.read_bytes().endswith(b"\n")
    sha = shards.write_atomic(tmp_path / job.shards[4].file, "shard 4\n")
    shards.record_shard(tmp_path, 4, sha, [])
    assert sorted(shards.open_output(tmp_path, job, overwrite=False)) == [0, 2, 3, 4]  # stopped again, and resumed


@pytest.mark.parametrize("change, problem", [
    (lambda m: m.update(input=[]), '"input" must be an object whose "fingerprint" is a string'),
    (lambda m: m["model"].pop("run"), '"model" must be an object whose "run" and "sha256" are strings'),
    (lambda m: m.pop("complete"), '"complete" must be true or false'),
    (lambda m: m.update(shards=[1]), '"shards" must be a list of objects'),
    (lambda m: m.update(failures=[{"shard": 0}]), 'each of "failures" must be an object'),
], ids=["input", "model", "complete", "shards", "failures"])
def test_a_manifest_of_another_shape_is_one_error_naming_it(tmp_path: Path, change, problem):
    """A manifest of the right format but another shape gave a KeyError or TypeError, or (no "complete") was
    resumed as an unfinished job."""
    job = _job()
    shards.open_output(tmp_path, job, overwrite=False)
    path = tmp_path / shards.MANIFEST
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))
    with pytest.raises(RunRecordError, match=re.escape(f"{path}: not a readable manifest (") + problem):
        shards.open_output(tmp_path, job, overwrite=False)
    assert json.loads(path.read_text()) == manifest
