"""Structural features: where a unit stands in its essay, paragraph and sentence, and how long it is."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mining.features.columns import FixedColumnsMixin
from mining.features.window_groups import check_places, document_places
from mining.instances.units import UnitInstance, layout_key
from mining.nlp.sharing import reuse_rows
from mining.nlp.tokens import DocTokens, doc_tokens
from mining.schema import Unit


class SentenceIndex:
    """The sentence start offsets of one parsed document, to place any character offset in a sentence."""

    def __init__(self, tokens: DocTokens):
        self.starts = [tokens.idx[i] for i in tokens.sentence_starts]

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding character ``offset``."""
        return max(bisect_right(self.starts, offset) - 1, 0)

    def count_in(self, start: int, end: int) -> int:
        """How many sentences start inside ``[start, end)``."""
        return max(bisect_right(self.starts, end - 1) - bisect_right(self.starts, start - 1), 0)


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

# Counts, log1p-scaled column by column once the rows are filled.
_LOG_SCALED = [FEATURES.index(name) for name in (
    "index_in_paragraph", "units_in_paragraph", "unit_tokens", "sentence_tokens", "preceding_tokens",
    "following_tokens", "unit_punct", "preceding_punct", "following_punct", "sentence_punct",
    "sentence_in_paragraph", "sentences_in_paragraph",
)]


class StructuralVectorizer(FixedColumnsMixin, TransformerMixin, BaseEstimator):
    """Position and size features of each unit (Stab & Gurevych 2017, "structural" group).

    Counts are ``log1p``-scaled and positions are fractions in ``[0, 1]``, so that a linear model
    can weigh them beside TF-IDF values. The extractor learns nothing: ``fit`` only records the
    feature names.

    Parameters
    ----------
    paragraph_places : {"position", "headline"}, default="position"
        How the first four columns place the unit's paragraph: intro, conclusion or body by its position,
        and its relative position (essays); or headline, body or conclusion as ``window_groups.paragraph_places``
        tells them (news: a report's lede is no essay's introduction), ``in_intro`` and the relative position 0.

    Attributes
    ----------
    feature_names_ : ndarray of str
        One name per column.

    Examples
    --------
    >>> StructuralVectorizer().fit(instances).get_feature_names_out()[:2]  # doctest: +SKIP
    array(['in_intro', 'in_conclusion'], dtype=object)
    """

    FEATURES = FEATURES
    # A row reads the unit's span, neighbours and places only: instances rebuilt alike share it in a batch.
    row_key = staticmethod(layout_key)
    paragraph_places = "position"  # the default of bundles saved before the parameter

    def __init__(self, paragraph_places="position"):
        self.paragraph_places = paragraph_places

    def fit(self, X, y=None):
        check_places(self.paragraph_places)
        return super().fit(X, y)

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        check_places(self.paragraph_places)
        tokens = doc_tokens(X)
        indexes = {key: SentenceIndex(doc) for key, doc in tokens.items()}
        out = np.zeros((len(X), len(FEATURES)), dtype=np.float64)
        memo: dict[int, list[str]] = {}
        for r, inst in enumerate(X):
            out[r] = self._row(inst, indexes[id(inst.parsed)], tokens[id(inst.parsed)])
            if self.paragraph_places == "headline":  # no intro, no relative position; outside every paragraph no place
                places = document_places(inst.document, "headline", memo)
                place = places[inst.paragraph] if inst.paragraph >= 0 else None
                out[r, :4] = 0, place == "conclusion", place == "body", 0
        out[:, _LOG_SCALED] = np.log1p(out[:, _LOG_SCALED])
        return sp.csr_matrix(out)

    @staticmethod
    def _row(inst: UnitInstance, index: SentenceIndex, tokens: DocTokens) -> list[float]:
        """The features of one unit, with the ``_LOG_SCALED`` counts still raw."""
        start, end = inst.span.start, inst.span.end
        s_start, s_end = tokens.sentence(start)
        # The shell runs from the unit's first sentence; "after" to the end of its last one.
        after_end = tokens.sentence(end - 1)[1]
        last = inst.n_paragraphs - 1
        k, n = inst.index_in_paragraph, inst.n_in_paragraph
        punct, words = tokens.running("is_punct"), tokens.running("is_word")
        n_unit, n_sentence = end - start, s_end - s_start
        words_before = words[start] - words[s_start]
        words_after = words[after_end] - words[end]
        before = same_sentence(index, inst.prev, inst.unit)
        following = same_sentence(index, inst.unit, inst.next)
        p_start, p_end = inst.paragraph_span
        j = index.sentence_of(inst.unit.start) - index.sentence_of(p_start)
        m = max(index.count_in(p_start, p_end), j + 1)
        sentence_text = inst.document.text[tokens.idx[s_start]:tokens.end_char[s_end - 1]]
        return [
            inst.paragraph == 0,
            inst.paragraph == last and last > 0,
            0 < inst.paragraph < last,
            _fraction(inst.paragraph, inst.n_paragraphs),
            k == 0,
            k == n - 1,
            n == 1,
            k,
            n,
            _fraction(k, n),
            n_unit,
            n_sentence,
            min(n_unit / max(n_sentence, 1), 1.0),
            start - s_start,
            after_end - end,
            punct[end] - punct[start],
            punct[start] - punct[s_start],
            punct[after_end] - punct[end],
            punct[s_end] - punct[s_start],
            sentence_text.rstrip().endswith("?") or inst.unit.text.rstrip().endswith("?"),
            words_before == 0,
            words_before == 0 and words_after == 0,
            before,
            following,
            (1 + before + following) / 3,
            j,
            m,
            _fraction(j, m),
            j == 0,
            j == m - 1,
        ]
