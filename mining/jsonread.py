"""Parsing JSON that anyone may have written: a corpus, an export, a sidecar, a run record.

Python's parser recurses once per ``[`` or ``{``, so a file of some thousand nested brackets raises
``RecursionError``, which no reader expects. :func:`loads` and :func:`load` raise it as the
:class:`json.JSONDecodeError` every reader already turns into one line naming the file: ``nested too
deeply``, at the bracket where the nesting is deepest.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

NESTED_TOO_DEEPLY = "nested too deeply"
# A string (whose brackets are text) or a bracket.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def loads(text: str | bytes | bytearray) -> Any:
    """:func:`json.loads`, raising :class:`json.JSONDecodeError` ("nested too deeply") for JSON nested too deeply
    for Python's recursion, instead of ``RecursionError``."""
    try:
        return json.loads(text)
    except RecursionError:
        doc = text if isinstance(text, str) else bytes(text).decode("utf-8", errors="replace")
        raise json.JSONDecodeError(NESTED_TOO_DEEPLY, doc, _deepest(doc)) from None


def load(f: IO) -> Any:
    """:func:`loads` on what ``f`` holds."""
    return loads(f.read())


def _deepest(doc: str) -> int:
    """The position of the first bracket that opens the deepest level of ``doc``."""
    depth = deepest = position = 0
    for token in _TOKEN.finditer(doc):
        if token[0] in "[{":
            depth += 1
            if depth > deepest:
                deepest, position = depth, token.start()
        elif token[0] in "]}":
            depth -= 1
    return position
