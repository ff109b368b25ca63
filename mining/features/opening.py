"""Opening-word features: the first lemmas of a unit, of its neighbours and of the text around it, by position."""

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
from mining.nlp.tokens import DocTokens, doc_tokens

# Units: the unit itself and its neighbouring units in the paragraph (the default).
POSITIONS = ("self", "prev", "next")
# Text around the unit, whether or not it holds units: its paragraph and the sentences before and after
# the unit's sentence(s) in that paragraph.
TEXT_POSITIONS = ("paragraph", "previous_sentence", "next_sentence")
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
    """Binary ``<position>:<k>=<lemma>`` features of the first lemmas of a unit and of the text around it.

    When a unit is a whole sentence, its discourse marker and the framing of an opponent's voice
    ("However ,", "Admittedly", "Of course", "Some say") are its first words, not its sentence
    shell, and where a word stands matters: "but" first is a contrast, "but" later often not.
    Peldszus & Stede (2015) use the first three lemmas of a segment and, as context, of the
    segments before and after it. Neighbours are the previous and next unit of the paragraph
    (a microtext is one paragraph); a missing neighbour gives ``prev:none``/``next:none``.

    An essay's claim is most often a clause inside a sentence, and what frames it as the other
    side's view opens the text around it instead: the paragraph ("On the other hand, ..."), the
    sentence before it ("Some people argue that ...") and the sentence answering it ("However,
    ..."; Stab & Gurevych 2017, sec. 3). ``paragraph`` reads the first lemmas of the unit's
    paragraph, ``previous_sentence`` of the sentence before the one the unit starts in and
    ``next_sentence`` of the sentence after the one it ends in, both within the paragraph;
    a missing sentence gives ``previous_sentence:none``/``next_sentence:none``.

    Parameters
    ----------
    n_tokens : int, default=3
        How many leading tokens (punctuation included, whitespace not) to read.
    min_df : int, default=2
        Keep features seen in at least this many training units.
    positions : sequence of str, default=("self", "prev", "next")
        Whose opening words to read: some of ``POSITIONS`` ("self", "prev", "next") and
        ``TEXT_POSITIONS`` ("paragraph", "previous_sentence", "next_sentence").

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

    def _features(self, inst: UnitInstance, tokens: DocTokens) -> set[str]:
        out = set()
        for position in self.positions:
            if position in TEXT_POSITIONS:
                found = text_opening(inst, tokens, position, self.n_tokens)
                if found is None:
                    out.add(f"{position}:{NONE}")
                else:
                    out.update(f"{position}:{k}={lemma}" for k, lemma in enumerate(found))
                continue
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

    def _all_features(self, X: Sequence[UnitInstance]) -> list[set[str]]:
        tables = doc_tokens(X)
        return [self._features(inst, tables[id(inst.parsed)]) for inst in X]

    def fit(self, X: Sequence[UnitInstance], y=None):
        known = POSITIONS + TEXT_POSITIONS
        unknown = set(self.positions) - set(known)
        if unknown or not self.positions:
            raise UsageError(f"positions must be some of {known}, got {self.positions!r}")
        if not isinstance(self.n_tokens, int) or self.n_tokens < 1:
            raise UsageError(f"n_tokens must be a positive int, got {self.n_tokens!r}")
        counts = Counter(f for features in self._all_features(X) for f in features)
        self.terms_ = np.asarray(sorted(f for f, n in counts.items() if n >= self.min_df), dtype=str)
        return self

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        column = once_per_fit(self, "column", self.terms_, lambda: {t: j for j, t in enumerate(self.terms_.tolist())})
        rows, cols = [], []
        for r, features in enumerate(self._all_features(X)):
            for f in features:
                j = column.get(f)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        data = np.ones(len(rows), dtype=np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(X), len(self.terms_)))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.terms_.astype(object)


def paragraph_sentences(inst: UnitInstance, tokens: DocTokens) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the sentences that start inside the unit's paragraph."""
    span = tokens.char_span(*inst.paragraph_span, "expand")
    if span is None:  # an empty paragraph, or offsets outside the text, which validation rejects
        return []
    bounds = [*tokens.sentence_starts, tokens.n]
    return [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1) if span[0] <= bounds[k] < span[1]]


def text_opening(inst: UnitInstance, tokens: DocTokens, position: str, n_tokens: int) -> list[str] | None:
    """The lowercased first ``n_tokens`` non-space lemmas of the unit's paragraph (``position="paragraph"``)
    or of the sentence before / after the unit's sentence(s) in it, or None when there is none."""
    sentences = paragraph_sentences(inst, tokens)
    if position == "paragraph":
        chosen = sentences[:1]
    elif position == "previous_sentence":
        first = tokens.sentence(inst.span.start)[0]
        chosen = [s for s in sentences if s[1] <= first][-1:]
    else:
        last = tokens.sentence(inst.span.end - 1)[1]
        chosen = [s for s in sentences if s[0] >= last][:1]
    if not chosen:
        return None
    start, end = chosen[0]
    return [lemma.lower() for lemma in tokens.without_space(tokens.lemma, start, end)[:n_tokens]]
