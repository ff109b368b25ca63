"""Progress of the long stages of a run: one line per finished step on stderr, with counts and the time left.

A stage that takes more than a few seconds (the folds of a task, the out-of-fold segmenter, stacking,
end-to-end labelling) counts its steps with :class:`Steps`; nothing is written unless a caller asked
for it with :func:`reporting` (``mining run`` does, unless ``--quiet``). The lines are plain, one per
step, so that a log file reads as well as a terminal::

    components: fold 2/5 done at 8 s (since the stage began), about 12 s left
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from mining.errors import printable

_WRITE: ContextVar[Callable[[str], object] | None] = ContextVar("mining_progress", default=None)


def to_stderr(line: str) -> None:
    print(printable(line), file=sys.stderr, flush=True)  # a line may name a setting or a file of anyone's


@contextmanager
def reporting(write: Callable[[str], object] | None = to_stderr) -> Iterator[None]:
    """Report progress through ``write`` (one line a call) inside the block; None silences it."""
    token = _WRITE.set(write)
    try:
        yield
    finally:
        _WRITE.reset(token)


def note(line: str) -> None:
    """One line of progress, when reporting."""
    write = _WRITE.get()
    if write is not None:
        write(line)


class Steps:
    """``total`` steps of one stage; :meth:`done` after each reports the count, the time and the time left.

    Examples
    --------
    >>> lines = []
    >>> with reporting(lines.append):
    ...     steps = Steps("relations", 2, "fold")
    ...     steps.done()
    ...     steps.done()
    >>> [line.split(" done")[0] for line in lines]
    ['relations: fold 1/2', 'relations: fold 2/2']
    """

    def __init__(self, stage: str, total: int, unit: str = "step"):
        self.stage, self.total, self.unit = stage, total, unit
        self.count = 0
        self.start = time.perf_counter()

    def done(self) -> None:
        self.count += 1
        elapsed = time.perf_counter() - self.start
        line = f"{self.stage}: {self.unit} {self.count}/{self.total} done at {_seconds(elapsed)}"
        if self.count < self.total:
            line += f", about {_seconds(elapsed / self.count * (self.total - self.count))} left"
        note(line)


def _seconds(s: float) -> str:
    return f"{s:.1f} s" if s < 10 else f"{s:.0f} s" if s < 120 else f"{s / 60:.1f} min"
