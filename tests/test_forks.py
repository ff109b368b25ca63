"""map_forked: results in the items' order, inputs inherited rather than sent, a failure stops what has not
started, and the children's CPU counted."""

from __future__ import annotations

import os
import time

import pytest

from mining.errors import UsageError
from mining.forks import cpu_seconds, map_forked, processes


def _apply(shared, item):
    return shared["function"](item)


def _sleep_then_double(shared, item):
    time.sleep(item[1])
    (shared / f"ran-{item[0]}").touch()
    if item[0] == "fails":
        raise ValueError("this item never works")
    return item[0] * 2


def _busy(shared, seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds


def test_results_come_in_the_items_order_and_the_shared_input_is_inherited():
    shared = {"function": lambda x: x * x}  # a lambda cannot be pickled: it reaches the children by fork
    assert map_forked(_apply, [3, 1, 4, 1, 5], 2, shared) == [9, 1, 16, 1, 25]


def test_done_is_called_as_each_item_finishes(tmp_path):
    finished: list[int] = []
    items = [("a", 1.0), ("b", 0.0), ("c", 0.0)]  # the first is the slowest
    assert map_forked(_sleep_then_double, items, 2, tmp_path, done=finished.append) == ["aa", "bb", "cc"]
    assert finished[-1] == 0 and sorted(finished) == [0, 1, 2]
    assert map_forked(_sleep_then_double, items, 1, tmp_path, done=(alone := []).append) == ["aa", "bb", "cc"]
    assert alone == [0, 1, 2]  # in this process, in order


def test_the_first_failure_raises_and_items_not_started_never_start(tmp_path):
    items = [("fails", 0.0), ("slow", 1.0), ("never", 0.0), ("nor", 0.0)]
    with pytest.raises(ValueError, match="never works"):
        map_forked(_sleep_then_double, items, 2, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ran-fails", "ran-slow"]


def test_fewer_than_one_process_is_an_error_but_minus_one_is_one_per_cpu():
    with pytest.raises(UsageError, match="n_jobs=0"):
        map_forked(_apply, [1], 0, None)
    with pytest.raises(UsageError, match="n_jobs=-2"):
        map_forked(_apply, [1], -2, None)
    assert processes(3) == 3


def test_minus_one_process_is_one_per_cpu_this_process_may_use():
    """As scikit-learn counts them, not os.cpu_count(): on a SLURM node given 2 of 128 cores, -1 would fork 128."""
    import joblib

    assert processes(-1) == joblib.cpu_count() <= os.cpu_count()
    if hasattr(os, "sched_getaffinity"):
        assert processes(-1) <= len(os.sched_getaffinity(0))


def test_cpu_seconds_count_the_children_waited_for():
    own, total = time.process_time(), cpu_seconds()
    assert map_forked(_busy, [0.4, 0.4], 2, None) == [0.4, 0.4]
    assert cpu_seconds() - total >= 0.75 and time.process_time() - own < 0.5
