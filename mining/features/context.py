"""Context features: the neighbouring units of a paragraph, their markers and whether they share the sentence."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mining.features.markers import MarkerIndex, MarkerMatcher, marker_index, resolve_lists
from mining.features.structural import SentenceIndex, same_sentence
from mining.instances.units import UnitInstance, layout_key
from mining.nlp.sharing import reuse_rows
from mining.nlp.tokens import DocTokens, tokens_of
from mining.schema import Unit

SIDES = ("prev", "next")
NEIGHBOUR_FEATURES = ("exists", "same_sentence", "tokens", "gap_tokens")
# Where markers are looked up around a neighbour: its text, its own shell (its sentence before
# it) and the gap between it and the unit ("..., because <unit>").
MARKER_REGIONS = ("unit", "shell", "gap")


class ContextVectorizer(TransformerMixin, BaseEstimator):
    """Features of the previous and next unit in the paragraph (Stab & Gurevych 2017, "contextual").

    A premise often follows its claim within the same sentence ("<claim>, because <premise>"), and
    a claim is often preceded by premises with forward markers; these features let a unit's label
    depend on its neighbours' surface cues (never on their labels).

    Parameters
    ----------
    lists : mapping of str to sequence of str, default=None
        Marker lists; None uses ``markers.DEFAULT_LISTS``.

    Attributes
    ----------
    lists_ : dict of str to tuple of str
        The marker lists in use.
    matcher_ : MarkerMatcher
        Finds the phrases of all lists.
    feature_names_ : ndarray of str
        ``prev:exists``, ``next:shell:forward``, ... and ``units_in_paragraph``.
    """

    # A row reads the unit's span, neighbours and places only: instances rebuilt alike share it in a batch.
    row_key = staticmethod(layout_key)

    def __init__(self, *, lists=None):
        self.lists = lists

    def fit(self, X: Sequence[UnitInstance], y=None):
        self.lists_ = resolve_lists(self.lists)
        self.matcher_ = MarkerMatcher(self.lists_)
        names = []
        for side in SIDES:
            names += [f"{side}:{f}" for f in NEIGHBOUR_FEATURES]
            names += [f"{side}:{region}:{name}" for region in MARKER_REGIONS for name in self.lists_]
        names.append("units_in_paragraph")
        self.feature_names_ = np.asarray(names, dtype=object)
        return self

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        cache: dict[int, tuple[MarkerIndex, SentenceIndex, DocTokens]] = {}
        out = np.zeros((len(X), len(self.feature_names_)), dtype=np.float64)
        for r, inst in enumerate(X):
            key = id(inst.parsed)
            if key not in cache:
                tokens = tokens_of(inst.parsed)
                cache[key] = (marker_index(inst.document, self.matcher_), SentenceIndex(tokens), tokens)
            markers, sentences, tokens = cache[key]
            row = []
            for side, neighbour in zip(SIDES, (inst.prev, inst.next)):
                row += self._side(inst, neighbour, side, markers, sentences, tokens)
            row.append(np.log1p(inst.n_in_paragraph))
            out[r] = row
        return sp.csr_matrix(out)

    def _side(self, inst: UnitInstance, neighbour: Unit | None, side: str, markers: MarkerIndex,
              sentences: SentenceIndex, tokens: DocTokens) -> list[float]:
        width = len(NEIGHBOUR_FEATURES) + len(MARKER_REGIONS) * len(self.lists_)
        if neighbour is None:
            return [0.0] * width
        unit = inst.unit
        span = tokens.char_span(neighbour.start, neighbour.end, "expand")
        n_tokens = span[1] - span[0] if span is not None else 0
        sentence_start = sentences.starts[sentences.sentence_of(neighbour.start)]
        gap = (neighbour.end, unit.start) if side == "prev" else (unit.end, neighbour.start)
        gap_span = tokens.char_span(*gap, "contract") if gap[1] > gap[0] else None
        regions = {
            "unit": (neighbour.start, neighbour.end),
            "shell": (sentence_start, neighbour.start),
            "gap": gap,
        }
        row = [
            1.0,
            float(same_sentence(sentences, neighbour, unit)),
            np.log1p(n_tokens),
            np.log1p(gap_span[1] - gap_span[0] if gap_span is not None else 0),
        ]
        for region in MARKER_REGIONS:
            row += [float(hit) for hit in markers.present(*regions[region])]
        return row

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()
