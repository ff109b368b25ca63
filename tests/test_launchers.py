"""The cluster launcher configs compose, and a sweep runs through SLURM on a real single-node cluster.

`.ci/slurm-cluster start` starts the cluster (Debian's slurmctld, slurmd and munge, as root) and CI
sets ``MINING_SLURM=required``, so that there a missing cluster fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from mining.runs.record import find_runs, read_metrics
from tests.helpers import run_mining as mining
from tests.test_configs import _compose

SUBMITIT = "hydra_plugins.hydra_submitit_launcher.submitit_launcher"


def test_the_slurm_launcher_composes_with_its_defaults():
    launcher = _compose(["hydra/launcher=slurm"]).hydra.launcher
    assert launcher._target_ == f"{SUBMITIT}.SlurmLauncher"
    assert (launcher.partition, launcher.timeout_min, launcher.cpus_per_task, launcher.mem_gb) == (None, 120, 2, 8)
    assert OmegaConf.to_container(launcher)["submitit_folder"] == "${hydra.sweep.dir}/.submitit/%j"


def test_the_slurm_launcher_takes_overrides():
    launcher = _compose(["hydra/launcher=slurm", "hydra.launcher.partition=cpu", "hydra.launcher.mem_gb=16",
                         "+hydra.launcher.additional_parameters.mail-type=END"]).hydra.launcher
    assert (launcher.partition, launcher.mem_gb, launcher.additional_parameters["mail-type"]) == ("cpu", 16, "END")


def test_the_command_prints_the_launcher_config(tmp_path: Path):
    done = mining("run", "--cfg", "hydra", "hydra/launcher=slurm", "hydra.launcher.partition=cpu", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"_target_: {SUBMITIT}.SlurmLauncher" in done.stdout and "partition: cpu" in done.stdout


@pytest.mark.slow  # submitit starts a process per job: about 30 s
def test_a_failed_job_of_a_submitit_sweep_is_one_line_naming_it(tmp_path: Path):
    """submitit's UncompletedJobError carries the job's whole stderr: the job, its own error and its logs."""
    done = mining("run", "-m", "experiment=sample_components", "model.C=1,-1", "hydra/launcher=submitit_local",
                  f"hydra.sweep.dir={tmp_path / 'sweep'}", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-3000:]
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert line.startswith("error: [job 1: experiment=sample_components,model.C=-1") and "] failed: model.C: " in line
    assert f"(its logs: {tmp_path / 'sweep' / '.submitit'}" in line


def _slurm_cluster() -> bool:
    if shutil.which("sinfo") is None:
        return False
    done = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True)
    return done.returncode == 0 and any(s.startswith(("idle", "mix", "alloc")) for s in done.stdout.split())


@pytest.fixture
def slurm():
    if not _slurm_cluster():
        message = "no SLURM cluster answers `sinfo` (start one with .ci/slurm-cluster start, as root)"
        if os.environ.get("MINING_SLURM") == "required":
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.slow
def test_a_sweep_runs_as_slurm_jobs(slurm, tmp_path: Path):
    done = mining("run", "-m", "experiment=sample_stance", "model=logreg,linear_svc", "hydra/launcher=slurm",
                  "hydra.launcher.cpus_per_task=1", "hydra.launcher.mem_gb=1", "hydra.launcher.timeout_min=10",
                  cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    runs = find_runs([tmp_path / "logs" / "sample_stance" / "multiruns"])
    assert len(runs) == 2 and all("test.macro_f1" in read_metrics(r) for r in runs)
    # Each job went through sbatch: submitit keeps its SLURM job id, script and logs.
    (sweep,) = {r.parent for r in runs}
    scripts = list((sweep / ".submitit").glob("*/*_submission.sh"))
    assert scripts and "#SBATCH --cpus-per-task=1" in scripts[0].read_text()
    assert len(list((sweep / ".submitit").glob("*_*/*_log.out"))) == 2
