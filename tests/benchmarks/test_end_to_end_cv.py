"""benchmarks/end_to_end_cv.py: each training document is labelled once, by a bundle that never saw it; the
extra training documents train in every fold and are never labelled; the test split is never seen."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mining.cli.experiment import compose_experiment, pipeline_of
from mining.corpora import load_corpus
from mining.nlp.cache import parse_documents
from tests.helpers import load_benchmark

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def script():
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCHMARKS))  # it imports paired_cv from its own folder
        return load_benchmark("end_to_end_cv")


def test_out_of_fold_labelling_sees_no_test_document_and_labels_no_extra_one(script, monkeypatch, tmp_path):
    cfg = compose_experiment(["experiment=miner", "data=sample", "~subtasks.relations", "~subtasks.stance",
                              "subtasks_first=[]", "evaluation.train_split=[train,train-extra]"])
    docs = load_corpus("sample")
    extra = {d.id for d in docs if d.split == "train"}.pop()
    docs = [dataclasses.replace(d, split="train-extra") if d.id == extra else d for d in docs]
    info = pipeline_of(cfg.nlp)
    parsed, _ = parse_documents(docs, info, cache_dir=tmp_path, progress=False)
    fits = []
    fit_and_score = script.fit_and_score

    def spy(cfg, fold_docs, *args):
        fits.append({d.id: d.split for d in fold_docs})
        return fit_and_score(cfg, fold_docs, *args)

    monkeypatch.setattr(script, "fit_and_score", spy)
    folds = script.labelled_out_of_fold(cfg, docs, parsed, info, n_splits=2, seed=0)
    train = sorted(d.id for d in docs if d.split == "train")
    labelled = [d.id for fold in folds for d in fold]
    assert sorted(labelled) == train  # every training document once, the extra one never
    test = {d.id for d in docs if d.split == "test"}
    for fit, fold in zip(fits, folds, strict=True):
        assert not test & set(fit)  # the test split is left out before anything is fitted
        assert fit[extra] == "train-extra"
        assert {i for i, split in fit.items() if split == "test"} == {d.id for d in fold}


def test_a_base_without_the_official_split_is_refused(script):
    with pytest.raises(SystemExit, match="official split"):
        script.extra_splits(compose_experiment(["experiment=sample_components", "evaluation=cv"]))

