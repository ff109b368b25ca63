"""BIO tags: unit spans to token tags, and tags (or per-tag scores) back to spans."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import numpy as np

BEGIN, INSIDE, OUTSIDE = "B", "I", "O"
BIO_LABELS = (BEGIN, INSIDE, OUTSIDE)


def paragraph_tags(instances: Sequence, members: Sequence[int], tags: Sequence[str]) -> list[str]:
    """The tags of the token instances ``members`` (of one paragraph) by position in the paragraph; tokens without
    an instance here count as ``O``, and an instance repeated (as oversampling repeats it) counts once."""
    out = [OUTSIDE] * instances[members[0]].n_in_paragraph
    for i in members:
        out[instances[i].position] = tags[i]
    return out


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
    """``constrained_tags(scores[rows], ...)`` for the rows of each sequence, all sequences at once.

    A labelling batch decodes hundreds of paragraphs: the classes, transitions and scores are put in
    ``BIO_LABELS`` order once, and each Viterbi step runs for the k-th token of every paragraph that long
    in one array operation (the same sums and comparisons as token by token; ties go to the first best tag,
    as with np.argmax).
    """
    classes = [str(c) for c in classes]
    if set(classes) != set(BIO_LABELS):
        raise ValueError(f"constrained decoding needs the classes {BIO_LABELS}, got {classes}")
    col = [classes.index(t) for t in BIO_LABELS]
    emit = np.asarray(scores, dtype=np.float64).reshape(len(scores), len(classes))[:, col]  # B, I, O
    moves = np.zeros((3, 3)) if transitions is None else _square(transitions, col)
    opens = np.zeros(3) if start is None else np.asarray(start, dtype=np.float64)[col]
    lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
    order = np.argsort(-lengths, kind="stable")  # longest first: the sequences still running are a prefix
    tags = _viterbi([sequences[s] for s in order.tolist()], lengths[order], emit, moves, opens)
    out: list[list[str]] = [[] for _ in sequences]
    for j, s in enumerate(order.tolist()):
        out[s] = [BIO_LABELS[t] for t in tags[: lengths[s], j].tolist()]
    return out


def _viterbi(sequences: list[Sequence[int]], lengths: np.ndarray, emit: np.ndarray, moves: np.ndarray,
             opens: np.ndarray) -> np.ndarray:
    """Tag numbers (``BIO_LABELS`` order) of the best valid path of each sequence (rows of ``emit``), as
    ``tags[k, j]`` for token k of sequence j; ``lengths`` must not increase."""
    n, width = len(sequences), int(lengths[0]) if len(sequences) else 0
    if width == 0:
        return np.zeros((0, n), dtype=np.int8)
    rows = np.zeros((width, n), dtype=np.int64)  # rows[k, j]: the emit row of token k of sequence j
    for j, seq in enumerate(sequences):
        rows[: lengths[j], j] = seq
    scores = emit[rows]  # (width, n, 3)
    running = (lengths[None, :] > np.arange(width)[:, None]).sum(axis=1)  # sequences at least k + 1 long
    moves = np.array(moves, dtype=np.float64)
    moves[2, 1] = -np.inf  # I never follows O
    best = scores[0] + opens
    best[:, 1] = -np.inf  # nor opens the sequence
    back = np.zeros((width, n, 3), dtype=np.int64)
    for k in range(1, width):
        a = running[k]
        totals = best[:a, :, None] + moves  # [j, s, t]: the best path to s, then t
        back[k, :a] = totals.argmax(axis=1)  # the first best previous tag, as token by token
        best[:a] = totals.max(axis=1) + scores[k, :a]
    last = best.argmax(axis=1)
    tags = np.zeros((width, n), dtype=np.int8)
    current = np.zeros(n, dtype=np.int64)
    for k in range(width - 1, -1, -1):
        a = running[k]
        ending = lengths[:a] == k + 1
        current[:a][ending] = last[:a][ending]
        tags[k, :a] = current[:a]
        if k:
            current[:a] = back[k, np.arange(a), current[:a]]
    return tags


def _square(transitions: np.ndarray, col: list[int]) -> np.ndarray:
    """``transitions`` (in the classes' order) as rows and columns in ``BIO_LABELS`` order."""
    matrix = np.asarray(transitions, dtype=np.float64)
    if matrix.shape != (len(col), len(col)):
        raise ValueError(f"transitions must be a {len(col)}x{len(col)} matrix, got shape {matrix.shape}")
    return matrix[np.ix_(col, col)]
