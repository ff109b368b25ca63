"""Which documents train and which test: the official split, or seeded document-grouped k-fold CV."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from mining.errors import UsageError
from mining.schema import Document


@dataclass(frozen=True)
class Fold:
    """One train/test partition of document ids; ``repeat`` counts CV repetitions."""

    train: frozenset[str]
    test: frozenset[str]
    repeat: int = 0
    index: int = 0


def _whole_number(value: Any, name: str, least: int) -> None:
    """``value`` of the setting ``evaluation.<name>`` must be a whole number of at least ``least``."""
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise UsageError(f"evaluation.{name}={value!r}: expected a whole number of at least {least}")


def document_folds(n_splits: int, groups: Sequence[str], random_state) -> GroupKFold:
    """Shuffled k-fold by document for out-of-fold scores inside a fit: ``n_splits`` folds, or one per
    document where there are fewer documents (``groups``: each row's document id)."""
    return GroupKFold(n_splits=min(n_splits, len(set(groups))), shuffle=True, random_state=random_state)


def found_splits(docs: Sequence[Document]) -> str:
    """The splits ``docs`` are in, for a message: ``found ['test', 'train']`` (and whether some have none)."""
    splits = sorted({d.split for d in docs if d.split is not None})
    if not splits:
        return "its documents have none"
    return f"found {splits}" + (", and documents with none" if any(d.split is None for d in docs) else "")


@dataclass
class OfficialSplit:
    """Train on documents whose ``split`` is ``train_split`` (one or a list), test on ``test_split``. Metrics:
    ``test.*``."""

    train_split: str | Sequence[str] = "train"
    test_split: str = "test"
    resample: str | None = None
    prefix: str = "test"

    @property
    def train_splits(self) -> list[str]:
        """``train_split`` as a list."""
        return [self.train_split] if isinstance(self.train_split, str) else list(self.train_split)

    def left_out(self, docs: Sequence[Document]) -> list[Document]:
        """The documents in neither ``train_split`` nor ``test_split``: neither trained nor tested on (a misspelt
        ``split``, one of another case, none at all), for the run to name."""
        return [d for d in docs if d.split not in self.train_splits and d.split != self.test_split]

    def folds(self, docs: Sequence[Document], seed: int) -> Iterator[Fold]:
        train_splits = self.train_splits
        train = frozenset(d.id for d in docs if d.split in train_splits)
        test = frozenset(d.id for d in docs if d.split == self.test_split)
        if not train or not test:
            raise UsageError(f"the corpus has no {self.train_split!r}/{self.test_split!r} split "
                             f"({found_splits(docs)}; a document's \"split\" field sets it); use evaluation=cv or "
                             "evaluation=holdout")
        yield Fold(train, test)


@dataclass
class HoldoutSplit:
    """A seeded split by document, for corpora without an official one. Metrics: ``test.*``."""

    test_size: float = 0.2
    split_seed: int = 0
    resample: str | None = None
    prefix: str = "test"

    def folds(self, docs: Sequence[Document], seed: int) -> Iterator[Fold]:
        # The split has its own seed so that sweeping the model seed never moves documents across it.
        ids = sorted(d.id for d in docs)
        if isinstance(self.test_size, bool) or not isinstance(self.test_size, (int, float)) \
                or not 0 < self.test_size < 1:
            raise UsageError(f"evaluation.test_size={self.test_size!r}: expected the share of documents to test on, "
                             "a number between 0 and 1 (e.g. 0.2)")
        _whole_number(self.split_seed, "split_seed", 0)
        order = np.random.default_rng(self.split_seed).permutation(len(ids))
        n_test = max(1, round(self.test_size * len(ids)))
        if n_test >= len(ids):
            raise UsageError(f"evaluation.test_size={self.test_size}: {len(ids)} documents leave none to train on")
        test = frozenset(ids[i] for i in order[:n_test])
        yield Fold(frozenset(ids) - test, test)


@dataclass
class GroupedCV:
    """Repeated k-fold CV in which a document never crosses folds. Metrics: ``cv.*.{mean,std,min,max}``.

    Repeat ``r`` shuffles documents with seed ``seed + r``. With ``split`` set (e.g. ``"train"``), only the
    documents of that split are folded: model selection by CV on the training documents, the test split
    never seen. The documents of ``extra_split`` (extra training data, e.g. ``"train-extra"``) join every
    fold's training side and are never scored, so CV with and without them scores the same documents.
    """

    n_splits: int = 5
    n_repeats: int = 1
    resample: str | None = None
    prefix: str = "cv"
    split: str | None = None
    extra_split: str | None = None

    def folds(self, docs: Sequence[Document], seed: int) -> Iterator[Fold]:
        extra = frozenset(d.id for d in docs if self.extra_split is not None and d.split == self.extra_split)
        ids = np.array(sorted(d.id for d in docs
                              if d.id not in extra and (self.split is None or d.split == self.split)))
        _whole_number(self.n_splits, "n_splits", 2)
        _whole_number(self.n_repeats, "n_repeats", 1)
        if self.split is not None and not any(d.split == self.split for d in docs):  # a misspelt split
            raise UsageError(f"evaluation.split={self.split!r}: no document is in that split ({found_splits(docs)}; a "
                             "document's \"split\" field sets it)")
        if len(ids) < 2:  # else "1 documents make 2 to 1 folds"
            but = f" (evaluation.extra_split={self.extra_split!r} takes {len(extra)} as extra training data)" \
                if extra else ""
            raise UsageError(f"n_splits={self.n_splits!r}: cross-validation needs 2 documents or more to score, and "
                             f"has {len(ids)}{but} (evaluation.n_splits=N)")
        if not 2 <= self.n_splits <= len(ids):
            raise UsageError(f"n_splits={self.n_splits!r}: {len(ids)} documents make 2 to {len(ids)} folds; choose "
                             f"a number in that range (evaluation.n_splits=N)")
        for r in range(self.n_repeats):
            splitter = GroupKFold(n_splits=self.n_splits, shuffle=True, random_state=seed + r)
            for k, (tr, te) in enumerate(splitter.split(ids, groups=ids)):
                yield Fold(frozenset(ids[tr]) | extra, frozenset(ids[te]), repeat=r, index=k)


@dataclass
class NestedCV:
    """Nested CV: each outer fold is scored once, with the setting that an inner CV over that fold's
    training documents chose. Metrics: ``nested.*.{mean,std,min,max}``, and per outer fold the chosen setting.

    The outer folds are :class:`GroupedCV`'s (``n_splits`` x ``n_repeats``, repeat ``r`` seeded ``seed + r``).
    Inside outer fold ``(r, k)`` the inner folds are ``inner_splits`` x ``inner_repeats`` grouped folds of
    that fold's training documents only, seeded ``seed + INNER_SEED * (r + 1) + k``; a candidate setting's
    inner score is the mean of ``inner_metric`` over them, and the best one (the first in order on a tie)
    is fitted on the outer training documents and scores the outer test documents. Documents never
    cross folds at either level, and no outer test document is seen by the choice. The candidate
    estimators are given to the run (:func:`mining.experiment.run_nested`); ``grid`` keeps the config
    they were built from (name -> ``{dotted config key: value}``, built by ``mining run``) as plain data.
    """

    n_splits: int = 5
    n_repeats: int = 1
    inner_splits: int = 3
    inner_repeats: int = 1
    inner_metric: str = "macro_f1"
    resample: str | None = None
    prefix: str = "nested"
    grid: dict[str, Any] | None = None

    def folds(self, docs: Sequence[Document], seed: int) -> Iterator[Fold]:
        yield from GroupedCV(n_splits=self.n_splits, n_repeats=self.n_repeats).folds(docs, seed)

    def inner_folds(self, docs: Sequence[Document], outer: Fold, seed: int) -> list[Fold]:
        """The inner folds of ``outer``: grouped folds of its training documents, and of nothing else."""
        train = [d for d in docs if d.id in outer.train]
        inner_seed = seed + INNER_SEED * (outer.repeat + 1) + outer.index
        try:
            return list(GroupedCV(n_splits=self.inner_splits, n_repeats=self.inner_repeats).folds(train, inner_seed))
        except UsageError as e:
            raise UsageError(f"inner CV: {e}".replace("evaluation.n_splits", "evaluation.inner_splits")) from None


# Inner folds get seeds far from the outer repeats' (seed + r), so no inner split repeats an outer one.
INNER_SEED = 1000


def resample_indices(indices: Sequence[int], labels: Sequence[str], method: str | None, seed: int) -> np.ndarray:
    """Training-instance indices after resampling; call it on training folds only.

    ``None`` keeps them; ``"oversample"`` draws extra copies of each minority class (with
    replacement, seeded) until every class matches the largest.
    """
    indices = np.asarray(indices)
    if method is None or method == "none":
        return indices
    if method != "oversample":
        raise UsageError(f"unknown resampling {method!r} (known: none, oversample)")
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)[indices]
    classes, counts = np.unique(labels, return_counts=True)
    extra = [rng.choice(indices[labels == c], size=counts.max() - n, replace=True)
             for c, n in zip(classes, counts) if n < counts.max()]
    return np.concatenate([indices, *extra]) if extra else indices
