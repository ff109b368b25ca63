"""Discourse markers: whole-word phrase matching and the indicator features around a unit."""

from __future__ import annotations

import numpy as np
import pytest

from mining.features.markers import IndicatorVectorizer, MarkerIndex, MarkerMatcher, resolve_lists


def _row(vectorizer, X, inst):
    names = list(vectorizer.get_feature_names_out())
    row = vectorizer.transform([inst]).toarray()[0]
    return dict(zip(names, row))


def test_matches_whole_words_case_insensitively_longest_first():
    matcher = MarkerMatcher({"forward": ("so", "as a result", "thus"), "first_person": ("i", "my")})
    text = "As a  result, I left. Also, it is so. THUS my point."
    index = MarkerIndex(text, matcher)
    assert [index.count(name, 0, len(text)) for name in ("forward", "first_person")] == [3, 2]
    assert index.found(0, 12) == ["as a result"]  # the phrase spans a double space
    assert index.count("first_person", 0, 15) == 1  # "I", but not the "i" inside "it"
    assert index.count("forward", 22, 30) == 0  # "Also" is not "so"


def test_lists_are_checked():
    with pytest.raises(ValueError):
        resolve_lists({"thesis": "in my opinion"})  # a string, not a list of phrases
    with pytest.raises(ValueError):
        IndicatorVectorizer(lists={}).fit([])


def test_because_in_the_shell(unit_instances, unit_of):
    vec = IndicatorVectorizer().fit(unit_instances)
    row = _row(vec, unit_instances, unit_of("exhaust fumes harm the lungs"))
    assert row["shell:backward"] == 1 and row["shell=because"] == 1
    assert row["unit:backward"] == 0 and row["paragraph_after:forward"] == 1  # "Therefore" later on


def test_thesis_and_first_person(unit_instances, unit_of):
    vec = IndicatorVectorizer().fit(unit_instances)
    row = _row(vec, unit_instances, unit_of("every large city should try it"))
    assert row["shell:thesis"] == 1 and row["shell:first_person"] == 1 and row["shell=i believe"] == 1
    assert row["paragraph_before:thesis"] == 1  # "To sum up" in the sentence before


def test_following_and_reporting(unit_instances, unit_of):
    vec = IndicatorVectorizer().fit(unit_instances)
    assert _row(vec, unit_instances, unit_of("Young children need time to play"))["following:backward"] == 1
    assert _row(vec, unit_instances, unit_of("the new bridge will open in May"))["shell:reporting"] == 1


def test_unseen_shell_markers_are_ignored(unit_instances, unit_of):
    fitted_on = [inst for inst in unit_instances if inst.document.id != "bridge"]
    vec = IndicatorVectorizer().fit(fitted_on)
    assert "shell=according to" not in vec.get_feature_names_out()
    assert vec.transform([unit_of("the steel frame is already finished")]).shape[1] == len(vec.get_feature_names_out())


def test_present_all_is_present_row_by_row():
    text = "Because it rains, however, we stay. But since then, because of that, nothing."
    index = MarkerIndex(text, MarkerMatcher({"reason": ["because", "since"], "contrast": ["however", "but"],
                                             "none": ["never mind"]}))
    bounds = np.asarray([(0, len(text)), (0, 7), (1, 7), (8, 30), (30, 8), (40, 40), (36, 60), (0, 0)], dtype=np.int64)
    expected = [index.present(int(a), int(b)) for a, b in bounds]
    assert any(any(row) for row in expected) and not all(all(row) for row in expected)
    assert index.present_all(bounds).tolist() == expected
