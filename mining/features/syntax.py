"""Syntactic features: part-of-speech n-grams, parse-tree depth, tense, modals and clause structure of a unit."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from mining.features import tfidf
from mining.features.lexical import checked_range, part_ngrams
from mining.features.tfidf import freeze, thawed
from mining.instances.units import UnitInstance
from mining.nlp.sharing import reuse_rows
from mining.nlp.tokens import DocTokens, doc_tokens

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
            analyzer=partial(part_ngrams, ngram_range=checked_range(self, "pos_ngram_range")),
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float64,
        )

    def fit(self, X: Sequence[UnitInstance], y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Sequence[UnitInstance], y=None) -> sp.csr_matrix:
        tokens = doc_tokens(X)
        vectorizer = self._tfidf()
        pos = vectorizer.fit_transform(self._tags(X, tokens))
        self.pos_terms_, self.pos_idf_ = freeze(vectorizer)
        names = [f"pos:{n}" for n in self.pos_terms_.tolist()]
        self.feature_names_ = np.asarray(names + list(DENSE), dtype=object)
        return sp.hstack([pos, self._dense(X, tokens)], format="csr")

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        tokens = doc_tokens(X)
        pos = tfidf.transform(thawed(self, self._tfidf, self.pos_terms_, self.pos_idf_), self._tags(X, tokens))
        return sp.hstack([pos, self._dense(X, tokens)], format="csr")

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()

    @staticmethod
    def _tags(X: Sequence[UnitInstance], tokens: dict[int, DocTokens]) -> list[tuple[list[str]]]:
        out = []
        for inst in X:
            doc, span = tokens[id(inst.parsed)], inst.span
            out.append((doc.without_space(doc.tag, span.start, span.end),))
        return out

    def _dense(self, X: Sequence[UnitInstance], tokens: dict[int, DocTokens]) -> sp.csr_matrix:
        out = np.zeros((len(X), len(DENSE)), dtype=np.float64)
        column = {name: c for c, name in enumerate(DENSE)}
        for r, inst in enumerate(X):
            row = out[r]
            for name, value in self._features(inst, tokens[id(inst.parsed)]).items():
                row[column[name]] = value
        return sp.csr_matrix(out)

    @staticmethod
    def _features(inst: UnitInstance, tokens: DocTokens) -> dict[str, float]:
        span = inst.span
        start, end = span.start, span.end
        # Span.root (computed in C) is the one Token built per unit; the rest reads lists.
        root = span.root.i
        tag, dep, pos, heads, depth = tokens.tag, tokens.dep, tokens.pos, tokens.heads, tokens.depth
        tags, deps = tag[start:end], dep[start:end]
        tense = "none"
        for j in sorted([root, *(c for c in tokens.children[root] if dep[c] in ("aux", "auxpass"))]):
            if tag[j] in FINITE:
                tense = tag[j]
                break
        else:
            if pos[root] in ("VERB", "AUX") and tag[root] in TENSES:
                tense = tag[root]
        root_dep = dep[root] if dep[root] in ROOT_DEPS else "other"
        clauses = sum(1 for d in deps if d in CLAUSE_DEPS)
        return {
            # Depths are divided by 10: AAEC units rarely reach depth 10.
            "max_depth": max(depth[start:end]) / 10,
            "root_depth": depth[root] / 10,
            "root_is_sentence_root": float(heads[root] == root),
            "has_modal": float("MD" in tags),
            "has_negation": float("neg" in deps),
            "passive": float("auxpass" in deps or "nsubjpass" in deps),
            "clauses": np.log1p(clauses),
            "starts_with_mark": float(dep[start] == "mark" or pos[start] == "SCONJ"),
            "starts_with_wh": float(tag[start] in ("WDT", "WP", "WRB")),
            "shell_ends_with_mark": float(start > 0 and dep[start - 1] == "mark"),
            "has_subordinate_clause": float("advcl" in deps),
            f"tense={tense}": 1.0,
            f"root_dep={root_dep}": 1.0,
        }
