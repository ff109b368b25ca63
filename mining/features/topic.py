"""Topic features: how close a unit's words are to the essay's prompt, title, introduction and conclusion."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Span

from mining.features import tfidf
from mining.features.tfidf import freeze, thawed
from mining.instances.units import UnitInstance, once_per_span
from mining.nlp.sharing import once_per_batch, reuse_rows, take_rows
from mining.nlp.tokens import DocTokens, doc_tokens

FEATURES = (
    "has_topic", "cos_topic", "cos_title", "cos_intro", "cos_conclusion",
    "noun_overlap_topic", "noun_overlap_title",
)
_WORD = re.compile(r"\w+")


def crude_stem(word: str) -> str:
    """A plural-stripping stem, so that the raw topic's "computers" meets the lemma "computer"."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _nouns(tokens: DocTokens, span: Span) -> set[str]:
    """Stems of the noun and proper-noun lemmas of ``span``."""
    lemmas, tags = tokens.lemma[span.start:span.end], tokens.pos[span.start:span.end]
    return {crude_stem(lemma) for lemma, pos in zip(lemmas, tags) if pos in ("NOUN", "PROPN")}


def _overlap(nouns: set[str], words: set[str]) -> float:
    return len(nouns & words) / len(nouns) if nouns else 0.0


class TopicSimilarityVectorizer(TransformerMixin, BaseEstimator):
    """Cosine similarities of a unit to its document's topic, title, intro and conclusion.

    A major claim states the author's stance on the essay's topic and is restated in the
    introduction and the conclusion (Stab & Gurevych 2017, sec. 3), so its words are close to the
    prompt and to the other of those two paragraphs. A unit in the intro or the
    conclusion is compared with that paragraph *without* itself. Documents without a topic, title
    or paragraphs get similarity 0 there.

    Parameters
    ----------
    stop_words : str or list of str, default="english"
        Passed to the TF-IDF vectorizer: similarity should rest on content words.

    Attributes
    ----------
    terms_, idf_ : ndarray
        The vocabulary of units and topics in column order, and its idf weights.
        Fitted over the unit texts and the distinct topics and titles.
    feature_names_ : ndarray of str
        One name per column.
    """

    def __init__(self, *, stop_words="english"):
        self.stop_words = stop_words

    def _tfidf(self) -> TfidfVectorizer:
        return TfidfVectorizer(stop_words=self.stop_words, sublinear_tf=True, dtype=np.float64)

    def fit(self, X: Sequence[UnitInstance], y=None):
        topics = {t for inst in X for t in (inst.document.topic, inst.document.metadata.get("title")) if t}
        vectorizer = self._tfidf().fit([inst.text for inst in X] + sorted(topics))
        self.terms_, self.idf_ = freeze(vectorizer)
        self.feature_names_ = np.asarray(FEATURES, dtype=object)
        return self

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        # Every text to compare is vectorised once: keys are shared by all units of a document,
        # except for the intro/conclusion of a unit that lies in it.
        texts: dict[tuple, str] = {}
        keys = {name: [] for name in ("topic", "title", "intro", "conclusion")}
        word_sets: dict[tuple, set[str]] = {}
        overlaps = np.zeros((len(X), 3))
        tokens = doc_tokens(X)
        for r, inst in enumerate(X):
            doc = inst.document
            d = id(doc)
            for name, text in (("topic", doc.topic), ("title", doc.metadata.get("title"))):
                key = (d, name)
                if key not in texts:
                    texts[key] = text or ""
                    word_sets[key] = {crude_stem(w) for w in _WORD.findall(text or "")}
                keys[name].append(key)
            for name, p in (("intro", 0), ("conclusion", len(doc.paragraphs) - 1)):
                key = (d, name)
                if not doc.paragraphs or (p == 0 and name == "conclusion"):
                    texts.setdefault(key, "")
                elif inst.paragraph == p:
                    a, b = doc.paragraphs[p]
                    key = (d, name, inst.unit.start)
                    texts[key] = doc.text[a:inst.unit.start] + " " + doc.text[inst.unit.end:b]
                elif key not in texts:
                    texts[key] = doc.text[slice(*doc.paragraphs[p])]
                keys[name].append(key)
            nouns = once_per_span("topic nouns", inst, lambda inst=inst: _nouns(tokens[id(inst.parsed)], inst.span))
            overlaps[r] = [
                bool(doc.topic),
                _overlap(nouns, word_sets[(d, "topic")]),
                _overlap(nouns, word_sets[(d, "title")]),
            ]
        order = list(texts)
        row_of = {key: i for i, key in enumerate(order)}
        vectorizer = thawed(self, self._tfidf, self.terms_, self.idf_)
        # The units' rows first, then the texts they are compared with: one call, rows are independent.
        both = tfidf.transform(vectorizer, [inst.text for inst in X] + [texts[k] for k in order],
                               self._analyzer(vectorizer))
        # Rows are L2-normalised, so a row-wise dot product is the cosine. The four comparisons go in one
        # product of stacked rows (each row's sum is the same): a labelling batch pays scipy's fixed cost once.
        names = ("topic", "title", "intro", "conclusion")
        against = take_rows(both, [len(X) + row_of[k] for name in names for k in keys[name]])
        products = take_rows(both, np.tile(np.arange(len(X)), len(names))).multiply(against)
        cosines = np.asarray(products.sum(axis=1)).ravel().reshape(len(names), len(X))
        out = np.column_stack([overlaps[:, 0], *cosines, overlaps[:, 1], overlaps[:, 2]])
        return sp.csr_matrix(out)

    def _analyzer(self, vectorizer: TfidfVectorizer) -> Callable[[str], list[str]]:
        """The vectorizer's analyzer, each text analysed once per sharing() block: the topic extractors of a
        labelling batch (fitted apart, with the same ``stop_words``) compare the same paragraphs and units."""
        analyze, kind = vectorizer.build_analyzer(), ("topic words", repr(self.stop_words))
        return lambda text: once_per_batch((*kind, text), TopicSimilarityVectorizer, lambda: analyze(text))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()
