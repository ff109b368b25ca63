"""Where a command may write: never onto its own input, never over existing output unless asked."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from pathlib import Path

from mining.errors import CorpusError, UsageError
from mining.files import input_folders_holding, not_a_file, remove_stale_temporaries


def add_overwrite_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing output file or folder (never the input)")


def check_output(output: Path | None, inputs: Iterable[str | Path | None], *, overwrite: bool,
                 also: Iterable[Path] = (), beside_inputs: bool = False, one_file: bool = False) -> None:
    """Refuse ``output`` (and the side files ``also``) before any work is done.

    An output that is one of the inputs, a folder holding one, or a path inside a run record of an input folder is
    refused always: the input would be gone if the command failed halfway. So is a path inside an input folder that
    the folder's readers take for input (:data:`READ_SUFFIXES`, or a folder): it would be read as input next time
    (labels read as texts to label, a JSONL twice); a table or a page there is fine. With ``beside_inputs``
    (``compare``, which reads only the run records of its folders) only the run records are kept out. An existing
    file, or a folder that is not empty, is refused unless ``overwrite``. With ``one_file`` (the output is one file)
    a folder is refused always: the write would fail only after the work. The temporary files that a writer of the
    output killed midway left beside it are removed (:func:`mining.files.remove_stale_temporaries`).
    """
    if output is None:
        return
    if str(output) == "-" or not output.is_dir() and not_a_file(output):
        # "-" would become a file of that name, and /dev/stdout (a device or a pipe) would be replaced by the
        # renamed temporary file that writes are made atomic with
        raise UsageError(f"cannot write the output {output}: give the path of a file or folder (where a command "
                         "prints, leave out the output option for standard output)")
    check_writable(output)
    if one_file and output.is_dir():
        raise UsageError(f"cannot write the output {output}: it is a folder, and this output is one file; give the "
                         "path of a file")
    target = output.resolve()
    for given in inputs:
        if given is None or str(given) == "-":
            continue
        source = Path(given).resolve()
        if target == source:
            raise CorpusError(f"the output is the input {given}: write to another path", file=output)
        if target.is_dir() and source.is_relative_to(target):  # replaced or filled, the input in it would go
            raise CorpusError(f"the output is a folder holding the input {given}: write to another path", file=output)
    read_as_input = target.suffix.lower() in READ_SUFFIXES or not target.suffix  # no suffix: a folder
    for folder in input_folders_holding(output, inputs):
        if _in_a_record(target, Path(folder).resolve()) or read_as_input and not beside_inputs:
            raise CorpusError(f"the output is inside the input folder {folder}, which would read it as input next "
                              "time: write to another path", file=output)
    for path in (output, *also):
        if not overwrite and (path.is_file() or (path.is_dir() and any(path.iterdir()))):
            kind = "file" if path.is_file() else "folder, not empty,"
            raise CorpusError(f"the output {kind} exists already: pass --overwrite to replace it, or choose a new "
                              "path", file=path)
    for path in (output, *also):  # about to be written: a killed writer's temporary file would never be renamed
        remove_stale_temporaries(path)


# What the readers of a folder take for input: texts, JSONL, Parquet, the tools' JSON, brat's files, XML, CSV.
READ_SUFFIXES = frozenset({".txt", ".jsonl", ".parquet", ".json", ".ann", ".xml", ".csv", ".arrow"})


def _in_a_record(target: Path, folder: Path) -> bool:
    """Whether ``target`` lies in a run record (a folder with ``metrics.json``) at or below ``folder``."""
    from mining.runs.record import METRICS  # only here: record.py imports numpy, and every command imports this

    return any((parent / METRICS).is_file() for parent in target.parents if parent.is_relative_to(folder))


def check_writable(output: Path) -> None:
    """The nearest existing folder above ``output`` must be a folder that may be written into."""
    folder = output.absolute().parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write the output {output}: {folder} is a file, not a folder; choose another path")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write the output {output}: the folder {folder} is not writable; choose another path")
