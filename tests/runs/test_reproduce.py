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
