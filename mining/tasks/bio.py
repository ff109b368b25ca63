"""BIO tags: unit spans to token tags, and tags (or per-tag scores) back to spans."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import numpy as np

BEGIN, INSIDE, OUTSIDE = "B", "I", "O"
BIO_LABELS = (BEGIN, INSIDE, OUTSIDE)


def bio_tags(tokens: Sequence[tuple[int, int]], unit_spans: Sequence[tuple[int, int]]) -> list[str]:
    """BIO tags of tokens (character spans, in order) for units given as character spans.

    A token is inside a unit when their characters overlap, so a unit boundary inside a token
    takes the whole token (as ``Doc.char_span(..., alignment_mode="expand")``); the unit's first
    such token is ``B``. Where two units share a token, the later unit's ``B`` wins, so that
    every unit keeps its start.
    """
    tags = [OUTSIDE] * len(tokens)
    starts = [s for s, _ in tokens]
    for u_start, u_end in sorted(unit_spans):
        first = True
        # Tokens are sorted and disjoint: start from the last token that starts at or before the unit.
        k = max(bisect_right(starts, u_start) - 1, 0)
        while k < len(tokens) and tokens[k][1] <= u_start:
            k += 1
        while k < len(tokens) and tokens[k][0] < u_end:
            if first:
                tags[k] = BEGIN
                first = False
            elif tags[k] == OUTSIDE:
                tags[k] = INSIDE
            k += 1
    return tags


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int]]:
    """Token spans ``[start, end)`` of the units that ``tags`` encode.

    Invalid sequences are repaired the usual way (as conlleval does): an ``I`` that follows ``O``
    or opens the sequence starts a unit, as if it were ``B``.
    """
    spans = []
    start = None
    for k, tag in enumerate(tags):
        if tag == BEGIN or (tag == INSIDE and start is None):
            if start is not None:
                spans.append((start, k))
            start = k
        elif tag != INSIDE:
            if start is not None:
                spans.append((start, k))
            start = None
    if start is not None:
        spans.append((start, len(tags)))
    return spans


def constrained_tags(scores: np.ndarray, classes: Sequence[str]) -> list[str]:
    """The valid tag sequence with the highest total score (Viterbi; no learned transitions).

    ``scores[k, c]`` is how much token ``k`` favours ``classes[c]`` (log-probabilities or SVM
    margins). Valid means that ``I`` never opens the sequence nor follows ``O``, so that every
    predicted unit starts with ``B`` instead of being repaired after the fact.
    """
    classes = [str(c) for c in classes]
    if set(classes) != set(BIO_LABELS):
        raise ValueError(f"constrained decoding needs the classes {BIO_LABELS}, got {classes}")
    n = len(scores)
    if n == 0:
        return []
    col = [classes.index(t) for t in BIO_LABELS]
    emit = np.asarray(scores, dtype=np.float64)[:, col]  # columns now B, I, O
    b, i, o = 0, 1, 2
    best = np.empty((n, 3))
    back = np.zeros((n, 3), dtype=np.int64)
    best[0] = emit[0]
    best[0, i] = -np.inf
    for k in range(1, n):
        prev = best[k - 1]
        any_prev = int(np.argmax(prev))
        inside_prev = b if prev[b] >= prev[i] else i  # I may follow B or I, never O
        best[k, b] = prev[any_prev] + emit[k, b]
        best[k, o] = prev[any_prev] + emit[k, o]
        best[k, i] = prev[inside_prev] + emit[k, i]
        back[k] = (any_prev, inside_prev, any_prev)
    path = [int(np.argmax(best[-1]))]
    for k in range(n - 1, 0, -1):
        path.append(int(back[k, path[-1]]))
    return [BIO_LABELS[t] for t in reversed(path)]
