"""Errors a user can fix: each names the file, line, id, option or setting, and what is wrong.

The command line prints the message of any :class:`MiningError` on one line, with exit status 2 and
no traceback (``mining --debug`` shows it). Every other exception is a bug and keeps its traceback.
Each class also derives from the built-in error it refines, so ``except ValueError`` still works.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

# Characters a terminal acts on rather than shows: C0 controls but line feeds and tabs (ESC starts a sequence that
# clears the screen, ``ESC [2J``, or sets the clipboard, ``ESC ]52;``), DEL, C1 controls (U+009B is an ESC [ of
# its own), and the bidirectional embeddings, overrides and isolates that show text in another order than it reads
# (not the plain marks, U+200E, U+200F and U+061C, which Hebrew and Arabic text holds).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` to print on a terminal: each character a terminal would act on (:data:`_UNPRINTABLE`) written as
    Python writes it in a string (``\\x1b``, ``\\u202e``). Names, keys and values a run record or an input holds
    are anyone's, and an escape sequence printed as it is can rewrite the screen or the clipboard."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def shortened(text: str, width: int = 60) -> str:
    """``text`` for a message, cut to ``width`` characters (ending in ``...`` when cut)."""
    return text if len(text) <= width else text[:width - 3] + "..."


def listed(names: Sequence[object], limit: int = 5, sep: str = ", ") -> str:
    """The first ``limit`` of ``names`` for a message, joined by ``sep``, then "and N more" when there are more."""
    shown = sep.join(map(str, names[:limit]))
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def short_repr(value: object, width: int = 60) -> str:
    """``repr(value)`` for a message, :func:`shortened`."""
    return shortened(repr(value), width)


class MiningError(Exception):
    """Base of the errors caused by input, arguments or settings rather than by a bug in mining."""


class CorpusError(MiningError, ValueError):
    """Malformed corpus input.

    The message reads ``FILE:LINE: problem`` or ``FILE [ID]: problem`` so that a user can go
    straight to the place that is wrong.
    """

    def __init__(self, problem: str, *, file: str | Path | None = None, line: int | None = None,
                 item: str | None = None):
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.line = line
        self.item = item
        where = self.file or "<input>"
        if line is not None:
            where += f":{line}"
        if item:  # an empty id names nothing; the problem says so
            where += f" [{item}]"
        super().__init__(f"{where}: {problem}")


class UsageError(MiningError, ValueError):
    """A bad command-line argument, option, override or parameter value: the message names it,
    says what was expected, and how to fix it."""


class RunRecordError(MiningError, ValueError):
    """A run directory, or a file in it (``metrics.json``, ``meta.json``, a model), that is missing,
    unfinished or unreadable: the message names the file."""


class NotFinishedError(RunRecordError, FileNotFoundError):
    """A path that is not a finished run directory (no ``metrics.json``, no model)."""


class OutputExistsError(MiningError, FileExistsError):
    """An output that exists already, and the command was not asked to overwrite it."""


class SetupError(MiningError, RuntimeError):
    """The installation does not match what is asked: a spaCy pipeline or its version, the configs."""


class ServerError(MiningError, RuntimeError):
    """An annotation server (Label Studio, doccano) that cannot be reached, refuses the credentials or a
    request: the message names the server, what was asked and what it answered."""
