"""Probe only (issue 19, fifth round): character n-grams of a unit, and its words inside a negation's scope."""
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

NEG = {"not", "n't", "no", "never", "neither", "nor", "without", "hardly", "cannot", "nothing", "none", "nobody"}
STOP = {",", ".", ";", ":", "!", "?", "but", "however", "although", "because", "while", "whereas"}


def _text(inst, part):
    if part == "unit":
        return inst.text
    if part == "shell_unit":
        return inst.preceding + " " + inst.text
    raise ValueError(part)


class CharVectorizer(TransformerMixin, BaseEstimator):
    def __init__(self, *, ngram_range=(2, 5), min_df=2, part="unit"):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.part = part

    def fit(self, X, y=None):
        self.v_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                                  sublinear_tf=True, lowercase=True, dtype=np.float64)
        self.v_.fit([_text(i, self.part) for i in X])
        return self

    def transform(self, X):
        return self.v_.transform([_text(i, self.part) for i in X])


def neg_scoped(inst):
    out, neg = [], False
    for t in inst.span:
        w = t.lower_
        if w in STOP or t.is_punct:
            neg = False
            continue
        if w in NEG:
            neg = True
            out.append("NEGCUE")
            continue
        if neg:
            out.append("NEG_" + (t.lemma_.lower() or w))
    return out


class NegScopeVectorizer(TransformerMixin, BaseEstimator):
    def __init__(self, *, min_df=1):
        self.min_df = min_df

    def fit(self, X, y=None):
        self.v_ = TfidfVectorizer(analyzer=lambda d: d, min_df=self.min_df, binary=True, sublinear_tf=True,
                                  dtype=np.float64)
        self.v_.fit([neg_scoped(i) for i in X])
        return self

    def transform(self, X):
        return self.v_.transform([neg_scoped(i) for i in X])
