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
def miner_run(tmp_path_factory) -> Path:
    """A labelling bundle trained on the sample corpus: `mining run experiment=miner data=sample`."""
    from tests.helpers import run_mining

    workdir = tmp_path_factory.mktemp("miner")
    done = run_mining("run", "experiment=miner", "data=sample", f"hydra.run.dir={workdir / 'run'}", cwd=workdir)
    assert done.returncode == 0, done.stderr
    return workdir / "run"


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """``sample_run(NAME)``: the run directory of `mining run experiment=NAME`, trained once per session.

    For tests that only read a run (several modules need the same sample_* runs); a test of what
    `mining run` itself does runs its own. The runs share one ``MINING_HOME``, so later ones hit the
    parse cache.
    """
    from mining.runs.record import find_runs
    from tests.helpers import run_mining

    home = tmp_path_factory.mktemp("sample-runs")
    runs: dict[str, Path] = {}

    def trained(experiment: str) -> Path:
        if experiment not in runs:
            done = run_mining("run", f"experiment={experiment}", cwd=home)
            assert done.returncode == 0, done.stderr[-3000:]
            (runs[experiment],) = find_runs([home / "logs" / experiment / "runs"])
        return runs[experiment]

    return trained
