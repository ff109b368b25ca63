"""Classifiers over candidate positions of decoded units (the cuts of :mod:`mining.models.splitting`, the starts of
:mod:`mining.models.starts`): learnt from the gold units alone as binary rows of named features, read back at
labelling time through the fitted vocabulary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.feature_extraction import DictVectorizer
from sklearn.pipeline import Pipeline, make_pipeline

from mining.errors import UsageError
from mining.features.window_groups import CLAUSES
from mining.instances.bio import bio_spans, paragraph_tags
from mining.instances.tokens import TokenInstance, paragraphs_of
from mining.nlp.sharing import sharing
from mining.nlp.tokens import DocTokens

MIN_TOKENS = 2  # the fewest tokens a unit keeps after a cut or a moved start


def clause_head(read: DocTokens, i: int) -> int:
    """The head of token ``i``'s clause, read from its doc's token lists (:func:`~mining.nlp.tokens.tokens_of`): ``i``
    or its nearest ancestor with a label of :data:`CLAUSES`."""
    dep, heads = read.dep, read.heads
    while dep[i] not in CLAUSES and heads[i] != i:
        i = heads[i]
    return i


class CompactDictVectorizer(DictVectorizer):
    """A ``DictVectorizer`` whose saved state holds its feature names as one string and their lengths.

    scikit-learn's keeps them as a list and its vocabulary as a dict, one node of a model file per name and two per
    entry, which skops checks against the allow-list and builds one by one on loading: the miner's start model of
    133,000 names made 400,000 of its 459,000 nodes, and most of the 20 s its bundle took to load. The vocabulary is
    rebuilt from the names on loading, as ``fit`` builds it (each name's place in ``feature_names_``).
    """

    def __getstate__(self):
        state = dict(super().__getstate__())  # for a class outside sklearn, that is the instance's own __dict__
        names = state.get("feature_names_")
        if (names is None or not all(isinstance(name, str) for name in names)
                or state.get("vocabulary_") != {name: i for i, name in enumerate(names)}):
            return state
        del state["feature_names_"], state["vocabulary_"]
        state["feature_names_joined_"] = "".join(names)
        state["feature_name_lengths_"] = np.fromiter(map(len, names), dtype=np.int64, count=len(names))
        return state

    def __setstate__(self, state):
        if "feature_names_joined_" in state:
            state = dict(state)
            joined, lengths = state.pop("feature_names_joined_"), state.pop("feature_name_lengths_")
            if (lengths < 0).any() or int(lengths.sum()) != len(joined):
                raise ValueError(f"{type(self).__name__}: its {len(lengths)} feature name lengths do not add up to "
                                 f"the {len(joined)} characters of its names: the model file is damaged")
            ends = np.cumsum(lengths).tolist()
            names = [joined[a:b] for a, b in zip([0, *ends[:-1]], ends)]
            state.update(feature_names_=names, vocabulary_={name: i for i, name in enumerate(names)})
        super().__setstate__(state)


def fit_on_gold_units(classifier, X: Sequence[TokenInstance], y: Sequence[str], examples: Callable, *, name: str,
                      what: str) -> Pipeline:
    """A ``DictVectorizer`` and a clone of ``classifier`` fitted on ``examples(parsed, tokens, units)`` (rows and 0/1
    labels of candidates) of each paragraph's gold units, which the tags ``y`` of the token instances ``X`` encode.
    ``name`` is the classifier's parameter and ``what`` its candidates, for the errors."""
    if not hasattr(classifier, "predict_proba"):
        raise UsageError(f"{name} must be a classifier with predict_proba (e.g. LogisticRegression), got "
                         f"{type(classifier).__name__}")
    rows, labels = [], []
    with sharing():  # each doc's token lists read once
        for members in paragraphs_of(X):
            first = X[members[0]]
            units = bio_spans(paragraph_tags(X, members, y))
            more_rows, more_labels = examples(first.parsed, first.paragraph.tokens, units)
            rows += more_rows
            labels += more_labels
    if len(set(labels)) < 2:
        raise UsageError(f"the training units give no {what} of both kinds to learn the {name} from ({len(labels)} "
                         f"candidate {what}s); set {name}=null")
    return make_pipeline(CompactDictVectorizer(), clone(classifier)).fit(rows, labels)


def binary_proba(pipeline: Pipeline, rows: Sequence[dict[str, float]]) -> np.ndarray:
    """``pipeline.predict_proba(rows)`` for a ``DictVectorizer`` and a classifier fitted on binary rows (every value
    1.0, as :func:`mining.models.splitting.cut_features` and :func:`mining.models.starts.window_features` give): the
    same matrix as the vectorizer's ``transform`` (names it has not seen are dropped, indices sorted), built from its
    vocabulary without its per-value checks, which cost more than the classifier at labelling time."""
    vocabulary = pipeline[0].vocabulary_
    return binary_proba_of_columns(pipeline, [[j for j in map(vocabulary.get, row) if j is not None] for row in rows])


def binary_proba_of_columns(pipeline: Pipeline, rows: Sequence[Sequence[int]]) -> np.ndarray:
    """:func:`binary_proba` of rows given as the vectorizer's columns of their features (each once)."""
    indptr = np.zeros(len(rows) + 1, dtype=np.intc)
    np.cumsum([len(row) for row in rows], out=indptr[1:])
    indices = np.fromiter(chain.from_iterable(rows), dtype=np.intc, count=int(indptr[-1]))
    X = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(pipeline[0].vocabulary_)))
    X.sort_indices()
    return pipeline[-1].predict_proba(X)
