"""Structural features: intro and conclusion, positions in paragraph and sentence."""

from __future__ import annotations

import pytest

from mining.features.structural import StructuralVectorizer
from mining.instances.units import build_unit_instances
from mining.schema import Document, Unit, paragraphs_from_lines


def _rows(unit_instances):
    vec = StructuralVectorizer().fit(unit_instances)
    names = list(vec.get_feature_names_out())
    matrix = vec.transform(unit_instances).toarray()
    return {inst.text: dict(zip(names, row)) for inst, row in zip(unit_instances, matrix)}


def test_intro_and_conclusion(unit_instances):
    rows = _rows(unit_instances)
    intro = rows["city centres should be closed to private cars"]
    assert intro["in_intro"] == 1 and intro["in_conclusion"] == 0 and intro["only_in_paragraph"] == 1
    final = rows["every large city should try it"]
    assert final["in_conclusion"] == 1 and final["last_in_paragraph"] == 1 and final["paragraph_position"] == 1
    body = rows["cars make the air dirty"]
    assert body["in_body"] == 1 and body["first_in_paragraph"] == 1


def test_sentence_sharing(unit_instances):
    rows = _rows(unit_instances)
    first = rows["exhaust fumes harm the lungs"]
    second = rows["children in busy streets suffer from asthma"]
    assert first["unit_after_in_sentence"] == 1 and first["unit_before_in_sentence"] == 0
    assert second["unit_before_in_sentence"] == 1 and second["unit_after_in_sentence"] == 0
    assert rows["Young children need time to play"]["shell_empty"] == 1
    assert rows["cars make the air dirty"]["shell_empty"] == 0


def test_values_are_scaled(unit_instances):
    matrix = StructuralVectorizer().fit_transform(unit_instances)
    assert matrix.min() >= 0 and matrix.max() < 6


def _headline_rows(nlp, places):
    """The rows of one report's units as written (a headline line above) and with the headline cut off."""
    from tests.features.conftest import _units

    body = ("The mayor said that the bridge will open in May. Critics claimed the project cost too much.\n"
            "Engineers warned that the frame needs checks.")
    units = [("the bridge will open in May", "claim"), ("the project cost too much", "claim"),
             ("the frame needs checks", "premise")]
    rows = {}
    for way, text in (("headline", "Bridge to open in May\n" + body), ("none", body)):
        doc = Document(id=way, text=text, paragraphs=paragraphs_from_lines(text), units=_units(text, units))
        instances = build_unit_instances(doc, nlp(text))
        vec = StructuralVectorizer(paragraph_places=places).fit(instances)
        rows[way] = dict(zip(vec.get_feature_names_out(), vec.transform(instances).toarray().T))
    return rows


def test_headline_places_read_a_report_alike_with_or_without_its_headline(nlp):
    # A report's lede is no essay's introduction: under "headline" places a paragraph is a headline (no final
    # punctuation), the conclusion (the last, after a paragraph that is no headline) or body, so cutting the headline
    # off changes no place (docs/labelling.md).
    rows = _headline_rows(nlp, "headline")
    for name in ("in_intro", "in_conclusion", "in_body", "paragraph_position"):
        assert rows["headline"][name].tolist() == rows["none"][name].tolist(), name
    assert rows["none"]["in_body"].tolist() == [1, 1, 0] and rows["none"]["in_conclusion"].tolist() == [0, 0, 1]
    assert not rows["none"]["in_intro"].any() and not rows["none"]["paragraph_position"].any()
    by_position = _headline_rows(nlp, "position")  # essays: the first paragraph is the intro
    assert by_position["none"]["in_intro"].tolist() == [1, 1, 0] and not by_position["headline"]["in_intro"].any()


def test_a_headline_paragraph_is_no_body_and_one_paragraph_no_conclusion(nlp):
    text = "Bridge to open in May\nThe mayor said that the bridge will open in May."
    doc = Document(id="h", text=text, paragraphs=paragraphs_from_lines(text),
                   units=[Unit(id="T1", start=0, end=6, text="Bridge", label="claim"),
                          Unit(id="T2", start=text.index("the bridge"), end=len(text) - 1,
                               text="the bridge will open in May", label="claim")])
    vec = StructuralVectorizer(paragraph_places="headline").fit(instances := build_unit_instances(doc, nlp(text)))
    rows = dict(zip(vec.get_feature_names_out(), vec.transform(instances).toarray().T))
    assert rows["in_body"].tolist() == [0, 1] and not rows["in_conclusion"].any()


def test_unknown_paragraph_places_raise(unit_instances):
    with pytest.raises(ValueError, match="paragraph_places must be one of position, headline"):
        StructuralVectorizer(paragraph_places="lede").fit(unit_instances)
