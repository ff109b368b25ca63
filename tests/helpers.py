"""Run the `mining` command line in a fresh process, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_mining(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m mining.cli ARGS``; with ``cwd`` set, ``MINING_HOME`` is ``cwd`` too (runs, caches).

    ``mining run`` gets ``nlp.progress=false`` so that captured output stays readable.
    """
    process = start_mining(*args, cwd=cwd, env=env)
    stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def start_mining(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.Popen:
    """:func:`run_mining` without waiting: the process, its output piped, to wait for, race or kill."""
    full_env = {**os.environ, **({"MINING_HOME": str(cwd)} if cwd is not None else {}), **(env or {})}
    quiet = ["nlp.progress=false"] if args and args[0] == "run" else []
    return subprocess.Popen([sys.executable, "-m", "mining.cli", *args, *quiet], cwd=cwd, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
