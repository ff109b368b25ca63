"""DocTokens: the token lists read from a Doc agree with spaCy's own Token, Span and char_span answers."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from mining.nlp.tokens import DocTokens, doc_tokens


@pytest.fixture(scope="module")
def parsed(unit_instances):
    return list({id(inst.parsed): inst.parsed for inst in unit_instances}.values())


def test_attributes_match_tokens(parsed):
    for doc in parsed:
        tokens = DocTokens(doc)
        assert tokens.orth == [t.text for t in doc]
        assert tokens.lower == [t.lower_ for t in doc]
        assert tokens.lemma == [t.lemma_ for t in doc]
        assert tokens.tag == [t.tag_ for t in doc]
        assert tokens.dep == [t.dep_ for t in doc]
        assert tokens.pos == [t.pos_ for t in doc]
        assert tokens.is_punct == [t.is_punct for t in doc]
        assert tokens.is_space == [t.is_space for t in doc]
        assert tokens.is_stop == [t.is_stop for t in doc]
        assert tokens.is_sent_start == [t.is_sent_start for t in doc]
        assert tokens.has_space == [bool(t.whitespace_) for t in doc]
        assert tokens.heads == [t.head.i for t in doc]
        assert tokens.idx == [t.idx for t in doc]
        assert tokens.end_char == [t.idx + len(t) for t in doc]
        assert tokens.text_length == len(doc.text)
        assert all(tokens.children[t.i] == [c.i for c in t.children] for t in doc)
        assert tokens.left_edges == [t.left_edge.i for t in doc]


def test_sentence_starts_unknown_without_a_parse(parsed):
    # A Doc built from words has no sentence boundaries: Token.is_sent_start is None but for the first token.
    doc = Doc(parsed[0].vocab, words=["Taxes", "are", "high", "."])
    assert DocTokens(doc).is_sent_start == [t.is_sent_start for t in doc] == [True, None, None, None]


def test_sentences_and_depths(parsed):
    for doc in parsed:
        tokens = DocTokens(doc)
        assert tokens.sentence_starts == [s.start for s in doc.sents]
        assert all(tokens.sentence(t.i) == (t.sent.start, t.sent.end) for t in doc)
        for t in doc:
            up, steps = t, 0
            while up.head.i != up.i:
                up, steps = up.head, steps + 1
            assert tokens.depth[t.i] == steps


def test_running_counts_and_words(parsed):
    doc = parsed[0]
    tokens = DocTokens(doc)
    punct = tokens.running("is_punct")
    assert punct[len(doc)] == sum(t.is_punct for t in doc)
    assert punct[5] - punct[2] == sum(t.is_punct for t in doc[2:5])
    assert tokens.words(0, len(doc)) == [t.lower_ for t in doc if not t.is_space]


@pytest.mark.parametrize("mode", ["contract", "expand"])
def test_char_span_matches_spacy(parsed, mode):
    doc = parsed[-1]
    tokens = DocTokens(doc)
    n = len(doc.text)
    for start in range(-1, n + 2):
        for end in range(start + 1, min(start + 40, n + 2)):
            span = doc.char_span(start, end, alignment_mode=mode)
            assert tokens.char_span(start, end, mode) == (None if span is None else (span.start, span.end))


def test_one_per_document(unit_instances):
    tables = doc_tokens(unit_instances)
    assert len(tables) == len({id(inst.parsed) for inst in unit_instances})
    assert all(tables[id(inst.parsed)].doc is inst.parsed for inst in unit_instances)
