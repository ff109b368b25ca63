"""Token-window features for segmentation: what the tokens around each token are, as one-hot columns."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted
from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, LEMMA, LOWER, ORTH, POS, SENT_START, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.strings import get_string_id
from spacy.tokens import Doc

from mining.errors import UsageError
from mining.features.markers import MarkerMatcher, resolve_lists
from mining.instances.tokens import ParagraphTokens, TokenInstance
from mining.nlp.sharing import once_per_batch, once_per_fit, reuse_rows
from mining.nlp.tokens import DocTokens, tokens_of

# Local evidence of one token, by group; a group is read at every offset -k..+k of its window.
# Stab & Gurevych (2017, sec. 4.1) read the same kinds of evidence for their CRF: structural,
# syntactic, lexico-syntactic and indicator features of the token and of its neighbours.
# - word: lowercased form; lemma; shape: capitalisation and digits; punct: the mark itself or "no";
# - pos / tag / dep: coarse and fine part of speech, dependency label;
# - tree: labels of the subtrees the token opens or closes, of its head and of its clause (their
#   lexico-syntactic features: a unit usually starts where a clause starts, after "because" or "that");
# - marker: discourse markers (markers.py lists) starting at or covering the token;
# - sentence: first, second, last or second-to-last token of its sentence;
# - context: paragraph (intro, body, conclusion) and sentence position in it, distance to the
#   sentence edges, commas and markers earlier in the sentence;
# - speech: the token's roles in reported speech (mining/nlp/speech.py: cue, source, frame, content,
#   quote), so that a unit can keep to what is reported and leave out "Varga told reporters";
# - bigram: the lowercased previous word and the token's own as one value (", because", "that the"): where a
#   unit starts or stops depends on the pair, which a linear model cannot build from the two words apart.
GROUPS = ("word", "lemma", "shape", "punct", "pos", "tag", "dep", "tree", "marker", "sentence", "context",
          "speech", "bigram")
DEFAULT_WINDOWS: dict[str, int] = {
    "word": 3, "lemma": 0, "shape": 1, "punct": 3, "pos": 3, "tag": 1, "dep": 2, "tree": 1,
    "marker": 2, "sentence": 2, "context": 0,
}
# Clause-level dependency labels: the clause a token belongs to is its nearest such ancestor.
CLAUSES = frozenset({"ROOT", "ccomp", "advcl", "conj", "relcl", "xcomp", "csubj", "csubjpass", "acl", "pcomp",
                     "parataxis"})
PAD = "<pad>"  # what an offset beyond the paragraph edge reads
DISTANCES = (0, 1, 2, 3, 5, 8, 12, 20)


def _bucket(n: int, edges: Sequence[int]) -> str:
    """``n`` as the first edge it does not exceed, or ``>last``."""
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


# The sentence and context features of a token by its distance to the sentence edges.
_FROM_START = ("sentence=start", "sentence=second", "sentence=inner")
_TO_END = ("sentence=end", "sentence=before_end", "sentence=inner_")
_FROM_START_BUCKET = tuple(f"context=from_start:{_bucket(n, DISTANCES)}" for n in range(DISTANCES[-1] + 2))
_TO_END_BUCKET = tuple(f"context=to_end:{_bucket(n, DISTANCES)}" for n in range(DISTANCES[-1] + 2))
_COMMAS = tuple(f"context=commas_before:{n}" for n in range(4))


def _by_distance(values: tuple[str, ...], n: int) -> list[str]:
    """``values[min(d, len(values) - 1)]`` for the distances ``d = 0 .. n - 1``."""
    return list(values[:n]) + [values[-1]] * max(n - len(values), 0)


@lru_cache(maxsize=1 << 16)  # words repeat; the cache stays bounded on endless streams
def _shape(text: str) -> str:
    if text.isdigit():
        return "digits"
    if any(c.isdigit() for c in text):
        return "has_digit"
    if text.isupper() and len(text) > 1:
        return "upper"
    if text[:1].isupper():
        return "title"
    if text.isalpha():
        return "lower"
    return "other"


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
            return "shape=" + _shape(value)
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

    def of(self, docs: Sequence[Doc], groups: Sequence[str]) -> list[np.ndarray]:
        """For each Doc, ``(len(groups), len(doc))`` local ids (-1 for features unseen in fit), in the order of
        ``groups``. Values are spelled with the Docs' string store: Docs of several vocabularies go one by one."""
        if not docs:
            return []
        if len({id(doc.vocab) for doc in docs}) > 1:
            return [self.of([doc], groups)[0] for doc in docs]
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
        return np.split(out, np.cumsum([len(doc) for doc in docs])[:-1], axis=1)


