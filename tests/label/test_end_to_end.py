"""Eger et al.'s token offsets from a parse: units take the tokens they touch, whitespace tokens do not count."""

from __future__ import annotations

import pytest
import spacy

from mining.errors import UsageError
from mining.label.end_to_end import token_annotation
from mining.nlp.tokens import DocTokens
from mining.schema import Document, Relation, Unit


def test_token_annotation_counts_words_not_whitespace():
    text = "Cats rule.\n\nDogs drool a lot."
    parsed = spacy.blank("en")(text)
    assert any(t.is_space for t in parsed)
    doc = Document("d", text, units=[Unit("T1", 0, 9, "Cats rule", "claim"),
                                     Unit("T2", 12, 22, "Dogs drool", "premise")],
                   relations=[Relation("R1", "T2", "T1", "supports")])
    got = token_annotation(doc, DocTokens(parsed))
    # words: Cats rule . Dogs drool a lot . -> the newline token is not one
    assert list(got.spans) == [(0, 2), (3, 5)]
    assert list(got.labels) == ["claim", "premise"]
    assert list(got.relations) == [(1, 0, "supports")]


def test_a_unit_inside_a_token_takes_the_whole_token():
    parsed = spacy.blank("en")("Cats rule.")
    doc = Document("d", "Cats rule.", units=[Unit("T1", 1, 3, "at", "claim")])
    assert list(token_annotation(doc, DocTokens(parsed)).spans) == [(0, 1)]


def test_a_unit_past_the_text_is_an_error():
    parsed = spacy.blank("en")("Cats rule.")
    doc = Document("d", "Cats rule.", units=[Unit("T1", 0, 9, "Cats rule", "claim")])
    doc.units[0].start, doc.units[0].end = 40, 45
    with pytest.raises(UsageError, match="T1"):
        token_annotation(doc, DocTokens(parsed))
