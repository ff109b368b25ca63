"""A run record's JSON and YAML files are read as untrusted: what would hang or exhaust a reader is refused in a
line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mining.errors import RunRecordError
from mining.runs.record import read_resolved_config

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_RUN = ROOT / "tests" / "fixtures" / "runs" / "sweep" / "0"


def _mining(*args: str) -> subprocess.CompletedProcess:
    """``mining ARGS`` in a process of its own, stopped after a minute: the attacks below hung it or filled its
    memory, which in this process would stop the test run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mining", *args], capture_output=True, text=True, timeout=60,
                          env=env, cwd=ROOT)


def _laughs() -> str:
    """1 KB of YAML whose aliases stand for 10⁹ settings: nine levels of ten aliases of the level below."""
    lines = ["l0: &l0 {" + ", ".join(f"{k}: x" for k in "abcdefghij") + "}"]
    for level in range(1, 9):
        lines.append(f"l{level}: &l{level} {{" + ", ".join(f"{k}: *l{level - 1}" for k in "abcdefghij") + "}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def handed_over(tmp_path: Path) -> Path:
    run = tmp_path / "handed-over"
    shutil.copytree(FIXTURE_RUN, run)
    return run


def test_a_config_with_aliases_is_refused(handed_over: Path):
    (handed_over / "config.yaml").write_text(_laughs(), encoding="utf-8")
    with pytest.raises(RunRecordError, match=r"config.yaml: not valid YAML \(an alias \(\*l0\)"):
        read_resolved_config(handed_over)
    done = _mining("compare", str(handed_over))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert f"{handed_over}/config.yaml: not valid YAML (an alias" in done.stderr


@pytest.mark.parametrize("name", ["config.yaml", "metrics.json"])
def test_a_pipe_or_a_device_in_place_of_a_record_file_is_refused(name: str, handed_over: Path):
    (handed_over / name).unlink()
    os.mkfifo(handed_over / name)  # nobody ever writes to it: reading it waited for ever
    done = _mining("compare", str(handed_over))
    assert done.returncode == 2 and f"{handed_over}/{name}: not a regular file" in done.stderr, done.stderr
    (handed_over / name).unlink()
    (handed_over / name).symlink_to("/dev/zero")  # read to its end, it filled the memory
    done = _mining("compare", str(handed_over))
    assert done.returncode == 2, done.stderr
    assert f"{handed_over}/{name}" in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_pipe_in_place_of_a_model_file_is_refused(miner_run: Path, tmp_path: Path):
    run = tmp_path / "bundle"
    shutil.copytree(miner_run, run)
    (run / "tasks.skops").unlink()
    os.mkfifo(run / "tasks.skops")
    text = tmp_path / "in.txt"
    text.write_text("The council should build the bridge.\n", encoding="utf-8")
    done = _mining("label", str(text), "--model", str(run), "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2 and f"{run}/tasks.skops: not a regular file" in done.stderr, done.stderr


def test_json_nested_too_deeply_is_one_line(handed_over: Path):
    (handed_over / "metrics.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    done = _mining("compare", str(handed_over))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{handed_over}/metrics.json: not valid JSON (nested too deeply: line 1 column 100000" in done.stderr


@pytest.mark.parametrize("link", ["config.yaml", ".hydra"])
def test_publish_copies_no_file_from_outside_the_run(link: str, handed_over: Path, tmp_path: Path):
    """A link in a handed-over run would put the file it points at (a key, a password) into the reference."""
    secret = tmp_path / "home" / ".hydra" / "overrides.yaml"
    secret.parent.mkdir(parents=True)
    secret.write_text("password: hunter2\n", encoding="utf-8")
    (handed_over / ".hydra").mkdir()
    (handed_over / ".hydra" / "overrides.yaml").write_text("- model=logreg\n", encoding="utf-8")
    shutil.rmtree(handed_over / link) if link == ".hydra" else (handed_over / link).unlink()
    (handed_over / link).symlink_to(secret if link == "config.yaml" else secret.parent)
    dest = tmp_path / "published"
    done = _mining("publish", str(handed_over), str(dest))
    assert not any("hunter2" in p.read_text(encoding="utf-8") for p in dest.rglob("*") if p.is_file())
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    name = "config.yaml" if link == "config.yaml" else ".hydra/overrides.yaml"
    assert f"{handed_over}/{name}: not a file of the run itself" in done.stderr, done.stderr


@pytest.mark.parametrize(("command", "name"), [("compare", "config.yaml"), ("compare", "meta.json"),
                                             ("compare", "metrics.json"), ("reproduce", ".hydra/overrides.yaml")])
def test_a_record_file_linked_out_of_the_run_is_not_read(command: str, name: str, handed_over: Path, tmp_path: Path):
    """`compare` prints a config's values: `config.yaml -> ~/.config/gh/hosts.yml` in a handed-over run would print
    the token into a table someone pastes into a pull request."""
    secret = tmp_path / "home" / "hosts.yml"
    secret.parent.mkdir()
    secret.write_text('{"oauth_token": "hunter2"}\n', encoding="utf-8")
    (handed_over / ".hydra").mkdir(exist_ok=True)
    (handed_over / name).unlink(missing_ok=True)
    (handed_over / name).symlink_to(secret)
    done = _mining(command, str(handed_over))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "hunter2" not in done.stdout + done.stderr
    assert f"{handed_over}/{name}: not a file of the run itself (a link out of it, to {secret})" in done.stderr


def test_a_record_file_linked_inside_the_run_is_read(handed_over: Path):
    (handed_over / "config.yaml").rename(handed_over / "config.kept.yaml")
    (handed_over / "config.yaml").symlink_to("config.kept.yaml")
    done = _mining("compare", str(handed_over))
    assert done.returncode == 0, done.stderr


def test_a_reference_the_user_pipes_in_is_read(tmp_path: Path):
    """`reproduce RUN --against <(jq ... metrics.json)`: the user's own file may be a pipe; a record's may not."""
    import threading

    from mining.runs.jsonfile import read_json_object

    fifo = tmp_path / "against"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text('{"test.macro_f1": 0.5}', encoding="utf-8"))
    writer.start()
    assert read_json_object(fifo, pipe=True) == {"test.macro_f1": 0.5}
    writer.join(timeout=10)
    with pytest.raises(RunRecordError, match="not a regular file"):
        read_json_object(fifo)


def test_compare_prints_the_control_characters_of_a_record_escaped(handed_over: Path, tmp_path: Path):
    """A terminal acts on an escape sequence printed as it is: ``ESC ]52;`` sets the clipboard, ``ESC [2J`` clears
    the screen. `mining compare` printed a crafted record's settings and metric names raw, in its table, its CSV
    and its error line."""
    import json

    other = tmp_path / "other"
    shutil.copytree(FIXTURE_RUN, other)
    config = (handed_over / "config.yaml").read_text(encoding="utf-8")
    (handed_over / "config.yaml").write_text(config.replace("seed: 0", 'seed: "\\e]52;c;QUFB\\a"'), encoding="utf-8")
    metrics = json.loads((handed_over / "metrics.json").read_text(encoding="utf-8"))
    (handed_over / "metrics.json").write_text(json.dumps({**metrics, "test.f1\x1b[2J": 0.5}), encoding="utf-8")
    for fmt in ("table", "markdown", "csv"):
        done = _mining("compare", str(handed_over), str(other), "--format", fmt, "--metrics", "test.f1\x1b[2J")
        assert done.returncode == 0 and "\x1b" not in done.stdout + done.stderr, done.stdout + done.stderr
        assert "\\x1b]52;c;QUFB\\x07" in done.stdout and "test.f1\\x1b[2J" in done.stdout, done.stdout
    done = _mining("compare", str(handed_over), "--metrics", "test.f1")
    assert done.returncode == 2 and "\x1b" not in done.stderr and "test.f1\\x1b[2J" in done.stderr, done.stderr


def test_a_record_file_linked_inside_the_run_is_published_as_the_file(handed_over: Path, tmp_path: Path):
    """compare read it and publish refused it: one rule now, the link's own file copied."""
    (handed_over / ".hydra").mkdir()
    (handed_over / ".hydra" / "overrides.yaml").write_text("- model=logreg\n", encoding="utf-8")
    (handed_over / "config.yaml").rename(handed_over / "config.kept.yaml")
    (handed_over / "config.yaml").symlink_to("config.kept.yaml")
    dest = tmp_path / "published"
    done = _mining("publish", str(handed_over), str(dest))
    assert done.returncode == 0, done.stderr
    copy = dest / "config.yaml"
    assert not copy.is_symlink() and copy.read_bytes() == (handed_over / "config.kept.yaml").read_bytes()


@pytest.mark.parametrize(("name", "contents", "words"), [
    ("config.yaml", "a: [\n", "config.yaml: not valid YAML"),
    (".hydra/overrides.yaml", "- model=logreg\n- [1]\n", ".hydra/overrides.yaml: expected a list of overrides"),
])
def test_publish_refuses_a_record_reproduce_would_refuse(name: str, contents: str, words: str, handed_over: Path,
                                                         tmp_path: Path):
    """A config or overrides file that is no YAML was copied into the reference, which `mining reproduce` then
    refused: published, it could never be re-run."""
    (handed_over / ".hydra").mkdir()
    (handed_over / ".hydra" / "overrides.yaml").write_text("- model=logreg\n", encoding="utf-8")
    (handed_over / name).write_text(contents, encoding="utf-8")
    dest = tmp_path / "published"
    done = _mining("publish", str(handed_over), str(dest))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert f"{handed_over}/{words}" in done.stderr and not dest.exists()


def test_a_reference_that_is_a_folder_is_named_as_one(handed_over: Path, tmp_path: Path):
    """`reproduce --against FOLDER` said "FOLDER: no such file" of a folder that is there."""
    (tmp_path / "reference").mkdir()
    done = _mining("reproduce", str(handed_over), "--against", str(tmp_path / "reference"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert f"{tmp_path / 'reference'}: a folder, not a JSON file" in done.stderr


def test_a_failed_txt_that_is_no_file_of_the_run_is_not_read(tmp_path: Path):
    """``mining compare`` prints the first line of a job's ``failed.txt``: in a folder someone handed over, a link there
    (to a token, say) is not followed, a pipe is not waited on, and a huge file is read only in part."""
    from mining.runs.record import FAILED, failure_of, record_failure

    secret = tmp_path / "hosts.yml"
    secret.write_text("oauth_token: abc\n", encoding="utf-8")
    linked, piped, huge, written = (tmp_path / name for name in ("linked", "piped", "huge", "written"))
    for run in (linked, piped, huge, written):
        (run / ".hydra").mkdir(parents=True)
    (linked / FAILED).symlink_to(secret)
    os.mkfifo(piped / FAILED)
    (huge / FAILED).write_bytes(b"x" * 10_000_000 + b"\n")
    record_failure(written, "  model.C: must be above 0\nmore  \n")
    assert failure_of(linked) is None and failure_of(piped) is None
    assert failure_of(huge) == "x" * 4096
    assert failure_of(written) == "model.C: must be above 0"
    done = _mining("compare", str(tmp_path))
    assert "abc" not in done.stdout + done.stderr, done.stderr
    assert f"{written} (model.C: must be above 0)" in done.stderr and f"{huge} ({'x' * 117}...)" in done.stderr
    assert f"killed or still running): {linked}, {piped}" in done.stderr, done.stderr


def test_failed_txt_takes_any_message_and_never_sits_beside_a_record(tmp_path: Path):
    """A message naming a file whose name is no UTF-8 made the writer raise inside the error handler (a traceback in
    place of the one-line error); an error after the record was written (a sweep's missing metric) wrote failed.txt
    beside a finished record; a folder named failed.txt made every later run there fail."""
    from mining.runs.record import FAILED, clear_failure, failure_of, record_failure

    record_failure(tmp_path, "corpus/\udcff.jsonl: not JSON")
    assert failure_of(tmp_path) == "corpus/\\udcff.jsonl: not JSON"
    clear_failure(tmp_path)
    assert not (tmp_path / FAILED).exists()
    (tmp_path / "metrics.json").write_text("{}", encoding="utf-8")
    record_failure(tmp_path, "optimized_metric=test.macro_f1x: no such metric")
    assert not (tmp_path / FAILED).exists()
    (tmp_path / FAILED).mkdir()
    clear_failure(tmp_path)
    assert (tmp_path / FAILED).is_dir() and failure_of(tmp_path) is None
