"""Token-window features for segmentation: what the tokens around each token are, as one-hot columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain, repeat
from operator import attrgetter

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Doc

from mining.errors import UsageError
from mining.features.markers import MarkerMatcher, resolve_lists
from mining.features.window_groups import GROUPS, check_places, document_places, paragraph_features
from mining.features.window_ids import ARRAY_GROUPS, VALUE_GROUPS, MultiTokenIds, ValueIds, concatenated
from mining.instances.tokens import ParagraphTokens, TokenInstance
from mining.nlp.sharing import once_per_batch, once_per_fit, reuse_rows
from mining.nlp.tokens import DocTokens, tokens_of
from mining.schema import Document

# The window size of each group (``window_groups.GROUPS`` says what each group reads) when none is given.
DEFAULT_WINDOWS: dict[str, int] = {
    "word": 3, "lemma": 0, "shape": 1, "punct": 3, "pos": 3, "tag": 1, "dep": 2, "tree": 1,
    "marker": 2, "sentence": 2, "context": 0,
}
PAD = "<pad>"  # what an offset beyond the paragraph edge reads


def _spelled(paragraphs: Sequence[tuple[ParagraphTokens, Doc, Document]], groups: list[str],
             matcher: MarkerMatcher, places: str) -> tuple[np.ndarray, list[str]]:
    """The token (numbered through the paragraphs) and the spelled ``group=value`` of every feature of ``groups``."""
    sizes: list[int] = []
    flat: list[str] = []
    tables: dict[int, DocTokens] = {}  # one per Doc: its speech roles are computed once, not per paragraph
    memo: dict[int, list[str]] = {}  # each document's paragraph places
    for paragraph, doc, document in paragraphs:
        if id(doc) not in tables:
            tables[id(doc)] = tokens_of(doc)
        # Once per sharing() block, keyed by the paragraph's place in its parse (out-of-fold copies).
        kind = ("window", matcher.fingerprint, tuple(groups), places, paragraph.start, paragraph.end,
                paragraph.index, paragraph.n_paragraphs, paragraph.tokens)
        place = document_places(document, places, memo)[paragraph.index]
        features = once_per_batch(kind, doc, lambda paragraph=paragraph, doc=doc, text=document.text: (
            paragraph_features(paragraph, tables[id(doc)], text, matcher, groups, place)))
        sizes += map(len, features)  # map and chain: no Python loop over the tokens
        flat += chain.from_iterable(features)
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes), flat


def _value_pairs(values: ValueIds, paragraphs: Sequence[tuple[ParagraphTokens, Doc, Document]], groups: list[str],
                 owners: list[np.ndarray], lids: list[np.ndarray]) -> None:
    """Add the token (numbered through the paragraphs) and local id of each ``groups`` feature to the lists,
    group by group (the order within a token does not matter: ``_matrix`` merges and sorts)."""
    docs, _, tokens, _ = concatenated(paragraphs)
    lids.append(values.of(docs, groups)[:, tokens].ravel())
    owners.append(np.tile(np.arange(len(tokens), dtype=np.int64), len(groups)))


def _paragraphs(X: Sequence[TokenInstance],
                base: dict[int, int]) -> tuple[list[tuple[ParagraphTokens, Doc, Document]], int]:
    """The paragraphs of the instances in order of first sight, and their number of tokens; ``base`` gets each
    paragraph's first token in that numbering (by ``id`` of the paragraph)."""
    paragraphs: list[tuple[ParagraphTokens, Doc, Document]] = []
    n_tokens = 0
    last = None
    for inst in X:
        if inst.paragraph is not last:  # instances mostly come paragraph by paragraph
            last = inst.paragraph
            if id(last) not in base:
                base[id(last)] = n_tokens
                n_tokens += len(last.tokens)
                paragraphs.append((last, inst.parsed, inst.document))
    return paragraphs, n_tokens


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


def _checked_windows(windows: Mapping[str, int] | None, min_df: int, paragraph_places: str) -> dict[str, int]:
    """The groups in use and their window sizes (``windows_``), once the parameters are found valid."""
    windows = DEFAULT_WINDOWS if windows is None else windows
    if not isinstance(windows, Mapping):
        raise UsageError(f"windows must be a mapping of group -> size, got {windows!r}")
    unknown = set(windows) - set(GROUPS)
    if unknown:
        raise UsageError(f"unknown feature groups {sorted(unknown)} (known: {', '.join(GROUPS)})")
    if isinstance(min_df, bool) or not isinstance(min_df, int) or min_df < 1:
        raise UsageError(f"min_df must be a positive integer, got {min_df!r}")
    check_places(paragraph_places)
    used = {g: int(k) for g, k in windows.items() if k is not None and int(k) >= 0}
    if not used:
        raise UsageError("every feature group is switched off: keep at least one")
    return used


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
    paragraph_places : {"position", "headline"}, default="position"
        How the ``context`` group tells a paragraph's place (``window_groups.paragraph_places``): intro, body
        or conclusion by position (essays), or headline, body or conclusion by final punctuation (news).

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

    paragraph_places = "position"  # the default of bundles saved before the parameter

    def __init__(self, *, windows=None, lists=None, min_df=1, paragraph_places="position"):
        self.windows = windows
        self.lists = lists
        self.min_df = min_df
        self.paragraph_places = paragraph_places

    def fit(self, X: Sequence[TokenInstance], y=None):
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Sequence[TokenInstance], y=None) -> sp.csr_matrix:
        self.windows_ = _checked_windows(self.windows, self.min_df, self.paragraph_places)
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
        # map and attrgetter: no Python-level loop over the tokens
        paragraph_of = list(map(attrgetter("paragraph"), X))
        position = np.fromiter(map(attrgetter("position"), X), dtype=np.int64, count=len(X))
        length = np.fromiter(map(len, map(attrgetter("tokens"), paragraph_of)), dtype=np.int64, count=len(X))
        token = np.fromiter(map(base.__getitem__, map(id, paragraph_of)), dtype=np.int64, count=len(X)) + position
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
        them too (``MultiTokenIds``), which give the same ids without a string per token and feature.
        """
        paragraphs, n_tokens = _paragraphs(X, base)
        groups = list(self.windows_)
        owners, lids = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        arrays = [] if grow else [g for g in groups if g in ARRAY_GROUPS]
        if arrays:
            window_ids = once_per_fit(self, "window_ids", self.local_features_, lambda: MultiTokenIds(vocabulary))
            found = window_ids.of(paragraphs, arrays, self.matcher_, self.paragraph_places)
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
            owner, flat = _spelled(paragraphs, rest, self.matcher_, self.paragraph_places)
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

