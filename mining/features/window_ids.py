"""Local ids of the token-window features read from spaCy's arrays, for a batch of paragraphs at once,
without spelling a string per token and feature (``window_groups`` spells the same features)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from itertools import chain

import numpy as np
from spacy.attrs import DEP, IDX, IS_PUNCT, LEMMA, LOWER, ORTH, POS, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.strings import get_string_id
from spacy.tokens import Doc

from mining.features.markers import MarkerMatcher, marker_index
from mining.features.window_groups import (
    CLAUSES,
    COMMAS,
    FROM_START,
    FROM_START_BUCKET,
    HEAD_SELF,
    HEAD_SIDES,
    PARAGRAPH_PLACES,
    PARAGRAPH_START,
    SENTENCE_PLACES,
    TO_END,
    TO_END_BUCKET,
    document_places,
    word_shape,
)
from mining.instances.tokens import ParagraphTokens
from mining.nlp.tokens import tokens_of
from mining.schema import Document

# The groups of one value per token, read at transform time straight from spaCy's attribute arrays
# (``ValueIds``): each distinct value is spelled and looked up once, not once per token.
VALUE_GROUPS = ("word", "lemma", "shape", "punct", "pos", "tag", "dep")
_VALUE_ATTRS = (ORTH, LOWER, LEMMA, POS, TAG, DEP, IS_PUNCT)  # the columns of ``Doc.to_array`` below
_ATTR_OF = {"word": 1, "lemma": 2, "shape": 0, "punct": 0, "pos": 3, "tag": 4, "dep": 5}
_MEMO_LIMIT = 1 << 18  # spelled values kept per group; the memo starts afresh beyond it (endless streams)


class ValueIds:
    """Local ids of the ``VALUE_GROUPS`` features of Docs' tokens, spelled as ``paragraph_features`` spells
    them, but once per distinct attribute value (string hashes, and POS symbol ids): the values met so far
    are kept, sorted, beside the fit, so that a batch of known words costs a few array look-ups."""

    def __init__(self, vocabulary: Mapping[str, int]):
        self.vocabulary = vocabulary
        empty = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        self.known: dict[str, tuple[np.ndarray, np.ndarray]] = {g: empty for g in VALUE_GROUPS}

    def _spell(self, group: str, key: int, strings) -> str:
        if group == "pos":
            return "pos=" + POS_NAMES[key]
        value = strings[key]
        if group == "lemma":
            return "lemma=" + value.lower()
        if group == "shape":
            return "shape=" + word_shape(value)
        return f"{group}={value}"

    def _ids(self, group: str, keys: np.ndarray, strings) -> np.ndarray:
        unique, inverse = np.unique(keys, return_inverse=True)
        known, lids = self.known[group]
        at, hit = _find(known, unique)  # a value spelled before but unseen in fit is a hit with local id -1
        out = np.where(hit, lids[at] if len(known) else -1, -1)
        if not hit.all():
            new = unique[~hit]
            new_lids = np.asarray([self.vocabulary.get(self._spell(group, k, strings), -1) for k in new.tolist()],
                                  dtype=np.int64)
            out[~hit] = new_lids
            if len(known) + len(new) > _MEMO_LIMIT:  # endless streams of new words: start afresh
                known, lids = known[:0], lids[:0]
            self.known[group] = _table(np.concatenate([known, new]), np.concatenate([lids, new_lids]))
        return out[inverse.ravel()]

    def of(self, docs: Sequence[Doc], groups: Sequence[str]) -> np.ndarray:
        """``(len(groups), n)`` local ids (-1 for features unseen in fit) of the ``n`` tokens of the Docs one after
        another, in the order of ``groups``. Values are spelled with the Docs' string store: Docs of several
        vocabularies go one by one."""
        if not docs:
            return np.zeros((len(groups), 0), dtype=np.int64)
        if len({id(doc.vocab) for doc in docs}) > 1:
            return np.concatenate([self.of([doc], groups) for doc in docs], axis=1)
        columns = np.concatenate([doc.to_array(list(_VALUE_ATTRS)).reshape(len(doc), len(_VALUE_ATTRS))
                                  for doc in docs])
        strings = docs[0].vocab.strings
        out = np.empty((len(groups), len(columns)), dtype=np.int64)
        for g, group in enumerate(groups):
            keys = columns[:, _ATTR_OF[group]]
            if group == "punct":  # the mark itself, or "no"
                punct = columns[:, 6].astype(bool)
                out[g] = self.vocabulary.get("punct=no", -1)
                out[g, punct] = self._ids(group, keys[punct], strings)
            else:
                out[g] = self._ids(group, keys, strings)
        return out


# The groups spelled from several tokens, which transform also reads from arrays (``MultiTokenIds``), for all
# paragraphs of a call at once.
ARRAY_GROUPS = ("tree", "marker", "sentence", "context", "bigram")
_TREE_PREFIXES = ("tree=opens:", "tree=closes:", "tree=head:", "tree=clause:")
_DOC_ATTRS = (ORTH, LOWER, DEP, IDX)  # the columns ``_Batch`` reads with ``Doc.to_array``


def _table(keys: Sequence[int], lids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys and their local ids, for ``_lookup``."""
    keys_ = np.asarray(keys, dtype=np.uint64)
    order = np.argsort(keys_, kind="stable")
    return keys_[order], np.asarray(lids, dtype=np.int64)[order]


