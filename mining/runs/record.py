"""Write and read a run record: metrics, meta, predictions and the skops model, all-or-nothing."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from mining.corpora import jsonl
from mining.errors import NotFinishedError, RunRecordError, UsageError
from mining.files import write_text_atomic
from mining.runs.jsonfile import read_json_object, read_yaml
from mining.runs.links import Vouchers, vouched_target
from mining.runs.plots import PLOTS, write_run_plots
from mining.runs.trust import load_trusted

METRICS = "metrics.json"
META = "meta.json"
PREDICTIONS = "predictions.jsonl"
MODEL = "model.skops"
TASKS = "tasks.skops"  # the task objects that turn the model's predictions into units (mining.label.miner reads them)
CONFIG = "config.yaml"  # the resolved config; Hydra keeps the unresolved one and the overrides in .hydra/
STAGE_PREFIX = ".record-"  # the staging folder of a record being written; readers skip it
FAILED = "failed.txt"  # the error that ended a run before its record: mining compare tells it from a killed run
FAILED_MAX_BYTES = 4096
PACKAGES = ("mining", "scikit-learn", "spacy", "datasets", "hydra-core", "numpy", "scipy", "skops")


def git_state(cwd: str | Path | None = None) -> dict[str, Any]:
    """The commit, whether tracked files differ from it, which ones, and a hash of the difference.

    Untracked files (run directories, caches, notes) do not make a tree dirty: they cannot change
    what the code computes unless imported, and a tool's own outputs would otherwise mark every
    later run dirty. ``diff_sha256`` tells two dirty runs of the same commit apart. All values
    are None outside a checkout.
    """
    def git(*args: str) -> str | None:
        try:
            return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                                  timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return None

    sha = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    diff = git("diff", "HEAD", "--no-color") if status else ""
    changed = sorted(line[3:] for line in status.splitlines()) if status is not None else None
    return {"sha": sha.strip() if sha else None, "dirty": bool(changed) if changed is not None else None,
            "changed": changed,
            "diff_sha256": hashlib.sha256(diff.encode()).hexdigest() if diff else None}


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


# Metadata that says where predictions were made, not what they are: documents labelled end to end name
# the run directory that labelled them, which differs between a run and its re-run.
WHERE_PREDICTED = ("labelled_by",)


def predictions_fingerprint(predictions) -> dict[str, Any]:
    """``{"fingerprint": SHA-256 of the predictions, "documents": {key: fingerprint}}`` for ``meta.json``.

    A key is the document id, after its subtask (``units/essay001``) when the run has several; the
    per-document fingerprints let ``mining reproduce`` name the documents whose predictions changed
    without the predictions themselves, which references do not keep.
    """
    documents: dict[str, str] = {}
    for doc in predictions:
        subtask = doc.metadata.get("subtask")
        key = f"{subtask}/{doc.id}" if subtask else doc.id
        data = doc.to_dict()
        data["metadata"] = {k: v for k, v in data["metadata"].items() if k not in WHERE_PREDICTED}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        documents[key] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    overall = hashlib.sha256("".join(f"{k}\0{v}\n" for k, v in documents.items()).encode("utf-8")).hexdigest()
    return {"fingerprint": overall, "documents": documents}


def write_record(run_dir: str | Path, *, metrics: dict[str, Any], meta: dict[str, Any], predictions, model,
                 config_yaml: str, tasks=None) -> Path:
    """Write the record into ``run_dir`` so that it is there whole or not at all.

    Files are staged in a temporary folder and moved in with ``metrics.json`` last: a run directory
    is a finished record exactly when its ``metrics.json`` exists. The plots of the metrics
    (``confusion_matrix.png``, ``per_class_f1.png``) are part of the record.
    """
    import skops.io as sio  # seconds to import: only the commands that write a record pay for it

    run_dir = Path(run_dir)
    with _staging(run_dir) as stage:
        # Compressed: a news bundle's model is 22 MB of mostly repeated JSON, 2-3 MB deflated.
        sio.dump(model, stage / MODEL, compression=zipfile.ZIP_DEFLATED)
        sio.dump(tasks, stage / TASKS, compression=zipfile.ZIP_DEFLATED)
        jsonl.save(predictions, stage / PREDICTIONS)
        (stage / CONFIG).write_text(config_yaml, encoding="utf-8")
        (stage / META).write_text(json.dumps(meta, indent=2, sort_keys=True, default=str), encoding="utf-8")
        (stage / METRICS).write_text(json.dumps(metrics, indent=2, sort_keys=True), encoding="utf-8")
        plots = [p.name for p in write_run_plots(metrics, stage)]
        _move_in(stage, run_dir, (MODEL, TASKS, PREDICTIONS, CONFIG, META, *plots, METRICS))
    return run_dir


@contextmanager
def _staging(dest: Path) -> Iterator[Path]:
    """A staging folder inside ``dest`` (which readers skip), removed at the end whatever happens: what is not moved
    in by then (``_move_in``) is dropped."""
    dest.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=dest, prefix=STAGE_PREFIX))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _move_in(stage: Path, dest: Path, names: Sequence[str]) -> None:
    """Move the staged files ``names`` into ``dest``, ``metrics.json`` last and out first: a record being replaced is
    unfinished until the end, never one of two runs' files."""
    (dest / METRICS).unlink(missing_ok=True)
    for name in sorted(names, key=lambda name: name == METRICS):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / name, dest / name)


