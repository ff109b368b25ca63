"""Opening-word features: the first few lemmas of a unit and of its neighbours, each with its position."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Span

from mining.errors import UsageError
from mining.instances.units import UnitInstance
from mining.nlp.sharing import once_per_fit, reuse_rows

POSITIONS = ("self", "prev", "next")
NONE = "none"


def opening_lemmas(span: Span, n_tokens: int) -> list[str]:
    """The lowercased lemmas of the first ``n_tokens`` non-space tokens of ``span``."""
    out = []
    for token in span:
        if len(out) == n_tokens:
            break
        if not token.is_space:
            out.append(token.lemma_.lower())
    return out


class OpeningVectorizer(TransformerMixin, BaseEstimator):
    """Binary ``<position>:<k>=<lemma>`` features of the first lemmas of a unit and its neighbours.

    When a unit is a whole sentence, its discourse marker and the framing of an opponent's voice
    ("However ,", "Admittedly", "Of course", "Some say") are its first words, not its sentence
    shell, and where a word stands matters: "but" first is a contrast, "but" later often not.
    Peldszus & Stede (2015) use the first three lemmas of a segment and, as context, of the
    segments before and after it. Neighbours are the previous and next unit of the paragraph
    (a microtext is one paragraph); a missing neighbour gives ``prev:none``/``next:none``.

    Parameters
    ----------
    n_tokens : int, default=3
        How many leading tokens (punctuation included, whitespace not) to read.
    min_df : int, default=2
        Keep features seen in at least this many training units.
    positions : sequence of {"self", "prev", "next"}, default=("self", "prev", "next")
        Whose opening words to read.

    Attributes
    ----------
    terms_ : ndarray of str
        The kept features, in column order.

    Examples
    --------
    >>> vec = OpeningVectorizer(n_tokens=2, positions=("self",)).fit(instances)  # doctest: +SKIP
    >>> vec.get_feature_names_out()[:2]  # doctest: +SKIP
    array(['self:0=however', 'self:1=,'], dtype=object)
    """

    def __init__(self, *, n_tokens=3, min_df=2, positions=POSITIONS):
        self.n_tokens = n_tokens
        self.min_df = min_df
        self.positions = positions

    def _features(self, inst: UnitInstance) -> set[str]:
        out = set()
        for position in self.positions:
            if position == "self":
                span = inst.span
            else:
                neighbour = getattr(inst, position)
                if neighbour is None:
                    out.add(f"{position}:{NONE}")
                    continue
                span = inst.parsed.char_span(neighbour.start, neighbour.end, alignment_mode="expand")
                if span is None:  # offsets outside the text, which validation rejects
                    raise ValueError(f"unit {neighbour.id} of {inst.document.id} cannot be aligned to tokens")
            out.update(f"{position}:{k}={lemma}" for k, lemma in enumerate(opening_lemmas(span, self.n_tokens)))
        return out

    def fit(self, X: Sequence[UnitInstance], y=None):
        unknown = set(self.positions) - set(POSITIONS)
        if unknown or not self.positions:
            raise UsageError(f"positions must be some of {POSITIONS}, got {self.positions!r}")
        if not isinstance(self.n_tokens, int) or self.n_tokens < 1:
            raise UsageError(f"n_tokens must be a positive int, got {self.n_tokens!r}")
        counts = Counter(f for inst in X for f in self._features(inst))
        self.terms_ = np.asarray(sorted(f for f, n in counts.items() if n >= self.min_df), dtype=str)
        return self

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        column = once_per_fit(self, "column", self.terms_, lambda: {t: j for j, t in enumerate(self.terms_.tolist())})
        rows, cols = [], []
        for r, inst in enumerate(X):
            for f in self._features(inst):
                j = column.get(f)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        data = np.ones(len(rows), dtype=np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(X), len(self.terms_)))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.terms_.astype(object)
