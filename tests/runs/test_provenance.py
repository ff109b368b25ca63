"""`mining reproduce` says why a re-run differs: the parses, the platform, the code, the predictions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from mining.nlp.cache import SUFFIX, write_cache
from mining.runs.provenance import documents_line, explain, platform_lines, prediction_line
from mining.runs.reproduce import differences, new_metrics
from tests.helpers import run_mining


def _platform(kernel: str, threads: int = 2, **extra) -> dict:
    return {"cpu": "AMD EPYC", "cpu_flags": ["avx2", "avx512f"], "environment": {},
            "blas": [{"library": "openblas", "file": "libopenblas.so", "architecture": kernel, "threads": threads},
                     {"library": "openmp", "file": "libgomp.so", "architecture": None, "threads": 8}], **extra}


def test_the_blas_kernel_is_named_when_it_differs():
    lines = platform_lines(_platform("Haswell"), _platform("SkylakeX"))
    assert lines == ["platform differs: BLAS kernel of openblas (libopenblas.so) haswell vs skylakex"]
    assert platform_lines(_platform("Haswell"), _platform("Haswell")) == []


def test_blas_threads_count_only_when_the_fit_did_not_fix_them():
    assert platform_lines(_platform("Haswell", 2), _platform("Haswell", 64)) == [
        "platform differs: BLAS threads of openblas (libopenblas.so) 2 vs 64"]
    fixed_a, fixed_b = _platform("Haswell", 2, fit_blas_threads=1), _platform("Haswell", 64, fit_blas_threads=1)
    assert platform_lines(fixed_a, fixed_b) == []


def test_thread_variables_are_no_cause_but_a_kernel_variable_is():
    """A sweep's parallel jobs run with OMP_NUM_THREADS=1 and the like set; the BLAS threads show what they did."""
    sweep_job = _platform("Haswell", fit_blas_threads=1, environment={"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    assert platform_lines(sweep_job, _platform("Haswell", fit_blas_threads=1)) == []
    forced = _platform("Haswell", environment={"OPENBLAS_CORETYPE": "Haswell"})
    assert platform_lines(forced, _platform("Haswell")) == [
        "platform differs: environment {'OPENBLAS_CORETYPE': 'Haswell'} vs {}"]


def test_documents_line_names_the_changed_documents_and_counts_all():
    a = {"fingerprint": "x", "documents": {f"d{i}": "0" for i in range(10)}}
    b = {"fingerprint": "y", "documents": {**a["documents"], "d3": "1"}}
    assert documents_line("the parses differ", a, b) == "the parses differ in 1 of 10 documents: d3"
    assert documents_line("the parses differ", a, a) is None
    assert documents_line("the parses differ", None, b) == "the parses: not recorded, so not compared"


def test_an_older_record_is_not_compared_where_it_recorded_nothing():
    same = {"git": {"sha": "abc", "dirty": False}, "packages": {"numpy": "2.4"}, "data": {"fingerprint": "f"}}
    assert explain(same, {**same, "parses": {}, "platform": _platform("Haswell")}) == [
        "the parses: not recorded, so not compared", "platform: not recorded, so not compared"]
    newer = {**same, "git": {"sha": "def", "dirty": True}, "packages": {"numpy": "2.5"}}
    assert explain(same, newer)[:2] == ["code differs: recorded abc, re-run def (dirty)",
                                        "packages differ: numpy 2.4 vs 2.5"]


def test_a_code_difference_says_whether_code_or_configs_changed(tmp_path, monkeypatch):
    import subprocess

    from mining.runs import provenance

    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True,
                              capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    for path, text in (("mining/a.py", "x = 1\n"), ("docs/a.md", "a\n"), ("mining/a.py", "x = 2\n")):
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(text)
        git("add", "-A")
        git("commit", "-q", "-m", path)
    first, docs, code = git("rev-list", "--reverse", "HEAD").split()
    assert provenance.code_changes(first, docs, cwd=tmp_path) == []
    assert provenance.code_changes(docs, code, cwd=tmp_path) == ["mining/a.py"]
    assert provenance.code_changes(first, "0" * 40, cwd=tmp_path) is None  # a commit this checkout lacks
    original = provenance.code_changes
    monkeypatch.setattr(provenance, "code_changes", lambda a, b: original(a, b, cwd=tmp_path))
    assert provenance._code({"sha": docs}, {"sha": code}).endswith(
        "(1 file(s) of mining or configs changed between the two commits: mining/a.py)")
    assert provenance._code({"sha": first}, {"sha": docs}).endswith(
        "(no file of mining or configs changed between the two commits)")


def test_metrics_new_in_the_code_are_listed_apart_not_as_differences():
    recorded, rerun = {"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 2], "found.x": 0.5}
    assert differences(recorded, rerun) == []
    assert new_metrics(recorded, rerun) == ["found.x"]
    assert differences(recorded, {"a": 2}) == ["a: recorded 1, re-run 2", "b: recorded [1, 2], missing in the re-run"]
    # as the metrics file and the configs spell them, not Python's True and None
    assert differences({"converged": True, "note": None}, {"converged": False, "note": "x"}) == [
        "converged: recorded true, re-run false", "note: recorded null, re-run 'x'"]


def test_the_predictions_fingerprint_follows_the_labels_not_the_run_directory():
    from mining.runs.record import predictions_fingerprint
    from mining.schema import Document, Unit

    def doc(label: str, run: str) -> Document:
        return Document(id="d1", text="Cars pollute.", units=[Unit(id="T1", start=0, end=12, text="Cars pollute",
                                                                  label=label)],
                        metadata={"subtask": "end_to_end", "labelled_by": {"runs": {"components": run}}})

    here = predictions_fingerprint([doc("claim", "/tmp/a")])
    assert list(here["documents"]) == ["end_to_end/d1"]
    assert predictions_fingerprint([doc("claim", "/tmp/b")]) == here
    assert predictions_fingerprint([doc("premise", "/tmp/a")])["fingerprint"] != here["fingerprint"]


def _change_one_parse(cache_dir: Path, index: int) -> None:
    """Give one document's first token another tag in every cached corpus, keeping each file's checksum valid."""
    vocab = spacy.blank("en").vocab
    for path in sorted(cache_dir.glob(f"*{SUFFIX}")):
        docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(vocab))
        docs[index][0].tag_ = "XX" if docs[index][0].tag_ != "XX" else "YY"
        write_cache(path, docs)


def test_reproduce_names_the_document_whose_parse_changed(sample_run, tmp_path):
    """A copy of the run's parse cache with one document's parse changed: the re-run reads it, and
    reproduce says which document's parse differs from the record."""
    run = sample_run("sample_stance")
    cache = tmp_path / ".cache" / "mining"
    shutil.copytree(run.parents[1] / ".cache" / "mining", cache)
    recorded = json.loads((run / "meta.json").read_text())["parses"]["documents"]
    changed = list(recorded)[2]
    _change_one_parse(cache, 2)
    done = run_mining("reproduce", str(run), cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert f"the parses differ in 1 of {len(recorded)} documents: {changed}" in done.stdout, done.stdout
    assert "platform differs" not in done.stdout and "code differs" not in done.stdout


def test_reproduce_of_an_unchanged_run_names_no_cause(sample_run, tmp_path):
    run = sample_run("sample_stance")
    shutil.copytree(run.parents[1] / ".cache" / "mining", tmp_path / ".cache" / "mining")
    done = run_mining("reproduce", str(run), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert done.stdout.startswith("reproduced: all ") and "differ" not in done.stdout, done.stdout


def test_changed_predictions_are_one_line_that_the_reference_test_reads():
    """tests/test_references.py fails a re-run whose output holds this line: its wording is pinned here."""
    a = {"predictions": {"fingerprint": "x", "documents": {"end_to_end/d1": "1", "end_to_end/d2": "2"}}}
    b = {"predictions": {"fingerprint": "y", "documents": {"end_to_end/d1": "1", "end_to_end/d2": "3"}}}
    assert prediction_line(a, b) == "predictions differ in 1 of 2 documents: end_to_end/d2"
    assert prediction_line(a, a) is None
