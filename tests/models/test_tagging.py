"""The transition tagger: tag transitions counted per paragraph, the decoder that adds them, and a saved model."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from mining.errors import UsageError
from mining.features.tokens_window import TokenWindowVectorizer
from mining.instances.bio import constrained_tags
from mining.models.tagging import TransitionTagger, paragraph_sequences, tag_transitions
from mining.runs.trust import trusted_types
from mining.tasks.segmentation import transition_scores


def _tagger(weight=0.3):
    return TransitionTagger(features=TokenWindowVectorizer(), classifier=LinearSVC(C=0.05, dual=True),
                            weight=weight)


def test_transitions_are_smoothed_log_frequencies():
    start, transitions = tag_transitions([["O", "B", "I", "O"], ["B", "I"]], ["B", "I", "O"], smoothing=1.0)
    # First tags: O once, B once, plus one each -> B 2/5, I 1/5, O 2/5.
    assert np.exp(start) == pytest.approx([0.4, 0.2, 0.4])
    # From B: B->I twice; from I: I->O once; from O: O->B once (each row plus one per tag).
    assert np.exp(transitions) == pytest.approx(np.array([[1 / 5, 3 / 5, 1 / 5],
                                                          [1 / 4, 1 / 4, 2 / 4],
                                                          [2 / 4, 1 / 4, 1 / 4]]))
    _, other_order = tag_transitions([["O", "B", "I", "O"], ["B", "I"]], ["O", "B", "I"])
    assert other_order[1, 2] == pytest.approx(transitions[0, 1])  # B -> I wherever B and I are
    with pytest.raises(ValueError, match=r"\['X'\]"):
        tag_transitions([["B", "X"]], ["B", "I", "O"])


def test_paragraph_sequences_follow_reading_order_within_each_paragraph():
    document = SimpleNamespace()
    first, second = SimpleNamespace(index=0), SimpleNamespace(index=1)
    X = [SimpleNamespace(document=document, paragraph=p, position=k)
         for p, k in [(first, 1), (second, 0), (first, 0), (second, 1)]]
    assert paragraph_sequences(X, ["I", "O", "B", "B"]) == [["B", "I"], ["O", "B"]]


def test_decoder_adds_the_transitions_in_the_classes_order():
    # Each token alone prefers B: without transitions two one-token units, with B -> B and B -> O
    # priced out a single two-token unit.
    scores = np.array([[2.0, 1.0, 0.0], [2.0, 1.5, 0.0]])
    assert constrained_tags(scores, ["B", "I", "O"]) == ["B", "B"]
    transitions = np.array([[-5.0, 0.0, -5.0], [-5.0, 0.0, 0.0], [0.0, -5.0, 0.0]])  # B, I, O order
    assert constrained_tags(scores, ["B", "I", "O"], transitions) == ["B", "I"]
    # The same scores and transitions in another class order give the same tags.
    order = [2, 0, 1]  # O, B, I
    assert constrained_tags(scores[:, order], ["O", "B", "I"], transitions[np.ix_(order, order)]) == ["B", "I"]
    # A start score can forbid opening with B.
    assert constrained_tags(scores, ["B", "I", "O"], transitions, np.array([-9.0, 0.0, 0.0]))[0] == "O"
    with pytest.raises(ValueError, match="3x3"):
        constrained_tags(scores, ["B", "I", "O"], np.zeros((2, 2)))


def test_tagger_learns_the_paragraph_transitions_and_the_task_decodes_with_them(sample_tokens):
    task, instances, gold = sample_tokens
    with pytest.raises(NotFittedError):
        _tagger().transition_scores()
    tagger = _tagger(weight=0.5).fit(instances, gold)
    classes = tagger.classes_.tolist()
    b, i, o = (classes.index(t) for t in "BIO")
    assert tagger.transitions_[b, i] > tagger.transitions_[b, b]  # a unit goes on after its first token
    assert np.exp(tagger.transitions_).sum(axis=1) == pytest.approx(1.0)
    start, transitions = tagger.transition_scores()
    assert transitions == pytest.approx(0.5 * tagger.transitions_) and start == pytest.approx(0.5 * tagger.start_)
    pipeline = Pipeline([("features", None), ("model", tagger)])
    assert transition_scores(pipeline)[1] == pytest.approx(transitions)
    # weight 0: the same tags as the plain features + classifier pipeline.
    zero = clone(tagger).set_params(weight=0.0).fit(instances, gold)
    assert task.predict(zero, instances) == task.predict(zero.estimator_, instances)
    assert transition_scores(zero.estimator_) == (None, None)
    # A heavy weight follows the transitions: no tag follows another where it never did in training.
    heavy = task.predict(clone(tagger).set_params(weight=50.0).fit(instances, gold), instances)
    unseen = _pairs(gold, instances, every=True) - _pairs(gold, instances)
    assert unseen and not _pairs(heavy, instances) & unseen
    assert _pairs(task.predict(zero, instances), instances) & unseen  # without transitions some do occur


def _pairs(tags, instances, every=False) -> set[tuple[str, str]]:
    """The (tag, next tag) pairs within the paragraphs (every=True: all nine)."""
    if every:
        return {(s, t) for s in "BIO" for t in "BIO"}
    return {(s, t) for seq in paragraph_sequences(instances, tags) for s, t in zip(seq, seq[1:])}


def test_tagger_parameters_are_checked(sample_tokens):
    _, instances, gold = sample_tokens
    with pytest.raises(UsageError, match="features and a classifier"):
        TransitionTagger(classifier=LinearSVC()).fit(instances, gold)
    with pytest.raises(UsageError, match="weight"):
        _tagger(weight=-1).fit(instances, gold)
    with pytest.raises(UsageError, match="smoothing"):
        _tagger().set_params(smoothing=0).fit(instances, gold)


def test_fitted_tagger_round_trips_through_skops(sample_tokens):
    task, instances, gold = sample_tokens
    tagger = _tagger().fit(instances, gold)
    data = sio.dumps(tagger)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= trusted_types()
    loaded = sio.loads(data, trusted=untrusted)
    assert task.predict(loaded, instances) == task.predict(tagger, instances)
