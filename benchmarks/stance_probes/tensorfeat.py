"""Probe only (issue 19, fifth round): mean tok2vec vectors of a unit, its shell and its paragraph's first sentence."""
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

_T2V = None
_MEMO = {}


def tensor_of(doc):
    global _T2V
    key = id(doc)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is doc:
        return hit[1]
    if _T2V is None:
        from mining.nlp.pipeline import find_pipeline, load_pipeline
        _T2V = load_pipeline(find_pipeline(exclude=["ner"])).get_pipe("tok2vec")
    if doc.tensor.size == 0:
        doc = _T2V(doc)
    t = np.asarray(doc.tensor, dtype=np.float64)
    _MEMO[key] = (doc, t)
    return t


def _mean(t, a, b):
    return t[a:b].mean(axis=0) if b > a else np.zeros(t.shape[1])


class TensorVectorizer(TransformerMixin, BaseEstimator):
    def __init__(self, *, parts=("span",), weight=0.3):
        self.parts = parts
        self.weight = weight

    def _raw(self, X):
        rows = []
        for inst in X:
            t = tensor_of(inst.parsed)
            span = inst.span
            sent = inst.sentence
            cols = []
            for p in self.parts:
                if p == "span":
                    cols.append(_mean(t, span.start, span.end))
                elif p == "shell":
                    cols.append(_mean(t, sent.start, span.start))
                elif p == "sentence":
                    cols.append(_mean(t, sent.start, sent.end))
                elif p == "opening":
                    a, _ = inst.paragraph_span
                    first = inst.parsed.char_span(a, a + 1, alignment_mode="expand")
                    if first is None:
                        cols.append(np.zeros(t.shape[1]))
                    else:
                        s = first[0].sent
                        cols.append(_mean(t, s.start, s.end))
            rows.append(np.concatenate(cols))
        return np.vstack(rows)

    def fit(self, X, y=None):
        R = self._raw(X)
        self.mean_ = R.mean(axis=0)
        self.scale_ = R.std(axis=0) + 1e-9
        return self

    def transform(self, X):
        R = (self._raw(X) - self.mean_) / self.scale_
        return sp.csr_matrix(R * self.weight)

    def get_feature_names_out(self, input_features=None):
        return np.array([f"t2v:{p}:{i}" for p in self.parts for i in range(96)], dtype=object)
