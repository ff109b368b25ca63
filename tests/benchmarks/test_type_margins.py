"""benchmarks/type_margins.py: the claim margins and party sides it prints are the ones the labeller decides on."""

from __future__ import annotations

import pytest

from mining.label import steps
from mining.label.bundle import default_model
from mining.label.miner import ArgumentMiner
from mining.models.sides import HolderSideClassifier
from tests.helpers import load_benchmark

TEXT = ("Harbour council backs a toll on the old bridge\n"
        "The harbour council said on Monday that drivers should pay a toll on the old bridge, because repairs "
        "would cost more than the town could raise from its budget. \"I think a toll is the fairest way to pay for "
        "it,\" the council's leader, Ada Lind, told reporters.\n"
        "Shop owners said the toll would drive customers to the mall across the river. \"Frankly, nobody will "
        "cross a bridge that charges them twice a day,\" said Piet Holm, who runs a bakery by the bridge.")
TOPIC = "The town should charge a toll on the old bridge"


@pytest.fixture(scope="module")
def miner() -> ArgumentMiner:
    return ArgumentMiner.from_run(default_model())


def test_the_margins_decide_the_types_and_the_labelling_is_unchanged(miner: ArgumentMiner):
    doc, margins, sides = load_benchmark("type_margins").margins_and_sides(miner, TEXT, TOPIC)
    assert (steps.prefer_claims.__name__, HolderSideClassifier._party_scores.__name__) == (
        "prefer_claims", "_party_scores")  # the wrappers are gone
    assert doc.to_dict()["units"] == miner(TEXT, topic=TOPIC).to_dict()["units"]
    allowance = miner.tasks["components"].claim_allowance
    typed = [u for u in doc.units if u.id in margins]
    assert typed and {u.label for u in typed} <= {"claim", "premise"}
    for unit in typed:  # a premise within the allowance becomes a claim (party_claim's is smaller, so never more)
        assert (unit.label == "claim") == (margins[unit.id] > -allowance), (unit.text, margins[unit.id])
    # every party with a claim has a side: the mean of its units' scores (both_sides may still turn one party)
    claimants = {u.holder.lower() for u in doc.units if u.label == "claim" and u.holder != "author"}
    assert len(claimants) >= 2 and claimants <= set(sides)
    assert all(scores and mean == pytest.approx(sum(scores) / len(scores)) for mean, scores in sides.values())
