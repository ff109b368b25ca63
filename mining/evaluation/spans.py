"""Span-level precision, recall and F1 of predicted against gold spans, by exact or by 50%-overlap matching."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Span = tuple[int, int]  # [start, end) in tokens (or characters): the unit of length is the caller's


def overlap_ratio(a: Span, b: Span) -> float:
    """``|a ∩ b| / max(|a|, |b|)``: 1 for identical spans, 0 for disjoint ones."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    longer = max(a[1] - a[0], b[1] - b[0])
    return inter / longer if inter > 0 and longer > 0 else 0.0


def match_spans(gold: Sequence[Span], predicted: Sequence[Span], threshold: float | None = None) -> int:
    """How many predicted spans match a gold span, each span matched at most once.

    ``threshold=None`` asks for identical boundaries. Otherwise a pair matches when
    ``overlap_ratio >= threshold``: with 0.5 this is the approximate match of Persing & Ng (2016),
    used by Eger et al. (2017), "at least half of the tokens of the longer span shared". See
    :func:`matched_pairs` for which pairs are taken.
    """
    return len(matched_pairs(gold, predicted, threshold))


def matched_pairs(gold: Sequence[Span], predicted: Sequence[Span],
                  threshold: float | None = None) -> list[tuple[int, int]]:
    """The one-to-one matching behind :func:`match_spans`: ``(gold index, predicted index)`` pairs.

    ``threshold=None`` pairs identical spans, in order. Otherwise a pair is eligible when
    ``overlap_ratio >= threshold``. Within one side spans do not overlap, so a span can still pass
    the threshold with two partners (a tie at exactly one half); pairs are then taken greedily,
    best ratio first, then leftmost (by index, so pass the spans sorted). Pairs come back sorted
    by gold index.

    Examples
    --------
    >>> matched_pairs([(0, 4), (5, 9)], [(5, 8), (0, 4)], threshold=0.5)
    [(0, 1), (1, 0)]
    >>> matched_pairs([(0, 4), (5, 9)], [(5, 8), (0, 4)])
    [(0, 1)]
    """
    if threshold is None:
        free: dict[Span, list[int]] = {}
        for j, p in enumerate(predicted):
            free.setdefault(tuple(p), []).append(j)
        exact = []
        for i, g in enumerate(gold):
            candidates = free.get(tuple(g))
            if candidates:
                exact.append((i, candidates.pop(0)))
        return exact
    scored = [((overlap_ratio(g, p),), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted)
              if g[0] < p[1] and p[0] < g[1]]
    return greedy_pairs(scored, threshold)


def greedy_pairs(scored: list[tuple[tuple[float, ...], int, int]], threshold: float) -> list[tuple[int, int]]:
    """One-to-one ``(i, j)`` pairs from ``(scores, i, j)``: best scores first (the first score must reach
    ``threshold``; later ones break ties), then leftmost; sorted by ``i``."""
    ranked = sorted(scored, key=lambda t: (*(-x for x in t[0]), t[1], t[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for scores, i, j in ranked:
        if scores[0] < threshold:
            break
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def prf(n_match: int, n_gold: int, n_predicted: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where a denominator is 0)."""
    precision = n_match / n_predicted if n_predicted else 0.0
    recall = n_match / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def span_scores(groups: Iterable[tuple[Sequence[Span], Sequence[Span]]]) -> dict[str, float]:
    """Micro-averaged span scores over ``(gold, predicted)`` groups (paragraphs: spans never cross them).

    Keys: ``span.exact.{precision,recall,f1}``, ``span.overlap50.{precision,recall,f1}``,
    ``span.n_gold`` and ``span.n_predicted``.
    """
    n_gold = n_pred = exact = overlap = 0
    for gold, predicted in groups:
        n_gold += len(gold)
        n_pred += len(predicted)
        exact += match_spans(gold, predicted)
        overlap += match_spans(gold, predicted, threshold=0.5)
    out = {f"span.exact.{k}": v for k, v in prf(exact, n_gold, n_pred).items()}
    out.update({f"span.overlap50.{k}": v for k, v in prf(overlap, n_gold, n_pred).items()})
    out["span.n_gold"] = float(n_gold)
    out["span.n_predicted"] = float(n_pred)
    return out
