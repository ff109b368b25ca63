"""Moving a tagged unit's start to where the unit opens: candidate starts, what they are learned from, and the
tagger that moves them."""

from __future__ import annotations

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from mining.corpora import load_corpus
from mining.errors import UsageError
from mining.features.tokens_window import TokenWindowVectorizer
from mining.instances.bio import bio_spans
from mining.instances.tokens import ParagraphTokens, TokenInstance
from mining.models.candidates import binary_proba, binary_proba_of_columns, clause_head
from mining.models.starts import (
    REACH,
    StartColumns,
    candidate_starts,
    fit_starter,
    move_starts,
    training_starts,
    window_columns,
    window_features,
)
from mining.models.tagging import TransitionTagger
from mining.nlp.sharing import sharing
from mining.nlp.tokens import tokens_of
from mining.runs.trust import trusted_types
from tests.models.helpers import FixedProba

TEXT = "Taxes must rise. In my view, it is clear that cities should ban cars because the air is bad."


def test_candidates_run_from_the_sentence_or_the_unit_before_to_reach_past_the_start(nlp):
    doc = nlp(TEXT)
    tokens = range(len(doc))
    cities = [t.text for t in doc].index("cities")
    # From the second sentence's first word ("In"), not the first sentence's, to REACH past "cities".
    window = candidate_starts(doc, tokens, cities, len(doc), floor=0)
    assert doc[window.start].text == "In" and window.stop - 1 == min(cities + REACH, len(doc) - 2)
    opening = window.start  # a unit from "In": REACH bounds the window before the unit's end does
    assert candidate_starts(doc, tokens, opening, len(doc), floor=0).stop - 1 == opening + REACH < len(doc) - 2
    # Not back over the unit before: a floor inside the sentence stops the window there.
    assert candidate_starts(doc, tokens, cities, len(doc) - 1, floor=cities - 2).start == cities - 2
    # Never so late that fewer than two tokens are left, and never before the start when the unit is short.
    assert candidate_starts(doc, tokens, cities, cities + 3, floor=cities).stop - 1 == cities + 1
    assert list(candidate_starts(doc, tokens, cities, cities + 1, floor=cities)) == [cities]


def test_training_starts_label_each_gold_start_and_nothing_else(nlp):
    doc = nlp(TEXT)
    words = [t.text for t in doc]
    units = [(0, 3), (words.index("cities"), words.index("because")), (words.index("the"), len(doc) - 1)]
    rows, labels = training_starts(doc, range(len(doc)), units)
    assert labels.count(1) == len(units)
    positives = [row for row, label in zip(rows, labels) if label]
    assert "word=cities" in positives[1] and "before=that" in positives[1] and "prefix_has=clear" in positives[1]
    assert not any(name.startswith("prefix=") for name in positives[1])  # eight words before it: no whole prefix
    it = next(row for row in rows if "word=it" in row)  # four words before it, the whole prefix read
    assert "prefix=in my view ," in it and "prefix_last2=view ," in it
    assert "next=is" in it and "opening=it is clear" in it
    # The third unit's window opens after the second unit's end ("because"), not at its sentence's start.
    assert "before=because" in positives[2] and "prefix=because" in positives[2]


def test_binary_rows_give_the_probabilities_of_the_fitted_vectorizer_and_classifier():
    rows = [{"a": 1.0, "b": 1.0}, {"b": 1.0, "c": 1.0}, {"a": 1.0, "c": 1.0}, {"c": 1.0}]
    pipeline = make_pipeline(DictVectorizer(), LogisticRegression()).fit(rows, [1, 0, 1, 0])
    new = [{"c": 1.0, "unseen": 1.0, "a": 1.0}, {"unseen": 1.0}, {"b": 1.0}]
    np.testing.assert_array_equal(binary_proba(pipeline, new), pipeline.predict_proba(new))


def test_window_columns_are_the_fitted_vectorizers_columns_of_the_window_features(nlp):
    training = nlp(TEXT)
    vectorizer_rows, labels = training_starts(training, range(len(training)), [(0, 3), (5, 12)])
    pipeline = make_pipeline(DictVectorizer(), LogisticRegression()).fit(vectorizer_rows, labels)
    doc = nlp("In my view, it is clear that it is right that it is clear that cities should ban cars.")  # words again
    window = candidate_starts(doc, range(len(doc)), 12, len(doc) - 1, floor=0)
    rows = window_features(doc, range(len(doc)), window)
    columns = window_columns(doc, range(len(doc)), window, StartColumns(pipeline[0].vocabulary_))
    assert len(columns) == len(rows) == len(window)
    expected = pipeline[0].transform(rows)
    assert [sorted(row) for row in columns] == [sorted(expected[i].indices) for i in range(len(rows))]
    assert all(len(set(row)) == len(row) for row in columns)  # a word read twice is one column
    np.testing.assert_array_equal(binary_proba_of_columns(pipeline, columns), pipeline.predict_proba(rows))


