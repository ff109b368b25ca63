"""The command line: the one place where argv (and Hydra, for ``mining run``) meets the library.

Each command group lives in its own module (:mod:`mining.cli.data`, :mod:`mining.cli.experiment`,
:mod:`mining.cli.runs`, :mod:`mining.cli.label`); this one assembles the parser and dispatches.
"""

from __future__ import annotations

import argparse
import sys

from mining.cli.data import add_data_commands
from mining.cli.experiment import add_run_command, run
from mining.cli.label import add_evaluate_labels_command, add_label_command
from mining.cli.paths import CONFIG_DIR, PACKAGE_DIR
from mining.cli.runs import add_runs_commands
from mining.errors import CorpusError

__all__ = ["CONFIG_DIR", "PACKAGE_DIR", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    from mining import __version__

    parser = argparse.ArgumentParser(prog="mining", description="Argument mining experiments.")
    parser.add_argument("--version", action="version", version=f"mining {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    add_run_command(commands)
    add_data_commands(commands)
    add_label_command(commands)
    add_runs_commands(commands)
    add_evaluate_labels_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:  # everything after `run` belongs to Hydra (overrides, -m, --cfg, ...)
        return run(argv[1:])
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
