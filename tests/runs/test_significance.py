"""Paired bootstrap and permutation tests on cases whose answer is known by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from sklearn.metrics import f1_score

from mining.corpora import jsonl
from mining.evaluation.metrics import classification_scores
from mining.runs.significance import (
    compare_runs,
    paired_confusions,
    paired_test,
    prediction_items,
    run_interval,
    scorer,
    task_of,
)
from mining.schema import Document, Relation, Unit
from tests.helpers import run_mining as mining

LABELS = ["claim", "premise"]


def confusions(docs: list[list[tuple[str, str]]], labels=LABELS) -> np.ndarray:
    """``(documents, L, L)`` from per-document (gold, predicted) pairs."""
    out = np.zeros((len(docs), len(labels), len(labels)), dtype=np.int64)
    for d, pairs in enumerate(docs):
        for gold, predicted in pairs:
            out[d, labels.index(gold), labels.index(predicted)] += 1
    return out


def test_scorer_matches_the_run_metrics():
    rng = np.random.default_rng(0)
    labels = ["major_claim", "claim", "premise"]
    for _ in range(20):
        gold = list(rng.choice(labels[1:] if rng.random() < 0.3 else labels, size=30))  # a label may be absent
        predicted = list(rng.choice(labels, size=30))
        conf = confusions([list(zip(gold, predicted))], labels).sum(axis=0)
        expected = classification_scores(gold, predicted, labels)
        assert scorer("macro_f1", labels)(conf) == pytest.approx(expected["macro_f1"])
        assert scorer("accuracy", labels)(conf) == pytest.approx(expected["accuracy"])
        for label in labels:
            key = f"per_class.{label}.f1"
            assert scorer(key, labels)(conf) == pytest.approx(expected[key])


def test_link_f1_matches_the_relation_task():
    rng = np.random.default_rng(1)
    labels = ["support", "attack", "none"]
    gold, predicted = list(rng.choice(labels, size=50)), list(rng.choice(labels, size=50))
    conf = confusions([list(zip(gold, predicted))], labels).sum(axis=0)

    def link(xs):
        return ["link" if x != "none" else "no-link" for x in xs]

    expected = f1_score(link(gold), link(predicted), average="macro", labels=["link", "no-link"], zero_division=0)
    assert scorer("link.macro_f1", labels, none_label="none")(conf) == pytest.approx(expected)
    with pytest.raises(ValueError, match="cannot test metric"):
        scorer("link.macro_f1", LABELS)


def test_identical_runs_differ_by_zero_with_p_one():
    docs = [[("claim", "claim"), ("premise", "claim")], [("premise", "premise")], [("claim", "premise")]]
    conf = confusions(docs)
    for test in ("bootstrap", "permutation"):
        result = paired_test(conf, conf.copy(), scorer("macro_f1", LABELS), test=test, resamples=500, seed=3)
        assert result.difference == 0.0 and result.p_value == 1.0
        assert result.ci_low == 0.0 and result.ci_high == 0.0
        assert (result.documents, result.instances, result.resamples) == (3, 4, 500)


def test_hand_computed_difference():
    # A on 4 instances: gold c p p p, predicted c c p p -> F1(claim) = 2/3, F1(premise) = 4/5, macro 11/15.
    # B is right everywhere: macro 1, so B - A = 4/15.
    conf_a = confusions([[("claim", "claim"), ("premise", "claim")], [("premise", "premise")] * 2])
    conf_b = confusions([[("claim", "claim"), ("premise", "premise")], [("premise", "premise")] * 2])
    result = paired_test(conf_a, conf_b, scorer("macro_f1", LABELS), resamples=200)
    assert result.score_a == pytest.approx(11 / 15)
    assert result.score_b == 1.0
    assert result.difference == pytest.approx(4 / 15)
    assert result.ci_low >= 0.0  # B is never worse on any document, so on no resample either


def test_b_better_on_every_document_is_significant():
    a_docs, b_docs = [], []
    for _ in range(12):  # every document: A misses one premise, B gets all three right
        gold = ["claim", "premise", "premise"]
        a_docs.append(list(zip(gold, ["claim", "premise", "claim"])))
        b_docs.append(list(zip(gold, gold)))
    conf_a, conf_b = confusions(a_docs), confusions(b_docs)
    boot = paired_test(conf_a, conf_b, scorer("macro_f1", LABELS), test="bootstrap", resamples=2000, seed=0)
    perm = paired_test(conf_a, conf_b, scorer("macro_f1", LABELS), test="permutation", resamples=2000, seed=0)
    assert boot.difference > 0 and boot.ci_low > 0
    assert boot.p_value == pytest.approx(1 / 2001)  # no resample moves the centred difference as far
    # Only "swap nothing" and "swap everything" reach |d|: 2 of 2^12 assignments.
    assert perm.p_value < 0.01
    assert "shift method" in boot.p_method


def test_permutation_p_value_on_three_documents_is_one_quarter():
    # Accuracy is additive: B gains 1 of 6 instances in each of 3 documents; only 2 of the 8 swap
    # patterns (none or all swapped) give |d*| >= |d| = 0.5, so p -> 1/4.
    gold = ["claim", "premise"]
    conf_a = confusions([list(zip(gold, ["claim", "claim"]))] * 3)
    conf_b = confusions([list(zip(gold, gold))] * 3)
    result = paired_test(conf_a, conf_b, scorer("accuracy", LABELS), test="permutation", resamples=20_000, seed=1)
    assert result.difference == pytest.approx(0.5)
    assert result.p_value == pytest.approx(0.25, abs=0.01)


def test_the_seed_makes_it_repeatable():
    conf_a = confusions([[("claim", "premise")], [("premise", "premise")], [("claim", "claim")]])
    conf_b = confusions([[("claim", "claim")], [("premise", "claim")], [("claim", "claim")]])
    score = scorer("macro_f1", LABELS)
    assert paired_test(conf_a, conf_b, score, resamples=300, seed=5) == paired_test(conf_a, conf_b, score,
                                                                                    resamples=300, seed=5)


# --- run directories written by hand ---------------------------------------------------------------

TEXT = "Cats are best. They purr. Dogs bark."


def _doc(doc_id: str, labels: list[str], *, gold: list[str], stances=None) -> Document:
    spans = [(0, 13), (15, 24), (26, 35)]
    units = [Unit(id=f"T{i + 1}", start=s, end=e, text=TEXT[s:e], label=label,
                  stance=(stances[i] if stances else None), attributes={"gold": g})
             for i, ((s, e), label, g) in enumerate(zip(spans, labels, gold))]
    return Document(id=doc_id, text=TEXT, paragraphs=[(0, len(TEXT))], units=units, split="test")


def write_run(path: Path, docs: list[Document], *, task: str = "mining.tasks.components.ComponentTask",
              labels=("major_claim", "claim", "premise")) -> Path:
    path.mkdir(parents=True)
    (path / "config.yaml").write_text(yaml.safe_dump({"task": {"_target_": task}, "seed": 0}), encoding="utf-8")
    (path / "metrics.json").write_text(json.dumps({"test.labels": list(labels)}), encoding="utf-8")
    jsonl.save(docs, path / "predictions.jsonl")
    return path


GOLD = ["claim", "premise", "claim"]


def test_compare_runs_reads_the_predictions(tmp_path: Path):
    a = write_run(tmp_path / "a", [_doc("d1", ["claim", "claim", "claim"], gold=GOLD),
                                   _doc("d2", ["claim", "premise", "premise"], gold=GOLD)])
    b = write_run(tmp_path / "b", [_doc("d1", GOLD, gold=GOLD), _doc("d2", GOLD, gold=GOLD)])
    assert task_of(a) == "components"
    result = compare_runs(a, b, test="bootstrap", metric="test.macro_f1", resamples=100)
    expected_a = classification_scores(GOLD * 2, ["claim"] * 3 + ["claim", "premise", "premise"],
                                       ["major_claim", "claim", "premise"])["macro_f1"]
    assert result.metric == "macro_f1" and result.score_a == pytest.approx(expected_a)
    assert result.score_b == 1.0 and (result.documents, result.instances) == (2, 6)
    same = compare_runs(a, a, test="permutation", resamples=100)
    assert same.difference == 0.0 and same.p_value == 1.0


def test_stance_runs_compare_the_predicted_stance(tmp_path: Path):
    stances = ["for", "against", "for"]
    a = write_run(tmp_path / "a", [_doc("d1", GOLD, gold=stances, stances=["for", "for", "for"])],
                  task="mining.tasks.stance.StanceTask", labels=("for", "against"))
    b = write_run(tmp_path / "b", [_doc("d1", GOLD, gold=stances, stances=stances)],
                  task="mining.tasks.stance.StanceTask", labels=("for", "against"))
    result = compare_runs(a, b, metric="accuracy", resamples=50)
    assert (result.score_a, result.score_b) == (pytest.approx(2 / 3), 1.0)


def test_relation_items_cover_every_ordered_pair_in_a_paragraph():
    doc = _doc("d1", GOLD, gold=GOLD)
    doc.metadata["gold_relations"] = [Relation(id="R1", source="T2", target="T1", label="support").to_dict()]
    doc.relations = [Relation(id="P1", source="T2", target="T1", label="attack"),
                     Relation(id="P2", source="T3", target="T1", label="support")]
    items = dict((key, (g, p)) for key, g, p in prediction_items([doc], "relations")["d1"])
    assert len(items) == 6  # 3 units, one paragraph
    assert items["T2->T1"] == ("support", "attack")
    assert items["T3->T1"] == ("none", "support")
    assert items["T1->T2"] == ("none", "none")


@pytest.mark.parametrize("change, message", [
    ("document", "different documents"),
    ("instance", "different instances"),
    ("gold", "disagree on the gold labels"),
])
def test_refuses_runs_on_different_test_instances(tmp_path: Path, change: str, message: str):
    a = write_run(tmp_path / "a", [_doc("d1", GOLD, gold=GOLD), _doc("d2", GOLD, gold=GOLD)])
    other = [_doc("d1", GOLD, gold=GOLD), _doc("d2", GOLD, gold=GOLD)]
    if change == "document":
        other[1].id = "d3"
    elif change == "instance":
        other[1].units[2].id = "T9"
    else:
        other[1].units[0].attributes["gold"] = "premise"
    b = write_run(tmp_path / "b", other)
    with pytest.raises(ValueError, match=message):
        compare_runs(a, b, resamples=10)


def test_the_task_comes_from_the_run_record(tmp_path: Path):
    """meta.json names the task, so a renamed task class does not break the test; older runs fall back."""
    a = write_run(tmp_path / "a", [_doc("d1", GOLD, gold=GOLD)], task="mining.tasks.renamed.SomeTask")
    (a / "meta.json").write_text(json.dumps({"task": "components"}), encoding="utf-8")
    assert task_of(a) == "components"
    (a / "meta.json").write_text(json.dumps({"seed": 0}), encoding="utf-8")  # recorded before meta named it
    with pytest.raises(ValueError, match="not of task 'mining.tasks.renamed.SomeTask'"):
        task_of(a)
    (a / "meta.json").write_text(json.dumps({"subtasks": {"stance": "stance"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="several subtasks"):
        task_of(a)
    (a / "meta.json").write_text(json.dumps({"task": "segmentation"}), encoding="utf-8")
    with pytest.raises(ValueError, match="not of task 'segmentation'"):
        task_of(a)


def test_refuses_runs_of_different_tasks(tmp_path: Path):
    a = write_run(tmp_path / "a", [_doc("d1", GOLD, gold=GOLD)])
    b = write_run(tmp_path / "b", [_doc("d1", GOLD, gold=GOLD)], task="mining.tasks.stance.StanceTask")
    with pytest.raises(ValueError, match="cannot pair"):
        compare_runs(a, b)


def test_paired_confusions_rejects_unknown_labels():
    with pytest.raises(ValueError, match="not among"):
        paired_confusions({"d": [("T1", "claim", "evidence")]}, {"d": [("T1", "claim", "claim")]}, LABELS)


def test_command_line(tmp_path: Path):
    a = write_run(tmp_path / "a", [_doc("d1", ["claim", "claim", "claim"], gold=GOLD), _doc("d2", GOLD, gold=GOLD)])
    b = write_run(tmp_path / "b", [_doc("d1", GOLD, gold=GOLD), _doc("d2", GOLD, gold=GOLD)])

    done = mining("compare", str(a), str(a), "--test", "bootstrap", "--resamples", "200")
    assert done.returncode == 0, done.stderr
    assert "difference B - A = +0.0000" in done.stdout and "p = 1.0000" in done.stdout
    assert "200 resamples" in done.stdout and "shift method" in done.stdout
    done = mining("compare", str(a), str(b), "--test", "permutation", "--resamples", "200", "--format", "csv")
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.splitlines()
    assert header.startswith("A,B,metric,A score,B score,B - A,95% CI low,95% CI high,p,test,resamples")
    assert row.split(",")[9:11] == ["permutation", "200"]
    done = mining("compare", str(a), str(b), str(a), "--test", "bootstrap")
    assert done.returncode == 2 and "exactly two run directories" in done.stderr


def test_the_interval_of_one_run_spans_its_documents_scores(tmp_path: Path):
    """Two documents, one scored 1.0 and one 0.5 (accuracy): every resample scores between them, and
    with enough resamples both ends are reached (drawing one document twice)."""
    run = write_run(tmp_path / "a", [_doc("d1", GOLD, gold=GOLD), _doc("d2", ["claim", "claim", "claim"], gold=GOLD)])
    result = run_interval(run, metric="test.accuracy", resamples=2000, seed=1)
    assert result["score"] == pytest.approx(5 / 6) and (result["documents"], result["instances"]) == (2, 6)
    assert result["ci_low"] == pytest.approx(2 / 3) and result["ci_high"] == 1.0
    assert run_interval(run, metric="accuracy", resamples=2000, seed=1) == {**result, "metric": "accuracy"}
    done = mining("compare", str(run), "--test", "bootstrap", "--metric", "accuracy", "--resamples", "500")
    assert done.returncode == 0, done.stderr
    assert "accuracy = 0.8333, 95% CI [" in done.stdout and "over 2 test documents" in done.stdout
    done = mining("compare", str(run), "--test", "permutation")
    assert done.returncode == 2 and "exactly two run directories" in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("experiment, metrics", [
    ("sample_stance", ["macro_f1", "accuracy"]),
    ("sample_relations", ["macro_f1", "accuracy", "link.macro_f1"]),
])
def test_predictions_give_back_the_recorded_metrics(sample_run, experiment: str, metrics: list[str]):
    """The instances rebuilt from predictions.jsonl are the task's own (e.g. every same-paragraph pair)."""
    run = sample_run(experiment)
    recorded = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    for metric in metrics:
        result = compare_runs(run, run, metric=metric, resamples=20)
        assert result.score_a == pytest.approx(recorded[f"test.{metric}"], abs=1e-12)
        assert result.instances == recorded["test.n"]


