"""What json reads and the readers must not: JSON nested deeper than Python's recursion (a RecursionError), a lone
surrogate, an object naming a key twice (the last value kept, the first dropped), NaN and Infinity are decoding
errors."""

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


@pytest.mark.parametrize(("text", "key", "line", "column"), [
    ('{"id": "a", "text": "x", "text": "y"}', "text", 1, 26),
    # "a" also comes once in other objects of the line, and inside a string; only the object that names it twice counts
    ('[{"a": 1}, {"a": 2, "b": {"a": 3}}, {"t": "{\\"a\\": 1, \\"a\\": 2}", "a": [{"a": 4}], "x": "a", "a": 5}]', "a",
     1, 94),
    ('{"a": 1, "\\u0061": 2}', "a", 1, 10),  # one key, written two ways
    ('{"a": 1, "a": 2, "x": {"b": 1, "b": 2}}', "a", 1, 10),  # the first in the text, though "b"'s object closes first
    ('{"units": [\n  {"start": 0, "end": 4,\n   "start": 2}]}', "start", 3, 4),
    (b'{"id": "a", "id": "b"}', "id", 1, 13),
])
def test_a_key_named_twice_is_a_decoding_error_at_its_second_occurrence(text: str | bytes, key: str, line: int,
                                                                        column: int):
    """Python keeps the last of two values of one key: a corpus line's first "text", or an export's first
    "annotations", was dropped without a word."""
    with pytest.raises(json.JSONDecodeError) as raised:
        jsonread.loads(text)
    error = raised.value
    assert error.msg == f'duplicate key "{key}"' and (error.lineno, error.colno) == (line, column)
    assert jsonread.describe(error) == f'invalid JSON: duplicate key "{key}" at column {column}'


@pytest.mark.parametrize(("text", "shown"), [
    ('{"\\ud800": 1, "\\ud800": 2}', '"\\ud800"'),  # escaped: no message can print a lone surrogate
    (json.dumps({"k" * 100: 1})[:-1] + ", " + json.dumps({"k" * 100: 2})[1:], f'"{"k" * 57}..."'),  # cut to 60
    ('{"é": 1, "é": 2}', '"é"'),
])
def test_a_duplicate_key_is_named_so_that_a_message_can_print_it(text: str, shown: str):
    with pytest.raises(json.JSONDecodeError) as raised:
        jsonread.loads(text)
    assert raised.value.msg == f"duplicate key {shown}"


def test_keys_named_once_per_object_read_as_json_reads_them():
    text = '[{"a": 1, "b": {"a": 2}}, {"a": [{"a": 3}], "": 4, "A": 5}, {}]'
    assert jsonread.loads(text) == json.loads(text)


LONG = "9" * 5000  # Python converts at most sys.get_int_max_str_digits() (4300) digits to an int


@pytest.mark.parametrize(("text", "column"), [
    ('{"start": ' + LONG + "}", 11),
    ('{"start": -' + LONG + "}", 12),
    # digits in a string, a float's fraction or exponent are no integer's: the error points at the one that is
    ('{"text": "' + LONG + '", "x": 0.' + LONG + ', "e": 1e-' + "1" * 4400 + ', "end": 1' + LONG + "}",
     10 + 5000 + 10 + 5000 + 10 + 4400 + 10),
])
def test_an_integer_too_long_for_python_is_a_decoding_error_at_it(text: str, column: int):
    """Python's parser raised a bare ValueError ("Exceeds the limit (4300 digits)"): a traceback in every reader."""
    with pytest.raises(json.JSONDecodeError) as raised:
        jsonread.loads(text)
    assert raised.value.colno == column
    assert jsonread.describe(raised.value) == f"invalid JSON: an integer of {len(text[column - 1:-1])} digits " \
                                              f"(more than 4300) at column {column}"


def test_the_first_integer_too_long_is_named_and_bytes_that_are_no_utf8_stay_a_unicode_error():
    text = '{"a": ' + "1" * 5000 + ', "b": "' + "2" * 6000 + '", "c": ' + "3" * 7000 + "}"
    with pytest.raises(json.JSONDecodeError, match="an integer of 5000 digits") as raised:
        jsonread.loads(text)
    assert raised.value.colno == 7
    with pytest.raises(UnicodeDecodeError):  # the readers name the byte; not "an integer of 0 digits"
        jsonread.loads(b'{"a": "\xff"}')


@pytest.mark.parametrize(("text", "written", "column"), [
    ('{"metadata": {"score": NaN}}', "NaN", 24),
    ('{"n": "NaN -Infinity", "m": [1, -Infinity]}', "-Infinity", 33),
    ('{"m": Infinity}', "Infinity", 7),
    ('{"s": "1e400", "m": 1e400}', "1e400", 21),
])
def test_nan_infinity_and_numbers_beyond_a_float_are_decoding_errors(text: str, written: str, column: int):
    """Python reads them, and its writers write them back as no other JSON reader takes them."""
    with pytest.raises(json.JSONDecodeError) as raised:
        jsonread.loads(text)
    assert raised.value.msg.startswith(f"{written} is ") and raised.value.colno == column
    assert jsonread.loads('{"a": 1.5e3, "b": -0.25, "c": 1e-400}') == {"a": 1500.0, "b": -0.25, "c": 0.0}


def test_a_run_record_may_hold_nan():
    assert str(jsonread.loads('{"test.macro_f1": NaN}', constants=True)["test.macro_f1"]) == "nan"


def test_the_digit_limit_named_is_the_one_python_has_when_it_refuses():
    import sys

    if not hasattr(sys, "set_int_max_str_digits"):
        pytest.skip("no digit limit before Python 3.10.7")
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(1000)
    try:
        with pytest.raises(json.JSONDecodeError, match=r"an integer of 2000 digits \(more than 1000\)"):
            jsonread.loads('{"a": ' + "7" * 2000 + "}")
    finally:
        sys.set_int_max_str_digits(before)
