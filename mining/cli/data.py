"""``mining data ...``: inspect, validate, convert, merge, export, pre-annotate and rank corpora."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mining.cli.label import add_input_arguments, add_two_annotations, input_formats, labelled
from mining.cli.outputs import add_overwrite_argument, check_output
from mining.cli.types import nonblank, path_arg, positive_int, split_name
from mining.errors import CorpusError, UsageError

# One spelling of each format everywhere (the loader's name); the other common spellings are aliases.
FORMAT_ALIASES = {"label-studio": "labelstudio", "label_studio": "labelstudio", "huggingface": "hf"}

def format_name(value: str) -> str:
    """``--to``/``--format`` values: the canonical name for an alias, any other value as given."""
    return FORMAT_ALIASES.get(value.lower(), value)


def _cmd_stats(args: argparse.Namespace) -> int:
    from mining.corpora import load_corpus
    from mining.dataset.stats import corpus_stats, format_stats

    stats = corpus_stats(load_corpus(args.name, args.path))
    print(json.dumps(stats, indent=2) if args.json else format_stats(stats))
    if not stats["documents"]:  # a true count, so not an error (validate and run refuse it); but likely the wrong file
        print(f"warning: {args.path or args.name}: the corpus holds no documents", file=sys.stderr)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from mining.dataset.validation import validate_path

    problems = validate_path(args.path, fmt=args.format, strict=args.strict)
    for problem in problems:
        print(problem)
    errors = [p for p in problems if not p.warning]
    if errors:
        print(f"{len(errors)} problem(s) found", file=sys.stderr)
        return 1
    warnings = len(problems) - len(errors)
    print(f"{args.path}: ok" + (f" ({warnings} warning(s))" if warnings else ""))
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from mining.corpora import labelstudio, load_corpus
    from mining.dataset.validation import validate_documents

    if args.predictions and args.to != "labelstudio":
        raise UsageError("--predictions applies to --to labelstudio only")
    also = [labelstudio.config_path(args.output)] if args.to == "labelstudio" else []
    check_output(args.output, [args.path], overwrite=args.overwrite, also=also,
                 one_file=args.to in ("jsonl", "labelstudio", "doccano"))
    docs = load_corpus(args.name, args.path)
    source = args.path or args.name
    validate_documents(docs, file=str(source))
    try:
        n = _write_converted(docs, args)
    except CorpusError as e:  # a unit the output format cannot hold: the writer knows the unit, not the input
        if e.file is not None:
            raise
        raise CorpusError(e.problem, file=source, line=e.line, item=e.item) from None
    print(f"wrote {n} documents to {args.output} ({args.to})")
    return 0


def _write_converted(docs, args: argparse.Namespace) -> int:
    """Write ``docs`` in the format ``--to`` names to ``-o``; the number written."""
    from mining.corpora import brat, doccano, jsonl, labelstudio

    exclusive = not args.overwrite  # another process's output written there meanwhile is kept
    if args.to == "jsonl":
        return jsonl.save(docs, args.output, exclusive=exclusive)
    if args.to == "brat":
        return brat.save(docs, args.output, overwrite=args.overwrite)
    if args.to == "labelstudio":
        n = labelstudio.save(docs, args.output, predictions=args.predictions, exclusive=exclusive)
        print(f"wrote the Label Studio labeling config to {labelstudio.config_path(args.output)}")
        return n
    if args.to == "doccano":
        return doccano.save(docs, args.output, exclusive=exclusive)
    from mining.corpora import hf  # imports datasets: only when asked for

    with _datasets_bars_on_a_terminal_only():
        return hf.save(docs, args.output, overwrite=args.overwrite)


@contextmanager
def _datasets_bars_on_a_terminal_only() -> Iterator[None]:
    """``datasets``' progress bars ("Saving the dataset ...") only where a person watches stderr: in a log or a pipe
    they are a line of carriage returns per save (as ``mining label --progress`` decides for its own bar). The switch
    is process-wide, so the command flips it, not the library's ``hf.save``."""
    import datasets  # seconds to import: only for the commands that write a dataset

    hide = not sys.stderr.isatty() and not datasets.are_progress_bars_disabled()
    if hide:
        datasets.disable_progress_bars()
    try:
        yield
    finally:
        if hide:
            datasets.enable_progress_bars()


