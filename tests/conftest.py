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
def sample_run(tmp_path_factory):
    """``sample_run(NAME, *OVERRIDES)``: the run directory of `mining run experiment=NAME OVERRIDES`, trained
    once per session.

    For tests that only read a run (several modules need the same sample_* runs); a test of what
    `mining run` itself does runs its own. The runs share one ``MINING_HOME``, so later ones hit the
    parse cache.
    """
    from mining.runs.record import find_runs
    from tests.helpers import run_mining

    home = tmp_path_factory.mktemp("sample-runs")
    runs: dict[tuple[str, ...], Path] = {}

    def trained(experiment: str, *overrides: str) -> Path:
        key = (experiment, *overrides)
        if key not in runs:
            run_dir = home / "runs" / "-".join(key).replace("=", "_")
            done = run_mining("run", f"experiment={experiment}", *overrides, f"hydra.run.dir={run_dir}", cwd=home)
            assert done.returncode == 0, done.stderr[-3000:]
            (runs[key],) = find_runs([run_dir])
        return runs[key]

    return trained
