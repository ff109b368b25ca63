"""Where a command may write: never onto its own input, never over existing output unless asked."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from mining.errors import CorpusError


def add_overwrite_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing output file or folder (never the input)")


def check_output(output: Path | None, inputs: Iterable[str | Path | None], *, overwrite: bool,
                 also: Iterable[Path] = ()) -> None:
    """Refuse ``output`` (and the side files ``also``) before any work is done.

    An output that is one of the inputs, or a folder holding one, is refused always: the input
    would be gone if the command failed halfway, and a re-run could not start again. An existing
    file, or a folder that is not empty, is refused unless ``overwrite``.
    """
    if output is None:
        return
    target = output.resolve()
    for given in inputs:
        if given is None or str(given) == "-":
            continue
        source = Path(given).resolve()
        if target == source or (target.is_dir() and source.is_relative_to(target)):
            raise CorpusError(f"the output is the input {given}: write to another path", file=output)
    if overwrite:
        return
    for path in (output, *also):
        if path.is_file() or (path.is_dir() and any(path.iterdir())):
            kind = "file" if path.is_file() else "folder, not empty,"
            raise CorpusError(f"the output {kind} exists already: pass --overwrite to replace it, or choose a new "
                              "path", file=path)
