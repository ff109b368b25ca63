"""Scores on found units: a gold unit is found when one prediction covers at least half of it.

These are the measures of the news evaluation (issue 14). Detection asks less of a boundary than the
50%-overlap match of :mod:`mining.evaluation.spans` (a prediction may run longer than the gold unit, as
long as it covers half of it) but still matches one to one, so one prediction over a claim and its
premise finds only one of them, and a prediction that covers no gold unit (narration) is a false
positive. Labels, holders and stances are then scored on the found units only:

- ``units.cover50.{precision,recall,f1,n_matched}``: unit detection;
- ``found.labels.{claim,premise}.f1`` and ``found.labels.macro_f1``: claim vs premise on found units,
  ``major_claim`` counted as ``claim`` on both sides (``found.labels.n`` pairs);
- ``found.holder.accuracy``: same party (:func:`mining.evaluation.holders.holder_matches`) on found
  units with a gold holder (``found.holder.n``);
- ``found.stance.{for,against}.f1`` and ``found.stance.macro_f1``: on found gold claims whose stance is
  for or against (``found.stance.n``); a predicted null stance, or a found unit predicted as premise,
  is a miss.

Macro averages run over the classes seen on either side (as ``components.*.macro_f1`` does): a test
without any ``against`` claim is not scored 0 for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from mining.evaluation.holders import holder_matches
from mining.evaluation.spans import Span, greedy_pairs, overlap_ratio, prf
from mining.schema import STANCES, Unit

COVER = 0.5  # the share of a gold unit a prediction must cover for the unit to count as found
LABELS = ("claim", "premise")
LABEL_MAP = {"major_claim": "claim"}


def coverage(gold: Span, predicted: Span) -> float:
    """``|gold ∩ predicted| / |gold|``: how much of the gold span the prediction covers."""
    inter = min(gold[1], predicted[1]) - max(gold[0], predicted[0])
    return inter / (gold[1] - gold[0]) if inter > 0 and gold[1] > gold[0] else 0.0


def covered_pairs(gold: Sequence[Span], predicted: Sequence[Span], threshold: float = COVER) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, predicted index)`` pairs whose prediction covers ``threshold`` of the gold span.

    Pairs are taken greedily: highest coverage first, then the tighter prediction (higher
    :func:`~mining.evaluation.spans.overlap_ratio`), then leftmost. Sorted by gold index.

    Examples
    --------
    >>> covered_pairs([(0, 4), (5, 9)], [(0, 9)])      # one sentence-long prediction finds one unit
    [(0, 0)]
    >>> covered_pairs([(0, 10)], [(0, 4)])             # 40% of the unit is not enough
    []
    """
    scored = [((coverage(g, p), overlap_ratio(g, p)), i, j) for i, g in enumerate(gold)
              for j, p in enumerate(predicted) if g[0] < p[1] and p[0] < g[1]]
    return greedy_pairs(scored, threshold)


@dataclass
class FoundUnits:
    """Counts over documents for the found-unit scores; ``add`` one document's units, then read ``scores``."""

    n_gold: int = 0
    n_predicted: int = 0
    n_found: int = 0
    labels: Counter = field(default_factory=Counter)    # (gold, predicted) label pairs
    stances: Counter = field(default_factory=Counter)   # (gold, predicted) stance pairs of found gold claims
    holders: Counter = field(default_factory=Counter)   # "n", "n_correct"

    def add(self, gold: Sequence[Unit], predicted: Sequence[Unit]) -> None:
        gold = sorted(gold, key=lambda u: (u.start, u.end, u.id))
        predicted = sorted(predicted, key=lambda u: (u.start, u.end, u.id))
        pairs = covered_pairs([(u.start, u.end) for u in gold], [(u.start, u.end) for u in predicted])
        self.n_gold += len(gold)
        self.n_predicted += len(predicted)
        self.n_found += len(pairs)
        for i, j in pairs:
            g, p = gold[i], predicted[j]
            g_label, p_label = LABEL_MAP.get(g.label, g.label), LABEL_MAP.get(p.label, p.label)
            self.labels[g_label, p_label] += 1
            if g_label == "claim" and g.stance in STANCES:
                self.stances[g.stance, p.stance if p_label == "claim" else None] += 1
            if g.holder is not None:
                self.holders["n"] += 1
                self.holders["n_correct"] += p.holder is not None and holder_matches(g.holder, p.holder)

    def scores(self) -> dict[str, float]:
        out = {f"units.cover50.{k}": v for k, v in prf(self.n_found, self.n_gold, self.n_predicted).items()}
        out["units.cover50.n_matched"] = self.n_found
        out.update(class_scores(self.labels, LABELS, "found.labels"))
        out.update(class_scores(self.stances, STANCES, "found.stance"))
        n = self.holders["n"]
        out["found.holder.n"] = n
        out["found.holder.accuracy"] = self.holders["n_correct"] / n if n else 0.0
        return out


def class_scores(pairs: Counter, classes: Sequence[str], prefix: str) -> dict[str, float]:
    """Per-class F1 and their macro average over ``classes`` seen on either side of ``(gold, predicted)`` pairs."""
    out: dict[str, float] = {f"{prefix}.n": sum(pairs.values())}
    seen = [c for c in classes if any(c in pair for pair in pairs)]
    for c in seen:
        n_match = pairs[c, c]
        n_gold = sum(n for (g, _), n in pairs.items() if g == c)
        n_pred = sum(n for (_, p), n in pairs.items() if p == c)
        out[f"{prefix}.{c}.f1"] = prf(n_match, n_gold, n_pred)["f1"]
    out[f"{prefix}.macro_f1"] = sum(out[f"{prefix}.{c}.f1"] for c in seen) / len(seen) if seen else 0.0
    return out
