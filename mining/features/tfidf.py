"""Keep a fitted TfidfVectorizer as two arrays (terms, idf), so saved models stay small and fast to write;
and transform with it at less cost."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain, repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from mining.nlp.sharing import once_per_fit


def freeze(vectorizer: TfidfVectorizer) -> tuple[np.ndarray, np.ndarray]:
    """The fitted state of ``vectorizer``: its terms in column order and their idf weights.

    skops writes a ``vocabulary_`` dict entry by entry into its JSON schema (tens of MB for the
    AAEC n-grams); two arrays are written as ``.npy`` files instead.
    """
    return np.asarray(vectorizer.get_feature_names_out(), dtype=str), np.asarray(vectorizer.idf_, dtype=np.float64)


def thaw(vectorizer: TfidfVectorizer, terms: np.ndarray, idf: np.ndarray) -> TfidfVectorizer:
    """Turn an unfitted ``vectorizer`` with the fit-time settings into the fitted one again."""
    vectorizer.set_params(vocabulary={term: i for i, term in enumerate(terms.tolist())})
    vectorizer.idf_ = idf
    return vectorizer


def thawed(owner: object, make: Callable[[], TfidfVectorizer], terms: np.ndarray, idf: np.ndarray) -> TfidfVectorizer:
    """The fitted vectorizer of ``owner``, thawed from ``terms`` and ``idf`` once per fit
    (``mining.nlp.sharing.once_per_fit``)."""
    return once_per_fit(owner, "tfidf", terms, lambda: thaw(make(), terms, idf))


def transform(vectorizer: TfidfVectorizer, documents: Iterable,
              analyze: Callable[[Any], list[str]] | None = None) -> sp.csr_matrix:
    """``vectorizer.transform(documents)`` for a thawed vectorizer, the same matrix to the last bit.

    scikit-learn counts the terms of a document in a Python loop with a try block per term; here the
    terms of all documents are looked up in one ``map`` and counted with one ``np.unique``, which
    costs a fraction of that for the labeller's TF-IDF features. The
    weighting steps are scikit-learn's, in its order: binary, sublinear tf, idf, norm. ``analyze``,
    if given, must give what the vectorizer's own analyzer gives (a caller's shared copy of it).
    """
    analyze = vectorizer.build_analyzer() if analyze is None else analyze
    vocabulary = vectorizer.vocabulary
    n_terms = len(vocabulary)
    analysed = [analyze(document) for document in documents]
    lengths = np.fromiter(map(len, analysed), dtype=np.int64, count=len(analysed))
    found = np.fromiter(map(vocabulary.get, chain.from_iterable(analysed), repeat(-1)), dtype=np.int64,
                        count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(analysed), dtype=np.int64), lengths)
    known = found >= 0
    # Each (document, term) once, sorted by document then term, with its count: CSR arrays with sorted indices.
    keys, counts = np.unique(rows[known] * n_terms + found[known], return_counts=True)
    indptr = np.zeros(len(analysed) + 1, dtype=np.int32)
    np.cumsum(np.bincount(keys // n_terms, minlength=len(analysed)), out=indptr[1:])
    matrix = sp.csr_matrix((counts.astype(np.float64), (keys % n_terms).astype(np.int32), indptr),
                           shape=(len(analysed), n_terms))
    matrix.has_sorted_indices = True
    if vectorizer.binary:
        matrix.data.fill(1)
    if vectorizer.sublinear_tf:
        np.log(matrix.data, matrix.data)
        matrix.data += 1.0
    if vectorizer.use_idf:
        matrix.data *= vectorizer.idf_[matrix.indices]
    if vectorizer.norm == "l2":
        # What normalize() runs for a float64 CSR matrix, without its argument checks: a labelling
        # batch calls this for each of a dozen extractors, and the checks cost more than the work.
        inplace_csr_row_normalize_l2(matrix)
    elif vectorizer.norm is not None:
        matrix = normalize(matrix, norm=vectorizer.norm, copy=False)
    return matrix
