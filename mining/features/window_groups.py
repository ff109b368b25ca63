"""The token-window feature groups: each token's ``group=value`` features, spelled from its paragraph.

This is what the features are: ``TokenWindowVectorizer`` fits on these strings, and its transform reads the
same features' ids from spaCy's arrays (``window_ids``), which tests check against this spelling.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from mining.errors import UsageError
from mining.features.markers import MarkerMatcher
from mining.instances.tokens import ParagraphTokens, paragraph_spans
from mining.nlp.tokens import DocTokens
from mining.schema import Document, headlines

# Local evidence of one token, by group; a group is read at every offset -k..+k of its window.
# Stab & Gurevych (2017, sec. 4.1) read the same kinds of evidence for their CRF: structural,
# syntactic, lexico-syntactic and indicator features of the token and of its neighbours.
# - word: lowercased form; lemma; shape: capitalisation and digits; punct: the mark itself or "no";
# - pos / tag / dep: coarse and fine part of speech, dependency label;
# - tree: labels of the subtrees the token opens or closes, of its head and of its clause (their
#   lexico-syntactic features: a unit usually starts where a clause starts, after "because" or "that");
# - marker: discourse markers (markers.py lists) starting at or covering the token;
# - sentence: first, second, last or second-to-last token of its sentence;
# - context: paragraph (intro, body, conclusion) and sentence position in it, distance to the
#   sentence edges, commas and markers earlier in the sentence;
# - speech: the token's roles in reported speech (mining/nlp/speech.py: cue, source, frame, content,
#   quote), so that a unit can keep to what is reported and leave out "Varga told reporters";
# - bigram: the lowercased previous word and the token's own as one value (", because", "that the"): where a
#   unit starts or stops depends on the pair, which a linear model cannot build from the two words apart.
GROUPS = ("word", "lemma", "shape", "punct", "pos", "tag", "dep", "tree", "marker", "sentence", "context",
          "speech", "bigram")
# Clause-level dependency labels: the clause a token belongs to is its nearest such ancestor.
CLAUSES = frozenset({"ROOT", "ccomp", "advcl", "conj", "relcl", "xcomp", "csubj", "csubjpass", "acl", "pcomp",
                     "parataxis"})
DISTANCES = (0, 1, 2, 3, 5, 8, 12, 20)


def _bucket(n: int, edges: Sequence[int]) -> str:
    """``n`` as the first edge it does not exceed, or ``>last``."""
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


# The sentence and context features of a token by its distance to the sentence edges.
FROM_START = ("sentence=start", "sentence=second", "sentence=inner")
TO_END = ("sentence=end", "sentence=before_end", "sentence=inner_")
FROM_START_BUCKET = tuple(f"context=from_start:{_bucket(n, DISTANCES)}" for n in range(DISTANCES[-1] + 2))
TO_END_BUCKET = tuple(f"context=to_end:{_bucket(n, DISTANCES)}" for n in range(DISTANCES[-1] + 2))
COMMAS = tuple(f"context=commas_before:{n}" for n in range(4))
# Where a token stands, as ``context=paragraph:<place>`` and ``context=sentence:<place>`` spell it, and which side
# of it its head is (``tree=side:``); ``window_ids`` reads the same words by index.
PARAGRAPH_PLACES = ("intro", "conclusion", "body", "headline")
# How a paragraph's place is told (``paragraph_places``): by its position (essays) or by its being a headline (news).
PLACE_SCHEMES = ("position", "headline")
SENTENCE_PLACES = ("only", "first", "last", "middle")
HEAD_SIDES = ("left", "right", "root")
HEAD_SELF = "self"  # ``tree=head:`` of a root
PARAGRAPH_START = "<s>"  # the previous word of a paragraph's first token, in ``bigram=``


def _by_distance(values: tuple[str, ...], n: int) -> list[str]:
    """``values[min(d, len(values) - 1)]`` for the distances ``d = 0 .. n - 1``."""
    return list(values[:n]) + [values[-1]] * max(n - len(values), 0)


@lru_cache(maxsize=1 << 16)  # words repeat; the cache stays bounded on endless streams
def word_shape(text: str) -> str:
    if text.isdigit():
        return "digits"
    if any(c.isdigit() for c in text):
        return "has_digit"
    if text.isupper() and len(text) > 1:
        return "upper"
    if text[:1].isupper():
        return "title"
    if text.isalpha():
        return "lower"
    return "other"


def check_places(places: str) -> None:
    """Refuse a ``paragraph_places`` that is none of ``PLACE_SCHEMES``."""
    if places not in PLACE_SCHEMES:
        raise UsageError(f"paragraph_places must be one of {', '.join(PLACE_SCHEMES)}, got {places!r}")


def paragraph_places(spans: Sequence[tuple[int, int]], text: str, places: str = "position") -> list[str]:
    """Where each of a document's paragraph ``spans`` (in ``text``) stands: one of ``PARAGRAPH_PLACES`` each.

    ``places="position"`` (essays): the first paragraph is the intro, the last the conclusion, the others body.
    ``"headline"`` (news): a paragraph that reads as a headline or crosshead (``mining.schema.headlines``: short, no
    final punctuation) is a headline; the last paragraph is the conclusion when one before it is no headline; any
    other is body. A report's lede is no essay's introduction, and a text a user brings without its headline reads as
    the same paragraphs under one (docs/labelling.md, "The first paragraph").
    """
    n = len(spans)
    if places != "headline":
        return ["intro" if p == 0 else "conclusion" if p == n - 1 else "body" for p in range(n)]
    found = headlines(text, spans)
    out = ["headline" if h else "body" for h in found]
    if n and not found[-1] and not all(found[:-1]):
        out[-1] = "conclusion"
    return out


def document_places(document: Document, places: str, memo: dict[int, list[str]]) -> list[str]:
    """``paragraph_places`` of ``document``'s paragraphs (the whole text when it lists none), once per document of a
    call: ``memo`` keeps them by ``id``."""
    if id(document) not in memo:
        memo[id(document)] = paragraph_places(paragraph_spans(document), document.text, places)
    return memo[id(document)]


def paragraph_features(paragraph: ParagraphTokens, tokens: DocTokens, text: str, matcher: MarkerMatcher,
                       groups: Sequence[str], place: str) -> list[list[str]]:
    """The ``group=value`` features of each token of ``paragraph``, for the groups asked for; ``place`` is where the
    paragraph stands (``paragraph_places``)."""
    ids = list(paragraph.tokens)
    n = len(ids)
    active = set(groups)
    idx, end = tokens.idx, tokens.end_char
    words = [text[idx[i]:end[i]] for i in ids]
    # The one-value groups, a column each, then zipped into each token's list in group order.
    columns = []
    if "word" in active:
        lower = tokens.lower
        columns.append(["word=" + lower[i] for i in ids])
    if "lemma" in active:
        lemma = tokens.lemma
        columns.append(["lemma=" + lemma[i].lower() for i in ids])
    if "shape" in active:
        columns.append(["shape=" + word_shape(w) for w in words])
    if "punct" in active:
        is_punct = tokens.is_punct
        columns.append(["punct=" + (w if is_punct[i] else "no") for i, w in zip(ids, words)])
    for group in ("pos", "tag", "dep"):
        if group in active:
            values, prefix = getattr(tokens, group), group + "="
            columns.append([prefix + values[i] for i in ids])
    out: list[list[str]] = list(map(list, zip(*columns))) if columns else [[] for _ in range(n)]
    if "tree" in active:
        _tree_features(out, ids, tokens)
    if "bigram" in active:
        _bigram_features(out, ids, tokens)
    if "speech" in active:
        roles = tokens.speech
        for row, i in zip(out, ids):
            row.extend(["speech=" + role for role in sorted(roles[i])] or ["speech=none"])
    marker_starts = _marker_features(out if "marker" in active else None, paragraph, ids, tokens, text, matcher)
    if "sentence" in active or "context" in active:
        _sentence_features(out, paragraph, ids, words, tokens, marker_starts, active, place)
    return out


def _tree_features(out: list[list[str]], ids: list[int], tokens: DocTokens) -> None:
    heads, dep = tokens.heads, tokens.dep
    position = {i: k for k, i in enumerate(ids)}
    lo = {i: i for i in ids}
    hi = {i: i for i in ids}
    for i in ids:
        # Every ancestor's subtree holds token i: widen the edges of each (heads are acyclic;
        # the step limit only guards against a malformed parse).
        j, steps = i, 0
        while heads[j] != j and steps < 200:
            j = heads[j]
            steps += 1
            if j in lo:
                if i < lo[j]:
                    lo[j] = i
                if i > hi[j]:
                    hi[j] = i
    for i in ids:
        if lo[i] != i and lo[i] in position:
            out[position[lo[i]]].append("tree=opens:" + dep[i])
        if hi[i] != i and hi[i] in position:
            out[position[hi[i]]].append("tree=closes:" + dep[i])
    for k, i in enumerate(ids):
        h = heads[i]
        out[k].append("tree=head:" + (dep[h] if h != i else HEAD_SELF))
        out[k].append("tree=side:" + HEAD_SIDES[0 if h < i else 1 if h > i else 2])
        a, steps = i, 0
        while dep[a] not in CLAUSES and heads[a] != a and steps < 200:
            a = heads[a]
            steps += 1
        out[k].append("tree=clause:" + dep[a])


def _bigram_features(out: list[list[str]], ids: list[int], tokens: DocTokens) -> None:
    """``bigram=<previous>|<token>`` (lowercased); the paragraph's first token pairs with ``<s>``."""
    lower = tokens.lower
    previous = PARAGRAPH_START
    for row, i in zip(out, ids):
        row.append(f"bigram={previous}|{lower[i]}")
        previous = lower[i]