def _find(known: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each key stands in the sorted ``known``, and whether it is there."""
    if not len(known):
        return np.zeros(len(keys), dtype=np.intp), np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
    return at, known[at] == keys


def _lookup(table: tuple[np.ndarray, np.ndarray], keys: np.ndarray) -> np.ndarray:
    """The local id of each key in a ``_table``, -1 for keys not in it."""
    known, lids = table
    if not len(known):
        return np.full(len(keys), -1, dtype=np.int64)
    at, hit = _find(known, keys)
    return np.where(hit, lids[at], -1)


_WORD_PAIR = re.compile(r"\w\w")  # a word running over a paragraph edge


def _paragraph_matches(paragraph: ParagraphTokens, document: Document,
                       matcher: MarkerMatcher) -> list[list[tuple[int, int, str]]]:
    """``matcher.finditer`` of the paragraph's text, with offsets into the document's text.

    The document's ``MarkerIndex`` (once per batch, and read by the unit extractors too) holds the same
    matches inside the paragraph unless a match runs over one of its edges (a phrase across a line break)
    or a word does (a match starts and ends with a token); then the paragraph is matched alone.
    """
    text, start, end = document.text, paragraph.start, paragraph.end
    if not any(0 < edge < len(text) and _WORD_PAIR.match(text, edge - 1) for edge in (start, end)):
        matches = marker_index(document, matcher).within(start, end)
        if matches is not None:
            return matches
    return [[(a + start, b + start, phrase) for a, b, phrase in matches]
            for matches in matcher.finditer(text[start:end])]


def concatenated(paragraphs: Sequence[tuple[ParagraphTokens, Doc, Document]]
                 ) -> tuple[list[Doc], dict[int, int], np.ndarray, np.ndarray]:
    """The paragraphs' Docs in order of first sight, each Doc's first token in the Docs one after another
    (by ``id``), every paragraph's tokens as offsets into that concatenation (paragraph after paragraph),
    and each paragraph's number of tokens."""
    offset: dict[int, int] = {}
    docs: list[Doc] = []
    n = 0
    for _, doc, _ in paragraphs:
        if id(doc) not in offset:
            offset[id(doc)], n = n, n + len(doc)
            docs.append(doc)
    lengths = np.asarray([len(p.tokens) for p, _, _ in paragraphs], dtype=np.int64)
    tokens = np.fromiter(chain.from_iterable(p.tokens for p, _, _ in paragraphs), dtype=np.int64,
                         count=int(lengths.sum()))
    tokens += np.repeat(np.asarray([offset[id(doc)] for _, doc, _ in paragraphs], dtype=np.int64), lengths)
    return docs, offset, tokens, lengths


class _Batch:
    """The paragraphs of a transform call as one array of tokens, numbered as ``_local_pairs`` numbers them,
    and their Docs' attribute columns, concatenated (``heads`` index the concatenation). Heads and sentence
    starts come from each Doc's ``DocTokens`` (the batch's shared table), the string ids from ``Doc.to_array``."""

    def __init__(self, paragraphs: Sequence[tuple[ParagraphTokens, Doc, Document]]):
        docs, offset, self.tokens, lengths = concatenated(paragraphs)
        n = sum(map(len, docs))
        cols = np.concatenate([np.zeros((0, len(_DOC_ATTRS)), dtype=np.uint64)]
                              + [doc.to_array(list(_DOC_ATTRS)).reshape(len(doc), len(_DOC_ATTRS)) for doc in docs])
        tables = [tokens_of(doc) for doc in docs]
        self.paragraphs = paragraphs
        self.orth, self.lower, self.dep, self.idx = cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 3].astype(np.int64)
        self.heads = np.concatenate([np.zeros(0, dtype=np.int64)]
                                    + [t.head_array + offset[id(t.doc)] for t in tables])
        starts = np.zeros(n, dtype=bool)  # each Doc's first token starts a sentence (DocTokens.sentence_starts)
        starts[[s + offset[id(t.doc)] for t in tables for s in t.sentence_starts]] = True
        self.sentence = np.cumsum(starts)
        self.first = np.cumsum(lengths) - lengths  # each paragraph's first token
        self.para = np.repeat(np.arange(len(paragraphs)), lengths)
        self.range = np.arange(len(self.tokens))
        self.para_of = np.full(n, -1, dtype=np.int64)
        self.para_of[self.tokens] = self.para
        self.shared = bool((self.para_of[self.tokens] != self.para).any())  # a token in two paragraphs
        self.number = np.full(n, -1, dtype=np.int64)
        self.number[self.tokens] = self.range


