"""Lookups derived from a fitted extractor's state, built on its first transform rather than on every one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from weakref import WeakKeyDictionary

T = TypeVar("T")

_DERIVED: WeakKeyDictionary = WeakKeyDictionary()


def derived(owner: object, name: str, state: object, build: Callable[[], T]) -> T:
    """``build()`` for the fitted ``state`` of ``owner``, reused while ``owner`` still holds that state.

    Fitted extractors keep plain arrays (small, fast model files), and a transform needs a dict or a
    thawed vectorizer built from them: tens of milliseconds for an AAEC vocabulary, paid on every
    batch the miner labels. The result is kept here, beside the estimator rather than on it, so it is
    never written into a saved model; a refit replaces ``state`` (a new array object), and the next
    call builds afresh.

    >>> import numpy as np
    >>> class Extractor: terms_ = np.asarray(["a", "b"])
    >>> e = Extractor()
    >>> derived(e, "column", e.terms_, lambda: {t: j for j, t in enumerate(e.terms_.tolist())})
    {'a': 0, 'b': 1}
    """
    built = _DERIVED.setdefault(owner, {})
    if name not in built or built[name][0] is not state:
        built[name] = (state, build())
    return built[name][1]
