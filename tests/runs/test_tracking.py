"""tracking=mlflow: each job of a parallel sweep is one MLflow run with the params, metrics and files of its record."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate

from mining.cli import CONFIG_DIR
from mining.runs.compare import flatten
from mining.runs.record import find_runs, read_meta, read_metrics
from mining.runs.tracking import TrackingError, log_run
from tests.helpers import run_mining as mining


def test_tracking_configs_compose():
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        none = compose(config_name="config", overrides=["experiment=sample_components"])
        assert not none.tracking  # the default: nothing to call
        cfg = compose(config_name="config", overrides=["experiment=sample_components", "tracking=mlflow",
                                                        "paths.root=/tmp/home"])
    logger = instantiate(cfg.tracking)
    assert isinstance(logger, functools.partial) and logger.func is log_run
    assert logger.keywords["tracking_uri"] == "sqlite:////tmp/home/logs/mlflow.db"
    assert logger.keywords["experiment_name"] == "sample_components"


def test_without_mlflow_the_error_names_the_extra(tmp_path: Path, monkeypatch):
    monkeypatch.setitem(sys.modules, "mlflow", None)  # as if not installed
    with pytest.raises(TrackingError, match=r"pip install 'mining\[tracking\]'"):
        log_run(tmp_path, tracking_uri=f"sqlite:///{tmp_path}/mlflow.db", experiment_name="x")


@pytest.fixture(scope="module")
def mlflow_client():
    """``MlflowClient``; without MLflow (the ``tracking`` extra) the tests skip, except under ``CI=true``."""
    try:
        from mlflow.tracking import MlflowClient
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("MLflow is not installed: pip install -e '.[tracking]'")
        pytest.skip("MLflow is not installed (the 'tracking' extra)")
    return MlflowClient


@pytest.fixture(scope="module")
def tracked_sweep(tmp_path_factory, mlflow_client) -> Path:
    home = tmp_path_factory.mktemp("tracked")
    done = mining("run", "-m", "experiment=sample_stance", "model=logreg,linear_svc", "hydra/launcher=joblib",
                  "tracking=mlflow", cwd=home)
    assert done.returncode == 0, done.stderr[-3000:]
    return home


@pytest.mark.slow
def test_parallel_jobs_each_land_as_one_mlflow_run(tracked_sweep: Path, mlflow_client):
    runs = find_runs([tracked_sweep / "logs" / "sample_stance" / "multiruns"])
    assert len(runs) == 2
    client = mlflow_client(tracking_uri=f"sqlite:///{tracked_sweep}/logs/mlflow.db")
    experiment = client.get_experiment_by_name("sample_stance")
    logged = client.search_runs([experiment.experiment_id])
    assert len(logged) == 2
    by_dir = {Path(r.data.tags["mining.run_dir"]): r for r in logged}
    assert set(by_dir) == {r.resolve() for r in runs}
    for run_dir in runs:
        mlrun = by_dir[run_dir.resolve()]
        assert mlrun.info.status == "FINISHED"
        metrics = read_metrics(run_dir)
        numeric = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
        assert mlrun.data.metrics == pytest.approx(numeric)
        config = flatten(yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8")))
        params = mlrun.data.params
        assert params["model._target_"] == config["model._target_"]
        assert params["seed"] == "0" and params["name"] == "sample_stance"
        assert params["choice.model"] == read_meta(run_dir)["choices"]["model"]
        assert {k for k in params if not k.startswith("choice.")} == set(config)
        meta = read_meta(run_dir)
        assert mlrun.data.tags["mining.git_sha"] == str(meta["git"]["sha"])
        assert mlrun.data.tags["mining.data_fingerprint"] == meta["data"]["fingerprint"]
        assert mlrun.data.tags["mining.spacy_pipeline"].startswith(meta["spacy_pipeline"]["package"] + "==3.8")
        artifacts = {a.path for a in client.list_artifacts(mlrun.info.run_id)}
        assert {"confusion_matrix.png", "per_class_f1.png", "model.skops", "metrics.json"} <= artifacts


@pytest.mark.slow
def test_concurrent_first_writers_and_repeats(tracked_sweep: Path, tmp_path: Path, mlflow_client):
    """Four processes logging at once into a store that does not exist yet all land; a repeat is not logged twice."""
    runs = find_runs([tracked_sweep / "logs" / "sample_stance" / "multiruns"])
    uri = f"sqlite:///{tmp_path}/mlflow.db"
    code = ("import sys; from mining.runs.tracking import log_run; "
            f"print(log_run(sys.argv[1], tracking_uri={uri!r}, experiment_name='x', "
            f"artifact_location={str(tmp_path / 'artifacts')!r}))")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(runs[i % 2])], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(4)]
    outputs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err[-2000:] for _, err in outputs]
    ids = [out.strip().splitlines()[-1] for out, _ in outputs]
    assert len(set(ids)) == 2  # one MLflow run per run directory
    client = mlflow_client(tracking_uri=uri)
    assert len(client.search_runs([client.get_experiment_by_name("x").experiment_id])) == 2


@pytest.mark.slow
def test_missing_mlflow_fails_the_job_with_one_line(tmp_path: Path):
    stub = tmp_path / "stub" / "mlflow"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('No module named mlflow')\n", encoding="utf-8")
    done = mining("run", "experiment=sample_stance", "tracking=mlflow", cwd=tmp_path,
                  env={"PYTHONPATH": str(tmp_path / "stub")})
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: tracking=mlflow needs MLflow, which is not installed: pip install 'mining[tracking]'"]
    # The record itself is complete: tracking runs after it is written.
    assert len(find_runs([tmp_path / "logs"])) == 1
    assert json.loads((find_runs([tmp_path / "logs"])[0] / "metrics.json").read_text())


@pytest.mark.slow
def test_a_record_replaced_in_its_directory_replaces_its_mlflow_run(tracked_sweep: Path, tmp_path: Path,
                                                                   mlflow_client):
    """overwrite=true writes another record into the directory: it is logged, and the replaced one's run deleted."""
    import shutil

    run = tmp_path / "run"
    shutil.copytree(find_runs([tracked_sweep / "logs" / "sample_stance" / "multiruns"])[0], run)
    uri = f"sqlite:///{tmp_path}/mlflow.db"
    log = functools.partial(log_run, run, tracking_uri=uri, experiment_name="x",
                            artifact_location=str(tmp_path / "artifacts"))
    first = log()
    assert log() == first  # the same record: not logged twice
    metrics = read_metrics(run) | {"test.macro_f1": 0.123}
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")  # as a new record would be
    second = log()
    client = mlflow_client(tracking_uri=uri)
    (active,) = client.search_runs([client.get_experiment_by_name("x").experiment_id])
    assert second != first and active.info.run_id == second and active.data.metrics["test.macro_f1"] == 0.123
    assert client.get_run(first).info.lifecycle_stage == "deleted"
    client.delete_tag(second, "mining.record")  # as a run logged before records were tagged
    assert log() == second and client.get_run(second).info.lifecycle_stage == "active"
