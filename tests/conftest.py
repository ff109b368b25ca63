"""Shared fixtures: where the real corpora are, and the embedded sample corpus."""

from __future__ import annotations

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
def miner_run(sample_run) -> Path:
    """A labelling bundle trained on the sample corpus: `mining run experiment=miner data=sample`."""
    return sample_run("miner", "data=sample")


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory, worker_id):
    """``sample_run(NAME, *OVERRIDES)``: the run directory of `mining run experiment=NAME OVERRIDES`, trained
    once per test session, whatever the number of pytest-xdist workers.

    For tests that only read a run (several modules need the same sample_* runs); a test of what
    `mining run` itself does runs its own. The workers share one folder (under the session's base
    temporary directory). Each run has a ``MINING_HOME`` of its own, ``RUN/../..``, so that nothing
    writes into a run's parse cache once it is trained; a lock trains each run once, and a worker that
    needs a run another one is training waits for it.
    """
    import fcntl

    from mining.runs.record import find_runs
    from tests.helpers import run_mining

    base = tmp_path_factory.getbasetemp()
    shared = (base if worker_id == "master" else base.parent) / "sample-runs"
    shared.mkdir(exist_ok=True)

    def trained(experiment: str, *overrides: str) -> Path:
        name = "-".join((experiment, *overrides)).replace("=", "_")
        home = shared / name
        with open(shared / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (shared / f"{name}.trained").exists():
                home.mkdir(exist_ok=True)
                done = run_mining("run", f"experiment={experiment}", *overrides,
                                  f"hydra.run.dir={home / 'runs' / name}", cwd=home)
                assert done.returncode == 0, done.stderr[-3000:]
                (shared / f"{name}.trained").touch()
        (run,) = find_runs([home / "runs" / name])
        return run

    return trained
