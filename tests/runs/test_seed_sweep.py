"""A 3-seed x 2-model sweep on the sample corpus, end to end: plots in each record, aggregated compare, tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mining.runs.record import find_runs, read_metrics
from mining.runs.significance import compare_runs
from tests.helpers import run_mining as mining

pytestmark = pytest.mark.slow
PNG = b"\x89PNG\r\n\x1a\n"



@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("seeds")
    done = mining("run", "-m", "experiment=sample_components", "model=logreg,linear_svc", "seed=0,1,2",
                  "hydra/launcher=joblib", cwd=home)
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = (home / "logs" / "sample_components" / "multiruns").iterdir()
    return path


def test_every_record_has_its_plots(sweep: Path):
    runs = find_runs([sweep])
    assert len(runs) == 6
    for run in runs:
        for name in ("confusion_matrix.png", "per_class_f1.png"):
            assert (run / name).read_bytes()[:8] == PNG
        assert not [p for p in run.iterdir() if p.name.startswith(".record-")]


def test_compare_collapses_seeds_into_two_rows(sweep: Path, tmp_path: Path):
    done = mining("compare", str(sweep), "--format", "csv", "--plot", str(tmp_path / "sweep.png"), cwd=sweep)
    assert done.returncode == 0, done.stderr
    header, *rows = csv.reader(done.stdout.strip().splitlines())
    assert header == ["model", "n", "seeds", "test.macro_f1.mean", "test.macro_f1.std", "test.macro_f1.min",
                      "test.macro_f1.max"]
    assert sorted(r[0] for r in rows) == ["linear_svc", "logreg"]
    for row in rows:
        assert row[1:3] == ["3", "0,1,2"]
        mean, std, low, high = map(float, row[3:])
        assert low <= mean <= high and std >= 0.0
    assert (tmp_path / "sweep.png").read_bytes()[:8] == PNG
    (tmp_path / "sweep.png").write_bytes(b"an earlier plot")  # kept unless --overwrite
    again = mining("compare", str(sweep), "--plot", str(tmp_path / "sweep.png"), cwd=sweep)
    assert again.returncode == 2 and "--overwrite" in again.stderr, again.stderr
    assert (tmp_path / "sweep.png").read_bytes() == b"an earlier plot"
    again = mining("compare", str(sweep), "--plot", str(tmp_path / "sweep.png"), "--overwrite", cwd=sweep)
    assert again.returncode == 0 and (tmp_path / "sweep.png").read_bytes()[:8] == PNG, again.stderr
    table = mining("compare", str(sweep), cwd=sweep)
    lines = table.stdout.splitlines()
    assert "test.macro_f1 mean ± std" in lines[0] and len(lines) == 4
    assert all(" ± " in line for line in lines[2:])


def test_bootstrap_of_a_run_against_itself(sweep: Path):
    run = find_runs([sweep])[0]
    result = compare_runs(run, run, test="bootstrap", resamples=500)
    assert result.difference == 0.0 and result.p_value == 1.0
    assert result.score_a == pytest.approx(read_metrics(run)["test.macro_f1"])  # the predictions give the metric


def test_bootstrap_between_two_models(sweep: Path):
    logreg, svc = find_runs([sweep])[0], find_runs([sweep])[3]
    done = mining("compare", str(logreg), str(svc), "--test", "bootstrap", "--resamples", "1000", cwd=sweep)
    assert done.returncode == 0, done.stderr
    assert "paired bootstrap over" in done.stdout and "1000 resamples" in done.stdout
    assert f"macro_f1 = {read_metrics(svc)['test.macro_f1']:.4f}" in done.stdout
