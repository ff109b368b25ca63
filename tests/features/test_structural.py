"""Structural features: intro and conclusion, positions in paragraph and sentence."""

from __future__ import annotations

from mining.features.structural import StructuralVectorizer


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
