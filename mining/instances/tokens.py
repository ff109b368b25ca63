"""Token instances: each non-whitespace token of a paragraph, seen in its parsed document, the input of segmentation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from spacy.attrs import IDX, IS_SPACE
from spacy.tokens import Doc

from mining.schema import Document


@dataclass(frozen=True, eq=False)
class ParagraphTokens:
    """The non-whitespace tokens of one paragraph, shared by all of its token instances.

    ``tokens`` are offsets into the parsed Doc in reading order; ``index`` counts paragraphs in
    the document (``document.paragraphs[index]``, or the whole text for a document without any).
    """

    index: int
    n_paragraphs: int
    start: int
    end: int
    tokens: tuple[int, ...]


@dataclass(eq=False, slots=True)  # slots: a batch builds one per token
class TokenInstance:
    """One token of a paragraph: the parse around it and its place in the paragraph.

    Neighbouring tokens are ``paragraph.tokens[position - k]`` and ``[position + k]``: whitespace
    tokens (spaCy keeps newlines and double spaces as tokens) are not instances and are skipped.
    """

    document: Document
    parsed: Doc
    paragraph: ParagraphTokens
    position: int

    @property
    def token_index(self) -> int:
        """The token's offset in ``parsed``."""
        return self.paragraph.tokens[self.position]

    @property
    def n_in_paragraph(self) -> int:
        return len(self.paragraph.tokens)


def paragraph_spans(document: Document) -> list[tuple[int, int]]:
    """The document's paragraphs, or the whole text as one paragraph when it lists none."""
    return list(document.paragraphs) or [(0, len(document.text))]


def build_token_instances(document: Document, parsed: Doc, skip: Sequence[int] = ()) -> list[TokenInstance]:
    """One instance per non-whitespace token inside a paragraph, in document order, but for the token offsets
    in ``skip``, which are passed over as whitespace is.

    A token belongs to the paragraph in which it starts. Text outside every paragraph (the AAEC
    essay title, for example) yields no instances.
    """
    idx = parsed.to_array([IDX]).ravel().astype(np.int64)
    is_space = parsed.to_array([IS_SPACE]).ravel().astype(bool)
    is_space[list(skip)] = True
    spans = paragraph_spans(document)
    instances: list[TokenInstance] = []
    for p, (start, end) in enumerate(spans):
        lo, hi = np.searchsorted(idx, [start, end], side="left")
        tokens = tuple((np.flatnonzero(~is_space[lo:hi]) + lo).tolist())
        paragraph = ParagraphTokens(index=p, n_paragraphs=len(spans), start=start, end=end, tokens=tokens)
        # map with the arguments in field order: no generator frame and no keywords per token
        instances.extend(map(TokenInstance, repeat(document), repeat(parsed), repeat(paragraph), range(len(tokens))))
    return instances


def build_corpus_token_instances(docs: Sequence[Document], parsed: Sequence[Doc],
                                 skip: Callable[[Doc], Sequence[int]] | None = None) -> list[TokenInstance]:
    """``build_token_instances`` for every document, concatenated in corpus order; ``skip(parse)`` gives the
    token offsets to pass over in each."""
    return [inst for doc, p in zip(docs, parsed) for inst in build_token_instances(doc, p, skip(p) if skip else ())]


def paragraphs_of(instances: Sequence[TokenInstance]) -> list[list[int]]:
    """Indices of ``instances`` grouped by paragraph, in order of first appearance."""
    groups: dict[tuple[int, int], list[int]] = {}
    paragraph = document = members = None
    for i, inst in enumerate(instances):
        # Instances come paragraph by paragraph: the group is looked up only where the paragraph changes.
        if inst.paragraph is not paragraph or inst.document is not document:
            paragraph, document = inst.paragraph, inst.document
            members = groups.setdefault((id(document), paragraph.index), [])
        members.append(i)
    return list(groups.values())
