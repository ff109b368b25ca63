"""Pair features: distance, position, markers and shared words of an ordered (source, target) pair of units."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.features.lexical import LexicalVectorizer
from mining.features.markers import MarkerIndex, MarkerMatcher, marker_index, resolve_lists
from mining.features.structural import SentenceIndex
from mining.instances.units import PairInstance, UnitInstance
from mining.nlp.sharing import reuse_rows, take_rows
from mining.nlp.tokens import DocTokens, tokens_of

CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV"})
# Stab & Gurevych (2017, sec. 5.2) "structural" and "lexical" relation features: token counts,
# distance and direction, same sentence, target/source position, and shared nouns.
POSITION = (
    "distance", "abs_distance", "adjacent", "target_after", "same_sentence", "units_between",
    "in_intro", "in_conclusion", "units_in_paragraph",
    "source_first", "source_last", "target_first", "target_last", "source_position", "target_position",
    "source_tokens", "target_tokens", "between_tokens",
    "shared_nouns", "noun_jaccard", "lemma_jaccard", "target_nouns_covered",
)
_LOG_SCALED = [POSITION.index(name) for name in (
    "abs_distance", "units_between", "units_in_paragraph", "source_tokens", "target_tokens", "between_tokens",
    "shared_nouns",
)]
# Markers between the units and in each unit's shell ("Because <source>, <target>") carry the
# relation's direction (Stab & Gurevych 2017, "indicators" of relation identification).
MARKER_REGIONS = ("between", "source_shell", "target_shell")


class _UnitCache:
    """What each unit contributes to its pairs, computed once per unit rather than once per pair."""

    def __init__(self, inst: UnitInstance, markers: MarkerIndex, sentences: SentenceIndex, tokens: DocTokens):
        start, end = inst.span.start, inst.span.end
        lemmas, pos, stop = tokens.lemma[start:end], tokens.pos[start:end], tokens.is_stop[start:end]
        self.nouns = {lemma.lower() for lemma, p in zip(lemmas, pos) if p in ("NOUN", "PROPN")}
        self.lemmas = {lemma.lower() for lemma, p, s in zip(lemmas, pos, stop) if p in CONTENT_POS and not s}
        self.tokens = end - start
        self.sentence = sentences.sentence_of(inst.unit.start)
        shell = (tokens.idx[tokens.sentence(start)[0]], inst.unit.start)
        self.shell_markers = markers.present(*shell)


def _jaccard(a: set, b: set) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


class PairVectorizer(TransformerMixin, BaseEstimator):
    """Distance, position, marker and word-overlap features of each ordered pair of units.

    Parameters
    ----------
    lists : mapping of str to sequence of str, default=None
        Marker lists; None uses ``markers.DEFAULT_LISTS``.

    Attributes
    ----------
    lists_ : dict of str to tuple of str
        The marker lists in use.
    matcher_ : MarkerMatcher
        Finds the phrases of all lists.
    feature_names_ : ndarray of str
        One name per column.
    """

    def __init__(self, *, lists=None):
        self.lists = lists

    def fit(self, X: Sequence[PairInstance], y=None):
        self.lists_ = resolve_lists(self.lists)
        self.matcher_ = MarkerMatcher(self.lists_)
        names = list(POSITION) + [f"{region}:{name}" for region in MARKER_REGIONS for name in self.lists_]
        self.feature_names_ = np.asarray(names, dtype=object)
        return self

    @reuse_rows
    def transform(self, X: Sequence[PairInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        docs: dict[int, tuple[MarkerIndex, SentenceIndex, DocTokens]] = {}
        units: dict[int, _UnitCache] = {}
        out = np.zeros((len(X), len(self.feature_names_)), dtype=np.float64)
        for r, pair in enumerate(X):
            key = id(pair.parsed)
            if key not in docs:
                tokens = tokens_of(pair.parsed)
                docs[key] = (marker_index(pair.document, self.matcher_), SentenceIndex(tokens), tokens)
            markers, sentences, tokens = docs[key]
            src, tgt = pair.source, pair.target
            for inst in (src, tgt):
                if id(inst) not in units:
                    units[id(inst)] = _UnitCache(inst, markers, sentences, tokens)
            s, t = units[id(src)], units[id(tgt)]
            d = pair.distance
            first, second = (src.unit, tgt.unit) if src.unit.start <= tgt.unit.start else (tgt.unit, src.unit)
            between = (first.end, second.start)
            gap = tokens.char_span(*between, "contract") if between[1] > between[0] else None
            last = src.n_paragraphs - 1
            shared = len(s.nouns & t.nouns)
            row = [
                # Signed distance scaled by the usual paragraph size; the sign gives the direction.
                d / 5,
                abs(d),
                abs(d) == 1,
                d > 0,
                s.sentence == t.sentence,
                max(abs(d) - 1, 0),
                src.paragraph == 0,
                src.paragraph == last and last > 0,
                src.n_in_paragraph,
                src.index_in_paragraph == 0,
                src.index_in_paragraph == src.n_in_paragraph - 1,
                tgt.index_in_paragraph == 0,
                tgt.index_in_paragraph == tgt.n_in_paragraph - 1,
                src.index_in_paragraph / max(src.n_in_paragraph - 1, 1),
                tgt.index_in_paragraph / max(tgt.n_in_paragraph - 1, 1),
                s.tokens,
                t.tokens,
                gap[1] - gap[0] if gap is not None else 0,
                shared,
                _jaccard(s.nouns, t.nouns),
                _jaccard(s.lemmas, t.lemmas),
                shared / len(t.nouns) if t.nouns else 0.0,
            ]
            row += markers.present(*between)
            row += s.shell_markers + t.shell_markers
            out[r] = row
        # Counts are log1p-scaled, all at once.
        out[:, _LOG_SCALED] = np.log1p(out[:, _LOG_SCALED])
        return sp.csr_matrix(out)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()


class PairSideVectorizer(TransformerMixin, BaseEstimator):
    """Apply a unit-level vectorizer to one side (source or target) of each pair.

    Each distinct unit is vectorised once and its row repeated for every pair it is part of, so a
    paragraph of n units costs n rows, not n(n-1); the inner vectorizer is also fitted on the
    distinct units, so that frequent units do not skew its document frequencies.

    Parameters
    ----------
    vectorizer : estimator, default=None
        A unit-level extractor (cloned in ``fit``); None means ``LexicalVectorizer()``.
    side : {"source", "target"}, default="source"
        Which unit of the pair to read.

    Attributes
    ----------
    vectorizer_ : estimator
        The fitted clone.
    """

    def __init__(self, *, vectorizer=None, side="source"):
        self.vectorizer = vectorizer
        self.side = side

    def _units(self, X: Sequence[PairInstance]) -> tuple[list[UnitInstance], np.ndarray]:
        if self.side not in ("source", "target"):
            raise UsageError(f"side must be 'source' or 'target', got {self.side!r}")
        # map and dicts, no Python loop over the pairs (every side extractor of a relation model reads them all)
        sides = list(map(attrgetter(self.side), X))
        ids = list(map(id, sides))
        by_id = dict(zip(ids, sides))  # the distinct units, in order of first sight
        row_of = dict(zip(by_id, range(len(by_id))))
        return list(by_id.values()), np.fromiter(map(row_of.__getitem__, ids), dtype=np.intp, count=len(ids))

    def fit(self, X: Sequence[PairInstance], y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Sequence[PairInstance], y=None) -> sp.csr_matrix:
        units, rows = self._units(X)
        self.vectorizer_ = clone(self.vectorizer if self.vectorizer is not None else LexicalVectorizer())
        return sp.csr_matrix(self.vectorizer_.fit_transform(units))[rows]

    @reuse_rows
    def transform(self, X: Sequence[PairInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        units, rows = self._units(X)
        return take_rows(sp.csr_matrix(self.vectorizer_.transform(units)), rows)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        names = self.vectorizer_.get_feature_names_out()
        return np.asarray([f"{self.side}:{n}" for n in names], dtype=object)