def spelled_window_features(doc, tokens, window):
    """``window_features`` as it spelled every name per candidate before the values were looked up by kind (at
    42689ca): the reference that the rows stay the same."""
    read = tokens_of(doc)
    lower, pos, dep, heads, left = read.lower, read.pos, read.dep, read.heads, read.left_edges
    rows, seen, seen_words, subject = [], {}, [], {}
    for k, p in enumerate(window):
        t = tokens[p]
        word, before = lower[t], lower[tokens[window[k - 1]]] if k else "<open>"
        c = clause_head(read, t)
        if c not in subject:
            subject[c] = any(dep[j] in ("nsubj", "nsubjpass", "expl") for j in read.children[c])
        names = [
            f"word={word}", f"pos={pos[t]}", f"dep={dep[t]}",
            f"before={before}", f"before|word={before}|{word}", f"before|pos={before}|{pos[t]}",
            f"opens_clause={left[c] == t}|{dep[c]}", f"opens_phrase={left[t] == t}", f"head_after={heads[t] > t}",
            f"clause_has_subject={subject[c]}", f"prefix_tokens={min(k, 12)}",
            f"next={lower[t + 1] if t + 1 < len(lower) else '<end>'}",
        ]
        if k >= 2:
            names.append(f"prefix_last2={seen_words[-2]} {seen_words[-1]}")
        if 0 < k <= 6:
            names.append(f"prefix={' '.join(seen_words)}")
        names.append(f"opening={' '.join(lower[t:t + 3])}")
        rows.append({**dict.fromkeys(names, 1.0), **seen})
        seen[f"prefix_has={word}"] = 1.0
        seen_words.append(word)
    return rows


def test_window_features_and_columns_are_those_spelled_name_by_name_on_the_sample_corpus(nlp):
    docs = list(nlp.pipe(d.text for d in load_corpus("sample")[:6]))
    windows = [(doc, range(lo, min(lo + 14, len(doc)))) for doc in docs for lo in range(0, len(doc) - 3, 9)]
    with sharing():
        expected = [row for doc, window in windows for row in spelled_window_features(doc, range(len(doc)), window)]
        rows = [row for doc, window in windows for row in window_features(doc, range(len(doc)), window)]
        assert rows == expected
        vectorizer = DictVectorizer().fit(expected[::2])  # half the names unseen
        columns = StartColumns(vectorizer.vocabulary_)  # one for all the windows, as move_starts has
        found = [row for doc, window in windows for row in window_columns(doc, range(len(doc)), window, columns)]
    matrix = vectorizer.transform(expected)
    assert [sorted(row) for row in found] == [matrix[i].indices.tolist() for i in range(len(expected))]


def fixed_starts(by_word: dict[str, float]) -> FixedProba:
    return FixedProba("word", by_word, default=0.1)


def test_starts_move_by_the_margin_and_never_over_a_kept_or_a_missing_token(nlp):
    doc = nlp(TEXT)
    words = [t.text for t in doc]
    paragraph = ParagraphTokens(index=0, n_paragraphs=1, start=0, end=len(doc.text), tokens=tuple(range(len(doc))))
    X = [TokenInstance(document=None, parsed=doc, paragraph=paragraph, position=k) for k in range(len(doc))]
    it, cities, end = words.index("it"), words.index("cities"), len(doc) - 1
    tags = ["O"] * len(doc)
    tags[it], tags[it + 1:end] = "B", ["I"] * (end - it - 1)  # "it is clear that cities ... bad"

    def move(by_word, margin=0.3, keep=(), outside=(), members=None):
        members = list(range(len(doc))) if members is None else members
        return bio_spans(move_starts(fixed_starts(by_word), margin, X, [members], tags, keep, outside))

    assert move({}) == [(it, end)]
    assert move({"cities": 0.9}) == [(cities, end)]  # later: "it is clear that" left out
    assert move({"cities": 0.9, "it": 0.7}) == [(it, end)]  # short of the margin
    assert move({"cities": 0.9, "it": 0.7}, margin=0.1) == [(cities, end)]
    assert move({"in": 0.9}) == [(words.index("In"), end)]  # earlier, to the sentence's first word
    assert move({"cities": 0.9}, keep={it + 1}) == [(it, end)]  # "is" is forced inside a unit
    assert move({"in": 0.9}, outside={it - 1}) == [(it, end)]  # the comma is forced outside
    assert move({"my": 0.9}, outside={it - 3}) == [(it, end)]  # "my" is: no start on it or before it ...
    assert move({"view": 0.9}, outside={it - 3}) == [(it - 2, end)]  # ... but after it
    no_comma = [k for k in range(len(doc)) if words[k] != ","]  # the comma has no instance
    assert bio_spans(move_starts(fixed_starts({"in": 0.9}), 0.3, X, [no_comma], tags))[0][0] == it


def test_a_tagger_with_a_starter_moves_starts_round_trips_through_skops_and_checks_its_margin(sample_tokens):
    task, instances, gold = sample_tokens
    plain = TransitionTagger(features=TokenWindowVectorizer(), classifier=LinearSVC(C=0.05, dual=True), weight=0.3)
    tagger = clone(plain).set_params(starter=LogisticRegression(max_iter=1000), start_margin=0.0).fit(instances, gold)
    assert tagger.starter_ is not None and plain.fit(instances, gold).starter_ is None
    before, after = task.predict(plain, instances), task.predict(tagger, instances)
    assert before != after  # with no margin some start moves; the ends stay
    assert sorted(b for _, b in bio_spans(before)) == sorted(b for _, b in bio_spans(after))
    data = sio.dumps(tagger)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= trusted_types()
    assert task.predict(sio.loads(data, trusted=untrusted), instances) == after
    for margin in (-0.1, 1.0, True):
        with pytest.raises(UsageError, match="start_margin"):
            clone(tagger).set_params(start_margin=margin).fit(instances, gold)
    with pytest.raises(UsageError, match="predict_proba.*LinearSVC"):
        fit_starter(LinearSVC(), instances, gold)
    # A tagger saved before the starter existed loads without one and decodes as it did.
    for name in ("starter", "start_margin", "starter_"):
        del plain.__dict__[name]
    data = sio.dumps(plain)
    loaded = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    assert loaded.starter_ is None and task.predict(loaded, instances) == before
