"""Read and write the project's JSONL format: one Document per line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from mining import jsonread
from mining.corpora import folder_files
from mining.errors import CorpusError
from mining.files import atomic_writer
from mining.schema import Document, SchemaError, not_json_numbers


def iter_documents(path: str | Path) -> Iterator[Document]:
    """Yield the documents of a JSONL file lazily, one per non-blank line."""
    path = Path(path)
    with path.open("rb") as f:
        yield from parse_lines(utf8_lines(f, path), source=path)


def utf8_lines(lines: Iterable[bytes], path: Path, *, kind: str = "the project's JSONL") -> Iterator[str]:
    """Decode each line, or a CorpusError naming the line and the byte that is not UTF-8 (``kind`` names the format,
    which is UTF-8); a byte order mark that starts the file (as Windows editors write one) is dropped."""
    for lineno, raw in enumerate(lines, start=1):
        try:
            yield raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as e:
            raise CorpusError(f"not valid UTF-8: byte {raw[e.start]:#04x}, the line's byte {e.start + 1}; {kind} "
                              "is UTF-8", file=path, line=lineno) from None


def utf8_text(data: bytes, path: Path, *, kind: str, keep_bom: bool = False) -> str:
    """``data``, the bytes of ``path``, decoded; a byte that is not UTF-8 is the CorpusError of :func:`utf8_lines`,
    naming its line and its byte in that line. A byte order mark that starts it is dropped unless ``keep_bom`` (brat
    counts one in a text's offsets)."""
    try:
        return data.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError:
        for _ in utf8_lines(data.split(b"\n"), path, kind=kind):  # no UTF-8 character holds the byte \n
            pass
        raise


def parse_lines(lines: Iterable[str], *, source: str | Path = "<stdin>") -> Iterator[Document]:
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = jsonread.loads(line.rstrip("\r\n"))  # an error at the end names its column, not "line 2"
        except json.JSONDecodeError as e:
            raise CorpusError(jsonread.describe(e), file=source, line=lineno) from None
        if not isinstance(record, dict):
            raise CorpusError(f"expected a JSON object, got {type(record).__name__}", file=source, line=lineno)
        for key in ("id", "text"):
            if key not in record:
                raise CorpusError(f"missing required field {key!r}{_other_format(record)}", file=source, line=lineno)
        try:
            yield Document.from_dict(record)
        except SchemaError as e:
            problem = str(e) if str(e).startswith("document ") else f"document {record.get('id')!r}, {e}"
            raise CorpusError(problem, file=source, line=lineno) from None


def _other_format(record: dict) -> str:
    """A hint for a record of another format read as the project's JSONL (a forced --format, a tool's export)."""
    from mining.corpora.custom import DESCRIPTIONS, sniff_record

    found = sniff_record(record)
    return f" (the line looks like {DESCRIPTIONS[found]}: read it as {found})" if found not in (None, "jsonl") else ""


def load(path: str | Path) -> list[Document]:
    """Read a JSONL file, or every ``*.jsonl`` file of a directory, into Documents."""
    path = Path(path)
    files = folder_files(path, ".jsonl") if path.is_dir() else [path]
    if not files:
        raise CorpusError("no *.jsonl files found", file=path)
    return [doc for f in files for doc in iter_documents(f)]


def json_text(value: Any) -> str:
    """``value`` as JSON text, as the writers write it: not ASCII-escaped, and a ValueError for NaN or infinity."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def dump_document(doc: Document, where: str | Path | None = None) -> str:
    """``doc`` as one line of JSONL (without its end); a NaN or an infinity in it is a CorpusError naming it and
    ``where`` it was to be written."""
    try:
        return json_text(doc.to_dict())
    except ValueError:
        raise not_json_numbers(doc, where) from None


def write_documents(docs: Iterable[Document], out: IO[str], where: str | Path | None = None) -> int:
    n = 0
    for doc in docs:
        out.write(dump_document(doc, where) + "\n")
        n += 1
    return n


def save(docs: Iterable[Document], path: str | Path, *, exclusive: bool = False,
         before_rename: Callable[[], object] | None = None) -> int:
    """Write documents to ``path`` atomically: a crash leaves the old file (if any) intact. With ``exclusive`` a file
    that another process wrote there meanwhile is kept; ``before_rename`` is called just before the file takes its
    name (:func:`mining.files.atomic_writer`)."""
    with atomic_writer(path, exclusive=exclusive, before_rename=before_rename) as f:
        return write_documents(docs, f, path)


def fingerprint(docs: Iterable[Document]) -> str:
    """SHA-256 of the documents in their canonical JSONL form: names a dataset version exactly.

    The order of the documents counts, on purpose: a fit reads the instances in that order, and a solver's
    result may depend on it (its last digits, a tie), so the same documents in another order are named apart.
    """
    import hashlib

    h = hashlib.sha256()
    for doc in docs:
        h.update(json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    return h.hexdigest()
