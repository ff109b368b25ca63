"""argparse value types that refuse a bad value with a message naming the option and what it expects."""

from __future__ import annotations

import argparse


def positive_int(value: str) -> int:
    """An integer of at least 1 (argparse names the option in its error: ``--batch-size: ...``)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {number}")
    return number


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
