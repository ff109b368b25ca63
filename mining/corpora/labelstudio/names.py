"""The names that the labelling config, the tasks we write and their reader share, and fresh ids beside them."""

from __future__ import annotations

TEXT_NAME = "text"
LABEL_NAME = "label"
STANCE_NAME = "stance"
HOLDER_NAME = "holder"
ATTRIBUTES_NAME = "attributes"
DATA_KEY = "mining"


def fresh(name: str, used: set[str]) -> str:
    """``name``, with ``_`` appended until it is not in ``used``; the result is added to ``used``."""
    while name in used:
        name += "_"
    used.add(name)
    return name
