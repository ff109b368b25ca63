"""Discourse-marker features: which indicator phrases occur in a unit, its shell and its paragraph."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from itertools import accumulate

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.instances.units import UnitInstance
from mining.nlp.sharing import once_per_batch, once_per_fit, reuse_rows
from mining.nlp.tokens import DocTokens, doc_tokens
from mining.schema import Document

# The indicator classes of Stab & Gurevych (2017, sec. 5.1.1 "Indicators"), written out from the
# categories they describe and widened with explicit connectives of the Penn Discourse Treebank 2.0
# (Contingency.Cause, Comparison.Concession/Contrast, Expansion.Instantiation/Conjunction).
# FORWARD markers announce a conclusion: the unit after them is supported by what came before.
FORWARD = (
    "therefore", "thus", "hence", "consequently", "accordingly", "so", "as a result",
    "as a consequence", "as the consequence", "for this reason", "for these reasons", "this means that",
    "this shows that", "this suggests that", "this implies that", "it follows that", "which means that",
    "which shows that", "that is why", "that is the reason why", "this is why", "leads to",
    "leading to", "results in", "resulting in", "thereby", "in turn", "clearly",
)
# BACKWARD markers introduce a reason or an example for something said before them. Bare "as" and
# "for" are left out: as prepositions they are far more frequent than as connectives.
BACKWARD = (
    "because", "because of", "since", "due to", "owing to", "given that", "for example",
    "for instance", "such as", "e.g.", "in particular", "particularly", "specifically",
    "the reason is", "the reason is that", "one reason is", "one of the main reasons",
    "is due to the fact that", "in addition", "additionally", "moreover", "furthermore", "besides",
    "what is more", "also", "firstly", "secondly", "thirdly", "first of all", "to begin with",
    "in the first place", "finally", "lastly", "similarly", "likewise", "in fact", "indeed",
    "as a matter of fact", "to illustrate", "take for example", "to give an example",
)
# THESIS markers frame the author's own position, typical of major claims (intro and conclusion).
THESIS = (
    "in my opinion", "in my view", "in my point of view", "from my point of view",
    "in my personal opinion", "my opinion is", "i believe", "i strongly believe", "i firmly believe",
    "i think", "i agree", "i totally agree", "i completely agree", "i strongly agree", "i disagree",
    "i do not agree", "i don't agree", "i would argue", "i am convinced", "i feel",
    "as far as i am concerned", "it seems to me", "personally", "to my mind",
    "to my way of thinking", "from this point of view", "in conclusion", "to conclude",
    "in summary", "to summarize", "to summarise", "to sum up", "in sum", "in short", "in brief",
    "all in all", "all things considered", "overall", "ultimately", "for the reasons mentioned above",
    "for all these reasons", "for the above reasons", "it is clear that", "it can be said that",
    "my position", "my conviction",
)
# REBUTTAL markers concede or contrast: attacks and counter-arguments start with them.
REBUTTAL = (
    "however", "although", "though", "even though", "even if", "but", "yet", "nevertheless",
    "nonetheless", "still", "whereas", "while", "despite", "in spite of", "on the other hand",
    "on the contrary", "in contrast", "by contrast", "instead", "rather", "otherwise",
    "admittedly", "granted", "of course", "it is true that", "some people", "some may argue",
    "some might argue", "some people argue", "some people believe", "some people think", "others",
    "opponents", "critics", "it is argued that", "it may be argued", "besides these advantages",
    "unlike",
)
# First person singular: Stab & Gurevych's "first-person indicators" mark the author's own view.
FIRST_PERSON = ("i", "me", "my", "mine", "myself")
# Reporting verbs and source attributions: in news text they mark whose claim a unit is.
REPORTING = (
    "said", "says", "say", "told", "tells", "stated", "states", "argued", "argues", "claimed",
    "claims", "warned", "warns", "insisted", "insists", "added", "adds", "noted", "notes",
    "explained", "explains", "admitted", "admits", "acknowledged", "believes", "believed",
    "suggested", "suggests", "maintained", "maintains", "contended", "contends", "asserted",
    "asserts", "announced", "announces", "reported", "reports", "according to", "in the words of",
)

DEFAULT_LISTS: dict[str, tuple[str, ...]] = {
    "forward": FORWARD,
    "backward": BACKWARD,
    "thesis": THESIS,
    "rebuttal": REBUTTAL,
    "first_person": FIRST_PERSON,
    "reporting": REPORTING,
}

# Regions read around a unit: its text, the "shell" (sentence start to unit), the rest of its
# sentence, the paragraph before that sentence and the paragraph after it.
REGIONS = ("unit", "shell", "following", "paragraph_before", "paragraph_after")


def resolve_lists(lists: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    """The marker lists to use: ``DEFAULT_LISTS`` for None, else ``lists`` checked and normalised."""
    if lists is None:
        return dict(DEFAULT_LISTS)
    if not isinstance(lists, Mapping) or not lists:
        raise UsageError(f"lists must be a non-empty mapping of name -> phrases, got {lists!r}")
    out = {}
    for name, phrases in lists.items():
        if isinstance(phrases, str) or not phrases:
            raise UsageError(f"marker list {name!r} must be a non-empty sequence of phrases")
        out[str(name)] = tuple(normalize_marker(p) for p in phrases)
        if not all(out[str(name)]):
            raise UsageError(f"marker list {name!r} holds an empty phrase")
    return out


# Words and single punctuation marks: matching whole tokens is matching whole words.
_TOKEN = re.compile(r"\w+|[^\w\s]")
# A token with the whitespace before it: these pieces tile the text up to its last token.
_PIECE = re.compile(r"\s*(?:\w+|[^\w\s])")


def _tokens(text: str) -> list[str]:
    return [m.group().lower() for m in _TOKEN.finditer(text)]


def normalize_marker(phrase: str) -> str:
    """The form a marker is listed and reported in: lowercased tokens joined by single spaces."""
    return " ".join(_tokens(phrase))


class MarkerMatcher:
    """Finds the phrases of named lists in a text as whole-word, case-insensitive token sequences.

    A dictionary from first token to phrases replaces one big regular-expression alternation per
    list, which Python's ``re`` tries phrase by phrase at every character (about 10x slower).
    Within one list, matches do not overlap and the longest phrase wins ("as a result" over "as").
    """

    def __init__(self, lists: Mapping[str, Sequence[str]]):
        self.names = list(lists)
        self.first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for k, name in enumerate(self.names):
            for phrase in sorted(set(lists[name]), key=lambda p: (-len(p.split()), p)):
                tokens = tuple(phrase.split())
                self.first.setdefault(tokens[0], []).append((k, tokens))
        for candidates in self.first.values():
            candidates.sort(key=lambda c: -len(c[1]))

    @property
    def fingerprint(self) -> str:
        """Equal for matchers of equal lists."""
        return once_per_fit(self, "fingerprint", self.first, lambda: joblib.hash((self.names, self.first)))

    def finditer(self, text: str) -> list[list[tuple[int, int, str]]]:
        """Per list (in order), the ``(start, end, phrase)`` of each match, by position."""
        # Match objects for every token cost more than the matching itself: the tokens come from
        # findall, and their end offsets from the lengths of the pieces that tile the text.
        # Lowercasing ASCII maps letters to letters one for one, so such a text can be lowercased
        # whole; other scripts have case mappings that change lengths or depend on context.
        ascii_text = text.isascii()
        tokens = _TOKEN.findall(text.lower() if ascii_text else text)
        words = tokens if ascii_text else [w.lower() for w in tokens]
        ends = list(accumulate(map(len, _PIECE.findall(text))))
        out: list[list[tuple[int, int, str]]] = [[] for _ in self.names]
        free = [0] * len(self.names)  # first token index each list may match at again
        n = len(words)
        first = self.first
        for i in [i for i, word in enumerate(words) if word in first]:
            # Checking the second word first rejects most longer phrases ("in" starts seventeen).
            second = words[i + 1] if i + 1 < n else None
            for k, phrase in first[words[i]]:
                m = len(phrase)
                if i >= free[k] and (m == 1 or (phrase[1] == second and tuple(words[i:i + m]) == phrase)):
                    out[k].append((ends[i] - len(tokens[i]), ends[i + m - 1], " ".join(phrase)))
                    free[k] = i + m
        return out


class MarkerIndex:
    """Every marker match in one text, so that counts inside any character range cost two bisects.

    A document's text is scanned once, instead of once per unit and region.
    """

    def __init__(self, text: str, matcher: MarkerMatcher):
        self.starts: dict[str, list[int]] = {}
        self.ends: dict[str, list[int]] = {}
        self.phrases: dict[str, list[str]] = {}
        for name, matches in zip(matcher.names, matcher.finditer(text)):
            self.starts[name] = [m[0] for m in matches]
            self.ends[name] = [m[1] for m in matches]
            self.phrases[name] = [m[2] for m in matches]
        self._bounds = list(zip(self.starts.values(), self.ends.values()))

    def _range(self, name: str, start: int, end: int) -> tuple[int, int]:
        # Matches of one list do not overlap, so starts and ends are both sorted: the matches
        # lying wholly inside [start, end) are the ones from `lo` up to `hi`.
        lo = bisect_left(self.starts[name], start)
        hi = bisect_right(self.ends[name], end)
        return lo, max(lo, hi)

    def within(self, start: int, end: int) -> list[list[tuple[int, int, str]]] | None:
        """For each list, in order, its matches ``(start, end, phrase)`` inside ``[start, end)``; None when a
        match of some list runs over either edge (then the range's own text matches otherwise)."""
        out = []
        for name, starts in self.starts.items():
            ends = self.ends[name]
            lo, hi = bisect_left(starts, start), bisect_left(starts, end)
            if (lo and ends[lo - 1] > start) or (hi > lo and ends[hi - 1] > end):
                return None
            out.append(list(zip(starts[lo:hi], ends[lo:hi], self.phrases[name][lo:hi])))
        return out

    def count(self, name: str, start: int, end: int) -> int:
        """How many matches of list ``name`` lie inside ``[start, end)``."""
        if end <= start:
            return 0
        lo, hi = self._range(name, start, end)
        return hi - lo

    def present(self, start: int, end: int) -> list[bool]:
        """For each list, in order, whether it has a match inside ``[start, end)``."""
        if end <= start:
            return [False] * len(self._bounds)
        return [bisect_right(ends, end) > bisect_left(starts, start) for starts, ends in self._bounds]

    def present_all(self, bounds: np.ndarray) -> np.ndarray:
        """``present(start, end)`` for each row ``(start, end)`` of ``bounds``: a boolean array, one column per list."""
        if not hasattr(self, "_arrays"):
            self._arrays = [(np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))
                            for starts, ends in self._bounds]
        start, end = bounds[:, 0], bounds[:, 1]
        out = np.zeros((len(bounds), len(self._arrays)), dtype=bool)
        for k, (starts, ends) in enumerate(self._arrays):
            out[:, k] = np.searchsorted(ends, end, side="right") > np.searchsorted(starts, start, side="left")
        out[end <= start] = False
        return out

    def found(self, start: int, end: int) -> list[str]:
        """The matched phrases of every list inside ``[start, end)``, in list order."""
        out = []
        if end <= start:
            return out
        for name, phrases in self.phrases.items():
            lo, hi = self._range(name, start, end)
            out.extend(phrases[lo:hi])
        return out


