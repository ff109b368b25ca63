"""``mining label`` and ``mining evaluate-labels``: label new text with a trained bundle, and score labels."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mining.cli.outputs import add_overwrite_argument, check_output
from mining.cli.types import nonblank, path_arg, path_text, positive_int
from mining.errors import UsageError, printable

LABEL_FORMATS = ("jsonl", "brat", "html", "table")


def labelled(args: argparse.Namespace, **options):
    """The labelled documents of ``args.files`` (lazily, in input order), with a progress bar in characters
    (it moves inside a long text too, which is labelled in pieces)."""
    from mining.label.streams import iter_items, parse_shard, take_shard, with_topic
    from mining.label.workers import label_stream

    check_inputs_and_model(args)
    paths = args.files or ["-"]
    if paths == ["-"] and sys.stdin.isatty():
        raise UsageError("no input: give FILE... (text files, .jsonl files or folders) or pipe text into stdin")
    items = with_topic(iter_items(paths, encoding=args.encoding), args.topic)
    if args.shard:
        items = take_shard(items, *parse_shard(args.shard))
    if getattr(args, "format", None) == "html":  # one page of every text: read them all, before the model runs
        items = _showable(list(items))
    bar = progress_bar(args)
    texts = ((item.id, item.text, item.topic) for item in items)
    docs = label_stream(args.model, texts, n_process=args.n_process,
                        batch_size=args.batch_size, progress=bar.update, **options)
    return _closing(docs, bar)


def _showable(items: list) -> list:
    """``items``, unless a text holds a NUL character, which an HTML page cannot show: a CorpusError naming its file
    and id before anything is labelled (the page would refuse it after)."""
    from mining.errors import CorpusError

    for item in items:
        if "\x00" in item.text:
            raise CorpusError("the text contains a NUL character, which an HTML page cannot show; nothing was "
                              "labelled (--format jsonl keeps it)", file=item.source, item=item.id)
    return items


def progress_bar(args: argparse.Namespace):
    """The labelling progress bar on stderr, in characters (on when stderr is a terminal, or as --progress says)."""
    from tqdm.auto import tqdm

    return tqdm(desc="labelling", unit="char", unit_scale=True, file=sys.stderr, mininterval=1.0,
                disable=None if args.progress is None else not args.progress)


def announce_model(args: argparse.Namespace) -> None:
    """:func:`check_inputs_and_model`, then lines on stderr naming the model, its domain and training data, and
    saying that it loads (the seconds before the first text is labelled)."""
    from mining.label.bundle import describe_bundle

    check_inputs_and_model(args)
    if (line := describe_bundle(args.model)) is not None:
        print(printable(line), file=sys.stderr)  # the model's meta.json is anyone's
    print("loading the model and its spaCy pipeline (some seconds) ...", file=sys.stderr)


def _closing(docs, bar):
    """``docs``, then close ``bar`` (its last line shows the characters labelled)."""
    try:
        yield from docs
    finally:
        bar.close()


def check_inputs_and_model(args: argparse.Namespace) -> None:
    """Before anything slow runs or any output is written: the input paths must exist, and ``args.model`` (the
    shipped default model when none is given) must be a finished run directory."""
    from mining.label.bundle import default_model
    from mining.label.streams import check_paths

    check_paths(getattr(args, "files", None) or [])
    check_options(args)
    if args.model is None:
        args.model = str(default_model())
    check_model_dir(args.model)


def check_options(args: argparse.Namespace) -> None:
    """``--shard``, ``--encoding`` and ``--topic``, checked before the model loads, not at the first text."""
    from mining.label.streams import check_encoding, parse_shard

    if getattr(args, "shard", None):
        parse_shard(args.shard)
    check_encoding(getattr(args, "encoding", None) or "utf-8")
    topic = getattr(args, "topic", None)
    if topic is not None and not topic.strip():  # "$TOPIC" of a variable not set: no stance, and no word why
        raise UsageError("--topic is blank: give what the texts argue about, or leave --topic out")


def check_model_dir(model: str) -> None:
    """``--model`` must name a finished run directory."""
    from mining.runs.record import METRICS

    path = Path(model)
    if not path.is_dir():
        raise UsageError(f"--model {model}: no such directory; give the run directory of "
                         "`mining run experiment=miner` (it holds metrics.json and model.skops)")
    if not (path / METRICS).is_file():
        raise UsageError(f"--model {model}: not a finished run (it has no {METRICS}); give the run directory of a "
                         "`mining run experiment=miner` that ended, or re-run it")


def _cmd_label(args: argparse.Namespace) -> int:
    from mining.corpora import brat, jsonl
    from mining.files import write_text_atomic
    from mining.label.render import to_html, to_table, to_tsv

    if args.scheduler is not None and args.engine is None:
        args.engine = "dask"
    if args.engine is not None:
        return _label_on_cluster(args)
    if args.format == "brat" and args.output is None:
        raise UsageError("--format brat writes a folder of .txt/.ann files: give it with -o DIR")
    check_output(args.output, args.files, overwrite=args.overwrite, one_file=args.format != "brat")
    if args.format == "brat" and args.overwrite:
        brat.check_replaceable(args.output)  # before the model labels anything
    announce_model(args)
    docs = labelled(args)
    if args.format == "jsonl" and args.output is not None:
        # atomic: an error midway leaves an existing file as it was; exclusive: nor does another run's output go
        n = jsonl.save(docs, args.output, exclusive=not args.overwrite)
    elif args.format == "jsonl":
        n = jsonl.write_documents(docs, sys.stdout)
    elif args.format == "brat":
        n = brat.save(docs, args.output, overwrite=args.overwrite)
    else:
        docs = list(docs)
        n = len(docs)
        if args.format == "html":
            page = to_html(docs)
        else:  # a terminal gets the aligned table; a file or a pipe every unit's full text
            page = to_table(docs) if args.output is None and sys.stdout.isatty() else to_tsv(docs)
        if args.output is None:
            print(page)
        else:
            write_text_atomic(args.output, page + "\n", exclusive=not args.overwrite)  # as print ends it
    if args.output is not None:
        print(f"labelled {n} document(s) -> {args.output} ({args.format})", file=sys.stderr)
    return 0


def _label_on_cluster(args: argparse.Namespace) -> int:
    """``mining label --engine dask``: shards of JSONL and a manifest in the folder ``-o``, resumable."""
    from mining.label.cluster import label_to_folder

    if args.format != "jsonl" or args.output is None or not args.files or args.shard:
        raise UsageError(f"--engine {args.engine} writes JSONL shards into a folder: give FILE... (not stdin) and "
                         "-o DIR, without --format other than jsonl and without --shard (the engine shards)")
    check_output(args.output, args.files, overwrite=True)  # never onto the input; existing labels: see below
    if args.output.exists() and not args.output.is_dir():
        raise UsageError(f"{args.output}: the output exists and is a file, but --engine {args.engine} writes a "
                         "folder: choose another path")
    announce_model(args)
    bar = progress_bar(args)

    def progress(chars: int, total: int) -> None:
        bar.total = total
        bar.update(chars)

    try:
        report = label_to_folder(args.model, args.files, args.output, scheduler=args.scheduler,
                                 n_workers=args.n_process, shard_chars=args.shard_chars, batch_size=args.batch_size,
                                 on_error=args.on_error, overwrite=args.overwrite, progress=progress,
                                 encoding=args.encoding, topic=args.topic)
    finally:
        bar.close()
    resumed = f", {report.resumed} of them done before" if report.resumed else ""
    print(f"labelled {report.documents - len(report.failures)} document(s) in {report.shards} shard(s){resumed} "
          f"-> {args.output} (jsonl shards, manifest.json)", file=sys.stderr)
    for failure in report.failures:
        print(f"failed: {failure['source']} [{failure['id']}]: {failure['error']}", file=sys.stderr)
    return 1 if report.failures else 0


def input_formats() -> list[str]:
    """What --format may force for GOLD/PRED/A/B/BASE/NEW inputs: every loader but the detecting one."""
    from mining.corpora import LOADERS

    return sorted(set(LOADERS) - {"custom"})


def _cmd_evaluate_labels(args: argparse.Namespace) -> int:
    from mining.corpora import custom
    from mining.dataset.validation import validate_documents
    from mining.evaluation.documents import compare_documents, format_comparison

    gold = custom.load(args.gold, format=args.format)
    predicted = custom.load(args.predicted, format=args.format)
    validate_documents(gold, file=str(args.gold))  # an invalid unit fails naming its file and id, as in agreement
    validate_documents(predicted, file=str(args.predicted))
    scores = compare_documents(gold, predicted, file_gold=args.gold, file_pred=args.predicted,
                               shared_only=args.shared_only)
    print(json.dumps(scores, indent=2) if args.json else format_comparison(scores))
    return 0


FILES_HELP = ("text files (one document each), .jsonl files ({\"id\", \"text\"} a line), folders, or - for stdin "
              "(the default)")
MODEL_HELP = ("run directory of `mining run experiment=news_miner` or `experiment=miner` (default: the news model "
              "that ships with mining)")


def add_input_arguments(parser: argparse.ArgumentParser, *, files_help: str = FILES_HELP,
                        model_help: str = MODEL_HELP) -> None:
    """The inputs of the commands that label text: files, model, batching, sharding, encoding."""
    parser.add_argument("files", nargs="*", type=path_text, metavar="FILE", help=files_help)
    parser.add_argument("--model", type=path_text, metavar="RUN_DIR", help=model_help)
    parser.add_argument("--topic", help="what the texts argue about, e.g. \"Ukraine should cede territory for "
                        "peace\": claims get a stance toward it (a JSONL line's own \"topic\" wins); a news "
                        "model gives no stance without one")
    parser.add_argument("--n-process", type=positive_int, default=1,
                        help="worker processes (each loads the model once)")
    parser.add_argument("--batch-size", type=positive_int, default=16, help="texts per batch")
    parser.add_argument("--shard", metavar="I/N", help="label only every N-th text from the I-th (0-based), "
                        "e.g. $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT")
    # nonblank: check_options took a blank one for the default, and reading refused it after the model had loaded
    parser.add_argument("--encoding", type=nonblank, default="utf-8", help="encoding of the input files")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")


def add_two_annotations(parser: argparse.ArgumentParser, first: tuple[str, str, str],
                        second: tuple[str, str, str]) -> None:
    """Two annotations of the same texts, each ``(dest, METAVAR, what)``, and the --format of both."""
    parser.add_argument(first[0], type=path_arg, metavar=first[1], help=f"{first[2]} (file or folder, format detected)")
    parser.add_argument(second[0], type=path_arg, metavar=second[1], help=f"{second[2]}, the same ids and texts")
    parser.add_argument("--format", choices=input_formats(), help="force the format of both (default: detected)")


def add_label_command(commands: argparse._SubParsersAction) -> None:
    """``mining label``."""
    label = commands.add_parser("label", help="label new text with a trained bundle (units, positions, relations)")
    add_input_arguments(label)
    label.add_argument("--format", choices=LABEL_FORMATS, default="jsonl",
                       help="jsonl (default), brat (a folder, with -o), html (a page to open in a browser), or "
                            "table (aligned and shortened on a terminal, tab-separated with full text otherwise)")
    label.add_argument("-o", "--output", type=path_arg, help="output file (a folder for brat); default stdout")
    add_overwrite_argument(label)
    add_engine_arguments(label)
    label.set_defaults(func=_cmd_label)


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """Labelling on a Dask cluster: into a folder of JSONL shards with a manifest, resumable."""
    from mining.label.shards import SHARD_CHARS

    group = parser.add_argument_group("on a cluster (docs/labelling.md#on-a-cluster)")
    group.add_argument("--engine", choices=("dask",), help="label on a Dask cluster into -o DIR: JSONL shards and "
                       "manifest.json; run again after a stop to label only the missing shards")
    group.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler (tcp://HOST:8786); "
                       "implies --engine dask; default: a local cluster of --n-process workers")
    group.add_argument("--shard-chars", type=positive_int, default=SHARD_CHARS,
                       help=f"characters of input per shard (default {SHARD_CHARS:,})")
    group.add_argument("--on-error", choices=("stop", "continue"), default="stop",
                       help="a document that fails: stop naming it (default), or leave it out, go on, and list "
                            "the failures at the end (exit status 1)")


def add_evaluate_labels_command(commands: argparse._SubParsersAction) -> None:
    """``mining evaluate-labels``."""
    evaluate = commands.add_parser("evaluate-labels", help="score predicted units, labels, stances, holders and "
                                                           "relations against gold")
    add_two_annotations(evaluate, ("gold", "GOLD", "gold documents"), ("predicted", "PRED", "predicted documents"))
    evaluate.add_argument("--shared-only", action="store_true",
                          help="score the ids both have (default: an id on one side only is an error)")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.set_defaults(func=_cmd_evaluate_labels)
