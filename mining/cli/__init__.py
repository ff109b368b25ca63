"""The command line: the one place where argv (and Hydra, for ``mining run``) meets the library."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mining.errors import CorpusError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # mining/
CONFIG_DIR = PACKAGE_DIR / "configs"  # a symlink to the top-level configs/ in a checkout


def _cmd_stats(args: argparse.Namespace) -> int:
    from mining.corpora import load_corpus
    from mining.dataset.stats import corpus_stats, format_stats

    stats = corpus_stats(load_corpus(args.name, args.path))
    print(json.dumps(stats, indent=2) if args.json else format_stats(stats))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from mining.dataset.validation import validate_path

    problems = validate_path(args.path, fmt=args.format, strict=args.strict)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"{args.path}: ok")
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from mining.corpora import brat, doccano, jsonl, labelstudio, load_corpus
    from mining.dataset.validation import validate_documents

    if args.predictions and args.to != "labelstudio":
        raise ValueError("--predictions applies to --to labelstudio only")
    docs = load_corpus(args.name, args.path)
    validate_documents(docs, file=str(args.path))
    if args.to == "jsonl":
        n = jsonl.save(docs, args.output)
    elif args.to == "brat":
        n = brat.save(docs, args.output)
    elif args.to == "labelstudio":
        n = labelstudio.save(docs, args.output, predictions=args.predictions)
        print(f"wrote the Label Studio labeling config to {labelstudio.config_path(args.output)}")
    elif args.to == "doccano":
        n = doccano.save(docs, args.output)
    else:
        from mining.corpora import hf  # imports datasets: only when asked for

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
    from mining.dataset.validation import validate_documents
    from mining.experiment import Timer, run_experiment, run_subtasks
    from mining.nlp.cache import parse_documents
    from mining.nlp.pipeline import find_pipeline
    from mining.runs.record import git_state, package_versions, write_record

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
    if cfg.get("end_to_end"):  # label the test documents' raw text with the fitted bundle and score it
        from mining.label.end_to_end import evaluate_end_to_end
        from mining.label.miner import ArgumentMiner

        if len(result.folds) != 1 or not isinstance(result.model, dict):
            raise ValueError("end_to_end needs subtasks and one train/test split (evaluation=official or holdout)")
        miner = ArgumentMiner(tasks=result.task, models=result.model, pipeline=info,
                              sources={step: str(run_dir) for step in result.model})
        with timer.stage("end_to_end"):
            scores, labelled = evaluate_end_to_end(miner, docs, parsed, result.folds[0].test)
        result.metrics.update({f"{evaluation.prefix}.end_to_end.{k}": v for k, v in scores.items()})
        for doc in labelled:
            doc.metadata["subtask"] = "end_to_end"
        result.predictions += labelled
        result.timings = dict(timer.seconds)
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
                     tasks=result.task, config_yaml=OmegaConf.to_yaml(cfg, resolve=True))
    key = cfg.optimized_metric
    if key not in result.metrics:
        raise KeyError(f"optimized_metric {key!r} is not among the metrics: {sorted(result.metrics)[:20]}...")
    summary = ", ".join(f"{k}={v:.4f}" for k, v in result.metrics.items()
                        if k.endswith(("macro_f1", "macro_f1.mean", "macro_f1.std", "accuracy", "accuracy.mean"))
                        or k == key)
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


LABEL_FORMATS = ("jsonl", "brat", "html", "table")
NO_MODEL = ("no model given: pass --model RUN_DIR, the run directory of a labelling bundle. Train the default "
            "one with `mining run experiment=miner data.path=PATH/TO/aaec-v2` (or `data=sample` for the "
            "demo corpus); mining never downloads a model")


def _labelled(args: argparse.Namespace, **options):
    """The labelled documents of ``args.files`` (lazily, in input order), with a progress bar."""
    from tqdm.auto import tqdm

    from mining.label.streams import iter_items, parse_shard, take_shard
    from mining.label.workers import label_stream

    if args.model is None:
        raise ValueError(NO_MODEL)
    paths = args.files or ["-"]
    if paths == ["-"] and sys.stdin.isatty():
        raise ValueError("no input: give FILE... (text files, .jsonl files or folders) or pipe text into stdin")
    items = iter_items(paths, encoding=args.encoding)
    if args.shard:
        items = take_shard(items, *parse_shard(args.shard))
    docs = label_stream(args.model, ((item.id, item.text) for item in items), n_process=args.n_process,
                        batch_size=args.batch_size, **options)
    return tqdm(docs, desc="labelling", unit="doc", file=sys.stderr, mininterval=1.0,
                disable=None if args.progress is None else not args.progress)


def _cmd_label(args: argparse.Namespace) -> int:
    from mining.corpora import brat, jsonl
    from mining.label.render import to_html, to_table

    if args.format == "brat" and args.output is None:
        raise ValueError("--format brat writes a folder of .txt/.ann files: give it with -o DIR")
    docs = _labelled(args)
    if args.format == "jsonl" and args.output is not None:
        n = jsonl.save(docs, args.output)  # atomic: an error midway leaves an existing file as it was
    elif args.format == "jsonl":
        n = jsonl.write_documents(docs, sys.stdout)
    elif args.format == "brat":
        n = brat.save(docs, args.output)
    else:
        docs = list(docs)
        n = len(docs)
        page = to_html(docs) if args.format == "html" else to_table(docs)
        if args.output is None:
            print(page)
        else:
            Path(args.output).write_text(page, encoding="utf-8")
    if args.output is not None:
        print(f"labelled {n} document(s) -> {args.output} ({args.format})", file=sys.stderr)
    return 0


def _input_formats() -> list[str]:
    """What --format may force for GOLD/PRED/A/B/BASE/NEW inputs: every loader but the detecting one."""
    from mining.corpora import LOADERS

    return sorted(set(LOADERS) - {"custom"})


def _cmd_evaluate_labels(args: argparse.Namespace) -> int:
    from mining.corpora import custom
    from mining.evaluation.documents import compare_documents, format_comparison

    gold = custom.load(args.gold, format=args.format)
    predicted = custom.load(args.predicted, format=args.format)
    scores = compare_documents(gold, predicted, file_gold=args.gold, file_pred=args.predicted,
                               shared_only=args.shared_only)
    print(json.dumps(scores, indent=2) if args.json else format_comparison(scores))
    return 0


def _cmd_agreement(args: argparse.Namespace) -> int:
    from mining.corpora import custom
    from mining.dataset.validation import validate_documents
    from mining.evaluation.documents import compare_documents, format_agreement

    a = custom.load(args.a, format=args.format)
    b = custom.load(args.b, format=args.format)
    validate_documents(a, file=str(args.a))
    validate_documents(b, file=str(args.b))
    scores = compare_documents(a, b, file_gold=args.a, file_pred=args.b)
    print(json.dumps(scores, indent=2) if args.json else format_agreement(scores, a=str(args.a), b=str(args.b)))
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    from mining.dataset.merge import MergeConflictError, changelog_path, merge_files

    try:
        result, entry = merge_files(args.base, args.new, args.output, replace=args.replace,
                                    base_format=args.base_format, new_format=args.new_format, split=args.split)
    except MergeConflictError as e:
        for conflict in e.conflicts:
            print(f"conflict: {conflict}", file=sys.stderr)
        raise
    print(f"added {len(result.added)}: {', '.join(result.added) or '-'}")
    print(f"replaced {len(result.replaced)}: "
          + (", ".join(n if n == b else f"{n} (was {b})" for n, b in result.replaced) or "-"))
    print(f"skipped {len(result.skipped)} (identical): "
          + (", ".join(n if n == b else f"{n} (= {b})" for n, b in result.skipped) or "-"))
    print(f"wrote {entry['documents']} documents to {args.output}")
    print(f"previous fingerprint {entry['previous_fingerprint']}")
    print(f"fingerprint {entry['fingerprint']}")
    print(f"changelog {changelog_path(args.output)}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from mining.corpora import load_corpus
    from mining.dataset.export import default_license, export_hf
    from mining.dataset.validation import validate_documents

    docs = load_corpus(args.name, args.path)
    validate_documents(docs, file=str(args.path or args.name))
    try:
        out = export_hf(docs, args.output, name=args.name, license=args.license or default_license(args.name),
                        source=str(args.path) if args.path else None, overwrite=args.overwrite)
    except FileExistsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"exported {len(docs)} documents to {out} (hf, with README.md)")
    return 0


def _cmd_preannotate(args: argparse.Namespace) -> int:
    from mining.corpora import brat, labelstudio

    docs = _labelled(args)
    if args.to == "label-studio":
        version = f"mining:{Path(args.model).resolve()}"
        n = labelstudio.save(docs, args.output, predictions=True, model_version=version)
        print(f"wrote {n} task(s) with predictions to {args.output}; labelling config: "
              f"{labelstudio.config_path(args.output)}", file=sys.stderr)
    else:
        # brat has no prediction layer: every unit and relation carries the attribute predicted=true,
        # which the annotator deletes on what they have checked.
        n = brat.save(_mark_predicted(docs), args.output)
        print(f"wrote {n} document(s) to {args.output} (brat, marked predicted)", file=sys.stderr)
    return 0


def _mark_predicted(docs):
    for doc in docs:
        for item in (*doc.units, *doc.relations):
            item.attributes["predicted"] = True
        yield doc


def _cmd_rank(args: argparse.Namespace) -> int:
    docs = sorted(_labelled(args, uncertainty=True), key=lambda d: -d.metadata["uncertainty"])
    rows = [{"rank": i, "id": d.id, "uncertainty": round(d.metadata["uncertainty"], 6), "units": len(d.units)}
            for i, d in enumerate(docs[:args.top] if args.top else docs, start=1)]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"{'rank':>4}  {'uncertainty':>11}  {'units':>5}  id")
        for row in rows:
            print(f"{row['rank']:>4}  {row['uncertainty']:>11.4f}  {row['units']:>5}  {row['id']}")
    return 0


def _add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The inputs of the commands that label text: files, model, batching, sharding, encoding."""
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="text files (one document each), .jsonl files ({\"id\", \"text\"} a line), folders, "
                             "or - for stdin (the default)")
    parser.add_argument("--model", metavar="RUN_DIR", help="run directory of `mining run experiment=miner`")
    parser.add_argument("--n-process", type=int, default=1, help="worker processes (each loads the model once)")
    parser.add_argument("--batch-size", type=int, default=16, help="texts per batch")
    parser.add_argument("--shard", metavar="I/N", help="label only every N-th text from the I-th (0-based), "
                        "e.g. $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT")
    parser.add_argument("--encoding", default="utf-8", help="encoding of the input files")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")


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

    convert = data_commands.add_parser("convert", help="write a corpus as JSONL, brat, a HF dataset, Label Studio "
                                                      "tasks or doccano JSONL")
    convert.add_argument("name", choices=sorted(LOADERS))
    convert.add_argument("--path", type=Path)
    convert.add_argument("--to", choices=["jsonl", "brat", "hf", "labelstudio", "doccano"], required=True)
    convert.add_argument("-o", "--output", type=Path, required=True)
    convert.add_argument("--predictions", action="store_true",
                         help="with --to labelstudio: write the units as predictions (pre-annotations to correct)")
    convert.set_defaults(func=_cmd_convert)

    agreement = data_commands.add_parser("agreement", help="inter-annotator agreement of two annotations of the "
                                                           "same texts")
    agreement.add_argument("a", type=Path, metavar="A", help="annotator A (file or folder, format detected)")
    agreement.add_argument("b", type=Path, metavar="B", help="annotator B, the same ids and texts")
    agreement.add_argument("--format", choices=_input_formats(), help="force the format of both (default: detected)")
    agreement.add_argument("--json", action="store_true", help="print JSON (every score of compare_documents)")
    agreement.add_argument("-o", "--output", type=Path, metavar="OUT.json", help="also write the scores as JSON")
    agreement.set_defaults(func=_cmd_agreement)

    merge = data_commands.add_parser("merge", help="fold new annotated documents into a dataset (JSONL), refusing "
                                                   "conflicts, with a changelog of fingerprints")
    merge.add_argument("base", type=Path, metavar="BASE", help="the dataset (file or folder, format detected)")
    merge.add_argument("new", type=Path, metavar="NEW", help="the new documents (file or folder, format detected)")
    merge.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.jsonl",
                       help="the merged dataset; may be BASE itself; changelog in OUT.jsonl.changelog")
    merge.add_argument("--replace", action="store_true",
                       help="replace BASE documents whose text NEW annotates differently (ID conflicts, a known "
                            "id with another text, are refused regardless)")
    merge.add_argument("--split", help="the split (e.g. train) of the NEW documents that have none")
    merge.add_argument("--base-format", choices=_input_formats(), help="force BASE's format")
    merge.add_argument("--new-format", choices=_input_formats(), help="force NEW's format")
    merge.set_defaults(func=_cmd_merge)

    export = data_commands.add_parser("export", help="save a corpus as a Hugging Face dataset folder with a card")
    export.add_argument("output", type=Path, metavar="OUT")
    export.add_argument("--format", choices=["hf"], default="hf", help="only hf: save_to_disk + README.md")
    export.add_argument("--name", choices=sorted(LOADERS), default="sample", help="corpus loader (default: sample)")
    export.add_argument("--path", type=Path, help="corpus location (not needed for 'sample')")
    export.add_argument("--license", help="licence id for the card (default: mit for sample, else unknown)")
    export.add_argument("--overwrite", action="store_true", help="replace an existing OUT")
    export.set_defaults(func=_cmd_export)

    preannotate = data_commands.add_parser("preannotate", help="model predictions as pre-annotations to correct "
                                                               "in Label Studio or brat")
    _add_input_arguments(preannotate)
    preannotate.add_argument("--to", choices=["label-studio", "brat"], required=True)
    preannotate.add_argument("-o", "--output", type=Path, required=True,
                             help="a .json task file (label-studio) or a folder (brat)")
    preannotate.set_defaults(func=_cmd_preannotate)

    rank = data_commands.add_parser("rank", help="order unlabelled texts by model uncertainty, most uncertain "
                                                 "first (active learning)")
    _add_input_arguments(rank)
    rank.add_argument("--top", type=int, help="show only the first N")
    rank.add_argument("--json", action="store_true")
    rank.set_defaults(func=_cmd_rank)

    label = commands.add_parser("label", help="label new text with a trained bundle (units, positions, relations)")
    _add_input_arguments(label)
    label.add_argument("--format", choices=LABEL_FORMATS, default="jsonl")
    label.add_argument("-o", "--output", type=Path, help="output file (a folder for brat); default stdout")
    label.set_defaults(func=_cmd_label)

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

    evaluate = commands.add_parser("evaluate-labels", help="score predicted units, labels, stances, holders and "
                                                           "relations against gold")
    evaluate.add_argument("gold", type=Path, metavar="GOLD", help="gold documents (file or folder, format detected)")
    evaluate.add_argument("predicted", type=Path, metavar="PRED", help="predicted documents, the same ids and texts")
    evaluate.add_argument("--format", choices=_input_formats(), help="force the format of both (default: detected)")
    evaluate.add_argument("--shared-only", action="store_true",
                          help="score the ids both have (default: an id on one side only is an error)")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.set_defaults(func=_cmd_evaluate_labels)
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
