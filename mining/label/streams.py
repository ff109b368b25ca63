"""Read texts to label, lazily, from files, folders, JSONL, datasets on disk (Parquet, ``save_to_disk``) and stdin;
keep one round-robin share of them (``--shard I/N``; the Dask engine cuts its own shards, ``label/shards.py``)."""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from mining import jsonread
from mining.corpora import visible_files
from mining.errors import CorpusError, UsageError, listed

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl",)
PARQUET_SUFFIXES = (".parquet",)
FOLDER_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + PARQUET_SUFFIXES  # what a folder's files may be
# What `save_to_disk` writes beside the Arrow files of a Dataset, and above the splits of a DatasetDict.
SAVED_DATASET = ("state.json", "dataset_dict.json")
UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
STDIN = "-"
ROWS_PER_READ = 1_000  # rows of a Parquet file or dataset read at a time: memory stays flat


@dataclass(frozen=True)
class Item:
    """One text to label, with the id its output gets, where it came from (for error messages) and the
    topic it argues about, if the input gives one."""

    id: str
    text: str
    source: str
    topic: str | None = None


def with_topic(items: Iterable[Item], topic: str | None) -> Iterator[Item]:
    """``items``, each without a topic of its own given ``topic`` (``mining label --topic``)."""
    for item in items:
        yield item if topic is None or item.topic is not None else replace(item, topic=topic)


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


def check_encoding(encoding: str) -> codecs.CodecInfo:
    """The codec of ``--encoding``, or a UsageError: an unknown name, or a codec that is no text encoding (base64,
    rot13, zlib: ``codecs.lookup`` knows them, but they turn bytes into bytes or text into text)."""
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"--encoding: unknown encoding {encoding!r}") from None
    if not getattr(codec, "_is_text_encoding", True):  # a private attribute of CodecInfo: absent, assume text
        raise UsageError(f"--encoding: {encoding!r} is not a text encoding; give the encoding of the input files, "
                         "e.g. utf-8 or latin-1")
    return codec


def decode(data: bytes, source: str, encoding: str = "utf-8", *, whole: bool = False) -> str:
    """Bytes -> text, or a CorpusError naming the file and the first bad byte.

    A ``whole`` text (a ``.txt`` file, stdin, a JSONL file's first line) in UTF-8 loses a leading byte order
    mark, so that offsets are into the text without it.
    """
    codec = "utf-8-sig" if check_encoding(encoding).name == "utf-8" and whole else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        likely = "utf-16" if data.startswith(UTF16_MARKS) else "latin-1"
        raise CorpusError(f"not valid {encoding}: byte {data[e.start]:#04x} at offset {e.start} ({e.reason}); "
                          f"pass --encoding with the file's encoding (e.g. {likely})", file=source) from None


def _text(data: bytes, source: str, encoding: str) -> str:
    """A whole text (a file, stdin) decoded; an empty or blank one is a CorpusError naming ``source``, and so is one
    with a NUL character, which no text file of prose holds: UTF-16 read as UTF-8 decodes without an error, a NUL
    beside every letter. (A JSONL or dataset text is a string its writer meant, NUL and all: it is labelled.)"""
    text = decode(data, source, encoding, whole=True)
    check_text(text, file=source)
    if (nul := text.find("\x00")) >= 0:
        raise CorpusError(f"a NUL character at character {nul}{_nul_hint(data, text, encoding)}", file=source)
    return text


def _nul_hint(data: bytes, text: str, encoding: str) -> str:
    """What a text's NUL characters say of its bytes: UTF-16 (a NUL beside most characters; which byte of each pair
    they are in gives the byte order, a byte order mark leaves it to the codec), or a stray one to remove."""
    if text.count("\x00") * 4 < len(text):
        return ", which no text of prose holds: remove it"
    if data.startswith(UTF16_MARKS):
        likely = "utf-16"
    else:
        likely = "utf-16-be" if data[::2].count(0) > data[1::2].count(0) else "utf-16-le"
    return f": UTF-16 read as {encoding}? pass --encoding {likely}"


def check_text(text: str, **where: object) -> None:
    """An empty or whitespace-only text is a ``CorpusError`` at ``where`` (file, line): it has nothing to
    label, and its document would fail ``mining data validate``."""
    if not text.strip():
        raise CorpusError("the text is empty", **where)


