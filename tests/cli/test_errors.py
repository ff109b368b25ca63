"""No traceback reaches a user: bad input, arguments and overrides are one line naming the culprit, exit status 2.

A real bug still shows its traceback, and ``mining --debug`` shows it for bad input too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mining.runs.record import read_resolved_config
from tests.helpers import copy_entry
from tests.helpers import run_mining as mining


def _refused(done, *words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert all(w in done.stderr for w in words), done.stderr
    lines = done.stderr.strip().splitlines()
    if lines[0].startswith("usage:"):  # argparse's own refusal: the usage, then one error line
        lines = lines[-1:]
    # A run's progress lines (mining.progress) may come before the error; from the error on, one line.
    errors = [i for i, line in enumerate(lines) if line.startswith("error:")]
    lines = lines[errors[0]:] if errors else lines
    assert len(lines) <= 2, done.stderr


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """One home for every `mining run` below, so that they share the sample corpus's parse cache."""
    return tmp_path_factory.mktemp("errors")


# (case id, overrides, words stderr must hold)
RUN_CASES = [
    ("unknown-experiment", ["experiment=nosuch"], ["unknown experiment 'nosuch'", "sample_components"]),
    ("unknown-data", ["data=nosuch"], ["unknown data 'nosuch'", "sample"]),
    ("unknown-model", ["model=nosuch"], ["unknown model 'nosuch'", "logreg"]),
    ("unknown-task", ["task=nosuch"], ["unknown task 'nosuch'", "components"]),
    ("unknown-evaluation", ["evaluation=nosuch"], ["unknown evaluation 'nosuch'", "cv"]),
    # Hydra raised a bare ValueError ("Config group override must be a string or a list"): a traceback
    ("null-group", ["experiment=sample_components", "tracking=null"],
     ["tracking=null: the config group tracking takes one of its options (mlflow, none), not null"]),
    ("null-experiment", ["experiment=null"], ["experiment=null", "leave experiment= out"]),
    ("no-key", ["experiment=sample_components", "=null"], ["=null: no setting before '='"]),
    # Hydra merged both, LinearSVC's settings winning, without a word
    ("group-list", ["experiment=sample_components", "model=[logreg,linear_svc]"],
     ["model=[logreg,linear_svc]: a list merges those options", "mining run -m model=logreg,linear_svc"]),
    # "Key 'model' is not in struct", after the parse
    ("model-removed", ["experiment=sample_components", "~model"], ["~model removed the setting model", "logreg"]),
    ("model-C-not-a-number", ["experiment=sample_components", "model.C=abc"], ["model.C", "float", "'abc'"]),
    ("model-C-negative", ["experiment=sample_components", "model.C=-1"], ["model.C", "range"]),
    ("seed-not-an-int", ["experiment=sample_components", "seed=abc"], ["seed='abc'", "integer"]),
    # meta.json's readers (publish, reproduce, label) refused the record a run wrote with them
    ("domain-not-text", ["experiment=sample_components", "domain=5"],
     ["domain=5: expected a name", "\"domain='2024'\""]),
    ("name-not-text", ["experiment=sample_components", "name=2024"], ["name=2024: expected a name"]),
    ("blank-name", ["experiment=sample_components", "name="], ["name='': expected a name"]),
    ("too-many-folds", ["experiment=sample_components", "evaluation=cv", "evaluation.n_splits=1000"],
     ["n_splits=1000", "45 documents"]),
    ("one-fold", ["experiment=sample_components", "evaluation=cv", "evaluation.n_splits=1"], ["n_splits=1"]),
    ("folds-as-text", ["experiment=sample_components", "evaluation=cv", "evaluation.n_splits='3'"],
     ["evaluation.n_splits='3'", "whole number"]),
    ("no-repeats", ["experiment=sample_components", "evaluation=cv", "evaluation.n_repeats=0"],
     ["evaluation.n_repeats=0", "at least 1"]),
    ("repeats-as-text", ["experiment=sample_components", "evaluation=cv", "evaluation.n_repeats=abc"],
     ["evaluation.n_repeats='abc'"]),
    ("test-share-too-big", ["experiment=sample_components", "evaluation=holdout", "evaluation.test_size=2.0"],
     ["evaluation.test_size=2.0", "between 0 and 1"]),
    ("no-test-share", ["experiment=sample_components", "evaluation=holdout", "evaluation.test_size=0"],
     ["evaluation.test_size=0"]),
    ("feature-setting", ["experiment=sample_components", "features.lexical.min_df=-3"],
     ["features.lexical.min_df: TfidfVectorizer's min_df must be"]),
    ("ngram-range-not-numbers", ["experiment=sample_components", "features.lexical.ngram_range=[1,a]"],
     ["features.lexical.ngram_range: LexicalVectorizer's ngram_range must be two whole numbers", "[1, 'a']"]),
    ("ngram-range-reversed", ["experiment=sample_components", "features.lexical.ngram_range=[3,1]"],
     ["features.lexical.ngram_range", "1 <= min <= max"]),
    ("unknown-key", ["experiment=sample_components", "model.nosuch=1"], ["'model.nosuch'", "+model.nosuch="]),
    ("unknown-top-level-key", ["experiment=sample_components", "nosuch=1"], ["'nosuch'"]),
    ("unknown-argument", ["experiment=sample_components", "+model.nosuch=1"], ["model", "'nosuch'"]),
    ("unknown-target", ["experiment=sample_components", "model._target_=nosuch.Model"], ["nosuch.Model"]),
    ("unparsable-override", ["experiment=sample_components", "model.C=["], ["model.C=["]),
    ("missing-corpus-path", ["data=custom"], ["data.path"]),
    ("blank-corpus-path", ["experiment=sample_components", "data=custom", "data.path="],
     ["data.path=''", "path of a file or folder"]),
    # counts read deep in spaCy (a traceback, or nothing parsed) or only by runs with subtasks (ignored otherwise)
    ("n-jobs-as-text", ["experiment=sample_components", "n_jobs=two"], ["n_jobs='two'", "at least 1"]),
    ("no-jobs", ["experiment=sample_components", "n_jobs=0"], ["n_jobs=0", "at least 1"]),
    ("jobs-below-minus-one", ["experiment=sample_components", "n_jobs=-2"], ["n_jobs=-2", "or -1: one per CPU"]),
    ("n-process-negative", ["experiment=sample_components", "nlp.n_process=-5"], ["nlp.n_process=-5", "-1"]),
    ("n-process-as-text", ["experiment=sample_components", "nlp.n_process=two"], ["nlp.n_process='two'"]),
    ("no-batch", ["experiment=sample_components", "nlp.batch_size=0"], ["nlp.batch_size=0", "at least 1"]),
    ("links-without-probabilities", ["experiment=sample_relations", "model=linear_svc"],
     ["one_target_per_source", "LinearSVC", "model=logreg"]),
    ("tagger-on-units", ["experiment=sample_stance", "model=transition_tagger"],
     ["TransitionTagger", "task=segmentation"]),
    # a target that builds no estimator: scikit-learn's Pipeline raised a TypeError naming no setting
    ("model-that-does-not-fit", ["experiment=sample_components", "model._target_=collections.OrderedDict"],
     ["model: builds collections.OrderedDict, which has no fit method"]),
    # `+evaluation.grid.a.model.C=1` is {a: {model: {C: 1}}}: it replaced the whole model, a traceback
    ("grid-replacing-a-setting",
     ["experiment=sample_components", "evaluation=nested_cv", "+evaluation.grid.a.model.C=1"],
     ["evaluation.grid.a: model: {'C': 1} would replace the whole setting", "'+evaluation.grid.a={model.C:1}'"]),
]


