"""The command line: the one place where argv (and Hydra, for ``mining run``) meets the library."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mining.errors import CorpusError

PACKAGE_DIR = Path(__file__).resolve().parent
CONFIG_DIR = PACKAGE_DIR / "configs"  # a symlink to the top-level configs/ in a checkout


def _cmd_stats(args: argparse.Namespace) -> int:
    from mining.corpora import load_corpus
    from mining.stats import corpus_stats, format_stats

    stats = corpus_stats(load_corpus(args.name, args.path))
    print(json.dumps(stats, indent=2) if args.json else format_stats(stats))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from mining.validation import validate_path

    problems = validate_path(args.path, fmt=args.format, strict=args.strict)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"{args.path}: ok")
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from mining.corpora import brat, hf, jsonl, load_corpus
    from mining.validation import validate_documents

    docs = load_corpus(args.name, args.path)
    validate_documents(docs, file=str(args.path))
    if args.to == "jsonl":
        n = jsonl.save(docs, args.output)
    elif args.to == "brat":
        n = brat.save(docs, args.output)
    else:
        hf.to_dataset(docs).save_to_disk(str(args.output))
        n = len(docs)
    print(f"wrote {n} documents to {args.output} ({args.to})")
    return 0


def _run_job(cfg) -> float:
    """One Hydra job; bad input ends it with a one-line error instead of a traceback."""
    from mining.runs.tracking import TrackingError

    try:
        return _experiment_job(cfg)
    except (CorpusError, OSError, TrackingError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)


def _experiment_job(cfg) -> float:
    """Compose -> plain objects -> ``run_experiment`` -> run record -> the metric to optimise."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.utils import instantiate
    from omegaconf import OmegaConf
    from sklearn.pipeline import Pipeline

    from mining.corpora import jsonl, load_corpus
    from mining.experiment import Timer, run_experiment, run_subtasks
    from mining.nlp.cache import parse_documents
    from mining.nlp.pipeline import find_pipeline
    from mining.runs.record import git_state, package_versions, write_record
    from mining.validation import validate_documents

    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    timer = Timer()
    with timer.stage("load"):
        options = OmegaConf.to_container(cfg.data.options, resolve=True)
        docs = load_corpus(cfg.data.name, cfg.data.path, **options)
        validate_documents(docs, file=str(cfg.data.path or cfg.data.name))
    info = find_pipeline(list(cfg.nlp.packages), exclude=list(cfg.nlp.exclude))
    with timer.stage("parse"):
        parsed, from_cache = parse_documents(docs, info, cache_dir=cfg.paths.cache_dir,
                                             n_process=cfg.nlp.n_process, batch_size=cfg.nlp.batch_size,
                                             progress=cfg.nlp.progress)
    def build(part) -> tuple:
        return instantiate(part.task, _convert_="all"), Pipeline([
            ("features", instantiate(part.features, _convert_="all")),
            ("model", instantiate(part.model, _convert_="all"))])

    evaluation = instantiate(cfg.evaluation, _convert_="all")
    if cfg.get("subtasks"):  # several tasks on the same folds, each with its own features and model
        subtasks = {name: build(part) for name, part in cfg.subtasks.items()}
        result = run_subtasks(docs=docs, parsed=parsed, subtasks=subtasks, evaluation=evaluation, seed=cfg.seed,
                              timer=timer)
    else:
        task, estimator = build(cfg)
        result = run_experiment(docs=docs, parsed=parsed, task=task, estimator=estimator, evaluation=evaluation,
                                seed=cfg.seed, timer=timer)
    meta = {
        "name": cfg.name,
        "seed": cfg.seed,
        "overrides": list(hydra_cfg.overrides.task),
        "config_name": hydra_cfg.job.config_name,
        "choices": {k: v for k, v in hydra_cfg.runtime.choices.items() if not k.startswith("hydra")},
        "git": git_state(PACKAGE_DIR.parent),
        "packages": package_versions(),
        "spacy_pipeline": info.to_dict(),
        "parse_cache_hit": from_cache,
        "data": {"name": cfg.data.name, "path": str(Path(cfg.data.path).resolve()) if cfg.data.path else None,
                 "documents": len(docs), "fingerprint": jsonl.fingerprint(docs)},
        "timings": result.timings,
    }
    with timer.stage("record"):
        write_record(run_dir, metrics=result.metrics, meta=meta, predictions=result.predictions, model=result.model,
                     config_yaml=OmegaConf.to_yaml(cfg, resolve=True))
    key = cfg.optimized_metric
    if key not in result.metrics:
        raise KeyError(f"optimized_metric {key!r} is not among the metrics: {sorted(result.metrics)[:20]}...")
    summary = ", ".join(f"{k}={v:.4f}" for k, v in result.metrics.items()
                        if k.endswith(("macro_f1", "macro_f1.mean", "macro_f1.std", "accuracy", "accuracy.mean")))
    print(f"{cfg.name}: {summary}\nrun record: {run_dir} (pipeline {info.package} {info.version}, "
          f"parse cache {'hit' if from_cache else 'miss'})")
    if cfg.tracking:  # tracking=mlflow: a partial of mining.runs.tracking.log_run, reading the finished record
        instantiate(cfg.tracking)(run_dir)
    return float(result.metrics[key])


