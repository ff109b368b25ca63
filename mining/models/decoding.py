"""Document-level decoding: meta-estimators that turn per-instance probabilities into one consistent structure per text.

A base classifier scores each unit or pair on its own; these wrappers read its ``predict_proba``
and choose, document by document, the labelling that obeys a structural constraint, as the
evidence graph of Peldszus & Stede (2015) decodes its base classifiers' scores into a tree.
They take the instances themselves (``Pipeline([("features", None), ("model", <wrapper>)])``),
because the constraint is per document and a feature matrix has forgotten its documents; the
wrapped ``estimator`` is usually a ``Pipeline`` of feature extractors and a classifier.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError

# Log-odds are clipped so that a probability of exactly 0 or 1 still gives a finite score.
_EPS = 1e-9


def score_columns(scores) -> np.ndarray:
    """Decision scores with one column per class: scikit-learn's one score of a two-class model (that of the second
    class) as two columns, ``[-score, score]``."""
    scores = np.asarray(scores, dtype=float)
    return scores if scores.ndim == 2 else np.column_stack([-scores, scores])


def log_odds(p: np.ndarray | float) -> np.ndarray:
    """log(p / (1 - p)), with p clipped so that a probability of exactly 0 or 1 stays finite."""
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p) - np.log1p(-p)


def is_body_paragraph(paragraph: int, n_paragraphs: int) -> bool:
    """Whether paragraph number ``paragraph`` of a document's ``n_paragraphs`` is a body paragraph: any but the
    first and the last (-1, a unit outside every paragraph, is none)."""
    return 0 < paragraph < n_paragraphs - 1


def group_by_document(X: Sequence) -> dict[str, list[int]]:
    """Row indices of the instances (units or pairs) of each document, by document id."""
    groups: dict[str, list[int]] = {}
    for i, inst in enumerate(X):
        groups.setdefault(inst.document.id, []).append(i)
    return groups


class _DecodingClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit the wrapped estimator; ``predict_proba`` is its own, ``predict`` is decoded."""

    def _fit(self, X, y, label: str | None):
        if self.estimator is None:
            raise UsageError(f"{type(self).__name__} needs an estimator")
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = np.asarray(self.estimator_.classes_)
        if label is not None and label not in set(self.classes_.tolist()):
            raise ValueError(f"label {label!r} is not among the training labels {self.classes_.tolist()}")
        return self

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    def _column(self, label: str) -> int:
        return self.classes_.tolist().index(label)


class DocumentArgmaxClassifier(_DecodingClassifier):
    """Exactly one instance per document gets ``label``: the one the estimator finds likeliest.

    The central claim of a microtext is unique (Peldszus & Stede 2015 decode the ``cc`` level
    so), while an independent classifier may find none or several. Every other instance gets
    its most probable label among the remaining classes.

    Parameters
    ----------
    estimator : classifier, default=None
        Reads the instances and has ``predict_proba`` (cloned in ``fit``); required.
    label : str, default="cc"
        The label given to exactly one instance of each document.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone.
    classes_ : ndarray of str
        The estimator's classes.

    Examples
    --------
    >>> from sklearn.pipeline import Pipeline  # doctest: +SKIP
    >>> model = DocumentArgmaxClassifier(estimator=Pipeline([("features", union), ("clf", logreg)]))  # doctest: +SKIP
    >>> Pipeline([("features", None), ("model", model)]).fit(units, labels).predict(units)  # doctest: +SKIP
    """

    def __init__(self, *, estimator=None, label="cc"):
        self.estimator = estimator
        self.label = label

    def fit(self, X: Sequence, y: Sequence[str]):
        return self._fit(X, y, self.label)

    def predict(self, X: Sequence) -> np.ndarray:
        proba = self.predict_proba(X)
        k = self._column(self.label)
        others = np.delete(np.arange(len(self.classes_)), k)
        out = self.classes_[others[np.argmax(proba[:, others], axis=1)]] if len(others) else self.classes_[[k] * len(X)]
        out = out.astype(object)
        for rows in group_by_document(X).values():
            out[rows[int(np.argmax(proba[rows, k]))]] = self.label
        return out