@pytest.mark.parametrize(("overrides", "words"), [c[1:] for c in RUN_CASES], ids=[c[0] for c in RUN_CASES])
def test_run_refuses_a_bad_override(workdir: Path, overrides: list[str], words: list[str]):
    done = mining("run", *overrides, cwd=workdir)
    _refused(done, *words)
    assert not list((workdir / "logs").rglob("metrics.json"))  # no run record


def test_run_names_a_corpus_with_nothing_to_learn(workdir: Path, tmp_path: Path):
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    done = mining("run", "experiment=sample_components", "data=custom", f"data.path={tmp_path / 'empty.jsonl'}",
                  cwd=workdir)
    _refused(done, f"{tmp_path / 'empty.jsonl'}: the corpus holds no documents")


def test_run_names_the_documents_its_official_split_leaves_out(workdir: Path, tmp_path: Path):
    """Documents whose split is neither train nor test dropped out of training and test without a word."""
    from mining.corpora import jsonl, load_corpus

    docs = load_corpus("sample")
    docs[0].split, docs[1].split, docs[2].split = "trian", "Train", None
    corpus = tmp_path / "typo.jsonl"
    jsonl.save(docs, corpus)
    done = mining("run", "experiment=sample_components", "data=custom", f"data.path={corpus}",
                  f"hydra.run.dir={tmp_path / 'run'}", cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert (f"warning: {corpus}: 3 of 45 document(s) are in neither the training split 'train' nor the test split "
            f"'test', so neither trained nor tested on: {docs[0].id} (split 'trian'), {docs[1].id} (split 'Train'), "
            f"{docs[2].id} (no split)") in done.stderr, done.stderr
    meta = json.loads((tmp_path / "run" / "meta.json").read_text(encoding="utf-8"))
    assert meta["data"]["left_out_documents"] == [d.id for d in docs[:3]]


def test_run_refuses_a_path_for_the_sample_corpus(workdir: Path, tmp_path: Path):
    """`mining run data.path=mine.jsonl` without data=custom read the file as the sample corpus: the run was named
    and recorded as 'sample', and `mining data ... sample --path` refuses the same thing. (`news` takes a path on
    purpose: a variant of its training file, with the sample's news reports added.)"""
    experiment = "sample_components"
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"id": "a", "text": "Cats rule.", "split": "train"}\n', encoding="utf-8")
    done = mining("run", f"experiment={experiment}", f"data.path={mine}", cwd=workdir)
    _refused(done, f"data.path={mine}: corpus", "ships with mining and takes no path", "add data=custom")
    assert "parse:" not in done.stdout + done.stderr


