"""Rebuttal features: whether a claim is conceded to the other side and then answered in its paragraph.

An essay's *against* claim is the other side's view, and the author rarely leaves it standing: it is
framed as someone else's ("Some people argue that <claim>", "Although <claim>, ...") and answered in
the next sentence ("However, ..."), most often in the last body paragraph, just before the conclusion
(Stab & Gurevych 2017, sec. 3: claims attack the major claim "to anticipate counter-arguments").
``ThesisVectorizer`` sees a concession marker anywhere in the claim's shell and a contrast marker
anywhere later in the paragraph; the same markers also frame *for* claims ("Although X, <claim>":
the claim is the main clause that answers the concession). What separates the two is which clause
the marker governs and whether the answer follows the claim, so these columns read both, and their
product, which a linear model cannot form itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mining.features.columns import FixedColumnsMixin
from mining.features.opening import paragraph_sentences
from mining.features.thesis import CONCESSION, CONTRAST, OTHER_VOICES
from mining.instances.units import UnitInstance
from mining.nlp.sharing import reuse_rows
from mining.nlp.tokens import DocTokens, doc_tokens

# A sentence "opens with" a marker when the marker is among its first words ("But", "However,",
# "On the other hand,"): four words hold the longest contrast marker of thesis.CONTRAST.
OPENING_WORDS = 4
FEATURES = (
    "conceded_directly", "concession_then_main", "contrast_opens_next", "contrast_in_next",
    "contrast_opens_previous", "contrast_after_in_sentence", "concession_in_previous",
    "conceded_rebutted_next", "conceded_rebutted_later", "unconceded_contrast_next",
    "in_last_body", "paragraph_position",
)


def _split(phrases: Sequence[str]) -> list[list[str]]:
    return [phrase.split() for phrase in phrases]


_CONCESSION, _CONTRAST, _VOICES = _split(CONCESSION), _split(CONTRAST), _split(OTHER_VOICES)


def last_match(words: Sequence[str], phrases: Sequence[Sequence[str]]) -> int:
    """The index just after the last occurrence of one of ``phrases`` (word lists) in ``words``, or -1."""
    best = -1
    for phrase in phrases:
        n = len(phrase)
        for k in range(len(words) - n + 1):
            if list(words[k:k + n]) == list(phrase):
                best = max(best, k + n)
    return best


def _has(words: Sequence[str], phrases: Sequence[Sequence[str]]) -> bool:
    return last_match(words, phrases) >= 0


class RebuttalVectorizer(FixedColumnsMixin, TransformerMixin, BaseEstimator):
    """Concession around a claim and the answer after it, in its paragraph (see the module docstring).

    Columns: a concession marker or another voice in the claim's shell with no comma between the last
    one and the claim (the marker governs the claim: "Some people argue that <claim>"); a concession
    marker followed by a comma (the claim answers it: "Although X, <claim>"); a contrast marker opening
    the next sentence of the paragraph, anywhere in it, opening the previous sentence, or after the
    claim in its own sentence ("<claim>, but ..."); a concession marker in the previous sentence; a
    conceded claim answered right after it (next sentence or own sentence) or by a later sentence of
    the paragraph; a claim not conceded but answered right after it; the claim in the last body
    paragraph; the paragraph's position (0 first, 1 last).

    Stateless: ``fit`` only records the feature names. The marker lists are those of
    ``mining.features.thesis``.

    Attributes
    ----------
    feature_names_ : ndarray of str
        One name per column.

    Examples
    --------
    >>> RebuttalVectorizer().fit([]).get_feature_names_out()[:2].tolist()
    ['conceded_directly', 'concession_then_main']
    """

    FEATURES = FEATURES

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        rows = np.zeros((len(X), len(FEATURES)))
        tables = doc_tokens(X)
        for r, inst in enumerate(X):
            rows[r] = _row(inst, tables[id(inst.parsed)])
        return sp.csr_matrix(rows)


def _row(inst: UnitInstance, tokens: DocTokens) -> list[float]:
    claim_start, claim_end = inst.span.start, inst.span.end
    sentence = tokens.sentence(claim_start)
    shell = tokens.words(sentence[0], claim_start)
    marker = last_match(shell, _CONCESSION)
    directly = float((marker >= 0 and "," not in shell[marker:]) or _has(shell, _VOICES))
    sentences = paragraph_sentences(inst, tokens)
    after = [s for s in sentences if s[0] >= claim_end]
    before = [s for s in sentences if s[1] <= sentence[0]]
    following = tokens.words(*after[0]) if after else []
    previous = tokens.words(*before[-1]) if before else []
    opens_next = _has(following[:OPENING_WORDS], _CONTRAST)
    in_own = _has(tokens.words(claim_end, max(sentence[1], claim_end)), _CONTRAST)
    answered = float(opens_next or in_own)
    later = float(any(_has(tokens.words(*s)[:OPENING_WORDS], _CONTRAST) for s in after))
    last = max(inst.n_paragraphs - 1, 1)
    return [
        directly, float(marker >= 0 and "," in shell[marker:]),
        float(opens_next), float(_has(following, _CONTRAST)),
        float(_has(previous[:OPENING_WORDS], _CONTRAST)), float(in_own), float(_has(previous, _CONCESSION)),
        directly * answered, directly * later, (1.0 - directly) * answered,
        float(0 < inst.paragraph == inst.n_paragraphs - 2), inst.paragraph / last,
    ]
