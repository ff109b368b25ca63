"""Sequence tagging: a token classifier together with the tag transitions learned from its training paragraphs."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import numpy as np
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.pipeline import make_pipeline
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.instances.tokens import TokenInstance, paragraphs_of
from mining.models.splitting import cut_tags, fit_splitter
from mining.models.starts import fit_starter, move_starts


def paragraph_sequences(X: Sequence[TokenInstance], y: Sequence[str]) -> list[list[str]]:
    """The tags ``y`` of each paragraph of the token instances ``X``, in reading order."""
    return [[str(y[i]) for i in sorted(members, key=lambda i: X[i].position)] for members in paragraphs_of(X)]


def tag_transitions(sequences: Iterable[Sequence[str]], labels: Sequence[str],
                    smoothing: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Log-probabilities of the first tag and of each tag given the one before, from tag sequences.

    Returns ``start[t]`` (log P(first tag = ``labels[t]``)) and ``transitions[s, t]`` (log P(``labels[t]``
    after ``labels[s]``)), counted with ``smoothing`` added to every count (Laplace), so that a transition
    never seen in training is unlikely rather than impossible: the transition part of an HMM or CRF tagger.
    """
    index = {str(t): k for k, t in enumerate(labels)}
    first = np.full(len(index), float(smoothing))
    pairs = np.full((len(index), len(index)), float(smoothing))
    for tags in sequences:
        unknown = sorted(set(map(str, tags)) - set(index))
        if unknown:
            raise ValueError(f"tags must be among {list(index)}, got {unknown}")
        codes = [index[str(t)] for t in tags]
        if codes:
            first[codes[0]] += 1
        np.add.at(pairs, (codes[:-1], codes[1:]), 1)
    return np.log(first / first.sum()), np.log(pairs / pairs.sum(axis=1, keepdims=True))


def _has_proba(self) -> bool:
    return hasattr(self.classifier, "predict_proba")


