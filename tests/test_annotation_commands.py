"""`mining evaluate-labels` and `mining data agreement`, run as a user would, on hand-annotated files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mining.corpora import brat, jsonl
from tests.evaluation.annotated import gold, perturbed
from tests.helpers import run_mining as mining


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    ann = tmp_path / "ann.jsonl"
    jsonl.save([gold("d1"), gold("d2")], ann)
    copy = tmp_path / "copy.jsonl"
    jsonl.save([gold("d1"), gold("d2")], copy)
    # annotator B: T2 cut to "They sleep" (10 of 16 characters), T3 premise -> claim, T4 stance
    # for -> against, T2 holder author -> Bob; in both documents
    bob = tmp_path / "bob.jsonl"
    change = {"T2": {"end": 31, "holder": "Bob"}, "T3": {"label": "claim"}, "T4": {"stance": "against"}}
    jsonl.save([perturbed(gold("d1"), **change), perturbed(gold("d2"), **change)], bob)
    return {"ann": ann, "copy": copy, "bob": bob}


def test_agreement_of_two_copies_is_perfect(files, tmp_path: Path):
    out = tmp_path / "agreement.json"
    done = mining("data", "agreement", str(files["ann"]), str(files["copy"]), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "unit F1          exact 1.000   overlap50 1.000" in done.stdout
    scores = json.loads(out.read_text())
    for key in ("units.exact.f1", "units.overlap50.f1", "labels.kappa", "stance.agreement", "holder.agreement"):
        assert scores[key] == 1.0, key


def test_agreement_of_a_file_with_itself_is_warned_of(files):
    """It printed a perfect agreement without a word: the same path given twice, or a link to it."""
    twice = mining("data", "agreement", str(files["ann"]), str(files["ann"]))
    copies = mining("data", "agreement", str(files["ann"]), str(files["copy"]))
    assert twice.returncode == 0 and "are the same file" in twice.stderr, twice.stderr
    assert copies.returncode == 0 and "same file" not in copies.stderr, copies.stderr


def test_agreement_keeps_an_existing_output_unless_asked(files, tmp_path: Path):
    out = tmp_path / "agreement.json"
    out.write_text("earlier scores", encoding="utf-8")
    done = mining("data", "agreement", str(files["ann"]), str(files["copy"]), "-o", str(out))
    assert done.returncode == 2 and str(out) in done.stderr and "--overwrite" in done.stderr, done.stderr
    assert out.read_text(encoding="utf-8") == "earlier scores"
    done = mining("data", "agreement", str(files["ann"]), str(files["copy"]), "-o", str(out), "--overwrite")
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["units.exact.f1"] == 1.0
    done = mining("data", "agreement", str(files["ann"]), str(files["copy"]), "-o", str(files["copy"]), "--overwrite")
    assert done.returncode == 2 and "the output is the input" in done.stderr, done.stderr


def test_agreement_with_known_perturbations(files):
    done = mining("data", "agreement", str(files["ann"]), str(files["bob"]), "--json")
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    # per document 3 of 4 units have the same boundaries (T2 differs): exact F1 3/4; at 50% all 4 match
    assert scores["units.exact.f1"] == 0.75
    assert scores["units.overlap50.f1"] == 1.0
    # labels on the 8 matched units: A claim 2, premise 4, major 2; B claim 4, premise 2, major 2;
    # observed 6/8; expected (2*4 + 4*2 + 2*2) / 64 = 20/64; kappa (48/64 - 20/64) / (44/64) = 7/11
    assert scores["labels.kappa"] == pytest.approx(7 / 11)
    # stance on T1 (for/for) and T4 (for/against) in each document: 2 of 4
    assert scores["stance.agreement"] == 0.5
    # holders on all 8 units, T2 differs in both documents: 6 of 8
    assert scores["holder.agreement"] == 0.75


def test_agreement_needs_the_same_texts(files, tmp_path: Path):
    other = perturbed(gold("d2"))
    other.text = other.text.replace("easier", "simpler")
    other.units = other.units[:3]
    other.relations = other.relations[:1]
    jsonl.save([gold("d1"), other], tmp_path / "other.jsonl")
    done = mining("data", "agreement", str(files["ann"]), str(tmp_path / "other.jsonl"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"error: {tmp_path / 'other.jsonl'} [d2]: text differs from {files['ann']}'s" in done.stderr
    jsonl.save([gold("d1")], tmp_path / "one.jsonl")
    done = mining("data", "agreement", str(files["ann"]), str(tmp_path / "one.jsonl"))
    assert done.returncode == 2 and "[d2]: no document 'd2'" in done.stderr


def test_evaluate_labels_across_formats(files, tmp_path: Path):
    brat.save(jsonl.load(files["bob"]), tmp_path / "bob-brat")
    done = mining("evaluate-labels", str(files["ann"]), str(tmp_path / "bob-brat"), "--json")
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    assert scores["units.exact.f1"] == 0.75 and scores["labels.kappa"] == pytest.approx(7 / 11)
    # gold stances T1, T4: one right per document
    assert scores["stance.accuracy"] == 0.5
    table = mining("evaluate-labels", str(files["ann"]), str(files["copy"]))
    assert table.returncode == 0, table.stderr
    assert "components            1.000  1.000  1.000   1.000  1.000  1.000" in table.stdout


def test_evaluate_labels_missing_ids_and_shared_only(files, tmp_path: Path):
    jsonl.save([gold("d1")], tmp_path / "pred.jsonl")
    done = mining("evaluate-labels", str(files["ann"]), str(tmp_path / "pred.jsonl"))
    assert done.returncode == 2 and "no document 'd2'" in done.stderr
    done = mining("evaluate-labels", str(files["ann"]), str(tmp_path / "pred.jsonl"), "--shared-only", "--json")
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    assert scores["documents"] == 1 and scores["documents.gold_only"] == 1


def test_evaluate_labels_undetectable_input(files, tmp_path: Path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    done = mining("evaluate-labels", str(files["ann"]), str(tmp_path / "notes.csv"))
    assert done.returncode == 2 and "cannot tell the format" in done.stderr and "Traceback" not in done.stderr


def test_evaluate_labels_refuses_an_invalid_unit(files, tmp_path: Path):
    lines = files["copy"].read_text(encoding="utf-8").splitlines()
    doc = json.loads(lines[1])
    doc["units"][2]["label"] = "klaim"
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join([lines[0], json.dumps(doc)]) + "\n", encoding="utf-8")
    unit = doc["units"][2]["id"]
    done = mining("evaluate-labels", str(files["ann"]), str(pred))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert str(pred) in done.stderr and unit in done.stderr and "klaim" in done.stderr, done.stderr
    done = mining("evaluate-labels", str(pred), str(files["ann"]))  # in GOLD too
    assert done.returncode == 2 and str(pred) in done.stderr and unit in done.stderr, done.stderr


def test_annotate_push_refuses_one_id_in_two_inputs(tmp_path: Path):
    from mining.cli.annotate import _read
    from mining.errors import CorpusError

    for name in ("a", "b"):
        (tmp_path / f"{name}.jsonl").write_text('{"id": "d1", "text": "Cats purr."}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"\[d1\]: duplicate document id 'd1'"):
        _read([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")], "utf-8")
