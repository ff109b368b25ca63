"""Cutting a tagged unit in two where it runs over the boundary between two units.

A token tagger with tag transitions merges two units of one sentence more often than it cuts one in two:
"<unit>, but <unit>", "<unit> because <unit>", "<unit>, which <unit>", or, in news, two sentences of one quote.
Out of fold on the AAEC training essays, 457 of 4,823 gold units sat in a prediction that also held another
one (experiments/aaec-history.md, "Exact unit boundaries"). The cut points are few per unit and the evidence is the
unit's own and the token before it: what stands in the gap (", but", "because"), whether a clause with its own
subject follows, how long each side is, what opened the left side ("Although [X], [Y]"). A classifier over candidate
cuts learns them from the gold units alone: the boundary between two neighbouring gold units of a paragraph is a
cut, every candidate inside a gold unit is not.

A candidate cut of a unit of paragraph positions ``[a, b)`` is a gap ``[t, g)``: ``t`` opens it (a comma,
semicolon, colon, a dash set apart by a space, a sentence's final stop, a conjunction or a connective of
:data:`GAP_WORDS`), and it runs on over every punctuation mark, conjunction and connective after it. Cutting
leaves ``[a, t)`` and ``[g, b)``, each of at least ``MIN_TOKENS`` tokens, and the gap outside both. A unit's cuts
are made left to right: a cut that opens less than ``MIN_TOKENS`` after the previous one's gap is skipped.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sklearn.pipeline import Pipeline
from spacy.tokens import Doc

from mining.instances.bio import BEGIN, OUTSIDE, bio_spans, paragraph_tags
from mining.instances.tokens import TokenInstance
from mining.models.candidates import MIN_TOKENS, binary_proba, clause_head, fit_on_gold_units
from mining.nlp.sharing import sharing
from mining.nlp.tokens import DocTokens, tokens_of

GAP_PUNCT = frozenset({",", ";", ":"})
DASHES = frozenset({"-", "–", "—"})  # a gap only with a space before them: not the hyphen of "short-sighted"
SENTENCE_END = frozenset({".", "?", "!"})
# Connectives that stand between two units rather than inside one (AAEC keeps them out of both units).
GAP_WORDS = frozenset({
    "and", "but", "so", "since", "because", "as", "therefore", "thus", "hence", "consequently", "while", "whereas",
    "although", "though", "yet", "however", "moreover", "furthermore", "besides", "otherwise", "then", "thereby",
    "also", "for",
})
CONJUNCTIONS = frozenset({"CCONJ", "SCONJ"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})


def _in_gap(read: DocTokens, i: int) -> bool:
    return read.is_punct[i] or read.lower[i] in GAP_WORDS or read.pos[i] in CONJUNCTIONS


def _opens_gap(read: DocTokens, tokens: Sequence[int], t: int) -> bool | None:
    """Whether the token of position ``t`` opens a gap (``read`` holds its doc's token lists); a stop does so where
    the next token of the paragraph (whitespace is not among ``tokens``) starts a sentence."""
    i = tokens[t]
    text = read.orth[i]
    if text in SENTENCE_END:
        return t + 1 < len(tokens) and read.is_sent_start[tokens[t + 1]]
    if text in DASHES:
        return i > 0 and read.has_space[i - 1]
    return text in GAP_PUNCT or read.lower[i] in GAP_WORDS or read.pos[i] in CONJUNCTIONS


def candidate_cuts(doc: Doc, tokens: Sequence[int], a: int, b: int) -> list[tuple[int, int]]:
    """The gaps ``(t, g)`` (paragraph positions; ``tokens[p]`` is the token of position ``p`` in ``doc``) that
    could cut the unit ``[a, b)``, leaving at least ``MIN_TOKENS`` tokens on each side, in reading order. Call it
    inside a :func:`~mining.nlp.sharing.sharing` block: outside one, each call reads the doc's token lists anew."""
    read = tokens_of(doc)
    cuts = []
    for t in range(a + MIN_TOKENS, b - MIN_TOKENS):
        if not _opens_gap(read, tokens, t):
            continue
        g = t + 1
        while g < b and _in_gap(read, tokens[g]):
            g += 1
        if b - g >= MIN_TOKENS:
            cuts.append((t, g))
    return cuts


def cut_features(doc: Doc, tokens: Sequence[int], a: int, b: int, t: int, g: int) -> dict[str, float]:
    """What the classifier reads of the cut ``(t, g)`` of the unit ``[a, b)``: the gap's words, the words on each
    side of it, the clauses it separates, whether the right side's clause has a subject, both sides' lengths, and
    what opens the left side ("Although [X], [Y]"): the token before the unit, alone and with the gap, and the ``mark``
    child of the left side's clause. Read from the doc's token lists, as :func:`candidate_cuts`."""
    read = tokens_of(doc)
    lower, pos, dep, starts = read.lower, read.pos, read.dep, read.is_sent_start
    opening, before, after = tokens[t], tokens[t - 1], tokens[g]
    gap = " ".join(lower[tokens[p]] for p in range(t, g))
    left, right = clause_head(read, before), clause_head(read, after)
    before_unit = lower[tokens[a - 1]] if a else "<open>"
    left_mark = next((lower[c] for c in read.children[left] if dep[c] == "mark"), "<none>")
    return {
        f"gap={gap}": 1.0, f"opening={lower[opening]}": 1.0, f"opening_dep={dep[opening]}": 1.0,
        f"before={lower[before]}": 1.0, f"before_pos={pos[before]}": 1.0,
        f"after={lower[after]}": 1.0, f"after_pos={pos[after]}": 1.0, f"after_dep={dep[after]}": 1.0,
        f"gap|after_pos={gap}|{pos[after]}": 1.0,
        f"clauses={dep[left]}>{dep[right]}": 1.0, f"same_clause={left == right}": 1.0,
        f"right_clause_after_gap={right >= tokens[g]}": 1.0,
        f"right_subject={any(dep[c] in SUBJECTS for c in read.children[right])}": 1.0,
        f"sentence_break={starts[after]}": 1.0,
        f"left_tokens={min((t - a) // 3, 8)}": 1.0, f"right_tokens={min((b - g) // 3, 8)}": 1.0,
        f"unit_starts_sentence={starts[tokens[a]]}": 1.0,
        f"unit_after={before_unit}": 1.0, f"gap|unit_after={gap}|{before_unit}": 1.0, f"left_mark={left_mark}": 1.0,
    }


def training_cuts(doc: Doc, tokens: Sequence[int], units: Sequence[tuple[int, int]],
                  max_gap: int = 6) -> tuple[list[dict[str, float]], list[int]]:
    """Examples from a paragraph's gold units (positions): every candidate cut inside a unit is a 0; for two
    neighbouring units at most ``max_gap`` tokens apart, the first candidate cut of the two read as one unit that
    opens between them is a 1."""
    rows, labels = [], []
    for a, b in units:
        for t, g in candidate_cuts(doc, tokens, a, b):
            rows.append(cut_features(doc, tokens, a, b, t, g))
            labels.append(0)
    for (a, b), (c, d) in zip(units, units[1:]):
        if c - b > max_gap:
            continue
        between = [(t, g) for t, g in candidate_cuts(doc, tokens, a, d) if b <= t <= c]
        if between:
            t, g = between[0]
            rows.append(cut_features(doc, tokens, a, d, t, g))
            labels.append(1)
    return rows, labels


def fit_splitter(splitter, X: Sequence[TokenInstance], y: Sequence[str]) -> Pipeline:
    """A ``DictVectorizer`` and a clone of ``splitter`` fitted on the :func:`training_cuts` of the gold units that
    the tags ``y`` of the token instances ``X`` encode, paragraph by paragraph."""
    return fit_on_gold_units(splitter, X, y, training_cuts, name="splitter", what="cut")


def cut_tags(splitter: Pipeline, threshold: float, X: Sequence[TokenInstance], sequences: Sequence[Sequence[int]],
             tags: Sequence[str], keep: Collection[int] = ()) -> list[str]:
    """``tags`` (one per instance of ``X``; ``sequences`` are the instances of each paragraph) with every unit cut
    where ``splitter`` gives a cut a probability of at least ``threshold``: its gap tagged ``O``, the token after
    it ``B``. A cut whose gap holds an instance of ``keep`` (tokens forced inside a unit) is not made."""
    tags = list(tags)
    rows, cuts = [], []
    with sharing():  # each doc's token lists read once
        for paragraph, members in enumerate(sequences):
            first = X[members[0]]
            index = {X[i].position: i for i in members}
            for a, b in bio_spans(paragraph_tags(X, members, tags)):
                for t, g in candidate_cuts(first.parsed, first.paragraph.tokens, a, b):
                    if not any(index.get(position) in keep for position in range(t, g)):
                        rows.append(cut_features(first.parsed, first.paragraph.tokens, a, b, t, g))
                        cuts.append((paragraph, index, a, t, g))
    if not rows:
        return tags
    column = splitter.classes_.tolist().index(1)
    free_from: dict[tuple[int, int], int] = {}  # (paragraph, unit start) -> the first position a cut may open at
    for (paragraph, index, a, t, g), p in zip(cuts, binary_proba(splitter, rows)[:, column]):
        if p < threshold or t < free_from.get((paragraph, a), a):
            continue
        for position in range(t, g):
            if position in index:
                tags[index[position]] = OUTSIDE
        if g in index:
            tags[index[g]] = BEGIN
        free_from[(paragraph, a)] = g + MIN_TOKENS
    return tags
