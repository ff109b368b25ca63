"""map_forked: every item's result with its index, inputs inherited rather than sent, CPU counted with the children."""

from __future__ import annotations

import time

from mining.experiment import cpu_seconds
from mining.forks import map_forked


def _apply(shared, item):
    return shared["function"](item)


def _busy(shared, seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds


def test_each_item_comes_back_with_its_index_and_the_shared_input_is_inherited():
    shared = {"function": lambda x: x * x}  # a lambda cannot be pickled: it reaches the children by fork
    results = dict(map_forked(_apply, [3, 1, 4, 1, 5], 2, shared))
    assert results == {0: 9, 1: 1, 2: 16, 3: 1, 4: 25}


def test_cpu_seconds_count_the_children_waited_for():
    own, total = time.process_time(), cpu_seconds()
    assert dict(map_forked(_busy, [0.4, 0.4], 2, None)) == {0: 0.4, 1: 0.4}
    assert cpu_seconds() - total >= 0.75 and time.process_time() - own < 0.5
