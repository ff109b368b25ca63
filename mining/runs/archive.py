"""Refuse a model file whose zip would inflate far beyond any model of mining's before skops reads it.

A ``.skops`` file is a zip: ``schema.json`` plus one ``.npy`` member per array. A crafted one of a few
kilobytes can make the reader allocate gigabytes. Checked on CPython 3.11's ``zipfile.ZipExtFile``:
it cuts what it returns at the member's declared ``file_size``, but only after decompressing a chunk,
so the declared size alone does not bound the memory taken:

- a bzip2 or LZMA member is decompressed a whole compressed chunk (up to 1 GiB of input) at a time
  with no output limit: a 1.6 kB member declaring 10 bytes took 4 GB of memory to read;
- a deflate member is decompressed at most ``ZipExtFile.MAX_N`` (1 GiB) of output per call, so one
  that lies about its size costs at most about 2 GiB, for a moment, and is then cut (and fails its CRC).

So only the two methods skops and mining write (stored and deflate) are read, and the declared sizes
are capped: the sum of all members, and ``schema.json`` apart, because parsing JSON takes up to ~25
times its size in memory (a list of empty lists: 32 MiB of it took 0.8 GB). A member declaring more than deflate
can ever give (about 1032 times its compressed size) was not written by zlib, and is refused as crafted. skops reads
a member once for each node of the schema that names it, so the members are counted as often as the schema names
them: that inflates and parses ``schema.json`` once more, 0.25 s for the default model on 2 cores.

A member may itself be a zip: skops hands a scipy sparse matrix's member (an ``.npz``) to ``scipy.sparse.load_npz``,
which inflates its members in turn (an 809-byte file with a bzip2 member inside took 1.17 GB). So the members of a
member that starts like a zip are checked by the same rules, and what they declare counts towards each read of it;
one that starts so but is no readable zip is left for skops to report.

The largest model mining ships, the default miner (``mining/label/default_model/model.skops``, 12.4 MB),
declares 122.6 MiB (128.5 MB) in 61 members, no zip among them, read 66 times, which counts as 122.6 MiB as well;
24.3 MiB of it is ``schema.json``, and no member inflates more than 52 to 1. The cap, 2 GiB (``$MINING_MODEL_MAX_MB``
in MiB changes it), leaves a margin of about 16 times; ``schema.json`` may declare a 32nd of it, 64 MiB, a margin of
2.6 times that keeps parsing it under about 1.7 GB."""

from __future__ import annotations

import json
import os
import zipfile
from collections import Counter
from pathlib import Path

from mining.errors import RunRecordError, UsageError

LIMIT_ENV = "MINING_MODEL_MAX_MB"
DEFAULT_LIMIT_MB = 2048
SCHEMA = "schema.json"
SCHEMA_SHARE = 32  # schema.json may declare 1/32 of the limit: JSON parsing takes ~25 times it in memory
DEFLATE_MAX_RATIO = 1032  # the most deflate can expand (RFC 1951: a 258-byte match in about 2 bits)
METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
ZIP_MAGIC = b"PK\x03\x04"  # how a zip's first local header starts: an .npz member of a sparse matrix
# what reading a zip may raise besides OSError: a truncated or foreign file, an encrypted member, a method or
# an encryption zipfile does not know; skops raises the same when it reads the file, and load_trusted says so
UNREADABLE = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError)


class OversizedModelError(RunRecordError):
    """A model file whose zip declares (or could inflate to) more than any model of mining's needs."""


def limit_bytes() -> int:
    """The cap on the sum of a model file's declared member sizes: ``$MINING_MODEL_MAX_MB`` MiB, else 2 GiB."""
    value = os.environ.get(LIMIT_ENV, "").strip()
    if not value:
        return DEFAULT_LIMIT_MB << 20
    if not value.isdigit() or int(value) == 0:
        raise UsageError(f"${LIMIT_ENV}={value!r}: expected a whole number of MiB above 0 "
                         f"(the default is {DEFAULT_LIMIT_MB})")
    return int(value) << 20


