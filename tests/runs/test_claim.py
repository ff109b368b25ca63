"""A run directory is claimed by one process: refused to a second, taken over from a dead one, never mixed."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mining.runs.claim import CLAIM, ClaimError, claim_directory, describe_previous
from mining.runs.record import find_runs


def snapshot(directory: Path) -> dict[str, str]:
    """Every file below ``directory`` (hidden ones too) with the hash of its bytes."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def finished(directory: Path, text: str = "{}") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in ((".hydra/overrides.yaml", "- seed=1\n"), ("model.skops", "old model"),
                           ("metrics.json", text)):
        (directory / name).parent.mkdir(exist_ok=True)
        (directory / name).write_text(content)
    return directory


def hold_claim_and_die(directory: Path) -> int:
    """Claim ``directory`` in a child process, then ``kill -9`` it; its pid."""
    code = textwrap.dedent(f"""
        import sys, time
        from mining.runs.claim import claim_directory
        claim_directory({str(directory)!r})
        print("claimed", flush=True)
        time.sleep(60)
    """)
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "claimed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    return child.pid


def test_a_second_claim_is_refused_with_the_owner_pid_until_released(tmp_path: Path):
    run_dir = tmp_path / "run"
    claim = claim_directory(run_dir)
    assert json.loads((run_dir / CLAIM).read_text())["pid"] == os.getpid()
    before = snapshot(run_dir)
    with pytest.raises(ClaimError, match=rf"^{run_dir} is in use by another run \(pid {os.getpid()} on ") as e:
        claim_directory(run_dir)
    assert "\n" not in str(e.value)
    assert snapshot(run_dir) == before
    claim.release()
    claim.release()  # twice is harmless
    assert not (run_dir / CLAIM).exists()
    claim_directory(run_dir).release()


def test_a_finished_record_is_refused_and_left_unchanged(tmp_path: Path):
    run_dir = finished(tmp_path / "run")
    before = snapshot(run_dir)
    with pytest.raises(ClaimError, match=rf"^{run_dir} holds a finished run record \(metrics.json\): "
                                         "pass overwrite=true"):
        claim_directory(run_dir)
    assert snapshot(run_dir) == before  # not even a claim file


def test_overwrite_unmakes_the_finished_record_first(tmp_path: Path):
    run_dir = finished(tmp_path / "run")
    claim = claim_directory(run_dir, overwrite=True)
    assert claim.replaced == [run_dir]
    assert not (run_dir / "metrics.json").exists() and not (run_dir / "model.skops").exists()
    assert find_runs([tmp_path]) == []  # unfinished until the new record is written
    claim.release()


def test_a_sweep_with_finished_jobs_is_refused(tmp_path: Path):
    sweep = tmp_path / "sweep"
    finished(sweep / "0")
    with pytest.raises(ClaimError, match=rf"^{sweep} holds 1 finished run record\(s\).*hydra.sweep.dir"):
        claim_directory(sweep, sweep=True)
    claim = claim_directory(sweep, sweep=True, overwrite=True)
    assert claim.replaced == [sweep / "0"] and not (sweep / "0" / "metrics.json").exists()
    claim.release()


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_run_into_a_folder_of_other_records_is_refused(tmp_path: Path, overwrite: bool):
    """A sweep's folder: the run's own metrics.json would make readers see one run there and hide the jobs."""
    sweep = tmp_path / "sweep"
    finished(sweep / "0")
    before = snapshot(sweep)
    with pytest.raises(ClaimError, match=r"holds 1 run record\(s\) in its folders .*another hydra.run.dir"):
        claim_directory(sweep, overwrite=overwrite)
    assert snapshot(sweep) == before and find_runs([sweep]) == [sweep / "0"]


def test_a_dead_owner_claim_is_taken_over_and_its_staging_removed(tmp_path: Path):
    run_dir = tmp_path / "run"
    pid = hold_claim_and_die(run_dir)
    assert json.loads((run_dir / CLAIM).read_text())["pid"] == pid  # the dead run's claim is still there
    stage = run_dir / ".record-abc123"
    stage.mkdir()
    (stage / "metrics.json").write_text("{}")
    assert find_runs([tmp_path]) == []  # readers skip staging folders
    claim = claim_directory(run_dir)
    assert claim.previous["pid"] == pid and claim.removed == [stage] and not stage.exists()
    line = describe_previous(claim)
    assert line.startswith(f"{run_dir}: taking over the claim left by pid {pid} ") and "no longer running" in line
    assert json.loads((run_dir / CLAIM).read_text())["pid"] == os.getpid()
    claim.release()


def test_a_refused_claim_in_a_sweep_leaves_its_jobs_alone(tmp_path: Path):
    sweep = tmp_path / "sweep"
    claim = claim_directory(sweep, sweep=True)
    (sweep / "0").mkdir()
    (sweep / "0" / ".record-live").mkdir()  # the live owner's staging: nobody else may remove it
    with pytest.raises(ClaimError, match="in use by another run"):
        claim_directory(sweep, sweep=True)
    assert (sweep / "0" / ".record-live").exists()
    claim.release()
