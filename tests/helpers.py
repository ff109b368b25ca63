"""Run the `mining` command line as a user would: in this process where that is faithful, else in a fresh one.

A fresh ``python -m mining.cli`` pays every import again (spaCy, scikit-learn, skops, Hydra: seconds
each time), so ``run_mining`` calls ``mining.cli.main(argv)`` in-process, with what a new process
would have had: its own stdout/stderr, working directory, environment, ``sys.argv``, logging set-up
and warnings printed to stderr, and the exit status of ``SystemExit`` or of an uncaught exception
(a traceback on stderr, status 1). Commands whose workers are other processes (Hydra's joblib or
submitit launchers, ``--n-process N``, ``--engine dask``) or that need another interpreter environment (``env=``, e.g.
a ``PYTHONPATH``) still run as a subprocess: forking a pytest process with threads is not what users
do, and reused workers would keep a previous test's environment.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

# Python's own warning filters when started without -W or -X dev (see the `warnings` docs).
DEFAULT_WARNING_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


@dataclass
class Completed:
    """What ``subprocess.run(..., capture_output=True, text=True)`` gives: the parts tests read."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run_mining(*args: str, cwd: Path | None = None, env: dict | None = None) -> Completed | subprocess.CompletedProcess:
    """``mining ARGS``; with ``cwd`` set, ``MINING_HOME`` is ``cwd`` too (runs, caches).

    ``mining run`` gets ``nlp.progress=false`` so that captured output stays readable.
    """
    argv = _quiet(args)
    home = _home(cwd)
    if env or needs_own_process(argv):
        return run_mining_process(argv, cwd=cwd, env={**home, **(env or {})})
    return run_mining_here(argv, cwd=cwd, env=home)


def _quiet(args) -> list[str]:
    """``args``, with ``nlp.progress=false`` added to ``mining run`` so that captured output stays readable."""
    return [*args, *(["nlp.progress=false"] if args and args[0] == "run" else [])]


def _home(cwd: Path | None) -> dict[str, str]:
    return {"MINING_HOME": str(cwd)} if cwd is not None else {}


def _command(argv) -> list[str]:
    return [sys.executable, "-m", "mining.cli", *argv]


def needs_own_process(argv: list[str]) -> bool:
    """Whether the command starts worker processes (see the module docstring)."""
    if any(a in ("--cfg", "-c", "--info", "--help", "-h", "--hydra-help") for a in argv):  # Hydra prints, runs no job
        return False
    if any(a.startswith("hydra/launcher=") and a != "hydra/launcher=basic" for a in argv):
        return True
    if any(a.startswith("nlp.n_process=") and a != "nlp.n_process=1" for a in argv):
        return True
    if any(a in ("--engine", "--scheduler") for a in argv):  # a Dask cluster of worker processes
        return True
    return any(a == "--n-process" and value != "1" for a, value in zip(argv, argv[1:]))


def run_mining_process(argv: list[str], *, cwd: Path | None = None,
                       env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m mining.cli ARGV`` in a fresh interpreter."""
    return subprocess.run(_command(argv), cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)


def run_mining_here(argv: list[str], *, cwd: Path | None = None, env: dict | None = None) -> Completed:
    """``mining.cli.main(ARGV)`` in this process, isolated as described in the module docstring."""
    from mining.cli import main

    out, err = io.StringIO(), io.StringIO()
    with _isolated(cwd, env or {}), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            _warnings_to_stderr():
        try:
            code = main(list(argv))
        except SystemExit as e:
            code = e.code
        except BaseException:  # what the interpreter does with an uncaught exception
            traceback.print_exc()
            code = 1
        if code is not None and not isinstance(code, int):  # sys.exit("message")
            print(code, file=sys.stderr)
            code = 1
    return Completed(["mining", *argv], code or 0, _text_mode(out.getvalue()), _text_mode(err.getvalue()))


def _text_mode(captured: str) -> str:
    """The universal newlines ``text=True`` applies to a subprocess's output."""
    return captured.replace("\r\n", "\n").replace("\r", "\n")


@contextlib.contextmanager
def _isolated(cwd: Path | None, env: dict):
    """Apply ``cwd`` and ``env``; afterwards restore them, ``sys.argv``, logging and Hydra's global state."""
    from hydra.core.global_hydra import GlobalHydra

    old_cwd, old_env, old_argv = os.getcwd(), dict(os.environ), list(sys.argv)
    saved_logging = _logging_state()
    GlobalHydra.instance().clear()
    try:
        os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        yield
    finally:
        GlobalHydra.instance().clear()
        _restore_logging(saved_logging)
        sys.argv[:] = old_argv
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)


