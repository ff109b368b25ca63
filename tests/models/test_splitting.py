"""Cutting a tagged unit in two at the boundary between two units: candidate cuts, what they are learned from,
and the tagger that makes them."""

from __future__ import annotations

import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from mining.corpora import load_corpus
from mining.errors import UsageError
from mining.features.tokens_window import TokenWindowVectorizer
from mining.instances.bio import bio_spans
from mining.models.splitting import candidate_cuts, training_cuts
from mining.models.tagging import TransitionTagger
from mining.nlp.pipeline import find_pipeline, load_pipeline
from mining.runs.trust import trusted_types
from mining.tasks.segmentation import SegmentationTask


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(find_pipeline(exclude=["ner"]))


@pytest.fixture(scope="module")
def sample_tokens(nlp):
    docs = load_corpus("sample")
    task = SegmentationTask()
    instances = task.build_instances(docs, list(nlp.pipe(d.text for d in docs)))
    return task, instances, task.gold_labels(instances)


def _words(doc, cut):
    t, g = cut
    return " ".join(doc[i].text for i in range(t, g))


def test_cuts_open_at_a_gap_run_over_its_connectives_and_leave_two_tokens_each_side(nlp):
    doc = nlp("Cities should ban cars, because the air is unhealthy and children suffer.")
    tokens = range(len(doc))
    cuts = candidate_cuts(doc, tokens, 0, len(doc) - 1)  # the unit without the final stop
    assert [_words(doc, c) for c in cuts] == [", because", "because", "and"]
    # Two tokens at least on each side: a unit of three tokens has no cut.
    assert candidate_cuts(doc, tokens, 0, 3) == []
    # A sentence's final stop opens a gap when a sentence follows; a stop at the end of the unit does not.
    two = nlp("Taxes must rise. Schools are short of money.")
    assert [_words(two, c) for c in candidate_cuts(two, range(len(two)), 0, len(two) - 1)] == ["."]


def test_training_cuts_label_the_boundary_between_two_units_and_nothing_inside_one(nlp):
    doc = nlp("Cities should ban cars, because the air is unhealthy and children suffer.")
    tokens = range(len(doc))
    first, second = (0, 4), (6, len(doc) - 1)  # "Cities should ban cars" / "the air is ... suffer"
    rows, labels = training_cuts(doc, tokens, [first, second])
    assert labels == [0, 1]  # "and" inside the second unit; ", because" between the two
    assert "gap=, because" in rows[1] and "gap=and" in rows[0]
    # Units further apart than max_gap tokens give no positive example.
    assert training_cuts(doc, tokens, [first, second], max_gap=1)[1] == [0]


def test_the_tagger_learns_cuts_and_the_task_decodes_with_them(sample_tokens):
    task, instances, gold = sample_tokens
    plain = TransitionTagger(features=TokenWindowVectorizer(), classifier=LinearSVC(C=0.05, dual=True), weight=0.3)
    splitting = clone(plain).set_params(splitter=LogisticRegression(max_iter=1000), split_threshold=0.05)
    splitting.fit(instances, gold)
    assert splitting.splitter_ is not None and plain.fit(instances, gold).splitter_ is None
    before, after = task.predict(plain, instances), task.predict(splitting, instances)
    units = [bio_spans(tags) for tags in (before, after)]
    # A low threshold cuts: more units, and no token outside a unit before is inside one after.
    assert len(units[1]) > len(units[0])
    assert all(b == "O" for a, b in zip(before, after) if a == "O")
    # Never cutting gives the plain tagger's tags.
    never = clone(splitting).set_params(split_threshold=1.0).fit(instances, gold)
    assert task.predict(never, instances) == before


def test_a_tagger_with_a_splitter_round_trips_through_skops_and_checks_its_threshold(sample_tokens):
    task, instances, gold = sample_tokens
    tagger = TransitionTagger(features=TokenWindowVectorizer(), classifier=LinearSVC(C=0.05, dual=True),
                              weight=0.3, splitter=LogisticRegression(max_iter=1000), split_threshold=0.2)
    tagger.fit(instances, gold)
    data = sio.dumps(tagger)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= trusted_types()
    assert task.predict(sio.loads(data, trusted=untrusted), instances) == task.predict(tagger, instances)
    with pytest.raises(UsageError, match="split_threshold"):
        clone(tagger).set_params(split_threshold=0).fit(instances, gold)
