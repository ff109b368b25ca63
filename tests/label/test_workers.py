"""The worker processes of `mining label --n-process N`: they end with the command, however it ends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mining.corpora.sample import sample_path


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie is not: it has ended, and waits only to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow  # two workers load the model: about 10 s
def test_pool_workers_end_when_the_command_is_killed(tmp_path: Path):
    """SIGKILL (or the OOM killer) gives the command no chance to stop its pool: the workers, each holding a
    model, waited on their task queue for ever. Now each ends within a second of its parent."""
    texts = [json.loads(line)["text"] for line in sample_path().read_text(encoding="utf-8").splitlines()]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": texts[i % len(texts)]}) + "\n" for i in range(400)),
                      encoding="utf-8")
    job = subprocess.Popen([sys.executable, "-m", "mining.cli", "label", str(corpus), "--n-process", "2", "-o",
                            str(tmp_path / "out.jsonl")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and job.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            workers = _children(job.pid)
        assert len(workers) >= 2, "the command started no pool"
        job.kill()
        job.wait()
        deadline = time.monotonic() + 10
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [w for w in workers if _running(w)], "workers outlived the killed command"
    finally:
        job.kill()
        for worker in workers:
            if _running(worker):
                os.kill(worker, signal.SIGKILL)