def remove_record(run_dir: str | Path) -> None:
    """Unmake the finished record in ``run_dir``, ``metrics.json`` first: stopped midway, the directory is
    an unfinished run, never an old record beside a new run's ``.hydra/``, which (with the log) stays."""
    run_dir = Path(run_dir)
    for name in (METRICS, MODEL, TASKS, PREDICTIONS, CONFIG, META, *PLOTS):
        (run_dir / name).unlink(missing_ok=True)


def read_metrics(run_dir: str | Path, *, vouchers: Vouchers | None = None) -> dict[str, Any]:
    """The run's ``metrics.json``; ``vouchers`` as for :func:`record_file`."""
    _require_dir(run_dir)
    return read_json_object(record_file(run_dir, METRICS, vouchers),
                            missing=f"{run_dir} is not a finished run: it has no {METRICS}")


# The JSON type of each field of meta.json that readers rely on (labelling, compare, reproduce, tracking), and its
# name in an error; any of them may be null or absent (records older than the field).
META_FIELDS: dict[str, tuple[type, str]] = {
    "name": (str, "a string"), "domain": (str, "a string"), "task": (str, "a string"),
    "config_name": (str, "a string"), "overrides": (list, "a list"),
    **{key: (dict, "an object") for key in ("choices", "subtasks", "git", "packages", "spacy_pipeline", "data",
                                            "timings", "parses", "platform", "predictions")},
}


def read_meta(run_dir: str | Path, *, vouchers: Vouchers | None = None) -> dict[str, Any]:
    """The run's ``meta.json``; a field of :data:`META_FIELDS` of another type is a RunRecordError naming it."""
    _require_dir(run_dir)
    path = record_file(run_dir, META, vouchers)
    meta = read_json_object(path, missing=f"{run_dir} has no {META}: it is not a finished run")
    for key, (kind, expected) in META_FIELDS.items():
        if meta.get(key) is not None and not isinstance(meta[key], kind):
            raise RunRecordError(f"{path}: its {key!r} must be {expected}, got a {type(meta[key]).__name__}; "
                                 "a run writes it so: re-run the experiment, or restore the file")
    return meta


def read_resolved_config(run_dir: str | Path, *, vouchers: Vouchers | None = None) -> dict[str, Any]:
    """The run's resolved config (``config.yaml``) as a mapping; a file that is not one is a RunRecordError."""
    path = record_file(run_dir, CONFIG, vouchers)
    value = read_yaml(path, "the run's resolved config",
                      missing=f"{run_dir} has no {CONFIG}: it is not a finished run of `mining run`")
    if not isinstance(value, dict):
        raise RunRecordError(f"{path}: expected the run's resolved config (a YAML mapping), got a "
                             f"{type(value).__name__}")
    return value


def _require_dir(run_dir: str | Path) -> None:
    """Refuse a path that is no directory, saying so rather than blaming a file it cannot hold."""
    path = Path(run_dir)
    if not path.exists():
        raise NotFinishedError(f"{run_dir}: no such run directory")
    if not path.is_dir():
        raise NotFinishedError(f"{run_dir}: not a directory; expected a run directory (with {METRICS})")


def load_model(run_dir: str | Path):
    """Load the run's model, refusing any type outside :func:`mining.runs.trust.trusted_types`."""
    return _load_trusted(Path(run_dir), MODEL)


def load_tasks(run_dir: str | Path):
    """Load the run's task objects (a dict by subtask for several), refusing any type outside the allow-list."""
    return _load_trusted(Path(run_dir), TASKS)


