"""Segmentation: BIO encoding and decoding, Viterbi decoding, span scores and the 50%-overlap matching rule."""

from __future__ import annotations

import numpy as np
import pytest

from mining.corpora import load_corpus
from mining.dataset.validation import check_document
from mining.errors import UsageError
from mining.evaluation.spans import match_spans, overlap_ratio, span_scores
from mining.instances.bio import BIO_LABELS, bio_spans, bio_tags, constrained_tags
from mining.nlp.tokens import tokens_of
from mining.schema import Document, Unit
from mining.tasks.segmentation import SegmentationTask, close_clauses


@pytest.fixture(scope="module")
def sample(nlp):
    docs = load_corpus("sample")
    return docs, list(nlp.pipe(d.text for d in docs))


def test_bio_tags_mark_unit_tokens():
    # Tokens as character spans: "Thus , cars pollute ."
    tokens = [(0, 4), (4, 5), (6, 10), (11, 18), (18, 19)]
    assert bio_tags(tokens, [(6, 18)]) == ["O", "O", "B", "I", "O"]
    # A unit boundary inside a token takes the whole token; adjacent units keep their own B.
    assert bio_tags(tokens, [(7, 12)]) == ["O", "O", "B", "I", "O"]
    assert bio_tags(tokens, [(0, 5), (6, 18)]) == ["B", "I", "B", "I", "O"]


def test_bio_spans_decode_and_repair():
    assert bio_spans(["O", "B", "I", "O", "B", "B", "I"]) == [(1, 3), (4, 5), (5, 7)]
    # An I after O, or first, opens a unit as B would.
    assert bio_spans(["I", "I", "O", "I", "O"]) == [(0, 2), (3, 4)]
    assert bio_spans([]) == [] and bio_spans(["O", "O"]) == []


def test_constrained_tags_never_open_with_inside():
    classes = ["B", "I", "O"]
    # Token-wise argmax would read O I I: the best valid sequence opens the unit with B instead.
    scores = np.array([[0.0, 0.0, 1.0], [0.9, 1.0, 0.0], [0.0, 1.0, 0.0]])
    assert constrained_tags(scores, classes) == ["O", "B", "I"]
    # Column order follows `classes`, and a valid argmax sequence is kept as it is.
    scores = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # columns O, B, I
    assert constrained_tags(scores, ["O", "B", "I"]) == ["O", "B", "I"]
    assert constrained_tags(np.zeros((0, 3)), classes) == []
    with pytest.raises(ValueError, match="classes"):
        constrained_tags(np.zeros((2, 2)), ["B", "O"])


class _Scores:
    """A fitted estimator stand-in: fixed decision scores for the given instances."""

    classes_ = np.array(["B", "I", "O"])

    def __init__(self, scores):
        self.scores = np.asarray(scores, dtype=float)

    def decision_function(self, X):
        return self.scores[: len(X)]

    def predict(self, X):
        return self.classes_[self.scores[: len(X)].argmax(axis=1)]


def test_gold_tags_decode_back_to_the_gold_units(sample):
    docs, parsed = sample
    task = SegmentationTask()
    instances = task.build_instances(docs, parsed)
    gold = task.gold_labels(instances)
    assert set(gold) == set(BIO_LABELS)
    assert all(not inst.parsed[inst.token_index].is_space for inst in instances)
    predicted = task.apply_predictions(docs, instances, gold)
    by_id = {d.id: d for d in docs}
    n_units = 0
    for doc in predicted:
        original = by_id[doc.id]
        assert [(u.start, u.end) for u in doc.units] == sorted((u.start, u.end) for u in original.units)
        assert [u.attributes["gold"] for u in doc.units] == [u.label for u in sorted(original.units,
                                                                                  key=lambda u: u.start)]
        assert all(u.label == "claim" and u.attributes["segment"] for u in doc.units)
        assert not list(check_document(doc))
        assert len(doc.metadata["gold_units"]) == len(original.units) and doc.relations == []
        n_units += len(doc.units)
    assert n_units == sum(len(d.units) for d in docs)
    scores = task.extra_scores(instances, gold, gold)
    assert scores["span.exact.f1"] == scores["span.overlap50.f1"] == 1.0
    assert scores["span.n_gold"] == n_units


