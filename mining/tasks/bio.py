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


def constrained_tags(scores: np.ndarray, classes: Sequence[str], transitions: np.ndarray | None = None,
                     start: np.ndarray | None = None) -> list[str]:
    """The valid tag sequence with the highest total score (Viterbi).

    ``scores[k, c]`` is how much token ``k`` favours ``classes[c]`` (log-probabilities or SVM
    margins). Valid means that ``I`` never opens the sequence nor follows ``O``, so that every
    predicted unit starts with ``B`` instead of being repaired after the fact. ``transitions[s, t]``
    is added where ``classes[t]`` follows ``classes[s]``, and ``start[t]`` where ``classes[t]`` opens the
    sequence, as in a first-order HMM or CRF (``mining.models.tagging.TransitionTagger`` learns them);
    None adds nothing, and the tokens' scores alone decide.
    """
    return constrained_sequences(scores, [range(len(scores))], classes, transitions, start)[0]


def constrained_sequences(scores: np.ndarray, sequences: Sequence[Sequence[int]], classes: Sequence[str],
                          transitions: np.ndarray | None = None, start: np.ndarray | None = None) -> list[list[str]]:
    """``constrained_tags(scores[rows], ...)`` for the rows of each sequence, with the classes, transitions and
    scores put in ``BIO_LABELS`` order once for all of them (a labelling batch decodes hundreds of paragraphs)."""
    classes = [str(c) for c in classes]
    if set(classes) != set(BIO_LABELS):
        raise ValueError(f"constrained decoding needs the classes {BIO_LABELS}, got {classes}")
    col = [classes.index(t) for t in BIO_LABELS]
    emit = np.asarray(scores, dtype=np.float64).reshape(len(scores), len(classes))[:, col].tolist()  # B, I, O
    # Plain floats: numpy scalars cost more than the arithmetic.
    moves = ((0.0,) * 3,) * 3 if transitions is None else _square(transitions, col)
    opens = (0.0,) * 3 if start is None else np.asarray(start, dtype=np.float64)[col].tolist()
    return [_viterbi([emit[r] for r in rows], moves, opens) for rows in sequences]


def _viterbi(emit: list[list[float]], moves: Sequence[Sequence[float]], opens: Sequence[float]) -> list[str]:
    """The best valid path through ``emit`` (rows of B, I, O scores); ties go to the first best tag, as with
    np.argmax."""
    if not emit:
        return []
    b, i, o = 0, 1, 2
    (bb, bi, bo), (ib, ii, io), (ob, _, oo) = moves
    sb, _, so = opens
    best = [emit[0][b] + sb, -np.inf, emit[0][o] + so]
    back: list[tuple[int, int, int]] = []
    for eb, ei, eo in emit[1:]:
        pb, pi, po = best
        # x_y: the best total of a path whose last two tags are y then x
        b_b, b_i, b_o = pb + bb, pi + ib, po + ob
        from_b = b if b_b >= b_i and b_b >= b_o else i if b_i >= b_o else o
        i_b, i_i = pb + bi, pi + ii  # I may follow B or I, never O
        from_i = b if i_b >= i_i else i
        o_b, o_i, o_o = pb + bo, pi + io, po + oo
        from_o = b if o_b >= o_i and o_b >= o_o else i if o_i >= o_o else o
        best = [max(b_b, b_i, b_o) + eb, max(i_b, i_i) + ei, max(o_b, o_i, o_o) + eo]
        back.append((from_b, from_i, from_o))
    pb, pi, po = best
    path = [b if pb >= pi and pb >= po else i if pi >= po else o]
    for step in reversed(back):
        path.append(step[path[-1]])
    return [BIO_LABELS[t] for t in reversed(path)]


def _square(transitions: np.ndarray, col: list[int]) -> list[list[float]]:
    """``transitions`` (in the classes' order) as rows and columns in ``BIO_LABELS`` order."""
    matrix = np.asarray(transitions, dtype=np.float64)
    if matrix.shape != (len(col), len(col)):
        raise ValueError(f"transitions must be a {len(col)}x{len(col)} matrix, got shape {matrix.shape}")
    return matrix[np.ix_(col, col)].tolist()
