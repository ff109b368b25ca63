"""``mining run``: the Hydra job that composes a config, runs one experiment and writes its run record."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import textwrap
from pathlib import Path

from mining.cli.errors import debug_enabled, explain, report, setting_env
from mining.cli.paths import CONFIG_DIR, PACKAGE_DIR, group_options
from mining.errors import SetupError, UsageError, listed, printable, short_repr
from mining.progress import note, reporting, to_stderr

QUIET_ENV = "MINING_QUIET"  # set by `mining run --quiet`; jobs in other processes (launchers) read it

# The metrics the one-line summary of a run shows (besides the metric to optimise).
SUMMARY_SUFFIXES = ("macro_f1", "macro_f1.mean", "macro_f1.std", "accuracy", "accuracy.mean")
SUMMARY_WIDTH = 120
# Hydra's flags that choose what it does, of which it takes one
HYDRA_MODES = {"-m": "multirun", "--multirun": "multirun", "-c": "cfg", "--cfg": "cfg", "-i": "info", "--info": "info"}


def add_run_command(commands: argparse._SubParsersAction) -> None:
    """``mining run``: listed for --help only; ``main`` hands its arguments to Hydra before argparse."""
    commands.add_parser("run", help="run an experiment: mining run [--quiet] [-m] [HYDRA OVERRIDES...]",
                        add_help=False)


def run(argv: list[str]) -> int:
    """``mining run [--quiet] [HYDRA ARGS...]``: Hydra parses ``argv`` and runs :func:`experiment_job` once per job.

    Each job reports the progress of its stages on stderr (``mining.progress``); ``--quiet`` (or
    ``MINING_QUIET=1``, which carries it to jobs in other processes) silences that and the parse bar.

    ``HYDRA_FULL_ERROR=1`` makes Hydra raise what fails outside a job (composing the config, creating the
    run directory) instead of printing it, so that :func:`mining.cli.main` can say it in one line.
    """
    import hydra

    if not (CONFIG_DIR / "config.yaml").exists():
        raise SetupError(f"Hydra configs not found at {CONFIG_DIR}: the installation is incomplete")
    register_resolvers()
    modes = [a for a in argv if a in HYDRA_MODES or a.startswith(("--cfg=", "--info="))]
    if len({HYDRA_MODES.get(a.split("=")[0], a) for a in modes}) > 1:
        raise UsageError(f"{' and '.join(modes)}: one at a time (--cfg and --info print one run's settings; leave out "
                         "-m, and give each setting one value)")
    check_group_overrides(argv)
    sys.argv = ["mining run", *(a for a in argv if a != "--quiet")]
    from mining.cli.claims import ClaimRunDirectory

    try:
        with setting_env("HYDRA_FULL_ERROR", "1"), setting_env(QUIET_ENV, "1" if "--quiet" in argv else None):
            hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")(_run_job)()
    finally:  # a job that fails ends with SystemExit, and Hydra then skips the callbacks' on_*_end
        ClaimRunDirectory.release_all()
    return 0


def check_group_overrides(argv: list[str]) -> None:
    """Refuse ``GROUP=null`` (``tracking=null`` for ``tracking=none``) and an override with no key (``=null``):
    Hydra raises a bare ValueError for them, a traceback naming no override. And ``GROUP=[A,B]``, which Hydra merges
    into one setting without a word, where a sweep (``-m GROUP=A,B``) was meant."""
    for arg in argv:
        key, equals, value = arg.lstrip("+~").partition("=")
        if equals and not key:  # "=null": Hydra's own error is a traceback naming no override
            raise UsageError(f"{arg}: no setting before '=' (e.g. model.C=1)")
        group = CONFIG_DIR / key
        if equals and value.strip().startswith("[") and group.is_dir() and not key.startswith("hydra"):
            raise UsageError(f"{arg}: a list merges those options into one {key}, the last winning where they differ; "
                             f"to run each in turn, sweep them: mining run -m {key}={value.strip().strip('[]')}")
        values = [v.strip() for v in value.split(",")]  # a sweep's values too (-m model=null,logreg)
        if not (equals and "null" in values and not arg.startswith("-") and group.is_dir()):
            continue
        # hydra/launcher and the like have options from plugins as well: those are not listed
        options = "" if key.startswith("hydra") else f" ({', '.join(group_options(key))})"
        hint = "; leave experiment= out to run without one" if key == "experiment" else ""
        raise UsageError(f"{arg}: the config group {key} takes one of its options{options}, not null{hint}")


def compose_experiment(overrides: list[str]):
    """The config that ``mining run OVERRIDES`` would run, composed without running it (benchmarks
    build their models from it with :func:`build_part`)."""
    from hydra import compose, initialize_config_dir

    from mining.cli.paths import CONFIG_DIR

    register_resolvers()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("config", overrides=list(overrides))


def register_resolvers() -> None:
    """``${corpus_path:NAME}`` in configs/data: the same rule as every other command (``mining.corpora``)."""
    from omegaconf import OmegaConf

    from mining.corpora import corpus_path

    OmegaConf.register_new_resolver("corpus_path", corpus_path, replace=True)


def _run_job(cfg) -> float:
    """One Hydra job; bad input ends it with a one-line error (exit status 2) instead of a traceback. The error that
    ends a job is also written to its folder's ``failed.txt``: ``mining compare`` names it there."""
    from hydra.core.hydra_config import HydraConfig

    from mining.runs.record import clear_failure

    run_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        clear_failure(run_dir)  # an earlier run's, in this folder
        check_settings(cfg)
        return experiment_job(cfg)
    except Exception as e:
        message = None if debug_enabled() else explain(e, cfg)
        _record_failure(run_dir, message or f"{type(e).__name__}: {e} (the traceback is on stderr)")
        if message is None:
            raise
        job = _sweep_job()  # a launcher's processes (joblib) print their jobs' errors in any order: name the job
        sys.exit(report(message if job is None else f"{_job_label(job)} failed: {message}"))


