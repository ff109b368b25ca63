"""Stance cue features: polar words and negation in a unit and in its reporting frame, read against its topic.

A news position rarely repeats the words of its document's topic with a sign; it says what a party
wants or fears ("would close them within a year", "would not hand over the northern districts"), and
the reporter's verb often carries the direction ("warned that", "welcomed", "rejected"). The n-grams
of one report's topic do not recur in the next report, but these cues do. The topic matters through
its own polarity: when the topic proposes a restriction ("... should ban ..."), a claim full of harms
may well be *for* it, so every cue count also appears multiplied by whether the topic is negative.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mining.features.columns import FixedColumnsMixin
from mining.features.topic import crude_stem
from mining.instances.units import UnitInstance
from mining.nlp.sharing import reuse_rows

POSITIVE = (
    "accept", "agree", "approve", "back", "benefit", "call", "defend", "endorse", "essential", "fair", "favour",
    "favor", "help", "improve", "justify", "necessary", "need", "praise", "proportionate", "protect", "right",
    "safe", "save", "support", "urge", "welcome", "work",
)
NEGATIVE = (
    "attack", "ban", "block", "break", "challenge", "close", "collapse", "condemn", "cost", "criticise",
    "criticize", "damage", "danger", "dangerous", "destroy", "fail", "fear", "harm", "hurt", "illegal", "lose",
    "object", "oppose", "refuse", "reject", "risk", "threat", "threaten", "undermine", "unfair", "violate",
    "warn", "wrong",
)
NEGATIONS = ("not", "n't", "never", "no", "without", "nothing", "neither", "nor", "nobody")
MODALS = ("should", "must", "ought", "need")
# What makes a topic itself negative: it proposes to stop, restrict or remove something.
TOPIC_NEGATIVE = NEGATIONS + ("ban", "end", "limit", "restrict", "cut", "halt", "stop", "lift", "remove", "block",
                              "close", "reject", "freeze", "suspend", "exclude", "withdraw")
CUES = ("unit_positive", "unit_negative", "unit_negation", "unit_modal", "frame_positive", "frame_negative",
        "frame_negation", "negated_topic_word", "topic_overlap")
FEATURES = CUES + tuple(f"{name}*topic_negative" for name in CUES) + ("topic_negative",)


def _counts(lemmas: Sequence[str]) -> tuple[int, int, int, int]:
    return (sum(lemma in POSITIVE for lemma in lemmas), sum(lemma in NEGATIVE for lemma in lemmas),
            sum(lemma in NEGATIONS for lemma in lemmas), sum(lemma in MODALS for lemma in lemmas))


class StanceCueVectorizer(FixedColumnsMixin, TransformerMixin, BaseEstimator):
    """Counts of positive, negative, negation and modal cues in the unit and in the rest of its
    sentence (the reporting frame), negations that govern a topic word, the share of the unit's
    content words found in the topic; each also multiplied by whether the topic is negative.

    Stateless: ``fit`` only records the feature names. The word lists are the module's constants.

    Attributes
    ----------
    feature_names_ : ndarray of str
        One name per column.
    """

    FEATURES = FEATURES

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        rows = np.zeros((len(X), len(FEATURES)))
        topics: dict[int, tuple[set[str], float]] = {}  # per document: its topic is read once
        for r, inst in enumerate(X):
            if id(inst.document) not in topics:
                topics[id(inst.document)] = _topic_cues(inst.document.topic)
            rows[r] = self._row(inst, *topics[id(inst.document)])
        return sp.csr_matrix(rows)

    @staticmethod
    def _row(inst: UnitInstance, topic_stems: set[str], topic_negative: float) -> list[float]:
        span = inst.span
        unit = [t.lemma_.lower() for t in span]
        sentence = span.sent if span.doc.has_annotation("DEP") else span
        frame = [t.lemma_.lower() for t in sentence if t.i < span.start or t.i >= span.end]
        negated = sum(1 for t in span if t.lemma_.lower() in NEGATIONS
                      and any(crude_stem(c.lemma_) in topic_stems
                              for c in t.head.subtree if c.is_alpha and not c.is_stop))
        content = {crude_stem(t.lemma_) for t in span if t.is_alpha and not t.is_stop}
        overlap = len(content & topic_stems) / len(content) if content else 0.0
        cues = [*_counts(unit), *_counts(frame)[:3], negated, overlap]
        return cues + [c * topic_negative for c in cues] + [topic_negative]


def _topic_cues(topic: str | None) -> tuple[set[str], float]:
    """The stems of the topic's words, and 1.0 when the topic itself is negative ("should not ...")."""
    words = [w.lower() for w in (topic or "").replace("'", " ").split()]
    return {crude_stem(w.strip(".,?!")) for w in words}, float(any(w.strip(".,?!") in TOPIC_NEGATIVE for w in words))