def _load_trusted(run_dir: Path, name: str):
    """The model file ``name`` of the run, read as :func:`record_file` finds it: a link out of the run (to any file a
    zip reader would open) is refused, as for the record's other files."""
    if not os.path.lexists(run_dir / name):  # a link whose content is not fetched: record_file says so
        raise NotFinishedError(f"{run_dir} has no {name}: it is not a finished run, or one recorded by an older mining")
    return load_trusted(record_file(run_dir, name))


REFERENCE_FILES = (METRICS, META, CONFIG, ".hydra/overrides.yaml")


def publish_reference(run_dir: str | Path, dest: str | Path, *, model: bool = False,
                      overwrite: bool = False) -> tuple[str, ...]:
    """Copy what identifies a run and its scores (never predictions) into ``dest``; with ``model=True``
    its model files too, which makes ``dest`` a bundle to label with (the shipped default model).
    Returns the names of the files copied.

    The predictions hold corpus text, which corpus licences may forbid publishing; metrics,
    meta, the resolved config and the overrides are enough for ``mining reproduce dest``.
    Files ``dest`` already holds are refused unless ``overwrite``. The copies are staged in ``dest`` and
    moved in at the end, ``metrics.json`` last (and out first), as a record is written: stopped midway,
    ``dest`` is no finished reference, never one of two runs' files.
    """
    from mining.runs.reproduce import recorded_overrides  # reproduce imports this module

    run_dir, dest = Path(run_dir), Path(dest)
    with Vouchers() as vouchers:  # git asked once for the run's files, not three times each
        read_metrics(run_dir, vouchers=vouchers)  # refuses unfinished runs
        read_meta(run_dir, vouchers=vouchers)  # and a record that compare and reproduce would refuse,
        read_resolved_config(run_dir, vouchers=vouchers)
        recorded_overrides(run_dir)  # whose config or overrides reproduce could not read: it could never be re-run
        names = REFERENCE_FILES + ((MODEL, TASKS) if model else ())
        models = [] if model else [name for name in (MODEL, TASKS) if (dest / name).exists()]
        if models:  # its record would no longer describe the model beside it
            raise UsageError(f"{dest}: holds a model ({', '.join(models)}): publish with --with-model to replace it "
                             "too, or to another folder")
        sources = {name: _own_file(run_dir, name, vouchers) for name in names}
    held = [name for name in names if (dest / name).exists()]
    if held and not overwrite:
        raise UsageError(f"{dest}: already holds {', '.join(held)}; --overwrite replaces them")
    with _staging(dest) as stage:
        for name in names:
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sources[name], stage / name)  # the file, or what a link vouched for stands for
        _move_in(stage, dest, names)
    return names


def record_file(run_dir: str | Path, name: str, vouchers: Vouchers | None = None) -> Path:
    """The file to read as ``run_dir/name``: itself unless a link leads out of the run, which is followed only to the
    file it stands for in a git-annex or DVC checkout of the run (:func:`mining.runs.links.vouched_target`); any other
    is a RunRecordError. ``mining compare`` prints a config's values: a run someone handed over with ``config.yaml ->
    ~/.config/gh/hosts.yml`` would print that file's token into a table that gets pasted into a pull request.
    A command reading many runs passes one :class:`~mining.runs.links.Vouchers`, which asks git once per run folder
    and repository rather than three times per link."""
    path = Path(run_dir) / name
    if not path.is_symlink() and _inside(path.parent, run_dir):
        return path  # a missing file, a pipe or a folder: the reader says what is wrong
    if path.is_symlink() and _inside(path, run_dir):
        return path
    target = _vouched(path, vouchers)
    if target is not None:
        return target
    real = Path(os.path.realpath(path))
    if not real.exists() and _STORE.search(real.as_posix()):  # a store's link whose content is not checked out
        raise RunRecordError(f"{path}: its content is not in this checkout ({real} is missing): `git annex get` or "
                             "`dvc pull` it")
    raise RunRecordError(f"{path}: not a file of the run itself (a link out of it, to {real}); mining reads only the "
                         f"run's own files{_FOLLOWED}")


# Where git-annex and DVC keep a file's content: a link there whose target is missing was not fetched.
_STORE = re.compile(r"/(annex/objects|\.dvc/cache)/")
_FOLLOWED = ("; a link is followed only into the git-annex or DVC store of the repository the run lies in, when git "
             "tracks it (or the .dvc record of its folder)")


