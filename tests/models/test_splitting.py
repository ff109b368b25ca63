"""Cutting a tagged unit in two at the boundary between two units: candidate cuts, what they are learned from,
and the tagger that makes them."""

from __future__ import annotations

import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from mining.errors import UsageError
from mining.features.tokens_window import TokenWindowVectorizer
from mining.instances.bio import bio_spans
from mining.instances.tokens import ParagraphTokens, TokenInstance
from mining.models.splitting import candidate_cuts, cut_features, cut_tags, fit_splitter, training_cuts
from mining.models.tagging import TransitionTagger
from mining.runs.trust import trusted_types
from tests.models.helpers import FixedProba


def _words(doc, cut):
    t, g = cut
    return " ".join(doc[i].text for i in range(t, g))


def test_cuts_open_at_a_gap_run_over_its_connectives_and_leave_two_tokens_each_side(nlp):
    doc = nlp("Cities should ban cars, because the air is unhealthy and children suffer.")
    tokens = range(len(doc))
    cuts = candidate_cuts(doc, tokens, 0, len(doc) - 1)  # the unit without the final stop
    assert [_words(doc, c) for c in cuts] == [", because", "because", "and"]
    # Two tokens at least on each side: the comma (position 4) opens a cut of a unit from 2, not from 3.
    assert [_words(doc, c) for c in candidate_cuts(doc, tokens, 2, 13)][:1] == [", because"]
    assert ", because" not in [_words(doc, c) for c in candidate_cuts(doc, tokens, 3, 13)]
    # A sentence's final stop opens a gap when a sentence follows, whatever whitespace stands between them.
    for text in ("Taxes must rise. Schools are short of money.", "Taxes must rise.  Schools are short of money."):
        two = nlp(text)
        words = [i for i, t in enumerate(two) if not t.is_space]
        assert [two[words[t]].text for t, _ in candidate_cuts(two, words, 0, len(words) - 1)] == ["."]
    # A dash set apart by spaces is a gap; the hyphen inside a word is not.
    dashed = nlp("Cities are short-sighted - they build roads and forget buses.")
    assert [_words(dashed, c) for c in candidate_cuts(dashed, range(len(dashed)), 0, len(dashed) - 1)] == ["-", "and"]


def test_training_cuts_label_the_boundary_between_two_units_and_nothing_inside_one(nlp):
    doc = nlp("Cities should ban cars, because the air is unhealthy and children suffer.")
    tokens = range(len(doc))
    first, second = (0, 4), (6, len(doc) - 1)  # "Cities should ban cars" / "the air is ... suffer"
    rows, labels = training_cuts(doc, tokens, [first, second])
    assert labels == [0, 1]  # "and" inside the second unit; ", because" between the two
    assert "gap=, because" in rows[1] and "gap=and" in rows[0]
    # Units further apart than max_gap tokens give no positive example.
    assert training_cuts(doc, tokens, [first, second], max_gap=1)[1] == [0]


def test_a_cut_reads_what_opens_the_left_side(nlp):
    doc = nlp("Although taxes are high, cities should ban cars.")
    tokens = range(len(doc))
    comma = [t.text for t in doc].index(",")
    row = cut_features(doc, tokens, 1, len(doc) - 1, comma, comma + 1)  # "[taxes are high], [cities ... cars]"
    assert {"unit_after=although", "gap|unit_after=,|although", "left_mark=although"} <= set(row)
    opened = cut_features(doc, tokens, 0, len(doc) - 1, comma, comma + 1)  # the unit opens the paragraph
    assert {"unit_after=<open>", "gap|unit_after=,|<open>", "left_mark=although"} <= set(opened)  # "Although" inside
    plain = nlp("Taxes are high, and cities should ban cars.")
    assert "left_mark=<none>" in cut_features(plain, range(len(plain)), 0, len(plain) - 1, 3, 5)