class TransitionTagger(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A token classifier plus tag-transition scores, for the segmentation task's Viterbi decoder.

    ``fit`` fits ``make_pipeline(features, classifier)`` on the token instances and counts, paragraph
    by paragraph, which tag follows which in the training tags (:func:`tag_transitions`). The
    segmentation task decodes each paragraph with the classifier's scores plus ``weight`` times those
    log-probabilities, as the transition part of a CRF would (Stab & Gurevych 2017 segment AAEC with a
    CRF). In AAEC a unit is never one token long nor directly followed by another (``B`` -> ``B``,
    ``B`` -> ``O`` and ``I`` -> ``B`` never occur), and ``I`` -> ``O`` and ``O`` -> ``B`` put a price on
    each unit, which keeps the decoder from cutting one unit in two or from tagging a stray fragment.
    ``weight`` puts the log-probabilities on the scale of the classifier's scores (SVM margins or
    log-probabilities) and is chosen by cross-validation; 0 decodes as without transitions.

    It takes the token instances themselves (``Pipeline([("features", None), ("model", tagger)])``),
    because the transitions are counted per paragraph and a feature matrix has forgotten its paragraphs.

    Parameters
    ----------
    features : transformer over TokenInstances, default=None
        Usually the token-window features (``configs/features/segmentation.yaml``).
    classifier : classifier over feature rows, default=None
        A classifier with ``decision_function`` or ``predict_proba`` (``LinearSVC`` in use).
    weight : float, default=1.0
        How much the transitions count against the classifier's scores.
    smoothing : float, default=1.0
        Added to every transition count before the log-probabilities are taken.
    splitter : classifier with ``predict_proba``, default=None
        If given, decoded units are cut where they run over the boundary between two units
        (:mod:`mining.models.splitting`): it is fitted on the candidate cuts of the training paragraphs'
        gold units, and :meth:`cut_units` makes every cut whose probability reaches ``split_threshold``.
    split_threshold : float, default=0.5
        The probability of a cut from which it is made.
    starter : classifier with ``predict_proba``, default=None
        If given, a decoded unit's start moves to where the unit opens (:mod:`mining.models.starts`): it is
        fitted on the candidate starts of the training paragraphs' gold units, and :meth:`move_starts` moves a
        start where a candidate's probability exceeds the start's own by ``start_margin`` or more.
    start_margin : float, default=0.0
        How much more probable a candidate start must be than the decoded one to replace it.

    Attributes
    ----------
    estimator_ : Pipeline
        The fitted features and classifier.
    classes_ : ndarray of str
        The tags, in the classifier's order.
    start_ : ndarray of shape (n_classes,)
        Log-probability of each tag (``classes_`` order) opening a paragraph.
    transitions_ : ndarray of shape (n_classes, n_classes)
        ``transitions_[s, t]``: log-probability of tag ``classes_[t]`` after tag ``classes_[s]``.
    splitter_ : Pipeline or None
        A ``DictVectorizer`` and the fitted ``splitter``; None without one.
    starter_ : Pipeline or None
        A ``DictVectorizer`` and the fitted ``starter``; None without one.

    Examples
    --------
    >>> from sklearn.svm import LinearSVC  # doctest: +SKIP
    >>> from mining.features.tokens_window import TokenWindowVectorizer  # doctest: +SKIP
    >>> tagger = TransitionTagger(features=TokenWindowVectorizer(),  # doctest: +SKIP
    ...                           classifier=LinearSVC(), weight=0.3)
    >>> start, transitions = tagger.fit(token_instances, bio_tags).transition_scores()  # doctest: +SKIP
    """

    def __init__(self, *, features=None, classifier=None, weight=1.0, smoothing=1.0, splitter=None,
                 split_threshold=0.5, starter=None, start_margin=0.0):
        self.features = features
        self.classifier = classifier
        self.weight = weight
        self.smoothing = smoothing
        self.splitter = splitter
        self.split_threshold = split_threshold
        self.starter = starter
        self.start_margin = start_margin

    def __setstate__(self, state):
        # Runs saved before the splitter or the starter existed decode without them.
        fitted = {"splitter_": None, "starter_": None} if "estimator_" in state else {}
        super().__setstate__({"splitter": None, "split_threshold": 0.5, "starter": None, "start_margin": 0.0,
                              **fitted, **state})

    def fit(self, X: Sequence[TokenInstance], y: Sequence[str]):
        if self.features is None or self.classifier is None:
            raise UsageError(f"{type(self).__name__} needs features and a classifier")
        if isinstance(self.weight, bool) or not isinstance(self.weight, (int, float)) or not self.weight >= 0:
            raise UsageError(f"weight must be a number >= 0, got {self.weight!r}")
        if isinstance(self.smoothing, bool) or not isinstance(self.smoothing, (int, float)) or not self.smoothing > 0:
            raise UsageError(f"smoothing must be a number > 0, got {self.smoothing!r}")
        if issparse(X):  # a feature matrix: the tagger was put after a features step, on a task that is no tagging
            raise UsageError(f"{type(self).__name__} tags the tokens of paragraphs: it is the model of "
                             f"task=segmentation with features=null (experiment=aaec_segmentation), and was given "
                             f"{type(X).__name__}")
        X, y = list(X), list(y)
        self.estimator_ = make_pipeline(clone(self.features), clone(self.classifier)).fit(X, y)
        self.classes_ = np.asarray(self.estimator_.classes_)
        self.start_, self.transitions_ = tag_transitions(paragraph_sequences(X, y), self.classes_.tolist(),
                                                         self.smoothing)
        self.splitter_ = None if self.splitter is None else self._fit_splitter(X, y)
        self.starter_ = None if self.starter is None else self._fit_starter(X, y)
        return self

    def _fit_splitter(self, X: Sequence[TokenInstance], y: Sequence[str]):
        threshold = self.split_threshold
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
            raise UsageError(f"split_threshold must be a probability in (0, 1], got {threshold!r}")
        return fit_splitter(self.splitter, X, y)

    def _fit_starter(self, X: Sequence[TokenInstance], y: Sequence[str]):
        margin = self.start_margin
        if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 <= margin < 1:
            raise UsageError(f"start_margin must be a difference of probabilities in [0, 1), got {margin!r}")
        return fit_starter(self.starter, X, y)

    def cut_units(self, X: Sequence[TokenInstance], sequences: Sequence[Sequence[int]], tags: Sequence[str],
                  keep: Collection[int] = ()) -> list[str]:
        """``tags`` (one per instance of ``X``, decoded per paragraph: ``sequences`` are the instances of each
        paragraph) with each unit cut where the splitter puts a cut (:func:`mining.models.splitting.cut_tags`);
        no gap that holds an instance of ``keep`` (forced inside a unit) is cut. Without a splitter, ``tags``."""
        check_is_fitted(self)
        if self.splitter_ is None:
            return list(tags)
        return cut_tags(self.splitter_, self.split_threshold, X, sequences, tags, keep)

    def move_starts(self, X: Sequence[TokenInstance], sequences: Sequence[Sequence[int]], tags: Sequence[str],
                    keep: Collection[int] = (), outside: Collection[int] = ()) -> list[str]:
        """``tags`` with each unit's start moved where the starter puts it (:func:`mining.models.starts.move_starts`);
        no start moves later past an instance of ``keep`` nor earlier over one of ``outside``. Without a starter,
        ``tags``."""
        check_is_fitted(self)
        if self.starter_ is None:
            return list(tags)
        return move_starts(self.starter_, self.start_margin, X, sequences, tags, keep, outside)

    def transition_scores(self) -> tuple[np.ndarray, np.ndarray]:
        """``weight`` times ``start_`` and ``transitions_`` (``classes_`` order): what the decoder adds to the
        tokens' scores."""
        check_is_fitted(self)
        return self.weight * self.start_, self.weight * self.transitions_

    def decision_function(self, X: Sequence[TokenInstance]) -> np.ndarray:
        check_is_fitted(self)
        return self.estimator_.decision_function(X)

    @available_if(_has_proba)
    def predict_proba(self, X: Sequence[TokenInstance]) -> np.ndarray:
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    def predict(self, X: Sequence[TokenInstance]) -> np.ndarray:
        """Each token's own best tag (the classifier's); the sequence decoding is ``SegmentationTask.predict``'s."""
        check_is_fitted(self)
        return self.estimator_.predict(X)
