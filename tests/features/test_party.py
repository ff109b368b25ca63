"""Party features: speech kind and the unit's place among its holder's units, attributed from the parse."""

from __future__ import annotations

import pytest

from mining.features.party import FEATURES, PartyVectorizer
from mining.instances.units import build_unit_instances
from mining.nlp.pipeline import find_pipeline, load_pipeline
from mining.schema import Document, Unit, paragraphs_from_lines

# Original text, written for this test.
TEXT = """Harbour plan divides the council
Mayor Lena Brandt said that the new quay would bring cruise ships back to the town. She added that \
the old pier was no longer safe. "We cannot wait another decade," she told reporters.
Tomas Weber, who leads the fishermen's association, argued that the quay would block the fishing boats.
The plan looks hard to pay for."""

SPANS = [
    "the new quay would bring cruise ships back to the town",
    "the old pier was no longer safe",
    "We cannot wait another decade",
    "the quay would block the fishing boats",
    "The plan looks hard to pay for",
]


@pytest.fixture(scope="module")
def rows():
    units = [Unit(id=f"T{i}", start=TEXT.index(s), end=TEXT.index(s) + len(s), text=s, label="claim")
             for i, s in enumerate(SPANS, start=1)]
    # The units' own holders and speech are wrong on purpose: the extractor must not read them.
    for unit in units:
        unit.holder, unit.attributes = "Nobody", {"speech": "quote"}
    doc = Document(id="harbour", text=TEXT, paragraphs=paragraphs_from_lines(TEXT), units=units)
    parsed = load_pipeline(find_pipeline(exclude=[]))(TEXT)
    instances = build_unit_instances(doc, parsed)
    matrix = PartyVectorizer().fit(instances).transform(instances).toarray()
    return {inst.unit.text: dict(zip(FEATURES, row)) for inst, row in zip(instances, matrix)}


def test_speech_kinds_come_from_the_parse(rows):
    assert rows["the new quay would bring cruise ships back to the town"]["speech_reported"] == 1.0
    assert rows["We cannot wait another decade"]["speech_quote"] == 1.0
    assert rows["The plan looks hard to pay for"]["speech_author"] == 1.0
    assert all(row["unknown_holder"] == 0.0 for row in rows.values())


def test_a_partys_units_know_their_place(rows):
    first, middle, last = (rows[s] for s in SPANS[:3])  # Lena Brandt's three units
    assert first["party_units_3+"] == middle["party_units_3+"] == last["party_units_3+"] == 1.0
    assert (first["party_first"], first["party_last"], first["prev_same_party"], first["next_same_party"]) == (1, 0, 0, 1)
    assert (middle["party_first"], middle["party_last"], middle["prev_same_party"], middle["next_same_party"]) == (0, 0, 1, 1)
    assert (last["party_first"], last["party_last"], last["prev_same_party"], last["next_same_party"]) == (0, 1, 1, 0)
    weber = rows["the quay would block the fishing boats"]  # one unit of his own, between Brandt and the author
    assert weber["party_units_1"] == weber["party_first"] == weber["party_last"] == 1.0
    assert weber["prev_same_party"] == weber["next_same_party"] == 0.0
