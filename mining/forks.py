"""Work spread over forked processes, for the parts of a fit that share nothing but their inputs.

Fork, not spawn: a child starts with the parent's memory (the parsed documents, the loaded libraries, the BLAS
thread limit, the progress reporter), so the inputs are inherited rather than sent through a pipe, and only each
result comes back. What a child builds (the token tables of :mod:`mining.nlp.sharing`) stays in it. Where the
platform cannot fork, :func:`map_forked` raises rather than running something else.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any

from mining.errors import UsageError

# In a forked process: the function and the inputs it shares with its siblings, set by the pool's initializer.
_SHARED: dict[str, Any] = {}


def usable_cpus() -> int:
    """How many CPUs this process may use, as scikit-learn counts them (joblib: its affinity, which SLURM or
    ``taskset`` narrows, and a container's CPU quota)."""
    from joblib import cpu_count

    return cpu_count()


def processes(n_jobs: int) -> int:
    """The number of processes ``n_jobs`` asks for: as scikit-learn reads it, -1 is one per CPU this process may
    use (:func:`usable_cpus`); 0 or below -1 is an error."""
    if n_jobs == -1:
        return usable_cpus()
    if n_jobs < 1:
        raise UsageError(f"n_jobs={n_jobs}: the number of processes must be 1 or more, or -1 for one per CPU")
    return n_jobs


def map_forked(function: Callable[[Any, Any], Any], items: Sequence, n_jobs: int, shared: Any,
               done: Callable[[int], object] | None = None) -> list:
    """``[function(shared, item) for item in items]``, computed in ``n_jobs`` forked processes (in this one with
    ``n_jobs=1``), and ``done(i)`` called here as item ``i`` finishes.

    Items start in their order, at most ``n_jobs`` at a time; ``function`` and ``shared`` are inherited, and only
    the items and results travel between the processes. The first failure raises here, once the items already
    running have finished; the others never start.
    """
    n_jobs = processes(n_jobs)
    if n_jobs == 1 or not items:
        return [_finished(function(shared, item), i, done) for i, item in enumerate(items)]
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    if "fork" not in multiprocessing.get_all_start_methods():
        raise UsageError(f"n_jobs={n_jobs}: running parts of a fit in parallel needs processes started by fork, "
                         "which this platform lacks; run with n_jobs=1")
    results: list = [None] * len(items)
    queue = iter(enumerate(items))
    with ProcessPoolExecutor(max_workers=min(n_jobs, len(items)), initializer=_share,
                             initargs=(function, shared), mp_context=multiprocessing.get_context("fork")) as pool:
        running = {pool.submit(_call, item): i for i, item in islice(queue, n_jobs)}
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                i = running.pop(future)
                results[i] = _finished(future.result(), i, done)
                following = next(queue, None)
                if following is not None:
                    running[pool.submit(_call, following[1])] = following[0]
    return results


def cpu_seconds() -> float:
    """The CPU seconds of this process and of the child processes it has waited for (a fit's forked parts)."""
    try:
        import resource
    except ImportError:  # Windows, which cannot fork: there are no such children
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _finished(result: Any, i: int, done: Callable[[int], object] | None) -> Any:
    if done is not None:
        done(i)
    return result


def _share(function: Callable[[Any, Any], Any], shared: Any) -> None:
    _SHARED.update(function=function, shared=shared)


def _call(item: Any) -> Any:
    return _SHARED["function"](_SHARED["shared"], item)
