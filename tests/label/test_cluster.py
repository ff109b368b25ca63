"""Labelling on a real local Dask cluster: the same documents as the local path, and jobs that stop and resume.

One cluster of two worker processes serves the module (it starts in a few seconds; each worker loads
the sample bundle once). Failures are made on the workers themselves (``Client.run`` patches the
miner there), and one test kills a running `mining label --engine dask` process outright.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mining.corpora import jsonl
from mining.corpora.sample import sample_path
from mining.errors import CorpusError, OutputExistsError
from mining.label import shards
from mining.label.cluster import label_to_folder
from tests.helpers import run_mining as mining
from tests.helpers import run_mining_here

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

SHARD_CHARS = 4_000  # about four sample texts a shard: eleven shards
SAMPLE_PATH = sample_path()
FAILING = "news-03"  # the sample document the patched workers fail on


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=40) as cluster, distributed.Client(cluster) as connected:
        yield connected


@pytest.fixture(scope="module")
def straight(client, miner_run: Path, tmp_path_factory) -> Path:
    """The sample corpus labelled on the cluster without interruption."""
    out = tmp_path_factory.mktemp("straight") / "labels"
    report = label_to_folder(miner_run, [str(SAMPLE_PATH)], out, client=client, shard_chars=SHARD_CHARS)
    assert (report.labelled, report.resumed, report.failures) == (report.shards, 0, [])
    assert report.shards > 3 and len(report.workers) == 2
    assert all(w["peak_rss"] > 100 * 2**20 and w["cpu_seconds"] > 0 for w in report.workers.values())
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _fail_on(doc_id: str | None) -> None:
    """Run on each worker: from now on labelling a batch that holds ``doc_id`` raises (None: never again)."""
    from mining.label.miner import ArgumentMiner

    original = getattr(ArgumentMiner, "_unpatched_label", ArgumentMiner.label)
    ArgumentMiner._unpatched_label = original

    def label(self, texts, *, ids=None, **kwargs):
        texts = list(texts)
        given = ids if ids is not None else [getattr(t, "id", None) for t in texts]  # Documents carry their ids
        if doc_id is not None and doc_id in given:
            raise ValueError(f"cannot label {doc_id}")
        return original(self, texts, ids=ids, **kwargs)

    ArgumentMiner.label = label


@pytest.fixture
def failing(client):
    client.run(_fail_on, FAILING)
    yield
    client.run(_fail_on, None)


def test_cluster_labels_the_same_documents_as_the_local_path(straight: Path, miner_run: Path, tmp_path: Path):
    local = tmp_path / "local.jsonl"
    done = mining("label", str(SAMPLE_PATH), "--model", str(miner_run), "-o", str(local))
    assert done.returncode == 0, done.stderr
    parts = sorted(straight.glob("part-*.jsonl"))
    assert b"".join(p.read_bytes() for p in parts) == local.read_bytes()
    manifest = json.loads((straight / shards.MANIFEST).read_text())
    assert manifest["complete"] and manifest["input"]["documents"] == 45 and manifest["failures"] == []
    assert [s["file"] for s in manifest["shards"]] == [p.name for p in parts]
    assert manifest["model"]["run"] == str(miner_run) and len(manifest["model"]["sha256"]) == 64
    assert not (straight / shards.JOURNAL).exists()


def test_a_dataset_in_memory_is_labelled_the_same(client, straight: Path, miner_run: Path, tmp_path: Path):
    from datasets import Dataset

    rows = [{"id": doc.id, "text": doc.text, "topic": doc.topic} for doc in jsonl.load(SAMPLE_PATH)]
    out = tmp_path / "labels"
    report = label_to_folder(miner_run, Dataset.from_list(rows), out, client=client, shard_chars=SHARD_CHARS)
    assert report.documents == 45
    parts = {p.name: p.read_bytes() for p in out.glob("part-*.jsonl")}
    assert parts == {p.name: p.read_bytes() for p in straight.glob("part-*.jsonl")}
    manifest = json.loads((out / shards.MANIFEST).read_text())
    assert (manifest["input"]["fingerprint"]
            == json.loads((straight / shards.MANIFEST).read_text())["input"]["fingerprint"])


def test_a_stopped_job_resumes_to_the_same_bytes(client, straight: Path, miner_run: Path, tmp_path: Path, failing):
    out = tmp_path / "labels"
    with pytest.raises(CorpusError, match=rf"sample.jsonl:\d+ \[{FAILING}\]: labelling failed: ValueError"):
        label_to_folder(miner_run, [str(SAMPLE_PATH)], out, client=client, shard_chars=SHARD_CHARS)
    journal = shards.read_journal(out)
    assert journal and not json.loads((out / shards.MANIFEST).read_text())["complete"]
    client.run(_fail_on, None)
    report = label_to_folder(miner_run, [str(SAMPLE_PATH)], out, client=client, shard_chars=SHARD_CHARS)
    assert report.resumed == len(journal) and report.labelled == report.shards - len(journal)
    assert _files(out) == _files(straight)


def test_continue_leaves_the_failing_document_out_and_lists_it(client, miner_run: Path, tmp_path: Path, failing):
    out = tmp_path / "labels"
    report = label_to_folder(miner_run, [str(SAMPLE_PATH)], out, client=client, shard_chars=SHARD_CHARS,
                             on_error="continue")
    [failure] = report.failures
    assert failure["id"] == FAILING and failure["source"].startswith(f"{SAMPLE_PATH}:")
    assert failure["error"] == f"ValueError: cannot label {FAILING}"
    ids = [d.id for p in sorted(out.glob("part-*.jsonl")) for d in jsonl.load(p)]
    assert len(ids) == 44 and FAILING not in ids
    assert json.loads((out / shards.MANIFEST).read_text())["failures"] == [failure]


def test_labels_of_another_job_are_refused_unless_overwrite(client, straight: Path, miner_run: Path, tmp_path: Path):
    out = tmp_path / "labels"
    out.mkdir()
    for name, data in _files(straight).items():
        (out / name).write_bytes(data)
    with pytest.raises(OutputExistsError, match="other options"):  # another shard size: other shards
        label_to_folder(miner_run, [str(SAMPLE_PATH)], out, client=client, shard_chars=SHARD_CHARS * 2)
    one = tmp_path / "one.jsonl"
    one.write_bytes(SAMPLE_PATH.read_bytes().splitlines(keepends=True)[0])
    with pytest.raises(OutputExistsError, match="other input"):
        label_to_folder(miner_run, [str(one)], out, client=client, shard_chars=SHARD_CHARS)
    report = label_to_folder(miner_run, [str(one)], out, client=client, shard_chars=SHARD_CHARS, overwrite=True)
    assert report.shards == 1 and sorted(p.name for p in out.iterdir()) == ["manifest.json", "part-00000.jsonl"]


def test_a_killed_command_resumes_to_the_same_bytes(straight: Path, miner_run: Path, tmp_path: Path):
    """`mining label --engine dask` killed (SIGKILL, its local cluster too) after some shards, then run again."""
    out = tmp_path / "labels"
    argv = [sys.executable, "-m", "mining.cli", "label", str(SAMPLE_PATH), "--model", str(miner_run), "--engine",
            "dask", "--n-process", "1", "--shard-chars", str(SHARD_CHARS), "-o", str(out)]
    job = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    while len(shards.read_journal(out)) < 2 and job.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(job.pid, signal.SIGKILL)  # the command and the local cluster it started
    job.wait()
    killed_after = len(shards.read_journal(out))
    assert 2 <= killed_after < len(json.loads((out / shards.MANIFEST).read_text())["shards"]), job.stderr.read()
    done = subprocess.run(argv, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{killed_after} of them done before" in done.stderr
    assert _files(out) == _files(straight)


def test_the_command_refuses_what_the_engine_cannot_write(miner_run: Path, tmp_path: Path):
    # Both are refused before any cluster starts: in this process.
    done = run_mining_here(["label", str(SAMPLE_PATH), "--model", str(miner_run), "--engine", "dask", "--format",
                            "html", "-o", str(tmp_path / "x")])
    assert done.returncode == 2 and "writes JSONL shards into a folder" in done.stderr
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    done = run_mining_here(["label", str(SAMPLE_PATH), "--model", str(miner_run), "--engine", "dask",
                            "-o", str(tmp_path / "other")])
    assert done.returncode == 2 and "not empty and holds no manifest.json" in done.stderr


def test_a_repeated_id_is_refused_before_any_cluster_starts(miner_run: Path, tmp_path: Path):
    from datasets import Dataset

    twice = tmp_path / "twice.jsonl"
    twice.write_text('{"id": "a", "text": "One."}\n{"id": "a", "text": "Two."}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=re.escape(f"{twice}:2 [a]: duplicate document id 'a' (first in {twice}:1)")):
        label_to_folder(miner_run, [twice], tmp_path / "out")
    rows = Dataset.from_list([{"id": "a", "text": "One."}, {"id": "a", "text": "Two."}])
    with pytest.raises(CorpusError, match=r"<dataset .*>:1 \[a\]: duplicate document id 'a'"):
        label_to_folder(miner_run, rows, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_pipe_is_refused_before_any_cluster_starts(miner_run: Path, tmp_path: Path):
    """The engine reads its input twice (to plan the shards, then to send them): a pipe would be empty the second
    time (`<(command)`), or block for ever (a named FIFO)."""
    from mining.errors import UsageError

    fifo = tmp_path / "texts.fifo"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match=re.escape(f"{fifo}: labelling on a cluster reads its input twice")):
        label_to_folder(miner_run, [fifo], tmp_path / "out")
    assert not (tmp_path / "out").exists()
