"""`mining run` on a directory another run has: raced, finished or killed, as real processes."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
import yaml

from mining.runs.record import find_runs, load_model, read_meta
from tests.helpers import run_mining, start_mining
from tests.runs.test_claim import snapshot

pytestmark = pytest.mark.slow

RUN = ("run", "experiment=sample_components", "data=sample")


def assert_record_of(run_dir: Path, seed: int) -> None:
    """The overrides, resolved config, meta and model in ``run_dir`` all come from the run with ``seed``."""
    overrides = yaml.safe_load((run_dir / ".hydra" / "overrides.yaml").read_text())
    assert f"seed={seed}" in overrides
    assert yaml.safe_load((run_dir / "config.yaml").read_text())["seed"] == seed
    meta = read_meta(run_dir)
    assert meta["seed"] == seed and meta["overrides"] == overrides
    assert load_model(run_dir).named_steps["model"].random_state == seed


def wait_for(directory: Path, pattern: str, process, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not any(directory.glob(pattern)):
        assert process.poll() is None, f"the run ended before {pattern} appeared: {process.communicate()}"
        assert time.monotonic() < deadline, f"no {pattern} in {directory} after {timeout}s"
        time.sleep(0.002)


@pytest.fixture(scope="module")
def raced(tmp_path_factory) -> tuple[Path, dict]:
    """Two runs started together on one ``hydra.run.dir``, told apart by their seeds."""
    home = tmp_path_factory.mktemp("raced")
    run_dir = home / "run"
    processes = {seed: start_mining(*RUN, f"seed={seed}", f"hydra.run.dir={run_dir}", cwd=home) for seed in (1, 2)}
    errors = {seed: p.communicate()[1] for seed, p in processes.items()}
    outcomes = {seed: (p.pid, p.returncode, errors[seed]) for seed, p in processes.items()}
    return run_dir, outcomes


def test_of_two_runs_on_one_directory_one_wins_and_the_record_is_its_own(raced):
    run_dir, outcomes = raced
    winners = [seed for seed, (_, status, _) in outcomes.items() if status == 0]
    assert len(winners) == 1, outcomes
    (winner,) = winners
    (loser,) = set(outcomes) - {winner}
    _, status, stderr = outcomes[loser]
    assert status == 2
    assert stderr.startswith(f"error: {run_dir} is in use by another run (pid {outcomes[winner][0]} on ")
    assert len(stderr.strip().splitlines()) == 1  # one line, no traceback
    assert_record_of(run_dir, winner)
    assert find_runs([run_dir.parent]) == [run_dir]
    assert not [p.name for p in run_dir.iterdir() if p.name.startswith((".claim", ".record-"))]


def test_a_run_into_a_finished_record_is_refused_and_changes_nothing(raced):
    run_dir, _ = raced
    before = snapshot(run_dir)
    done = run_mining(*RUN, "seed=3", f"hydra.run.dir={run_dir}", cwd=run_dir.parent)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: {run_dir} holds a finished run record (metrics.json): pass "
                                   "overwrite=true to replace it, or choose another hydra.run.dir")
    assert snapshot(run_dir) == before


@pytest.mark.parametrize(("value", "read"), [("no", "'no' (str)"), ("maybe", "'maybe' (str)"), ("1", "1 (int)")])
def test_overwrite_is_true_or_false_and_nothing_else_replaces_a_record(raced, value: str, read: str):
    run_dir, _ = raced
    before = snapshot(run_dir)
    done = run_mining(*RUN, f"overwrite={value}", f"hydra.run.dir={run_dir}", cwd=run_dir.parent)
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: overwrite={read}: give overwrite=true or overwrite=false"
    assert snapshot(run_dir) == before


def test_overwrite_true_replaces_the_finished_record_whole(raced):
    run_dir, _ = raced
    done = run_mining(*RUN, "seed=3", "overwrite=true", f"hydra.run.dir={run_dir}", cwd=run_dir.parent)
    assert done.returncode == 0, done.stderr
    assert f"overwrite=true: replacing the finished run record in {run_dir}" in done.stderr
    assert_record_of(run_dir, 3)


def test_a_killed_run_is_taken_over_by_the_next_one(tmp_path: Path):
    run_dir = tmp_path / "run"
    killed = start_mining(*RUN, "seed=4", f"hydra.run.dir={run_dir}", cwd=tmp_path)
    wait_for(run_dir, ".record-*", killed)  # killed while its record is half staged
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    stages = sorted(p.name for p in run_dir.glob(".record-*"))
    assert (run_dir / ".claim").exists() and stages
    assert find_runs([tmp_path]) == []
    done = run_mining(*RUN, "seed=5", f"hydra.run.dir={run_dir}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (warning,) = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warning.startswith(f"warning: {run_dir}: taking over the claim left by pid {killed.pid} ")
    assert f"removed the unfinished record staging {', '.join(stages)}" in warning
    assert_record_of(run_dir, 5)
    assert find_runs([tmp_path]) == [run_dir]
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith((".claim", ".record-")) or p.suffix == ".tmp"]
    assert leftovers == []


def test_a_failed_run_gives_its_claim_up(tmp_path: Path):
    run_dir = tmp_path / "run"
    done = run_mining(*RUN, "data=custom", f"data.path={tmp_path / 'missing'}", f"hydra.run.dir={run_dir}",
                      cwd=tmp_path)
    assert done.returncode == 2 and "no such file or folder" in done.stderr
    assert not (run_dir / ".claim").exists()
    again = run_mining(*RUN, f"hydra.run.dir={run_dir}", cwd=tmp_path)  # neither refused nor a take-over
    assert again.returncode == 0, again.stderr
    assert "taking over" not in again.stderr
