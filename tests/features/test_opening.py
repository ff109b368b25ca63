"""Opening-word features: the first lemmas of a unit, of its neighbours and of the text around it, by position."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from mining.features.opening import TEXT_POSITIONS, OpeningVectorizer, paragraph_sentences
from mining.nlp.tokens import DocTokens


def test_contract(unit_instances):
    extractor = OpeningVectorizer(min_df=1)
    with pytest.raises(NotFittedError):
        extractor.transform(unit_instances)
    assert clone(extractor).get_params() == extractor.get_params()
    assert extractor.fit(unit_instances) is extractor
    matrix = extractor.transform(unit_instances)
    names = extractor.get_feature_names_out()
    assert matrix.shape == (len(unit_instances), len(names)) and matrix.dtype == np.float64
    assert len(set(names)) == len(names)
    for i in (0, len(unit_instances) - 1):
        assert (extractor.transform([unit_instances[i]]) != matrix[i]).nnz == 0


def test_reads_the_unit_and_its_neighbours(unit_instances, unit_of):
    vec = OpeningVectorizer(n_tokens=2, min_df=1).fit(unit_instances)
    names = vec.get_feature_names_out()
    # "homework can teach discipline" opens its paragraph's units; "discipline can also ..." follows it.
    inst = unit_of("discipline can also be learned at school")
    active = set(names[vec.transform([inst]).indices])
    assert active == {"self:0=discipline", "self:1=can", "prev:0=homework", "prev:1=can", "next:none"}


def test_min_df_and_positions(unit_instances):
    only_self = OpeningVectorizer(n_tokens=1, min_df=2, positions=("self",)).fit(unit_instances)
    names = list(only_self.get_feature_names_out())
    assert names and all(n.startswith("self:0=") for n in names)
    counts = np.asarray(only_self.transform(unit_instances).sum(axis=0)).ravel()
    assert (counts >= 2).all()
    with pytest.raises(ValueError, match="positions must be some of .*next_sentence.*got \\('left',\\)"):
        OpeningVectorizer(positions=("left",)).fit(unit_instances)


def _active(vec, inst) -> set[str]:
    return set(vec.get_feature_names_out()[vec.transform([inst]).indices])


def test_reads_the_paragraph_and_the_sentences_around_a_claim(unit_instances, unit_of):
    vec = OpeningVectorizer(min_df=1, positions=TEXT_POSITIONS).fit(unit_instances)
    # "However, some people argue that <claim>. Although this worry is understandable, ..."
    assert _active(vec, unit_of("shops will lose customers")) == {
        "paragraph:0=however", "paragraph:1=,", "paragraph:2=some", "previous_sentence:none",
        "next_sentence:0=although", "next_sentence:1=this", "next_sentence:2=worry"}
    # the paragraph's last sentence: the next paragraph ("To sum up, ...") is not its next sentence
    assert _active(vec, unit_of("pedestrians spend more money in local shops")) == {
        "paragraph:0=however", "paragraph:1=,", "paragraph:2=some", "previous_sentence:0=however",
        "previous_sentence:1=,", "previous_sentence:2=some", "next_sentence:none"}
    # lemmas: "Because exhaust fumes ..." opens the sentence before "Therefore, <claim>."
    assert {"previous_sentence:0=because", "previous_sentence:2=fume"} <= _active(
        vec, unit_of("fewer cars mean healthier residents"))


def test_two_units_of_one_sentence_share_the_sentences_around_it(unit_instances, unit_of):
    vec = OpeningVectorizer(min_df=1, positions=("previous_sentence", "next_sentence")).fit(unit_instances)
    # "Because <premise>, <premise>." sits between "First of all, ..." and "Therefore, ..."
    first, second = unit_of("exhaust fumes harm the lungs"), unit_of("children in busy streets suffer from asthma")
    assert _active(vec, first) == _active(vec, second) == {
        "previous_sentence:0=first", "previous_sentence:1=of", "previous_sentence:2=all",
        "next_sentence:0=therefore", "next_sentence:1=,", "next_sentence:2=few"}


def test_unit_and_text_positions_combine_and_keep_min_df(unit_instances, unit_of):
    vec = OpeningVectorizer(n_tokens=1, min_df=2, positions=("self", "paragraph", "next_sentence")).fit(unit_instances)
    names = set(vec.get_feature_names_out())
    assert "paragraph:0=however" in names and "next_sentence:none" in names
    assert "next_sentence:0=although" not in names  # seen once only
    counts = np.asarray(vec.transform(unit_instances).sum(axis=0)).ravel()
    assert (counts >= 2).all()
    assert _active(vec, unit_of("homework can teach discipline")) >= {"paragraph:0=on", "self:0=homework"}


def test_paragraph_sentences_stay_inside_the_paragraph(unit_of):
    inst = unit_of("homework can teach discipline")  # a paragraph of two sentences
    tokens = DocTokens(inst.parsed)
    sentences = paragraph_sentences(inst, tokens)
    assert [tokens.words(*s)[0] for s in sentences] == ["on", "but"]
    start, end = tokens.char_span(*inst.paragraph_span, "expand")
    assert sentences[0][0] == start and sentences[-1][1] <= end + 1
