"""Re-running a recorded run: its overrides, spelt as today's configs spell them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mining.errors import RunRecordError
from mining.runs.reproduce import current_override
from tests.helpers import run_mining


@pytest.mark.parametrize("recorded, today", [
    ("data.options.format=brat", "data.format=brat"),
    ("+data.options.unit_labels.Claim=claim", "+data.unit_labels.Claim=claim"),
    ("++data.options.language=de", "++data.language=de"),
    ("~data.options.format", "~data.format"),
    ("data.path=/corpus", "data.path=/corpus"),
    ("model.C=0.3", "model.C=0.3"),
])
def test_data_options_of_older_runs_become_loader_arguments(recorded: str, today: str):
    assert current_override(recorded) == today


@pytest.mark.corpora
def test_a_run_that_found_its_corpus_through_mining_corpora_reproduces_with_it_unset(corpora, tmp_path, monkeypatch):
    """meta.json records the absolute corpus path; reproduce uses it, so the variable is not needed again."""
    import json
    import subprocess

    from mining.runs import reproduce

    run = tmp_path / "run"
    (run / ".hydra").mkdir(parents=True)
    (run / ".hydra" / "overrides.yaml").write_text("- experiment=aaec_stance\n", encoding="utf-8")
    (run / "meta.json").write_text(json.dumps({"data": {"name": "aaec", "path": str(corpora / "aaec-v2")}}))
    commands = []

    def record(command, **kwargs):  # the command is what is under test; the re-run itself is tested elsewhere
        commands.append(command)
        return subprocess.CompletedProcess(command, 1, "", "stopped by the test")

    monkeypatch.delenv("MINING_CORPORA", raising=False)
    monkeypatch.setattr(reproduce.subprocess, "run", record)
    with pytest.raises(RunRecordError, match="stopped by the test"):
        reproduce.rerun(run, tmp_path / "again")
    assert f"data.path={corpora / 'aaec-v2'}" in commands[0]
    (run / "meta.json").write_text(json.dumps({"data": {"name": "aaec", "path": "/elsewhere/aaec-v2"}}))
    with pytest.raises(RunRecordError):
        reproduce.rerun(run, tmp_path / "again")
    assert not any(c.startswith("data.path=") for c in commands[1])  # not here: the config's rule applies


@pytest.mark.parametrize("tolerance", ["-1", "nan", "tiny"])
def test_a_bad_tolerance_fails_before_the_re_run(tolerance: str, tmp_path):
    done = run_mining("reproduce", str(tmp_path / "no-such-run"), "--tolerance", tolerance)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "--tolerance" in done.stderr and "at least 0" in done.stderr, done.stderr


@pytest.mark.parametrize("path", ["/corpus/aaec-v2", "/tmp/corp ç/my sample.jsonl", "/tmp/it's here",
                                  "C:\\data set\\", "/a\\'b c"])
def test_a_recorded_corpus_path_reaches_hydra_as_it_was(path: str):
    """The re-run passes the recorded path as an override: spaces, quotes, backslashes and accents survive."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from mining.runs.reproduce import _quoted

    assert OverridesParser.create().parse_override(f"data.path={_quoted(path)}").value() == path


def test_nothing_to_compare_or_a_logged_re_run_is_refused_before_the_re_run(tmp_path):
    run = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "sweep" / "0"
    (tmp_path / "empty.json").write_text("{}", encoding="utf-8")
    done = run_mining("reproduce", str(run), "--against", str(tmp_path / "empty.json"))
    assert done.returncode == 2 and "no metrics to compare" in done.stderr, done.stderr
    done = run_mining("reproduce", str(run), "tracking=mlflow")
    assert done.returncode == 2 and "leave out tracking=" in done.stderr, done.stderr


def _one_error_after_the_re_run(stderr: str) -> bool:
    """Whether ``stderr`` is the note that the record is being re-run, then one error line (no traceback)."""
    lines = stderr.strip().splitlines()
    return len(lines) == 2 and lines[0].startswith("reproduce: re-running ") and lines[1].startswith("error: ")


def _copy_with_cache(run: Path, tmp_path: Path) -> Path:
    """A copy of a sample run to edit, and its parse cache where a re-run from ``tmp_path`` finds it."""
    import shutil

    shutil.copytree(run.parents[1] / ".cache" / "mining", tmp_path / ".cache" / "mining")
    shutil.copytree(run, tmp_path / "record")
    return tmp_path / "record"


