"""The gender a text gives a named person: given names, titles and roles beside a mention."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from mining.nlp.holders.gender import gender_beside, gender_of_name
from mining.nlp.holders.names import PersonNames


def test_a_full_name_takes_the_gender_of_its_given_name():
    assert gender_of_name("Ingrid Solberg") == "she"
    assert gender_of_name("Tomás Halvik") == gender_of_name("Tomas Halvik") == "he"  # accents do not matter


def test_a_surname_alone_or_an_unlisted_given_name_has_no_gender():
    assert gender_of_name("Solberg") is None
    assert gender_of_name("Robin Ashby") is None


def _doc(words, pos, ents=None, heads=None, deps=None):
    return Doc(spacy.blank("en").vocab, words=words, pos=pos, ents=ents, heads=heads, deps=deps)


def test_a_title_or_an_apposed_role_says_the_gender():
    doc = _doc(["Mrs", "Ashby", "spoke"], ["PROPN", "PROPN", "VERB"])
    assert gender_beside(doc[1], doc[1]) == "she"
    doc = _doc(["Ashby", ",", "a", "spokesman", ",", "spoke"], ["PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB"],
               heads=[5, 0, 3, 0, 0, 5], deps=["nsubj", "punct", "det", "appos", "punct", "ROOT"])
    assert gender_beside(doc[0], doc[0]) == "he"


def test_a_name_the_model_read_as_a_place_is_a_person_with_its_given_name():
    doc = _doc(["Marta", "Sykorova", "said", "no", "."], ["PROPN", "PROPN", "VERB", "INTJ", "PUNCT"],
               ents=["B-GPE", "I-GPE", "O", "O", "O"])
    names = PersonNames(doc)
    assert names.names == {"sykorova": "Marta Sykorova"}
    assert names.gender("Sykorova") == "she"
    assert names.last_of_gender(3, "she") == (1, "Marta Sykorova")
    assert names.last_of_gender(3, "he") is None

