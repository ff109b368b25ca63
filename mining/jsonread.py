"""Parsing JSON that anyone may have written: a corpus, an export, a sidecar, a run record.

Python's parser recurses once per ``[`` or ``{``, so a file of some thousand nested brackets raises
``RecursionError``, which no reader expects. :func:`loads` and :func:`load` raise it as the
:class:`json.JSONDecodeError` every reader already turns into one line naming the file: ``nested too
deeply``, at the bracket where the nesting is deepest.

JSON may also escape half of a UTF-16 pair on its own (``"\\ud800"``): Python reads it into a string that no UTF-8
file, hash or spaCy doc can take, so a reader that accepted it failed later, in a writer, with a
``UnicodeEncodeError``. :func:`loads` raises it as a :class:`json.JSONDecodeError` too, naming the field that holds
it (I-JSON, RFC 7493, forbids such strings).

An object may name a key twice (``{"text": "x", "text": "y"}``): Python keeps the last value and drops the first
without a word. :func:`loads` raises that as a :class:`json.JSONDecodeError` too, ``duplicate key "text"``, at the
second occurrence of the first key named twice in the document (I-JSON forbids duplicate names as well). The check
costs one small function call per object; only a document that has a duplicate is scanned again, to find it.

An integer of more digits than Python converts (``sys.get_int_max_str_digits()``, 4300 by default) made the parser
raise a bare ``ValueError`` that no reader expected, a traceback; :func:`loads` raises it as a
:class:`json.JSONDecodeError` too, at the number (no offset or count is that long).

``NaN``, ``Infinity`` and ``-Infinity`` are no JSON (RFC 8259), though Python reads and writes them, and so is a number
too large for a float (``1e400``, read as infinity): kept in a document's metadata, they came out of every writer as
``NaN`` or ``Infinity``, which other JSON readers refuse. :func:`loads` refuses them too, unless ``constants=True``
(run records, whose metrics may be NaN).
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import IO, Any

from mining.errors import shortened

NESTED_TOO_DEEPLY = "nested too deeply"
# A JSON string, escapes and all: the tokens below find it first, so that no bracket, comma or digit in a string counts.
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
_STRING = re.compile(_JSON_STRING, re.DOTALL)
# A string, a bracket or a comma: the structure, for the nesting depth and for finding keys.
_TOKEN = re.compile(rf"{_JSON_STRING}|[\[\]{{}},]", re.DOTALL)
# An escaped surrogate, high or low (a cheap test before looking for a lone one), and a decoded one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A string, or what parse_constant or parse_float is given (NaN, Infinity, -Infinity, a number with a fraction or
# an exponent).
_STRING_OR_NUMBER = re.compile(rf"{_JSON_STRING}|-?Infinity|NaN|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", re.DOTALL)
# A string, or the digits of a number's integer part.
_DIGITS_TOKEN = re.compile(rf"{_JSON_STRING}|(?<![\d.eE+])(?<![eE]-)\d+(?![\d.eE])", re.DOTALL)


class _DuplicateKey(Exception):
    """Raised by :func:`_object` out of the parser, which :func:`loads` turns into a located decoding error."""


def loads(text: str | bytes | bytearray, *, constants: bool = False) -> Any:
    """:func:`json.loads`, raising :class:`json.JSONDecodeError` instead of ``RecursionError`` for JSON nested too
    deeply for Python's recursion ("nested too deeply"), for a string holding a lone surrogate, for an object
    naming a key twice (``duplicate key "text"``), and, unless ``constants``, for ``NaN``, ``Infinity`` or a number
    beyond a float's range."""
    hooks = {} if constants else {"parse_constant": _no_constant, "parse_float": _finite}
    try:
        value = json.loads(text, object_pairs_hook=_object, **hooks)
        found = _lone_surrogate(value) if _SURROGATE_ESCAPE.search(_text(text)) else None
    except RecursionError:
        doc = _text(text)
        raise json.JSONDecodeError(NESTED_TOO_DEEPLY, doc, _deepest(doc)) from None
    except _DuplicateKey:
        doc = _text(text)
        key, position = _first_duplicate(doc)
        raise json.JSONDecodeError(f"duplicate key {_shown(key)}", doc, position) from None
    except _NotANumber as e:
        doc = _text(text)
        written, why = e.args
        raise json.JSONDecodeError(f"{written} is {why} (write null, or the value as a string)", doc,
                                   _constant_position(doc, written)) from None
    except (json.JSONDecodeError, UnicodeDecodeError):  # bytes that are no UTF-8: the readers name the byte
        raise
    except ValueError:  # an integer too long for int(); JSON puts no other ValueError out
        doc = _text(text)
        limit = _max_digits()
        digits, position = _long_digits(doc, limit)
        raise json.JSONDecodeError(f"an integer of {digits} digits (more than {limit})", doc, position) from None
    if found is not None:
        where, index, char = found
        doc = _text(text)
        raise json.JSONDecodeError(f"{where} holds a lone surrogate {char!r} at character {index} (half of a UTF-16 "
                                   "pair, no Unicode text)", doc, _escape_position(doc))
    return value


