"""Work computed once and reused: per labelling batch, and per fitted extractor.

Labelling runs many extractors over the same documents: the component model and its stacked type
model read the same tokens, and a relation model describes the source and the target of each pair
with two extractors that were fitted on the same units and so came out identical. Fitted
extractors, in turn, keep plain arrays (small, fast model files) from which a transform needs a
dict or a thawed vectorizer. Both costs are paid once here, through one entry point:

- :func:`sharing` opens a batch (``ArgumentMiner.label_parsed`` opens one per batch). Inside it,
  :func:`once_per_batch` builds a per-document result (token tables, marker indexes) once, and an
  extractor whose ``transform`` is decorated with :func:`reuse_rows` (every instance-level
  extractor in ``mining.features``) returns the rows that an extractor with the same
  :func:`fingerprint` already computed for the same instances. ``pause_gc=True`` also pauses the
  cyclic garbage collector for the batch. Outside a batch every call computes afresh, so fitting
  and scoring behave exactly as plain scikit-learn.
- :func:`once_per_fit` keeps a lookup derived from an extractor's fitted state beside the
  extractor (never in the saved model) until a refit replaces that state.
- ``run_experiment`` opens a block around each model's fit and around its predictions, so the
  per-document results above are built once across the folds of a stacked model or of the
  out-of-fold segmenter (in one process: segmenters fitted in forked ones build their own), and
  :func:`fit_once` lets an extractor with the same parameters, fitted on the same instances in any
  order, take the fit of the first: a relation model's source and target sides each hold a stacked
  type model fitted on the same units (issue 19: 56 of the 154 s that ``aaec_relations`` fitted).

Batch results are keyed by the ``id`` of the object they describe, which is held along with them,
so no id is reused within a batch.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import joblib
import numpy as np
import scipy.sparse as sp

T = TypeVar("T")

_BATCH: ContextVar[dict | None] = ContextVar("mining_batch", default=None)
_PER_FIT: WeakKeyDictionary = WeakKeyDictionary()


@contextmanager
def sharing(fingerprints: dict | None = None, *, pause_gc: bool = False) -> Iterator[None]:
    """Share results within the block (nested blocks join the outermost one).

    Parameters
    ----------
    fingerprints : dict, optional
        Keeps each estimator's :func:`fingerprint` (by ``id``, with the estimator) and may outlive
        the block: a caller whose estimators stay as they are, such as a loaded ``ArgumentMiner``,
        passes the same dict to every block and hashes each estimator once.
    pause_gc : bool, default False
        Switch the cyclic garbage collector off inside the block (reference counting still frees
        memory). A labelling batch allocates about a million short-lived objects, which the
        collector would otherwise scan and promote over and over, with full collections of every
        loaded model object on top: about an eighth of the labelling time. It is process-wide,
        so only a caller that owns the process's work for the block should ask for it.
    """
    if _BATCH.get() is not None:
        yield
        return
    token = _BATCH.set({"fingerprints": {} if fingerprints is None else fingerprints})
    enabled = gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        yield
    finally:
        _BATCH.reset(token)  # first: the collector's next pass would otherwise scan all that the batch held
        if pause_gc and enabled:
            gc.enable()


def once_per_batch(kind: Hashable, obj: object, build: Callable[[], T]) -> T:
    """``build()`` for ``obj``, computed once per :func:`sharing` block (every time outside one)."""
    batch = _BATCH.get()
    if batch is None:
        return build()
    key = (kind, id(obj))
    # One look-up on a hit (19,166 calls in a profiled labelling pass): the key is a tuple
    # of tuples, whose hash is computed afresh on every look-up.
    held = batch.get(key)
    if held is None:
        held = batch[key] = (obj, build())
    return held[1]


def reuse_rows(transform: Callable[[Any, Sequence], Any]) -> Callable[[Any, Sequence], sp.csr_matrix]:
    """Decorate an extractor's ``transform``: inside :func:`sharing`, rows that an extractor with the
    same :func:`fingerprint` computed for the same instances in this batch are reused. An extractor
    with a ``row_key`` (a function of an instance, such as ``instances.units.layout_key``) also reuses
    the rows of other instances with an equal key, and computes only the rows of the rest."""
    @functools.wraps(transform)
    def wrapper(self, X):
        if _BATCH.get() is None:
            return transform(self, X)
        return _rows(self, X, lambda instances: transform(self, instances))
    wrapper.reuses_rows = True
    return wrapper


def transform_reusing_rows(estimator: Any, X: Sequence) -> sp.csr_matrix:
    """``estimator.transform(X)`` as CSR, reusing rows as :func:`reuse_rows` does (for estimators such
    as a whole ``FeatureUnion`` that cannot be decorated)."""
    return _rows(estimator, X, estimator.transform)


def fit_once(estimator: Any, X: Sequence, fit: Callable[[], tuple[T, Any]]) -> tuple[T, Any]:
    """``fit()``, which returns the fitted state and an array with one row per instance of ``X``.

    Inside :func:`sharing`, an estimator of the same class and parameters that already fitted on
    the same instances (the same objects, in any order) gives its state (the same object, not a copy)
    and its rows, put in the order of ``X``. Only the order in which the fit summed its rows differs,
    so the two fits agree to rounding (``aaec_relations`` and ``miner``: the same metrics and the same
    predictions either way). Outside a block every call fits.
    """
    batch = _BATCH.get()
    if batch is None:
        return fit()
    key = ("fit", joblib.hash(_identity(estimator)), len(X), frozenset(id(x) for x in X))
    if key not in batch:
        state, rows = fit()
        batch[key] = (*_indexed(X), state, rows)
        return state, rows
    _, row_of, state, rows = batch[key]
    return state, rows[[row_of[id(x)] for x in X]]


def _identity(estimator: Any) -> tuple:
    """The estimator's class and parameters, with list parameters read as tuples: a config file gives
    ``[1, 2]`` where a default is ``(1, 2)``, and the two behave alike."""
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in estimator.get_params(deep=False).items()}
    return type(estimator).__module__, type(estimator).__qualname__, params


def fingerprint(estimator: Any) -> str:
    """``joblib.hash`` of the estimator's class and parameters (:func:`_identity`) and every other
    attribute (its fitted state)."""
    params = estimator.get_params(deep=False)
    state = {k: v for k, v in vars(estimator).items() if k not in params}
    return joblib.hash((*_identity(estimator), state))


def _rows(estimator: Any, X: Sequence, transform: Callable[[Sequence], Any]) -> sp.csr_matrix:
    batch = _BATCH.get()
    if batch is None:
        return sp.csr_matrix(transform(X))
    fingerprints = batch["fingerprints"]
    if id(estimator) not in fingerprints:
        fingerprints[id(estimator)] = (estimator, fingerprint(estimator))
    key = ("rows", fingerprints[id(estimator)][1])
    # An extractor may say which instances get equal rows (``row_key``); by default only the same instance does.
    row_key = getattr(estimator, "row_key", None) or id
    keys = list(map(row_key, X))  # map, not a Python loop: thousands of instances per call
    if key in batch:
        held, row_of, matrix = batch[key]
        rows = list(map(row_of.get, keys))
        if None not in rows:
            # The same instances in the same order (a stacked model's own union) need no row index.
            return matrix.copy() if rows == list(range(matrix.shape[0])) else take_rows(matrix, rows)
        if row_key is not id:  # compute the rows of the others only, and keep all of them
            missing = [r for r, row in enumerate(rows) if row is None]
            first = matrix.shape[0]
            matrix = sp.vstack([matrix, sp.csr_matrix(transform([X[r] for r in missing]))], format="csr")
            for k, r in enumerate(missing):
                rows[r] = row_of.setdefault(keys[r], first + k)
            batch[key] = (held + [X[r] for r in missing], row_of, matrix)
            return take_rows(matrix, rows)
    matrix = sp.csr_matrix(transform(X))
    batch[key] = (list(X), dict(zip(keys, range(len(keys)))), matrix)
    return matrix


def take_rows(matrix: sp.csr_matrix, rows: Sequence[int] | np.ndarray) -> sp.csr_matrix:
    """``matrix[rows]`` for a CSR matrix: the same arrays, without scipy's checks of the index, which cost
    more than the copy for the dozens of reused or rearranged blocks of a labelling batch."""
    take = np.asarray(rows, dtype=np.int64)
    start = matrix.indptr[take].astype(np.int64)
    counts = matrix.indptr[take + 1] - start
    indptr = np.zeros(len(take) + 1, dtype=matrix.indptr.dtype)
    np.cumsum(counts, out=indptr[1:])
    pick = np.repeat(start - indptr[:-1], counts) + np.arange(indptr[-1], dtype=np.int64)
    return sp.csr_matrix((matrix.data[pick], matrix.indices[pick], indptr), shape=(len(take), matrix.shape[1]))


def _indexed(X: Sequence) -> tuple[list, dict[int, int]]:
    """The instances, held so that their ids stay taken for the batch, and the row of each id."""
    return list(X), {id(x): r for r, x in enumerate(X)}


def once_per_fit(owner: object, name: str, state: object, build: Callable[[], T]) -> T:
    """``build()`` for the fitted ``state`` of ``owner``, reused while ``owner`` still holds that state.

    A transform often needs a dict or a thawed vectorizer built from an extractor's fitted arrays:
    tens of milliseconds for an AAEC vocabulary, paid on every batch the miner labels. The result is
    kept here, beside the estimator rather than on it, so it is never written into a saved model; a
    refit replaces ``state`` (a new array object), and the next call builds afresh.

    >>> import numpy as np
    >>> class Extractor: terms_ = np.asarray(["a", "b"])
    >>> e = Extractor()
    >>> once_per_fit(e, "column", e.terms_, lambda: {t: j for j, t in enumerate(e.terms_.tolist())})
    {'a': 0, 'b': 1}
    """
    built = _PER_FIT.setdefault(owner, {})
    if name not in built or built[name][0] is not state:
        built[name] = (state, build())
    return built[name][1]