def unique_ids(items: Iterable[Item]) -> Iterator[Item]:
    """``items`` as they come, refusing an id seen before with a ``CorpusError`` naming the id and both places
    it came from: documents with one id cannot be merged, compared or told apart later."""
    seen: dict[str, str] = {}  # id -> where it came from first
    for item in items:
        if item.id in seen:
            raise CorpusError(f"duplicate document id {item.id!r} (first in {seen[item.id]}); give each text "
                              "its own id (a text file's id is its name without the suffix)", file=item.source,
                              item=item.id)
        seen[item.id] = item.source
        yield item


def check_paths(paths: Iterable[str | Path]) -> None:
    """Refuse a path that does not exist before anything slow (loading a model) runs; ``-`` is standard input."""
    for path in paths:
        if str(path) != STDIN and not Path(path).exists():
            raise CorpusError("no such file or folder", file=path)


def iter_items(paths: Iterable[str | Path], *, encoding: str = "utf-8",
               stdin: BinaryIO | None = None) -> Iterator[Item]:
    """The texts of ``paths`` in order: a ``.txt`` (or any other) file is one text, a ``.jsonl`` file
    one text per line (``{"text": ..., "id": ...}``, the id optional), a folder every ``.txt``,
    ``.jsonl`` and ``.parquet`` file below it in sorted order, and ``-`` standard input as one text. A
    JSONL line may give its ``"topic"`` (a string, not blank, or null).

    A ``.parquet`` file, or a folder written by ``datasets.Dataset.save_to_disk``, is a dataset: one
    text per row of its ``text`` column (``iter_dataset``).

    Ids are the file's name without its suffix (inside a folder, the relative path), or
    ``NAME:LINE`` for JSONL lines without an id (``NAME:ROW``, 0-based, for dataset rows); an id that
    comes twice is a ``CorpusError`` (``unique_ids``), as is an empty text. Nothing is read before it is needed.
    """
    return unique_ids(_path_items(paths, encoding, stdin))


def _path_items(paths: Iterable[str | Path], encoding: str, stdin: BinaryIO | None) -> Iterator[Item]:
    for path in paths:
        if str(path) == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield Item(id="stdin", text=_text(stream.read(), "<stdin>", encoding), source="<stdin>")
            continue
        path = Path(path)
        if path.is_dir() and any((path / name).is_file() for name in SAVED_DATASET):
            from mining.corpora.hf import open_saved  # datasets: seconds to import, for this input only

            yield from iter_dataset(open_saved(path), path.name, str(path))
        elif path.is_dir():
            # not .git, .ipynb_checkpoints: hidden files and folders; nor a pipe or a link to nothing
            found = [p for p in visible_files(path) if p.is_file()]
            _check_suffix_case(path, found)
            files = sorted(p for p in found if p.suffix in FOLDER_SUFFIXES)
            if not files:
                raise CorpusError(f"no {'/'.join(FOLDER_SUFFIXES)} files in the folder", file=path)
            for file in files:
                yield from _file_items(file, file.relative_to(path).with_suffix("").as_posix(), encoding)
        elif path.is_file() or path.is_fifo():  # a pipe: `mining label <(command)`, /dev/stdin
            yield from _file_items(path, path.stem, encoding)
        elif path.exists():  # a device (/dev/zero, a terminal) never ends
            raise CorpusError("not a file, folder or pipe to read texts from", file=path)
        else:
            raise CorpusError("no such file or folder", file=path)


def iter_dataset(dataset, name: str, source: str | None = None) -> Iterator[Item]:
    """The rows of a ``datasets.Dataset``: its ``text`` column, and ``id`` when it has one.

    Rows without an ``id`` column get the id ``NAME:ROW`` (0-based); errors name ``SOURCE:ROW``.
    """
    wanted = _columns(dataset.column_names, source or name)
    plain = dataset.select_columns(wanted).with_format(None)  # python values, whatever format the user set
    chunks = (plain[start:start + ROWS_PER_READ] for start in range(0, plain.num_rows, ROWS_PER_READ))
    return _rows(chunks, name, source or name)


def _columns(columns: list[str], source: str) -> list[str]:
    if "text" not in columns:
        raise CorpusError(f'a dataset to label needs a "text" column; it has {list(columns)}', file=source)
    return ["text"] + [name for name in ("id", "topic") if name in columns]