def test_span_scores_on_a_hand_made_case():
    gold = [(0, 3), (5, 8), (10, 12)]
    predicted = [(0, 3), (5, 7), (12, 14), (20, 22)]
    scores = span_scores([(gold, predicted)])
    # Exact: only (0, 3). Overlap: also (5, 7) against (5, 8), 2/3 of the longer span.
    assert scores["span.exact.precision"] == pytest.approx(1 / 4)
    assert scores["span.exact.recall"] == pytest.approx(1 / 3)
    assert scores["span.exact.f1"] == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert scores["span.overlap50.precision"] == pytest.approx(2 / 4)
    assert scores["span.overlap50.recall"] == pytest.approx(2 / 3)
    assert scores["span.overlap50.f1"] == pytest.approx(4 / 7)
    assert scores["span.n_gold"] == 3 and scores["span.n_predicted"] == 4


def test_overlap_rule_is_half_of_the_longer_span_one_to_one():
    assert overlap_ratio((0, 4), (2, 4)) == 0.5
    assert overlap_ratio((0, 4), (4, 8)) == 0.0
    assert match_spans([(0, 4)], [(2, 4)], threshold=0.5) == 1  # exactly half counts
    assert match_spans([(0, 5)], [(3, 5)], threshold=0.5) == 0  # 2/5 does not
    assert match_spans([(0, 2)], [(0, 5)], threshold=0.5) == 0  # the longer span decides
    # Two predictions each cover half of one gold span: only one of them may match it.
    assert match_spans([(0, 4)], [(0, 2), (2, 4)], threshold=0.5) == 1
    # Greedy by ratio: (4, 8) goes to the gold span it fits best, so both gold spans match.
    assert match_spans([(0, 8), (4, 8)], [(4, 8), (0, 4)], threshold=0.5) == 2
    assert match_spans([(0, 4)], [(0, 4), (0, 4)]) == 1


def test_spans_are_scored_per_paragraph(nlp):
    text = "Cars pollute the air.\nBikes are clean."
    doc = Document(id="d", text=text, paragraphs=[(0, 21), (22, 38)],
                   units=[Unit(id="T1", start=0, end=20, text=text[0:20], label="claim"),
                          Unit(id="T2", start=22, end=37, text=text[22:37], label="premise")])
    task = SegmentationTask()
    instances = task.build_instances([doc], [nlp(text)])
    gold = task.gold_labels(instances)
    assert gold == ["B", "I", "I", "I", "O", "B", "I", "I", "O"]
    # "I" opening the second paragraph starts a unit there: the two paragraphs never merge.
    predicted = ["B", "I", "I", "I", "I", "I", "I", "I", "O"]
    scores = task.extra_scores(instances, gold, predicted)
    assert scores["span.n_predicted"] == 2
    assert scores["span.exact.recall"] == 0.5 and scores["span.overlap50.recall"] == 1.0
    (out,) = task.apply_predictions([doc], instances, predicted)
    assert [u.text for u in out.units] == ["Cars pollute the air.", "Bikes are clean"]
    assert [u.attributes["gold"] for u in out.units] == [None, "premise"]


def test_predict_decodes_each_paragraph_on_its_own(nlp):
    text = "Cars pollute the air.\nBikes are clean."
    doc = Document(id="d", text=text, paragraphs=[(0, 21), (22, 38)])
    task = SegmentationTask()
    instances = task.build_instances([doc], [nlp(text)])
    assert len(instances) == 9
    # Every token favours I a little over B: per paragraph, the first token must still be B.
    scores = [[0.9, 1.0, 0.0]] * 9
    assert task.predict(_Scores(scores), instances) == ["B", "I", "I", "I", "I", "B", "I", "I", "I"]
    assert SegmentationTask(decode="independent").predict(_Scores(scores), instances) == ["I"] * 9


