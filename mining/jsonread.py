"""Parsing JSON that anyone may have written: a corpus, an export, a sidecar, a run record.

Python's parser recurses once per ``[`` or ``{``, so a file of some thousand nested brackets raises
``RecursionError``, which no reader expects. :func:`loads` and :func:`load` raise it as the
:class:`json.JSONDecodeError` every reader already turns into one line naming the file: ``nested too
deeply``, at the bracket where the nesting is deepest.

JSON may also escape half of a UTF-16 pair on its own (``"\\ud800"``): Python reads it into a string that no UTF-8
file, hash or spaCy doc can take, so a reader that accepted it failed later, in a writer, with a
``UnicodeEncodeError``. :func:`loads` raises it as a :class:`json.JSONDecodeError` too, naming the field that holds
it (I-JSON, RFC 7493, forbids such strings).
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

NESTED_TOO_DEEPLY = "nested too deeply"
# A string (whose brackets are text) or a bracket.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
# An escaped surrogate, high or low (a cheap test before looking for a lone one), and a JSON string.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def loads(text: str | bytes | bytearray) -> Any:
    """:func:`json.loads`, raising :class:`json.JSONDecodeError` instead of ``RecursionError`` for JSON nested too
    deeply for Python's recursion ("nested too deeply"), and for a string holding a lone surrogate."""
    try:
        value = json.loads(text)
        found = _lone_surrogate(value) if _SURROGATE_ESCAPE.search(_text(text)) else None
    except RecursionError:
        doc = _text(text)
        raise json.JSONDecodeError(NESTED_TOO_DEEPLY, doc, _deepest(doc)) from None
    if found is not None:
        where, index, char = found
        doc = _text(text)
        raise json.JSONDecodeError(f"{where} holds a lone surrogate {char!r} at character {index} (half of a UTF-16 "
                                   "pair, no Unicode text)", doc, _escape_position(doc))
    return value


def load(f: IO) -> Any:
    """:func:`loads` on what ``f`` holds."""
    return loads(f.read())


def describe(error: json.JSONDecodeError) -> str:
    """``invalid JSON: WHAT at column N``: the readers' words for ``error`` (whose line they name themselves). Some of
    Python's messages end in "at" ("Unterminated string starting at"), which is not said twice."""
    return f"invalid JSON: {error.msg.removesuffix(' at')} at column {error.colno}"


def _text(text: str | bytes | bytearray) -> str:
    return text if isinstance(text, str) else bytes(text).decode("utf-8", errors="replace")


def _lone_surrogate(value: Any, path: str = "") -> tuple[str, int, str] | None:
    """``(where, index, character)`` of the first string in ``value`` that holds a lone surrogate, a key or a value;
    ``where`` reads ``"units[0].text"``, or ``a key of "units[0]"``."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            return path or "the value", e.start, value[e.start]
        return None
    if isinstance(value, list):
        return next((found for i, item in enumerate(value)
                     if (found := _lone_surrogate(item, _quoted(f"{_bare(path)}[{i}]"))) is not None), None)
    if isinstance(value, dict):
        for key, item in value.items():
            found = (_lone_surrogate(key, f"a key of {path}" if path else "a top-level key")
                     or _lone_surrogate(item, _quoted(f"{_bare(path)}.{key}" if path else key)))
            if found is not None:
                return found
    return None


def _quoted(path: str) -> str:
    return f'"{path}"'


def _bare(path: str) -> str:
    return path.strip('"')


def _escape_position(doc: str) -> int:
    """The position of the first JSON string in ``doc`` that decodes to a lone surrogate."""
    for token in _STRING.finditer(doc):
        if _SURROGATE_ESCAPE.search(token[0]) and _lone_surrogate(json.loads(token[0])) is not None:
            return token.start()
    return 0


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
