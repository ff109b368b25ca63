"""`mining compare --format markdown` regenerates a README leaderboard from fixed run directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from mining.runs.compare import collect, configuration_name, render
from tests.helpers import run_mining as mining

SWEEP = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "sweep"  # 2 models x seeds 0, 1, by hand

AGGREGATED = """\
| model | n | seeds | test.macro_f1 mean ± std | test.macro_f1.min | test.macro_f1.max | \
test.accuracy mean ± std | test.accuracy.min | test.accuracy.max |
|---|---:|---|---:|---:|---:|---:|---:|---:|
| logreg | 2 | 0,1 | 0.8600 ± 0.0100 | 0.8500 | 0.8700 | 0.8850 ± 0.0050 | 0.8800 | 0.8900 |
| linear_svc | 2 | 0,1 | 0.8350 ± 0.0050 | 0.8300 | 0.8400 | 0.8600 ± 0.0000 | 0.8600 | 0.8600 |
"""

PER_RUN = """\
| run | model | seed | test.macro_f1 |
|---|---|---:|---:|
| 1 | logreg | 1 | 0.8700 |
| 0 | logreg | 0 | 0.8500 |
| 2 | linear_svc | 0 | 0.8400 |
| 3 | linear_svc | 1 | 0.8300 |
"""



def test_aggregated_leaderboard_is_the_expected_markdown():
    header, rows = collect([SWEEP], metrics=["test.macro_f1", "test.accuracy"])
    assert render(header, rows, "markdown") == AGGREGATED


def test_the_command_prints_the_same_table():
    done = mining("compare", str(SWEEP), "--format", "markdown", "--metrics", "test.macro_f1,test.accuracy")
    assert done.returncode == 0, done.stderr
    assert done.stdout == AGGREGATED


def test_per_run_leaderboard_when_not_aggregating():
    done = mining("compare", str(SWEEP), "--format", "markdown", "--no-aggregate")
    assert done.returncode == 0, done.stderr
    assert done.stdout == PER_RUN


def test_a_pipe_in_a_cell_does_not_break_the_table():
    text = render(["model", "test.macro_f1"], [["a|b", 0.5]], "markdown")
    assert text.splitlines()[2] == "| a\\|b | 0.5000 |"


def test_values_that_are_no_scores_rank_last_and_never_crash(tmp_path: Path):
    """A hand-edited string, a NaN (a run that could not score) and a list (the labels) are shown, never ranked
    above a score, and a list cannot be sorted by."""
    import json
    import shutil

    shutil.copytree(SWEEP, tmp_path / "sweep")
    for run, value in (("1", "0.99"), ("2", float("nan"))):
        path = tmp_path / "sweep" / run / "metrics.json"
        path.write_text(json.dumps(json.loads(path.read_text()) | {"test.macro_f1": value}), encoding="utf-8")
    header, rows = collect([tmp_path / "sweep"], aggregate=False, sort_by="test.macro_f1")
    column = header.index("test.macro_f1")
    assert [row[column] for row in rows[:2]] == [0.85, 0.83]
    assert {str(row[column]) for row in rows[2:]} == {"0.99", "nan"}
    header, rows = collect([tmp_path / "sweep"], metrics=["test.macro_f1"])  # by seed: the scores alone count
    assert [(row[0], row[1]) for row in rows] == [("logreg", 2), ("linear_svc", 2)]
    done = mining("compare", str(tmp_path / "sweep"), "--sort", "test.labels")
    assert done.returncode == 2 and "not a number" in done.stderr, done.stderr


def test_options_of_the_table_and_of_the_test_are_not_mixed_up(tmp_path: Path):
    """An option that would do nothing is refused, naming it, and the plot is a PNG."""
    for options, words in ((["--metric", "test.accuracy"], "--metric is the metric of --test"),
                           (["--test", "bootstrap", "--sort", "test.macro_f1"], "--sort: for the table"),
                           (["--plot", str(tmp_path / "out.pdf")], "give a path ending in .png")):
        done = mining("compare", str(SWEEP), *options)
        assert done.returncode == 2 and words in done.stderr, (options, done.stderr)
    assert not list(tmp_path.iterdir())


def _with_booleans(tmp_path: Path) -> Path:
    """The fixture sweep with a boolean setting that differs between the models and a boolean metric."""
    import json
    import shutil

    import yaml

    shutil.copytree(SWEEP, tmp_path / "sweep")
    for run in ("0", "1", "2", "3"):
        config, metrics = tmp_path / "sweep" / run / "config.yaml", tmp_path / "sweep" / run / "metrics.json"
        end_to_end = run in ("0", "1")  # the logreg runs
        config.write_text(yaml.safe_dump(yaml.safe_load(config.read_text()) | {"end_to_end": end_to_end}))
        metrics.write_text(json.dumps(json.loads(metrics.read_text()) | {"test.converged": run != "3"}))
    return tmp_path / "sweep"


def test_booleans_read_as_in_the_configs_in_every_format(tmp_path: Path):
    """A boolean setting or metric is true/false, as the YAML configs spell it, not Python's True/False."""
    sweep = _with_booleans(tmp_path)
    for aggregate in ("--aggregate", "--no-aggregate"):
        for fmt in ("table", "markdown", "csv"):
            done = mining("compare", str(sweep), "--format", fmt, aggregate, "--metrics",
                          "test.macro_f1,test.converged")
            assert done.returncode == 0, done.stderr
            assert "True" not in done.stdout and "False" not in done.stdout, (fmt, aggregate, done.stdout)
            if aggregate == "--no-aggregate":
                assert {"true", "false"} <= set(done.stdout.replace("|", " ").replace(",", " ").split()), done.stdout
    done = mining("compare", str(sweep), "--format", "csv", "--no-aggregate", "--metrics", "test.converged")
    assert done.stdout.splitlines() == ["run,end_to_end,model,seed,test.macro_f1,test.converged",
                                        "1,true,logreg,1,0.8700,true", "0,true,logreg,0,0.8500,true",
                                        "2,false,linear_svc,0,0.8400,true", "3,false,linear_svc,1,0.8300,false"]
    assert configuration_name({"end_to_end": False, "model=": "logreg"}, ["end_to_end", "model="]) == \
        "end_to_end=false model=logreg"  # the plot's bar labels


