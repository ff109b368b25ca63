"""Check what mining stores beside a tool's own annotations (ids, holders, attributes, unknown fields), naming the
field."""

from __future__ import annotations

import hashlib
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


def document_id(entry: dict[str, Any], keys: tuple[str, ...], name: str, fail: Fail) -> str | None:
    """The document id ``entry`` names by the first of ``keys`` that is not missing or null, as a string; None when
    none is given. A string or an integer only: ``str()`` of a list, an object or true would be an id that is no
    name the file gave (``"['a']"``, ``"True"``), and a file name in brat; and not a blank string."""
    for key in keys:
        value = stored_field(entry, key, (str, int), name, fail)
        if isinstance(value, str) and not value.strip():  # not passed over to the next key: the file gave this one
            raise fail(f"{f'{name}.{key}' if name else repr(key)} is blank: a document's id names it (in merges, "
                       "in brat's file names)")
        if value is not None:
            return str(value)
    return None


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


# The key, beside the ids, of the SHA-256 of the text as mining wrote it (see check_text).
TEXT_HASH = "text_sha256"


def text_hash(text: str) -> str:
    """The SHA-256 of ``text`` in UTF-8: the fingerprint a tool's copy of a document's text is checked against."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_text(entry: dict[str, Any], text: str, name: str, fail: Fail) -> None:
    """Refuse ``text`` when ``entry[TEXT_HASH]`` (written with it) says it was another text.

    A tool that guessed the wrong encoding on import (doccano's "Auto" read UTF-8 as Windows-1252, so
    an emoji came back as four letters) gives back a text with shifted offsets: read as it is, every
    span would be silently wrong. No fingerprint (a task we did not write) is no check.
    """
    expected = stored_field(entry, TEXT_HASH, (str,), name, fail)
    if expected is not None and expected != text_hash(text):
        raise fail(f"the text is not the one mining wrote (its SHA-256 differs from {name}.{TEXT_HASH}): the "
                   "annotation tool changed it, for example by reading the upload in another encoding than "
                   f"UTF-8; re-import the file as UTF-8. It begins {text[:40]!r}")


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"
