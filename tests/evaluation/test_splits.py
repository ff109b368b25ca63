"""The official split: which documents it trains and tests on, and a corpus that has none; CV on too few."""

from __future__ import annotations

import pytest

from mining.errors import UsageError
from mining.evaluation.splits import GroupedCV, OfficialSplit
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


def test_the_official_split_names_what_it_leaves_out():
    """A misspelt split, one of another case or none: those documents are neither trained nor tested on, and the run
    names them (``mining run`` prints ``left_out``'s documents)."""
    docs = [Document(i, "x", split=split) for i, split in
            [("a", "train"), ("b", "test"), ("c", "trian"), ("d", "Train"), ("e", None), ("f", "train-extra")]]
    assert [d.id for d in OfficialSplit().left_out(docs)] == ["c", "d", "e", "f"]
    assert [d.id for d in OfficialSplit(train_split=["train", "train-extra"]).left_out(docs)] == ["c", "d", "e"]


def test_cv_on_a_split_no_document_is_in_names_the_split():
    """evaluation.split=trian said "n_splits=5: 0 documents make 2 to 0 folds", naming neither the split nor typo."""
    docs = [Document(f"d{i}", "Cats rule.", split=split) for i, split in enumerate(["train", "train", "test"])]
    with pytest.raises(UsageError, match=r"evaluation.split='trian': no document is in that split \(found \['test', "
                                         r"'train'\];"):
        list(GroupedCV(split="trian").folds(docs, seed=0))


def test_cv_on_one_document_says_it_needs_two():
    """It said "1 documents make 2 to 1 folds; choose a number in that range": no number is."""
    with pytest.raises(UsageError, match=r"n_splits=5: cross-validation needs 2 documents or more to score, and has "
                                         r"1 \(evaluation.n_splits=N\)$"):
        list(GroupedCV().folds([Document("d0", "Cats rule.")], seed=0))


def test_cv_whose_split_is_all_extra_says_so():
    """split and extra_split both 'train': every document was extra, and the message said the split had none."""
    docs = [Document(f"d{i}", "Cats rule.", split="train") for i in range(3)]
    with pytest.raises(UsageError, match=r"has 0 \(evaluation.extra_split='train' takes 3 as extra training data\)"):
        list(GroupedCV(split="train", extra_split="train").folds(docs, seed=0))


def test_nested_cv_names_the_inner_setting():
    """An outer fold's training side too small for the inner folds: the setting to change is inner_splits."""
    from mining.evaluation.splits import NestedCV

    docs = [Document(f"d{i}", "Cats rule.") for i in range(2)]
    nested = NestedCV(n_splits=2)
    outer = next(nested.folds(docs, seed=0))
    with pytest.raises(UsageError, match=r"^inner CV: .*has 1 \(evaluation.inner_splits=N\)$"):
        nested.inner_folds(docs, outer, seed=0)
