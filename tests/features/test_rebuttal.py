"""Rebuttal features: which clause a concession marker governs, and the answer after a claim."""

from __future__ import annotations

import pytest

from mining.features.rebuttal import FEATURES, RebuttalVectorizer, last_match


def _row(inst):
    return dict(zip(FEATURES, RebuttalVectorizer().fit([inst]).transform([inst]).toarray()[0]))


def test_last_match_finds_the_last_phrase():
    words = "although it rains , some people say that it is dry".split()
    assert last_match(words, [["although"], ["some", "people"]]) == 6  # just after "some people"
    assert last_match(words, [["on", "the", "other", "hand"]]) == -1


def test_a_claim_put_in_other_mouths_is_conceded(unit_of):
    row = _row(unit_of("shops will lose customers"))  # "However, some people argue that <claim>."
    assert row["conceded_directly"] == 1.0 and row["concession_then_main"] == 0.0
    # the next sentence opens with "Although", a concession, not a contrast: no answer read
    assert row["contrast_opens_next"] == 0.0 and row["conceded_rebutted_next"] == 0.0
    assert row["in_last_body"] == 1.0  # the third of four paragraphs


def test_a_unit_that_answers_a_concession_is_the_main_clause(unit_of):
    # "Although this worry is understandable, studies show that <unit>."
    row = _row(unit_of("pedestrians spend more money in local shops"))
    assert row["concession_then_main"] == 1.0 and row["conceded_directly"] == 0.0
    # the sentence before ("However, some people argue that ...") concedes and opens with a contrast
    assert row["concession_in_previous"] == 1.0 and row["contrast_opens_previous"] == 1.0


def test_a_claim_answered_by_the_next_sentence(unit_of):
    # "On the other hand, <claim>. But discipline can also be learned at school."
    row = _row(unit_of("homework can teach discipline"))
    assert row["contrast_opens_next"] == 1.0 and row["contrast_in_next"] == 1.0
    assert row["conceded_directly"] == 0.0 and row["unconceded_contrast_next"] == 1.0
    assert row["conceded_rebutted_later"] == 0.0


def test_a_plain_claim_and_the_paragraph_position(unit_of):
    row = _row(unit_of("cars make the air dirty"))  # "First of all, <claim>." in the second of four paragraphs
    assert sum(row[name] for name in FEATURES if name != "paragraph_position") == 0.0
    assert row["paragraph_position"] == pytest.approx(1 / 3)
    # "Therefore, <claim>." after two sentences of the same paragraph, none of them opening with a contrast
    later = _row(unit_of("fewer cars mean healthier residents"))
    assert later["contrast_opens_previous"] == 0.0 and later["contrast_after_in_sentence"] == 0.0
