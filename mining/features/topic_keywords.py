"""Topic keyword features: how many of the words of its text's topic label a unit mentions."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.features.columns import FixedColumnsMixin
from mining.features.topic import crude_stem
from mining.instances.units import UnitInstance
from mining.nlp.sharing import reuse_rows

FEATURES = ("has_topic", "topic_coverage", "mentions_topic")
# Topic labels are identifiers such as "introduce_capital_punishment": words are the letter runs.
_LABEL_WORD = re.compile(r"[^\W\d_]+")


def topic_keywords(topic: str | None, *, min_length: int = 3) -> frozenset[str]:
    """Stemmed words of a topic label, without short words ("on", "of", "BA")."""
    if not topic:
        return frozenset()
    return frozenset(crude_stem(w) for w in _LABEL_WORD.findall(topic) if len(w) >= min_length)


class TopicKeywordVectorizer(FixedColumnsMixin, TransformerMixin, BaseEstimator):
    """Overlap of each unit's words with the keywords of its document's topic label.

    The microtexts were written to a trigger question (``topic_id`` such as
    ``introduce_capital_punishment``), and the central claim usually answers it in its words
    ("Capital punishment should not be introduced"). ``TopicSimilarityVectorizer`` compares
    with a topic given as prose; a label joined by underscores is one token to it. A unit
    matches a keyword through its lowercased form or its lemma, both plural-stripped.

    Parameters
    ----------
    min_length : int, default=3
        Shorter label words are ignored.

    Attributes
    ----------
    feature_names_ : ndarray of str
        ``has_topic`` (the document has a label), ``topic_coverage`` (share of its keywords the
        unit mentions) and ``mentions_topic`` (at least one).

    Examples
    --------
    >>> sorted(topic_keywords("introduce_capital_punishment"))
    ['capital', 'introduce', 'punishment']
    """

    FEATURES = FEATURES

    def __init__(self, *, min_length=3):
        self.min_length = min_length

    def fit(self, X: Sequence[UnitInstance], y=None):
        if not isinstance(self.min_length, int) or self.min_length < 1:
            raise UsageError(f"min_length must be a positive int, got {self.min_length!r}")
        return super().fit(X, y)

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        keywords: dict[int, frozenset[str]] = {}
        out = np.zeros((len(X), len(FEATURES)), dtype=np.float64)
        for r, inst in enumerate(X):
            doc = inst.document
            if id(doc) not in keywords:
                keywords[id(doc)] = topic_keywords(doc.topic, min_length=self.min_length)
            words = keywords[id(doc)]
            if not words:
                continue
            forms = {crude_stem(t.lower_) for t in inst.span} | {crude_stem(t.lemma_) for t in inst.span}
            covered = len(words & forms)
            out[r] = [1.0, covered / len(words), float(covered > 0)]
        return sp.csr_matrix(out)