def _cmd_agreement(args: argparse.Namespace) -> int:
    from mining.corpora import custom
    from mining.dataset.validation import validate_documents
    from mining.evaluation.documents import compare_documents, format_agreement
    from mining.files import write_text_atomic

    check_output(args.output, [args.a, args.b], overwrite=args.overwrite, one_file=True)
    if Path(args.a).exists() and Path(args.b).exists() and Path(args.a).samefile(args.b):
        print(f"warning: {args.a} and {args.b} are the same file: the agreement of an annotation with itself is 1 and "
              "says nothing of two annotators", file=sys.stderr)
    a = custom.load(args.a, format=args.format)
    b = custom.load(args.b, format=args.format)
    validate_documents(a, file=str(args.a))
    validate_documents(b, file=str(args.b))
    scores = compare_documents(a, b, file_gold=args.a, file_pred=args.b)
    print(json.dumps(scores, indent=2) if args.json else format_agreement(scores, a=str(args.a), b=str(args.b)))
    if args.output is not None:
        write_text_atomic(args.output, json.dumps(scores, indent=2) + "\n", exclusive=not args.overwrite)
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
    if entry["annotated"]["unreviewed"]:
        print(f"warning: {entry['annotated']['unreviewed']} of the {entry['new']['documents']} new documents hold a "
              "model's labels that no annotator submitted (labelled_by names no annotator): merged as they are",
              file=sys.stderr)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from mining.corpora import load_corpus
    from mining.dataset.export import default_license, export_hf
    from mining.dataset.validation import validate_documents

    check_output(args.output, [args.path], overwrite=args.overwrite)  # never onto the input, as convert
    docs = load_corpus(args.name, args.path)
    validate_documents(docs, file=str(args.path or args.name))
    with _datasets_bars_on_a_terminal_only():
        out = export_hf(docs, args.output, name=args.name, license=args.license or default_license(args.name),
                        source=str(args.path) if args.path else None, overwrite=args.overwrite)
    print(f"exported {len(docs)} documents to {out} (hf, with README.md)")
    return 0


def _cmd_preannotate(args: argparse.Namespace) -> int:
    from mining.corpora import brat, labelstudio

    also = [labelstudio.config_path(args.output)] if args.to == "labelstudio" else []
    check_output(args.output, args.files, overwrite=args.overwrite, also=also, one_file=args.to == "labelstudio")
    if args.to == "brat" and args.overwrite:
        brat.check_replaceable(args.output)  # before the model labels anything
    docs = labelled(args)
    if args.to == "labelstudio":
        version = f"mining:{Path(args.model).resolve()}"
        n = labelstudio.save(docs, args.output, predictions=True, model_version=version, exclusive=not args.overwrite)
        print(f"wrote {n} task(s) with predictions to {args.output}; labelling config: "
              f"{labelstudio.config_path(args.output)}", file=sys.stderr)
    else:
        # brat has no prediction layer: every unit and relation carries the attribute predicted=true,
        # which the annotator deletes on what they have checked.
        n = brat.save(_mark_predicted(docs), args.output, overwrite=args.overwrite)
        print(f"wrote {n} document(s) to {args.output} (brat, marked predicted)", file=sys.stderr)
    return 0


def _mark_predicted(docs):
    for doc in docs:
        for item in (*doc.units, *doc.relations):
            item.attributes["predicted"] = True
        yield doc


def _cmd_rank(args: argparse.Namespace) -> int:
    docs = sorted(labelled(args, uncertainty=True), key=lambda d: -d.metadata["uncertainty"])
    rows = [{"rank": i, "id": d.id, "uncertainty": round(d.metadata["uncertainty"], 6), "units": len(d.units)}
            for i, d in enumerate(docs[:args.top] if args.top else docs, start=1)]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"{'rank':>4}  {'uncertainty':>11}  {'units':>5}  id")
        for row in rows:
            print(f"{row['rank']:>4}  {row['uncertainty']:>11.4f}  {row['units']:>5}  {row['id']}")
    return 0


def add_data_commands(commands: argparse._SubParsersAction) -> None:
    """``mining data`` and its subcommands."""
    data = commands.add_parser("data", help="inspect, validate and convert corpora")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    _add_corpus_commands(data_commands)
    _add_annotation_commands(data_commands)
    _add_export_command(data_commands)
    _add_model_commands(data_commands)


def _add_corpus_commands(data_commands: argparse._SubParsersAction) -> None:
    """``stats``, ``validate`` and ``convert``: one corpus, read, checked and written again."""
    from mining.corpora import LOADERS

    stats = data_commands.add_parser("stats", help="count documents, units, stances and relations")
    stats.add_argument("name", choices=sorted(LOADERS), help="corpus loader")
    stats.add_argument("--path", type=path_arg, help="corpus location (none for the shipped 'sample' and 'news')")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(func=_cmd_stats)

    validate = data_commands.add_parser("validate", help="check a corpus: JSONL, brat, a Label Studio or doccano "
                                                         "export, a saved HF dataset")
    validate.add_argument("path", type=path_arg, help="a .jsonl file, a brat folder, a Label Studio JSON export, a "
                          "doccano JSONL export or a HF dataset folder")
    validate.add_argument("--format", choices=input_formats(), help="default: detected from the content")
    validate.add_argument("--strict", action="store_true", help="stop with an error at the first problem")
    validate.set_defaults(func=_cmd_validate)

    convert = data_commands.add_parser("convert", help="write a corpus as JSONL, brat, a HF dataset, Label Studio "
                                                      "tasks or doccano JSONL")
    convert.add_argument("name", choices=sorted(LOADERS), help="corpus loader (format) to read")
    convert.add_argument("--path", type=path_arg, help="the corpus file or folder (default: $MINING_CORPORA/<corpus> "
                         "for aaec, microtexts and editorials; none for the shipped sample and news)")
    convert.add_argument("--to", type=format_name, choices=["jsonl", "brat", "hf", "labelstudio", "doccano"],
                         required=True, help="output format (label-studio is accepted for labelstudio)")
    convert.add_argument("-o", "--output", type=path_arg, required=True, help="file (jsonl, labelstudio, doccano) or "
                         "folder (brat, hf) to write")
    add_overwrite_argument(convert)
    convert.add_argument("--predictions", action="store_true",
                         help="with --to labelstudio: write the units as predictions (pre-annotations to correct)")
    convert.set_defaults(func=_cmd_convert)