def _inside(path: Path, run_dir: str | Path) -> bool:
    """Whether ``path``, links followed, is ``run_dir`` or lies in it."""
    real, run_real = os.path.realpath(path), os.path.realpath(run_dir)
    return real == run_real or real.startswith(os.path.join(run_real, ""))


def _vouched(path: Path, vouchers: Vouchers | None) -> Path | None:
    return vouched_target(path, vouchers) if path.is_symlink() else None  # runs git: only for a link


def _own_file(run_dir: Path, name: str, vouchers: Vouchers | None = None) -> Path:
    """The file to publish as ``run_dir/name``: the one :func:`record_file` reads (a link followed only inside the run,
    or into a git-annex or DVC store the run's repository vouches for), which must be a regular file. Anything else
    is refused: a link in a run directory someone handed over (``config.yaml -> ~/.ssh/id_rsa``) would copy that file
    into the reference, to be published."""
    path = run_dir / name
    if not path.exists():
        raise NotFinishedError(f"{run_dir} has no {name}: it is not a finished run")
    source = Path(os.path.realpath(record_file(run_dir, name, vouchers)))
    if not source.is_file():
        raise RunRecordError(f"{path}: not a file of the run itself (not a regular file); publish copies only the "
                             "run's own files")
    return source


def find_runs(paths) -> list[Path]:
    """Run directories (those with ``metrics.json``) at or below each path, sorted."""
    runs: set[Path] = set()
    for p in map(Path, paths):
        if (p / METRICS).exists():
            runs.add(p)
        elif p.is_dir():
            runs.update(m.parent for m in p.rglob(METRICS) if not _in_stage(m))
        else:
            raise NotFinishedError(f"{p}: no such run or sweep directory")
    return sorted(runs)


def unfinished_runs(paths) -> list[Path]:
    """Run directories at or below each path that Hydra started (``.hydra/``) but that hold no ``metrics.json``: a job
    of a sweep that failed (:func:`failure_of` says why), was killed or is still running. :func:`find_runs` leaves them
    out; readers say so."""
    started = {h.parent for p in map(Path, paths) if p.is_dir() for h in p.rglob(".hydra")  # p's own too
               if h.is_dir() and not _in_stage(h)}
    return sorted(run for run in started if not (run / METRICS).exists())


def record_failure(run_dir: str | Path, message: str) -> None:
    """Write the error that ended the run in ``run_dir`` to its ``failed.txt``, for :func:`failure_of`; not beside a
    finished record (an error after it was written, such as a sweep's metric it lacks, leaves it finished). A name
    that is no UTF-8 (a file's, in the message) is written escaped."""
    run_dir = Path(run_dir)
    if not (run_dir / METRICS).exists():
        text = message.strip().encode("utf-8", "backslashreplace").decode("utf-8")
        write_text_atomic(run_dir / FAILED, text + "\n")


def clear_failure(run_dir: str | Path) -> None:
    """Remove the ``failed.txt`` an earlier run in ``run_dir`` left (a link is removed, not followed; anything else of
    that name, a folder, is left alone): a run starting there has not failed."""
    path = Path(run_dir) / FAILED
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)


def failure_of(run_dir: str | Path) -> str | None:
    """The first line of the error ``failed.txt`` records in ``run_dir``, or None. Only a regular file of the run's own
    is read, and only its first 4 KiB: a link or a pipe there (in a folder someone handed over) is neither followed
    nor waited on."""
    path = Path(run_dir) / FAILED
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # not even opened: a device may act on an open
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        text = f.read(FAILED_MAX_BYTES).decode("utf-8", "replace")
    return next((line.strip() for line in text.splitlines() if line.strip()), None)


def _in_stage(path: Path) -> bool:
    """Whether ``path`` is inside the staging folder of a record being written, which readers skip."""
    return any(part.startswith(STAGE_PREFIX) for part in path.parts)


def training_documents(folds) -> frozenset:
    """The ids the recorded model was fitted on: the train side of one split, every document CV folded."""
    if len(folds) == 1:
        return folds[0].train
    return frozenset().union(*(fold.train | fold.test for fold in folds))


def task_names(task) -> dict:
    """What the run record says was learnt: ``{"task": NAME}``, or ``{"subtasks": {STEP: NAME}}`` for
    several, each the task's own ``name``, so readers (``mining compare --test``) need no class paths."""
    if isinstance(task, dict):
        return {"subtasks": {step: part.name for step, part in task.items()}}
    return {"task": task.name}