def _record_failure(run_dir: Path, message: str) -> None:
    """:func:`mining.runs.record.record_failure`, unless the folder cannot take it (the error may be just that): the
    job's own error is the one to report, and it is on stderr either way."""
    from mining.runs.record import record_failure

    try:
        record_failure(run_dir, message)
    except OSError:
        pass


def check_settings(cfg) -> None:
    """Settings that would otherwise fail deep inside a run with an error that does not name them."""
    if not isinstance(cfg.seed, int) or isinstance(cfg.seed, bool):
        raise UsageError(f"seed={cfg.seed!r}: expected an integer, e.g. seed=0")
    # meta.json records both, and its readers (publish, reproduce, label) refuse one that is no string; a blank name
    # (a shell variable not set) put the run in logs/runs/, beside the experiments' folders
    for key, example in (("name", "my_experiment"), ("domain", "news")):
        value = cfg.get(key)
        if key == "domain" and value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{key}={value!r}: expected a name, e.g. {key}={example} (quote one that YAML reads as "
                             f"another type, inside the shell's quotes: \"{key}='2024'\")")
    # ~model (or ~task, ~features) removed a setting every run of one task reads: "Key 'model' is not in struct"
    # came after the parse
    for group in () if cfg.get("subtasks") else ("task", "features", "model"):
        if group not in cfg:
            raise UsageError(f"~{group} removed the setting {group}, which every run reads: choose one instead "
                             f"({group}=OPTION; the options are {', '.join(group_options(group))})")
    # Counts read only in some runs (n_jobs where there are subtasks) or deep in spaCy's nlp.pipe, which fails
    # with an error naming neither (n_process=-5) or parses nothing at all (batch_size=0): checked in every run.
    counts = {"n_jobs": cfg.get("n_jobs", 1), "nlp.n_process": cfg.nlp.get("n_process", 1),
              "nlp.batch_size": cfg.nlp.get("batch_size", 1)}
    for key, value in counts.items():
        all_cpus = key != "nlp.batch_size" and value == -1  # as spaCy and scikit-learn read it: one per CPU
        if isinstance(value, bool) or not isinstance(value, int) or value < 1 and not all_cpus:
            also = " (or -1: one per CPU)" if key != "nlp.batch_size" else ""
            raise UsageError(f"{key}={value!r}: expected a whole number of at least 1{also}, e.g. {key}=1")