def test_a_path_without_a_finished_run_is_named_not_left_out(tmp_path: Path):
    """Beside a sweep, a run whose metrics.json is missing (its experiment failed) or an empty folder would drop out of
    the table without a word, as if it had never been given."""
    import shutil

    unfinished = tmp_path / "unfinished"
    shutil.copytree(SWEEP / "0", unfinished)
    (unfinished / "metrics.json").unlink()
    (tmp_path / "empty").mkdir()
    for path in (unfinished, tmp_path / "empty"):
        done = mining("compare", str(SWEEP), str(path))
        assert done.returncode == 2 and f"{path}: holds no finished run" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and not done.stdout


C_ERROR = "model.C: LinearSVC's C must be a float in the range (0.0, inf). Got -1 instead. (fix the override)"


def test_a_failed_job_of_a_sweep_is_noted_with_its_error_not_left_out_silently(tmp_path: Path):
    """A sweep whose second job failed still holds a finished run, so it is compared; the job it lacks, which Hydra
    started (``.hydra/``) but which wrote no record, is named on stderr with the error that ended it (its
    ``failed.txt``) instead of dropping out of the table."""
    sweep = tmp_path / "sweep"
    done = mining("run", "-m", "experiment=sample_components", "model.C=1,-1", f"hydra.sweep.dir={sweep}",
                  cwd=tmp_path)
    assert done.returncode == 2 and (sweep / "1" / ".hydra").is_dir(), done.stderr
    done = mining("compare", str(sweep))
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()[2:]] == ["0"], done.stdout
    assert f"note: 1 run(s) left out, failed: {sweep / '1'} ({C_ERROR})" in done.stderr, done.stderr
    assert "killed or still running" not in done.stderr
    done = mining("compare", str(SWEEP))
    assert done.returncode == 0 and "note:" not in done.stderr, done.stderr


