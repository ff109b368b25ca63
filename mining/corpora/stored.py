"""Check what mining stores beside a tool's own annotations (ids, holders, attributes, unknown fields), naming the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# fail(problem) -> the error to raise; the caller's error already names the file and the task or line.
Fail = Callable[[str], Exception]

_KINDS = {str: "a string", int: "an integer", dict: "a JSON object", list: "a list"}


def stored_field(entry: dict[str, Any], key: str, kinds: tuple[type, ...], name: str, fail: Fail, *,
                 required: bool = False) -> Any:
    """``entry[key]`` when it has one of the types ``kinds``, None when it is missing or null and not
    ``required``; otherwise ``fail`` with ``name.key`` (``name`` is where ``entry`` sits, as the user
    would find it: ``data.mining.relations[2]``; empty for a top-level field)."""
    value = entry.get(key)
    expected = " or ".join(_KINDS[k] for k in kinds)
    shown = f"{name}.{key}" if name else repr(key)
    if value is None:
        if required:
            raise fail(f"{shown} is missing: it must be {expected}")
        return None
    # bool is an int in Python, but true/false as an id is a mistake in the file.
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise fail(f"{shown} must be {expected}, got {_shown(value)}")
    return value


def stored_entries(value: Any, name: str, fail: Fail) -> list[dict[str, Any]]:
    """A stored list of objects (``[]`` when missing or null); ``fail`` names the entry that is not one."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(f"{name} must be a list of JSON objects, got {_shown(value)}")
    for i, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise fail(f"{name}[{i}] must be a JSON object, got {_shown(entry)}")
    return value


def unknown_fields(value: Any, known: frozenset[str], name: str, fail: Fail) -> dict[str, Any]:
    """Stored fields the schema does not know (an object's ``extra``): a JSON object, or null for none.

    A field the schema knows is refused: written back, it would override the object's own value.
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(f"{name} must be a JSON object, got {_shown(value)}")
    clash = sorted(set(value) & known)
    if clash:
        raise fail(f"{name} holds {', '.join(map(repr, clash))}, which the schema knows; only unknown fields go here")
    return dict(value)


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"
