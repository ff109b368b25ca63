"""Structural features: where a unit stands in its essay, paragraph and sentence, and how long it is."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Doc

from mining.instances import UnitInstance
from mining.schema import Unit


class SentenceIndex:
    """The sentence start offsets of one parsed document, to place any character offset in a sentence."""

    def __init__(self, doc: Doc):
        self.starts = [s.start_char for s in doc.sents]

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding character ``offset``."""
        return max(bisect_right(self.starts, offset) - 1, 0)

    def count_in(self, start: int, end: int) -> int:
        """How many sentences start inside ``[start, end)``."""
        return max(bisect_right(self.starts, end - 1) - bisect_right(self.starts, start - 1), 0)


def sentence_indexes(X: Sequence) -> dict[int, SentenceIndex]:
    """One ``SentenceIndex`` per parsed document of the instances, keyed by ``id`` of the Doc."""
    out: dict[int, SentenceIndex] = {}
    for inst in X:
        if id(inst.parsed) not in out:
            out[id(inst.parsed)] = SentenceIndex(inst.parsed)
    return out


def same_sentence(index: SentenceIndex, a: Unit | None, b: Unit | None) -> bool:
    """Whether both units exist and start in the same sentence."""
    return a is not None and b is not None and index.sentence_of(a.start) == index.sentence_of(b.start)


def _fraction(k: int, n: int) -> float:
    """Relative position ``k / (n - 1)`` in ``[0, 1]``; 0 when there is a single item."""
    return k / (n - 1) if n > 1 else 0.0


FEATURES = (
    # Stab & Gurevych (2017, sec. 5.1.1) "structural features": position of the covering
    # paragraph (intro and conclusion hold the major claims) ...
    "in_intro", "in_conclusion", "in_body", "paragraph_position",
    # ... position of the unit in its paragraph (claims tend to open or close body paragraphs) ...
    "first_in_paragraph", "last_in_paragraph", "only_in_paragraph",
    "index_in_paragraph", "units_in_paragraph", "position_in_paragraph",
    # ... token statistics of unit, covering sentence, preceding and following tokens ...
    "unit_tokens", "sentence_tokens", "unit_sentence_ratio", "preceding_tokens", "following_tokens",
    # ... punctuation in the unit, its shell and the covering sentence ...
    "unit_punct", "preceding_punct", "following_punct", "sentence_punct", "question",
    # ... and how the unit shares its sentence.
    "shell_empty", "covers_sentence", "unit_before_in_sentence", "unit_after_in_sentence",
    "units_in_sentence", "sentence_in_paragraph", "sentences_in_paragraph", "sentence_position",
    "first_sentence", "last_sentence",
)


class StructuralVectorizer(TransformerMixin, BaseEstimator):
    """Position and size features of each unit (Stab & Gurevych 2017, "structural" group).

    Counts are ``log1p``-scaled and positions are fractions in ``[0, 1]``, so that a linear model
    can weigh them beside TF-IDF values. The extractor learns nothing: ``fit`` only records the
    feature names.

    Attributes
    ----------
    feature_names_ : ndarray of str
        One name per column.

    Examples
    --------
    >>> StructuralVectorizer().fit(instances).get_feature_names_out()[:2]  # doctest: +SKIP
    array(['in_intro', 'in_conclusion'], dtype=object)
    """

    def __init__(self):
        pass

    def fit(self, X: Sequence[UnitInstance], y=None):
        self.feature_names_ = np.asarray(FEATURES, dtype=object)
        return self

    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        indexes = sentence_indexes(X)
        out = np.zeros((len(X), len(FEATURES)), dtype=np.float64)
        for r, inst in enumerate(X):
            out[r] = self._row(inst, indexes[id(inst.parsed)])
        return sp.csr_matrix(out)

    @staticmethod
    def _row(inst: UnitInstance, index: SentenceIndex) -> list[float]:
        doc, span, sentence = inst.parsed, inst.span, inst.sentence
        last = inst.n_paragraphs - 1
        k, n = inst.index_in_paragraph, inst.n_in_paragraph
        shell = doc[sentence.start:span.start]
        after = doc[span.end:span[-1].sent.end]
        n_unit, n_sentence = len(span), len(sentence)
        words_before = sum(1 for t in shell if not (t.is_punct or t.is_space))
        words_after = sum(1 for t in after if not (t.is_punct or t.is_space))
        before = same_sentence(index, inst.prev, inst.unit)
        following = same_sentence(index, inst.unit, inst.next)
        p_start, p_end = inst.paragraph_span
        j = index.sentence_of(inst.unit.start) - index.sentence_of(p_start)
        m = max(index.count_in(p_start, p_end), j + 1)
        punct = sum(1 for t in span if t.is_punct)
        return [
            inst.paragraph == 0,
            inst.paragraph == last and last > 0,
            0 < inst.paragraph < last,
            _fraction(inst.paragraph, inst.n_paragraphs),
            k == 0,
            k == n - 1,
            n == 1,
            np.log1p(k),
            np.log1p(n),
            _fraction(k, n),
            np.log1p(n_unit),
            np.log1p(n_sentence),
            min(n_unit / max(n_sentence, 1), 1.0),
            np.log1p(len(shell)),
            np.log1p(len(after)),
            np.log1p(punct),
            np.log1p(sum(1 for t in shell if t.is_punct)),
            np.log1p(sum(1 for t in after if t.is_punct)),
            np.log1p(sum(1 for t in sentence if t.is_punct)),
            sentence.text.rstrip().endswith("?") or inst.unit.text.rstrip().endswith("?"),
            words_before == 0,
            words_before == 0 and words_after == 0,
            before,
            following,
            (1 + before + following) / 3,
            np.log1p(j),
            np.log1p(m),
            _fraction(j, m),
            j == 0,
            j == m - 1,
        ]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()