def _rows(chunks: Iterable[dict[str, list]], name: str, source: str) -> Iterator[Item]:
    """Items from chunks of columns (``{"text": [...], "id": [...], "topic": [...]}``), numbering the rows from 0."""
    row = 0
    for chunk in chunks:
        ids = chunk.get("id") or [None] * len(chunk["text"])
        topics = chunk.get("topic") or [None] * len(chunk["text"])
        for text, doc_id, topic in zip(chunk["text"], ids, topics):
            where = f"{source}:{row}"
            if not isinstance(text, str):
                raise CorpusError(f'"text" must be a string, got {type(text).__name__}', file=where)
            check_text(text, file=where)
            _check_topic(topic, file=where)
            yield Item(id=f"{name}:{row}" if doc_id is None else str(doc_id), text=text, source=where, topic=topic)
            row += 1


def _parquet_items(path: Path, name: str) -> Iterator[Item]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises ArrowInvalid, OSError, ...: each means "not Parquet"
        raise CorpusError(f"not a readable Parquet file: {e}", file=path) from None
    wanted = _columns(parquet.schema_arrow.names, str(path))
    batches = parquet.iter_batches(batch_size=ROWS_PER_READ, columns=wanted)  # one row group at a time
    yield from _rows((batch.to_pydict() for batch in batches), name, str(path))


def _check_suffix_case(folder: Path, files: list[Path]) -> None:
    """A CorpusError naming the ``files`` of ``folder`` whose suffix is one of :data:`FOLDER_SUFFIXES` in other letters
    (``.TXT``): a folder's texts are its files of those suffixes, and these would be left unread without a word."""
    unread = sorted(p.relative_to(folder).as_posix() for p in files
                    if p.suffix.lower() in FOLDER_SUFFIXES and p.suffix not in FOLDER_SUFFIXES)
    if unread:
        raise CorpusError(f"files that would be left unread, their suffix not in lower case: {listed(unread)}; rename "
                          f"them ({'/'.join(FOLDER_SUFFIXES)})", file=folder)


def _file_items(path: Path, name: str, encoding: str) -> Iterator[Item]:
    if path.suffix == ".json":  # a tool's export or other records: labelled as prose, its markup would be the text
        raise CorpusError('a .json file is no text to label: give plain text, JSONL with a "text" per line (.jsonl) '
                          "or Parquet; convert a tool's export first (mining data convert ... --to jsonl)", file=path)
    if path.suffix in PARQUET_SUFFIXES:
        yield from _parquet_items(path, name)
        return
    if path.suffix not in JSONL_SUFFIXES:
        yield Item(id=name, text=_text(path.read_bytes(), str(path), encoding), source=str(path))
        return
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            line = decode(raw, f"{path}:{number}", encoding, whole=number == 1).strip()  # a BOM starts line 1
            if not line:
                continue
            try:
                record = jsonread.loads(line)
            except json.JSONDecodeError as e:
                raise CorpusError(jsonread.describe(e), file=path, line=number) from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise CorpusError('each line must be a JSON object with a "text" string', file=path, line=number)
            check_text(record["text"], file=path, line=number)
            topic = record.get("topic")
            _check_topic(topic, file=path, line=number)
            doc_id = record.get("id")
            if doc_id is not None and (not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool)):
                raise CorpusError(f'"id" must be a string or a whole number, got {type(doc_id).__name__}', file=path,
                                  line=number)
            yield Item(id=f"{name}:{number}" if doc_id is None else str(doc_id), text=record["text"],
                       source=f"{path}:{number}", topic=topic)


def _check_topic(topic: object, **where: object) -> None:
    """A topic is a string or null, and not blank: else a ``CorpusError`` at ``where`` (file, line).

    A blank topic would win over ``--topic`` (an item's own topic does) and give no stance, with no word why."""
    if topic is not None and not isinstance(topic, str):
        raise CorpusError(f'"topic" must be a string or null, got {type(topic).__name__}', **where)
    if topic is not None and not topic.strip():
        raise CorpusError(f'"topic" is blank ({topic!r}): give what the text argues about, or null (then --topic, '
                          "if given, applies)", **where)