def _marker_features(out: list[list[str]] | None, paragraph: ParagraphTokens, ids: list[int], tokens: DocTokens,
                     text: str, matcher: MarkerMatcher) -> list[list[str]]:
    """Names of the marker lists starting at each token; adds ``marker=`` features to ``out`` if given."""
    starts: list[list[str]] = [[] for _ in ids]
    token_starts = [tokens.idx[i] for i in ids]
    for name, matches in zip(matcher.names, matcher.finditer(text[paragraph.start:paragraph.end])):
        for m_start, m_end, phrase in matches:
            # bisect, not np.searchsorted: that would make an array of the list at each match
            a = bisect_left(token_starts, paragraph.start + m_start)
            b = bisect_left(token_starts, paragraph.start + m_end)
            if a >= len(ids) or token_starts[a] != paragraph.start + m_start:
                continue  # the match starts inside a token
            starts[a].append(name)
            if out is not None:
                out[a].append("marker=starts:" + name)
                out[a].append("marker=phrase:" + phrase)
                for k in range(a + 1, b):
                    out[k].append("marker=inside:" + name)
    return starts


def _sentence_features(out: list[list[str]], paragraph: ParagraphTokens, ids: list[int], words: list[str],
                       tokens: DocTokens, marker_starts: list[list[str]], active: set[str], where: str) -> None:
    # Sentences are cut at the paragraph edges; whitespace tokens are not counted.
    sentence_ids = tokens.sentence_ids
    sent_of = [sentence_ids[i] for i in ids]
    n = len(ids)
    bounds = [0] + [k for k in range(1, n) if sent_of[k] != sent_of[k - 1]] + [n]
    n_sents = len(bounds) - 1
    sentence, context = "sentence" in active, "context" in active
    for s in range(n_sents):
        a, b = bounds[s], bounds[s + 1]
        sent_where = SENTENCE_PLACES[0 if n_sents == 1 else 1 if s == 0 else 2 if s == n_sents - 1 else 3]
        # What every token of the sentence carries, spelled once per sentence.
        common = [f"context=paragraph:{where}", f"context=sentence:{sent_where}",
                  f"context=paragraph:{where}&sentence:{sent_where}"]
        sentence_markers = [f"context=sentence_marker:{m}"
                            for m in sorted({name for k in range(a, b) for name in marker_starts[k]})]
        # By distance from the start (the end): the edges get their own value, farther tokens share the last.
        length = b - a
        from_start, to_end = _by_distance(FROM_START, length), _by_distance(TO_END, length)[::-1]
        start_bucket, end_bucket = _by_distance(FROM_START_BUCKET, length), _by_distance(TO_END_BUCKET, length)[::-1]
        seen: set[str] = set()
        markers_before: list[str] = []
        commas = 0
        for t, k in enumerate(range(a, b)):
            feats = out[k]
            if sentence:
                feats.append(from_start[t])
                feats.append(to_end[t])
            if context:
                feats += common
                feats.append(start_bucket[t])
                feats.append(end_bucket[t])
                feats.append(COMMAS[commas])
                feats += sentence_markers
                feats += markers_before
            if not seen.issuperset(marker_starts[k]):
                seen.update(marker_starts[k])
                markers_before = [f"context=marker_before:{m}" for m in sorted(seen)]
            if commas < 3 and words[k] == ",":
                commas += 1

