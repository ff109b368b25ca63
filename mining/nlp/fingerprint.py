"""Fingerprints of spaCy parses: what a run's features were computed from, per document and overall."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, ORTH, POS, SENT_START, SPACY, TAG
from spacy.tokens import Doc

# Everything the features read from a parse: tokens (text, offsets, trailing space), tags, heads,
# dependency labels, lemmas, sentence starts and named entities. String attributes are spaCy's
# 64-bit hashes of the strings, which are the same on every machine.
ATTRIBUTES = (ORTH, IDX, SPACY, TAG, POS, HEAD, DEP, LEMMA, SENT_START, ENT_IOB, ENT_TYPE)
DIGITS = 16  # per document: 64 bits tell one parse of a document from another


def parse_fingerprint(doc: Doc) -> str:
    """SHA-256 (first :data:`DIGITS` hex digits) of one parse's token attributes.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> parse_fingerprint(nlp("A b.")) == parse_fingerprint(nlp("A b."))
    True
    >>> parse_fingerprint(nlp("A b.")) == parse_fingerprint(nlp("A c."))
    False
    """
    table = doc.to_array(list(ATTRIBUTES)).astype("<u8", copy=False)  # relative heads wrap, deterministically
    return hashlib.sha256(np.ascontiguousarray(table).tobytes()).hexdigest()[:DIGITS]


def parses_fingerprint(ids: Sequence[str], parsed: Sequence[Doc]) -> dict:
    """``{"fingerprint": overall SHA-256, "documents": {id: per-document fingerprint}}`` for a run record.

    The overall fingerprint hashes the ids and per-document fingerprints in corpus order, so it
    changes when any one parse does; the per-document ones say which.
    """
    if len(ids) != len(parsed):
        raise ValueError(f"{len(ids)} document ids for {len(parsed)} parses")
    documents = {doc_id: parse_fingerprint(doc) for doc_id, doc in zip(ids, parsed)}
    overall = hashlib.sha256("".join(f"{k}\0{v}\n" for k, v in documents.items()).encode("utf-8")).hexdigest()
    return {"fingerprint": overall, "documents": documents}
