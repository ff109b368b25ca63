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
