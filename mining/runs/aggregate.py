"""Group runs that differ only by their seed into configurations and summarise each metric over them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mining.evaluation.metrics import aggregate

SEED_KEY = "seed"


def is_number(value: Any) -> bool:
    """Whether a metric's value is a number (not a bool, which Python counts as one); a list (the labels) or a string
    (a hand-edited file) is none."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_score(value: Any) -> bool:
    """Whether a metric's value is a score to average and rank by: a number, and not NaN (a run that could not
    score it)."""
    return is_number(value) and not math.isnan(value)


def is_seed_key(key: str) -> bool:
    """Whether a flattened config key is the seed or a value interpolated from it.

    The model configs set ``random_state: ${seed}``, so a seed sweep also changes every key ending in
    ``random_state`` (``model.random_state``). Those keys say which repetition a run is, not which
    configuration, so they are left out of the grouping key.
    """
    return key == SEED_KEY or key.endswith("random_state")


@dataclass
class Spread:
    """One metric over the runs of a configuration: mean, population std (as for folds), min, max, n.

    Examples
    --------
    >>> Spread.of([0.5, 1.0])
    Spread(mean=0.75, std=0.25, min=0.5, max=1.0, n=2)
    """

    mean: float
    std: float
    min: float
    max: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("a spread needs at least one value")
        summary = aggregate([{"v": float(v)} for v in values])
        return cls(mean=summary["v.mean"], std=summary["v.std"], min=summary["v.min"], max=summary["v.max"],
                   n=len(values))


@dataclass
class RunGroup:
    """The runs of one configuration: its values of the grouping keys and each run's seed and metrics."""

    config: dict[str, Any]
    runs: list[Path] = field(default_factory=list)
    seeds: list[Any] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)

    def values(self, metric: str) -> list[float]:
        """The metric of every run that has it as a number (not NaN), in run order."""
        return [float(r[metric]) for r in self.results if is_score(r.get(metric))]

    def spread(self, metric: str) -> Spread | None:
        values = self.values(metric)
        return Spread.of(values) if values else None


def without_seeds(value: Any) -> Any:
    """``value`` with every seed key dropped from the mappings nested in it (lists hold configs too)."""
    if isinstance(value, dict):
        return {k: without_seeds(v) for k, v in value.items() if not is_seed_key(str(k))}
    if isinstance(value, list):
        return [without_seeds(v) for v in value]
    return value


def grouping_keys(configs: Sequence[dict[str, Any]], differing: Sequence[str]) -> list[str]:
    """The differing config keys that name a configuration: all but the seed and what derives from it.

    A key that differs only through a seed nested in a list (``subtasks.x.model._args_``) is left
    out as well.
    """
    return [k for k in differing if not is_seed_key(k.rstrip("="))
            and len({repr(without_seeds(c.get(k))) for c in configs}) > 1]


def group_runs(runs: Sequence[Path], configs: Sequence[dict[str, Any]], results: Sequence[dict[str, Any]],
               keys: Sequence[str]) -> list[RunGroup]:
    """One group per distinct combination of ``keys`` values, in order of first appearance."""
    groups: dict[tuple[str, ...], RunGroup] = {}
    for run, config, result in zip(runs, configs, results):
        ident = tuple(repr(without_seeds(config.get(k))) for k in keys)
        group = groups.setdefault(ident, RunGroup(config={k: config.get(k) for k in keys}))
        group.runs.append(run)
        group.seeds.append(config.get(SEED_KEY))
        group.results.append(result)
    return list(groups.values())


def differs_by_seed(configs: Sequence[dict[str, Any]], groups: Sequence[RunGroup]) -> bool:
    """Whether aggregating is what the runs call for: the seed varies and some configuration has repeats."""
    seeds = {repr(c.get(SEED_KEY)) for c in configs}
    return len(seeds) > 1 and any(len(g.runs) > 1 for g in groups)
