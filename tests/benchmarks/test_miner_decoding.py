"""benchmarks/miner_decoding.py: every way decodes the one fitted type classifier of the component step."""

from __future__ import annotations

import pytest

from mining.models.decoding import BodyParagraphClassifier
from mining.runs.record import load_model
from tests.helpers import load_benchmark


@pytest.fixture(scope="module")
def script():
    return load_benchmark("miner_decoding")


def test_every_way_reads_the_one_fitted_type_classifier(script, miner_run):
    components = load_model(miner_run)["components"]
    rejecting = components.steps[-1][1]
    inner = rejecting.estimator_.estimator_  # the miner decodes: its type classifier is inside the decoder
    for classifier in (rejecting.estimator_, inner):  # as configs with and without the decoder fit it
        rejecting.estimator_ = classifier
        ways = script.decodings(components)
        assert ways["independent"] is inner
        body, edges = ways["one claim per body paragraph"], ways["+ one major claim per edge paragraph"]
        assert isinstance(body, BodyParagraphClassifier) and body.edge_label is None and body.estimator_ is inner
        assert edges.edge_label == "major_claim" and edges.estimator_ is inner
        assert list(edges.classes_) == list(inner.classes_)
