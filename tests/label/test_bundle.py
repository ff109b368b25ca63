"""describe_bundle: the one line `mining label` prints about the model, from the run's meta.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mining.label.bundle import describe_bundle
from tests.helpers import copy_entry


def test_the_line_names_domain_and_training_data(tmp_path: Path):
    (tmp_path / "meta.json").write_text(json.dumps({
        "domain": "news", "data": {"name": "news", "documents": 32, "training_documents": 20}}))
    assert describe_bundle(tmp_path) == f"model: {tmp_path} (news, trained on news: 20 of 32 documents)"
    (tmp_path / "config.yaml").write_text("data:\n  name: news\n  sample_news: true\n")
    assert describe_bundle(tmp_path) == \
        f"model: {tmp_path} (news, trained on news and the sample's news reports: 20 of 32 documents)"


def test_older_runs_and_missing_records(tmp_path: Path):
    assert describe_bundle(tmp_path) is None  # loading the bundle says what is wrong
    (tmp_path / "meta.json").write_text(json.dumps({"data": {"name": "aaec", "documents": 402}}))
    assert describe_bundle(tmp_path) == f"model: {tmp_path} (domain not recorded, trained on aaec)"


def _bundle(tmp_path: Path, change) -> Path:
    """The default model's run directory (its model files linked, not copied) with ``change`` made to its meta."""
    from mining.label.bundle import default_model

    run = tmp_path / "model"
    run.mkdir()
    for path in default_model().iterdir():
        if path.name == "meta.json":
            meta = json.loads(path.read_text(encoding="utf-8"))
            change(meta)
            (run / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        else:
            copy_entry(path, run / path.name)
    return run


def _set(key: str, value):
    return lambda meta: meta.__setitem__(key, value)


def _set_pipeline(key: str, value):
    return lambda meta: meta["spacy_pipeline"].__setitem__(key, value)


# (case id, the change to meta.json, what the error says after "DIR/meta.json: ")
META_CASES = [
    ("pipeline-extra-key", _set_pipeline("extra", 1), "its 'spacy_pipeline' has the unknown field(s) extra"),
    ("pipeline-missing-key", lambda meta: meta["spacy_pipeline"].pop("lang"), "its 'spacy_pipeline' has no lang"),
    ("pipeline-string", _set("spacy_pipeline", "x"), "its 'spacy_pipeline' must be an object, got a str"),
    ("pipeline-exclude-int", _set_pipeline("exclude", 5), "its 'spacy_pipeline.exclude' must be a list of strings"),
    ("pipeline-version-list", _set_pipeline("version", [1]), "its 'spacy_pipeline.version' must be a string"),
    ("pipeline-line-sentences", _set_pipeline("line_sentences", "yes"),
     "its 'spacy_pipeline.line_sentences' must be true or false"),
    # spaCy loads a folder it is given (its config.cfg chooses what is built) and imports a package by name
    ("pipeline-path", _set_pipeline("package", "/tmp/pipeline"),
     "its 'spacy_pipeline.package' '/tmp/pipeline' is no package name"),
    ("pipeline-dotted", _set_pipeline("package", "os.path"), "its 'spacy_pipeline.package' 'os.path' is no package"),
    ("domain-dict", _set("domain", {"a": 1}), "its 'domain' must be a string, got a dict"),
    ("data-list", _set("data", [1]), "its 'data' must be an object, got a list"),
]


@pytest.mark.parametrize(("change", "problem"), [c[1:] for c in META_CASES], ids=[c[0] for c in META_CASES])
def test_label_names_the_field_of_a_meta_file_of_the_wrong_shape(tmp_path: Path, change, problem: str):
    """Each was a TypeError or AttributeError traceback from `mining label --model DIR`."""
    from tests.helpers import run_mining

    run = _bundle(tmp_path, change)
    text = tmp_path / "in.txt"
    text.write_text("The council should build the bridge.\n", encoding="utf-8")
    done = run_mining("label", str(text), "--model", str(run), "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"error: {run}/meta.json: {problem}" in done.stderr, done.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_label_prints_the_model_s_line_with_its_control_characters_escaped(tmp_path: Path):
    """The model's domain and training data come from its meta.json, anyone's: an escape sequence in them printed
    as it is sets the terminal's clipboard (ESC ]52;) or clears the screen."""
    from tests.helpers import run_mining

    def change(meta):
        meta["domain"], meta["data"]["name"] = "news\x1b]52;c;QUFB\x07", "x\x1b[2J"
        meta["spacy_pipeline"]["package"] = "/nowhere"  # stops it before the model loads

    run = _bundle(tmp_path, change)
    text = tmp_path / "in.txt"
    text.write_text("The council should build the bridge.\n", encoding="utf-8")
    done = run_mining("label", str(text), "--model", str(run), "-o", str(tmp_path / "out.jsonl"))
    assert "\x1b" not in done.stderr and "(news\\x1b]52;c;QUFB\\x07, trained on x\\x1b[2J" in done.stderr, done.stderr