def test_a_failed_sweep_job_is_named_in_its_error(workdir: Path):
    """A launcher that runs jobs in processes (joblib) prints their errors in any order, after Hydra's list of them:
    the error named the bad setting but not the job, so a sweep over corpora did not say which one failed."""
    done = mining("run", "-m", "experiment=sample_components", "model.C=-1", "seed=0,1", cwd=workdir)
    _refused(done, "error: [job 0: experiment=sample_components,model.C=-1,", "seed=0] failed: model.C: LinearSVC's C")


def test_a_sweep_refuses_a_metric_its_evaluation_does_not_score_before_fitting(workdir: Path):
    # Only a sweep's sweeper reads the metric to optimise; test.macro_f1 is no CV score.
    done = mining("run", "-m", "experiment=sample_components", "evaluation=cv", "optimized_metric=test.macro_f1",
                  cwd=workdir)
    _refused(done, "optimized_metric='test.macro_f1'", "cv.*", "optimized_metric=cv.macro_f1.mean")
    assert "components: fold" not in done.stderr
    assert not list((workdir / "logs").rglob("metrics.json"))


def test_a_single_run_reports_though_it_does_not_score_the_metric_to_optimise(workdir: Path, tmp_path: Path):
    done = mining("run", "experiment=sample_components", "evaluation=cv", "optimized_metric=test.macro_f1",
                  f"hydra.run.dir={tmp_path / 'run'}", cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert "cv.macro_f1.mean=" in done.stdout and "run record:" in done.stdout
    assert "warning: optimized_metric='test.macro_f1' is not among the metrics" in done.stderr
    assert f"only a sweep reads it (record: {tmp_path / 'run'})" in done.stderr
    assert (tmp_path / "run" / "metrics.json").is_file()


@pytest.mark.parametrize("sweep", [False, True])
def test_a_nan_metric_to_optimise_is_warned_of_naming_the_record(sweep: bool, tmp_path: Path, capsys):
    """A run that could not score its optimized_metric (NaN) completes, and says so once, naming the metric and
    the record, whether a sweeper reads the value or not; a NaN is no number to hand on silently."""
    import math

    from mining.cli.experiment import optimized_value

    metrics = {"test.macro_f1": float("nan"), "test.accuracy": 0.5}
    value = optimized_value(metrics, "test.macro_f1", "test", required=sweep, record=tmp_path / "run")
    assert math.isnan(value)
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("warning: optimized_metric='test.macro_f1' is NaN"), err
    assert f"(record: {tmp_path / 'run'})" in err
    assert optimized_value(metrics, "test.accuracy", "test", required=sweep, record=tmp_path / "run") == 0.5
    assert not capsys.readouterr().err


def test_the_metric_to_optimise_is_the_evaluations_unless_named(workdir: Path, tmp_path: Path):
    """Another evaluation needs no other optimized_metric: the default is its macro-F1, and the record names it."""
    done = mining("run", "--quiet", "experiment=sample_components", "evaluation=cv",
                  f"hydra.run.dir={tmp_path / 'run'}", cwd=workdir)
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert read_resolved_config(tmp_path / "run")["optimized_metric"] == "cv.macro_f1.mean"
    table = mining("compare", str(tmp_path / "run"), cwd=workdir)
    assert table.stdout.splitlines()[0].split() == ["run", "cv.macro_f1.mean", "cv.macro_f1.std"], table.stdout


@pytest.mark.parametrize("where", ["under-a-file", "read-only"])
def test_run_refuses_an_unwritable_run_directory(workdir: Path, tmp_path: Path, where: str):
    if where == "under-a-file":
        (tmp_path / "file").write_text("x")
        target = tmp_path / "file" / "run"
    else:
        target = Path("/sys/mining-errors-test/run")  # read-only even for root, unlike a chmod-ed folder
        if not Path("/sys").is_dir():
            pytest.skip("no /sys")
    before = _snapshot(tmp_path)
    # The message names the folder that could not be made: the path given, or the first missing part of it.
    _refused(mining("run", "experiment=sample_components", f"hydra.run.dir={target}", cwd=workdir),
             f"hydra.run.dir={target}: ", str(target.parent))
    assert _snapshot(tmp_path) == before


# (case id, arguments after `label FILE`, words) -- "{model}" is replaced by the trained run
LABEL_CASES = [
    ("batch-size-0", ["--model", "{model}", "--batch-size", "0"], ["--batch-size", "at least 1"]),
    ("batch-size-text", ["--model", "{model}", "--batch-size", "many"], ["--batch-size", "'many'"]),
    ("n-process-negative", ["--model", "{model}", "--n-process", "-1"], ["--n-process", "at least 1"]),
    ("n-process-0", ["--model", "{model}", "--n-process", "0"], ["--n-process", "at least 1"]),
    ("model-missing", ["--model", "{tmp}/nosuch"], ["nosuch", "no such directory"]),
    ("model-unfinished", ["--model", "{tmp}"], ["not a finished run", "metrics.json"]),
    ("bad-shard", ["--model", "{model}", "--shard", "3"], ["--shard", "I/N"]),
    ("bad-encoding", ["--model", "{model}", "--encoding", "nosuch"], ["--encoding", "'nosuch'"]),
    ("output-under-a-file", ["--model", "{model}", "-o", "{tmp}/text.txt/out.jsonl"], ["text.txt", "not a folder"]),
    ("brat-without-output", ["--model", "{model}", "--format", "brat"], ["--format brat", "-o"]),
]


@pytest.mark.parametrize(("arguments", "words"), [c[1:] for c in LABEL_CASES], ids=[c[0] for c in LABEL_CASES])
def test_label_refuses_bad_arguments(miner_run: Path, tmp_path: Path, arguments: list[str], words: list[str]):
    text = tmp_path / "text.txt"
    text.write_text("Cats are better pets, because they sleep all day.", encoding="utf-8")
    before = _snapshot(tmp_path)
    filled = [a.format(model=miner_run, tmp=tmp_path) for a in arguments]
    _refused(mining("label", str(text), *filled), *[w.format(tmp=tmp_path) for w in words])
    assert _snapshot(tmp_path) == before


def test_label_names_a_missing_input(miner_run: Path, tmp_path: Path):
    _refused(mining("label", str(tmp_path / "nosuch.txt"), "--model", str(miner_run)), "nosuch.txt", "no such file")


def _copy_run(run: Path, to: Path, *, without: str = "") -> Path:
    """A copy of ``run``, its files hard-linked where they can be (the model is large), except ``without``: not
    symbolic links, which a run's readers follow only into a git-annex or DVC store."""
    to.mkdir()
    for path in run.iterdir():
        if path.name != without:
            copy_entry(path, to / path.name)
    return to


@pytest.mark.parametrize("name", ["model.skops", "tasks.skops"])
def test_label_names_a_truncated_model_file(miner_run: Path, tmp_path: Path, name: str):
    run = _copy_run(miner_run, tmp_path / "run", without=name)
    (run / name).write_bytes((miner_run / name).read_bytes()[:1000])
    text = tmp_path / "text.txt"
    text.write_text("Cats are better pets.", encoding="utf-8")
    _refused(mining("label", str(text), "--model", str(run)), name, "not a readable model file")


# (case id, contents of metrics.json, words)
BAD_METRICS = [
    ("a-list", "[1, 2]", ["metrics.json", "expected one JSON object", "list"]),
    ("not-json", "{\"test.macro_f1\": 0.5", ["metrics.json", "not valid JSON"]),
    ("a-number", "3", ["metrics.json", "expected one JSON object", "int"]),
]


def _run_with_metrics(run: Path, to: Path, contents: str) -> Path:
    to = _copy_run(run, to, without="metrics.json")
    (to / "metrics.json").write_text(contents, encoding="utf-8")
    return to


@pytest.mark.parametrize(("contents", "words"), [c[1:] for c in BAD_METRICS], ids=[c[0] for c in BAD_METRICS])
@pytest.mark.parametrize("command", ["compare", "reproduce", "publish"])
def test_runs_commands_name_a_bad_metrics_file(miner_run: Path, tmp_path: Path, command: str, contents: str,
                                               words: list[str]):
    run = _run_with_metrics(miner_run, tmp_path / "run", contents)
    extra = [str(tmp_path / "published")] if command == "publish" else []
    _refused(mining(command, str(run), *extra), str(run), *words)
    assert not (tmp_path / "published").exists()


def test_publish_replaces_a_reference_only_when_asked(miner_run: Path, tmp_path: Path):
    dest = tmp_path / "published"
    assert mining("publish", str(miner_run), str(dest)).returncode == 0
    def files():
        return {p.relative_to(dest): p.read_bytes() for p in dest.rglob("*") if p.is_file() and p.name != "notes.md"}

    before = files()
    assert set(map(str, before)) == {"metrics.json", "meta.json", "config.yaml", ".hydra/overrides.yaml"}
    (dest / "notes.md").write_text("kept", encoding="utf-8")
    _refused(mining("publish", str(miner_run), str(dest), "--with-model"), str(dest), "metrics.json", "--overwrite")
    assert files() == before
    done = mining("publish", str(miner_run), str(dest), "--with-model", "--overwrite")
    assert done.returncode == 0, done.stderr
    assert (dest / "model.skops").read_bytes() == (miner_run / "model.skops").read_bytes()
    assert (dest / "metrics.json").read_bytes() == before[Path("metrics.json")]
    assert (dest / "notes.md").read_text(encoding="utf-8") == "kept"
    assert not [p for p in dest.iterdir() if p.name.startswith(".record-")]  # no staging folder left
    # A bundle's record without its model: the record would describe another run's model.
    _refused(mining("publish", str(miner_run), str(dest), "--overwrite"), str(dest), "model.skops", "--with-model")
    before = files()
    _refused(mining("publish", str(dest), str(dest), "--with-model", "--overwrite"), "the output is the input")
    assert files() == before


@pytest.mark.parametrize("command", ["compare", "reproduce", "publish"])
def test_runs_commands_refuse_a_meta_file_that_is_not_json(miner_run: Path, tmp_path: Path, command: str):
    run = _copy_run(miner_run, tmp_path / "run", without="meta.json")
    (run / "meta.json").write_text("nope\n", encoding="utf-8")
    extra = [str(tmp_path / "published")] if command == "publish" else []
    _refused(mining(command, str(run), *extra), str(run / "meta.json"), "not valid JSON")
    assert not (tmp_path / "published").exists()


@pytest.mark.parametrize("option", ["--metrics", "--sort"])
def test_compare_refuses_a_metric_no_run_has(miner_run: Path, option: str):
    metric = next(k for k, v in json.loads((miner_run / "metrics.json").read_text()).items()
                  if isinstance(v, float))
    _refused(mining("compare", str(miner_run), option, metric + "1"), option, repr(metric + "1"), "did you mean",
             metric)
    _refused(mining("compare", str(miner_run), option, "nope"), option, "'nope'", "known:")


def test_compare_names_a_bad_meta_file(miner_run: Path, tmp_path: Path):
    run = _copy_run(miner_run, tmp_path / "run", without="meta.json")
    (run / "meta.json").write_text("[]", encoding="utf-8")
    _refused(mining("compare", str(run)), "meta.json", "expected one JSON object")


def test_reproduce_names_a_bad_reference_file(miner_run: Path, tmp_path: Path):
    reference = tmp_path / "reference.json"
    reference.write_text(json.dumps(["test.macro_f1"]), encoding="utf-8")
    _refused(mining("reproduce", str(miner_run), "--against", str(reference)), "reference.json", "list")


# (case id, argv, words)
RUNS_CASES = [
    ("compare-missing", ["compare", "{tmp}/nosuch"], ["nosuch", "no such run"]),
    ("compare-resamples-0", ["compare", "{tmp}", "--test", "bootstrap", "--resamples", "0"], ["--resamples"]),
    ("compare-seed-negative", ["compare", "{tmp}", "--test", "bootstrap", "--seed", "-1"], ["--seed", "at least 0"]),
    ("compare-test-unfinished", ["compare", "{tmp}", "--test", "bootstrap"], ["no config.yaml", "not a finished run"]),
    ("publish-unfinished", ["publish", "{tmp}", "{tmp}/published"], ["not a finished run", "metrics.json"]),
    ("reproduce-unfinished", ["reproduce", "{tmp}"], ["not a finished run", "metrics.json"]),
    ("reproduce-missing", ["reproduce", "{tmp}/nosuch"], ["nosuch", "no such run directory"]),
    ("publish-missing", ["publish", "{tmp}/nosuch", "{tmp}/published"], ["nosuch", "no such run directory"]),
]


@pytest.mark.parametrize(("argv", "words"), [c[1:] for c in RUNS_CASES], ids=[c[0] for c in RUNS_CASES])
def test_runs_commands_refuse_bad_arguments(tmp_path: Path, argv: list[str], words: list[str]):
    _refused(mining(*[a.format(tmp=tmp_path) for a in argv]), *words)
    assert not (tmp_path / "published").exists()


# A blank path (a shell variable not set) was the current folder: read as the corpus, compared, written into.
BLANK_PATHS = [
    ["data", "stats", "jsonl", "--path", ""],
    ["data", "validate", " "],
    ["data", "convert", "sample", "--to", "jsonl", "-o", ""],
    ["data", "merge", "", "in.jsonl", "-o", "out.jsonl"],
    ["evaluate-labels", "", "in.jsonl"],
    ["label", ""],
    ["label", "--model", "", "text.txt"],
    ["compare", ""],
    ["reproduce", ""],
    ["publish", "in.jsonl", ""],
]


@pytest.mark.parametrize("argv", BLANK_PATHS, ids=[" ".join(a) for a in BLANK_PATHS])
def test_a_blank_path_is_refused_before_anything_is_read(tmp_path: Path, argv: list[str]):
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "d1", "text": "Cats rule."}) + "\n", encoding="utf-8")
    (tmp_path / "text.txt").write_text("Cats are better pets.", encoding="utf-8")
    before = _snapshot(tmp_path)
    _refused(mining(*argv, cwd=tmp_path), "expected the path of a file or folder, got '")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize(("argv", "option"), [
    (["annotate", "push", "labelstudio", "text.txt", "--project", " "], "--project"),
    (["annotate", "pull", "doccano", "--project", "", "-o", "out.jsonl"], "--project"),
    (["annotate", "pull", "labelstudio", "--project", "p", "--predictions", "--model-version", "", "-o", "o.jsonl"],
     "--model-version"),
    (["data", "export", "sample", "-o", "out", "--license", ""], "--license"),
    (["compare", "runs", "--sort", " "], "--sort"),
    (["label", "text.txt", "--encoding", ""], "--encoding"),  # refused only once the model had loaded
])
def test_a_blank_name_is_refused_before_anything_is_done(tmp_path: Path, argv: list[str], option: str):
    """A blank value, from a shell variable not set, would name a project nothing or stand for the default."""
    (tmp_path / "text.txt").write_text("Cats are better pets.", encoding="utf-8")
    before = _snapshot(tmp_path)
    _refused(mining(*argv, cwd=tmp_path), f"argument {option}: expected some text, got '")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("metrics", ["", ",", "test.macro_f1,,test.accuracy", "test.macro_f1, "])
