"""``mining annotate push|pull``: documents to a running Label Studio or doccano project, and the annotations back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mining.cli.label import add_input_arguments, check_model_dir, check_options, labelled
from mining.cli.outputs import add_overwrite_argument, check_output
from mining.cli.types import nonblank, path_arg, positive_int
from mining.errors import CorpusError, UsageError

ENV_HELP = ("The server: --url, or LABEL_STUDIO_URL / DOCCANO_URL. Credentials only from the environment: "
            "LABEL_STUDIO_API_KEY (the legacy API token), DOCCANO_USERNAME and DOCCANO_PASSWORD (or DOCCANO_TOKEN). "
            "Needs `pip install 'mining[annotate]'`.")


def _cmd_push(args: argparse.Namespace) -> int:
    from mining.annotate import open_project, server_settings
    from mining.dataset.validation import validate_documents
    from mining.label.streams import check_paths

    if (args.rank or args.top or args.topic) and not args.model:
        raise UsageError("--rank, --top and --topic apply to the model's labelling: give --model RUN_DIR")
    if args.model:
        check_model_dir(args.model)
    server = server_settings(args.tool, args.url)
    check_paths(args.files)  # a wrong path creates no project
    check_options(args)  # nor a wrong --encoding, --shard or --topic
    # With a model, the project first: wrong server settings fail before the labelling. Without, the documents
    # first: documents that cannot be read create no project.
    project = open_project(server, args.project, create=True) if args.model else None
    docs, scores, version = _documents(args)
    validate_documents(docs, file=", ".join(args.files) or "<stdin>")
    project = project or open_project(server, args.project, create=True)
    for change in project.changes:  # before the push, which may fail: the change is made already
        print(f"{server.name}: project {project.name!r}: {change}", file=sys.stderr)
    sent, skipped = project.push(docs, model_version=version, scores=scores)
    what = f"with predictions of {version}" if version else "with their own units as predictions"
    print(f"pushed {sent} document(s) {what} to {server.name}, project {project.name!r}", file=sys.stderr)
    if skipped:
        print(f"skipped {len(skipped)} already in the project: {', '.join(skipped[:10])}"
              + (" ..." if len(skipped) > 10 else ""), file=sys.stderr)
    return 0


def _documents(args: argparse.Namespace):
    """``(documents, scores, model_version)``: labelled by ``--model`` (ranked when asked), or read as they are."""
    if not args.model:
        return _read(args.files or ["-"], args.encoding), None, None
    ranked = bool(args.rank or args.top)
    docs = list(labelled(args, uncertainty=ranked))
    scores = None
    if ranked:
        docs.sort(key=lambda d: -d.metadata["uncertainty"])
        docs = docs[:args.top] if args.top else docs
        # Label Studio's prediction score is the model's confidence: sorting by it, ascending, puts the
        # texts the model is least sure of first (as `mining data rank` does).
        scores = {d.id: round(1.0 - d.metadata.pop("uncertainty"), 6) for d in docs}
    return docs, scores, f"mining:{Path(args.model).resolve()}"


def _read(paths: list[str], encoding: str):
    """The documents of ``paths``: a corpus in any format with its units, or texts (``mining label``'s inputs)."""
    from mining.corpora import custom, unique_documents
    from mining.label.streams import iter_items
    from mining.schema import Document

    docs = []
    for path in paths:
        try:
            fmt = custom.detect_format(path) if path != "-" and Path(path).suffix != ".txt" else None
        except custom.UnreadableFormat:  # told what it is, and nothing mining reads: say so
            raise
        except CorpusError:
            fmt = None
        if fmt is not None:
            docs += custom.load(path, format=fmt)
        else:
            docs += [Document(item.id, item.text) for item in iter_items([path], encoding=encoding)]
    return unique_documents(docs, ", ".join(paths))  # one id in two inputs would be one task twice


def _cmd_pull(args: argparse.Namespace) -> int:
    from mining.annotate import open_project, server_settings
    from mining.corpora import jsonl
    from mining.dataset.validation import validate_documents

    if args.model_version is not None and not args.predictions:
        raise UsageError("--model-version picks among the predictions: pass --predictions too")
    server = server_settings(args.tool, args.url)
    check_output(args.output, [], overwrite=args.overwrite, one_file=True)  # a folder: refused before the server
    project = open_project(server, args.project)
    docs = project.pull(predictions=args.predictions, model_version=args.model_version)
    validate_documents(docs, file=f"{server.shown} project {project.name!r}")
    n = jsonl.save(docs, args.output, exclusive=not args.overwrite)  # atomic, and never over another's output
    hint = "" if args.predictions else " (--predictions adds the predictions of the others)"
    print(f"pulled {n} document(s) from {server.name}, project {project.name!r} -> {args.output}{hint}",
          file=sys.stderr)
    return 0


def add_annotate_commands(commands: argparse._SubParsersAction) -> None:
    """``mining annotate push TOOL`` and ``pull TOOL``; the tool is a subcommand, so that the files may
    come after the options (a positional tool before ``FILE...`` would take them only right after it)."""
    annotate = commands.add_parser("annotate", help="push documents to a Label Studio or doccano server and pull "
                                                    "the annotations back", description=ENV_HELP)
    verbs = annotate.add_subparsers(dest="annotate_command", required=True)
    push = verbs.add_parser("push", help="send documents (with a model's predictions) to a project, creating it "
                                         "if needed", description=ENV_HELP)
    pull = verbs.add_parser("pull", help="write a project's annotations as the project's JSONL, ready for "
                                         "`mining data merge`", description=ENV_HELP)
    for tool, parser in _tool_parsers(push, "send documents to"):
        add_input_arguments(
            parser,
            model_help="label the texts with this run (`mining run experiment=news_miner` or `experiment=miner`) "
                       "and send its units as predictions; without it, FILE... is sent as it is "
                       "(no default model here)",
            files_help="without --model: a corpus in any format (its units are sent as predictions) or texts; with "
                       "--model: texts to label (text files, .jsonl files with {\"id\", \"text\"} a line, folders, "
                       "or - for stdin)")
        _add_server_arguments(parser)
        parser.add_argument("--rank", action="store_true", help="with --model: most uncertain texts first")
        parser.add_argument("--top", type=positive_int, metavar="N",
                            help="with --model: only the N most uncertain texts")
        parser.set_defaults(func=_cmd_push, tool=tool)
    for tool, parser in _tool_parsers(pull, "fetch the annotations of"):
        _add_server_arguments(parser)
        parser.add_argument("-o", "--output", type=path_arg, required=True, metavar="OUT.jsonl",
                            help="the JSONL file to write")
        add_overwrite_argument(parser)
        parser.add_argument("--predictions", action="store_true",
                            help="also the documents nobody annotated yet, as their predictions say")
        parser.add_argument("--model-version", type=nonblank,
                            help="with --predictions: only predictions of this model version "
                                 "(mining:/path/of/the/run, as push wrote it)")
        parser.set_defaults(func=_cmd_pull, tool=tool)


def _tool_parsers(verb: argparse.ArgumentParser, what: str):
    from mining.annotate import TOOLS
    from mining.annotate.settings import NAMES

    tools = verb.add_subparsers(dest="tool_given", required=True, metavar="{labelstudio,doccano}")
    for tool in TOOLS:
        yield tool, tools.add_parser(tool, help=f"{what} a {NAMES[tool]} project", description=ENV_HELP)


def _add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", required=True, type=nonblank, help="the project's name (title in Label Studio)")
    parser.add_argument("--url", help="the server (default: $LABEL_STUDIO_URL or $DOCCANO_URL)")
