"""A parse's fingerprint changes with every annotation the features read, and with nothing else."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from mining.nlp.fingerprint import parse_fingerprint, parses_fingerprint

WORDS = ["Cars", "pollute", ".", "Ban", "them", "."]


def _doc(vocab, **changes) -> Doc:
    annotations = {"words": WORDS, "tags": ["NNS", "VBP", ".", "VB", "PRP", "."],
                   "lemmas": ["car", "pollute", ".", "ban", "they", "."], "heads": [1, 1, 1, 3, 3, 3],
                   "deps": ["nsubj", "ROOT", "punct", "ROOT", "dobj", "punct"],
                   "sent_starts": [True, False, False, True, False, False], "ents": ["O"] * 6}
    annotations.update(changes)
    return Doc(vocab, **annotations)


@pytest.mark.parametrize("change", [
    {"tags": ["NNS", "VBZ", ".", "VB", "PRP", "."]},
    {"lemmas": ["cars", "pollute", ".", "ban", "they", "."]},
    {"heads": [1, 1, 1, 3, 3, 4]},
    {"deps": ["nsubj", "ROOT", "punct", "ROOT", "obj", "punct"]},
    {"sent_starts": [True, False, False, False, False, False], "heads": [1, 1, 1, 1, 3, 3],
     "deps": ["nsubj", "ROOT", "punct", "conj", "dobj", "punct"]},
    {"ents": ["B-ORG", "O", "O", "O", "O", "O"]},
    {"words": ["Cars", "pollute", "!", "Ban", "them", "."]},
])
def test_every_annotation_the_features_read_changes_the_fingerprint(change):
    vocab = spacy.blank("en").vocab
    assert parse_fingerprint(_doc(vocab)) == parse_fingerprint(_doc(vocab))
    assert parse_fingerprint(_doc(vocab)) != parse_fingerprint(_doc(vocab, **change))


def test_the_fingerprint_does_not_depend_on_the_vocabulary_it_was_loaded_into():
    assert parse_fingerprint(_doc(spacy.blank("en").vocab)) == parse_fingerprint(_doc(spacy.blank("en").vocab))


def test_the_overall_fingerprint_follows_any_one_document():
    vocab = spacy.blank("en").vocab
    same = parses_fingerprint(["a", "b"], [_doc(vocab), _doc(vocab)])
    other = parses_fingerprint(["a", "b"], [_doc(vocab), _doc(vocab, lemmas=["x"] * 6)])
    assert same["documents"]["a"] == other["documents"]["a"] != other["documents"]["b"]
    assert same["fingerprint"] != other["fingerprint"]
    with pytest.raises(ValueError, match="2 document ids for 1 parses"):
        parses_fingerprint(["a", "b"], [_doc(vocab)])
