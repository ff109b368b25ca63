"""Where the installed package and the Hydra configs it ships with live."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # mining/
CONFIG_DIR = PACKAGE_DIR / "configs"  # a symlink to the top-level configs/ in a checkout


def group_options(group: str) -> list[str]:
    """The options mining's configs ship for the config group ``group`` (``model``: ``linear_svc``, ``logreg``, ...)."""
    return sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))
