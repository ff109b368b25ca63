"""The command line: the one place where argv (and Hydra, for ``mining run``) meets the library.

Each command group lives in its own module (:mod:`mining.cli.data`, :mod:`mining.cli.experiment`,
:mod:`mining.cli.runs`, :mod:`mining.cli.label`,
:mod:`mining.cli.annotate`); this one assembles the parser and dispatches.
"""

from __future__ import annotations

import argparse
import gc
import io
import logging
import os
import select
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from mining.cli.annotate import add_annotate_commands
from mining.cli.data import add_data_commands
from mining.cli.errors import DEBUG_ENV, DEBUG_HELP, debug_enabled, explain, report, setting_env
from mining.cli.experiment import add_run_command, run
from mining.cli.label import add_evaluate_labels_command, add_label_command
from mining.cli.paths import CONFIG_DIR, PACKAGE_DIR
from mining.cli.runs import add_runs_commands

__all__ = ["CONFIG_DIR", "PACKAGE_DIR", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    from mining import __version__

    parser = argparse.ArgumentParser(prog="mining", description="Argument mining experiments.",
                                     epilog="An error caused by input, arguments or settings prints one line on "
                                            "stderr and exits with status 2; `mining --debug COMMAND ...` (or "
                                            f"{DEBUG_ENV}=1) shows its traceback.")
    parser.add_argument("--version", action="version", version=f"mining {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    commands = parser.add_subparsers(dest="command", required=True)
    add_run_command(commands)
    add_data_commands(commands)
    add_annotate_commands(commands)
    add_label_command(commands)
    add_runs_commands(commands)
    add_evaluate_labels_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; an error the user can fix is one line on stderr and exit status 2.

    Only :func:`mining.cli.errors.explain`'s errors are caught: a bug keeps its traceback, and
    ``--debug`` (before the command) or ``MINING_DEBUG=1`` shows every traceback. Ctrl-C and SIGTERM end it
    with "interrupted" and 128 + the signal's number (130, 143), a reader that has gone with 141.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = argv[:1] == ["--debug"]
    # `mining run`'s jobs read the env variable, in any process
    with setting_env(DEBUG_ENV, "1" if debug else None), fewer_collections(), terminated_as_interrupted(), \
            quiet_logging_errors():
        try:
            status = dispatch(argv[1:] if debug else argv)
            sys.stdout.flush()  # inside the try: a reader that has gone shows here, not at exit
            return status
        except BrokenPipeError:
            if debug_enabled() or not _stdout_closed():  # a worker's pipe, say: a bug, with its traceback
                raise
            # `mining ... | head`: the reader has what it wanted; no traceback now, and none at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_CLOSED_PIPE
        except KeyboardInterrupt as e:
            if debug_enabled():
                raise
            return _interrupted(e)
        except Exception as e:
            if not debug_enabled() and (cause := _interruption(e)) is not None:
                return _interrupted(cause)
            message = None if debug_enabled() else explain(e)
            if message is None:
                raise
            return report(message)


EXIT_CLOSED_PIPE = 141  # what a shell reports for a process ended by SIGPIPE (128 + 13)


def _interrupted(e: KeyboardInterrupt) -> int:
    # Ctrl-C, or SIGTERM (a batch system's stop): what the command was writing is left out or unfinished
    # (writes are atomic; a run directory without metrics.json is unfinished), nothing else to say
    print("\ninterrupted", file=sys.stderr)
    return 128 + (e.signum if isinstance(e, Terminated) else signal.SIGINT)


def _interruption(e: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM behind an error, if any: a signal that arrives while a C extension is being imported
    (scipy's HiGHS, by pybind11) comes out as ``ImportError: initialization failed`` caused by it."""
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, KeyboardInterrupt):
            return e
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return None


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is, as Ctrl-C's KeyboardInterrupt is (exit status 128 + 15)."""

    signum = signal.SIGTERM


@contextmanager
def quiet_logging_errors() -> Iterator[None]:
    """Hydra logs to stdout: with a reader that has gone (``mining run --info | head``), ``logging`` would print a
    traceback per record. Inside the block it prints none; the setting is restored after."""
    before = logging.raiseExceptions
    logging.raiseExceptions = False
    try:
        yield
    finally:
        logging.raiseExceptions = before


@contextmanager
def terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM, as Ctrl-C: raised as :class:`Terminated` in the main thread, so that every ``finally`` runs and a
    file being written atomically leaves no temporary file behind (the default ends the process on the spot).
    Signal handlers belong to the main thread: called from another, ``main`` leaves SIGTERM as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    pid = os.getpid()

    def interrupt(signum, frame):
        if os.getpid() != pid:  # a forked worker (a subtask's process): it ends as it would have
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _stdout_closed() -> bool:
    """Whether standard output is a pipe whose reader has gone (``poll`` reports an error on it); where there is
    no ``poll`` (Windows), a broken pipe is taken to be standard output's, as it most often is."""
    if not hasattr(select, "poll"):
        return True
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


# The cyclic garbage collector scans its youngest generation every 700 new container objects by
# default; feature extraction makes millions (a list per token, a tuple per n-gram), and the
# collections cost `mining run experiment=aaec_components` 0.8 of its 6.4 s of CPU (1,282 of them,
# timed with gc.callbacks). Every 100,000 objects: 6 collections and 0.6 s less CPU in that run.
# Reference counting still frees everything that is not in a cycle at once.
FIRST_GENERATION = 100_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every ``FIRST_GENERATION`` new objects inside the block (the
    command owns the process; worker processes it starts keep their own default), then restore the
    thresholds (``main`` is also called within test processes)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(FIRST_GENERATION, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def dispatch(argv: list[str]) -> int:
    if argv[:1] == ["run"]:  # everything after `run` belongs to Hydra (overrides, -m, --cfg, ...)
        return run(argv[1:])
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
