"""Target ranking: a second-stage model re-scores each source's candidate targets against the other candidates of
its paragraph.

A pair classifier scores (source, target) on its own, but a premise has one target among the units of its
paragraph, and most link errors of AAEC are a premise attached to the wrong unit of its paragraph. The
second stage sees each candidate relative to the others of its source: the rank of its link score, the
margin to the best, the softmax share, whether it is the adjacent unit, whether it is the candidate with
the highest score for a type (the paragraph's claim), the reverse pair's score and how much the other
sources point at it. It is fitted on out-of-fold first-stage scores of the training documents, so that it
learns how reliable the scores are on unseen text, as stacking does (Wolpert 1992).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import cache

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import ThreadpoolController

from mining.errors import UsageError
from mining.evaluation.splits import document_folds
from mining.models.decoding import log_odds

RANKING_FEATURES = (
    "link", "is_best", "log_rank", "margin_to_best", "margin_to_runner_up", "share", "log_candidates",
    "distance", "adjacent_before", "adjacent_after", "distance_rank", "reverse_link", "target_popularity",
    "target_outgoing",
)


def ranking_features(keys: Sequence[tuple[str, int, int]], link: np.ndarray, source_types: np.ndarray,
                     target_types: np.ndarray) -> np.ndarray:
    """One row per pair: its link score relative to the other candidates of its source, and type evidence.

    ``keys`` are (document id, source index, target index) per pair; ``link`` the first stage's log-odds of a
    link; ``source_types`` / ``target_types`` the stacked type probabilities of each side (one column per
    type). Columns: :data:`RANKING_FEATURES`, then the log-odds of each source type and of each target type,
    then per target type whether the target has the highest score for it among the source's candidates.
    """
    n = len(keys)
    source_of: dict[tuple[str, int], int] = {}  # each source's number, in order of first sight
    into: dict[tuple[str, int], list[float]] = {}
    row_of = {}
    for i, (doc, s, t) in enumerate(keys):
        source_of.setdefault((doc, s), len(source_of))
        into.setdefault((doc, t), []).append(link[i])
        row_of[(doc, s, t)] = i
    popularity = {key: float(np.mean(v)) for key, v in into.items()}
    source = np.fromiter((source_of[doc, s] for doc, s, _ in keys), dtype=np.int64, count=n)
    distance = np.fromiter((t - s for _, s, t in keys), dtype=np.int64, count=n)
    columns, best, top_type = _among_candidates(link, source, distance, target_types, len(source_of))
    reverse = [row_of.get((doc, t, s)) for doc, s, t in keys]
    k = target_types.shape[1]
    out = np.zeros((n, len(RANKING_FEATURES) + source_types.shape[1] + 2 * k))
    base = len(RANKING_FEATURES)
    out[:, :base] = np.column_stack([
        *columns,
        [link[r] if r is not None else 0.0 for r in reverse],
        [popularity[(doc, t)] for doc, _, t in keys],
        [best[source_of[doc, t]] if (doc, t) in source_of else 0.0 for doc, _, t in keys],  # the target's outgoing
    ])
    out[:, base:base + source_types.shape[1]] = log_odds(source_types)
    out[:, base + source_types.shape[1]:base + source_types.shape[1] + k] = log_odds(target_types)
    out[:, base + source_types.shape[1] + k:] = top_type
    return out


def _among_candidates(link: np.ndarray, source: np.ndarray, distance: np.ndarray, target_types: np.ndarray,
                      n_sources: int) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """What :func:`ranking_features` reads of each pair among the candidates of its source (``source`` numbers them
    ``0 .. n_sources - 1``): the columns of :data:`RANKING_FEATURES` from ``link`` to ``distance_rank``, each
    source's best link score, and per target type whether the pair's target has the source's highest score for it.

    Each source's candidates are sorted together, ties in the order of the pairs. The denominator of a ``share`` is
    ``np.sum`` of the source's own run of candidates, as when the candidates were scored a source at a time:
    ``np.add.reduceat`` adds in another order, which can move the last bit."""
    n = len(link)
    by_pair = np.argsort(source, kind="stable")  # each source's candidates together, in the order of the pairs
    starts = np.searchsorted(source[by_pair], np.arange(n_sources))
    size = np.diff(np.append(starts, n))
    place = np.arange(n) - np.repeat(starts, size)  # a place in its source's run of a sorted order
    by_score = np.lexsort((-link, source))  # each source's candidates together, best first
    rank = np.empty(n)
    rank[by_score] = place
    by_distance = np.lexsort((np.abs(distance), source))
    distance_rank = np.empty(n, dtype=np.int64)
    distance_rank[by_distance] = place
    best = link[by_score[starts]]
    runner_up = np.where(size > 1, link[by_score[np.minimum(starts + 1, n - 1)]], best)
    share = np.exp(link - best[source])
    in_pair_order = share[by_pair]
    share /= np.array([in_pair_order[a:a + m].sum() for a, m in zip(starts.tolist(), size.tolist())])[source]
    top_type = target_types >= np.maximum.reduceat(target_types[by_pair], starts, axis=0)[source]
    margin_to_best = link - best[source]
    columns = [
        link, rank == 0, np.log1p(rank), margin_to_best,
        np.where(rank == 0, link - runner_up[source], margin_to_best), share, np.log(size)[source],
        distance / 5, distance == -1, distance == 1, distance_rank,
    ]
    return columns, best, top_type


class TargetRankingClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Pair classifier whose link probability is re-scored by a second stage that ranks each source's targets.

    ``fit`` fits ``features`` and ``estimator`` on every training pair, then ``estimator`` again inside
    ``n_splits`` folds grouped by document on the same feature rows, and fits ``ranker`` on
    :func:`ranking_features` of these out-of-fold scores and the columns of the ``passthrough`` groups (link
    vs ``none``). ``predict_proba`` keeps the estimator's split of the link probability among the relation
    labels (or the ``labeller``'s, when set) and replaces the probability of ``none`` by the ranker's. It takes
    the pair instances themselves (``Pipeline([("features", None), ("model", TargetRankingClassifier(...))])``),
    because the candidates of a source are a group of rows that a feature matrix has forgotten.

    Parameters
    ----------
    features : transformer, default=None
        Pair instances -> matrix (cloned in ``fit``); a ``FeatureUnion`` holding the groups named by
        ``source_types`` and ``target_types``; required.
    estimator : classifier, default=None
        Fitted on the matrix, with ``predict_proba`` (cloned in ``fit``); required.
    ranker : classifier, default=None
        Fitted on the ranking features, with ``predict_proba`` (cloned in ``fit``); required.
    labeller : classifier, default=None
        Fitted on the matrix rows of the linked training pairs alone (label not ``none``), with their relation
        labels (cloned in ``fit``, with ``predict_proba``). When set, the link probability is split among the
        relation labels by its probabilities instead of the estimator's. None: the estimator's split.
    source_types, target_types : str, default="source_type", "target_type"
        The feature groups with the stacked type probabilities of the source and of the target.
    passthrough : sequence of str, default=()
        Feature groups whose columns the ranker reads as well (e.g. ``pair``: distance, the gap and the
        markers between the two units), so that it can learn how they interact with the link score,
        which a linear first stage cannot.
    none : str, default="none"
        The label of a pair without a relation.
    n_splits : int, default=5
        Folds (grouped by document) of the out-of-fold scores the ranker learns from.
    random_state : int, default=0
        Shuffles the documents into folds.
    warm_start : bool, default=True
        Start each fold's fit from the coefficients fitted on every pair (an estimator with a
        ``warm_start`` parameter, e.g. LogisticRegression with lbfgs): converged to a tight ``tol`` the
        fold's optimum is the same, reached in fewer iterations.

    Attributes
    ----------
    features_, estimator_, ranker_ : estimators
        The fitted clones.
    labeller_ : estimator or None
        The fitted clone of ``labeller``; None without one, or when the linked training pairs have fewer
        than two relation labels (the estimator's split is then used).
    classes_ : ndarray of str
        The estimator's classes.
    type_columns_ : tuple of ndarray of int
        The columns of the source's and of the target's type probabilities in the feature matrix.
    passthrough_columns_ : ndarray of int
        The columns of the ``passthrough`` groups.
    """

    def __init__(self, *, features=None, estimator=None, ranker=None, source_types="source_type",
                 target_types="target_type", passthrough=(), none="none", n_splits=5, random_state=0,
                 warm_start=True, labeller=None):
        self.features = features
        self.estimator = estimator
        self.ranker = ranker
        self.labeller = labeller
        self.source_types = source_types
        self.target_types = target_types
        self.passthrough = passthrough
        self.none = none
        self.n_splits = n_splits
        self.random_state = random_state
        self.warm_start = warm_start

    def __setstate__(self, state):
        # Runs saved before ``passthrough`` existed rank on the link scores and types alone; runs saved before
        # ``labeller`` existed split the link probability as the estimator does.
        fitted = ({"passthrough_columns_": np.zeros(0, dtype=int), "labeller_": None} if "estimator_" in state
                  else {})
        super().__setstate__({"passthrough": (), "labeller": None, **fitted, **state})

    def fit(self, X: Sequence, y: Sequence[str]):
        if self.features is None or self.estimator is None or self.ranker is None:
            raise UsageError(f"{type(self).__name__} needs features, estimator and ranker")
        if isinstance(self.passthrough, str):
            raise UsageError(f"{type(self).__name__}: passthrough must be a list of feature groups, got the string "
                             f"{self.passthrough!r} (write [{self.passthrough}])")
        X, y = list(X), np.asarray(y, dtype=object)
        self.features_ = clone(self.features)
        matrix = self.features_.fit_transform(X, y)
        names = list(self.features_.get_feature_names_out())
        self.type_columns_ = tuple(self._group_columns(names, group, "stacked type probabilities")
                                   for group in (self.source_types, self.target_types))
        passthrough = [self._group_columns(names, group, "passthrough") for group in self.passthrough]
        self.passthrough_columns_ = np.concatenate(passthrough) if passthrough else np.zeros(0, dtype=int)
        self.estimator_ = clone(self.estimator).fit(matrix, y)
        self.classes_ = np.asarray([str(c) for c in self.estimator_.classes_])
        if self.none not in self.classes_:
            raise ValueError(f"none {self.none!r} is not among the training labels {self.classes_.tolist()}")
        self.labeller_ = None
        linked = np.flatnonzero(y != self.none)
        if self.labeller is not None and len(set(y[linked])) > 1:
            with _one_openmp_thread(self.labeller):
                self.labeller_ = clone(self.labeller).fit(matrix[linked], y[linked])
        scores = self._out_of_fold(matrix, y, [pair.document.id for pair in X])
        with _one_openmp_thread(self.ranker):
            self.ranker_ = clone(self.ranker).fit(self._ranking(X, scores, matrix), y != self.none)
        return self

    def _group_columns(self, names: list[str], group: str, role: str) -> np.ndarray:
        columns = np.flatnonzero([name.startswith(f"{group}__") for name in names])
        if not len(columns):
            raise UsageError(f"{type(self).__name__}: the features have no group {group!r} ({role}); "
                             f"groups: {sorted({n.split('__')[0] for n in names})}")
        return columns

    def _out_of_fold(self, matrix, y: np.ndarray, groups: list[str]) -> np.ndarray:
        """Each pair's class probabilities from the estimator fitted without its document's fold."""
        cv = document_folds(self.n_splits, groups, self.random_state)
        scores = np.zeros((len(y), len(self.classes_)))
        for train, test in cv.split(matrix, y, groups=groups):
            if self.warm_start and "warm_start" in self.estimator_.get_params():
                inner = copy.deepcopy(self.estimator_).set_params(warm_start=True)
            else:
                inner = clone(self.estimator)
            inner.fit(matrix[train], y[train])
            columns = [self.classes_.tolist().index(str(c)) for c in inner.classes_]
            scores[np.ix_(test, columns)] = inner.predict_proba(matrix[test])
        return scores

    def _ranking(self, X: Sequence, proba: np.ndarray, matrix) -> np.ndarray:
        keys = [(pair.document.id, pair.source.index, pair.target.index) for pair in X]
        link = log_odds(1.0 - proba[:, self.classes_.tolist().index(self.none)])
        source, target, passed = (np.asarray(matrix[:, columns].todense()) if hasattr(matrix, "todense")
                                  else np.asarray(matrix[:, columns])
                                  for columns in (*self.type_columns_, self.passthrough_columns_))
        return np.hstack([ranking_features(keys, link, source, target), passed])

    def predict_proba(self, X: Sequence) -> np.ndarray:
        check_is_fitted(self)
        X = list(X)
        matrix = self.features_.transform(X)
        proba = self.estimator_.predict_proba(matrix)
        column = list(self.ranker_.classes_).index(True)
        with _one_openmp_thread(self.ranker_):
            linked = self.ranker_.predict_proba(self._ranking(X, proba, matrix))[:, column]
        none = self.classes_.tolist().index(self.none)
        out = proba.copy()
        relations = np.delete(np.arange(len(self.classes_)), none)
        if self.labeller_ is None:
            split = proba[:, relations]
        else:  # the linked training pairs hold every relation label (a label of no pair is no class)
            with _one_openmp_thread(self.labeller_):
                labelled = self.labeller_.predict_proba(matrix)
            label_column = {str(c): j for j, c in enumerate(self.labeller_.classes_)}
            split = labelled[:, [label_column[c] for c in self.classes_[relations]]]
        total = split.sum(axis=1, keepdims=True)
        out[:, relations] = linked[:, None] * np.divide(split, total, out=np.full_like(
            split, 1.0 / max(len(relations), 1)), where=total > 0)
        out[:, none] = 1.0 - linked
        return out

    def predict(self, X: Sequence) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def _one_openmp_thread(estimator):
    """``estimator`` (the ranker, a HistGradientBoostingClassifier in use) on one OpenMP thread: a process that has
    started OpenMP's thread pool and then forks (the labelling workers, the subtasks of a run) leaves the children a
    pool whose threads they do not have, and GNU OpenMP then hangs in the children's first parallel region."""
    return _threadpools(type(estimator)).limit(limits=1, user_api="openmp")


@cache
def _threadpools(kind: type) -> ThreadpoolController:
    """The process's thread-pool libraries, found once per estimator class (its own libraries are loaded once an
    instance exists): finding them reads the process's memory map, about 3 ms, which every labelling batch paid."""
    return ThreadpoolController()
