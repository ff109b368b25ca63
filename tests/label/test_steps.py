"""The labelling steps that need no model: a party without a claim gets one."""

from __future__ import annotations

from mining.label.steps import give_parties_claims
from mining.schema import Document, Unit


def _document(*units: tuple[str, str]) -> Document:
    text = " ".join(f"unit {i}." for i in range(len(units)))
    return Document(id="d", text=text, units=[
        Unit(id=f"T{i}", start=8 * i, end=8 * i + 6, text=f"unit {i}", label=label, holder=holder)
        for i, (label, holder) in enumerate(units)])


def test_a_party_of_premises_gets_its_most_claim_like_unit_as_a_claim_within_the_allowance():
    doc = _document(("premise", "Varga"), ("premise", "Varga"), ("premise", "author"), ("premise", "author"))
    margins = {id(u): m for u, m in zip(doc.units, (-0.8, -0.2, 0.0, 0.0))}
    give_parties_claims([doc], margins, allowance=0.5)
    assert [u.label for u in doc.units] == ["premise", "claim", "premise", "premise"]  # never the author's


def test_a_party_with_a_claim_one_unit_or_a_unit_beyond_the_allowance_keeps_its_labels():
    doc = _document(("claim", "Varga"), ("premise", "Varga"), ("premise", "Lenk"), ("premise", "Osric"),
                    ("premise", "Osric"))
    margins = {id(u): m for u, m in zip(doc.units, (-1.0, 0.0, 0.0, -0.9, -0.6))}
    give_parties_claims([doc], margins, allowance=0.5)
    assert [u.label for u in doc.units] == ["claim", "premise", "premise", "premise", "premise"]