def _add_annotation_commands(data_commands: argparse._SubParsersAction) -> None:
    """``agreement`` and ``merge``: two annotations of the same texts, compared or folded together."""
    agreement = data_commands.add_parser("agreement", help="inter-annotator agreement of two annotations of the "
                                                           "same texts")
    add_two_annotations(agreement, ("a", "A", "annotator A"), ("b", "B", "annotator B"))
    agreement.add_argument("--json", action="store_true", help="print JSON (every score of compare_documents)")
    agreement.add_argument("-o", "--output", type=path_arg, metavar="OUT.json", help="also write the scores as JSON")
    add_overwrite_argument(agreement)
    agreement.set_defaults(func=_cmd_agreement)

    merge = data_commands.add_parser("merge", help="fold new annotated documents into a dataset (JSONL), refusing "
                                                   "conflicts, with a changelog of fingerprints")
    merge.add_argument("base", type=path_arg, metavar="BASE", help="the dataset (file or folder, format detected)")
    merge.add_argument("new", type=path_arg, metavar="NEW", help="the new documents (file or folder, format detected)")
    merge.add_argument("-o", "--output", type=path_arg, required=True, metavar="OUT.jsonl",
                       help="the merged dataset; may be BASE itself; changelog in OUT.jsonl.changelog")
    merge.add_argument("--replace", action="store_true",
                       help="replace BASE documents whose text NEW annotates differently (ID conflicts, a known "
                            "id with another text, are refused regardless)")
    merge.add_argument("--split", type=split_name, help="the split (e.g. train) of the NEW documents that have none")
    merge.add_argument("--base-format", choices=input_formats(), help="force BASE's format")
    merge.add_argument("--new-format", choices=input_formats(), help="force NEW's format")
    merge.set_defaults(func=_cmd_merge)


def _add_export_command(data_commands: argparse._SubParsersAction) -> None:
    """``export``: a corpus as a dataset folder to share, with its card."""
    from mining.corpora import LOADERS

    export = data_commands.add_parser("export", help="save a corpus as a Hugging Face dataset folder with a card")
    export.add_argument("name", choices=sorted(LOADERS), help="corpus loader (format) to read, as for convert")
    export.add_argument("--path", type=path_arg, help="corpus location (none for the shipped 'sample' and 'news')")
    export.add_argument("-o", "--output", type=path_arg, required=True, metavar="OUT",
                        help="folder to write the dataset and its card into")
    export.add_argument("--format", choices=["hf"], default="hf", help="only hf: save_to_disk + README.md")
    export.add_argument("--license", type=nonblank,
                        help="licence id for the card (default: mit for the shipped sample and news, else unknown)")
    add_overwrite_argument(export)
    export.set_defaults(func=_cmd_export)


def _add_model_commands(data_commands: argparse._SubParsersAction) -> None:
    """``preannotate`` and ``rank``: a trained bundle's labels put to work for the annotators."""
    preannotate = data_commands.add_parser("preannotate", help="model predictions as pre-annotations to correct "
                                                               "in Label Studio or brat")
    add_input_arguments(preannotate)
    preannotate.add_argument("--to", type=format_name, choices=["labelstudio", "brat"], required=True,
                             help="labelstudio (a task file with predictions; label-studio is accepted too) or brat")
    preannotate.add_argument("-o", "--output", type=path_arg, required=True,
                             help="a .json task file (labelstudio) or a folder (brat)")
    add_overwrite_argument(preannotate)
    preannotate.set_defaults(func=_cmd_preannotate)

    rank = data_commands.add_parser("rank", help="order unlabelled texts by model uncertainty, most uncertain "
                                                 "first (active learning)")
    add_input_arguments(rank)
    rank.add_argument("--top", type=positive_int, help="show only the first N (at least 1)")
    rank.add_argument("--json", action="store_true", help="print one JSON object per text instead of a table")
    rank.set_defaults(func=_cmd_rank)
