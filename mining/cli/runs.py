"""``mining compare``, ``mining reproduce`` and ``mining publish``: work with finished run records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mining.cli.outputs import add_overwrite_argument, check_output
from mining.cli.types import key_list, non_negative_float, non_negative_int, nonblank, path_arg, positive_int
from mining.errors import UsageError, listed, printable, shortened


def _cmd_compare(args: argparse.Namespace) -> int:
    from mining.runs.compare import collect, plot_sweep, render

    if args.test:
        from mining.runs.significance import compare_runs, render_interval, render_result, run_interval

        given = [option for option, value in (("--plot", args.plot), ("--sort", args.sort), ("--metrics", args.metrics),
                                              ("--aggregate", args.aggregate)) if value is not None]
        if given:
            raise UsageError(f"{', '.join(given)}: for the table of runs, not for --test (which reads --metric)")
        args.metric = args.metric or "macro_f1"

        if len(args.paths) == 1 and args.test == "bootstrap":  # one run: its score's interval
            print(printable(render_interval(run_interval(args.paths[0], metric=args.metric, resamples=args.resamples,
                                                         seed=args.seed))), end="")
            return 0
        if len(args.paths) != 2:
            raise UsageError(f"--test {args.test} compares exactly two run directories (A B), got {len(args.paths)} "
                             "paths (--test bootstrap with one run gives its interval)")
        result = compare_runs(*args.paths, test=args.test, metric=args.metric, resamples=args.resamples,
                              seed=args.seed)
        print(printable(render_result(result, args.format)), end="")
        return 0
    if args.metric is not None:
        raise UsageError("--metric is the metric of --test; the table's columns are --metrics, its order --sort")
    if args.plot is not None and args.plot.suffix.lower() != ".png":
        raise UsageError(f"--plot {args.plot}: the plot is a PNG; give a path ending in .png")
    check_output(args.plot, args.paths, overwrite=args.overwrite, beside_inputs=True)
    try:  # the note also when no run finished: the error alone would not name the jobs that failed
        header, rows = collect(args.paths, sort_by=args.sort, metrics=args.metrics, aggregate=args.aggregate)
        print(render(header, rows, args.format), end="")
    finally:
        _note_unfinished(args.paths)
    if args.plot:
        print(printable(f"plot: {plot_sweep(args.paths, args.plot, metric=args.sort)}"), file=sys.stderr)
    return 0


def _note_unfinished(paths: list[str]) -> None:
    """Name the runs the table left out because they never finished, so that a sweep's failed job is not missed: with
    the error that ended each one that recorded it (``failed.txt``), apart from those killed or still running."""
    from mining.runs.record import FAILED, failure_of, unfinished_runs

    left = {run: failure_of(run) for run in unfinished_runs(paths)}
    failed = [f"{run} ({shortened(error, 120)})" for run, error in left.items() if error]
    silent = [run for run, error in left.items() if not error]
    if failed:
        print(printable(f"note: {len(failed)} run(s) left out, failed: {listed(failed, sep='; ')}"), file=sys.stderr)
    if silent:
        print(printable(f"note: {len(silent)} run(s) left out, started but not finished (no metrics.json and no "
                        f"{FAILED}: killed or still running): {listed(silent)}"), file=sys.stderr)


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from mining.progress import reporting
    from mining.runs.reproduce import reproduce

    with reporting():  # its notes on stderr: what it re-runs, and a recorded count of processes it lowered
        result = reproduce(args.run_dir, against=args.against, tolerance=args.tolerance, extra=args.overrides)
    print(printable(render_reproduction(result, args.run_dir)))  # names and values of anyone's record
    return 0 if result.reproduced else 1


def render_reproduction(result, run_dir: Path) -> str:
    """The verdict and the metrics that differ, then what differs in the provenance (the possible causes),
    then the metrics that are new in the code since the record."""
    if result.reproduced:
        lines = [f"reproduced: all {result.compared} recorded metrics equal ({run_dir})"]
    else:
        lines = [f"NOT reproduced: {len(result.differences)} metric(s) differ"]
        lines += [f"  {line}" for line in result.differences]
    if result.predictions:
        lines.append(result.predictions)
    if result.causes:
        lines.append("what differs from the record:")
        lines += [f"  {line}" for line in result.causes]
    elif not result.reproduced:
        lines.append("nothing recorded differs: same code, packages, data, parses and platform")
    if result.new:
        shown = ", ".join(result.new[:8]) + (", ..." if len(result.new) > 8 else "")
        lines.append(f"{len(result.new)} metric(s) new since the record, not compared: {shown}")
    return "\n".join(lines)


def _cmd_publish(args: argparse.Namespace) -> int:
    from mining.runs.record import publish_reference, read_metrics

    read_metrics(args.run_dir)  # a run that is not finished is named as such first
    check_output(args.dest, [args.run_dir], overwrite=True)  # never onto the run itself; existing files: below
    files = publish_reference(args.run_dir, args.dest, model=args.with_model, overwrite=args.overwrite)
    print(printable(f"published {', '.join(files)} of {args.run_dir} to {Path(args.dest)}"))
    return 0


def add_runs_commands(commands: argparse._SubParsersAction) -> None:
    """``compare``, ``reproduce`` and ``publish``."""
    _add_compare_command(commands)

    reproduce = commands.add_parser("reproduce", help="re-run a recorded run and check every metric is equal")
    reproduce.add_argument("run_dir", type=path_arg, help="a run directory or a reference under experiments/")
    reproduce.add_argument("--against", type=path_arg, help="reference metrics JSON (default: the run's own)")
    reproduce.add_argument("--tolerance", type=non_negative_float, default=0.0,
                           help="absolute tolerance, at least 0 (default: exact)")
    reproduce.add_argument("overrides", nargs="*", help="extra Hydra overrides for the re-run, e.g. data.path=DIR")
    reproduce.set_defaults(func=_cmd_reproduce)

    publish = commands.add_parser("publish", help="copy a run's metrics, meta and config (not its predictions) "
                                                  "to a reference folder such as experiments/NAME")
    publish.add_argument("run_dir", type=path_arg, help="a finished run directory")
    publish.add_argument("dest", type=path_arg, help="where the reference goes, e.g. experiments/NAME")
    publish.add_argument("--with-model", action="store_true", help="copy the model files too, e.g. to refresh "
                         "the default model: mining publish RUN mining/label/default_model --with-model --overwrite")
    add_overwrite_argument(publish)
    publish.set_defaults(func=_cmd_publish)


def _add_compare_command(commands: argparse._SubParsersAction) -> None:
    """``compare``: a table of runs, or a paired significance test of two."""
    compare = commands.add_parser("compare", help="table of runs x metrics, with the config keys that differ")
    compare.add_argument("paths", nargs="+", type=path_arg, help="run or sweep directories")
    compare.add_argument("--format", choices=["table", "markdown", "csv"], default="table",
                         help="table (default), markdown or csv")
    compare.add_argument("--sort", type=nonblank,
                         help="metric to sort by, best first (default: the runs' optimized_metric, else the first "
                              "metric)")
    compare.add_argument("--metrics", type=key_list, help="comma-separated metric keys (default: the macro-F1 keys)")
    compare.add_argument("--aggregate", action=argparse.BooleanOptionalAction, default=None,
                         help="one row per configuration with mean ± std, min and max over seeds (default: when "
                              "the runs differ by seed and a configuration repeats)")
    compare.add_argument("--plot", type=path_arg, metavar="OUT.png",
                         help="also draw the --sort metric per configuration, with error bars over seeds")
    add_overwrite_argument(compare)
    compare.add_argument("--test", choices=["bootstrap", "permutation"],
                         help="paired significance test of run B against run A (two run directories); "
                              "bootstrap with one run: the 95%% interval of its score over test documents")
    compare.add_argument("--metric", help="metric for --test: macro_f1 (default), accuracy, per_class.LABEL.f1, "
                                          "link.macro_f1")
    compare.add_argument("--resamples", type=positive_int, default=10_000, help="resamples for --test (default: 10000)")
    compare.add_argument("--seed", type=non_negative_int, default=0, help="random seed for --test (default: 0)")
    compare.set_defaults(func=_cmd_compare)
