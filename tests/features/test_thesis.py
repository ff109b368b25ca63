"""Thesis features: the concession paragraph, contrast after the claim, words shared with the thesis."""

from __future__ import annotations

import pytest

from mining.features.thesis import FEATURES, ThesisVectorizer


def _row(extractor, inst):
    return dict(zip(FEATURES, extractor.fit([inst]).transform([inst]).toarray()[0]))


def test_a_conceded_claim_is_seen_in_its_paragraph(unit_of):
    conceded = _row(ThesisVectorizer(), unit_of("shops will lose customers"))
    plain = _row(ThesisVectorizer(), unit_of("cars make the air dirty"))
    # "However, some people argue that <claim>. Although ..." : concession markers open the paragraph
    assert conceded["paragraph_opens_concession"] == 1.0 and conceded["claim_in_opening_sentence"] == 1.0
    assert conceded["other_voices"] == 1.0 and conceded["contrast_before"] == 1.0
    assert plain["paragraph_opens_concession"] == 0.0 and plain["other_voices"] == 0.0
    assert plain["first_in_paragraph"] == 1.0 and conceded["last_in_paragraph"] == 0.0


def test_contrast_after_the_claim(unit_of):
    row = _row(ThesisVectorizer(), unit_of("homework can teach discipline"))
    assert row["contrast_after"] == 1.0  # "... discipline. But discipline can also be learned"
    assert _row(ThesisVectorizer(), unit_of("free afternoons matter"))["contrast_after"] == 0.0


def test_thesis_words_and_negation(unit_of):
    # the homework essay's major claims (first and last paragraph) speak of homework, harm, pupils
    row = _row(ThesisVectorizer(thesis="major_claims"), unit_of("homework can teach discipline"))
    assert row["thesis_overlap"] == pytest.approx(1 / 3)  # homework / teach, discipline
    assert row["claim_negated"] == 0.0 and row["thesis_negated"] == 0.0 and row["negation_mismatch"] == 0.0
    edges = _row(ThesisVectorizer(), unit_of("homework can teach discipline"))
    assert edges["thesis_overlap"] == row["thesis_overlap"]  # the edge paragraphs hold just the major claims


def test_a_major_claim_is_not_its_own_thesis(unit_of):
    row = _row(ThesisVectorizer(thesis="major_claims"), unit_of("every large city should try it"))
    assert row["in_conclusion"] == 1.0 and row["in_intro"] == 0.0
    assert row["thesis_overlap"] < 1.0


def test_an_unknown_thesis_is_refused(unit_of):
    with pytest.raises(ValueError, match="thesis must be one of"):
        ThesisVectorizer(thesis="title").fit([unit_of("cars make the air dirty")])


@pytest.mark.parametrize("thesis", ["edges", "major_claims"])
def test_rows_of_a_batch_are_those_of_each_unit_alone(unit_instances, thesis):
    """The units of a batch's documents share what is read once per document (each one's edge units and thesis), and
    still get the rows they get alone."""
    extractor = ThesisVectorizer(thesis=thesis).fit(unit_instances)
    together = extractor.transform(unit_instances).toarray()
    alone = [extractor.transform([inst]).toarray()[0] for inst in unit_instances]
    assert len({inst.document.id for inst in unit_instances}) > 1
    assert (together == alone).all()
