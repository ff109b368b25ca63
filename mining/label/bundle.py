"""Read and check a labelling bundle's run directory: its tasks and the spaCy pipeline it parsed with."""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from typing import Any

from mining.errors import NotFinishedError, RunRecordError, SetupError, UsageError, short_repr
from mining.nlp.pipeline import PACKAGE_NAME, PipelineInfo, find_pipeline
from mining.runs.record import MODEL, TASKS, load_tasks, read_meta, read_resolved_config

# The steps of a bundle, in the order they run; segmentation and components are required.
STEPS = ("segmentation", "components", "stance", "relations")
REQUIRED = ("segmentation", "components")


def default_model() -> Path:
    """The run directory of the model that ships with the package: ``experiment=news_miner`` trained on
    text the project owns (the news reports' training split and the sample's news reports)."""
    path = _default_dir()
    if not (path / MODEL).is_file():
        raise SetupError(f"this install has no default model ({path} holds no {MODEL}); give --model RUN_DIR, "
                         "the run directory of `mining run experiment=news_miner` (or experiment=miner)")
    return path


def _default_dir() -> Path:
    return Path(str(resources.files("mining.label") / "default_model"))


def pipeline_info(meta: dict[str, Any], run_dir: Path) -> PipelineInfo:
    """The spaCy pipeline a run's ``meta.json`` recorded, or a RunRecordError when it names none, or a field of
    it is unknown, missing or of another type."""
    recorded = meta.get("spacy_pipeline")
    where = f"{run_dir}/meta.json"
    if not recorded:
        raise RunRecordError(f"{where} does not name the spaCy pipeline the run was trained with")
    if not isinstance(recorded, dict):
        raise RunRecordError(f"{where}: its 'spacy_pipeline' must be an object, got a {type(recorded).__name__}")
    fields = {f.name: f for f in dataclasses.fields(PipelineInfo)}
    unknown = [str(k) for k in recorded if k not in fields]
    missing = [k for k, f in fields.items() if k not in recorded and f.default is dataclasses.MISSING]
    if unknown or missing:
        what = f"the unknown field(s) {', '.join(unknown)}" if unknown else f"no {', '.join(missing)}"
        raise RunRecordError(f"{where}: its 'spacy_pipeline' has {what}; a run records {', '.join(fields)}")
    for key, value in recorded.items():
        if not _of_type(value, fields[key].type):
            raise RunRecordError(f"{where}: its 'spacy_pipeline.{key}' must be {_EXPECTED[fields[key].type]}, got "
                                 f"{type(value).__name__} {value!r}"[:300])
    if not PACKAGE_NAME.fullmatch(recorded["package"]):  # spaCy would load a folder, or a module given by dots
        raise RunRecordError(f"{where}: its 'spacy_pipeline.package' {short_repr(recorded['package'])} is no package "
                             "name; a run's pipeline is loaded by the name of its installed package, never from a path")
    return PipelineInfo(**{k: tuple(v) if isinstance(v, list) else v for k, v in recorded.items()})


# The types of PipelineInfo's fields (as ``from __future__ import annotations`` writes them) in words.
_EXPECTED = {"str": "a string", "bool": "true or false", "tuple[str, ...]": "a list of strings"}


def _of_type(value: Any, kind: str) -> bool:
    if kind == "tuple[str, ...]":
        # a list as JSON reads it, a tuple as PipelineInfo.to_dict gives it (a run's meta before it is written)
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    return isinstance(value, bool) if kind == "bool" else isinstance(value, str)


def check_installed(info: PipelineInfo, run_dir: Path | str) -> None:
    """The recorded pipeline must be the one installed: a model never meets parses of another pipeline."""
    installed = find_pipeline([info.package], exclude=info.exclude)
    if installed.version != info.version:
        raise SetupError(f"{run_dir} was trained with {info.package} {info.version}, but {installed.version} is "
                           f"installed; install {info.package}=={info.version} or retrain")