def quiet() -> bool:
    """Whether ``mining run --quiet`` (``MINING_QUIET=1``) asked for no progress lines."""
    return os.environ.get(QUIET_ENV, "") not in ("", "0")


def experiment_job(cfg) -> float:
    """One job with its progress reported on stderr, unless quiet (:func:`_experiment` does the work); in a sweep
    each line names its job, whose lines the launcher's processes interleave."""
    with reporting(None if quiet() else _job_writer()):
        return _experiment(cfg)


def _job_writer():
    """``to_stderr``, with the job's number and overrides before each line when the job is one of a sweep."""
    hydra_cfg = _sweep_job()
    if hydra_cfg is None:
        return to_stderr
    prefix = _job_label(hydra_cfg) + " "
    return lambda line: to_stderr(prefix + line)


def _sweep_job():
    """Hydra's config of the running job when it is one of a sweep's, else None."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    hydra_cfg = HydraConfig.get() if HydraConfig.initialized() else None
    return hydra_cfg if hydra_cfg is not None and hydra_cfg.mode == RunMode.MULTIRUN else None


def _job_label(hydra_cfg) -> str:
    """A sweep's job, as its progress and result lines name it."""
    return f"[job {hydra_cfg.job.num}: {hydra_cfg.job.override_dirname}]"