def marker_indexes(X: Sequence, matcher: MarkerMatcher) -> dict[int, MarkerIndex]:
    """One ``MarkerIndex`` per document of the (unit or pair) instances, keyed by ``id`` of the Document."""
    out: dict[int, MarkerIndex] = {}
    for inst in X:
        doc = inst.document
        if id(doc) not in out:
            out[id(doc)] = marker_index(doc, matcher)
    return out


def marker_index(doc: Document, matcher: MarkerMatcher) -> MarkerIndex:
    """The ``MarkerIndex`` of ``doc``'s text: one per ``sharing()`` block and set of lists."""
    # The Document's text, not the Doc's: spaCy rebuilds Doc.text from its tokens on each call.
    return once_per_batch(("markers", matcher.fingerprint), doc, lambda: MarkerIndex(doc.text, matcher))


def region_bounds(inst: UnitInstance, tokens: DocTokens) -> dict[str, tuple[int, int]]:
    """Character ranges of the ``REGIONS`` around a unit; ``tokens`` are those of ``inst.parsed``."""
    span = inst.span
    sentence_start = tokens.idx[tokens.sentence(span.start)[0]]
    # The end of the sentence in which the unit ends (a unit may run over a sentence break).
    sentence_end = tokens.end_char[tokens.sentence(span.end - 1)[1] - 1]
    p_start, p_end = inst.paragraph_span
    return {
        "unit": (inst.unit.start, inst.unit.end),
        "shell": (sentence_start, inst.unit.start),
        "following": (inst.unit.end, max(sentence_end, inst.unit.end)),
        "paragraph_before": (p_start, min(sentence_start, inst.unit.start)),
        "paragraph_after": (max(sentence_end, inst.unit.end), p_end),
    }