def check_bundle(run_dir: Path, check_pipeline: bool = True) -> tuple[dict[str, Any], PipelineInfo, dict[str, Any]]:
    """The tasks, pipeline and ``meta.json`` of a run of ``experiment=miner``, read without its (large) model file."""
    if not (run_dir / MODEL).exists():
        raise NotFinishedError(f"{run_dir} has no {MODEL}: it is not a finished run")
    tasks = load_tasks(run_dir)
    if not isinstance(tasks, dict):
        raise UsageError(f"{run_dir} is a single-task run ({getattr(tasks, 'name', '?')}); label with a run of "
                         "`mining run experiment=miner`, or combine runs with ArgumentMiner.from_runs")
    check_steps(run_dir, TASKS, tasks)
    meta = read_meta(run_dir)
    info = pipeline_info(meta, run_dir)
    if check_pipeline:
        check_installed(info, run_dir)
    return tasks, info, meta


def check_steps(run_dir: Path, name: str, steps: Any, tasks: dict[str, Any] | None = None) -> None:
    """``name`` (``tasks.skops`` or ``model.skops``) of a bundle must map the steps (``STEPS``, at least
    ``REQUIRED``) to their objects; a model's steps must each have a task in ``tasks``."""
    where = f"{run_dir}: its {name}"
    if not isinstance(steps, dict):
        raise RunRecordError(f"{where} holds a {type(steps).__name__}, not the steps of a bundle ({', '.join(STEPS)}); "
                             "is it a single-task run's? label with a run of `mining run experiment=miner`")
    if (problem := step_problem(steps)) is not None:
        raise RunRecordError(f"{where} {problem}")
    untasked = [s for s in steps if tasks is not None and s not in tasks]
    if untasked:
        raise RunRecordError(f"{where} has the step(s) {', '.join(untasked)}, but its {TASKS} has no task for them; "
                             "its files come from different runs")


def step_problem(steps: dict[str, Any]) -> str | None:
    """What is wrong with the step names of a bundle (a required one missing, an unknown one), or None."""
    missing = [s for s in REQUIRED if s not in steps]
    if missing:
        return (f"lacks the step(s) {', '.join(missing)} (a bundle needs {', '.join(REQUIRED)}; it has "
                f"{', '.join(map(str, steps)) or 'none'}); label with a run of `mining run experiment=miner`")
    unknown = [str(s) for s in steps if s not in STEPS]
    if unknown:
        return f"has unknown step(s) {', '.join(unknown)}; the steps are {', '.join(STEPS)}"
    return None


def describe_bundle(run_dir: str | Path) -> str | None:
    """One line naming a bundle's domain and training data, from its ``meta.json`` (and ``config.yaml``, which
    says whether the sample's news reports were added): ``model: RUN (news, trained on news: 20 of 32
    documents)``; None without a ``meta.json`` (loading the bundle then says what is wrong)."""
    if not (Path(run_dir) / "meta.json").is_file():
        return None
    meta = read_meta(Path(run_dir))
    data = meta.get("data") or {}  # an object: read_meta checked
    trained = str(data.get("name", "?"))
    if _config_data(Path(run_dir)).get("sample_news"):  # the counts below include them
        trained += " and the sample's news reports"
    if data.get("training_documents") is not None:
        trained += f": {data['training_documents']} of {data.get('documents', '?')} documents"
    name = "the default model" if Path(run_dir).resolve() == _default_dir().resolve() else run_dir
    return f"model: {name} ({meta.get('domain') or 'domain not recorded'}, trained on {trained})"


def _config_data(run_dir: Path) -> dict[str, Any]:
    """The ``data`` group of a run's ``config.yaml``; empty when there is none or it is unreadable (the line
    :func:`describe_bundle` prints is informative only: loading the bundle checks the run)."""
    try:
        data = read_resolved_config(run_dir).get("data")
    except (OSError, RunRecordError):
        return {}
    return data if isinstance(data, dict) else {}
