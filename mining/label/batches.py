"""Bound the labelling work by characters: batches of texts, and long texts cut into pieces and joined back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from mining.nlp.pieces import MAX_PIECE_CHARS, split_text
from mining.schema import Document

T = TypeVar("T")

MAX_BATCH_ITEMS = 1_000  # a batch of empty or tiny texts ends here


def char_batches(items: Iterable[T], n_chars: Callable[[T], int], limit: int | None = None,
                 max_items: int = MAX_BATCH_ITEMS) -> Iterator[list[T]]:
    """Consecutive lists of ``items``, each closed once it holds ``limit`` characters (the features of
    a batch take memory in proportion to its tokens; default ``MAX_PIECE_CHARS``) or ``max_items``
    items (empty texts have none)."""
    limit = MAX_PIECE_CHARS if limit is None else limit
    batch, chars = [], 0
    for item in items:
        batch.append(item)
        chars += n_chars(item)
        if chars >= limit or len(batch) >= max_items:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def split_document(doc: Document) -> Iterator[tuple[bool, int, Document]]:
    """``(is_last, offset, piece)`` for the pieces of ``doc`` (itself when it is short enough)."""
    if len(doc.text) <= MAX_PIECE_CHARS:
        yield True, 0, doc
        return
    parts = split_text(doc.text, MAX_PIECE_CHARS)  # read here, so that the limit can be changed (tests)
    offset = 0
    for k, text in enumerate(parts):
        end = offset + len(text)
        paragraphs = [(max(a, offset) - offset, min(b, end) - offset)
                      for a, b in doc.paragraphs if a < end and offset < b]
        yield k == len(parts) - 1, offset, Document(id=f"{doc.id}#{k}", text=text, paragraphs=paragraphs,
                                                    topic=doc.topic, split=doc.split, metadata=doc.metadata)
        offset = end


def join_pieces(doc: Document, parts: list[tuple[int, Document]]) -> Document:
    """One labelled Document from its labelled pieces (``(offset, piece)``): offsets shifted, ids renumbered."""
    if len(parts) == 1:
        labelled = parts[0][1]
        labelled.id = doc.id
        return labelled
    out = doc.unlabelled(metadata=dict(parts[0][1].metadata))
    for offset, piece in parts:
        new_id = {}
        for unit in piece.units:
            new_id[unit.id] = unit.id = f"T{len(out.units) + 1}"
            unit.start += offset
            unit.end += offset
            out.units.append(unit)
        for relation in piece.relations:
            relation.id = f"R{len(out.relations) + 1}"
            relation.source, relation.target = new_id[relation.source], new_id[relation.target]
            out.relations.append(relation)
    if "uncertainty" in out.metadata:  # weighted by characters, a stand-in for the tokens and units behind each mean
        out.metadata["uncertainty"] = sum(p.metadata["uncertainty"] * len(p.text) for _, p in parts) / len(doc.text)
    return out