class IndicatorVectorizer(TransformerMixin, BaseEstimator):
    """Presence of discourse-marker lists in five regions around each unit, plus the shell's markers.

    Stab & Gurevych (2017) found indicators in the unit and in its preceding/following tokens
    among the most useful features for telling major claims, claims and premises apart.

    Parameters
    ----------
    lists : mapping of str to sequence of str, default=None
        Marker lists by name; None uses ``DEFAULT_LISTS`` (forward, backward, thesis, rebuttal,
        first person, reporting). Phrases match as whole words, case-insensitively.
    shell_markers : bool, default=True
        Also one-hot encode which marker phrases occur in the shell (``shell=however``), for the
        phrases seen during ``fit``.

    Attributes
    ----------
    lists_ : dict of str to tuple of str
        The lists in use, lowercased.
    matcher_ : MarkerMatcher
        Finds the phrases of all lists.
    shell_vocabulary_ : dict of str to int
        Column (after the list columns) of each shell marker seen in ``fit``.
    feature_names_ : ndarray of str
        ``<region>:<list>`` presence columns, then ``shell=<marker>`` columns.

    Examples
    --------
    >>> vec = IndicatorVectorizer()  # doctest: +SKIP
    >>> vec.fit_transform(instances).shape  # doctest: +SKIP
    (n_instances, 30 + n_shell_markers)
    """

    def __init__(self, *, lists=None, shell_markers=True):
        self.lists = lists
        self.shell_markers = shell_markers

    def fit(self, X: Sequence[UnitInstance], y=None):
        self._fit(X)
        return self

    def fit_transform(self, X: Sequence[UnitInstance], y=None) -> sp.csr_matrix:
        # Each document is scanned for markers once, for the vocabulary and the matrix both.
        return self._transform(self._fit(X))

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        return self._transform(self._regions(X))

    def _regions(self, X: Sequence[UnitInstance]) -> list[tuple[MarkerIndex, dict[str, tuple[int, int]]]]:
        """Each instance's document markers and region bounds."""
        indexes = marker_indexes(X, self.matcher_)
        tokens = doc_tokens(X)
        return [(indexes[id(inst.document)], region_bounds(inst, tokens[id(inst.parsed)])) for inst in X]

    def _fit(self, X: Sequence[UnitInstance]) -> list[tuple[MarkerIndex, dict[str, tuple[int, int]]]]:
        self.lists_ = resolve_lists(self.lists)
        self.matcher_ = MarkerMatcher(self.lists_)
        regions = self._regions(X)
        vocabulary: dict[str, int] = {}
        if self.shell_markers:
            seen = set()
            for index, bounds in regions:
                seen.update(index.found(*bounds["shell"]))
            vocabulary = {m: i for i, m in enumerate(sorted(seen))}
        self.shell_vocabulary_ = vocabulary
        names = [f"{region}:{name}" for region in REGIONS for name in self.lists_]
        names += [f"shell={m}" for m in vocabulary]
        self.feature_names_ = np.asarray(names, dtype=object)
        return regions

    def _transform(self, regions: list[tuple[MarkerIndex, dict[str, tuple[int, int]]]]) -> sp.csr_matrix:
        n_lists = len(self.lists_)
        base = len(REGIONS) * n_lists
        rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        by_index: dict[int, list[int]] = {}
        for r, (index, _) in enumerate(regions):
            by_index.setdefault(id(index), []).append(r)
        for members in by_index.values():  # each document's regions in one look-up per list
            index = regions[members[0]][0]
            bounds = np.asarray([regions[r][1][region] for r in members for region in REGIONS], dtype=np.int64)
            hits = index.present_all(bounds.reshape(-1, 2)).reshape(len(members), base)
            member, col = np.nonzero(hits)  # column g * n_lists + k: region g, list k
            rows.append(np.asarray(members, dtype=np.int64)[member])
            cols.append(col)
        shell_rows, shell_cols = [], []
        if self.shell_vocabulary_:
            for r, (index, bounds) in enumerate(regions):
                for marker in set(index.found(*bounds["shell"])):
                    j = self.shell_vocabulary_.get(marker)
                    if j is not None:
                        shell_rows.append(r)
                        shell_cols.append(base + j)
        rows = np.concatenate([*rows, np.asarray(shell_rows, dtype=np.int64)])
        cols = np.concatenate([*cols, np.asarray(shell_cols, dtype=np.int64)])
        data = np.ones(len(rows), dtype=np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(regions), len(self.feature_names_)))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return self.feature_names_.copy()
