"""JSON nested deeper than Python's recursion is a decoding error, not a RecursionError."""

from __future__ import annotations

import io
import json

import pytest

from mining import jsonread

DEEP = "[" * 50_000 + "]" * 50_000


@pytest.mark.parametrize("text", [DEEP, DEEP.encode("utf-8"), "[" * 50_000])
def test_nested_too_deeply_is_a_decoding_error(text: str | bytes):
    with pytest.raises(json.JSONDecodeError) as raised:
        jsonread.loads(text)
    assert raised.value.msg == "nested too deeply" and (raised.value.lineno, raised.value.colno) == (1, 50_000)


def test_the_position_is_where_the_nesting_is_deepest_brackets_in_strings_aside():
    text = '{"a": "[[[[", "b": ' + "[" * 5_000 + "\n" + "[" * 5_000
    with pytest.raises(json.JSONDecodeError) as raised:
        jsonread.load(io.StringIO(text))
    assert (raised.value.lineno, raised.value.colno) == (2, 5_000)


def test_json_that_is_not_too_deep_reads_as_json_reads_it():
    assert jsonread.loads('{"a": [[1, "]"]]}') == jsonread.load(io.StringIO('{"a": [[1, "]"]]}')) == {"a": [[1, "]"]]}


@pytest.mark.parametrize(("text", "where", "column"), [
    ('{"id": "d1", "text": "ab\\ud800c"}', '"text"', 22),
    ('[{"data": {"text": "ok"}}, {"data": {"text": "\\udc00"}}]', '"[1].data.text"', 46),
    ('{"units": [{"\\ud800": 1}]}', 'a key of "units[0]"', 13),
    (b'{"t": "\\ud800"}', '"t"', 7),
])
def test_a_lone_surrogate_is_a_decoding_error_naming_the_field(text: str | bytes, where: str, column: int):
    """Python reads a lone surrogate escape into a string no UTF-8 file can hold: the writer that met it later raised
    UnicodeEncodeError (`mining data convert`, and `data validate` of a Label Studio export, which hashes the text)."""
    with pytest.raises(json.JSONDecodeError) as raised:
        jsonread.loads(text)
    assert raised.value.msg.startswith(f"{where} holds a lone surrogate ") and raised.value.colno == column


def test_surrogate_pairs_and_an_escaped_backslash_read_as_json_reads_them():
    for text in ['"\\ud83d\\ude00"', '"\\\\ud800"', '{"a": "\\u00e9"}']:
        assert jsonread.loads(text) == json.loads(text)


@pytest.mark.parametrize(("text", "message"), [
    ('{"text": "cut', "invalid JSON: Unterminated string starting at column 10"),
    ('{"text": "a\tb"}', "invalid JSON: Invalid control character at column 12"),
    ('{"text": "a"', "invalid JSON: Expecting ',' delimiter at column 13"),
])
def test_describe_says_at_once(text: str, message: str):
    """Python's messages that end in "at" read "... starting at at column 10" in every reader's error."""
    with pytest.raises(json.JSONDecodeError) as raised:
        jsonread.loads(text)
    assert jsonread.describe(raised.value) == message
