"""A stand-in for the fitted candidate classifiers of the segmenter (cuts, starts)."""

from __future__ import annotations

import numpy as np


class FixedProba:
    """A fitted ``DictVectorizer`` + classifier pipeline in one object: a candidate whose row holds the feature
    ``{feature}={value}`` has the probability ``by_value[value]``, any other ``default``."""

    classes_ = np.array([0, 1])

    def __init__(self, feature: str, by_value: dict[str, float], default: float):
        self.vocabulary_ = {f"{feature}={value}": j for j, value in enumerate(by_value)}
        self.p = list(by_value.values())
        self.default = default

    def __getitem__(self, step):
        return self

    def predict_proba(self, X):
        p = [next((self.p[j] for j in X[r].indices), self.default) for r in range(X.shape[0])]
        return np.column_stack([1 - np.array(p), p])
