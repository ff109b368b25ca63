"""Syntactic features: part-of-speech n-grams, parse-tree depth, tense, modals and clause structure of a unit."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Doc

from mining.features.lexical import part_ngrams
from mining.features.tfidf import freeze, thaw
from mining.instances import UnitInstance

# Tense of the unit's main verb, read from its finite auxiliary when there is one ("has been
# shown" -> VBZ, "could improve" -> MD). Stab & Gurevych (2017, sec. 5.1.1) use the tense of
# the main verb and the presence of modals as syntactic features.
TENSES = ("MD", "VBD", "VBZ", "VBP", "VB", "VBG", "VBN", "none")
FINITE = frozenset({"MD", "VBD", "VBZ", "VBP"})
# How the unit's root attaches to the rest of its sentence: a unit that is the sentence's main
# clause tends to be a claim, one in an adverbial clause ("because ...") a premise.
ROOT_DEPS = ("ROOT", "ccomp", "advcl", "conj", "relcl", "xcomp", "acl", "pcomp", "pobj", "other")
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "csubj", "csubjpass", "parataxis"})
DENSE = (
    "max_depth", "root_depth", "root_is_sentence_root", "has_modal", "has_negation", "passive",
    "clauses", "starts_with_mark", "starts_with_wh", "shell_ends_with_mark", "has_subordinate_clause",
    *(f"tense={t}" for t in TENSES),
    *(f"root_dep={d}" for d in ROOT_DEPS),
)


def token_depths(doc: Doc) -> list[int]:
    """Depth of every token below its sentence root (roots have depth 0), memoised along head paths."""
    heads = [t.head.i for t in doc]
    depth = [-1] * len(doc)
    for i in range(len(doc)):
        path = []
        j = i
        while depth[j] < 0 and heads[j] != j:
            path.append(j)
            j = heads[j]
        d = depth[j] if depth[j] >= 0 else 0
        depth[j] = d
        for p in reversed(path):
            d += 1
            depth[p] = d
    return depth


class SyntaxVectorizer(TransformerMixin, BaseEstimator):
    """POS n-grams (TF-IDF over fine-grained tags) and parse features of each unit.

    Parameters
    ----------
    pos_ngram_range : tuple of int, default=(1, 3)
        Smallest and largest length of the tag n-grams.
    min_df : int or float, default=2
        Ignore tag n-grams in fewer units.
    max_features : int, default=None
        Keep only the most frequent tag n-grams.

    Attributes
    ----------
    pos_terms_, pos_idf_ : ndarray
        The tag n-grams in column order and their idf weights.
    feature_names_ : ndarray of str
        ``pos:<tags>`` columns, then the fixed parse features.
    """

    def __init__(self, *, pos_ngram_range=(1, 3), min_df=2, max_features=None):
        self.pos_ngram_range = pos_ngram_range
        self.min_df = min_df
        self.max_features = max_features

    def _tfidf(self) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=partial(part_ngrams, ngram_range=tuple(self.pos_ngram_range)),
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float64,
        )

    def fit(self, X: Sequence[UnitInstance], y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Sequence[UnitInstance], y=None) -> sp.csr_matrix:
        vectorizer = self._tfidf()
        pos = vectorizer.fit_transform([self._tags(inst) for inst in X])
        self.pos_terms_, self.pos_idf_ = freeze(vectorizer)
        names = [f"pos:{n}" for n in self.pos_terms_.tolist()]
        self.feature_names_ = np.asarray(names + list(DENSE), dtype=object)
        return sp.hstack([pos, self._dense(X)], format="csr")

    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        pos = thaw(self._tfidf(), self.pos_terms_, self.pos_idf_).transform([self._tags(inst) for inst in X])
        return sp.hstack([pos, self._dense(X)], format="csr")

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()

    @staticmethod
    def _tags(inst: UnitInstance) -> tuple[list[str]]:
        return ([t.tag_ for t in inst.span if not t.is_space],)

    def _dense(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        depths: dict[int, list[int]] = {}
        out = np.zeros((len(X), len(DENSE)), dtype=np.float64)
        column = {name: c for c, name in enumerate(DENSE)}
        for r, inst in enumerate(X):
            key = id(inst.parsed)
            if key not in depths:
                depths[key] = token_depths(inst.parsed)
            row = out[r]
            for name, value in self._features(inst, depths[key]).items():
                row[column[name]] = value
        return sp.csr_matrix(out)

    @staticmethod
    def _features(inst: UnitInstance, depth: list[int]) -> dict[str, float]:
        span, doc = inst.span, inst.parsed
        root = span.root
        span_depths = [depth[t.i] for t in span]
        first = span[0]
        tense = "none"
        for tok in sorted([root, *(c for c in root.children if c.dep_ in ("aux", "auxpass"))], key=lambda t: t.i):
            if tok.tag_ in FINITE:
                tense = tok.tag_
                break
        else:
            if root.pos_ in ("VERB", "AUX") and root.tag_ in TENSES:
                tense = root.tag_
        dep = root.dep_ if root.dep_ in ROOT_DEPS else "other"
        clauses = sum(1 for t in span if t.dep_ in CLAUSE_DEPS)
        return {
            # Depths are divided by 10: AAEC units rarely reach depth 10.
            "max_depth": max(span_depths) / 10,
            "root_depth": depth[root.i] / 10,
            "root_is_sentence_root": float(root.head.i == root.i),
            "has_modal": float(any(t.tag_ == "MD" for t in span)),
            "has_negation": float(any(t.dep_ == "neg" for t in span)),
            "passive": float(any(t.dep_ in ("auxpass", "nsubjpass") for t in span)),
            "clauses": np.log1p(clauses),
            "starts_with_mark": float(first.dep_ == "mark" or first.pos_ == "SCONJ"),
            "starts_with_wh": float(first.tag_ in ("WDT", "WP", "WRB")),
            "shell_ends_with_mark": float(span.start > 0 and doc[span.start - 1].dep_ == "mark"),
            "has_subordinate_clause": float(any(t.dep_ == "advcl" for t in span)),
            f"tense={tense}": 1.0,
            f"root_dep={dep}": 1.0,
        }