def _cmd_run(argv: list[str]) -> int:
    import hydra

    if not (CONFIG_DIR / "config.yaml").exists():
        raise FileNotFoundError(f"Hydra configs not found at {CONFIG_DIR}: the installation is incomplete")
    sys.argv = ["mining run", *argv]
    hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")(_run_job)()
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from mining.runs.compare import collect, plot_sweep, render

    if args.test:
        from mining.runs.significance import compare_runs, render_result

        if len(args.paths) != 2:
            raise ValueError(f"--test compares exactly two run directories (A B), got {len(args.paths)} paths")
        result = compare_runs(*args.paths, test=args.test, metric=args.metric, resamples=args.resamples,
                              seed=args.seed)
        print(render_result(result, args.format), end="")
        return 0
    metrics = args.metrics.split(",") if args.metrics else None
    header, rows = collect(args.paths, sort_by=args.sort, metrics=metrics, aggregate=args.aggregate)
    print(render(header, rows, args.format), end="")
    if args.plot:
        print(f"plot: {plot_sweep(args.paths, args.plot, metric=args.sort)}", file=sys.stderr)
    return 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from mining.runs.reproduce import reproduce

    diffs, actual = reproduce(args.run_dir, against=args.against, tolerance=args.tolerance, extra=args.overrides)
    if diffs:
        print(f"NOT reproduced: {len(diffs)} metric(s) differ")
        for line in diffs:
            print(f"  {line}")
        return 1
    print(f"reproduced: all {len(actual)} metrics equal ({args.run_dir})")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from mining.runs.record import REFERENCE_FILES, publish_reference

    dest = publish_reference(args.run_dir, args.dest)
    print(f"published {', '.join(REFERENCE_FILES)} of {args.run_dir} to {dest}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from mining import __version__
    from mining.corpora import LOADERS

    parser = argparse.ArgumentParser(prog="mining", description="Argument mining experiments.")
    parser.add_argument("--version", action="version", version=f"mining {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run an experiment: mining run [-m] [HYDRA OVERRIDES...]", add_help=False)

    data = commands.add_parser("data", help="inspect, validate and convert corpora")
    data_commands = data.add_subparsers(dest="data_command", required=True)

    stats = data_commands.add_parser("stats", help="count documents, units, stances and relations")
    stats.add_argument("name", choices=sorted(LOADERS), help="corpus loader")
    stats.add_argument("--path", type=Path, help="corpus location (not needed for 'sample')")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(func=_cmd_stats)

    validate = data_commands.add_parser("validate", help="check a JSONL file or brat folder")
    validate.add_argument("path", type=Path)
    validate.add_argument("--format", choices=["jsonl", "brat"], help="default: guessed from the path")
    validate.add_argument("--strict", action="store_true", help="stop with an error at the first problem")
    validate.set_defaults(func=_cmd_validate)

    convert = data_commands.add_parser("convert", help="write a corpus as JSONL, brat or a HF dataset")
    convert.add_argument("name", choices=sorted(LOADERS))
    convert.add_argument("--path", type=Path)
    convert.add_argument("--to", choices=["jsonl", "brat", "hf"], required=True)
    convert.add_argument("-o", "--output", type=Path, required=True)
    convert.set_defaults(func=_cmd_convert)

    compare = commands.add_parser("compare", help="table of runs x metrics, with the config keys that differ")
    compare.add_argument("paths", nargs="+", type=Path, help="run or sweep directories")
    compare.add_argument("--format", choices=["table", "markdown", "csv"], default="table")
    compare.add_argument("--sort", help="metric to sort by, best first (default: the first metric)")
    compare.add_argument("--metrics", help="comma-separated metric keys (default: the macro-F1 and accuracy keys)")
    compare.add_argument("--aggregate", action=argparse.BooleanOptionalAction, default=None,
                         help="one row per configuration with mean ± std, min and max over seeds (default: when "
                              "the runs differ by seed and a configuration repeats)")
    compare.add_argument("--plot", type=Path, metavar="OUT.png",
                         help="also draw the --sort metric per configuration, with error bars over seeds")
    compare.add_argument("--test", choices=["bootstrap", "permutation"],
                         help="paired significance test of run B against run A (two run directories)")
    compare.add_argument("--metric", default="macro_f1",
                         help="metric for --test: macro_f1, accuracy, per_class.LABEL.f1, link.macro_f1")
    compare.add_argument("--resamples", type=int, default=10_000, help="resamples for --test (default: 10000)")
    compare.add_argument("--seed", type=int, default=0, help="random seed for --test (default: 0)")
    compare.set_defaults(func=_cmd_compare)

    reproduce = commands.add_parser("reproduce", help="re-run a recorded run and check every metric is equal")
    reproduce.add_argument("run_dir", type=Path)
    reproduce.add_argument("--against", type=Path, help="reference metrics JSON (default: the run's own)")
    reproduce.add_argument("--tolerance", type=float, default=0.0, help="absolute tolerance (default: exact)")
    reproduce.add_argument("overrides", nargs="*", help="extra Hydra overrides for the re-run, e.g. data.path=DIR")
    reproduce.set_defaults(func=_cmd_reproduce)

    publish = commands.add_parser("publish", help="copy a run's metrics, meta and config (not its predictions) "
                                                  "to a reference folder such as experiments/NAME")
    publish.add_argument("run_dir", type=Path)
    publish.add_argument("dest", type=Path)
    publish.set_defaults(func=_cmd_publish)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:  # everything after `run` belongs to Hydra (overrides, -m, --cfg, ...)
        return _cmd_run(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CorpusError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