def _experiment(cfg) -> float:
    """Compose -> plain objects -> ``run_experiment`` -> run record -> the metric to optimise."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode
    from hydra.utils import instantiate
    from omegaconf import OmegaConf

    from mining.experiment import Timer, fixed_blas_threads
    from mining.nlp.cache import parse_documents
    from mining.runs.record import task_names, training_documents, write_record

    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    timer = Timer()
    with timer.stage("load"):
        docs = load_documents(cfg.data)
    info = pipeline_of(cfg.nlp)
    note(f"{cfg.name}: {len(docs)} documents; parsing with {info.package} {info.version}")
    with timer.stage("parse"):
        parsed, from_cache = parse_documents(docs, info, cache_dir=cfg.paths.cache_dir,
                                             n_process=cfg.nlp.n_process, batch_size=cfg.nlp.batch_size,
                                             progress=False if quiet() else cfg.nlp.progress)
    note(f"parse: done in {timer.seconds['parse']:.1f} s (cache {'hit' if from_cache else 'miss'})")
    evaluation = instantiate(cfg.evaluation, _convert_="all")
    left_out = warn_left_out(evaluation, docs, cfg.data)
    if cfg.optimized_metric is None:  # the evaluation's macro-F1; the record's config.yaml names it
        cfg.optimized_metric = default_metric(evaluation.prefix)
    sweep = hydra_cfg.mode == RunMode.MULTIRUN
    if sweep:  # an optimising sweeper (Optuna) reads the metric, `mining compare` sorts by it: refuse a wrong
        # prefix now, not after every job's fit
        check_optimized_prefix(cfg.optimized_metric, evaluation.prefix)
    with fixed_blas_threads():
        result = fit_and_score(cfg, docs, parsed, evaluation, timer)
        if cfg.get("end_to_end"):  # label the test documents' raw text with the fitted bundle and score it
            from mining.label.end_to_end import add_end_to_end  # the labeller only when asked for

            add_end_to_end(result, docs, parsed, pipeline=info, run_dir=run_dir, prefix=evaluation.prefix,
                           timer=timer, domain=cfg.get("domain"))
    meta = run_meta(cfg, hydra_cfg, docs=docs, pipeline=info, from_cache=from_cache, timings=result.timings)
    meta.update(provenance(docs, parsed, result.predictions))
    meta["data"]["training_documents"] = len(training_documents(result.folds))
    if left_out:  # in the record too, not only in a warning that scrolls by
        meta["data"]["left_out_documents"] = [d.id for d in left_out]
    meta.update(task_names(result.task))
    note(f"record: writing the model, predictions and plots to {run_dir}")
    with timer.stage("record"):
        write_record(run_dir, metrics=result.metrics, meta=meta, predictions=result.predictions, model=result.model,
                     tasks=result.task, config_yaml=OmegaConf.to_yaml(cfg, resolve=True))
    name = f"{cfg.name} {_job_label(hydra_cfg)}" if sweep else cfg.name
    print(summary(name, result.metrics, cfg.optimized_metric)
          + f"\nrun record: {run_dir} (pipeline {info.package} {info.version}, "
            f"parse cache {'hit' if from_cache else 'miss'})")
    value = optimized_value(result.metrics, cfg.optimized_metric, evaluation.prefix, required=sweep, record=run_dir)
    if cfg.tracking:  # tracking=mlflow: a partial of mining.runs.tracking.log_run, reading the finished record
        instantiate(cfg.tracking)(run_dir)
    return value


def warn_left_out(evaluation, docs, data_cfg) -> list:
    """Name the documents an official split leaves out (``OfficialSplit.left_out``), and return them: without a word,
    a misspelt ``split`` ("trian") or none at all (a pull from an annotation server without ``--split``) took them out
    of training and test alike."""
    left = evaluation.left_out(docs) if hasattr(evaluation, "left_out") else []
    if left:
        where = data_cfg.get("path") or data_cfg.get("name") or "the corpus"
        print(printable(f"warning: {where}: {len(left)} of {len(docs)} document(s) are in neither the training split "
                        f"{evaluation.train_split!r} nor the test split {evaluation.test_split!r}, so neither trained "
                        f"nor tested on: {listed([f'{d.id} ({_split_of(d)})' for d in left])}; a document's "
                        '"split" field places it'), file=sys.stderr)  # ids are the corpus's: no terminal codes
    return left


def _split_of(doc) -> str:
    return "no split" if doc.split is None else f"split {doc.split!r}"


def pipeline_of(nlp_cfg):
    """The spaCy pipeline an experiment's ``nlp`` configuration names (``packages``, ``exclude``, ``line_sentences``),
    found as ``mining.nlp.pipeline.find_pipeline`` finds it."""
    from mining.nlp.pipeline import find_pipeline

    return find_pipeline(list(nlp_cfg.packages), exclude=list(nlp_cfg.exclude),
                         line_sentences=bool(nlp_cfg.get("line_sentences", False)))


def load_documents(data) -> list:
    """The corpus of the ``data`` config group, validated."""
    from mining.dataset.validation import validate_documents

    # The sample is one shipped file; `news` takes a path on purpose: a variant of the news training file, with the
    # sample's news reports added (``experiment=news_miner data.path=FILE``, experiments/news-history.md).
    if data.name == "sample" and data.get("path") is not None:  # as `mining data ... sample --path` refuses it
        raise UsageError(f"data.path={data.path}: corpus {data.name!r} ships with mining and takes no path (the run "
                         f"would read your file and be named and recorded as {data.name!r}); to train on it, add "
                         "data=custom (its format is detected)")
    docs = corpus_loader(data)()
    if not docs:
        raise UsageError(f"{data.path or data.name}: the corpus holds no documents")
    validate_documents(docs, file=str(data.path or data.name))
    return docs


def corpus_loader(data):
    """The ``data`` config group as a loader to call with no arguments: its ``_target_`` with every key but
    ``name`` (the corpus's name in the run's name and record) bound as an argument."""
    import inspect

    from hydra.utils import instantiate
    from omegaconf import OmegaConf

    from mining.corpora import CORPUS_FOLDERS, check_corpus_path

    spec = OmegaConf.to_container(data, resolve=True)
    name = spec.pop("name")
    load = instantiate(spec, _convert_="all")
    given = load.keywords.get("path")
    if isinstance(given, str) and not given.strip():  # `data.path=$CORPUS` with the variable unset
        raise UsageError(f"data.path={given!r}: expected the path of a file or folder (a blank one would read the "
                         "current folder)")
    path = inspect.signature(load.func).parameters.get("path")
    if given is None and path is not None and path.default is inspect.Parameter.empty:
        raise UsageError(f"corpus {name!r} needs a path: pass data.path=PATH (the corpus is not shipped with mining)")
    if name in CORPUS_FOLDERS:
        check_corpus_path(name, given)
    return load


def build_part(part) -> tuple:
    """The task of a config part (the root or one subtask) and its ``Pipeline([features, model])``."""
    from hydra.utils import instantiate
    from sklearn.pipeline import Pipeline

    task = instantiate(part.task, _convert_="all")
    steps = [(name, instantiate(part[name], _convert_="all")) for name in ("features", "model")]
    for name, step in steps:  # else Pipeline's TypeError, a traceback naming no setting
        needs = ("fit", "transform") if name == "features" else ("fit",)
        skipped = name == "features" and (step is None or step == "passthrough")  # features: null (a tagger's own)
        if not skipped and not all(hasattr(step, method) for method in needs):
            what = (f"a mapping without _target_ ({short_repr(step)})" if type(step) is dict
                    else f"{type(step).__module__}.{type(step).__qualname__}")
            role, example = ("transformer", "components") if name == "features" else ("estimator", "logreg")
            raise UsageError(f"{part._get_full_key(name)}: builds {what}, which has no {' or '.join(needs)} method: "
                             f"point its _target_ at a scikit-learn {role} (e.g. {name}={example})")
    estimator = Pipeline(steps)
    if hasattr(task, "check_estimator"):  # what the task needs of its model, before anything is fitted
        task.check_estimator(estimator)
    return task, estimator


def fit_and_score(cfg, docs, parsed, evaluation, timer):
    """Run the one task of ``cfg``, or its ``subtasks`` on the same folds, each with its own features and model.

    With ``evaluation.grid`` (nested CV) each task gets its candidate settings instead of one estimator."""
    from mining.evaluation.splits import NestedCV
    from mining.experiment import run_experiment, run_nested, run_subtasks

    grid = cfg.evaluation.get("grid")
    if isinstance(evaluation, NestedCV) and grid is None:
        raise UsageError("evaluation=nested_cv needs evaluation.grid, the candidate settings to choose among "
                         "(name -> {config key: value}); experiment=microtexts_nested has one")
    if cfg.get("subtasks"):
        subtasks = ({name: build_part(part) for name, part in cfg.subtasks.items()} if grid is None
                    else grid_candidates(cfg, grid))
        return run_subtasks(docs=docs, parsed=parsed, subtasks=subtasks, evaluation=evaluation, seed=cfg.seed,
                            timer=timer, n_jobs=cfg.n_jobs, first=list(cfg.subtasks_first))
    if grid is not None:
        task, candidates = grid_candidates(cfg, grid)[""]
        return run_nested(docs=docs, parsed=parsed, task=task, candidates=candidates, evaluation=evaluation,
                          seed=cfg.seed, timer=timer)
    task, estimator = build_part(cfg)
    return run_experiment(docs=docs, parsed=parsed, task=task, estimator=estimator, evaluation=evaluation,
                          seed=cfg.seed, timer=timer)


def grid_candidates(cfg, grid) -> dict:
    """``{part name: (task, {candidate name: Pipeline})}`` for nested CV: each candidate of ``grid`` (name ->
    ``{dotted config key: value}``, keys from the config root, e.g. ``subtasks.role.features.syntax``) applied
    to a copy of ``cfg``. A candidate that leaves a part as an earlier candidate had it is not tried again for
    that part; the root experiment (no subtasks) is the part ``""``."""
    from omegaconf import OmegaConf

    if not grid:
        raise UsageError("evaluation.grid is empty: nested CV needs candidate settings (name -> {config key: value})")
    tasks: dict = {}  # part -> the task its first candidate built
    specs: dict = {}  # part -> the (task, features, model) settings tried so far
    candidates: dict = {}  # part -> {candidate name: pipeline}
    for name, changes in grid.items():
        variant = OmegaConf.create(OmegaConf.to_container(cfg, resolve=False))
        for key, value in (changes or {}).items():
            if "." in key and OmegaConf.select(variant, key.rsplit(".", 1)[0]) is None:
                raise UsageError(f"evaluation.grid.{name}: {key!r} is not inside the config (its parent is missing)")
            _check_grid_value(variant, f"evaluation.grid.{name}", key, value)
            OmegaConf.update(variant, key, value, merge=False)
        named = variant.subtasks.items() if cfg.get("subtasks") else [("", variant)]
        for part_name, part in named:
            resolved = OmegaConf.to_container(part, resolve=True)
            spec = {k: resolved.get(k) for k in ("task", "features", "model")}
            if spec in specs.setdefault(part_name, []):
                continue
            specs[part_name].append(spec)
            task, pipeline = build_part(part)
            tasks.setdefault(part_name, task)
            candidates.setdefault(part_name, {})[name] = pipeline
    return {part: (tasks[part], candidates[part]) for part in tasks}


def _check_grid_value(variant, where: str, key: str, value) -> None:
    """Refuse a grid value that would replace a whole setting with a few of its keys: ``+evaluation.grid.a.model.C=1``
    makes ``{a: {model: {C: 1}}}``, which leaves ``model`` without its ``_target_``."""
    from omegaconf import DictConfig, OmegaConf

    current = OmegaConf.select(variant, key)
    if not (isinstance(value, DictConfig) and value and "_target_" not in value
            and isinstance(current, DictConfig) and "_target_" in current):
        return
    path, leaf = [key], value
    while isinstance(leaf, DictConfig) and leaf:  # the first key it sets, with dots
        inner = next(iter(leaf))
        path, leaf = [*path, str(inner)], leaf[inner]
    dotted = f"{'.'.join(path)}: {leaf}"
    raise UsageError(f"{where}: {key}: {short_repr(OmegaConf.to_container(value))} would replace the whole setting, "
                     f"_target_ and all; name each key it changes with dots, e.g. {{{dotted}}} (on the command line: "
                     f"'+{where}={{{dotted.replace(' ', '')}}}')")


def run_meta(cfg, hydra_cfg, *, docs, pipeline, from_cache: bool, timings: dict) -> dict:
    """``meta.json``: what ran (config choices, overrides, versions, git state) and on which data."""
    from mining.corpora import jsonl
    from mining.runs.record import git_state, package_versions

    return {
        "name": cfg.name,
        "domain": cfg.get("domain"),
        "seed": cfg.seed,
        "overrides": list(hydra_cfg.overrides.task),
        "config_name": hydra_cfg.job.config_name,
        "choices": {k: v for k, v in hydra_cfg.runtime.choices.items() if not k.startswith("hydra")},
        "git": git_state(PACKAGE_DIR.parent),
        "packages": package_versions(),
        "spacy_pipeline": pipeline.to_dict(),
        "parse_cache_hit": from_cache,
        "data": {"name": cfg.data.name, "path": str(Path(cfg.data.path).resolve()) if cfg.data.path else None,
                 "documents": len(docs), "fingerprint": jsonl.fingerprint(docs)},
        "timings": timings,
    }


def provenance(docs, parsed, predictions) -> dict:
    """What decides the numbers on another machine besides code, packages and data: a fingerprint of
    every parse, the platform (CPU, BLAS kernel and threads) and a fingerprint of the predictions;
    ``mining reproduce`` compares them to say why a re-run differs."""
    from mining.experiment import BLAS_THREADS
    from mining.nlp.fingerprint import parses_fingerprint
    from mining.runs.machine import platform_info
    from mining.runs.record import predictions_fingerprint

    platform = {**platform_info(), "fit_blas_threads": BLAS_THREADS}
    return {"parses": parses_fingerprint([d.id for d in docs], parsed), "platform": platform,
            "predictions": predictions_fingerprint(predictions)}


def default_metric(prefix: str, subtask: str | None = None) -> str:
    """The metric a run optimises unless its config names one: its evaluation's macro-F1 (``test.macro_f1``, or the
    mean over folds, ``cv.macro_f1.mean``), or a subtask's (``test.<subtask>.macro_f1``)."""
    return ".".join([prefix, *([subtask] if subtask else []), "macro_f1"]) + ("" if prefix == "test" else ".mean")


