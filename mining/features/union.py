"""Combine named feature extractors into one FeatureUnion; groups set to None or named in ``drop`` are left out."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.pipeline import FeatureUnion

from mining.errors import UsageError


def make_feature_union(*, drop: str | Sequence[str] | None = None, **extractors) -> FeatureUnion:
    """``FeatureUnion`` of the extractors given by name, in order.

    A group whose value is ``None``, or whose name is in ``drop`` (a name, a comma-separated
    string, or a list; ``"none"`` drops nothing), is left out: that is how ablations sweep over
    ``features.drop``. Feature names come out prefixed by the group name (``lexical__because``).
    """
    if isinstance(drop, str):
        drop = [] if drop == "none" else [name.strip() for name in drop.split(",")]
    drop = list(drop or [])
    unknown = set(drop) - set(extractors)
    if unknown:
        raise UsageError(f"cannot drop unknown feature groups {sorted(unknown)} (groups: {', '.join(extractors)})")
    parts = [(name, extractor) for name, extractor in extractors.items() if extractor is not None and name not in drop]
    if not parts:
        raise UsageError("every feature group is switched off: keep at least one")
    return FeatureUnion(parts)