class MultiTokenIds:
    """Local ids of the ``ARRAY_GROUPS`` features, read from spaCy's arrays for all paragraphs of a call at once.

    The fitted vocabulary is inverted once: the id of ``tree=head:nsubj`` is filed under the string id of
    ``nsubj``, which is what spaCy's arrays hold for a token's label, and ``bigram=a|b`` under the pair of
    string ids of ``a`` and ``b`` (at every ``|``, since a word may hold one). A token then finds its
    features' ids without spelling them; they are those ``paragraph_features`` spells, as tests check.
    """

    def __init__(self, vocabulary: Mapping[str, int]):
        self.vocabulary = vocabulary
        tree: dict[str, tuple[list[int], list[int]]] = {p: ([], []) for p in _TREE_PREFIXES}
        lefts, rights, pair_lids = [], [], []  # each bigram's words, split at every "|", and its local id
        for f, lid in vocabulary.items():
            if f.startswith("tree="):
                prefix = next((p for p in _TREE_PREFIXES if f.startswith(p)), None)
                if prefix is not None:
                    tree[prefix][0].append(get_string_id(f[len(prefix):]))
                    tree[prefix][1].append(lid)
            elif f.startswith("bigram="):
                value = f[len("bigram="):]
                splits = ([value.partition("|")[::2]] if value.count("|") == 1  # nearly always: one split
                          else [(value[:k], value[k + 1:]) for k, c in enumerate(value) if c == "|"])
                for a, b in splits:
                    lefts.append(a)
                    rights.append(b)
                    pair_lids.append(lid)
        self.tree = {p: _table(*tree[p]) for p in _TREE_PREFIXES}
        # Bigrams: words by rank among the words of known bigrams, a pair as rank * n + rank. Each word is hashed
        # once (a default model's 108,000 bigrams hold some 12,000 words).
        ids = {w: get_string_id(w) for w in {*lefts, *rights}}
        left, right = (np.fromiter(map(ids.__getitem__, words), dtype=np.uint64, count=len(words))
                       for words in (lefts, rights))
        self.words = np.unique(np.concatenate([left, right]))
        n = len(self.words)
        self.bigram = _table(np.searchsorted(self.words, left) * n + np.searchsorted(self.words, right), pair_lids)
        get = self._ids
        self.side = get([f"tree=side:{side}" for side in HEAD_SIDES])
        self.sentence = get(FROM_START), get(TO_END)
        self.buckets = get(FROM_START_BUCKET), get(TO_END_BUCKET), get(COMMAS)
        self.common = (get([f"context=paragraph:{w}" for w in PARAGRAPH_PLACES]),
                       get([f"context=sentence:{s}" for s in SENTENCE_PLACES]),
                       get([f"context=paragraph:{w}&sentence:{s}" for w in PARAGRAPH_PLACES for s in SENTENCE_PLACES]))
        self.clauses = np.asarray(sorted(get_string_id(c) for c in CLAUSES), dtype=np.uint64)
        self.self_, self.start, self.comma = (np.uint64(get_string_id(s)) for s in (HEAD_SELF, PARAGRAPH_START, ","))

    def _ids(self, features: Sequence[str]) -> np.ndarray:
        return np.asarray([self.vocabulary.get(f, -1) for f in features], dtype=np.int64)

    def of(self, paragraphs: Sequence[tuple[ParagraphTokens, Doc, Document]], groups: Sequence[str],
           matcher: MarkerMatcher, places: str = "position") -> tuple[np.ndarray, np.ndarray] | None:
        """``(token, local id)`` of every feature of ``groups`` (-1 for features unseen in fit), the tokens
        numbered through the paragraphs in order (``places`` as in ``paragraph_places``); None when two paragraphs
        share a token."""
        batch = _Batch(paragraphs)
        if batch.shared:
            return None
        out: list[tuple[np.ndarray, np.ndarray]] = [(batch.range[:0], batch.range[:0])]
        if "tree" in groups:
            out += self._tree(batch)
        if "bigram" in groups:
            out.append(self._bigram(batch))
        starts: list[tuple[int, str]] = []
        if "marker" in groups or "context" in groups:
            starts = self._markers(batch, matcher, "marker" in groups, out)
        if "sentence" in groups or "context" in groups:
            out += self._sentences(batch, starts, groups, places)
        owners, lids = zip(*out)
        return np.concatenate(owners), np.concatenate(lids)

    def _tree(self, b: _Batch) -> list[tuple[np.ndarray, np.ndarray]]:
        """As ``_tree_features``: the edges of each token's subtree in its paragraph, its head and its clause."""
        heads, dep, tokens = b.heads, b.dep, b.tokens
        lo, hi = np.arange(len(heads)), np.arange(len(heads))
        below, above = tokens, tokens
        for _ in range(200):  # every ancestor widens its subtree's edges (at most 200 steps up, as there)
            up = heads[above]
            moved = up != above
            if not moved.any():
                break
            below, above = below[moved], up[moved]
            same = b.para_of[above] == b.para_of[below]
            np.minimum.at(lo, above[same], below[same])
            np.maximum.at(hi, above[same], below[same])
        out = []
        for edge, prefix in ((lo, "tree=opens:"), (hi, "tree=closes:")):
            wide = edge[tokens] != tokens
            out.append((b.number[edge[tokens][wide]], _lookup(self.tree[prefix], dep[tokens][wide])))
        head = heads[tokens]
        out.append((b.range, _lookup(self.tree["tree=head:"], np.where(head != tokens, dep[head], self.self_))))
        out.append((b.range, self.side[np.where(head < tokens, 0, np.where(head > tokens, 1, 2))]))
        clause, is_clause = tokens.copy(), np.isin(dep, self.clauses)
        for _ in range(200):
            up = ~is_clause[clause] & (heads[clause] != clause)
            if not up.any():
                break
            clause[up] = heads[clause[up]]
        out.append((b.range, _lookup(self.tree["tree=clause:"], dep[clause])))
        return out

    def _bigram(self, b: _Batch) -> tuple[np.ndarray, np.ndarray]:
        """As ``_bigram_features``: the previous token's lowercase form (``<s>`` first in a paragraph) and the
        token's."""
        lower = b.lower[b.tokens]
        previous = np.empty_like(lower)
        previous[1:] = lower[:-1]
        previous[b.first[b.first < len(lower)]] = self.start
        rank_of = (self.words, np.arange(len(self.words)))  # self.words is sorted: its own _table
        ranks = [_lookup(rank_of, words) for words in (previous, lower)]
        known = (ranks[0] >= 0) & (ranks[1] >= 0)
        keys = np.where(known, ranks[0] * len(self.words) + ranks[1], 0).astype(np.uint64)
        return b.range, np.where(known, _lookup(self.bigram, keys), -1)

    def _markers(self, b: _Batch, matcher: MarkerMatcher, spell: bool,
                 out: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[int, str]]:
        """As ``_marker_features``: ``(token, list name)`` of each match starting at a token; with ``spell``
        the ``marker=`` features go to ``out``."""
        starts: list[tuple[int, str]] = []
        owners: list[int] = []
        features: list[str] = []
        for p, (paragraph, _, document) in enumerate(b.paragraphs):
            first, n = int(b.first[p]), len(paragraph.tokens)
            token_starts = b.idx[b.tokens[first:first + n]].tolist()
            for name, matches in zip(matcher.names, _paragraph_matches(paragraph, document, matcher)):
                for m_start, m_end, phrase in matches:
                    a = bisect_left(token_starts, m_start)
                    if a >= n or token_starts[a] != m_start:
                        continue  # the match starts inside a token
                    starts.append((first + a, name))
                    if spell:
                        k = bisect_left(token_starts, m_end)
                        owners += [first + a, first + a, *range(first + a + 1, first + k)]
                        features += ["marker=starts:" + name, "marker=phrase:" + phrase,
                                     *["marker=inside:" + name] * max(k - a - 1, 0)]
        if features:
            out.append((np.asarray(owners, dtype=np.int64), self._ids(features)))
        return starts

    def _sentences(self, b: _Batch, starts: list[tuple[int, str]], groups: Sequence[str],
                   places: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """As ``_sentence_features``: the sentence and context groups, sentences cut at the paragraph edges."""
        sentence, para = b.sentence[b.tokens], b.para
        new = np.ones(len(sentence), dtype=bool)
        new[1:] = (sentence[1:] != sentence[:-1]) | (para[1:] != para[:-1])
        segment = np.cumsum(new) - 1
        seg_start = np.flatnonzero(new)
        seg_length = np.diff(np.append(seg_start, len(sentence)))
        from_start = b.range - seg_start[segment]
        to_end = seg_length[segment] - 1 - from_start
        out = []
        if "sentence" in groups:
            out += [(b.range, self.sentence[0][np.minimum(from_start, 2)]),
                    (b.range, self.sentence[1][np.minimum(to_end, 2)])]
        if "context" in groups:
            limit = len(FROM_START_BUCKET) - 1
            out += [(b.range, self.buckets[0][np.minimum(from_start, limit)]),
                    (b.range, self.buckets[1][np.minimum(to_end, limit)])]
            comma = (b.orth[b.tokens] == self.comma).astype(np.int64)
            before = np.cumsum(comma) - comma
            out.append((b.range, self.buckets[2][np.minimum(before - before[seg_start][segment], 3)]))
            out += self._places(b, segment, seg_start, places)
            out += self._sentence_markers(b, seg_start, seg_length, segment, starts)
        return out

    def _places(self, b: _Batch, segment: np.ndarray, seg_start: np.ndarray,
                places: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """``context=paragraph:``, ``context=sentence:`` and their pair, for every token."""
        seg_para = b.para[seg_start]
        n_sents = np.bincount(seg_para, minlength=len(b.paragraphs))
        s, n = np.arange(len(seg_start)) - (np.cumsum(n_sents) - n_sents)[seg_para], n_sents[seg_para]
        sent_where = np.where(n == 1, 0, np.where(s == 0, 1, np.where(s == n - 1, 2, 3)))[segment]
        memo: dict[int, list[str]] = {}
        where = np.asarray([PARAGRAPH_PLACES.index(document_places(document, places, memo)[p.index])
                            for p, _, document in b.paragraphs], dtype=np.int64)[b.para]
        return [(b.range, self.common[0][where]), (b.range, self.common[1][sent_where]),
                (b.range, self.common[2][where * len(SENTENCE_PLACES) + sent_where])]

    def _sentence_markers(self, b: _Batch, seg_start: np.ndarray, seg_length: np.ndarray, segment: np.ndarray,
                          starts: list[tuple[int, str]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """``context=sentence_marker:`` on every token of a sentence where a list matches, and
        ``context=marker_before:`` on the tokens after its first match there."""
        first: dict[tuple[int, str], int] = {}
        for token, name in starts:
            key = (int(segment[token]), name)
            first[key] = min(first.get(key, token), token)
        out = []
        for (s, name), token in first.items():
            a, e = int(seg_start[s]), int(seg_start[s] + seg_length[s])
            lids = self._ids(["context=sentence_marker:" + name, "context=marker_before:" + name])
            out += [(np.arange(a, e), np.full(e - a, lids[0])),
                    (np.arange(token + 1, e), np.full(e - token - 1, lids[1]))]
        return out

