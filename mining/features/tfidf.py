"""Keep a fitted TfidfVectorizer as two arrays (terms, idf), so saved models stay small and fast to write."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from mining.features.fitted import derived


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
    """The fitted vectorizer of ``owner``, thawed from ``terms`` and ``idf`` once per fit (``fitted.derived``)."""
    return derived(owner, "tfidf", terms, lambda: thaw(make(), terms, idf))