@pytest.mark.parametrize("decode", ["viterbi", "independent"])
def test_tokens_of_an_outside_role_are_never_in_a_unit(nlp, decode):
    text = "Lenk said she would visit the flooded farms in May."
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    instances = SegmentationTask().build_instances([doc], [nlp(text)])
    scores = _Scores([[1.0, 0.9, 0.0]] * len(instances))  # every token favours a unit
    assert "O" not in SegmentationTask(decode=decode).predict(scores, instances)
    tags = SegmentationTask(decode=decode, outside_roles=["schedule"]).predict(scores, instances)
    words = [inst.parsed[inst.token_index].text for inst in instances]
    assert [w for w, t in zip(words, tags) if t == "O"] == ["she", "would", "visit", "the", "flooded", "farms", "in",
                                                            "May"]


@pytest.mark.parametrize(("text", "spans", "outside"), [
    # a cue in the participle after a comma opens a statement of its own: one unit each side of it
    ("The mayor rejected the plan, saying the town could not pay for it.",
     ["The mayor rejected the plan", "the town could not pay for it"], ["saying"]),
    ("Rents will rise again, according to the tenants' union.", ["Rents will rise again", "to the tenants' union"],
     ["according"]),
    ("The mayor said saying no was easy.", ["The mayor said saying no was easy"], []),  # no comma before it
    # a cue that is no verb of saying: the consequence is the unit's
    ("The plan would create jobs, threatening the bay's wildlife.",
     ["The plan would create jobs, threatening the bay's wildlife"], []),
])
def test_a_cue_set_off_after_a_comma_is_never_in_a_unit(nlp, text, spans, outside):
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    task = SegmentationTask(outside_asides=True)
    instances = task.build_instances([doc], [nlp(text)])

    def scores():  # every token favours the inside of a unit (a new array each time: predict writes -inf in it)
        return _Scores([[0.9, 1.0, 0.0]] * len(instances))

    assert len(SegmentationTask().predicted_spans(scores(), instances)["d"]) == 1
    tags = task.predict(scores(), instances)
    assert [inst.parsed[inst.token_index].text for inst, tag in zip(instances, tags) if tag == "O"] == outside
    assert [text[a:b] for a, b in task.predicted_spans(scores(), instances)["d"]] == spans


def test_a_consequence_after_a_comma_is_a_cue_but_no_aside(nlp):
    """The case above whose participle stays in its unit is a cue by its lemma: only the cues of saying are asides."""
    parsed = nlp("The plan would create jobs, threatening the bay's wildlife.")
    assert "cue" in tokens_of(parsed).speech[[t.text for t in parsed].index("threatening")]


@pytest.mark.parametrize("decode", ["viterbi", "independent"])
@pytest.mark.parametrize(("text", "forced", "span"), [
    ("Brandt called the offer an insult.", ["an", "insult"], (24, 33)),
    ("Brandt called the offer short-sighted.", ["short", "-", "sighted"], (24, 37)),  # the hyphen has no role
])
def test_tokens_of_an_inside_role_are_always_in_a_unit(nlp, decode, text, forced, span):
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    instances = SegmentationTask().build_instances([doc], [nlp(text)])
    scores = _Scores([[0.0, 0.1, 1.0]] * len(instances))  # every token favours O
    assert set(SegmentationTask(decode=decode).predict(scores, instances)) == {"O"}
    tags = SegmentationTask(decode=decode, inside_roles=["verdict"]).predict(scores, instances)
    words = [inst.parsed[inst.token_index].text for inst in instances]
    assert [w for w, t in zip(words, tags) if t != "O"] == forced
    assert SegmentationTask(decode=decode, inside_roles=["verdict"]).decode_spans(instances, tags) == {"d": [span]}


