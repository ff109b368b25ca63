"""benchmarks/miner_decoding.py: the two ways are two different classifiers of the one fitted component step."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from mining.models.decoding import BodyParagraphClassifier
from mining.runs.record import load_model

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "miner_decoding.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("miner_decoding", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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
