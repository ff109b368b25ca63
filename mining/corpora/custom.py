"""Read a user's own corpus in any supported format: tell the format from the path, then call its loader.

The formats are the entries of :data:`mining.corpora.LOADERS`, found by name only, so a loader added
there (``labelstudio``, ``doccano``) is picked up as soon as it is registered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mining import jsonread
from mining.errors import CorpusError, listed
from mining.schema import Document

# what detection can answer; each is a LOADERS name
DETECTABLE = ("jsonl", "brat", "hf", "labelstudio", "doccano")
DESCRIPTIONS = {
    "jsonl": "the project's JSONL",
    "brat": "a brat folder",
    "hf": "a Hugging Face dataset saved with save_to_disk",
    "labelstudio": "a Label Studio JSON export",
    "doccano": "a doccano JSONL export",
}
EXPECTED = ("expected a .jsonl file or folder, a brat folder (*.txt + *.ann), a dataset folder with "
            "dataset_info.json or state.json, a Label Studio JSON export or a doccano JSONL export")
# How to name the format when detection cannot: each command's own option.
NAME_IT = "name the format: --format (--base-format/--new-format for data merge, data.format=NAME for mining run)"
# keys a doccano export line has where the project's JSONL has "units"
_DOCCANO_KEYS = ("label", "labels", "entities")
# keys a Label Studio task has beside "data"
_LABELSTUDIO_KEYS = ("annotations", "completions", "predictions")


def detect_format(path: str | Path) -> str:
    """The LOADERS name that reads ``path``.

    - a folder with ``dataset_info.json`` or ``state.json``: ``hf``;
    - a folder with ``*.ann`` files: ``brat``;
    - a ``.jsonl``/``.json`` file, or a folder of ``*.jsonl`` (else of ``*.json``; its first file
      decides), by the first record: Label Studio tasks (``{"data": ..., "annotations": ...}``, or
      ``{"data": {...}}`` with no ``text`` beside it, in a JSON array or alone) are ``labelstudio``; lines
      with ``text`` and ``label``/``entities`` but no ``units`` are ``doccano``; lines with ``id`` and
      ``text`` are ``jsonl``. Any other JSON array is an :class:`UnreadableFormat`.

    Raises
    ------
    CorpusError
        When the path does not exist, the format cannot be told, or it is told but no loader of that
        name is registered.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError("no such file or folder", file=path)
    if path.is_dir():
        if is_saved_dataset(path):
            return _alone("hf", path)
        if any(path.glob("*.ann")):
            return _alone("brat", path)
        files = sorted(path.glob("*.jsonl")) or sorted(path.glob("*.json"))
        if files:
            return _registered(_sniff_file(files[0]), files[0])
        raise CorpusError(f"cannot tell the format of this folder ({EXPECTED}); {NAME_IT}", file=path)
    if path.suffix in (".ann", ".txt"):
        raise CorpusError("a single brat file: pass the folder that holds the *.txt and *.ann files", file=path)
    if path.suffix in (".jsonl", ".json"):
        return _registered(_sniff_file(path), path)
    raise CorpusError(f"cannot tell the format of this file ({EXPECTED}); {NAME_IT}", file=path)


def _alone(fmt: str, folder: Path) -> str:
    """``fmt``, the format ``folder`` was told to be, unless it holds JSONL files too, which that format's loader
    would leave unread without a word: a CorpusError naming them."""
    others = sorted(p.name for p in folder.glob("*.jsonl") if not p.name.startswith("."))
    if others:
        shown = listed(others, 3)
        raise UnreadableFormat(f"a folder mixing formats: {DESCRIPTIONS[fmt]}, and JSONL files ({shown}) that it would "
                          f"leave unread; give the .jsonl file itself, move it out, or read the folder as {fmt}: "
                          f"{NAME_IT}", file=folder)
    return fmt


def is_saved_dataset(folder: Path) -> bool:
    """Whether ``folder`` is a dataset saved with ``Dataset.save_to_disk`` (the ``hf`` loader reads it); the folder
    of a whole ``DatasetDict`` is a CorpusError, since one split is one corpus."""
    if any((folder / name).is_file() for name in ("dataset_info.json", "state.json")):
        return True
    if (folder / "dataset_dict.json").is_file():
        raise CorpusError("a DatasetDict folder: point at the folder of one of its splits", file=folder)
    return False


def load(path: str | Path, format: str | None = None, **options: Any) -> list[Document]:  # noqa: A002
    """Load ``path`` with the loader ``format`` names, or with the one :func:`detect_format` finds.

    ``options`` go to that loader (for example ``unit_labels`` for brat). Two documents with one id are a
    ``CorpusError`` naming ``path`` and the id.
    """
    from mining.corpora import get_loader, unique_documents

    fmt = format or detect_format(path)
    check_format(fmt, path)
    return unique_documents(get_loader(fmt)(path, **options), path)


