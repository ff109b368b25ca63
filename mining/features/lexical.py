"""Lexical features: TF-IDF weighted token n-grams of a unit's text and of its sentence shell."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.validation import check_is_fitted

from mining.features import tfidf
from mining.features.tfidf import freeze, thawed
from mining.instances.units import UnitInstance, once_per_span
from mining.nlp.sharing import once_per_batch, reuse_rows
from mining.nlp.tokens import DocTokens, doc_tokens

SENTENCE_START = "<s>"
SENTENCE_END = "</s>"
UNIT = "<u>"
AFTER = "after:"


def part_ngrams(parts: Sequence[Sequence[str]], ngram_range: tuple[int, int]) -> list[str]:
    """Space-joined n-grams of each token sequence in ``parts``, never across two parts."""
    lo, hi = ngram_range
    out = []
    for tokens in parts:
        for n in range(lo, min(hi, len(tokens)) + 1):
            # zip of shifted copies: the n-grams in order, without a slice per position.
            out.extend(tokens if n == 1 else map(" ".join, zip(*(tokens[k:] for k in range(n)))))
    return out


def checked_range(estimator: BaseEstimator, name: str) -> tuple[int, int]:
    """The n-gram range ``estimator.<name>`` as a tuple, refused in scikit-learn's words unless it is two whole
    numbers ``1 <= min <= max`` (a config's ``[1,a]`` failed deep inside fitting)."""
    value = getattr(estimator, name)
    pair = tuple(value) if isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, str) else ()
    if len(pair) != 2 or not all(isinstance(n, Integral) and not isinstance(n, bool) for n in pair) \
            or not 1 <= pair[0] <= pair[1]:
        raise InvalidParameterError(f"The '{name}' parameter of {type(estimator).__name__} must be two whole numbers "
                                    f"[min, max] with 1 <= min <= max. Got {value!r} instead.")
    return pair


class _TokenNgramVectorizer(TransformerMixin, BaseEstimator):
    """Base class: TF-IDF over n-grams of token sequences that a subclass reads from each instance.

    spaCy's tokens are used instead of ``TfidfVectorizer``'s default pattern, which drops
    punctuation and one-letter words: "I" and "," are among the strongest shell cues
    (Stab & Gurevych 2017, sec. 5.1.1: lexical and indicator features).
    """

    prefix = ""

    def _parts(self, inst: UnitInstance, tokens: DocTokens) -> tuple[list[str], ...]:
        raise NotImplementedError

    def _all_parts(self, X: Sequence[UnitInstance]) -> list[tuple[list[str], ...]]:
        # The parts do not depend on the n-gram settings: extractors of one class share them. They depend on
        # the parse and the unit's span only, so instances rebuilt for the same unit (after typing drops
        # some units) share them too.
        docs = doc_tokens(X)
        return [once_per_span((type(self), "parts"), inst, lambda inst=inst: self._parts(inst, docs[id(inst.parsed)]))
                for inst in X]

    def _ngrams(self, parts: tuple[list[str], ...]) -> list[str]:
        """``part_ngrams`` of ``parts``, once per sharing() block for the extractors of one n-gram range."""
        ngram_range = tuple(self.ngram_range)
        return once_per_batch(("ngrams", ngram_range), parts, lambda: part_ngrams(parts, ngram_range))

    def _tfidf(self) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=partial(part_ngrams, ngram_range=checked_range(self, "ngram_range")),
            min_df=self.min_df,
            max_features=self.max_features,
            binary=self.binary,
            sublinear_tf=self.sublinear_tf,
            dtype=np.float64,
        )

    def fit(self, X: Sequence[UnitInstance], y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Sequence[UnitInstance], y=None) -> sp.csr_matrix:
        vectorizer = self._tfidf()
        matrix = vectorizer.fit_transform(self._all_parts(X)).tocsr()
        self.terms_, self.idf_ = freeze(vectorizer)
        return matrix

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        return tfidf.transform(thawed(self, self._tfidf, self.terms_, self.idf_), self._all_parts(X), self._ngrams)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        names = self.terms_.tolist()
        return np.asarray([self.prefix + name for name in names], dtype=object)


class LexicalVectorizer(_TokenNgramVectorizer):
    """TF-IDF weighted, lowercased token n-grams of the unit's own text.

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 2)
        Smallest and largest n-gram length.
    min_df : int or float, default=2
        Ignore n-grams in fewer units (``TfidfVectorizer`` semantics).
    max_features : int, default=None
        Keep only the most frequent n-grams.
    binary : bool, default=True
        Count presence, not frequency (units are short).
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)``; no effect when ``binary``.

    Attributes
    ----------
    terms_ : ndarray of str
        The n-grams, in column order.
    idf_ : ndarray of float
        Their inverse document frequencies.

    Examples
    --------
    >>> from sklearn.pipeline import Pipeline  # doctest: +SKIP
    >>> from sklearn.svm import LinearSVC  # doctest: +SKIP
    >>> Pipeline([("lexical", LexicalVectorizer()), ("svm", LinearSVC())]).fit(instances, labels)  # doctest: +SKIP
    """

    def __init__(self, *, ngram_range=(1, 2), min_df=2, max_features=None, binary=True, sublinear_tf=True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.binary = binary
        self.sublinear_tf = sublinear_tf

    def _parts(self, inst: UnitInstance, tokens: DocTokens) -> tuple[list[str], ...]:
        span = inst.span
        return (tokens.words(span.start, span.end),)


class ShellVectorizer(_TokenNgramVectorizer):
    """TF-IDF n-grams of the unit's shell: its sentence before the unit, and (as ``after:``) after it.

    The shell ("Therefore, I believe that <unit>") is where Stab & Gurevych (2017) find most of
    the evidence for a unit's role. Boundary tokens ``<s>``, ``<u>`` and ``</s>`` let n-grams say
    where a word stands: ``<s> however ,`` starts the sentence, ``that <u>`` is next to the unit.

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 3)
        Smallest and largest n-gram length.
    min_df : int or float, default=2
        Ignore n-grams in fewer units.
    max_features : int, default=None
        Keep only the most frequent n-grams.
    binary : bool, default=True
        Count presence, not frequency.
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)``; no effect when ``binary``.

    Attributes
    ----------
    vectorizer_ : TfidfVectorizer
        The fitted vectorizer.
    """

    def __init__(self, *, ngram_range=(1, 3), min_df=2, max_features=None, binary=True, sublinear_tf=True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.binary = binary
        self.sublinear_tf = sublinear_tf

    def _parts(self, inst: UnitInstance, tokens: DocTokens) -> tuple[list[str], ...]:
        span = inst.span
        before = [SENTENCE_START, *tokens.words(tokens.sentence(span.start)[0], span.start), UNIT]
        # The rest of the sentence in which the unit ends (a unit may run over a sentence break).
        after = [UNIT, *tokens.words(span.end, tokens.sentence(span.end - 1)[1]), SENTENCE_END]
        return before, [AFTER + t for t in after]
