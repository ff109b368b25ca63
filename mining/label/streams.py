"""Read texts to label, lazily, from files, folders, JSONL and stdin, and keep one shard of them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mining.errors import CorpusError, UsageError

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl",)
STDIN = "-"


@dataclass(frozen=True)
class Item:
    """One text to label, with the id its output gets, where it came from (for error messages) and the
    topic it argues about, if the input gives one."""

    id: str
    text: str
    source: str
    topic: str | None = None


def parse_shard(value: str) -> tuple[int, int]:
    """``"I/N"`` -> ``(I, N)`` with ``0 <= I < N`` (a SLURM array index over N tasks)."""
    try:
        index, total = (int(x) for x in value.split("/"))
    except ValueError:
        raise UsageError(f"--shard must look like I/N (e.g. 0/4), got {value!r}") from None
    if not 0 <= index < total:
        raise UsageError(f"--shard {value}: need 0 <= I < N")
    return index, total


def take_shard(items: Iterable[Item], index: int, total: int) -> Iterator[Item]:
    """Every ``total``-th item starting at ``index``: N shards partition the input, each in input order."""
    for i, item in enumerate(items):
        if i % total == index:
            yield item


def decode(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """Bytes -> text, or a CorpusError naming the file and the first bad byte."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise CorpusError(f"not valid {encoding}: byte {data[e.start]:#04x} at offset {e.start} ({e.reason}); "
                          "pass --encoding with the file's encoding (e.g. latin-1)", file=source) from None
    except LookupError:
        raise UsageError(f"--encoding: unknown encoding {encoding!r}") from None


def iter_items(paths: Iterable[str | Path], *, encoding: str = "utf-8", stdin: BinaryIO | None = None) -> Iterator[Item]:
    """The texts of ``paths`` in order: a ``.txt`` (or any other) file is one text, a ``.jsonl`` file
    one text per line (``{"text": ..., "id": ...}``, the id optional), a folder every ``.txt`` and
    ``.jsonl`` file below it in sorted order, and ``-`` standard input as one text. A JSONL line may
    give its ``"topic"`` (a string or null).

    Ids are the file's name without its suffix (inside a folder, the relative path), or
    ``NAME:LINE`` for JSONL lines without an id. Nothing is read before it is needed.
    """
    for path in paths:
        if str(path) == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield Item(id="stdin", text=decode(stream.read(), "<stdin>", encoding), source="<stdin>")
            continue
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES + JSONL_SUFFIXES)
            if not files:
                raise CorpusError(f"no {'/'.join(TEXT_SUFFIXES + JSONL_SUFFIXES)} files in the folder", file=path)
            for file in files:
                yield from _file_items(file, file.relative_to(path).with_suffix("").as_posix(), encoding)
        elif path.is_file():
            yield from _file_items(path, path.stem, encoding)
        else:
            raise CorpusError("no such file or folder", file=path)


def _file_items(path: Path, name: str, encoding: str) -> Iterator[Item]:
    if path.suffix not in JSONL_SUFFIXES:
        yield Item(id=name, text=decode(path.read_bytes(), str(path), encoding), source=str(path))
        return
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            line = decode(raw, f"{path}:{number}", encoding).strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise CorpusError(f"broken JSON: {e.msg} (column {e.colno})", file=path, line=number) from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise CorpusError('each line must be a JSON object with a "text" string', file=path, line=number)
            topic = record.get("topic")
            if topic is not None and not isinstance(topic, str):
                raise CorpusError(f'"topic" must be a string or null, got {type(topic).__name__}', file=path, line=number)
            yield Item(id=str(record.get("id", f"{name}:{number}")), text=record["text"], source=f"{path}:{number}",
                       topic=topic)
