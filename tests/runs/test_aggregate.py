"""Runs that differ only by seed collapse into one row per configuration with mean ± std, min, max and n."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mining.runs.aggregate import Spread, is_seed_key, without_seeds
from mining.runs.compare import collect, render

SWEEP = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "sweep"


def write_run(path: Path, *, config: dict, metrics: dict, choices: dict | None = None) -> Path:
    path.mkdir(parents=True)
    (path / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (path / "meta.json").write_text(json.dumps({"choices": choices or {}}), encoding="utf-8")
    (path / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return path


def test_seed_keys():
    assert is_seed_key("seed") and is_seed_key("model.random_state")
    assert is_seed_key("features.topic.random_state")
    assert not is_seed_key("evaluation.split_seed") and not is_seed_key("model.C")
    nested = {"_args_": [{"random_state": 3, "C": 1.0}], "seed": 3, "max_iter": 10}
    assert without_seeds(nested) == {"_args_": [{"C": 1.0}], "max_iter": 10}


def test_spread_is_mean_population_std_min_max():
    assert Spread.of([0.8, 0.9, 1.0]).mean == pytest.approx(0.9)
    assert Spread.of([0.8, 0.9, 1.0]).std == pytest.approx((0.02 / 3) ** 0.5)
    assert Spread.of([0.7]) == Spread(mean=0.7, std=0.0, min=0.7, max=0.7, n=1)
    with pytest.raises(ValueError):
        Spread.of([])


def test_a_seed_sweep_aggregates_by_default():
    header, rows = collect([SWEEP])
    assert header == ["model", "n", "seeds", "test.macro_f1", "test.macro_f1.min", "test.macro_f1.max"]
    assert [r[:3] for r in rows] == [["logreg", 2, "0,1"], ["linear_svc", 2, "0,1"]]  # best mean first
    logreg = rows[0][3]
    assert (logreg.mean, logreg.std, logreg.n) == (pytest.approx(0.86), pytest.approx(0.01), 2)
    assert rows[0][4:] == [0.85, 0.87]


def test_without_seed_differences_each_run_is_a_row():
    header, rows = collect([SWEEP / "0", SWEEP / "2"])  # both seed 0
    assert header == ["run", "model", "test.macro_f1"]
    assert len(rows) == 2
    header, rows = collect([SWEEP], aggregate=False)
    assert header == ["run", "model", "seed", "test.macro_f1"] and len(rows) == 4
    header, rows = collect([SWEEP / "0", SWEEP / "2"], aggregate=True)  # asked for: one row per configuration
    assert header[:3] == ["model", "n", "seeds"] and [r[1] for r in rows] == [1, 1]


def test_seed_interpolated_into_nested_lists_does_not_split_a_configuration(tmp_path: Path):
    for seed, f1 in [(0, 0.5), (1, 0.7)]:
        for C, shift in [(1.0, 0.0), (0.1, 0.1)]:
            config = {"seed": seed, "model": {"_args_": [{"C": C, "random_state": seed}], "random_state": seed}}
            write_run(tmp_path / f"s{seed}-C{C}", config=config, metrics={"test.macro_f1": f1 + shift})
    header, rows = collect([tmp_path])
    assert header[:3] == ["model._args_", "n", "seeds"]
    assert [(r[1], r[2]) for r in rows] == [(2, "0,1"), (2, "0,1")]
    assert rows[0][3].mean == pytest.approx(0.7) and rows[1][3].mean == pytest.approx(0.6)


def test_only_seeds_differ_gives_one_row(tmp_path: Path):
    for seed in range(3):
        write_run(tmp_path / str(seed), config={"seed": seed, "model": {"random_state": seed}},
                  metrics={"test.macro_f1": 0.5 + seed / 10})
    header, rows = collect([tmp_path])
    assert header[:2] == ["n", "seeds"] and rows[0][:2] == [3, "0,1,2"]
    assert rows[0][2].mean == pytest.approx(0.6) and (rows[0][3], rows[0][4]) == (0.5, 0.7)


def test_csv_splits_mean_and_std_into_numeric_columns():
    header, rows = collect([SWEEP])
    lines = render(header, rows, "csv").splitlines()
    assert lines[0] == ("model,n,seeds,test.macro_f1.mean,test.macro_f1.std,test.macro_f1.min,"
                        "test.macro_f1.max")
    assert lines[1] == 'logreg,2,"0,1",0.8600,0.0100,0.8500,0.8700'


def test_table_has_no_trailing_spaces():
    header, rows = collect([SWEEP])
    text = render(header, rows, "table")
    assert "0.8600 ± 0.0100" in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_runs_on_changed_data_show_its_fingerprint_and_counts(tmp_path: Path):
    for name, fingerprint, n in (("v1", "a" * 64, 45), ("v2", "b" * 64, 47)):
        run = write_run(tmp_path / name, config={"data": {"path": "/corpus"}, "seed": 0},
                        metrics={"test.macro_f1": 0.5})
        meta = {"choices": {}, "data": {"fingerprint": fingerprint, "documents": n, "training_documents": n - 10}}
        (run / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    header, rows = collect([tmp_path])
    assert header == ["run", "data fingerprint", "documents", "training documents", "test.macro_f1"]
    assert [r[1:4] for r in rows] == [["a" * 12, 45, 35], ["b" * 12, 47, 37]]
