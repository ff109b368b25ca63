"""Token attributes of a parsed document as plain lists, read once per Doc and indexed by token offset."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import cached_property
from itertools import accumulate

import numpy as np
from spacy.attrs import (
    DEP,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    IS_STOP,
    LEMMA,
    LENGTH,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc

from mining.errors import UsageError
from mining.nlp.sharing import once_per_batch
from mining.nlp.speech import speech_roles


def _flags(attr: int, doc: str) -> cached_property:
    """A ``DocTokens`` property: the boolean attribute ``attr`` of each token, read on first use."""
    flags = cached_property(lambda self: [bool(v) for v in self._column(attr)])
    flags.__doc__ = doc
    return flags


class DocTokens:
    """What the extractors read of one parsed Doc's tokens, as lists indexed by token offset.

    Every ``doc[i]`` or iteration over a Span builds a new spaCy ``Token`` object, and the
    extractors read the same tokens many times over (about two million Token objects for AAEC);
    one ``Doc.to_array`` per attribute and list indexing cost a fraction of that. Each attribute
    is read on first use, so an extractor pays only for what it looks at. Build these inside a
    ``transform`` call (see ``doc_tokens``) and let them go with it: they hold the Doc.
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.n = len(doc)
        self._running: dict[str, list[int]] = {}

    def _column(self, attr: int) -> list[int]:
        # to_array gives uint64 (string hashes); the signed view restores negative head offsets.
        return self.doc.to_array([attr]).ravel().view(np.int64).tolist()

    def _strings(self, attr: int) -> list[str]:
        column = self.doc.to_array([attr]).ravel().tolist()
        strings = self.doc.vocab.strings
        # Each string id spelled once per sharing() block: the Docs of a batch repeat most of their words.
        known = once_per_batch("strings", strings, dict)
        for h in set(column).difference(known):
            known[h] = strings[h]
        return list(map(known.__getitem__, column))

    @cached_property
    def orth(self) -> list[str]:
        """``Token.orth_``: each token's text."""
        return self._strings(ORTH)

    @cached_property
    def lower(self) -> list[str]:
        """``Token.lower_``."""
        return self._strings(LOWER)

    @cached_property
    def lemma(self) -> list[str]:
        """``Token.lemma_``."""
        return self._strings(LEMMA)

    @cached_property
    def tag(self) -> list[str]:
        """``Token.tag_``."""
        return self._strings(TAG)

    @cached_property
    def dep(self) -> list[str]:
        """``Token.dep_``."""
        return self._strings(DEP)

    @cached_property
    def pos(self) -> list[str]:
        """``Token.pos_``: coarse tags are symbol ids, not string hashes."""
        return [POS_NAMES[p] for p in self._column(POS)]

    @cached_property
    def speech(self) -> list[frozenset[str]]:
        """The reported-speech roles of each token (:func:`mining.nlp.speech.speech_roles`)."""
        return speech_roles(self.doc)

    is_punct = _flags(IS_PUNCT, "``Token.is_punct``.")
    is_space = _flags(IS_SPACE, "``Token.is_space``.")
    is_stop = _flags(IS_STOP, "``Token.is_stop``.")
    has_space = _flags(SPACY, "``bool(Token.whitespace_)``: whether a space follows the token.")

    @cached_property
    def is_sent_start(self) -> list[bool | None]:
        """``Token.is_sent_start``: None where the pipeline left it unset."""
        return [None if v == 0 else v > 0 for v in self._column(SENT_START)]

    @cached_property
    def is_word(self) -> list[bool]:
        """Tokens that are neither punctuation nor whitespace."""
        return [not (p or s) for p, s in zip(self.is_punct, self.is_space)]

    @cached_property
    def not_space(self) -> list[bool]:
        """Tokens that are not whitespace."""
        return [not v for v in self.is_space]

    @cached_property
    def head_array(self) -> np.ndarray:
        """``Token.head.i`` as an array; ``to_array`` holds offsets relative to the token."""
        return self.doc.to_array([HEAD]).ravel().view(np.int64) + np.arange(self.n)

    @cached_property
    def heads(self) -> list[int]:
        """``Token.head.i``."""
        return self.head_array.tolist()

    @cached_property
    def children(self) -> list[list[int]]:
        """``Token.children`` of each token, as offsets in order."""
        return _children(self.heads)

    @cached_property
    def left_edges(self) -> list[int]:
        """``Token.left_edge.i``: the first token of each token's subtree."""
        return _left_edges(self.heads)

    @cached_property
    def idx(self) -> list[int]:
        """``Token.idx``: character offset of each token."""
        return self._column(IDX)

    @cached_property
    def end_char(self) -> list[int]:
        """Character offset just after each token's text (before its trailing whitespace)."""
        return [i + n for i, n in zip(self.idx, self._column(LENGTH))]

    @cached_property
    def sentence_starts(self) -> list[int]:
        """First token of each sentence, as ``Doc.sents`` splits them."""
        flags = self.doc.to_array([SENT_START]).ravel().view(np.int64)
        return [0, *(np.flatnonzero(flags[1:] == 1) + 1).tolist()] if self.n else []

    @cached_property
    def sentence_ids(self) -> list[int]:
        """Index of the sentence holding each token."""
        out = [0] * self.n
        bounds = [*self.sentence_starts, self.n]
        for k in range(len(bounds) - 1):
            out[bounds[k]:bounds[k + 1]] = [k] * (bounds[k + 1] - bounds[k])
        return out

    def sentence(self, i: int) -> tuple[int, int]:
        """Token range ``[start, end)`` of the sentence holding token ``i`` (``Token.sent``)."""
        starts = self.sentence_starts
        k = self.sentence_ids[i]
        return starts[k], starts[k + 1] if k + 1 < len(starts) else self.n

    @cached_property
    def depth(self) -> list[int]:
        """Depth of every token below its sentence root (roots, their own heads, have depth 0)."""
        heads = self.head_array
        depth = np.zeros(self.n, dtype=np.int64)
        above = np.arange(self.n)  # each token's ancestor after `depth` steps up
        # One step up the tree for all tokens at once; a parse tree is as many steps deep as its
        # longest path, and n steps bound it even for a malformed (cyclic) parse.
        for _ in range(self.n):
            up = heads[above]
            moved = up != above
            if not moved.any():
                break
            depth += moved
            above = up
        return depth.tolist()

    def running(self, name: str) -> list[int]:
        """Running count of the boolean attribute ``name`` (``"is_punct"``): ``c[b] - c[a]`` counts ``[a, b)``."""
        if name not in self._running:
            self._running[name] = [0, *accumulate(getattr(self, name))]
        return self._running[name]

    def without_space(self, values: list, start: int, end: int) -> list:
        """``values[start:end]`` of the tokens that are not whitespace (spaCy keeps newlines as tokens)."""
        return [v for v, keep in zip(values[start:end], self.not_space[start:end]) if keep]

    def words(self, start: int, end: int) -> list[str]:
        """Lowercased texts of the non-whitespace tokens in ``[start, end)``."""
        return self.without_space(self.lower, start, end)

    def char_span(self, start_idx: int, end_idx: int, alignment_mode: str) -> tuple[int, int] | None:
        """Token range of ``Doc.char_span(start_idx, end_idx, alignment_mode=...)``, or None where it gives None.

        Tokens and their trailing whitespace tile the text, so the token holding a character is
        found by bisecting the token offsets, as spaCy's ``token_by_char`` does.
        """
        if alignment_mode not in ("contract", "expand"):
            raise UsageError(f"alignment_mode must be 'contract' or 'expand', got {alignment_mode!r}")
        start, end = self._token_at(start_idx), self._token_at(end_idx - 1)
        if start < 0 or end < 0:
            return None
        if alignment_mode == "contract":
            if self.idx[start] < start_idx:
                start += 1
            if end_idx < self.end_char[end]:
                end -= 1
            if end < start:
                return None
        elif start_idx == self.end_char[start]:
            # Trailing whitespace is not part of the token before it.
            start += 1
        return start, end + 1

    @cached_property
    def text_length(self) -> int:
        """``len(doc.text)``, without ``Doc.text`` rebuilding the text from its tokens."""
        return self.end_char[-1] + self._column(SPACY)[-1] if self.n else 0

    def _token_at(self, char: int) -> int:
        if char < 0 or char >= self.text_length:
            return -1
        return bisect_right(self.idx, char) - 1


