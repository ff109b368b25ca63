"""Thesis features: a claim read against its essay's major claim(s) and the paragraph that frames it.

In persuasive essays an *against* claim is mostly a concession to the other side, made before the
author rebuts it: "Admittedly, some people argue that <claim>. However, ..." (Stab & Gurevych 2017,
sec. 3: claims attack the major claim "to anticipate counter-arguments"). The claim's own words and
its sentence's shell are in the lexical features; what they miss is the paragraph around the claim
(a concession opening it, a contrast marker after the claim), the other voices the claim is put in
the mouth of, and whether the claim shares words and negation with the thesis it supports or attacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils.validation import check_is_fitted

from mining.features.columns import FixedColumnsMixin
from mining.features.stance_cues import NEGATIONS
from mining.features.topic import crude_stem
from mining.instances.units import UnitInstance
from mining.nlp.sharing import reuse_rows
from mining.nlp.tokens import DocTokens, doc_tokens
from mining.schema import Unit

CONCESSION = ("admittedly", "although", "though", "even though", "granted", "it is true", "it is undeniable",
              "undeniably", "of course", "certainly", "while", "whereas", "despite", "in spite of",
              "some people", "many people", "some may", "some might", "one may", "one might", "it is argued",
              "opponents", "critics", "others argue", "others believe", "others claim")
CONTRAST = ("however", "but", "nevertheless", "nonetheless", "on the other hand", "yet", "still", "in contrast",
            "on the contrary", "conversely", "even so", "notwithstanding")
OTHER_VOICES = ("some people", "many people", "some", "others", "opponents", "critics", "they", "people",
                "it is argued", "it is said", "it is believed", "proponents", "supporters")
THESIS = ("major_claims", "edges")
FEATURES = (
    "thesis_overlap", "thesis_jaccard", "claim_negated", "thesis_negated", "negation_mismatch",
    "paragraph_opens_concession", "claim_in_opening_sentence", "shell_concession", "other_voices",
    "contrast_before", "contrast_after", "in_intro", "in_conclusion", "first_in_paragraph", "last_in_paragraph",
)


def _find(phrases: Sequence[str], words: Sequence[str]) -> bool:
    """Whether one of ``phrases`` (word sequences) occurs in ``words``."""
    text = f" {' '.join(words)} "
    return any(map(text.__contains__, _padded(phrases)))


@lru_cache(maxsize=None)  # a few fixed tuples of phrases
def _padded(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Each phrase between spaces, so that it matches whole words only."""
    return tuple(f" {phrase} " for phrase in phrases)


class ThesisVectorizer(FixedColumnsMixin, TransformerMixin, BaseEstimator):
    """Features of a claim against its essay's thesis and its paragraph (see the module docstring).

    Columns: the share of the claim's content words found in the thesis and their Jaccard overlap;
    negation in the claim, in the thesis, and in one of them only; whether the paragraph's first
    sentence holds a concession marker and whether the claim starts in it; concession markers in the
    claim's shell; other voices in the claim's sentence; contrast markers in the paragraph before
    and after the claim; the claim in the first or last paragraph; first or last unit of its paragraph.

    Parameters
    ----------
    thesis : {"major_claims", "edges"}, default="edges"
        Which units stand for the thesis. ``"major_claims"``: the document's units labelled
        ``major_claim`` (on gold units these are gold types, at labelling time the predicted ones).
        ``"edges"``: every other unit of the first and the last paragraph, reading no unit label (the
        major claim is stated in the introduction and restated in the conclusion, Stab & Gurevych 2017).

    Attributes
    ----------
    feature_names_ : ndarray of str
        One name per column.
    """

    FEATURES = FEATURES

    def __init__(self, *, thesis="edges"):
        self.thesis = thesis

    def fit(self, X, y=None):
        if self.thesis not in THESIS:
            raise ValueError(f"ThesisVectorizer: thesis must be one of {', '.join(THESIS)}, got {self.thesis!r}")
        return super().fit(X, y)

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        rows = np.zeros((len(X), len(FEATURES)))
        tables = doc_tokens(X)
        theses: dict[tuple, tuple[set[str], float]] = {}  # the claims of a document mostly share one thesis
        edge_units: dict[int, list[Unit]] = {}
        for r, inst in enumerate(X):
            rows[r] = self._row(inst, tables[id(inst.parsed)], theses, edge_units)
        return sp.csr_matrix(rows)

    def _thesis_units(self, inst: UnitInstance, edge_units: dict[int, list[Unit]]) -> list[Unit]:
        """The units that stand for the thesis of ``inst``'s claim; ``edge_units`` keeps, by document ``id``, the
        units of its first and last paragraphs, found once per document."""
        doc = inst.document
        if self.thesis == "major_claims":
            return [u for u in doc.units if u.label == "major_claim" and u is not inst.unit]
        if id(doc) not in edge_units:
            edges = {0, len(doc.paragraphs) - 1}
            edge_units[id(doc)] = [u for u in doc.units if doc.paragraph_index(u.start) in edges]
        return [u for u in edge_units[id(doc)] if u is not inst.unit]

    def _row(self, inst: UnitInstance, tokens: DocTokens, theses: dict[tuple, tuple[set[str], float]],
             edge_units: dict[int, list[Unit]]) -> list[float]:
        claim = _words(tokens, inst.unit.start, inst.unit.end)
        units = self._thesis_units(inst, edge_units)
        key = (id(inst.parsed), *((u.start, u.end) for u in units))  # all the thesis is read from
        if key not in theses:
            thesis = [w for u in units for w in _words(tokens, u.start, u.end)]
            theses[key] = _content(thesis), float(_find(NEGATIONS, thesis))
        t_stems, thesis_neg = theses[key]
        c_stems = _content(claim)
        shared = len(c_stems & t_stems)
        claim_neg = float(_find(NEGATIONS, claim))
        p_start, p_end = inst.paragraph_span
        opening = tokens.char_span(p_start, p_end, "expand")
        opening_end = tokens.sentence(opening[0])[1] if opening else 0
        sentence = inst.sentence
        last = max(inst.n_paragraphs - 1, 0)
        return [
            shared / len(c_stems) if c_stems else 0.0,
            shared / len(c_stems | t_stems) if c_stems | t_stems else 0.0,
            claim_neg, thesis_neg, float(claim_neg != thesis_neg),
            float(_find(CONCESSION, tokens.words(opening[0], opening_end))) if opening else 0.0,
            float(inst.span.start < opening_end),
            float(_find(CONCESSION, tokens.words(sentence.start, inst.span.start))),
            float(_find(OTHER_VOICES, tokens.words(sentence.start, sentence.end))),
            float(_find(CONTRAST, _words(tokens, p_start, inst.unit.start))),
            float(_find(CONTRAST, _words(tokens, inst.unit.end, p_end))),
            float(inst.paragraph == 0), float(inst.paragraph == last),
            float(inst.index_in_paragraph == 0), float(inst.index_in_paragraph == inst.n_in_paragraph - 1),
        ]


def _words(tokens: DocTokens, start: int, end: int) -> list[str]:
    """Lowercased non-space words of the tokens inside characters ``[start, end)`` (none for an empty range)."""
    span = tokens.char_span(start, end, "contract") if end > start else None
    return tokens.words(*span) if span else []


def _content(words: Sequence[str]) -> set[str]:
    return {crude_stem(w) for w in words if w.isalpha() and w not in ENGLISH_STOP_WORDS}