def _example_metric(prefix: str) -> str:
    return f"{default_metric(prefix)} (with subtasks: {default_metric(prefix, '<subtask>')})"


def check_optimized_prefix(key: str, prefix: str) -> None:
    """Refuse a metric to optimise that the evaluation cannot score: its scores are all ``<prefix>.*``."""
    if key.split(".", 1)[0] != prefix:
        raise UsageError(f"optimized_metric={key!r}: this evaluation's scores are named {prefix}.*; "
                         f"set e.g. optimized_metric={_example_metric(prefix)}")


def optimized_value(metrics: dict, key: str, prefix: str, *, required: bool = True,
                    record: Path | None = None) -> float:
    """The metric to optimise. A missing one, or one that is no number, raises where it is ``required`` (a sweep's
    sweeper reads it) rather than returning a guess; otherwise it is NaN, with a warning on stderr (the run and its
    record are complete). A NaN (a run that could not score it) is returned with a warning naming ``record``,
    sweep or not: the sweeper gets the run's own value, and the user learns it is none."""
    from mining.runs.aggregate import is_number, is_score

    value = metrics.get(key)
    where = f" (record: {record})" if record is not None else ""
    if is_score(value):
        return float(value)
    if is_number(value):
        reader = "a sweeper cannot rank this job by it" if required else "only a sweep reads it"
        print(f"warning: optimized_metric={key!r} is NaN, not a score (the run could not score it); {reader}{where}",
              file=sys.stderr)
        return float("nan")
    if key in metrics:
        message = f"optimized_metric={key!r} is a {type(value).__name__}, not a score: name a number"
    else:
        close = difflib.get_close_matches(key, [k for k in metrics if not isinstance(metrics[k], list)], n=3)
        hint = (f"the closest are {', '.join(close)}" if close and key.split(".", 1)[0] == prefix
                else f"this evaluation's scores are named {prefix}.*, e.g. {_example_metric(prefix)}")
        message = f"optimized_metric={key!r} is not among the metrics ({hint})"
    if required:
        raise UsageError(message)
    print(f"warning: {message}; only a sweep reads it{where}", file=sys.stderr)
    return float("nan")


def summary(name: str, metrics: dict, key: str) -> str:
    """The run's name with its macro-F1 and accuracy scores and the metric to optimise, wrapped at ``SUMMARY_WIDTH``
    characters between scores (a bundle has a score per step: one line of them ran to 900 characters)."""
    from mining.runs.aggregate import is_number

    shown = [f"{k}={v:.4f}" for k, v in metrics.items() if (k.endswith(SUMMARY_SUFFIXES) or k == key) and is_number(v)]
    # the name (a sweep job's holds its overrides) stays whole on the first line; the scores wrap after it
    lines = textwrap.wrap(", ".join(shown), width=max(SUMMARY_WIDTH - len(name) - 2, 40), break_long_words=False,
                          break_on_hyphens=False)
    return f"{name}: " + "\n  ".join(lines)
