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


def test_a_title_or_a_role_beside_the_name_says_the_gender():
    doc = _doc(["Mrs", "Ashby", "spoke"], ["PROPN", "PROPN", "VERB"])
    assert gender_beside(doc[1], doc[1]) == "she"
    doc = _doc(["Ashby", ",", "a", "spokesman", ",", "spoke"], ["PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB"],
               heads=[5, 0, 3, 0, 0, 5], deps=["nsubj", "punct", "det", "appos", "punct", "ROOT"])
    assert gender_beside(doc[0], doc[0]) == "he"
    doc = _doc(["the", "spokeswoman", ",", "Ashby", ",", "spoke"], ["DET", "NOUN", "PUNCT", "PROPN", "PUNCT", "VERB"],
               heads=[1, 5, 1, 1, 1, 5], deps=["det", "nsubj", "punct", "appos", "punct", "ROOT"])
    assert gender_beside(doc[3], doc[3]) == "she"


def test_a_verb_before_the_name_is_no_title():
    doc = _doc(["Fans", "will", "miss", "Ashby"], ["NOUN", "AUX", "VERB", "PROPN"])
    assert gender_beside(doc[3], doc[3]) is None


def _speaking(name: list[str], label: str, dep: str = "nsubj"):
    """``name`` said no., with ``name`` an entity of ``label`` and the subject of "said" (or ``dep``)."""
    words = [*name, "said", "no", "."]
    n = len(name)
    return Doc(spacy.blank("en").vocab, words=words, pos=["PROPN"] * n + ["VERB", "INTJ", "PUNCT"],
               lemmas=[*name, "say", "no", "."], heads=[n - 1] * (n - 1) + [n, n, n, n],
               deps=["compound"] * (n - 1) + [dep, "ROOT", "dobj", "punct"],
               ents=[f"B-{label}"] + [f"I-{label}"] * (n - 1) + ["O"] * 3)


def test_a_speaker_the_model_read_as_a_place_is_a_person_with_their_given_name():
    names = PersonNames(_speaking(["Irena", "Dolman"], "GPE"))
    assert names.names == {"dolman": "Irena Dolman"}
    assert names.gender("Dolman") == "she"
    assert names.last_of_gender(2, "she") == "Irena Dolman"
    assert names.last_of_gender(1, "she") is None  # only mentions before the token count
    assert names.last_of_gender(2, "he") is None


def test_a_place_named_after_someone_is_no_person():
    assert PersonNames(_speaking(["Irena", "Dolman"], "GPE", dep="dobj")).names == {}


def test_people_of_one_surname_keep_their_own_genders():
    doc = _doc(["Tomas", "Lund", "met", "Ingrid", "Lund"], ["PROPN", "PROPN", "VERB", "PROPN", "PROPN"],
               ents=["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON"])
    names = PersonNames(doc)
    assert (names.gender("Tomas Lund"), names.gender("Ingrid Lund")) == ("he", "she")


def test_titles_of_both_genders_for_one_name_give_none():
    doc = _doc(["Mr", "Lund", "met", "Mrs", "Lund"], ["PROPN", "PROPN", "VERB", "PROPN", "PROPN"],
               ents=["O", "B-PERSON", "O", "O", "B-PERSON"])
    assert PersonNames(doc).gender("Lund") is None
