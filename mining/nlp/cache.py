"""Parse documents once per corpus and pipeline, and keep the parses in an on-disk DocBin cache."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from tqdm.auto import tqdm

from mining.files import locked_temporary, remove_stale_temporaries_in
from mining.nlp.pipeline import PipelineInfo, load_pipeline, pipe_texts
from mining.schema import Document

CACHE_VERSION = 2  # 2: each <key>.spacy has its checksum in <key>.sha256 beside it
SUFFIX = ".spacy"

logger = logging.getLogger(__name__)


def texts_fingerprint(docs: Sequence[Document]) -> str:
    """Hash of the ids and texts: all a parse depends on (annotations may change without a re-parse)."""
    h = hashlib.sha256()
    for doc in docs:
        h.update(doc.id.encode("utf-8") + b"\0" + doc.text.encode("utf-8") + b"\0")
    return h.hexdigest()


def cache_key(docs: Sequence[Document], info: PipelineInfo) -> str:
    payload = {
        "cache_version": CACHE_VERSION,
        "texts": texts_fingerprint(docs),
        "package": info.package,
        "version": info.version,
        "spacy": info.spacy_version,
        "exclude": sorted(info.exclude),
        "components": list(info.components),
    }
    if info.line_sentences:  # absent when off: the parses cached before the option keep their keys
        payload["line_sentences"] = True
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


def parse_documents(docs: Sequence[Document], info: PipelineInfo, *, cache_dir: str | Path | None,
                    n_process: int = 1, batch_size: int = 16, progress: bool = True,
                    nlp: Language | None = None) -> tuple[list[Doc], bool]:
    """Parsed spaCy Docs for ``docs``, in order, and whether they came from the cache.

    With ``cache_dir`` set, the parses are read from ``<cache_dir>/<key>.spacy`` when present and
    whole, and written there otherwise (see :func:`write_cache`). A damaged file is reported in one
    warning line, parsed again and replaced. The pipeline is loaded only when something must be parsed
    (or pass it as ``nlp``); cached parses need nothing but a vocabulary, since a DocBin carries its
    own strings.
    """
    path = Path(cache_dir) / f"{cache_key(docs, info)}{SUFFIX}" if cache_dir is not None else None
    if path is not None and path.exists():
        vocab = nlp.vocab if nlp is not None else spacy.blank(info.lang).vocab
        parsed = read_cache(path, vocab, docs)
        if parsed is not None:
            return parsed, True
    nlp = nlp if nlp is not None else load_pipeline(info)
    texts = (d.text for d in docs)
    stream = pipe_texts(nlp, texts, batch_size=batch_size, n_process=n_process)
    parsed = list(tqdm(stream, total=len(docs), desc=f"parsing with {info.package}", unit="doc",
                       disable=not progress, mininterval=1.0))
    if path is not None:
        write_cache(path, parsed)
    return parsed, False


def checksum_path(path: Path) -> Path:
    """``<key>.sha256`` beside ``<key>.spacy``: the SHA-256 of the DocBin's bytes as they were written."""
    return path.with_suffix(".sha256")


def read_cache(path: Path, vocab, docs: Sequence[Document]) -> list[Doc] | None:
    """The Docs cached in ``path``, or None after a one-line warning when the file is damaged.

    Damaged means: no checksum beside it, bytes that do not match it (truncated, scrambled), a DocBin
    spaCy cannot read, or parses of other texts than ``docs``.
    """
    try:
        with _locked(path.parent, fcntl.LOCK_SH):  # not between a writer's two renames
            data = path.read_bytes()
            expected = checksum_path(path).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return _damaged(path, f"no checksum {checksum_path(path).name} beside it")
    except (OSError, UnicodeDecodeError) as e:
        return _damaged(path, f"unreadable: {e}")
    if hashlib.sha256(data).hexdigest() != expected:
        return _damaged(path, f"{len(data)} bytes that do not match its checksum")
    try:
        parsed = list(DocBin().from_bytes(data).get_docs(vocab))
    except Exception as e:  # noqa: BLE001 - whatever a foreign DocBin makes msgpack, zlib or spaCy raise
        return _damaged(path, f"not a DocBin spaCy {spacy.__version__} reads: {type(e).__name__}: {e}")
    if len(parsed) != len(docs) or any(p.text != d.text for p, d in zip(parsed, docs)):
        return _damaged(path, "it holds parses of other texts")
    return parsed


def _damaged(path: Path, why: str) -> None:
    logger.warning("parse cache %s is damaged (%s): parsing again", path, why)
    return None


def write_cache(path: Path, parsed: Sequence[Doc]) -> None:
    """Write ``parsed`` to ``path`` and its checksum beside it, so that a kill at any point leaves either
    no file, or one that :func:`read_cache` finds whole, or one whose checksum fails.

    The bytes go to a temporary file beside ``path`` (``.<name>.<random>.tmp``, held locked while it is written), are
    flushed, and are renamed over ``path`` after the checksum is in place. The temporary files in the folder that no
    writer holds (a killed one's, of any key) are removed first.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries_in(path.parent)  # of any key: a killed parse of a corpus since edited left one too
    data = DocBin(store_user_data=True, docs=parsed).to_bytes()
    digest = hashlib.sha256(data).hexdigest().encode("ascii") + b"\n"
    with _temporary(path, data) as tmp_data, _temporary(checksum_path(path), digest) as tmp_sum:
        # Two runs parsing the same corpus write different bytes (a DocBin's strings are a set), so the
        # pair of renames is exclusive: otherwise one run's checksum could end beside the other's file.
        with _locked(path.parent, fcntl.LOCK_EX):
            os.replace(tmp_sum, checksum_path(path))
            os.replace(tmp_data, path)


@contextmanager
def _locked(directory: Path, operation: int) -> Iterator[None]:
    """``flock`` on the cache directory itself: no lock file to leave behind, and a killed holder's lock dies with
    it."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, operation)
        yield
    finally:
        os.close(fd)


@contextmanager
def _temporary(path: Path, data: bytes) -> Iterator[str]:
    """``data`` in a temporary file beside ``path`` (:func:`mining.files.locked_temporary`), flushed to disk and held
    locked until the block ends: a later writer removes what a killed one left (``remove_stale_temporaries``), never
    a live one's."""
    with locked_temporary(path, binary=True) as (f, tmp):
        with f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())  # a power cut after the rename must not leave an empty file under the name
        yield tmp
