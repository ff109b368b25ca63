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
    full_env = {**os.environ, **({"MINING_HOME": str(cwd)} if cwd is not None else {}), **(env or {})}
    quiet = ["nlp.progress=false"] if args and args[0] == "run" else []
    return subprocess.run([sys.executable, "-m", "mining.cli", *args, *quiet], cwd=cwd, env=full_env,
                          capture_output=True, text=True)
