"""Combine named feature extractors into one FeatureUnion; a group set to None is left out."""

from __future__ import annotations

from sklearn.pipeline import FeatureUnion


def make_feature_union(**extractors) -> FeatureUnion:
    """``FeatureUnion`` of the extractors given by name, in order; ``None`` drops a group (ablations).

    Feature names come out prefixed by the group name (``lexical__because``).
    """
    parts = [(name, extractor) for name, extractor in extractors.items() if extractor is not None]
    if not parts:
        raise ValueError("every feature group is switched off: keep at least one")
    return FeatureUnion(parts)
