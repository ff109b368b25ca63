"""Shared fixtures: where the real corpora are, the embedded sample corpus, and the spaCy pipeline."""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

import pytest

DEFAULT_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def corpora_root() -> Path:
    return Path(os.environ.get("MINING_CORPORA", DEFAULT_CORPORA))


@pytest.fixture(scope="session")
def corpora() -> Path:
    """Root of the real corpora (``$MINING_CORPORA``, default ``../shared/corpora``).

    Tests that need them skip when they are absent, except under ``CI=true``, where a missing
    corpus is a failure: CI must never pass by testing nothing.
    """
    root = corpora_root()
    if not root.is_dir():
        message = f"real corpora not found at {root} (set MINING_CORPORA)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return root


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline the tests parse with, without ``ner`` (tests of holders, which need it, load their own)."""
    from mining.nlp.pipeline import find_pipeline, load_pipeline

    return load_pipeline(find_pipeline(exclude=["ner"]))


@pytest.fixture(scope="session")
def miner_run(sample_run) -> Path:
    """A labelling bundle trained on the sample corpus: `mining run experiment=miner data=sample`."""
    return sample_run("miner", "data=sample")


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """``sample_run(NAME, *OVERRIDES)``: the run directory of `mining run experiment=NAME OVERRIDES`, trained
    once per test session, whatever the number of pytest-xdist workers.

    For tests that only read a run (several modules need the same sample_* runs); a test of what
    `mining run` itself does runs its own. The workers share one folder (under the session's base
    temporary directory). Each run has a ``MINING_HOME`` of its own, ``RUN/../..``, so that nothing
    writes into a run's parse cache once it is trained; a lock trains each run once, and a worker that
    needs a run another one is training waits for it.
    """
    from mining.runs.record import find_runs
    from tests.helpers import run_mining

    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "sample-runs"
    shared.mkdir(exist_ok=True)

    def trained(experiment: str, *overrides: str) -> Path:
        name = hashlib.sha256("\0".join((experiment, *overrides)).encode()).hexdigest()[:16]  # any key, one name
        home, run_dir = shared / name, shared / name / "runs" / experiment
        done, failed = shared / f"{name}.trained", shared / f"{name}.failed"  # a failed run is not tried again
        with open(shared / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (done.exists() or failed.exists()):
                home.mkdir()
                ran = run_mining("run", f"experiment={experiment}", *overrides, f"hydra.run.dir={run_dir}", cwd=home)
                (done if ran.returncode == 0 else failed).write_text(ran.stderr[-3000:], encoding="utf-8")
        assert not failed.exists(), failed.read_text(encoding="utf-8")
        (run,) = find_runs([run_dir])
        return run

    return trained