class BodyParagraphClassifier(_DecodingClassifier):
    """Exactly one ``label`` in each body paragraph of a document: the unit that the estimator most prefers.

    A persuasive essay argues for one claim per body paragraph and states its major claim in the
    first and the last paragraph (of AAEC's 322 training essays, 770 of the 819 body paragraphs
    hold exactly one claim and none holds none), while an independent classifier finds claims in
    some body paragraphs twice and in others not at all. In every paragraph with units except the
    first and the last of its document, the unit whose score for ``label`` most exceeds its score
    for ``rest`` gets ``label``, and every other unit predicted ``label`` or one of ``demote`` gets
    ``rest``. Units predicted anything else (e.g. the ``none`` of a rejecting classifier) keep it and
    are not candidates; units of the first and last paragraph keep the estimator's prediction, unless
    ``edge_label`` is given: then in each of those two paragraphs with units, the unit whose score for
    ``edge_label`` most exceeds its scores for ``label`` and ``rest`` gets ``edge_label``, and any other
    unit predicted ``edge_label`` gets the better of those two (of AAEC's training essays, 258 of the 267
    first paragraphs with units and 308 of the 319 last ones hold exactly one major claim).

    Parameters
    ----------
    estimator : classifier, default=None
        Reads ``UnitInstance``s and has ``decision_function`` or ``predict_proba`` (cloned in ``fit``).
    label : str, default="claim"
        The label given to one unit of each body paragraph.
    rest : str, default="premise"
        The label of the paragraph's other units.
    demote : sequence of str, default=("major_claim",)
        Labels that do not occur in a body paragraph: their units get ``rest`` too.
    edge_label : str or None, default=None
        The label given to one unit of the document's first and of its last paragraph; None leaves them
        to the estimator.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone.
    classes_ : ndarray of str
        The estimator's classes.
    """

    def __init__(self, *, estimator=None, label="claim", rest="premise", demote=("major_claim",), edge_label=None):
        self.estimator = estimator
        self.label = label
        self.rest = rest
        self.demote = demote
        self.edge_label = edge_label

    def fit(self, X: Sequence, y: Sequence[str]):
        self._fit(X, y, self.label)
        for name, value in (("rest", self.rest), ("edge_label", self.edge_label)):
            if value is not None and value not in set(self.classes_.tolist()):
                raise ValueError(f"{name} {value!r} is not among the training labels {self.classes_.tolist()}")
        return self

    def decision_function(self, X: Sequence) -> np.ndarray:
        check_is_fitted(self)
        if not hasattr(self.estimator_, "decision_function"):
            return np.log(np.clip(self.estimator_.predict_proba(X), _EPS, 1.0))
        return score_columns(self.estimator_.decision_function(X))

    def predict(self, X: Sequence) -> np.ndarray:
        scores = self.decision_function(X)
        out = self.classes_[np.argmax(scores, axis=1)].astype(object)
        margin = scores[:, self._column(self.label)] - scores[:, self._column(self.rest)]
        movable = {self.label, self.rest, *self.demote}
        for rows in group_by_document(X).values():
            paragraphs: dict[int, list[int]] = {}
            for i in rows:
                paragraphs.setdefault(X[i].paragraph, []).append(i)
            n_paragraphs = X[rows[0]].n_paragraphs  # the document's own first and last paragraph, units or not
            for paragraph, members in paragraphs.items():
                candidates = [i for i in members if out[i] in movable]
                if paragraph < 0 or not candidates:  # -1: a unit outside every paragraph
                    continue
                if not is_body_paragraph(paragraph, n_paragraphs):
                    if self.edge_label is not None:
                        self._one_edge_label(scores, candidates, out)
                    continue
                best = max(candidates, key=lambda i: margin[i])
                for i in candidates:
                    out[i] = self.label if i == best else self.rest
        return out

    def _one_edge_label(self, scores: np.ndarray, candidates: list[int], out: np.ndarray) -> None:
        """``edge_label`` for the candidate that most prefers it to ``label`` and ``rest``; any other candidate
        predicted ``edge_label`` gets the better of ``label`` and ``rest``."""
        edge, label, rest = (self._column(name) for name in (self.edge_label, self.label, self.rest))
        best = max(candidates, key=lambda i: scores[i, edge] - max(scores[i, label], scores[i, rest]))
        for i in candidates:
            if i == best:
                out[i] = self.edge_label
            elif out[i] == self.edge_label:
                out[i] = self.label if scores[i, label] >= scores[i, rest] else self.rest