def _logging_state() -> dict:
    loggers = {"": logging.getLogger()}
    loggers.update((name, lg) for name, lg in logging.Logger.manager.loggerDict.items()
                   if isinstance(lg, logging.Logger))
    return {name: (lg, lg.level, list(lg.handlers), lg.propagate, lg.disabled) for name, lg in loggers.items()}


def _restore_logging(saved: dict) -> None:
    """Undo Hydra's ``dictConfig``: the old handlers and levels back, the run's own handlers closed."""
    kept = {id(h) for _, _, handlers, _, _ in saved.values() for h in handlers}
    current = [logging.getLogger()] + [lg for lg in logging.Logger.manager.loggerDict.values()
                                       if isinstance(lg, logging.Logger)]
    for lg in current:
        for handler in lg.handlers:
            if id(handler) not in kept:
                handler.close()
    for lg, level, handlers, propagate, disabled in saved.values():
        lg.setLevel(level)
        lg.handlers[:] = handlers
        lg.propagate, lg.disabled = propagate, disabled


@contextlib.contextmanager
def _warnings_to_stderr():
    """Warnings as a fresh interpreter shows them: default filters, printed on (the captured) stderr."""
    def show(message, category, filename, lineno, file=None, line=None):
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():
        warnings.resetwarnings()
        for action, category, module in reversed(DEFAULT_WARNING_FILTERS):
            warnings.filterwarnings(action, category=category, module=module)
        warnings.showwarning = show
        yield


def start_mining(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.Popen:
    """:func:`run_mining` without waiting: the process, its output piped, to wait for, race or kill."""
    return subprocess.Popen(_command(_quiet(args)), cwd=cwd, env={**os.environ, **_home(cwd), **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def load_benchmark(name: str):
    """The script ``benchmarks/NAME.py`` as a module (registered in ``sys.modules``: dataclasses look their module
    up there)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def copy_entry(source: Path, dest: Path) -> None:
    """``source`` (a file or a folder) at ``dest``: its files hard-linked where the file system allows, else copied.
    Not a symbolic link: a run's readers follow one only into a git-annex or DVC store."""
    import shutil

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    if source.is_dir():
        shutil.copytree(source, dest, copy_function=link_or_copy)
    else:
        link_or_copy(str(source), str(dest))


def stage_of_another_process(parent: Path, prefix: str) -> tuple[Path, subprocess.Popen]:
    """A staging folder (:func:`mining.files.staging_folder`) that another process holds, as a writer at work does,
    and that process: it waits until its stdin is closed, or until it is killed as a writer can be (``kill -9``)."""
    code = ("import sys\nfrom pathlib import Path\nfrom mining.files import staging_folder\n"
            f"with staging_folder(Path({str(parent)!r}), {prefix!r}) as stage:\n"
            "    print(stage, flush=True)\n    sys.stdin.read()\n")
    writer = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    line = writer.stdout.readline().strip()
    if not line:  # it failed before it made one: Path("") would be the current folder, the checkout
        writer.kill()
        raise RuntimeError(f"the writer process made no staging folder (exit status {writer.wait()})")
    return Path(line), writer


def stage_of_a_killed_process(parent: Path, prefix: str) -> Path:
    """A staging folder as a writer killed midway leaves it: no process holds it any more."""
    stage, writer = stage_of_another_process(parent, prefix)
    writer.kill()
    writer.wait()
    writer.stdin.close()
    writer.stdout.close()
    return stage
