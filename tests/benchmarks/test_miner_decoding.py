"""benchmarks/miner_decoding.py: the two ways are two different classifiers of the one fitted component step."""

from __future__ import annotations

import pytest

from mining.models.decoding import BodyParagraphClassifier
from mining.runs.record import load_model
from tests.helpers import load_benchmark


@pytest.fixture(scope="module")
def script():
    return load_benchmark("miner_decoding")


def test_independent_is_the_classifier_inside_the_decoder(script, miner_run):
    components = load_model(miner_run)["components"]
    ways = script.both_ways(components)
    decoded, independent = ways["one claim per body paragraph"], ways["independent"]
    assert isinstance(decoded, BodyParagraphClassifier)
    assert not isinstance(independent, BodyParagraphClassifier) and decoded.estimator_ is independent


def test_a_classifier_that_does_not_decode_gets_a_decoder(script, miner_run):
    components = load_model(miner_run)["components"]
    rejecting = components.steps[-1][1]
    rejecting.estimator_ = rejecting.estimator_.estimator_  # as a config without the decoder fits it
    ways = script.both_ways(components)
    assert ways["independent"] is rejecting.estimator_
    assert ways["one claim per body paragraph"].estimator_ is rejecting.estimator_
    assert list(ways["one claim per body paragraph"].classes_) == list(rejecting.estimator_.classes_)
