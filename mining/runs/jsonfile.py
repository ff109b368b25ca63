"""Read the JSON files of a run record (``metrics.json``, ``meta.json``), refusing any that is not an object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mining.errors import NotFinishedError, RunRecordError


def read_json_object(path: str | Path, *, missing: str | None = None) -> dict[str, Any]:
    """The JSON object in ``path``; a missing file raises :class:`NotFinishedError` (with ``missing`` as its
    message when given), and a file that is not JSON, or not one object, a :class:`RunRecordError` naming it."""
    path = Path(path)
    if not path.is_file():
        raise NotFinishedError(missing or f"{path}: no such file")
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RunRecordError(f"{path}: not valid JSON ({e}); expected one object of metric or field names; "
                             "re-run the experiment that wrote it") from None
    if not isinstance(value, dict):
        raise RunRecordError(f"{path}: expected one JSON object ({{\"name\": value, ...}}), got a "
                             f"{type(value).__name__}; re-run the experiment that wrote it")
    return value
