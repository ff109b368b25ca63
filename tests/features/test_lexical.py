"""Lexical n-grams keep one-letter words and punctuation; the shell marks sentence and unit edges."""

from __future__ import annotations

from mining.features.lexical import LexicalVectorizer, ShellVectorizer, part_ngrams


def test_ngrams_stay_inside_their_part():
    assert part_ngrams((["a", "b"], ["c"]), (1, 2)) == ["a", "b", "a b", "c"]


def test_unit_ngrams_keep_short_words(unit_instances):
    names = set(LexicalVectorizer(min_df=1).fit(unit_instances).get_feature_names_out())
    assert {"it", "try it", "cars"} <= names


def test_shell_ngrams(unit_instances):
    names = set(ShellVectorizer(min_df=1).fit(unit_instances).get_feature_names_out())
    assert {"<s> because <u>", "<s> however ,", "that <u>", "after:<u> after:. after:</s>"} <= names
    # with the default min_df=2, one-off shells drop out but shared ones stay
    assert {"that <u>", "<s> because"} <= set(ShellVectorizer().fit(unit_instances).get_feature_names_out())