def _children(heads: list[int]) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in heads]
    for j, h in enumerate(heads):
        if h != j:
            out[h].append(j)
    return out


def _left_edges(heads: list[int]) -> list[int]:
    edges = list(range(len(heads)))
    # Token j lowers the edge of each ancestor up to the first that a token before it has lowered already (whose
    # ancestors it lowered too): each edge is set once.
    for j, h in enumerate(heads):
        while edges[h] > j:
            edges[h] = j
            h = heads[h]
    return edges


def ancestors(read: DocTokens, i: int) -> list[int]:
    """The offsets of ``Token.ancestors`` of token ``i`` of ``read``'s doc, nearest first."""
    heads, out = read.heads, []
    while heads[i] != i and len(out) < read.n:  # bounded as spaCy bounds it, by the length of the doc
        i = heads[i]
        out.append(i)
    return out


def tokens_of(doc: Doc) -> DocTokens:
    """The ``DocTokens`` of ``doc``: one per ``sharing()`` block, else a new one."""
    return once_per_batch("tokens", doc, lambda: DocTokens(doc))


def doc_tokens(X: Sequence) -> dict[int, DocTokens]:
    """One ``DocTokens`` per parsed document of the (unit or pair) instances, keyed by ``id`` of the Doc."""
    out: dict[int, DocTokens] = {}
    for inst in X:
        if id(inst.parsed) not in out:
            out[id(inst.parsed)] = tokens_of(inst.parsed)
    return out