def test_no_token_is_forced_inside_between_tokens_forced_outside(nlp):
    text = "Varga said Brandt, who had called the plan short-sighted, would visit the farms in May."
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    instances = SegmentationTask().build_instances([doc], [nlp(text)])
    scores = _Scores([[0.0, 0.1, 1.0]] * len(instances))  # every token favours O
    task = SegmentationTask(outside_roles=["schedule"], inside_roles=["verdict"])  # the verdict is in a schedule
    assert set(task.predict(scores, instances)) == {"O"}  # not the hyphen alone


@pytest.mark.parametrize(("text", "span"), [
    ("They are pressing Ukraine to “withdraw” from the regions.", "pressing Ukraine to “withdraw” from the regions"),
    ('She praised the "brave" decision.', 'She praised the "brave" decision'),
    ("He called the talks “not easy” on Monday.", "not easy"),  # a unit that is the quoted phrase leaves the marks
])
def test_a_unit_runs_through_the_marks_of_a_quoted_phrase(nlp, text, span):
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    parsed = nlp(text)
    task = SegmentationTask(skip_phrase_quotes=True)
    instances = task.build_instances([doc], [parsed])
    tagged = {parsed[inst.token_index].text for inst in instances}
    assert len(SegmentationTask().build_instances([doc], [parsed])) - len(instances) == 2 and not tagged & set('“”"')
    start = text.index(span)
    inside = [start <= parsed[inst.token_index].idx < start + len(span) for inst in instances]
    tags = ["O" if not i else "I" if k and inside[k - 1] else "B" for k, i in enumerate(inside)]
    assert task.decode_spans(instances, tags) == {"d": [(start, start + len(span))]}


@pytest.mark.parametrize("join", [False, True])
def test_the_labeller_joins_a_quote_its_frame_splits(nlp, join):
    from mining.label.steps import attribute, segment

    text = '"We will not sign anything," Varga said, "that leaves a village behind."'
    pieces = [(1, 26), (42, 70)]
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    parsed = nlp(text)
    task = SegmentationTask(join_split_quotes=join)
    starts = [parsed[inst.token_index].idx for inst in task.build_instances([doc], [parsed])]
    scores = [[1.0, 0.0, 0.0] if i in (a for a, _ in pieces) else [0.0, 1.0, 0.0] if any(a < i < b for a, b in pieces)
              else [0.0, 0.0, 1.0] for i in starts]
    segment(task, _Scores(scores), [doc], [parsed])
    attribute([doc], [parsed])
    if join:
        (unit,) = doc.units
        assert (unit.start, unit.end, unit.fragments) == (1, 70, pieces)
        assert unit.text == "We will not sign anything that leaves a village behind"
    else:
        assert [(u.start, u.end, u.fragments) for u in doc.units] == [(1, 26, None), (42, 70, None)]
    # the frame inside the joined unit's span does not make the reporter its holder
    assert {(u.holder, u.attributes["speech"]) for u in doc.units} == {("Varga", "quote")}


def test_direct_quote_marks_are_still_tagged(nlp):
    text = '"We will not sign anything," Varga said.'
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    instances = SegmentationTask(skip_phrase_quotes=True).build_instances([doc], [nlp(text)])
    assert [inst.parsed[inst.token_index].text for inst in instances].count('"') == 2


def test_task_parameters_are_checked():
    with pytest.raises(ValueError, match="unit_label"):
        SegmentationTask(unit_label="thesis")
    with pytest.raises(ValueError, match="decode"):
        SegmentationTask(decode="crf")
    with pytest.raises(ValueError, match="outside_roles"):
        SegmentationTask(outside_roles=["narration"])
    with pytest.raises(ValueError, match="inside_roles"):
        SegmentationTask(inside_roles=["claim"])
    with pytest.raises(ValueError, match="close_clauses"):
        SegmentationTask(decode="independent", close_clauses=True)