# The groups spelled from several tokens, which transform also reads from arrays (``WindowIds``), for all
# paragraphs of a call at once.
ARRAY_GROUPS = ("tree", "marker", "sentence", "context", "bigram")
_TREE_PREFIXES = ("tree=opens:", "tree=closes:", "tree=head:", "tree=clause:")
_DOC_ATTRS = (ORTH, LOWER, DEP, HEAD, SENT_START, IDX)  # the columns ``_Batch`` reads
_WHERE = ("intro", "conclusion", "body")
_SENT_WHERE = ("only", "first", "last", "middle")


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


class _Batch:
    """The paragraphs of a transform call as one array of tokens, numbered as ``_local_pairs`` numbers them,
    and their Docs' attribute columns, concatenated (``heads`` index the concatenation)."""

    def __init__(self, paragraphs: Sequence[tuple[ParagraphTokens, Doc, str]]):
        offset: dict[int, int] = {}
        columns, n = [np.zeros((0, len(_DOC_ATTRS)), dtype=np.uint64)], 0
        for _, doc, _ in paragraphs:
            if id(doc) not in offset:
                offset[id(doc)], n = n, n + len(doc)
                columns.append(doc.to_array(list(_DOC_ATTRS)).reshape(len(doc), len(_DOC_ATTRS)))
        cols = np.concatenate(columns)
        self.paragraphs = paragraphs
        self.orth, self.lower, self.dep = cols[:, 0], cols[:, 1], cols[:, 2]
        self.heads = cols[:, 3].astype(np.int64) + np.arange(n)  # spaCy keeps offsets to the head
        starts = cols[:, 4] == 1  # SENT_START; each Doc's first token starts a sentence (DocTokens.sentence_ids)
        starts[[o for o in offset.values() if o < n]] = True
        self.sentence = np.cumsum(starts)
        self.idx = cols[:, 5].astype(np.int64)
        lengths = np.asarray([len(p.tokens) for p, _, _ in paragraphs], dtype=np.int64)
        self.tokens = np.concatenate([np.zeros(0, dtype=np.int64)] + [np.asarray(p.tokens, dtype=np.int64) + offset[id(d)]
                                                                      for p, d, _ in paragraphs])
        self.first = np.cumsum(lengths) - lengths  # each paragraph's first token
        self.para = np.repeat(np.arange(len(paragraphs)), lengths)
        self.range = np.arange(len(self.tokens))
        self.para_of = np.full(n, -1, dtype=np.int64)
        self.para_of[self.tokens] = self.para
        self.shared = bool((self.para_of[self.tokens] != self.para).any())  # a token in two paragraphs
        self.number = np.full(n, -1, dtype=np.int64)
        self.number[self.tokens] = self.range


