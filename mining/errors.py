"""Errors raised on bad input: each names the file, the line or id, and what is wrong."""

from __future__ import annotations

from pathlib import Path


class CorpusError(ValueError):
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
        if item is not None:
            where += f" [{item}]"
        super().__init__(f"{where}: {problem}")
