"""Moving a tagged unit's start to where the unit opens.

After the tag transitions and the cuts, the commonest exact-boundary error of the AAEC segmenter is a wrong
start: out of fold on the training essays, 433 of 4,823 gold units had a predicted span that was right at its
end and wrong at its start, 340 of them by three tokens or more (experiments/aaec-history.md, "Moving unit starts").
Whether a sentence's opening phrase belongs to the unit ("It is clear that", "According to the above,", "He
said that") is decided by the words of the whole prefix and the clause that opens after it, which a window of
a few tokens around each token does not see. A classifier over candidate starts reads them.

The candidate starts of a unit of paragraph positions ``[a, b)`` run from the later of the start of ``a``'s
sentence and the end of the unit before it, to ``a + REACH`` (and at least ``MIN_TOKENS`` before ``b``). The
classifier learns from the gold units alone: a gold unit's own start is a 1, every other candidate of its window
a 0. A unit's start moves to the candidate with the highest probability when that probability is above the one of
its own start by ``margin`` or more.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence

from sklearn.pipeline import Pipeline
from spacy.tokens import Doc

from mining.instances.bio import BEGIN, INSIDE, OUTSIDE, bio_spans, paragraph_tags
from mining.instances.tokens import TokenInstance
from mining.models.candidates import MIN_TOKENS, binary_proba_of_columns, clause_head, fit_on_gold_units
from mining.nlp.sharing import sharing
from mining.nlp.tokens import tokens_of

REACH = 8  # how far past the decoded start a start may move


def candidate_starts(doc: Doc, tokens: Sequence[int], a: int, b: int, floor: int) -> range:
    """The positions that could open the unit ``[a, b)``: from the later of ``floor`` (the end of the unit before,
    or 0) and the start of ``a``'s sentence, to ``a + REACH``, leaving at least ``MIN_TOKENS`` tokens."""
    lo = a
    while lo > floor and not doc[tokens[lo]].is_sent_start:
        lo -= 1
    return range(lo, max(a, min(a + REACH, b - MIN_TOKENS)) + 1)


def _candidate_names(doc: Doc, tokens: Sequence[int], window: range) -> Iterator[tuple[list[str], list[str], str]]:
    """Per candidate start of ``window`` (paragraph positions), the names of the features the classifier reads of it
    but the words between the window's opening and it (:func:`window_features`): those before them and those after
    them in a row, and the candidate's lowercased word."""
    read = tokens_of(doc)  # the token attributes as lists, read once per doc in a sharing() block
    lower, pos, dep, heads, left = read.lower, read.pos, read.dep, read.heads, read.left_edges
    seen_words = []  # the words before the candidate, in order
    subject: dict[int, bool] = {}  # per clause head: whether it has a subject
    for k, p in enumerate(window):
        t = tokens[p]
        word, before = lower[t], lower[tokens[window[k - 1]]] if k else "<open>"
        c = clause_head(read, t)
        if c not in subject:
            subject[c] = any(dep[j] in ("nsubj", "nsubjpass", "expl") for j in read.children[c])
        head = [
            f"word={word}", f"pos={pos[t]}", f"dep={dep[t]}",
            f"before={before}", f"before|word={before}|{word}", f"before|pos={before}|{pos[t]}",
            f"opens_clause={left[c] == t}|{dep[c]}",
            f"opens_phrase={left[t] == t}",
            f"head_after={heads[t] > t}",
            f"clause_has_subject={subject[c]}",
            f"prefix_tokens={min(k, 12)}",
            f"next={lower[t + 1] if t + 1 < len(lower) else '<end>'}",
        ]
        tail = []
        if k >= 2:
            tail.append(f"prefix_last2={seen_words[-2]} {seen_words[-1]}")
        if 0 < k <= 6:
            tail.append(f"prefix={' '.join(seen_words)}")
        tail.append(f"opening={' '.join(lower[t:t + 3])}")
        yield head, tail, word
        seen_words.append(word)


def window_features(doc: Doc, tokens: Sequence[int], window: range) -> list[dict[str, float]]:
    """What the classifier reads of each candidate start of ``window`` (paragraph positions): the token and the one
    before it, the words between the window's opening and it, and the clause and phrase that it opens."""
    rows, seen = [], {}  # the words before the candidate, as features, each once
    for head, tail, word in _candidate_names(doc, tokens, window):
        rows.append({**dict.fromkeys(head, 1.0), **seen, **dict.fromkeys(tail, 1.0)})
        seen[f"prefix_has={word}"] = 1.0
    return rows


