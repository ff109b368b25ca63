"""Read the JSON and YAML files of a run record (``metrics.json``, ``meta.json``, ``config.yaml``,
``.hydra/overrides.yaml``), refusing what a record never holds.

A record may come from anyone, so its files are read as untrusted: only a regular file (a pipe in its place
would hang the reader, a link to ``/dev/zero`` fill the memory), of at most :data:`MAX_RECORD_BYTES`, and
YAML without aliases: the safe loader shares an aliased node, but a reader that walks the config
(``mining compare`` flattens it) meets each alias anew, and nine levels of ten aliases in a 1 KB file are
10⁹ settings. Hydra's resolved config has no alias.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from mining import jsonread
from mining.errors import NotFinishedError, RunRecordError

MAX_RECORD_BYTES = 64 * 2**20  # a news bundle's meta.json, the largest, is 40 KB


def record_text(path: str | Path, *, missing: str | None = None, pipe: bool = False) -> str:
    """The UTF-8 text of ``path``: a missing file raises :class:`NotFinishedError` (``missing`` as its message when
    given), one that is no regular file (unless ``pipe``: a file the user names, such as ``<(jq ...)``), too large or
    not UTF-8 a :class:`RunRecordError` naming it."""
    path = Path(path)
    # A record's file is opened without waiting and then looked at, so a pipe put there after a look cannot hang
    # the read; a pipe the user gives is opened as a pipe is, waiting for its writer.
    user_pipe = pipe and path.exists() and stat.S_ISFIFO(path.stat().st_mode)
    try:
        fd = os.open(path, os.O_RDONLY if user_pipe else os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise NotFinishedError(missing or f"{path}: no such file") from None
    except OSError as e:
        raise RunRecordError(f"{path}: cannot be read ({e.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or pipe and stat.S_ISFIFO(mode)):
            raise RunRecordError(f"{path}: not a regular file (a folder, a pipe or a device); a run record's files "
                                 "are files")
        os.set_blocking(fd, True)
        data = f.read(MAX_RECORD_BYTES + 1)  # at most: it may have grown since
    if len(data) > MAX_RECORD_BYTES:
        raise RunRecordError(f"{path}: more than a run record's file ever holds ({MAX_RECORD_BYTES} bytes); not read")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RunRecordError(f"{path}: not UTF-8 text ({e})") from None


def read_json_object(path: str | Path, *, missing: str | None = None, pipe: bool = False) -> dict[str, Any]:
    """The JSON object in ``path``; a missing file raises :class:`NotFinishedError` (with ``missing`` as its
    message when given), and a file that is not JSON, or not one object, a :class:`RunRecordError` naming it."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise NotFinishedError(missing or f"{path}: a folder, not a JSON file; give the path of the file")
    text = record_text(path, missing=missing, pipe=pipe)
    try:
        value = jsonread.loads(text, constants=True)  # a metric may be NaN
    except json.JSONDecodeError as e:  # nested too deeply among them
        raise RunRecordError(f"{path}: not valid JSON ({e}); expected one object of metric or field names; "
                             "re-run the experiment that wrote it") from None
    if not isinstance(value, dict):
        raise RunRecordError(f"{path}: expected one JSON object ({{\"name\": value, ...}}), got a "
                             f"{type(value).__name__}; re-run the experiment that wrote it")
    return value


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases (``*name``)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"an alias (*{event.anchor}), which a run's files never hold",
                                              event.start_mark)
        return super().compose_node(parent, index)


def read_yaml(path: str | Path, expected: str, *, missing: str | None = None) -> Any:
    """The YAML value in ``path``, read as :func:`record_text` reads; a file that is not YAML, holds an alias or is
    nested too deeply is a :class:`RunRecordError` naming it and what was ``expected``."""
    text = record_text(path, missing=missing)
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, RecursionError) as e:
        why = "nested too deeply" if isinstance(e, RecursionError) else " ".join(str(e).split())
        raise RunRecordError(f"{path}: not valid YAML ({why}); expected {expected}") from None
