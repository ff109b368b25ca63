"""Frozen TF-IDF vectorizers: thawed once per fit, and transformed to scikit-learn's matrix bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from mining.features import tfidf
from mining.nlp.sharing import once_per_fit

# Written for this test.
TEXTS = [
    "The ferry runs twice a day, and the ferry is always late.",
    "Islanders say the harbour needs a second pier.",
    "A second pier would cost more than the council can pay.",
    "Nobody asked the fishermen, who use the harbour every night.",
    "Late, late, late: the ferry again.",
    "",
]


@pytest.mark.parametrize("options", [
    {},
    {"sublinear_tf": True},
    {"binary": True, "norm": None},
    {"norm": "l1"},
    {"stop_words": "english", "ngram_range": (1, 2)},
    {"analyzer": lambda words: words},  # token lists, as the unit extractors pass them
], ids=["default", "sublinear", "binary-unnormalised", "l1", "bigrams-stop-words", "callable-analyzer"])
def test_transform_equals_scikit_learn_bit_for_bit(options):
    texts = [t.lower().split() for t in TEXTS] if "analyzer" in options else TEXTS
    fitted = TfidfVectorizer(**options).fit(texts[:4])
    vectorizer = tfidf.thaw(TfidfVectorizer(**options), *tfidf.freeze(fitted))
    ours, theirs = tfidf.transform(vectorizer, texts), fitted.transform(texts)
    assert ours.shape == theirs.shape and ours.has_sorted_indices
    assert np.array_equal(ours.indptr, theirs.indptr) and np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)  # exact, not close


def test_thawed_once_per_fit_and_afresh_after_a_refit():
    class Extractor:  # a fitted extractor keeps plain arrays
        pass

    owner = Extractor()
    owner.terms_, owner.idf_ = tfidf.freeze(TfidfVectorizer().fit(TEXTS[:2]))
    first = tfidf.thawed(owner, TfidfVectorizer, owner.terms_, owner.idf_)
    assert tfidf.thawed(owner, TfidfVectorizer, owner.terms_, owner.idf_) is first
    owner.terms_, owner.idf_ = tfidf.freeze(TfidfVectorizer().fit(TEXTS[2:4]))  # a refit: new arrays
    again = tfidf.thawed(owner, TfidfVectorizer, owner.terms_, owner.idf_)
    assert again is not first and set(again.vocabulary) == set(owner.terms_.tolist())
    # Each name is its own lookup.
    assert once_per_fit(owner, "size", owner.terms_, lambda: len(owner.terms_)) == len(owner.terms_)
