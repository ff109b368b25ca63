"""CompactDictVectorizer: a DictVectorizer saved as one string of names, loaded back to the same vectorizer."""

from __future__ import annotations

import copy
import json
import zipfile
from unittest import mock

import numpy as np
import pytest
import skops.io as sio
from sklearn.feature_extraction import DictVectorizer

from mining.models.candidates import CompactDictVectorizer
from mining.runs.trust import UntrustedModelError, load_trusted

ROWS = [{"w=plan": 1.0, "w=\n\n": 1.0, "prefix_has=é": 1.0}, {"w=": 1.0, "w=plan": 1.0, "dep=nsubj|w=it": 1.0},
        {f"w={i}": 1.0 for i in range(300)}]


def _nodes(path) -> int:
    def count(node):
        if isinstance(node, dict):
            return 1 + sum(map(count, node.values()))
        return sum(map(count, node)) if isinstance(node, list) else 0
    with zipfile.ZipFile(path) as z:
        return count(json.loads(z.read("schema.json")))


def test_it_saves_its_names_as_one_string_and_loads_back_the_same_vectorizer(tmp_path):
    plain, compact = DictVectorizer().fit(ROWS), CompactDictVectorizer().fit(ROWS)
    sio.dump(plain, tmp_path / "plain.skops")
    sio.dump(compact, tmp_path / "compact.skops")
    loaded = load_trusted(tmp_path / "compact.skops")
    assert type(loaded) is CompactDictVectorizer
    assert loaded.feature_names_ == plain.feature_names_ and loaded.vocabulary_ == plain.vocabulary_
    assert (loaded.transform(ROWS) != plain.transform(ROWS)).nnz == 0
    assert _nodes(tmp_path / "compact.skops") < 40 < 600 < _nodes(tmp_path / "plain.skops")
    assert copy.deepcopy(compact).vocabulary_ == compact.vocabulary_  # pickle's protocol reads the same state
    assert compact.vocabulary_ == plain.vocabulary_  # saving left the fitted vectorizer as it was


def test_a_vocabulary_that_is_not_its_names_order_is_saved_as_it_is():
    vectorizer = CompactDictVectorizer().fit(ROWS)
    vectorizer.vocabulary_ = {name: len(vectorizer.feature_names_) - 1 - i
                              for i, name in enumerate(vectorizer.feature_names_)}
    state = vectorizer.__getstate__()
    assert state["vocabulary_"] == vectorizer.vocabulary_ and "feature_names_joined_" not in state
    assert np.all(copy.deepcopy(vectorizer).transform(ROWS).toarray() == vectorizer.transform(ROWS).toarray())


def test_names_whose_lengths_do_not_add_up_are_a_damaged_file():
    state = CompactDictVectorizer().fit(ROWS).__getstate__()
    state["feature_name_lengths_"] = state["feature_name_lengths_"][:-1]
    with pytest.raises(ValueError, match="damaged"):
        CompactDictVectorizer().__setstate__(state)


def test_a_saved_vectorizer_whose_lengths_do_not_add_up_loads_as_that_error_not_as_an_unreadable_file(tmp_path):
    """The file reads and passes the allow-list; building the vectorizer fails: load_trusted says so in one line that
    names the file and keeps the vectorizer's own words (what a file gives a listed type is anyone's)."""
    vectorizer = CompactDictVectorizer().fit(ROWS)
    state = vectorizer.__getstate__()
    state["feature_name_lengths_"] = state["feature_name_lengths_"][:-1]
    with mock.patch.object(CompactDictVectorizer, "__getstate__", lambda self: state):
        sio.dump(vectorizer, tmp_path / "damaged.skops")
    with pytest.raises(ValueError, match="damaged") as raised:
        load_trusted(tmp_path / "damaged.skops")
    message = str(raised.value)
    assert raised.type is UntrustedModelError and "not a readable model file" not in message
    assert message.startswith(f"{tmp_path / 'damaged.skops'}: its objects could not be rebuilt (ValueError: ")
