"""Keep a fitted TfidfVectorizer as two arrays (terms, idf), so saved models stay small and fast to write;
and transform with it at less cost."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
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
    """The fitted vectorizer of ``owner``, thawed from ``terms`` and ``idf`` once per fit (``mining.nlp.sharing.once_per_fit``)."""
    return once_per_fit(owner, "tfidf", terms, lambda: thaw(make(), terms, idf))


def transform(vectorizer: TfidfVectorizer, documents: Iterable,
              analyze: Callable[[Any], list[str]] | None = None) -> sp.csr_matrix:
    """``vectorizer.transform(documents)`` for a thawed vectorizer, the same matrix to the last bit.

    scikit-learn counts the terms of a document in a Python loop with a try block per term;
    ``Counter`` counts them in C, which halves the cost of the labeller's TF-IDF features. The
    weighting steps are scikit-learn's, in its order: binary, sublinear tf, idf, norm. ``analyze``,
    if given, must give what the vectorizer's own analyzer gives (a caller's shared copy of it).
    """
    analyze = vectorizer.build_analyzer() if analyze is None else analyze
    vocabulary = vectorizer.vocabulary
    get = vocabulary.get
    indptr, indices, counts = [0], [], []
    for document in documents:
        found = Counter([i for i in map(get, analyze(document)) if i is not None])
        indices += found.keys()
        counts += found.values()
        indptr.append(len(indices))
    matrix = sp.csr_matrix((np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int32),
                            np.asarray(indptr, dtype=np.int32)), shape=(len(indptr) - 1, len(vocabulary)))
    matrix.sort_indices()
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
