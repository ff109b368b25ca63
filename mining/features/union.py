"""Combine named feature extractors into one FeatureUnion; groups set to None or named in ``drop`` are left out."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.pipeline import FeatureUnion

from mining.errors import UsageError


class SequentialFeatureUnion(FeatureUnion):
    """A ``FeatureUnion`` whose ``transform``, with ``n_jobs`` None or 1, calls its extractors in a plain loop.

    scikit-learn's runs them through ``joblib.Parallel`` even then, and wraps each call to restore the
    configuration and warning filters: a few milliseconds per union and batch, which a labelling
    batch pays for half a dozen unions. The matrix is the same (the same extractors, weights and
    ``hstack``); with ``n_jobs`` set, or with routed parameters, scikit-learn's own ``transform`` runs.
    """

    def transform(self, X, **params):
        if self.n_jobs not in (None, 1) or params:
            return super().transform(X, **params)
        Xs = []
        for _, transformer, weight in self._iter():
            out = transformer.transform(X)
            Xs.append(out if weight is None else out * weight)
        return self._hstack(Xs) if Xs else super().transform(X)


def make_feature_union(*, drop: str | Sequence[str] | None = None, **extractors) -> SequentialFeatureUnion:
    """``SequentialFeatureUnion`` of the extractors given by name, in order.

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
    return SequentialFeatureUnion(parts)