def test_a_metric_list_with_a_blank_key_is_refused(tmp_path: Path, metrics: str):
    """A stray comma would drop a column, and ``,`` alone stand for the default columns, without a word."""
    _refused(mining("compare", "runs", "--metrics", metrics, cwd=tmp_path),
             f"argument --metrics: expected comma-separated keys, none blank, got {metrics!r}")


@pytest.mark.parametrize("top", ["0", "-2", "x"])
def test_rank_refuses_a_top_that_is_not_positive(tmp_path: Path, top: str):
    text = tmp_path / "text.txt"
    text.write_text("Cats are better pets.", encoding="utf-8")
    _refused(mining("data", "rank", str(text), "--top", top), "--top", "at least 1")


def test_debug_shows_the_traceback(tmp_path: Path):
    done = mining("--debug", "run", "experiment=nosuch", cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" in done.stderr and "nosuch" in done.stderr
    done = mining("compare", str(tmp_path / "nosuch"), env={"MINING_DEBUG": "1"})
    assert done.returncode != 0 and "Traceback" in done.stderr and "NotFinishedError" in done.stderr


@pytest.mark.parametrize("error", [ZeroDivisionError, ValueError, FileNotFoundError])
def test_a_bug_keeps_its_traceback(monkeypatch, tmp_path: Path, error: type[Exception]):
    import mining.cli.runs
    from mining.cli import main

    def broken(args):
        raise error("a bug, not bad input")

    monkeypatch.setattr(mining.cli.runs, "_cmd_compare", broken)
    with pytest.raises(error, match="a bug"):
        main(["compare", str(tmp_path)])


def test_a_bug_inside_a_run_keeps_its_traceback(monkeypatch, tmp_path: Path):
    import mining.cli.experiment
    from mining.cli import main

    def broken(cfg):
        return 1 / 0

    monkeypatch.setattr(mining.cli.experiment, "experiment_job", broken)
    monkeypatch.setenv("MINING_HOME", str(tmp_path))
    with pytest.raises(ZeroDivisionError):
        main(["run", "experiment=sample_components", f"hydra.run.dir={tmp_path / 'run'}"])


def test_a_closed_pipe_ends_a_command_quietly():
    """`mining data stats news --json | head -1`: no BrokenPipeError traceback, and the shell's status for it. The
    JSON (over 100 KB) outgrows the pipe's buffer, so the write meets the closed pipe."""
    import subprocess
    import sys

    reader = "import sys; sys.stdin.readline()"
    command = (f"{sys.executable} -m mining.cli data stats news --json | {sys.executable} -c '{reader}'; "
               "exit ${PIPESTATUS[0]}")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 141


def test_help_documents_debug():
    done = mining("--help")
    assert done.returncode == 0 and "--debug" in done.stdout and "MINING_DEBUG" in done.stdout


@pytest.fixture(autouse=True)
def _no_leftover_debug(monkeypatch):
    monkeypatch.delenv("MINING_DEBUG", raising=False)



def test_the_example_metric_of_each_evaluation():
    from mining.cli.experiment import _example_metric

    assert _example_metric("test") == "test.macro_f1 (with subtasks: test.<subtask>.macro_f1)"
    assert _example_metric("cv") == "cv.macro_f1.mean (with subtasks: cv.<subtask>.macro_f1.mean)"


def test_a_sweep_and_a_printout_at_once_are_refused(workdir: Path):
    done = mining("run", "-m", "experiment=sample_stance", "model=logreg,linear_svc", "--cfg", "job", cwd=workdir)
    _refused(done, "-m and --cfg: one at a time")


def test_an_input_that_may_not_be_read_is_not_told_to_be_written_elsewhere(tmp_path: Path, monkeypatch):
    """A corpus file without read permission got the hint "choose a folder you may write to". (Root reads any file,
    so the reader is made to meet the error.)"""
    import errno

    from mining.corpora import jsonl

    source = tmp_path / "locked.jsonl"
    source.write_text('{"id": "a", "text": "Cats rule."}\n', encoding="utf-8")

    def refuse(path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(jsonl, "iter_documents", refuse)
    done = mining("data", "stats", "jsonl", "--path", str(source))
    assert done.returncode == 2 and done.stderr.strip() == (
        f"error: {source}: permission denied; check its permissions: an input must be readable, an output's folder "
        "writable"), done.stderr


def test_a_key_named_twice_in_a_corpus_line_is_one_line_naming_the_file_and_line(tmp_path: Path):
    """`{"id": "b", "text": "x", "text": "y"}` read as the text "y": the first text was dropped without a word."""
    source = tmp_path / "twice.jsonl"
    source.write_text('{"id": "a", "text": "Cats rule."}\n{"id": "b", "text": "Dogs drool.", "text": "Dogs rule."}\n',
                      encoding="utf-8")
    done = mining("data", "stats", "jsonl", "--path", str(source))
    assert done.returncode == 2 and done.stderr.strip() == (
        f'error: {source}:2: invalid JSON: duplicate key "text" at column 36'), done.stderr


def test_what_a_terminal_acts_on_is_printed_escaped(capsys):
    """An error line and a progress line name settings and files of anyone's: their escape sequences (clear the
    screen, set the clipboard), C1 controls and bidirectional overrides reach the terminal as text."""
    from mining.cli.errors import report
    from mining.errors import printable
    from mining.progress import to_stderr

    assert printable("a\x1b[2Jb\x07\x9b\u202ec\r") == "a\\x1b[2Jb\\x07\\x9b\\u202ec\\r"
    assert printable("line\n\tnext ± é “x”") == "line\n\tnext ± é “x”"  # line breaks, tabs and letters stay
    assert printable("שלום\u200f עולם, مرحبا\u061c") == "שלום\u200f עולם, مرحبا\u061c"  # plain right-to-left marks
    report("x: \x1b]52;c;QUFB\x07")
    to_stderr("reproduce: n_jobs=\x1b[2J")
    assert capsys.readouterr().err == "error: x: \\x1b]52;c;QUFB\\x07\nreproduce: n_jobs=\\x1b[2J\n"
