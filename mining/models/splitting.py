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
from spacy.tokens import Doc, Token

from mining.instances.bio import BEGIN, OUTSIDE, bio_spans, paragraph_tags
from mining.instances.tokens import TokenInstance
from mining.models.candidates import MIN_TOKENS, binary_proba, clause_of, fit_on_gold_units
from mining.nlp.sharing import sharing

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


def _in_gap(token: Token) -> bool:
    return token.is_punct or token.lower_ in GAP_WORDS or token.pos_ in CONJUNCTIONS


def _opens_gap(doc: Doc, tokens: Sequence[int], t: int) -> bool:
    """Whether the token of position ``t`` opens a gap; a stop does so where the next token of the paragraph
    (whitespace is not among ``tokens``) starts a sentence."""
    token = doc[tokens[t]]
    if token.text in SENTENCE_END:
        return t + 1 < len(tokens) and doc[tokens[t + 1]].is_sent_start
    if token.text in DASHES:
        return token.i > 0 and bool(doc[token.i - 1].whitespace_)
    return token.text in GAP_PUNCT or token.lower_ in GAP_WORDS or token.pos_ in CONJUNCTIONS


def candidate_cuts(doc: Doc, tokens: Sequence[int], a: int, b: int) -> list[tuple[int, int]]:
    """The gaps ``(t, g)`` (paragraph positions; ``tokens[p]`` is the token of position ``p`` in ``doc``) that
    could cut the unit ``[a, b)``, leaving at least ``MIN_TOKENS`` tokens on each side, in reading order."""
    cuts = []
    for t in range(a + MIN_TOKENS, b - MIN_TOKENS):
        if not _opens_gap(doc, tokens, t):
            continue
        g = t + 1
        while g < b and _in_gap(doc[tokens[g]]):
            g += 1
        if b - g >= MIN_TOKENS:
            cuts.append((t, g))
    return cuts


def cut_features(doc: Doc, tokens: Sequence[int], a: int, b: int, t: int, g: int) -> dict[str, float]:
    """What the classifier reads of the cut ``(t, g)`` of the unit ``[a, b)``: the gap's words, the words on each
    side of it, the clauses it separates, whether the right side's clause has a subject, both sides' lengths, and
    what opens the left side ("Although [X], [Y]"): the token before the unit, alone and with the gap, and the ``mark``
    child of the left side's clause."""
    opening, before, after = doc[tokens[t]], doc[tokens[t - 1]], doc[tokens[g]]
    gap = " ".join(doc[tokens[p]].lower_ for p in range(t, g))
    left, right = clause_of(before), clause_of(after)
    before_unit = doc[tokens[a - 1]].lower_ if a else "<open>"
    left_mark = next((c.lower_ for c in left.children if c.dep_ == "mark"), "<none>")
    return {
        f"gap={gap}": 1.0, f"opening={opening.lower_}": 1.0, f"opening_dep={opening.dep_}": 1.0,
        f"before={before.lower_}": 1.0, f"before_pos={before.pos_}": 1.0,
        f"after={after.lower_}": 1.0, f"after_pos={after.pos_}": 1.0, f"after_dep={after.dep_}": 1.0,
        f"gap|after_pos={gap}|{after.pos_}": 1.0,
        f"clauses={left.dep_}>{right.dep_}": 1.0, f"same_clause={left.i == right.i}": 1.0,
        f"right_clause_after_gap={right.i >= tokens[g]}": 1.0,
        f"right_subject={any(c.dep_ in SUBJECTS for c in right.children)}": 1.0,
        f"sentence_break={after.is_sent_start}": 1.0,
        f"left_tokens={min((t - a) // 3, 8)}": 1.0, f"right_tokens={min((b - g) // 3, 8)}": 1.0,
        f"unit_starts_sentence={doc[tokens[a]].is_sent_start}": 1.0,
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
    with sharing():  # each doc's token lists read once (clause_of)
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
