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
from operator import getitem

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
    or 0) and the start of ``a``'s sentence, to ``a + REACH``, leaving at least ``MIN_TOKENS`` tokens. Call it inside a
    :func:`~mining.nlp.sharing.sharing` block: outside one, each call reads the doc's token lists anew."""
    starts = tokens_of(doc).is_sent_start
    lo = a
    while lo > floor and not starts[tokens[lo]]:
        lo -= 1
    return range(lo, max(a, min(a + REACH, b - MIN_TOKENS)) + 1)


# The features of a candidate that take a few values each (a part of speech, a label, a flag, a count), in the order
# _candidate_features gives their values: StartColumns looks their columns up once per value.
FEW_VALUED = ("pos", "dep", "opens_clause", "opens_phrase", "head_after", "clause_has_subject", "prefix_tokens")


def _name(kind: str, value: object) -> str:
    """The name of the feature ``kind`` of ``value``: ``kind=value``, the parts of a pair joined by ``|``."""
    return f"{kind}={'|'.join(map(str, value)) if isinstance(value, tuple) else value}"


def _candidate_features(doc: Doc, tokens: Sequence[int], window: range) -> Iterator[tuple[tuple, list[str], str]]:
    """Per candidate start of ``window`` (paragraph positions), what the classifier reads of it but the words between
    the window's opening and it (:func:`window_features`): the values of its :data:`FEW_VALUED` features, the names of
    the others, and the candidate's lowercased word."""
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
        few = (pos[t], dep[t], (left[c] == t, dep[c]), left[t] == t, heads[t] > t, subject[c], min(k, 12))
        names = [
            f"word={word}", f"before={before}", f"before|word={before}|{word}", f"before|pos={before}|{pos[t]}",
            f"next={lower[t + 1] if t + 1 < len(lower) else '<end>'}",
        ]
        if k >= 2:
            names.append(f"prefix_last2={seen_words[-2]} {seen_words[-1]}")
        if 0 < k <= 6:
            names.append(f"prefix={' '.join(seen_words)}")
        names.append(f"opening={' '.join(lower[t:t + 3])}")
        yield few, names, word
        seen_words.append(word)


def window_features(doc: Doc, tokens: Sequence[int], window: range) -> list[dict[str, float]]:
    """What the classifier reads of each candidate start of ``window`` (paragraph positions): the token and the one
    before it, the words between the window's opening and it, and the clause and phrase that it opens."""
    rows, seen = [], {}  # the words before the candidate, as features, each once
    for few, names, word in _candidate_features(doc, tokens, window):
        rows.append({**{_name(kind, value): 1.0 for kind, value in zip(FEW_VALUED, few)}, **seen,
                     **dict.fromkeys(names, 1.0)})
        seen[f"prefix_has={word}"] = 1.0
    return rows


class _KindColumns(dict):
    """The vocabulary's column of the feature ``kind`` of each value (None where it has none), by value, looked up
    on first use."""

    def __init__(self, vocabulary: Mapping[str, int], kind: str):
        super().__init__()
        self.vocabulary, self.kind = vocabulary, kind

    def __missing__(self, value: object) -> int | None:
        column = self[value] = self.vocabulary.get(_name(self.kind, value))
        return column


class StartColumns:
    """The columns of a fitted starter's vocabulary (a ``DictVectorizer``'s) of the candidates' features, for one
    :func:`move_starts` call: those of the :data:`FEW_VALUED` features are looked up once per value, instead of
    spelling the same few names and finding them among the vocabulary's 133,000 (the AAEC miner's) for each of the
    ten thousand candidates of a labelling pass."""

    def __init__(self, vocabulary: Mapping[str, int]):
        self.vocabulary = vocabulary
        self.few_valued = [_KindColumns(vocabulary, kind) for kind in FEW_VALUED]


def window_columns(doc: Doc, tokens: Sequence[int], window: range, columns: StartColumns) -> list[list[int]]:
    """The columns (:class:`StartColumns`) of the features :func:`window_features` gives each candidate start of
    ``window``, names the vocabulary has not seen dropped, in no particular order: the same rows at labelling time,
    without a dictionary per candidate of the words before it."""
    vocabulary, few_valued = columns.vocabulary, columns.few_valued
    rows, seen, seen_columns = [], set(), []
    for few, names, word in _candidate_features(doc, tokens, window):
        rows.append([j for j in map(getitem, few_valued, few) if j is not None] + seen_columns
                    + [j for j in map(vocabulary.get, names) if j is not None])
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
    columns = StartColumns(starter[0].vocabulary_)
    with sharing():  # each doc's token lists read once
        for members in sequences:
            first = X[members[0]]
            doc, tokens = first.parsed, first.paragraph.tokens
            index = {X[i].position: i for i in members}
            floor = 0
            for a, b in bio_spans(paragraph_tags(X, members, tags)):
                window = candidate_starts(doc, tokens, a, b, floor)
                windows.append((index, a, window, _movable(window, a, index, keep, outside)))
                rows += window_columns(doc, tokens, window, columns)
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