@pytest.mark.parametrize("labels", [5, [["claim"]], "claim"])
def test_recorded_labels_that_are_no_list_of_names_are_named(tmp_path: Path, labels):
    """A hand-edited ``test.labels`` stopped --test with a TypeError traceback (a number, a nested list), or was read
    letter by letter (a string)."""
    run = write_run(tmp_path / "a", [_doc("d1", GOLD, gold=GOLD)])
    (run / "metrics.json").write_text(json.dumps({"test.labels": labels}), encoding="utf-8")
    done = mining("compare", str(run), "--test", "bootstrap", "--resamples", "10")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{run}/metrics.json: its 'test.labels' must be a list of label names" in done.stderr


@pytest.mark.parametrize(("gold_relations", "problem"), [(None, "no"), ([{"source": "T1"}], "a malformed")])
def test_relation_predictions_without_their_gold_are_named(tmp_path: Path, gold_relations, problem: str):
    """A relation run's predictions.jsonl without (or with a broken) metadata.gold_relations stopped --test with a
    ValueError (or KeyError) traceback."""
    doc = _doc("d1", GOLD, gold=GOLD)
    if gold_relations is not None:
        doc.metadata["gold_relations"] = gold_relations
    run = write_run(tmp_path / "a", [doc], task="mining.tasks.relations.RelationTask",
                    labels=("support", "attack", "none"))
    done = mining("compare", str(run), "--test", "bootstrap", "--resamples", "10")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{run}/predictions.jsonl [d1]: {problem} metadata.gold_relations" in done.stderr
