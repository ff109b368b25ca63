"""The labelling steps that need no model: a premise nearly a claim becomes one, a party without a claim gets one,
a span rejected narrowly is kept."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from mining.errors import UsageError
from mining.instances.units import build_unit_instances
from mining.label.steps import _allowances, _claim_margins, _keep_near_units, give_parties_claims, prefer_claims
from mining.nlp.pipeline import find_pipeline, load_pipeline
from mining.schema import Document, Unit
from mining.tasks.components import ComponentTask


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


class _Scores:
    def __init__(self, classes, scores):
        self.classes_, self._scores = classes, scores

    def decision_function(self, X):
        return self._scores


def test_claim_margins_read_three_classes_two_classes_and_refuse_a_model_without_scores():
    units = [SimpleNamespace(unit=object()), SimpleNamespace(unit=object())]
    three = _Scores(np.array(["claim", "none", "premise"]), np.array([[0.5, 0.0, 0.2], [-1.0, 0.0, 0.5]]))
    assert list(_claim_margins(three, units).values()) == pytest.approx([0.3, -1.5])
    two = _Scores(np.array(["premise", "claim"]), np.array([0.4, -0.2]))  # the score of classes_[1]
    assert list(_claim_margins(two, units).values()) == pytest.approx([0.4, -0.2])
    with pytest.raises(UsageError, match="party_claim"):
        _claim_margins(SimpleNamespace(classes_=np.array(["claim", "premise"])), units)


def test_a_premise_within_the_claim_allowance_becomes_a_claim_and_no_other_unit_changes():
    doc = _document(("premise", "Varga"), ("premise", "Varga"), ("premise", "Lenk"), ("claim", "Lenk"),
                    ("major_claim", "author"), ("premise", "author"), ("premise", "Osric"))
    margins = {id(u): m for u, m in zip(doc.units, (-0.6, -0.4, -0.5, -2.0, -0.1, -0.2))}  # Osric's: none
    prefer_claims([doc], margins, allowance=0.5)
    assert [u.label for u in doc.units] == ["premise", "claim", "premise", "claim", "major_claim", "claim", "premise"]


def test_a_rejected_span_within_the_unit_allowance_takes_its_better_unit_type_and_no_other_changes():
    doc = _document(*[("none", "author")] * 3, ("premise", "author"))
    classes = ["claim", "none", "premise"]
    rows = np.array([[0.1, 0.4, -0.3],    # claim short of none by 0.3: a claim
                     [-2.0, 0.4, -0.2],   # premise short by 0.6: rejected
                     [-1.0, 0.0, -0.45],  # premise short by 0.45: a premise
                     [0.0, 0.9, 0.1]])    # not rejected: unchanged
    instances = [SimpleNamespace(unit=u) for u in doc.units]
    _keep_near_units(instances, (classes, rows), "none", [0.5] * 4)
    assert [u.label for u in doc.units] == ["claim", "none", "premise", "premise"]
    doc.units[1].label = "none"
    _keep_near_units(instances, (classes, rows), "none", [0.5, 0.7, 0.5, 0.5])  # an allowance per span
    assert doc.units[1].label == "premise"


def _candidates(text: str, spans: list[str]) -> list:
    """Unit instances of ``spans`` in ``text`` (a span given twice is taken at its first and its last place), in text
    order, parsed with a headline as a sentence of its own, as in news."""
    starts = [text.rindex(s) if s in spans[:i] else text.index(s) for i, s in enumerate(spans)]
    doc = Document(id="d", text=text, units=[
        Unit(id=f"T{i}", start=start, end=start + len(s), text=s, label="none")
        for i, (s, start) in enumerate(zip(spans, starts), start=1)])
    nlp = load_pipeline(find_pipeline(exclude=["ner"], line_sentences=True))
    return sorted(build_unit_instances(doc, nlp(text)), key=lambda inst: inst.unit.start)


def test_a_span_that_states_a_position_gets_the_position_allowance():
    # Written for this test: the content of "has ruled out" states a position; the reporter's narration does not,
    # and a headline only announces one. A closing quotation mark after the stop still ends a sentence.
    instances = _candidates("Unions want a wealth tax\n"
                            "Finance Minister Axel Brand has ruled out a wealth tax. The talks resumed on Monday in "
                            'the capital.\nLenk wants a shorter week, a demand the union calls "overdue."',
                            ["a wealth tax", "The talks resumed on Monday", "a wealth tax", "a shorter week"])
    task = ComponentTask(reject="none", unit_allowance=0.5, position_allowance=1.5)
    assert _allowances(task, instances) == [0.5, 1.5, 0.5, 1.5]  # in text order
    assert _allowances(ComponentTask(reject="none", position_allowance=1.5), instances) == [0.0, 1.5, 0.0, 1.5]
    assert _allowances(ComponentTask(reject="none", unit_allowance=0.5), instances) == [0.5] * 4
    assert _allowances(ComponentTask(reject="none"), instances) is None


def test_a_span_that_is_a_party_verdict_gets_the_verdict_allowance():
    # Written for this test: what "slammed ... as" and "described ... as" judge their object to be is the party's
    # verdict; the reporter's narration is none, and a headline only announces one. What the union wants the minister
    # to call the cuts is both its position and a verdict: it gets the larger allowance.
    instances = _candidates("Mayor slams bypass as a reckless gamble\n"
                            "Mayor Ilse Korver slammed the bypass plan as a reckless gamble. The council met on "
                            "Tuesday."
                            '\nThe transport union described the plan as "overdue." It wants the minister to describe '
                            "the cuts as a false economy.",
                            ["a reckless gamble", "The council met on Tuesday", "a reckless gamble", "overdue",
                             "a false economy"])
    task = ComponentTask(reject="none", unit_allowance=0.5, position_allowance=1.5, verdict_allowance=1.0)
    assert _allowances(task, instances) == [0.5, 1.0, 0.5, 1.0, 1.5]  # in text order
    task = ComponentTask(reject="none", unit_allowance=0.5, position_allowance=0.8, verdict_allowance=1.2)
    assert _allowances(task, instances) == [0.5, 1.2, 0.5, 1.2, 1.2]
    task = ComponentTask(reject="none", unit_allowance=0.5, position_allowance=1.5, verdict_allowance=0.2)
    assert _allowances(task, instances) == [0.5, 0.5, 0.5, 0.5, 1.5]  # never below unit_allowance
    assert _allowances(ComponentTask(reject="none", verdict_allowance=1.0), instances) == [0.0, 1.0, 0.0, 1.0, 1.0]


@pytest.mark.parametrize("name", ["claim_allowance", "unit_allowance", "position_allowance", "verdict_allowance"])
@pytest.mark.parametrize("allowance", [-0.1, "0.5", True])
def test_the_components_task_refuses_an_allowance_that_is_no_number_at_least_zero(name, allowance):
    with pytest.raises(UsageError, match=f"{name} must be a number >= 0"):
        ComponentTask(**{name: allowance})


@pytest.mark.parametrize("name", ["unit_allowance", "position_allowance", "verdict_allowance"])
def test_the_components_task_refuses_an_allowance_to_keep_spans_without_a_label_to_reject(name):
    with pytest.raises(UsageError, match=f"{name} .* needs reject"):
        ComponentTask(**{name: 0.5})
    assert ComponentTask(unit_allowance=0.5, reject="none").unit_allowance == 0.5