class WindowIds:
    """Local ids of the ``ARRAY_GROUPS`` features, read from spaCy's arrays for all paragraphs of a call at once.

    The fitted vocabulary is inverted once: the id of ``tree=head:nsubj`` is filed under the string id of
    ``nsubj``, which is what spaCy's arrays hold for a token's label, and ``bigram=a|b`` under the pair of
    string ids of ``a`` and ``b`` (at every ``|``, since a word may hold one). A token then finds its
    features' ids without spelling them; they are those ``paragraph_features`` spells, as tests check.
    """

    def __init__(self, vocabulary: Mapping[str, int]):
        self.vocabulary = vocabulary
        tree: dict[str, tuple[list[int], list[int]]] = {p: ([], []) for p in _TREE_PREFIXES}
        pairs: list[tuple[int, int, int]] = []
        for f, lid in vocabulary.items():
            if f.startswith("tree="):
                prefix = next((p for p in _TREE_PREFIXES if f.startswith(p)), None)
                if prefix is not None:
                    tree[prefix][0].append(get_string_id(f[len(prefix):]))
                    tree[prefix][1].append(lid)
            elif f.startswith("bigram="):
                value = f[len("bigram="):]
                if value.count("|") == 1:  # nearly always: one split
                    a, _, b = value.partition("|")
                    pairs.append((get_string_id(a), get_string_id(b), lid))
                else:
                    pairs += [(get_string_id(value[:k]), get_string_id(value[k + 1:]), lid)
                              for k, c in enumerate(value) if c == "|"]
        self.tree = {p: _table(*tree[p]) for p in _TREE_PREFIXES}
        # Bigrams: words by rank among the words of known bigrams, a pair as rank * n + rank.
        self.words = np.unique(np.asarray([h for a, b, _ in pairs for h in (a, b)], dtype=np.uint64))
        ranks = np.searchsorted(self.words, np.asarray([(a, b) for a, b, _ in pairs], dtype=np.uint64).reshape(-1, 2))
        self.bigram = _table((ranks[:, 0] * len(self.words) + ranks[:, 1]).tolist(), [lid for *_, lid in pairs])
        get = self._ids
        self.side = get(["tree=side:left", "tree=side:right", "tree=side:root"])
        self.sentence = get(_FROM_START), get(_TO_END)
        self.buckets = get(_FROM_START_BUCKET), get(_TO_END_BUCKET), get(_COMMAS)
        self.common = (get([f"context=paragraph:{w}" for w in _WHERE]),
                       get([f"context=sentence:{s}" for s in _SENT_WHERE]),
                       get([f"context=paragraph:{w}&sentence:{s}" for w in _WHERE for s in _SENT_WHERE]))
        self.clauses = np.asarray(sorted(get_string_id(c) for c in CLAUSES), dtype=np.uint64)
        self.self_, self.start, self.comma = (np.uint64(get_string_id(s)) for s in ("self", "<s>", ","))

    def _ids(self, features: Sequence[str]) -> np.ndarray:
        return np.asarray([self.vocabulary.get(f, -1) for f in features], dtype=np.int64)

    def of(self, paragraphs: Sequence[tuple[ParagraphTokens, Doc, str]], groups: Sequence[str],
           matcher: MarkerMatcher) -> tuple[np.ndarray, np.ndarray] | None:
        """``(token, local id)`` of every feature of ``groups`` (-1 for features unseen in fit), the tokens
        numbered through the paragraphs in order; None when two paragraphs share a token."""
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
            out += self._sentences(batch, starts, groups)
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
        """As ``_bigram_features``: the previous token's lowercase form (``<s>`` first in a paragraph) and the token's."""
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
        for p, (paragraph, _, text) in enumerate(b.paragraphs):
            first, n = int(b.first[p]), len(paragraph.tokens)
            token_starts = b.idx[b.tokens[first:first + n]].tolist()
            for name, matches in zip(matcher.names, matcher.finditer(text[paragraph.start:paragraph.end])):
                for m_start, m_end, phrase in matches:
                    a = bisect_left(token_starts, paragraph.start + m_start)
                    if a >= n or token_starts[a] != paragraph.start + m_start:
                        continue  # the match starts inside a token
                    starts.append((first + a, name))
                    if spell:
                        k = bisect_left(token_starts, paragraph.start + m_end)
                        owners += [first + a, first + a, *range(first + a + 1, first + k)]
                        features += ["marker=starts:" + name, "marker=phrase:" + phrase,
                                     *["marker=inside:" + name] * max(k - a - 1, 0)]
        if features:
            out.append((np.asarray(owners, dtype=np.int64), self._ids(features)))
        return starts

    def _sentences(self, b: _Batch, starts: list[tuple[int, str]],
                   groups: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
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
            limit = len(_FROM_START_BUCKET) - 1
            out += [(b.range, self.buckets[0][np.minimum(from_start, limit)]),
                    (b.range, self.buckets[1][np.minimum(to_end, limit)])]
            comma = (b.orth[b.tokens] == self.comma).astype(np.int64)
            before = np.cumsum(comma) - comma
            out.append((b.range, self.buckets[2][np.minimum(before - before[seg_start][segment], 3)]))
            out += self._places(b, segment, seg_start)
            out += self._sentence_markers(b, seg_start, seg_length, segment, starts)
        return out

    def _places(self, b: _Batch, segment: np.ndarray, seg_start: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """``context=paragraph:``, ``context=sentence:`` and their pair, for every token."""
        seg_para = b.para[seg_start]
        n_sents = np.bincount(seg_para, minlength=len(b.paragraphs))
        s, n = np.arange(len(seg_start)) - (np.cumsum(n_sents) - n_sents)[seg_para], n_sents[seg_para]
        sent_where = np.where(n == 1, 0, np.where(s == 0, 1, np.where(s == n - 1, 2, 3)))[segment]
        index = np.asarray([[p.index, p.n_paragraphs] for p, _, _ in b.paragraphs], dtype=np.int64).reshape(-1, 2)
        where = np.where(index[:, 0] == 0, 0, np.where(index[:, 0] == index[:, 1] - 1, 1, 2))[b.para]
        return [(b.range, self.common[0][where]), (b.range, self.common[1][sent_where]),
                (b.range, self.common[2][where * len(_SENT_WHERE) + sent_where])]

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
            out += [(np.arange(a, e), np.full(e - a, lids[0])), (np.arange(token + 1, e), np.full(e - token - 1, lids[1]))]
        return out


def paragraph_features(paragraph: ParagraphTokens, tokens: DocTokens, text: str, matcher: MarkerMatcher,
                       groups: Sequence[str]) -> list[list[str]]:
    """The ``group=value`` features of each token of ``paragraph``, for the groups asked for."""
    ids = list(paragraph.tokens)
    n = len(ids)
    active = set(groups)
    idx, end = tokens.idx, tokens.end_char
    words = [text[idx[i]:end[i]] for i in ids]
    # The one-value groups, a column each, then zipped into each token's list in group order.
    columns = []
    if "word" in active:
        lower = tokens.lower
        columns.append(["word=" + lower[i] for i in ids])
    if "lemma" in active:
        lemma = tokens.lemma
        columns.append(["lemma=" + lemma[i].lower() for i in ids])
    if "shape" in active:
        columns.append(["shape=" + _shape(w) for w in words])
    if "punct" in active:
        is_punct = tokens.is_punct
        columns.append(["punct=" + (w if is_punct[i] else "no") for i, w in zip(ids, words)])
    for group in ("pos", "tag", "dep"):
        if group in active:
            values, prefix = getattr(tokens, group), group + "="
            columns.append([prefix + values[i] for i in ids])
    out: list[list[str]] = list(map(list, zip(*columns))) if columns else [[] for _ in range(n)]
    if "tree" in active:
        _tree_features(out, ids, tokens)
    if "bigram" in active:
        _bigram_features(out, ids, tokens)
    if "speech" in active:
        roles = tokens.speech
        for row, i in zip(out, ids):
            row.extend(["speech=" + role for role in sorted(roles[i])] or ["speech=none"])
    marker_starts = _marker_features(out if "marker" in active else None, paragraph, ids, tokens, text, matcher)
    if "sentence" in active or "context" in active:
        _sentence_features(out, paragraph, ids, words, tokens, marker_starts, active)
    return out


def _tree_features(out: list[list[str]], ids: list[int], tokens: DocTokens) -> None:
    heads, dep = tokens.heads, tokens.dep
    position = {i: k for k, i in enumerate(ids)}
    lo = {i: i for i in ids}
    hi = {i: i for i in ids}
    for i in ids:
        # Every ancestor's subtree holds token i: widen the edges of each (heads are acyclic;
        # the step limit only guards against a malformed parse).
        j, steps = i, 0
        while heads[j] != j and steps < 200:
            j = heads[j]
            steps += 1
            if j in lo:
                if i < lo[j]:
                    lo[j] = i
                if i > hi[j]:
                    hi[j] = i
    for i in ids:
        if lo[i] != i and lo[i] in position:
            out[position[lo[i]]].append("tree=opens:" + dep[i])
        if hi[i] != i and hi[i] in position:
            out[position[hi[i]]].append("tree=closes:" + dep[i])
    for k, i in enumerate(ids):
        h = heads[i]
        out[k].append("tree=head:" + (dep[h] if h != i else "self"))
        out[k].append("tree=side:" + ("left" if h < i else "right" if h > i else "root"))
        a, steps = i, 0
        while dep[a] not in CLAUSES and heads[a] != a and steps < 200:
            a = heads[a]
            steps += 1
        out[k].append("tree=clause:" + dep[a])


def _bigram_features(out: list[list[str]], ids: list[int], tokens: DocTokens) -> None:
    """``bigram=<previous>|<token>`` (lowercased); the paragraph's first token pairs with ``<s>``."""
    lower = tokens.lower
    previous = "<s>"
    for row, i in zip(out, ids):
        row.append(f"bigram={previous}|{lower[i]}")
        previous = lower[i]


def _marker_features(out: list[list[str]] | None, paragraph: ParagraphTokens, ids: list[int], tokens: DocTokens,
                     text: str, matcher: MarkerMatcher) -> list[list[str]]:
    """Names of the marker lists starting at each token; adds ``marker=`` features to ``out`` if given."""
    starts: list[list[str]] = [[] for _ in ids]
    token_starts = [tokens.idx[i] for i in ids]
    for name, matches in zip(matcher.names, matcher.finditer(text[paragraph.start:paragraph.end])):
        for m_start, m_end, phrase in matches:
            a = int(np.searchsorted(token_starts, paragraph.start + m_start, side="left"))
            b = int(np.searchsorted(token_starts, paragraph.start + m_end, side="left"))
            if a >= len(ids) or token_starts[a] != paragraph.start + m_start:
                continue  # the match starts inside a token
            starts[a].append(name)
            if out is not None:
                out[a].append("marker=starts:" + name)
                out[a].append("marker=phrase:" + phrase)
                for k in range(a + 1, b):
                    out[k].append("marker=inside:" + name)
    return starts


def _sentence_features(out: list[list[str]], paragraph: ParagraphTokens, ids: list[int], words: list[str],
                       tokens: DocTokens, marker_starts: list[list[str]], active: set[str]) -> None:
    # Sentences are cut at the paragraph edges; whitespace tokens are not counted.
    sentence_ids = tokens.sentence_ids
    sent_of = [sentence_ids[i] for i in ids]
    n = len(ids)
    bounds = [0] + [k for k in range(1, n) if sent_of[k] != sent_of[k - 1]] + [n]
    n_sents = len(bounds) - 1
    p, n_paragraphs = paragraph.index, paragraph.n_paragraphs
    where = "intro" if p == 0 else "conclusion" if p == n_paragraphs - 1 else "body"
    sentence, context = "sentence" in active, "context" in active
    for s in range(n_sents):
        a, b = bounds[s], bounds[s + 1]
        sent_where = "only" if n_sents == 1 else "first" if s == 0 else "last" if s == n_sents - 1 else "middle"
        # What every token of the sentence carries, spelled once per sentence.
        common = [f"context=paragraph:{where}", f"context=sentence:{sent_where}",
                  f"context=paragraph:{where}&sentence:{sent_where}"]
        sentence_markers = [f"context=sentence_marker:{m}"
                            for m in sorted({name for k in range(a, b) for name in marker_starts[k]})]
        # By distance from the start (the end): the edges get their own value, farther tokens share the last.
        length = b - a
        from_start, to_end = _by_distance(_FROM_START, length), _by_distance(_TO_END, length)[::-1]
        start_bucket, end_bucket = _by_distance(_FROM_START_BUCKET, length), _by_distance(_TO_END_BUCKET, length)[::-1]
        seen: set[str] = set()
        markers_before: list[str] = []
        commas = 0
        for t, k in enumerate(range(a, b)):
            feats = out[k]
            if sentence:
                feats.append(from_start[t])
                feats.append(to_end[t])
            if context:
                feats += common
                feats.append(start_bucket[t])
                feats.append(end_bucket[t])
                feats.append(_COMMAS[commas])
                feats += sentence_markers
                feats += markers_before
            if not seen.issuperset(marker_starts[k]):
                seen.update(marker_starts[k])
                markers_before = [f"context=marker_before:{m}" for m in sorted(seen)]
            if commas < 3 and words[k] == ",":
                commas += 1


def _spelled(paragraphs: Sequence[tuple[ParagraphTokens, Doc, str]], groups: list[str],
             matcher: MarkerMatcher) -> tuple[np.ndarray, list[str]]:
    """The token (numbered through the paragraphs) and the spelled ``group=value`` of every feature of ``groups``."""
    sizes: list[int] = []
    flat: list[str] = []
    tables: dict[int, DocTokens] = {}  # one per Doc: its speech roles are computed once, not per paragraph
    for paragraph, doc, text in paragraphs:
        if id(doc) not in tables:
            tables[id(doc)] = tokens_of(doc)
        # Once per sharing() block, keyed by the paragraph's place in its parse (out-of-fold copies).
        kind = ("window", matcher.fingerprint, tuple(groups), paragraph.start, paragraph.end,
                paragraph.index, paragraph.n_paragraphs, paragraph.tokens)
        features = once_per_batch(kind, doc, lambda paragraph=paragraph, doc=doc, text=text: paragraph_features(
            paragraph, tables[id(doc)], text, matcher, groups))
        sizes += map(len, features)  # map and chain: no Python loop over the tokens
        flat += chain.from_iterable(features)
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes), flat


def _value_pairs(values: ValueIds, paragraphs: Sequence[tuple[ParagraphTokens, Doc, str]], groups: list[str],
                 owners: list[np.ndarray], lids: list[np.ndarray]) -> None:
    """Add the token (numbered through the paragraphs) and local id of each ``groups`` feature to the lists."""
    docs = list({id(doc): doc for _, doc, _ in paragraphs}.values())  # in order of first sight
    value_ids = {id(doc): ids for doc, ids in zip(docs, values.of(docs, groups))}
    first = 0
    for paragraph, doc, _ in paragraphs:
        n = len(paragraph.tokens)
        lids.append(value_ids[id(doc)][:, list(paragraph.tokens)].ravel())
        owners.append(np.tile(np.arange(first, first + n, dtype=np.int64), len(groups)))
        first += n


def _reach_tables(owner: np.ndarray, lids: np.ndarray, n_tokens: int, window_of: np.ndarray,
                  width: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each distance d = 0..width: the local ids of each token's features whose group reads at least
    that far (``ids[ptr[t]:ptr[t + 1]]`` for token t), from the ``(token, local id)`` pairs grouped by token.

    An offset then takes whole lists instead of every feature and dropping most of them (the context
    group, read at offset 0 only, is about a third of a token's features).
    """
    reach = window_of[lids]
    tables = []
    for d in range(width + 1):
        far = reach >= d
        ptr = np.zeros(n_tokens + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner[far], minlength=n_tokens), out=ptr[1:])
        tables.append((lids[far], ptr))
    return tables


class TokenWindowVectorizer(TransformerMixin, BaseEstimator):
    """One-hot features of each token and of its neighbours at offsets ``-k..+k`` in its paragraph.

    Column ``<j>:<group>=<value>`` says that the token at offset ``j`` has that value
    (``-1:word=because``, ``0:pos=PRON``); ``<j>:<pad>`` says that offset ``j`` lies beyond the
    paragraph edge. Each token's local features are computed once per paragraph and shared by the
    rows of its neighbours.

    Parameters
    ----------
    windows : mapping of str to int, default=None
        Window size ``k`` of each feature group (see ``GROUPS``); a group left out, or set to a
        negative size, is not read. None uses ``DEFAULT_WINDOWS``.
    lists : mapping of str to sequence of str, default=None
        Discourse-marker lists for the ``marker`` and ``context`` groups; None uses
        ``markers.DEFAULT_LISTS``.
    min_df : int, default=1
        Keep only columns that are on for at least this many training tokens.

    Attributes
    ----------
    windows_ : dict of str to int
        The groups in use and their window sizes.
    matcher_ : MarkerMatcher
        Finds the marker phrases.
    local_features_ : ndarray of str
        The local ``group=value`` features seen in ``fit``; a feature's id is its index.
    keys_ : ndarray of int64
        Sorted ``local id * n_slots + (offset + max window)`` of each column; the column names
        (``get_feature_names_out``) are spelled from these keys and ``local_features_``.

    Fitted state is kept in numeric and string arrays rather than in dicts and object arrays,
    which skops writes element by element into its JSON schema (a 37 MB model file for AAEC).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression  # doctest: +SKIP
    >>> from sklearn.pipeline import make_pipeline  # doctest: +SKIP
    >>> tagger = make_pipeline(TokenWindowVectorizer(), LogisticRegression())  # doctest: +SKIP
    >>> tagger.fit(token_instances, bio_tags).predict(token_instances[:3])  # doctest: +SKIP
    array(['O', 'B', 'I'], dtype=object)
    """

    def __init__(self, *, windows=None, lists=None, min_df=1):
        self.windows = windows
        self.lists = lists
        self.min_df = min_df

    def fit(self, X: Sequence[TokenInstance], y=None):
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Sequence[TokenInstance], y=None) -> sp.csr_matrix:
        windows = DEFAULT_WINDOWS if self.windows is None else self.windows
        if not isinstance(windows, Mapping):
            raise UsageError(f"windows must be a mapping of group -> size, got {windows!r}")
        unknown = set(windows) - set(GROUPS)
        if unknown:
            raise UsageError(f"unknown feature groups {sorted(unknown)} (known: {', '.join(GROUPS)})")
        if isinstance(self.min_df, bool) or not isinstance(self.min_df, int) or self.min_df < 1:
            raise UsageError(f"min_df must be a positive integer, got {self.min_df!r}")
        self.windows_ = {g: int(k) for g, k in windows.items() if k is not None and int(k) >= 0}
        if not self.windows_:
            raise UsageError("every feature group is switched off: keep at least one")
        if len(X) == 0:
            raise ValueError("fit needs at least one token instance")
        self.matcher_ = MarkerMatcher(resolve_lists(self.lists))
        vocabulary = {PAD: 0}
        rows, keys = self._pairs(X, vocabulary, grow=True)
        unique, counts = np.unique(keys, return_counts=True)  # pairs are distinct: counts are token counts
        self.keys_ = unique[counts >= self.min_df]
        self.local_features_ = np.asarray(list(vocabulary), dtype=str)
        return self._matrix(len(X), rows, keys)

    @reuse_rows
    def transform(self, X: Sequence[TokenInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        vocabulary = once_per_fit(self, "vocabulary", self.local_features_,
                             lambda: {f: lid for lid, f in enumerate(self.local_features_.tolist())})
        rows, keys = self._pairs(X, vocabulary, grow=False)
        return self._matrix(len(X), rows, keys)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        names = self.local_features_.tolist()
        n_slots, width = self._slots()
        return np.asarray([f"{k % n_slots - width}:{names[k // n_slots]}" for k in self.keys_.tolist()], dtype=object)

    def _slots(self) -> tuple[int, int]:
        """How many offsets a key can encode, and the largest window."""
        width = max(self.windows_.values())
        return 2 * width + 1, width

    def _pairs(self, X: Sequence[TokenInstance], vocabulary: dict[str, int], *,
               grow: bool) -> tuple[np.ndarray, np.ndarray]:
        """Distinct ``(row, key)`` pairs of every feature that is on, in no particular order.

        ``vocabulary`` maps local features to ids; with ``grow`` new features are added to it,
        otherwise they are dropped.
        """
        n_slots, width = self._slots()
        base: dict[int, int] = {}
        owner, lids, n_tokens = self._local_pairs(X, vocabulary, base, grow)
        window_of = (self._window_of(vocabulary) if grow else
                     once_per_fit(self, "window_of", self.local_features_, lambda: self._window_of(vocabulary)))
        tables = _reach_tables(owner, lids, n_tokens, window_of, width)
        row = np.arange(len(X), dtype=np.int64)
        position = np.fromiter((inst.position for inst in X), dtype=np.int64, count=len(X))
        length = np.fromiter((inst.n_in_paragraph for inst in X), dtype=np.int64, count=len(X))
        token = np.fromiter((base[id(inst.paragraph)] for inst in X), dtype=np.int64, count=len(X)) + position
        all_rows, all_keys = [], []
        for j in range(-width, width + 1):
            lids_j, ptr_j = tables[abs(j)]
            inside = (position + j >= 0) & (position + j < length)
            neighbour = token[inside] + j
            counts = ptr_j[neighbour + 1] - ptr_j[neighbour]
            offsets = np.repeat(ptr_j[neighbour] - np.cumsum(counts) + counts, counts)
            found = lids_j[offsets + np.arange(counts.sum(), dtype=np.int64)]
            all_rows += [np.repeat(row[inside], counts), row[~inside]]
            all_keys += [found * n_slots + (j + width),
                         np.full((~inside).sum(), vocabulary[PAD] * n_slots + (j + width), dtype=np.int64)]
        return np.concatenate(all_rows), np.concatenate(all_keys)

    def _local_pairs(self, X: Sequence[TokenInstance], vocabulary: dict[str, int], base: dict[int, int],
                     grow: bool) -> tuple[np.ndarray, np.ndarray, int]:
        """``(token, local id)`` of every feature of every paragraph's tokens, grouped by token (with ``grow``,
        sorted and distinct), and the number of tokens; ``base`` gets each paragraph's first token (by ``id``
        of the paragraph).

        ``fit`` spells every feature (``paragraph_features``); ``transform`` takes the one-value groups
        from spaCy's arrays (``ValueIds``), and the tree, marker, sentence, context and bigram groups from
        them too (``WindowIds``), which give the same ids without a string per token and feature.
        """
        paragraphs: list[tuple[ParagraphTokens, Doc, str]] = []  # in order of first sight
        n_tokens = 0
        for inst in X:
            if id(inst.paragraph) not in base:
                base[id(inst.paragraph)] = n_tokens
                n_tokens += len(inst.paragraph.tokens)
                paragraphs.append((inst.paragraph, inst.parsed, inst.document.text))
        groups = list(self.windows_)
        owners, lids = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        arrays = [] if grow else [g for g in groups if g in ARRAY_GROUPS]
        if arrays:
            window_ids = once_per_fit(self, "window_ids", self.local_features_, lambda: WindowIds(vocabulary))
            found = window_ids.of(paragraphs, arrays, self.matcher_)
            if found is None:  # two paragraphs share tokens: spelled, paragraph by paragraph
                arrays = []
            else:
                owners.append(found[0])
                lids.append(found[1])
        fast = [] if grow else [g for g in groups if g in VALUE_GROUPS]
        if fast:
            values = once_per_fit(self, "values", self.local_features_, lambda: ValueIds(vocabulary))
            _value_pairs(values, paragraphs, fast, owners, lids)
        rest = [g for g in groups if g not in fast and g not in arrays]
        if rest:
            owner, flat = _spelled(paragraphs, rest, self.matcher_)
            if grow:  # ids in order of first sight
                flat_ids = np.asarray([vocabulary.setdefault(f, len(vocabulary)) for f in flat], dtype=np.int64)
            else:
                flat_ids = np.fromiter(map(vocabulary.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
            owners.append(owner)
            lids.append(flat_ids)
        owner, flat_ids = np.concatenate(owners), np.concatenate(lids)
        known = flat_ids >= 0
        owner, flat_ids = owner[known], flat_ids[known]
        if not grow:  # grouped by token (a radix sort); a feature a token carries twice is merged in _matrix
            order = np.argsort(owner.astype(np.uint16) if n_tokens <= 1 << 16 else owner, kind="stable")
            return owner[order], flat_ids[order], n_tokens
        # Fit counts a column's tokens by its pairs: sorted and without repeats.
        n_vocabulary = len(vocabulary)
        pairs = np.unique(owner * n_vocabulary + flat_ids)
        return pairs // n_vocabulary, pairs % n_vocabulary, n_tokens

    def _window_of(self, vocabulary: dict[str, int]) -> np.ndarray:
        """The window size of each local feature's group, by local id (the padding reads every offset)."""
        window_of = np.full(len(vocabulary), -1, dtype=np.int64)
        for f, lid in vocabulary.items():
            window_of[lid] = self.windows_.get(f.split("=", 1)[0], -1)
        window_of[vocabulary[PAD]] = self._slots()[1]
        return window_of

    def _columns(self) -> np.ndarray:
        """The column of every possible key, -1 for keys that are no column."""
        column = np.full(len(self.local_features_) * self._slots()[0], -1, dtype=np.int64)
        column[self.keys_] = np.arange(len(self.keys_))
        return column

    def _matrix(self, n_rows: int, rows: np.ndarray, keys: np.ndarray) -> sp.csr_matrix:
        column = once_per_fit(self, "columns", self.keys_, self._columns)[keys]
        known = column >= 0
        rows, column = rows[known], column[known]
        data = np.ones(len(column), dtype=np.float64)
        # Sorted column indices keep the products with the coefficients in one order. By column first, whose rows
        # come in order (an offset at a time), the CSR conversion needs no sort; repeats are summed, then set to 1.
        matrix = sp.csc_matrix((data, (rows, column)), shape=(n_rows, len(self.keys_))).tocsr()
        matrix.data[:] = 1.0
        return matrix