def check_format(fmt: str, path: str | Path) -> None:
    """Raise a ``CorpusError`` naming ``path`` unless ``fmt`` is a format a file can be read in."""
    from mining.corpora import LOADERS

    if fmt == "custom" or fmt not in LOADERS:
        known = ", ".join(sorted(set(LOADERS) - {"custom"}))
        raise CorpusError(f"unknown format {fmt!r} (known: {known})", file=path)


def _registered(fmt: str | None, path: Path) -> str:
    from mining.corpora import LOADERS

    if fmt is None:
        raise CorpusError(f"cannot tell the format from the first record ({EXPECTED}); {NAME_IT}", file=path)
    if fmt not in LOADERS:
        raise CorpusError(f"looks like {DESCRIPTIONS[fmt]}, but no {fmt!r} loader is registered in "
                          "mining.corpora.LOADERS", file=path)
    return fmt


def _sniff_file(path: Path) -> str | None:
    """Tell the format from the first record of a JSON or JSON-lines file; a first line that is not JSON is a
    CorpusError naming it, as the loaders name it."""
    broken = None  # the error of a .json file read whole
    try:
        with path.open(encoding="utf-8-sig") as f:
            number, first = next(((n, line) for n, line in enumerate(f, start=1) if line.strip()), (0, ""))
            if path.suffix == ".json" or first.lstrip().startswith("["):
                f.seek(0)
                try:
                    whole = jsonread.load(f)  # an export: one array of tasks, or a single task
                except json.JSONDecodeError as e:
                    if first.lstrip().startswith("["):
                        raise CorpusError(f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}",
                                          file=path) from None
                    whole, broken = None, e  # JSON lines in a .json file, or one task broken further on
                if isinstance(whole, list):
                    return _sniff_array(whole, path)
                if isinstance(whole, dict) and sniff_record(whole) == "labelstudio":
                    return "labelstudio"
    except UnicodeDecodeError as e:
        _name_the_line(path)  # decoded in chunks, e.start counts from the chunk's start
        raise CorpusError(f"not valid UTF-8 (byte {e.start})", file=path) from None
    if not first.strip():
        return "jsonl" if path.suffix == ".jsonl" else None  # an empty dataset, to merge into
    try:
        record = jsonread.loads(first.rstrip("\r\n"))
    except json.JSONDecodeError as e:
        e = broken or e  # a task over many lines: the first is no JSON of its own, the file's error is the one
        raise CorpusError(jsonread.describe(e), file=path,
                          line=e.lineno if broken else number) from None
    return sniff_record(record)


def _name_the_line(path: Path) -> None:
    """Raise the CorpusError that names the line of ``path`` that is not UTF-8, and its byte."""
    from mining.corpora.jsonl import utf8_lines

    with path.open("rb") as f:
        for _ in utf8_lines(f, path, kind="a corpus file"):
            pass


class UnreadableFormat(CorpusError):
    """What the file is can be told, and it is nothing mining reads (a JSON array that is no Label Studio export)."""


def _sniff_array(data: list, path: Path) -> str:
    """A JSON array is how Label Studio exports its tasks; the project's JSONL is one object per line. Any other
    array is no format mining reads: an error saying what it is."""
    if not data:
        raise UnreadableFormat("an empty JSON array: no task or document to read", file=path)
    if sniff_record(data[0]) == "labelstudio":
        return "labelstudio"
    first = data[0]
    if isinstance(first, dict) and "text" in first and isinstance(first.get("label"), list) and any(
            isinstance(region, dict) and "labels" in region for region in first["label"]):
        raise UnreadableFormat("a Label Studio JSON-MIN export, which keeps no region ids, relations or per-region "
                               "answers: export the project as JSON instead", file=path)
    raise UnreadableFormat(f"a JSON array of records of no format mining reads ({EXPECTED}); the project's JSONL has "
                           "one JSON object per line, not an array", file=path)


def sniff_record(record: Any) -> str | None:
    """The format one record (a JSON object) reads as: ``labelstudio``, ``doccano``, ``jsonl``, or None."""
    if not isinstance(record, dict):
        return None
    if "data" in record and (any(k in record for k in _LABELSTUDIO_KEYS)
                             or (isinstance(record["data"], dict) and "text" not in record)):
        return "labelstudio"  # an export, or tasks to import: their text is in "data"
    if "text" in record and "units" not in record and any(k in record for k in _DOCCANO_KEYS):
        return "doccano"
    if "id" in record and "text" in record:
        return "jsonl"
    return None