def window_columns(doc: Doc, tokens: Sequence[int], window: range, vocabulary: Mapping[str, int]) -> list[list[int]]:
    """The columns of ``vocabulary`` (a fitted ``DictVectorizer``'s) of the features :func:`window_features` gives
    each candidate start of ``window``, names it has not seen dropped: the same rows at labelling time, without a
    dictionary per candidate of the words before it."""
    rows, seen, seen_columns = [], set(), []
    for head, tail, word in _candidate_names(doc, tokens, window):
        rows.append([j for j in map(vocabulary.get, head) if j is not None] + seen_columns
                    + [j for j in map(vocabulary.get, tail) if j is not None])
        if word not in seen:
            seen.add(word)
            j = vocabulary.get(f"prefix_has={word}")
            if j is not None:
                seen_columns.append(j)
    return rows


def training_starts(doc: Doc, tokens: Sequence[int], units: Sequence[tuple[int, int]]
                    ) -> tuple[list[dict[str, float]], list[int]]:
    """Examples from a paragraph's gold units (positions): each unit's start is a 1, the other candidates a 0."""
    rows, labels = [], []
    floor = 0
    for a, b in units:
        window = candidate_starts(doc, tokens, a, b, floor)
        rows += window_features(doc, tokens, window)
        labels += [int(s == a) for s in window]
        floor = b
    return rows, labels


def fit_starter(starter, X: Sequence[TokenInstance], y: Sequence[str]) -> Pipeline:
    """A ``DictVectorizer`` and a clone of ``starter`` fitted on the :func:`training_starts` of the gold units that
    the tags ``y`` of the token instances ``X`` encode, paragraph by paragraph."""
    return fit_on_gold_units(starter, X, y, training_starts, name="starter", what="start")


def _movable(window: range, a: int, index: dict[int, int], keep: Collection[int], outside: Collection[int]) -> range:
    """The candidates of ``window`` that the start ``a`` may move to: back over tokens with an instance (``index`` maps
    positions to instances) that is not in ``outside``, on over tokens with one that is not in ``keep``."""
    lo = a
    while lo > window.start and lo - 1 in index and index[lo - 1] not in outside:
        lo -= 1
    hi = a
    while hi + 1 < window.stop and hi in index and index[hi] not in keep:
        hi += 1
    return range(lo, hi + 1)


def move_starts(starter: Pipeline, margin: float, X: Sequence[TokenInstance], sequences: Sequence[Sequence[int]],
                tags: Sequence[str], keep: Collection[int] = (), outside: Collection[int] = ()) -> list[str]:
    """``tags`` (one per instance of ``X``; ``sequences`` are the instances of each paragraph) with each unit's start
    moved to its best candidate where that candidate's probability exceeds its own start's by ``margin`` or more. A
    start does not move later past an instance of ``keep`` (tokens forced inside a unit), nor earlier over an instance
    of ``outside`` (forced outside) or a token that has no instance. The candidates are read over the whole window, as
    in training, whichever of them the start may move to."""
    tags = list(tags)
    windows, rows = [], []
    with sharing():  # each doc's token lists read once
        for members in sequences:
            first = X[members[0]]
            doc, tokens = first.parsed, first.paragraph.tokens
            index = {X[i].position: i for i in members}
            floor = 0
            for a, b in bio_spans(paragraph_tags(X, members, tags)):
                window = candidate_starts(doc, tokens, a, b, floor)
                windows.append((index, a, window, _movable(window, a, index, keep, outside)))
                rows += window_columns(doc, tokens, window, starter[0].vocabulary_)
                floor = b
    if not rows:
        return tags
    column = starter.classes_.tolist().index(1)
    proba = binary_proba_of_columns(starter, rows)[:, column]
    k = 0
    for index, a, window, movable in windows:
        scores = dict(zip(window, proba[k:k + len(window)]))
        k += len(window)
        best = max(movable, key=scores.__getitem__)
        if best == a or scores[best] - scores[a] < margin:
            continue
        for p in range(min(a, best), max(a, best) + 1):
            tags[index[p]] = OUTSIDE if p < best else INSIDE
        tags[index[best]] = BEGIN
    return tags
