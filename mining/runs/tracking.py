"""Log a finished run record to MLflow: config as params, metrics, plots and model as artifacts, and provenance tags.

The tracker reads the record from disk after :func:`mining.runs.record.write_record` has finished,
so the run directory stays the source of truth and an old run can be logged later the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from mining.errors import MiningError
from mining.runs.aggregate import is_number
from mining.runs.compare import flatten
from mining.runs.plots import PLOTS
from mining.runs.record import CONFIG, META, METRICS, MODEL, read_meta, read_metrics

INSTALL_HINT = "pip install 'mining[tracking]'"
ARTIFACTS = (*PLOTS, MODEL, CONFIG, META, METRICS)
RUN_DIR_TAG = "mining.run_dir"
RECORD_TAG = "mining.record"  # which record of the directory: a record replaced with overwrite=true is another
# MLflow's limits per log_batch call (mlflow.utils.validation).
PARAMS_PER_BATCH = 100
METRICS_PER_BATCH = 1000


class TrackingError(MiningError, RuntimeError):
    """The tracker cannot be used (for example, MLflow is not installed)."""


def log_run(run_dir: str | Path, *, tracking_uri: str, experiment_name: str,
            artifact_location: str | None = None) -> str:
    """Log the finished run in ``run_dir`` as one MLflow run and return the MLflow run id.

    Parameters
    ----------
    run_dir : path
        A finished run record (it has ``metrics.json``).
    tracking_uri : str
        The MLflow store, e.g. ``sqlite:///logs/mlflow.db``.
    experiment_name : str
        The MLflow experiment, created on first use.
    artifact_location : str, optional
        Where a newly created experiment keeps its artifacts (a folder or a URI); MLflow's default
        otherwise. An existing experiment keeps its own.

    Logged: the flattened resolved config (``config.yaml``, so overrides included) and the config
    group choices (``choice.<group>``) as params; every numeric metric; the plots, the skops model,
    the config, meta and metrics files as artifacts; the git SHA, data fingerprint, spaCy pipeline,
    overrides, run directory and record (a digest of its ``metrics.json`` and ``meta.json``) as tags. A record
    already logged to the experiment (a finished MLflow run with its ``mining.run_dir`` and ``mining.record``
    tags) is not logged twice: its run id is returned. A record that replaced another in its directory
    (``overwrite=true``) is logged, and the MLflow runs of the records it replaced are deleted (MLflow keeps
    them as deleted runs, restorable until ``mlflow gc``).

    With a ``sqlite:///`` store, processes on one machine take turns through a lock file next to the
    database, so that the parallel jobs of a sweep neither race to create the tables and the
    experiment nor fail with "database is locked".
    """
    try:
        from mlflow import MlflowClient
        from mlflow.entities import Metric, Param
    except ImportError as e:
        raise TrackingError(f"tracking=mlflow needs MLflow, which is not installed: {INSTALL_HINT}") from e
    run_dir = Path(run_dir).resolve()
    params, metrics, tags, run_name = _record(run_dir)
    with _store_lock(tracking_uri):
        client = MlflowClient(tracking_uri=tracking_uri)
        experiment_id, logged = _experiment(client, experiment_name, artifact_location, run_dir, tags[RECORD_TAG])
        if tags[RECORD_TAG] in logged:
            return logged[tags[RECORD_TAG]]
        run_id = client.create_run(experiment_id, run_name=run_name, tags=tags).info.run_id
        try:
            items = sorted(params.items())
            for start in range(0, len(items), PARAMS_PER_BATCH):
                client.log_batch(run_id, params=[Param(k, v) for k, v in items[start:start + PARAMS_PER_BATCH]])
            values, now = sorted(metrics.items()), int(time.time() * 1000)
            for start in range(0, len(values), METRICS_PER_BATCH):
                client.log_batch(run_id, metrics=[Metric(k, v, timestamp=now, step=0)
                                                  for k, v in values[start:start + METRICS_PER_BATCH]])
            for name in ARTIFACTS:
                if (run_dir / name).exists():
                    client.log_artifact(run_id, str(run_dir / name))
        except BaseException:
            client.set_terminated(run_id, status="FAILED")
            raise
        client.set_terminated(run_id, status="FINISHED")
        for replaced in logged.values():  # the records this one replaced are gone from the directory
            client.delete_run(replaced)
    return run_id


def _experiment(client: Any, name: str, artifact_location: str | None, run_dir: Path,
                record: str) -> tuple[str, dict[str, str]]:
    """The experiment's id (created on first use), and the finished runs of it that logged a record of ``run_dir``:
    run id by record tag. A run logged before the tag is taken for this record: logged once, never deleted."""
    experiment = client.get_experiment_by_name(name)
    if experiment is None:
        return client.create_experiment(name, artifact_location=_as_uri(artifact_location)), {}
    logged = client.search_runs([experiment.experiment_id], filter_string=(
        f"tags.`{RUN_DIR_TAG}` = '{run_dir}' and attributes.status = 'FINISHED'"))
    return experiment.experiment_id, {run.data.tags.get(RECORD_TAG, record): run.info.run_id for run in logged}


def _record(run_dir: Path) -> tuple[dict[str, str], dict[str, float], dict[str, str], str]:
    """Params, metrics, tags and a run name from the record on disk."""
    metrics = read_metrics(run_dir)
    meta = read_meta(run_dir)
    config = yaml.safe_load((run_dir / CONFIG).read_text(encoding="utf-8")) or {}
    params = {k: _param(v) for k, v in flatten(config).items()}
    params.update({f"choice.{group}": str(choice) for group, choice in meta.get("choices", {}).items()})
    numeric = {k: float(v) for k, v in metrics.items() if is_number(v)}
    pipeline = meta.get("spacy_pipeline") or {}
    git = meta.get("git") or {}
    # The run name: the overrides that choose the configuration, not where things are or how they are logged.
    overrides = [o for o in meta.get("overrides", [])
                 if not o.startswith(("hydra", "nlp.progress", "data.path", "paths.", "tracking"))]
    record = hashlib.sha256(b"".join((run_dir / name).read_bytes() for name in (METRICS, META))).hexdigest()[:16]
    tags = {
        RUN_DIR_TAG: str(run_dir),
        RECORD_TAG: record,
        "mining.git_sha": str(git.get("sha")),
        "mining.git_dirty": str(git.get("dirty")),
        "mining.data_fingerprint": str((meta.get("data") or {}).get("fingerprint")),
        "mining.data": str((meta.get("data") or {}).get("name")),
        "mining.spacy_pipeline": f"{pipeline.get('package')}=={pipeline.get('version')}",
        "mining.overrides": " ".join(meta.get("overrides", [])),
        "mining.seed": str(meta.get("seed")),
    }
    if git.get("sha"):
        tags["mlflow.source.git.commit"] = git["sha"]  # shown by the MLflow UI
    return params, numeric, tags, " ".join(overrides) or run_dir.name


def _param(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _as_uri(location: str | None) -> str | None:
    """A plain folder becomes a ``file://`` URI, as MLflow expects of an artifact location."""
    if location is None or "://" in location or location.startswith("file:"):
        return location
    return Path(location).resolve().as_uri()


@contextlib.contextmanager
def _store_lock(tracking_uri: str) -> Iterator[None]:
    """An exclusive lock on ``<database>.lock`` for a ``sqlite:///`` store; nothing for other stores.

    SQLite lets one writer in at a time, and MLflow creates its tables and experiments with
    check-then-insert: parallel first runs otherwise fail with "table already exists" or
    "database is locked".
    """
    prefix = "sqlite:///"
    if not tracking_uri.startswith(prefix):
        yield
        return
    import fcntl

    database = Path(tracking_uri[len(prefix):].split("?", 1)[0])
    database.parent.mkdir(parents=True, exist_ok=True)
    with open(database.with_name(database.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