def test_a_job_that_recorded_no_error_is_noted_as_killed_or_still_running(tmp_path: Path):
    """A job with ``.hydra/`` and neither ``metrics.json`` nor ``failed.txt`` (killed, or running now) is told apart
    from a failed one."""
    import shutil

    sweep = tmp_path / "sweep"
    shutil.copytree(SWEEP, sweep)
    (sweep / "1" / "metrics.json").unlink()
    (sweep / "1" / ".hydra").mkdir(exist_ok=True)
    done = mining("compare", str(sweep))
    assert done.returncode == 0, done.stderr
    assert f"note: 1 run(s) left out, started but not finished (no metrics.json and no failed.txt: killed or still " \
           f"running): {sweep / '1'}" in done.stderr, done.stderr
    assert "failed:" not in done.stderr


def test_a_sweep_whose_every_job_failed_names_its_jobs_beside_the_error(tmp_path: Path):
    """With no finished run the table is refused; the note still names the jobs Hydra started, so that the error is
    not read as a mistyped folder."""
    sweep = tmp_path / "sweep"
    done = mining("run", "-m", "experiment=sample_components", "model.C=-1", f"hydra.sweep.dir={sweep}",
                  cwd=tmp_path)
    assert done.returncode == 2 and (sweep / "0" / ".hydra").is_dir(), done.stderr
    done = mining("compare", str(sweep))
    assert done.returncode != 0 and "no finished runs" in done.stderr and not done.stdout, done.stderr
    assert f"note: 1 run(s) left out, failed: {sweep / '0'} (model.C: " in done.stderr, done.stderr


def test_a_run_that_finishes_where_one_failed_clears_the_old_error(tmp_path: Path):
    """``failed.txt`` is the error of the run that left it: a run started in the same folder removes it first, so that a
    finished run or one still running is never reported with an old error."""
    run = tmp_path / "run"
    done = mining("run", "experiment=sample_components", "model.C=-1", f"hydra.run.dir={run}", cwd=tmp_path)
    assert done.returncode == 2 and (run / "failed.txt").read_text(encoding="utf-8") == C_ERROR + "\n", done.stderr
    done = mining("run", "experiment=sample_components", f"hydra.run.dir={run}", cwd=tmp_path)
    assert done.returncode == 0 and (run / "metrics.json").is_file(), done.stderr
    assert not (run / "failed.txt").exists()


def test_a_run_without_its_config_is_refused_not_shown_differing_everywhere(tmp_path: Path):
    """Read as an empty config, every setting of the other runs "differed" from it: a table of every key."""
    import shutil

    run = tmp_path / "run"
    shutil.copytree(SWEEP / "0", run)
    (run / "config.yaml").unlink()
    done = mining("compare", str(SWEEP), str(run))
    assert done.returncode == 2 and f"{run} has no config.yaml: it is not a finished run" in done.stderr, done.stderr
    assert not done.stdout


@pytest.mark.parametrize(("meta", "words"), [
    ({"choices": ["model=logreg"]}, "meta.json: its 'choices' must be an object, got a list"),
    ({"data": "sample"}, "meta.json: its 'data' must be an object, got a str"),
    ({"choices": None, "data": None}, None),  # a field absent or null: none recorded (read_meta's rule)
])
def test_a_meta_field_of_another_type_is_named_not_a_traceback(tmp_path: Path, meta: dict, words: str | None):
    """A hand-edited meta.json whose 'choices' was a list or null stopped compare with an AttributeError."""
    import json
    import shutil

    run = tmp_path / "run"
    shutil.copytree(SWEEP / "0", run)
    (run / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    done = mining("compare", str(SWEEP), str(run))
    assert "Traceback" not in done.stderr, done.stderr
    if words is None:
        assert done.returncode == 0 and done.stdout, done.stderr
    else:
        assert done.returncode == 2 and f"{run}/{words}" in done.stderr, done.stderr