@pytest.mark.slow
def test_sample_experiment_runs_end_to_end(sample_run):
    from mining.corpora import jsonl
    from mining.runs.record import load_model, read_metrics

    run = sample_run("sample_segmentation")  # the fixture checks that `mining run` succeeded
    metrics = read_metrics(run)
    assert metrics["test.labels"] == ["B", "I", "O"]
    for key in ("test.macro_f1", "test.span.exact.f1", "test.span.overlap50.f1"):
        assert 0.0 <= metrics[key] <= 1.0
    assert metrics["test.span.exact.f1"] <= metrics["test.span.overlap50.f1"]
    predicted = jsonl.load(run / "predictions.jsonl")
    assert predicted and all(not list(check_document(d)) for d in predicted)
    assert all(u.attributes["segment"] for d in predicted for u in d.units)
    model = load_model(run)
    names = model.named_steps["features"].get_feature_names_out()
    assert len(names) == model.named_steps["model"].coef_.shape[1] and names[0].startswith("window__")


def _viterbi_token_by_token(scores, transitions, start):
    """The constrained Viterbi spelled out one token at a time (BIO columns), as the reference."""
    n = len(scores)
    if n == 0:
        return []
    valid = [[True, True, True], [True, True, True], [True, False, True]]  # O -> I is not allowed
    best = [scores[0][0] + start[0], -np.inf, scores[0][2] + start[2]]
    back = []
    for row in scores[1:]:
        step, new = [], []
        for t in range(3):
            totals = [best[s] + transitions[s][t] if valid[s][t] else -np.inf for s in range(3)]
            s = int(np.argmax(totals))  # the first of equals
            step.append(s)
            new.append(totals[s] + row[t])
        best, back = new, back + [step]
    path = [int(np.argmax(best))]
    for step in reversed(back):
        path.append(step[path[-1]])
    return ["BIO"[t] for t in reversed(path)]


def test_constrained_sequences_decode_each_sequence_as_token_by_token():
    # All paragraphs of a batch are decoded at once, step by step over their k-th tokens: the tags must be
    # those of a plain token-by-token Viterbi, for sequences of any length (empty too), in any order, with
    # ties (scores rounded to halves) and tokens forced outside (-inf).
    from mining.instances.bio import constrained_sequences

    rng = np.random.default_rng(7)
    scores = np.round(rng.normal(size=(200, 3)) * 2) / 2
    scores[rng.random(200) < 0.1, :2] = -np.inf
    transitions = np.round(rng.normal(size=(3, 3)) * 2) / 2
    start = np.array([0.5, 0.0, -0.5])
    cuts = np.sort(rng.choice(np.arange(1, 200), size=30, replace=False))
    sequences = [list(range(a, b)) for a, b in zip([0, *cuts], [*cuts, 200])] + [[]]
    sequences = [sequences[k] for k in rng.permutation(len(sequences))]
    found = constrained_sequences(scores, sequences, ["B", "I", "O"], transitions, start)
    expected = [_viterbi_token_by_token(scores[rows].tolist(), transitions.tolist(), start.tolist())
                for rows in sequences]
    assert found == expected and sum(map(len, found)) == 200 and "I" in sum(found, [])
    # Columns in another order give the same tags; without transitions the scores alone decide.
    order = [2, 0, 1]
    assert constrained_sequences(scores[:, order], sequences, ["O", "B", "I"], transitions[np.ix_(order, order)],
                                 start[order]) == found
    assert constrained_sequences(scores, sequences, ["B", "I", "O"]) == [
        _viterbi_token_by_token(scores[rows].tolist(), np.zeros((3, 3)).tolist(), [0.0] * 3) for rows in sequences]


