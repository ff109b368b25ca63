"""What several extractors compute alike in one labelling batch, computed once: per-document token
tables and marker indexes, and the rows of extractors fitted to the same state.

A bundle runs many extractors over the same documents: the component model and its stacked type
model read the same tokens, and a relation model describes the source and the target of each pair
with two extractors that were fitted on the same units and so came out identical. Inside
``sharing()`` (``ArgumentMiner.label_parsed`` opens it) those results are kept for the block and
reused; outside it every call computes afresh, as before. Results are keyed by the ``id`` of the
object they describe, which is held along with them, so no id is reused within a block.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import joblib
import scipy.sparse as sp

T = TypeVar("T")

_SCOPE: ContextVar[dict | None] = ContextVar("mining_shared", default=None)


@contextmanager
def sharing(fingerprints: dict | None = None) -> Iterator[None]:
    """Share results within the block (nested blocks join the outermost one).

    ``fingerprints`` keeps each estimator's ``fingerprint`` (by ``id``, with the estimator) and may
    outlive the block: a caller whose estimators stay as they are, such as a loaded
    ``ArgumentMiner``, passes the same dict to every block and hashes each estimator once.
    """
    if _SCOPE.get() is not None:
        yield
        return
    token = _SCOPE.set({"fingerprints": {} if fingerprints is None else fingerprints})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def shared(kind: Hashable, obj: object, build: Callable[[], T]) -> T:
    """``build()`` for ``obj``, computed once per ``sharing()`` block (every time outside one)."""
    scope = _SCOPE.get()
    if scope is None:
        return build()
    key = (kind, id(obj))
    if key not in scope:
        scope[key] = (obj, build())
    return scope[key][1]


def shared_transform(estimator: Any, X: Sequence) -> sp.csr_matrix:
    """``estimator.transform(X)`` as CSR; inside ``sharing()``, the rows of instances that an estimator
    with the same ``fingerprint`` has transformed in this block are taken from its result."""
    return _rows(estimator, X, estimator.transform)


def fingerprint(estimator: Any) -> str:
    """``joblib.hash`` of the estimator's class, parameters and every other attribute (its fitted
    state), with list parameters read as tuples: a config file gives ``[1, 2]`` where a default is
    ``(1, 2)``, and the two transform alike."""
    params = estimator.get_params(deep=False)
    state = {k: v for k, v in vars(estimator).items() if k not in params}
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
    return joblib.hash((type(estimator).__module__, type(estimator).__qualname__, params, state))


def sharable(transform: Callable[[Any, Sequence], Any]) -> Callable[[Any, Sequence], sp.csr_matrix]:
    """Decorate an extractor's ``transform`` so that it goes through ``shared_transform``."""
    @functools.wraps(transform)
    def wrapper(self, X):
        if _SCOPE.get() is None:
            return transform(self, X)
        return _rows(self, X, lambda instances: transform(self, instances))
    return wrapper


def _rows(estimator: Any, X: Sequence, transform: Callable[[Sequence], Any]) -> sp.csr_matrix:
    scope = _SCOPE.get()
    if scope is None:
        return sp.csr_matrix(transform(X))
    fingerprints = scope["fingerprints"]
    if id(estimator) not in fingerprints:
        fingerprints[id(estimator)] = (estimator, fingerprint(estimator))
    key = ("rows", fingerprints[id(estimator)][1])
    if key in scope:
        _, row_of, matrix = scope[key]
        rows = [row_of.get(id(x)) for x in X]
        if None not in rows:
            # The same instances in the same order (a stacked model's own union) need no row index.
            return matrix.copy() if rows == list(range(matrix.shape[0])) else matrix[rows]
    matrix = sp.csr_matrix(transform(X))
    scope[key] = (list(X), {id(x): r for r, x in enumerate(X)}, matrix)  # the instances keep their ids taken
    return matrix
