"""argparse value types that refuse a bad value with a message naming the option and what it expects."""

from __future__ import annotations

import argparse
from pathlib import Path


def _whole_number(value: str, least: int) -> int:
    """``value`` as an integer of at least ``least``; argparse names the option in its error (``--batch-size: ...``)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least {least}, got {value!r}") from None
    if number < least:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least {least}, got {number}")
    return number


def positive_int(value: str) -> int:
    """An integer of at least 1, e.g. a batch size."""
    return _whole_number(value, 1)


def non_negative_int(value: str) -> int:
    """A whole number of at least 0, e.g. a random seed."""
    return _whole_number(value, 0)


def non_negative_float(value: str) -> float:
    """A number of at least 0, e.g. a tolerance (argparse names the option in its error)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of at least 0, got {value!r}") from None
    if not number >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"expected a number of at least 0, got {value}")
    return number


def split_name(value: str) -> str:
    """A split's name, such as ``train`` (a blank one, from a shell variable not set, would be written as the split)."""
    if not value.strip():
        raise argparse.ArgumentTypeError(f"expected a split name such as train or test, got {value!r}")
    return value


def nonblank(value: str) -> str:
    """Text that says something, e.g. a project's name: a blank one (an unset shell variable) would create a
    project without a name or silently stand for the default."""
    if not value.strip():
        raise argparse.ArgumentTypeError(f"expected some text, got {value!r}")
    return value


def key_list(value: str) -> list[str]:
    """Comma-separated keys, e.g. ``--metrics test.macro_f1,test.accuracy``: none blank (``--metrics ,`` or a stray
    comma would otherwise fall back to the default columns, or drop one, without a word)."""
    keys = [key.strip() for key in value.split(",")]
    if not all(keys):
        raise argparse.ArgumentTypeError(f"expected comma-separated keys, none blank, got {value!r}")
    return keys


def path_text(value: str) -> str:
    """A file or folder given on the command line, as text (``-`` for standard input stays as it is).

    A blank one, from a shell variable not set (``--path "$CORPUS"``), is refused: as a path it would be the current
    folder, which a command would read as the input or write the output into.
    """
    if not value.strip():
        raise argparse.ArgumentTypeError(f"expected the path of a file or folder, got {value!r}")
    return value


def path_arg(value: str) -> Path:
    """:func:`path_text` as a ``Path``."""
    return Path(path_text(value))
