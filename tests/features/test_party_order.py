"""Party order: which party of a report takes a position first, read from units, labels and holders only."""

from __future__ import annotations

import spacy

from mining.features.party_order import FEATURES, PartyOrderVectorizer
from mining.instances.units import build_unit_instances
from mining.schema import Document
from tests.features.helpers import party_document

# Written for this test: a proposal, its critic, then a third party and a premise of the proposer.
TEXT = ("Council plans a tram fare cut\n"
        "The mayor said fares should fall by half. Critics said the cut would empty the budget. "
        "The union said drivers were tired. The mayor added that riders were poor. Buses ran late.")


def _document() -> Document:
    return party_document("fares", TEXT, "Fares should fall", [
        ("fares should fall by half", "claim", "The mayor"), ("the cut would empty the budget", "claim", "Critics"),
        ("drivers were tired", "claim", "the union"), ("riders were poor", "premise", "the Mayor"),
        ("Buses ran late", "premise", None)])


def _rows(document: Document) -> list[str]:
    instances = build_unit_instances(document, spacy.blank("en")(document.text))
    matrix = PartyOrderVectorizer().fit(instances).transform(instances).toarray()
    assert (matrix.sum(axis=1) == 1).all()  # one-hot
    return [FEATURES[int(row.argmax())] for row in matrix]


def test_each_unit_gets_the_rank_of_its_party_among_the_claimants():
    # The mayor's premise shares the mayor's rank ("the Mayor" and "The mayor" are one party); a unit
    # without a holder, or whose holder holds no claim, has none.
    assert _rows(_document()) == ["first_party", "second_party", "later_party", "first_party", "no_claim"]


def test_the_order_is_that_of_the_claims_not_of_the_unit_list():
    document = _document()
    document.units.reverse()
    assert _rows(document) == ["first_party", "second_party", "later_party", "first_party", "no_claim"]


def test_no_stance_is_read():
    # A stance label must not leak into the features that predict it.
    document = _document()
    before = _rows(document)
    for unit, stance in zip(document.units, ["against", "for", "for", None, None]):
        unit.stance = stance
    assert _rows(document) == before