class DocumentTreeClassifier(_DecodingClassifier):
    """Attachments of ordered unit pairs decoded into one tree per document.

    Every unit but one (the root: the central claim) attaches to exactly one other unit, and
    following attachments never loops, as in the argument structures of the microtexts. The
    tree maximises the summed log-odds of ``positive`` over its edges: the maximum spanning
    arborescence (Chu-Liu/Edmonds), with each unit tried as the root. This is the MST decoding
    of Peldszus & Stede (2015), here over the attachment scores alone.

    Parameters
    ----------
    estimator : classifier, default=None
        Reads ``PairInstance``s (``source``/``target`` with an ``index``), two classes and
        ``predict_proba`` (cloned in ``fit``); required.
    positive : str, default="attached"
        The label of an edge of the tree; the other class is everything else.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone.
    classes_ : ndarray of str
        The estimator's two classes.
    """

    def __init__(self, *, estimator=None, positive="attached"):
        self.estimator = estimator
        self.positive = positive

    def fit(self, X: Sequence, y: Sequence[str]):
        self._fit(X, y, self.positive)
        if len(self.classes_) != 2:
            raise ValueError(f"{type(self).__name__} needs two classes, got {self.classes_.tolist()}")
        return self

    def predict(self, X: Sequence) -> np.ndarray:
        proba = self.predict_proba(X)[:, self._column(self.positive)]
        negative = next(c for c in self.classes_ if c != self.positive)
        out = np.full(len(X), negative, dtype=object)
        odds = log_odds(proba)
        for rows in group_by_document(X).values():
            nodes = sorted({X[i].source.index for i in rows} | {X[i].target.index for i in rows})
            position = {node: j for j, node in enumerate(nodes)}
            # scores[h, d]: the unit d attaches to the unit h (h is d's head in the tree).
            scores = np.full((len(nodes), len(nodes)), -np.inf)
            edge_row = {}
            for i in rows:
                d, h = position[X[i].source.index], position[X[i].target.index]
                scores[h, d] = odds[i]
                edge_row[(h, d)] = i
            heads = best_tree(scores)
            for d, h in enumerate(heads):
                if h >= 0:
                    out[edge_row[(h, d)]] = self.positive
        return out


def best_tree(scores: np.ndarray) -> list[int]:
    """The head of each node (-1 for the root) of the best-scoring spanning tree over any root.

    ``scores[h, d]`` is the score of the edge from head ``h`` to dependent ``d`` (``-inf``: no
    edge). Trees that need a missing edge are never chosen while another root avoids them.
    """
    n = len(scores)
    if n == 0:
        return []
    best, best_score = None, -np.inf
    for root in range(n):
        heads = max_arborescence(scores, root)
        total = sum(scores[h, d] for d, h in enumerate(heads) if h >= 0)
        if best is None or total > best_score:
            best, best_score = heads, total
    return best


def max_arborescence(scores: np.ndarray, root: int) -> list[int]:
    """Chu-Liu/Edmonds: the head of each node in the maximum spanning arborescence from ``root``.

    ``scores[h, d]`` scores the edge ``h -> d``; ``-inf`` marks a missing edge (replaced by a very
    low finite score, so that a tree always exists).
    """
    w = np.array(scores, dtype=np.float64)
    finite = w[np.isfinite(w)]
    floor = (finite.min() - 1.0 - 2.0 * np.abs(finite).sum()) if finite.size else -1.0
    w[~np.isfinite(w)] = floor
    return _chu_liu_edmonds(w, root)


def _chu_liu_edmonds(w: np.ndarray, root: int) -> list[int]:
    n = len(w)
    w = w.copy()
    np.fill_diagonal(w, -np.inf)
    w[:, root] = -np.inf
    heads = [int(h) for h in np.argmax(w, axis=0)]
    heads[root] = -1
    cycle = _find_cycle(heads)
    if cycle is None:
        return heads
    # Contract the cycle into one node c; an edge into c replaces the cycle edge of the node it enters.
    in_cycle = set(cycle)
    rest = [v for v in range(n) if v not in in_cycle]
    c = len(rest)
    small = np.full((c + 1, c + 1), -np.inf)
    enters, leaves = {}, {}
    for i, u in enumerate(rest):
        for j, v in enumerate(rest):
            small[i, j] = w[u, v]
        gain = {v: w[u, v] - w[heads[v], v] for v in cycle}
        enters[i] = max(cycle, key=gain.__getitem__)
        small[i, c] = gain[enters[i]]
        leaves[i] = max(cycle, key=lambda v: w[v, u])
        small[c, i] = w[leaves[i], u]
    contracted = _chu_liu_edmonds(small, rest.index(root))
    out = list(heads)
    for j, v in enumerate(rest):
        h = contracted[j]
        if h >= 0:
            out[v] = leaves[j] if h == c else rest[h]
    entering = contracted[c]
    out[enters[entering]] = rest[entering]
    return out


def _find_cycle(heads: list[int]) -> list[int] | None:
    """The nodes of one cycle of the head graph, or None if it has none."""
    state = [0] * len(heads)  # 0 unseen, 1 on the current path, 2 done
    for start in range(len(heads)):
        path = []
        v = start
        while v >= 0 and state[v] == 0:
            state[v] = 1
            path.append(v)
            v = heads[v]
        if v >= 0 and state[v] == 1:
            return path[path.index(v):]
        for u in path:
            state[u] = 2
    return None
