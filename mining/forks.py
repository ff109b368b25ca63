"""Work spread over forked processes, for the parts of a fit that share nothing but their inputs.

Fork, not spawn: a child starts with the parent's memory (the parsed documents, the loaded libraries, the BLAS
thread limit, the progress reporter), so the inputs are inherited rather than sent through a pipe, and only each
result comes back. Where the platform cannot fork, :func:`map_forked` raises rather than running something else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from mining.errors import UsageError

# In a forked process: the function and the inputs it shares with its siblings, set by the pool's initializer.
_SHARED: dict[str, Any] = {}


def map_forked(function: Callable[[Any, Any], Any], items: Sequence, n_jobs: int, shared: Any,
               ) -> Iterator[tuple[int, Any]]:
    """``(i, function(shared, items[i]))`` for every item, as each finishes, in ``n_jobs`` forked processes.

    ``items`` start in their order; ``function`` and ``shared`` are inherited, and only the items and results
    travel between the processes. The first failure ends the map: items not yet started never start.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    if "fork" not in multiprocessing.get_all_start_methods():
        raise UsageError(f"n_jobs={n_jobs}: running parts of a fit in parallel needs processes started by fork, "
                         "which this platform lacks; run with n_jobs=1")
    with ProcessPoolExecutor(max_workers=min(n_jobs, len(items)), mp_context=multiprocessing.get_context("fork"),
                             initializer=_share, initargs=(function, shared)) as pool:
        futures = {pool.submit(_call, item): i for i, item in enumerate(items)}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _share(function: Callable[[Any, Any], Any], shared: Any) -> None:
    _SHARED.update(function=function, shared=shared)


def _call(item: Any) -> Any:
    return _SHARED["function"](_SHARED["shared"], item)