def check_archive(path: Path) -> None:
    """Raise :class:`OversizedModelError` naming ``path`` and the member if the zip at ``path`` would
    inflate beyond :func:`limit_bytes`; a file that is no zip at all is left for skops to report."""
    limit = limit_bytes()
    hint = f"a model of mining's is far smaller; if this one is trusted, raise ${LIMIT_ENV} (now {limit >> 20})"
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(f"{path}: member", archive.infolist(), limit, hint)
            sizes = {member.filename: member.file_size + _inner_size(path, archive, member.filename, limit, hint)
                     for member in archive.infolist()}
            schema = archive.read(SCHEMA) if SCHEMA in archive.NameToInfo else None
    except UNREADABLE:
        return
    if schema is not None:
        _check_references(path, schema, sizes, limit, hint)


def _inner_size(path: Path, archive: zipfile.ZipFile, name: str, limit: int, hint: str) -> int:
    """What the members of member ``name`` declare if it is a zip itself (checked as the file's own are), else 0.

    Opening it reads only its central directory, however large it is."""
    with archive.open(name) as member:
        if member.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
            return 0
    try:
        with archive.open(name) as stream, zipfile.ZipFile(stream) as inner:
            members = inner.infolist()
    except UNREADABLE:  # no zip after all: skops reports what it makes of it
        return 0
    _check_members(f"{path}: member {name!r} is a zip whose member", members, limit, hint)
    return sum(member.file_size for member in members)


def _check_members(prefix: str, members: list[zipfile.ZipInfo], limit: int, hint: str) -> None:
    """Refuse a method that inflates without bound, a ratio deflate cannot give, and declared sizes over the limit;
    ``prefix`` says where the members are (``"FILE: member"``)."""
    total = 0
    for member in members:
        where = f"{prefix} {member.filename!r}"
        if member.compress_type not in METHODS:
            raise OversizedModelError(f"{where} is compressed with method {member.compress_type}; "
                                      "model files are stored or deflated only (others inflate without bound)")
        if member.file_size > DEFLATE_MAX_RATIO * member.compress_size + 1024:
            raise OversizedModelError(f"{where} declares {member.file_size} bytes from {member.compress_size} "
                                      "compressed, more than deflate can give: the file is crafted")
        if member.filename == SCHEMA and member.file_size > limit // SCHEMA_SHARE:
            raise OversizedModelError(f"{where} declares {member.file_size} bytes, over the limit of "
                                      f"{limit // SCHEMA_SHARE} for the schema; {hint}")
        total += member.file_size
        if total > limit:
            raise OversizedModelError(f"{where} brings the declared size to {total} bytes, over the limit of "
                                      f"{limit}; {hint}")


def _check_references(path: Path, schema: bytes, sizes: dict[str, int], limit: int, hint: str) -> None:
    """Refuse a schema whose nodes read members more than the limit in all: skops reads a member once for each node
    that names it (``"file": "1.npy"``), so a 4.5 kB file with 1000 nodes naming one 1 MiB array took 2 GB."""
    reads: Counter[str] = Counter()

    def count(node: dict) -> dict:
        if isinstance(node.get("file"), str):
            reads[node["file"]] += 1
        return node

    try:
        json.loads(schema, object_hook=count)
    except (ValueError, RecursionError):  # no JSON: skops says so
        return
    total = len(schema) + sum(n * sizes.get(name, 0) for name, n in reads.items())
    if total > limit:
        name, n = max(reads.items(), key=lambda item: item[1] * sizes.get(item[0], 0))
        raise OversizedModelError(f"{path}: member {SCHEMA!r} reads member {name!r} {n} times ({n * sizes[name]} "
                                  f"bytes), {total} bytes in all, over the limit of {limit}; {hint}")