def load(f: IO) -> Any:
    """:func:`loads` on what ``f`` holds."""
    return loads(f.read())


class _NotANumber(Exception):
    """Raised out of the parser by :func:`_no_constant` and :func:`_finite`: the number as written, and why."""


def _no_constant(name: str) -> float:
    raise _NotANumber(name, "no JSON number")


def _finite(written: str) -> float:
    value = float(written)
    if math.isinf(value):
        raise _NotANumber(written, "beyond the range of a number")
    return value


def _constant_position(doc: str, written: str) -> int:
    """Where the first ``written`` outside a string stands in ``doc``."""
    for token in _STRING_OR_NUMBER.finditer(doc):
        if token[0] == written:
            return token.start()
    return 0


def describe(error: json.JSONDecodeError) -> str:
    """``invalid JSON: WHAT at column N``: the readers' words for ``error`` (whose line they name themselves). Some of
    Python's messages end in "at" ("Unterminated string starting at"), which is not said twice."""
    return f"invalid JSON: {error.msg.removesuffix(' at')} at column {error.colno}"


def _text(text: str | bytes | bytearray) -> str:
    return text if isinstance(text, str) else bytes(text).decode("utf-8", errors="replace")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of ``pairs``, as Python's parser builds it, unless a key comes twice."""
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _DuplicateKey
    return value


def _first_duplicate(doc: str) -> tuple[str, int]:
    """The first key in ``doc`` that its object names a second time, and the position of that second occurrence.
    ``doc`` parses up to there (the parser met a duplicate), so its tokens are JSON's: a string right after ``{``
    or after a ``,`` in an object is a key."""
    objects: list[set[str] | None] = []  # one per open bracket: an object's keys so far, None for a list
    expecting_key = False
    for token in _TOKEN.finditer(doc):
        kind = token[0][0]
        if kind == '"':
            if expecting_key:
                key = json.loads(token[0])
                keys = objects[-1]
                if key in keys:
                    return key, token.start()
                keys.add(key)
            expecting_key = False
        elif kind in "[{":
            objects.append(set() if kind == "{" else None)
            expecting_key = kind == "{"
        elif kind in "]}":
            objects.pop()
            expecting_key = False
        else:  # ","
            expecting_key = objects[-1] is not None
    return "", 0  # not reached: the parser found a duplicate, so there is one


def _shown(key: str) -> str:
    """``key`` as JSON writes it, :func:`~mining.errors.shortened`; with ``\\u`` escapes only if it holds a lone
    surrogate, which no message can print."""
    cut = shortened(key)
    return json.dumps(cut, ensure_ascii=_SURROGATE.search(cut) is not None)


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


def _max_digits() -> int:
    """The most digits int() converts now (``sys.set_int_max_str_digits`` may change it; 0 means no limit)."""
    return getattr(sys, "get_int_max_str_digits", lambda: 0)()  # from Python 3.10.7


def _long_digits(doc: str, limit: int) -> tuple[int, int]:
    """The number of digits of the first integer part in ``doc`` (outside its strings) longer than ``limit``, the
    one the parser stopped at, and where it starts."""
    for token in _DIGITS_TOKEN.finditer(doc):
        if token[0][0] != '"' and len(token[0]) > limit:
            return len(token[0]), token.start()
    return 0, 0


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
