"""The official split: which documents it trains and tests on, and a corpus that has none."""

from __future__ import annotations

import pytest

from mining.errors import UsageError
from mining.evaluation.splits import OfficialSplit
from mining.schema import Document


@pytest.mark.parametrize(("splits", "found"), [
    ([None, None], "(its documents have none;"),
    (["train", None], "(found ['train'], and documents with none;"),
    (["dev", "train"], "(found ['dev', 'train'];"),
])
def test_a_corpus_without_the_split_says_what_it_has(splits: list, found: str):
    """A brat folder or JSONL without "split" fields read "(found ['None'])", as if a split were named None."""
    docs = [Document(f"d{i}", "Cats rule.", split=split) for i, split in enumerate(splits)]
    with pytest.raises(UsageError, match="no 'train'/'test' split") as raised:
        list(OfficialSplit().folds(docs, seed=0))
    assert found in str(raised.value) and "evaluation=cv" in str(raised.value)


def test_the_official_split_trains_and_tests_on_its_documents():
    docs = [Document("a", "x", split="train"), Document("b", "y", split="test"), Document("c", "z")]
    [fold] = OfficialSplit().folds(docs, seed=0)
    assert (set(fold.train), set(fold.test)) == ({"a"}, {"b"})