def test_joining_quotes_across_sentences_needs_the_split_quotes_joined():
    with pytest.raises(UsageError, match="join_quotes_across_sentences needs join_split_quotes"):
        SegmentationTask(join_quotes_across_sentences=True)
    assert SegmentationTask(join_split_quotes=True, join_quotes_across_sentences=True).join_quotes_across_sentences


@pytest.mark.parametrize(("text", "found", "closed"), [
    # "wants the company to [pay ...]": the unit stops before its head "pay", and runs on to the end of its phrase
    ("The union wants the company to pay drivers for the extra time, its leader said.", "the company to",
     "the company to pay drivers for the extra time"),
    # ... but never into the reporting frame that follows it, nor into one between the unit and its head
    ('"We will not sign," Varga said on Monday.', "We will not", "We will not sign"),
    ("The company, the union said, should pay drivers for the extra time.", "The company", "The company"),
    # a unit that holds its heads is left as it is
    ("The union wants the company to pay drivers for the extra time.", "the company to pay drivers for the extra time",
     "the company to pay drivers for the extra time"),
])
def test_a_unit_that_stops_before_its_head_runs_to_the_end_of_its_phrase(nlp, text, found, closed):
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    instances = SegmentationTask().build_instances([doc], [nlp(text)])
    start = text.index(found)
    inside = [start <= inst.parsed[inst.token_index].idx < start + len(found) for inst in instances]
    scores = _Scores([[1.0, 0.0, 0.0] if k == inside.index(True) else [0.0, 1.0, 0.0] if hit else [0.0, 0.0, 1.0]
                      for k, hit in enumerate(inside)])
    for close, expected in ((False, found), (True, closed)):
        task = SegmentationTask(close_clauses=close)
        assert [text[a:b] for a, b in task.predicted_spans(scores, instances)["d"]] == [expected]


@pytest.mark.parametrize(("text", "found", "closed"), [
    # "The tax" stops before its head "fall", but the next unit begins inside that phrase: the gap stays outside
    ("The tax and the fees should fall, the mayor said.", ["The tax", "the fees should fall"],
     ["The tax", "the fees should fall"]),
    # run on to the sentence's root, a unit ends on its last word: the final stop stays outside
    ("The plan will fail.", ["The plan"], ["The plan will fail"]),
])
def test_a_closed_unit_takes_no_gap_and_no_final_mark(nlp, text, found, closed):
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    instances = SegmentationTask().build_instances([doc], [nlp(text)])
    starts = [text.index(f) for f in found]
    rows = []
    for inst in instances:
        idx = inst.parsed[inst.token_index].idx
        tag = "B" if idx in starts else "I" if any(s < idx < s + len(f) for s, f in zip(starts, found)) else "O"
        rows.append([float(tag == t) for t in "BIO"])
    task = SegmentationTask(close_clauses=True)
    tags = task.predict(_Scores(rows), instances)
    spans = [text[a:b] for a, b in task.decode_spans(instances, tags)["d"]]  # untrimmed, as the tags say
    assert spans == closed


def test_a_closed_clause_stops_before_a_token_forced_outside(nlp):
    text = "Varga said the mayor had dropped the plan, saying it was too costly."
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))])
    instances = SegmentationTask().build_instances([doc], [nlp(text)])
    words = [inst.parsed[inst.token_index].text for inst in instances]
    tags = ["B" if w == "the" and k == 2 else "I" if w == "mayor" else "O" for k, w in enumerate(words)]
    sequences = [list(range(len(instances)))]
    run_on = list(tags)
    close_clauses(instances, sequences, run_on)
    assert run_on[words.index("saying")] == "I"  # the phrase of "dropped" runs to the sentence's end
    close_clauses(instances, sequences, tags, stop_at={words.index("saying")})
    assert [w for w, t in zip(words, tags) if t != "O"] == ["the", "mayor", "had", "dropped", "the", "plan"]
