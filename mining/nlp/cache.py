"""Parse documents once per corpus and pipeline, and keep the parses in an on-disk DocBin cache."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from tqdm.auto import tqdm

from mining.nlp.pipeline import PipelineInfo, load_pipeline, pipe_texts
from mining.schema import Document

CACHE_VERSION = 1


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
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


def parse_documents(docs: Sequence[Document], info: PipelineInfo, *, cache_dir: str | Path | None,
                    n_process: int = 1, batch_size: int = 16, progress: bool = True,
                    nlp: Language | None = None) -> tuple[list[Doc], bool]:
    """Parsed spaCy Docs for ``docs``, in order, and whether they came from the cache.

    With ``cache_dir`` set, the parses are read from ``<cache_dir>/<key>.spacy`` when present and
    written there otherwise (atomically, so a killed run never leaves a truncated cache file).
    The pipeline is loaded only when something must be parsed (or pass it as ``nlp``); cached
    parses need nothing but a vocabulary, since a DocBin carries its own strings.
    """
    path = Path(cache_dir) / f"{cache_key(docs, info)}.spacy" if cache_dir is not None else None
    if path is not None and path.exists():
        vocab = nlp.vocab if nlp is not None else spacy.blank(info.lang).vocab
        parsed = list(DocBin().from_disk(path).get_docs(vocab))
        if len(parsed) == len(docs) and all(p.text == d.text for p, d in zip(parsed, docs)):
            return parsed, True
    nlp = nlp if nlp is not None else load_pipeline(info)
    texts = (d.text for d in docs)
    stream = pipe_texts(nlp, texts, batch_size=batch_size, n_process=n_process)
    parsed = list(tqdm(stream, total=len(docs), desc=f"parsing with {info.package}", unit="doc",
                       disable=not progress, mininterval=1.0))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        try:
            DocBin(store_user_data=True, docs=parsed).to_disk(tmp)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return parsed, False