def test_the_tagger_learns_cuts_and_the_task_decodes_with_them(sample_tokens):
    task, instances, gold = sample_tokens
    plain = TransitionTagger(features=TokenWindowVectorizer(), classifier=LinearSVC(C=0.05, dual=True), weight=0.3)
    splitting = clone(plain).set_params(splitter=LogisticRegression(max_iter=1000), split_threshold=0.05)
    splitting.fit(instances, gold)
    assert splitting.splitter_ is not None and plain.fit(instances, gold).splitter_ is None
    before, after = task.predict(plain, instances), task.predict(splitting, instances)
    units = [bio_spans(tags) for tags in (before, after)]
    # A low threshold cuts: more units, and no token outside a unit before is inside one after.
    assert len(units[1]) > len(units[0])
    assert all(b == "O" for a, b in zip(before, after) if a == "O")
    # Never cutting gives the plain tagger's tags.
    never = clone(splitting).set_params(split_threshold=1.0).fit(instances, gold)
    assert task.predict(never, instances) == before
    # Oversampled training instances (each token twice) learn the same cuts.
    twice = fit_splitter(LogisticRegression(max_iter=1000), instances + instances, gold + gold)
    assert twice[-1].coef_ == pytest.approx(splitting.splitter_[-1].coef_)


def fixed_cuts(by_gap: dict[str, float]) -> FixedProba:
    return FixedProba("gap", by_gap, default=0.0)


def test_cuts_go_left_to_right_leave_two_tokens_and_never_cross_a_kept_token(sample_tokens, nlp):
    doc = nlp("Cities should ban cars, because the air is unhealthy and children suffer.")
    paragraph = ParagraphTokens(index=0, n_paragraphs=1, start=0, end=len(doc.text), tokens=tuple(range(len(doc))))
    X = [TokenInstance(document=None, parsed=doc, paragraph=paragraph, position=k) for k in range(len(doc))]
    unit = ["B"] + ["I"] * (len(doc) - 2) + ["O"]  # the sentence but its final stop
    sequences = [list(range(len(doc)))]

    def cut(by_gap, keep=()):
        return bio_spans(cut_tags(fixed_cuts(by_gap), 0.5, X, sequences, unit, keep))

    assert cut({}) == [(0, len(doc) - 1)]
    # ", because" is cut and the gap left out of both units; "and" later, two tokens after the gap, too.
    assert cut({", because": 0.9, "and": 0.9}) == [(0, 4), (6, 10), (11, len(doc) - 1)]
    # "because" alone would open inside the first cut's gap: skipped.
    assert cut({", because": 0.9, "because": 0.9}) == [(0, 4), (6, len(doc) - 1)]
    # No cut across a token forced inside a unit.
    assert cut({", because": 0.9}, keep={5}) == [(0, len(doc) - 1)]


def test_a_tagger_with_a_splitter_round_trips_through_skops_and_checks_its_threshold(sample_tokens):
    task, instances, gold = sample_tokens
    tagger = TransitionTagger(features=TokenWindowVectorizer(), classifier=LinearSVC(C=0.05, dual=True),
                              weight=0.3, splitter=LogisticRegression(max_iter=1000), split_threshold=0.2)
    tagger.fit(instances, gold)
    data = sio.dumps(tagger)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= trusted_types()
    assert task.predict(sio.loads(data, trusted=untrusted), instances) == task.predict(tagger, instances)
    with pytest.raises(UsageError, match="split_threshold"):
        clone(tagger).set_params(split_threshold=0).fit(instances, gold)
    with pytest.raises(UsageError, match="predict_proba.*LinearSVC"):
        clone(tagger).set_params(splitter=LinearSVC()).fit(instances, gold)
    # A tagger saved before the splitter existed loads without one and decodes as it did.
    old = clone(tagger).set_params(splitter=None).fit(instances, gold)
    for name in ("splitter", "split_threshold", "splitter_"):
        del old.__dict__[name]
    data = sio.dumps(old)
    loaded = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    assert loaded.splitter_ is None and task.predict(loaded, instances) == task.predict(clone(tagger).set_params(
        splitter=None).fit(instances, gold), instances)
