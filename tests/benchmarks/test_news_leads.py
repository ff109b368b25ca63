"""benchmarks/news_leads.py: a report's lead is the side of its first party claim toward its topic's measure, and the
lead-balanced stance weighs the two kinds of report alike, however many of each there are."""

from __future__ import annotations

import dataclasses

import pytest

from mining.evaluation.documents import compare_documents
from mining.schema import Document, Unit
from tests.helpers import load_benchmark

WORDS = (["mistake"], [])


@pytest.fixture(scope="module")
def leads():
    return load_benchmark("news_leads")


def _report(doc_id: str, claims: list[tuple[str, str, str]], topic="The city should build the bridge") -> Document:
    text = " ".join(f"{span}." for span, _, _ in claims)
    units = [Unit(id=f"T{i}", start=text.index(span), end=text.index(span) + len(span), text=span, label="claim",
                  stance=stance, holder=holder)
             for i, (span, stance, holder) in enumerate(claims)]
    return Document(id=doc_id, text=text, units=units, topic=topic)


def _turned(doc: Document) -> Document:
    """``doc`` with every stance the other way round, as a labeller that reads the sides wrong would give it."""
    flip = {"for": "against", "against": "for"}
    return dataclasses.replace(doc, units=[dataclasses.replace(u, stance=flip[u.stance]) for u in doc.units])


def test_a_report_is_led_by_the_side_of_its_first_claim_with_a_stance_toward_the_measure(leads):
    for_it = _report("d", [("The union is against it", "against", "author"),  # the reporter's aside
                           ("the city should build it", "for", "Ana"), ("The mayor wants none of it", "against", "Bo")])
    assert leads.lead_of(for_it, *WORDS) == "for"
    turned = dataclasses.replace(for_it, topic="Building the bridge would be a mistake")
    assert leads.lead_of(turned, *WORDS) == "against"  # for a topic against its measure: against it
    assert leads.lead_of(dataclasses.replace(for_it, units=for_it.units[:1]), *WORDS) is None


def test_the_lead_balanced_stance_is_the_mean_of_the_two_groups_whatever_their_sizes(leads):
    led_for = [_report(f"f{i}", [("the city should build it", "for", "Ana"), ("it costs too much", "against", "Bo")])
               for i in range(3)]
    led_against = _report("a", [("it costs too much", "against", "Bo"), ("the city should build it", "for", "Ana")])
    no_lead = _report("n", [("the bridge is old", "for", "author")])
    gold = {d.id: d for d in [*led_for, led_against, no_lead]}
    labelled = [*led_for, _turned(led_against), _turned(no_lead)]  # right on every report led for, wrong on the other
    groups = leads.by_lead(gold, labelled, WORDS)
    assert [d.id for d in groups["for"]] == ["f0", "f1", "f2"] and [d.id for d in groups["against"]] == ["a"]
    assert leads.lead_balanced_stance(gold, labelled, WORDS) == pytest.approx(0.5)
    pooled = compare_documents(list(gold.values()), labelled)[leads.STANCE]
    assert pooled > 0.6  # three reports right out of four: pooling hides the reports led against
    with pytest.raises(ValueError, match="led against"):  # one group alone is no balance
        leads.lead_balanced_stance(gold, led_for, WORDS)