def test_a_group_choice_the_record_does_not_hold_is_refused_before_the_re_run(sample_run, tmp_path):
    """overrides.yaml chooses model=random_forest, meta.json (and config.yaml) logreg: which one the scores are of
    cannot be told, so nothing is re-run."""
    record = _copy_with_cache(sample_run("sample_stance"), tmp_path)
    overrides = record / ".hydra" / "overrides.yaml"
    overrides.write_text(overrides.read_text(encoding="utf-8") + "- model=random_forest\n", encoding="utf-8")
    done = run_mining("reproduce", str(record), cwd=tmp_path)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert ".hydra/overrides.yaml chooses model=random_forest, but meta.json records model=logreg" in done.stderr
    assert not done.stdout


def test_a_re_run_that_refuses_an_override_fails_in_one_line_with_its_error(sample_run, tmp_path):
    """The re-run's error came on a second line, after the command; a traceback (a bug) still comes whole."""
    from mining.runs.reproduce import _failure

    record = _copy_with_cache(sample_run("sample_stance"), tmp_path)
    done = run_mining("reproduce", str(record), "modle.C=1", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    *progress, line = done.stderr.splitlines()  # "reproduce: re-running ...", then the error, one line
    assert [p for p in progress if not p.startswith("reproduce: ")] == [], done.stderr
    assert line.startswith("error: the re-run failed: unknown setting 'modle.C'") and "(it ran: " in line, line
    bug = "Traceback (most recent call last):\n  ...\nKeyError: 'x'\nerror: a line a bug printed before\n"
    assert _failure(["mining", "run"], bug).endswith(bug)


def test_what_a_re_run_ran_otherwise_than_its_record_says(sample_run, tmp_path):
    """The settings of two records that differ, but for where files go, how the run is logged, the corpus path, what
    the user's overrides set, and settings the record does not hold (added since)."""
    import yaml

    from mining.runs.reproduce import config_disagreement

    run = sample_run("sample_stance")
    record = _copy_with_cache(run, tmp_path)
    assert config_disagreement(record, run) is None
    config = yaml.safe_load((record / "config.yaml").read_text(encoding="utf-8"))
    config["tracking"], config["data"]["path"], config["nlp"]["progress"] = {"x": 1}, "/elsewhere", True
    del config["n_jobs"]  # a setting added since the record was made
    (record / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert config_disagreement(record, run) is None
    config["model"]["C"], config["seed"], config["model"]["random_state"] = 0.25, 7, 7
    (record / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert config_disagreement(record, run) == \
        "model.C is 0.25 in config.yaml, 1.0 in the re-run (and 2 more setting(s))"
    assert config_disagreement(record, run, ["model.C=0.25"]).startswith("model.random_state is 7")
    assert config_disagreement(record, run, ["model.C=0.25", "seed=7"]) is None
    assert config_disagreement(record, run, ["model=linear_svc", "seed=7"]) is None  # the user chose another


def test_one_code_is_one_commit_clean_or_with_the_same_difference():
    from mining.runs.provenance import same_code

    clean = {"sha": "a" * 40, "dirty": False, "diff_sha256": None}
    dirty = {"sha": "a" * 40, "dirty": True, "diff_sha256": "d1"}
    assert same_code(clean, dict(clean)) and same_code(dirty, dict(dirty))
    assert not same_code(clean, dirty) and not same_code(dirty, dirty | {"diff_sha256": "d2"})
    assert not same_code(clean, clean | {"sha": "b" * 40}) and not same_code({"sha": None}, {"sha": None})


@pytest.mark.slow  # two re-runs: about 26 s
def test_a_config_the_re_run_does_not_run_is_named_not_compared(sample_run, tmp_path):
    """config.yaml says a random forest, the overrides (and meta.json) logreg: the re-run, of the overrides with the
    code that made the record, is not what the record says it ran, and its scores are not compared as if it were.
    Recorded by other code, the configs may have changed since: the difference is then one of the causes shown."""
    import json

    record = _copy_with_cache(sample_run("sample_stance"), tmp_path)
    config = record / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("sklearn.linear_model.LogisticRegression",
                                                                 "sklearn.ensemble.RandomForestClassifier"))
    done = run_mining("reproduce", str(record), cwd=tmp_path)
    assert done.returncode == 2 and _one_error_after_the_re_run(done.stderr), done.stderr
    assert ("model._target_ is 'sklearn.ensemble.RandomForestClassifier' in config.yaml, "
            "'sklearn.linear_model.LogisticRegression' in the re-run") in done.stderr
    assert "reproduced" not in done.stdout
    meta = json.loads((record / "meta.json").read_text(encoding="utf-8"))
    meta["git"] = {"sha": "0" * 40, "dirty": False, "changed": [], "diff_sha256": None}
    (record / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    done = run_mining("reproduce", str(record), cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("reproduced: all "), done.stdout + done.stderr[-2000:]
    assert ("  config differs: model._target_ is 'sklearn.ensemble.RandomForestClassifier' in config.yaml, "
            "'sklearn.linear_model.LogisticRegression' in the re-run") in done.stdout, done.stdout


@pytest.mark.slow  # a run and two re-runs: about 40 s
def test_a_recorded_group_choice_is_re_run_and_one_dropped_from_the_overrides_is_named(sample_run, tmp_path):
    run = sample_run("sample_stance", "model=random_forest")
    record = _copy_with_cache(run, tmp_path)
    done = run_mining("reproduce", str(run), cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("reproduced: all "), done.stdout + done.stderr[-2000:]
    overrides = record / ".hydra" / "overrides.yaml"
    overrides.write_text(overrides.read_text(encoding="utf-8").replace("- model=random_forest\n", ""))
    done = run_mining("reproduce", str(record), cwd=tmp_path)
    assert done.returncode == 2 and _one_error_after_the_re_run(done.stderr), done.stderr
    assert "model._target_ is 'sklearn.ensemble.RandomForestClassifier' in config.yaml" in done.stderr, done.stderr


def _record_with_overrides(tmp_path: Path, *overrides: str) -> Path:
    """A finished record handed over by someone else, whose .hydra/overrides.yaml holds ``overrides``."""
    import json

    import yaml

    record = tmp_path / "handed-over"
    (record / ".hydra").mkdir(parents=True)
    (record / "metrics.json").write_text(json.dumps({"test.macro_f1": 0.5}), encoding="utf-8")
    (record / "meta.json").write_text("{}", encoding="utf-8")
    (record / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(list(overrides)), encoding="utf-8")
    return record


def _attacks(marker: Path, tmp_path: Path) -> dict[str, list[str]]:
    """Overrides that write ``marker`` when Hydra composes and runs them (each did, through `mining reproduce`)."""
    import os

    from mining.cli.paths import CONFIG_DIR

    write = (f'[{{_target_: pathlib.Path, _args_: ["{marker}"]}}, "ran"]')
    evil = tmp_path / "evil.yaml"
    evil.write_text("# @package _global_\nhydra:\n  callbacks:\n    x:\n      _target_: pathlib.Path.write_text\n"
                    f"      _args_: {write}\n", encoding="utf-8")
    return {
        "callback": ["+hydra.callbacks.x._target_=pathlib.Path.write_text", f"+hydra.callbacks.x._args_={write}"],
        "config from elsewhere": [f"experiment={os.path.relpath(evil.with_suffix(''), CONFIG_DIR / 'experiment')}"],
    }


@pytest.mark.parametrize("attack", ["callback", "config from elsewhere"])
def test_a_record_whose_overrides_run_code_is_refused_before_the_re_run(attack: str, tmp_path):
    """Hydra builds whatever ``_target_`` an override names and loads a group option from any relative path: a
    record's overrides are someone else's code unless they only set values and choose mining's configs."""
    marker = tmp_path / "code-ran"
    record = _record_with_overrides(tmp_path, *_attacks(marker, tmp_path)[attack])
    done = run_mining("reproduce", str(record))
    assert not marker.exists()
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert f"{record}/.hydra/overrides.yaml: refused to re-run the override" in done.stderr, done.stderr


@pytest.mark.parametrize("override, problem", [
    ("model._target_=os.system", "it sets _target_"),
    ("model._target_=mining.files.write_text_atomic", "it sets _target_"),  # mining's, but no estimator
    ("model._target_=sklearn.utils.parallel_backend", "it sets _target_"),
    ("+hydra.callbacks.x._target_=pathlib.Path.write_text", "it sets _target_"),
    ("+model._args_=[rm]", "it sets _args_"),
    ("++evaluation._recursive_=true", "it sets _recursive_"),
    ("+model@hydra.callbacks.x=logreg", "(@)"),
    ("features@_global_=stance", "(@)"),
    ("model@hydra.callbacks.x._target_=sklearn.linear_model.LogisticRegression", "(@)"),
    ("+model.memory=/tmp/cache", "model.memory names files a fit writes and reads back"),  # joblib's pickles
    ("model._target_=sklearn.tests.test_base.MyEstimator", "no estimator class"),
    ("data.path=\\${oc.env:HOME}", "escapes"),
    ("model={_target_: os.system}", "a mapping"),
    ("model.C=[{_target_: os.system}]", "a mapping"),
    ("data.path=${oc.env:HOME}", "interpolates"),
    ("data.path='${oc.env:HOME}'", "interpolates"),
    ("experiment=../../../tmp/evil", "experiment has no option '../../../tmp/evil'"),
    ("model=/tmp/evil", "model has no option '/tmp/evil'"),
    ("--config-dir=/tmp/evil", "its key names no setting"),
    ("data/../../x=y", "its key names no setting"),
])
def test_a_recorded_override_that_is_no_plain_setting_is_named(override: str, problem: str):
    from mining.runs.reproduce import override_problem

    assert problem in (override_problem(override) or "")


@pytest.mark.parametrize("override", ["experiment=aaec_stance", "model=logreg", "experiment=null", "model.C=0.3",
                                      "+data.unit_labels.Claim=claim", "~data.format", "data.path=/corpus/it's here",
                                      "seed=3", "tags=[a,b]", "nlp.exclude=[]", "optimized_metric=cv.macro_f1.mean",
                                      "+features.indicators._target_=mining.features.markers.IndicatorVectorizer",
                                      "model._target_=sklearn.linear_model.LogisticRegression",
                                      "features@side.features=stance_news"])  # experiments/news-history.md does so
def test_plain_settings_and_mining_s_own_configs_are_re_run(override: str):
    from mining.runs.reproduce import override_problem

    assert override_problem(override) is None


def test_where_the_recorded_run_put_its_files_is_not_re_run(tmp_path):
    """hydra.* and paths.* chose where the original run's files went (its callbacks, its environment): the re-run
    chooses its own."""
    from mining.runs.reproduce import recorded_overrides

    record = _record_with_overrides(tmp_path, "experiment=sample_stance", "hydra.job.chdir=true",
                                    "++hydra.job.env_set.LD_PRELOAD=/tmp/evil.so", "hydra/launcher=slurm",
                                    "paths.cache_dir=/etc/cron.d", "model.C=0.5")
    assert recorded_overrides(record) == ["experiment=sample_stance", "model.C=0.5"]


@pytest.mark.parametrize("text, problem", [
    ("- !!python/object/apply:os.system ['touch x']\n", "not valid YAML"),
    ("model: logreg\n", "expected a list of overrides"),
    ("- [model=logreg]\n", "expected a list of overrides"),
])
def test_an_overrides_file_that_is_no_list_of_overrides_is_named(text: str, problem: str, tmp_path):
    from mining.runs.reproduce import recorded_overrides

    record = _record_with_overrides(tmp_path)
    (record / ".hydra" / "overrides.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RunRecordError, match=f"overrides.yaml: {problem}"):
        recorded_overrides(record)


def test_a_recorded_corpus_path_that_interpolates_is_refused(tmp_path):
    """meta.json's corpus path became an override of its own, past the overrides' checks: Hydra resolves ${...}
    inside quotes, so a path of ${oc.decode:...} built any _target_ when a folder of that name existed."""
    import json

    from mining.runs.reproduce import rerun

    record = _record_with_overrides(tmp_path, "data=custom")
    path = "${oc.env:HOME}"
    (tmp_path / path).mkdir()
    (record / "meta.json").write_text(json.dumps({"data": {"path": path}}), encoding="utf-8")
    with pytest.raises(RunRecordError, match=r"meta.json: refused the recorded corpus path .*interpolates"):
        rerun(record, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_recorded_null_choice_agrees_with_meta_json(tmp_path):
    """meta.json records a group chosen null as JSON null, overrides.yaml as experiment=null: the same choice."""
    import json

    from mining.runs.reproduce import check_choices

    record = _record_with_overrides(tmp_path, "experiment=null")
    (record / "meta.json").write_text(json.dumps({"choices": {"experiment": None, "model": "logreg"}}))
    check_choices(record, ["experiment=null", "model=logreg"])
    with pytest.raises(RunRecordError, match="chooses experiment=aaec_stance, but meta.json records experiment=null"):
        check_choices(record, ["experiment=aaec_stance"])


@pytest.mark.parametrize("recorded, rerun", [
    ("nlp.n_process=1000", "nlp.n_process=4"),
    ("n_jobs=1000", "n_jobs=4"),
    ("+model.n_jobs='64'", "+model.n_jobs=4"),
    ("++model.estimator.n_jobs=5", "++model.estimator.n_jobs=4"),
    ("n_jobs=4", "n_jobs=4"),
    ("n_jobs=-1", "n_jobs=-1"),  # all the CPUs there are
    ("model.C=1000", "model.C=1000"),
    ("~n_jobs", "~n_jobs"),
    ("~n_jobs=1000", "~n_jobs=1000"),  # deletes the setting if it is 1000: sets no count
    # spellings that Hydra reads as 1000 too
    ("++n_jobs=1000", "++n_jobs=4"),
    ("+n_jobs=1000", "+n_jobs=4"),
    ("n_jobs=1_000", "n_jobs=4"),
    ("n_jobs=+1000", "n_jobs=4"),
    ("n_jobs=int(1000)", "n_jobs=4"),
    ("n_jobs= 1000", "n_jobs=4"),
    ("n_jobs=1e3", "n_jobs=4"),
    ("nlp.n_process=1_000", "nlp.n_process=4"),
    ("n_jobs=\uff11\uff10\uff10\uff10", "n_jobs=4"),  # fullwidth digits: str.isdigit() says yes
    ("n_jobs=-1000", "n_jobs=4"),  # only -1 means all the CPUs
    ("n_jobs='-1'", "n_jobs='-1'"),
    ("n_jobs=null", "n_jobs=null"),  # scikit-learn's default: one process
])
def test_a_recorded_count_of_processes_above_the_cpus_is_lowered(recorded: str, rerun: str):
    """A record handed over with nlp.n_process=1000 forked a thousand spaCy parsers on `mining reproduce`."""
    from mining.runs.reproduce import capped_parallelism

    assert capped_parallelism([recorded], 4) == [rerun]


def test_the_re_run_runs_on_the_cpus_here_and_says_so(tmp_path, monkeypatch):
    """`mining reproduce` notes each count it lowers on stderr, before the re-run."""
    import subprocess

    from mining.runs import reproduce

    record = _record_with_overrides(tmp_path, "experiment=sample_stance", "nlp.n_process=1000", "n_jobs=1000")
    commands = []

    def record_command(command, **kwargs):  # the command is what is under test
        commands.append(command)
        return subprocess.CompletedProcess(command, 1, "", "stopped by the test")

    monkeypatch.setattr(reproduce.subprocess, "run", record_command)
    monkeypatch.setattr(reproduce, "usable_cpus", lambda: 2)
    done = run_mining("reproduce", str(record))
    assert done.returncode == 2 and "stopped by the test" in done.stderr, done.stderr
    assert "nlp.n_process=2" in commands[0] and "n_jobs=2" in commands[0]
    assert not any(c.endswith("=1000") for c in commands[0])
    assert "reproduce: the record's nlp.n_process=1000 is lowered to nlp.n_process=2" in done.stderr, done.stderr


def test_a_lowered_count_of_processes_is_no_disagreement_with_the_record(tmp_path):
    """The count decides no number: config.yaml's n_jobs=1000 against the re-run's 2 does not mean an edited record."""
    import yaml

    from mining.runs.reproduce import config_disagreement

    for name, count in (("record", 1000), ("again", 2)):
        (tmp_path / name).mkdir()
        config = {"n_jobs": count, "nlp": {"n_process": count}, "model": {"n_jobs": count, "C": 1.0}}
        (tmp_path / name / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert config_disagreement(tmp_path / "record", tmp_path / "again") is None
    (tmp_path / "again" / "config.yaml").write_text(yaml.safe_dump({"n_jobs": 2, "model": {"C": 2.0}}))
    assert config_disagreement(tmp_path / "record", tmp_path / "again").startswith("model.C is 1.0 in config.yaml")
