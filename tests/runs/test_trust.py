"""A run directory from someone else runs no code: model files load with an allow-list of exact types."""

from __future__ import annotations

import importlib
import inspect
import io
import json
import pkgutil
import shutil
import zipfile
from pathlib import Path

import pytest
import skops.io as sio
import spacy
from sklearn.base import BaseEstimator

import mining
from mining.label.miner import ArgumentMiner
from mining.runs.record import MODEL, TASKS
from mining.runs.trust import UntrustedModelError, load_trusted, trusted_types
from tests.helpers import run_mining


def _exec_payload(marker: Path) -> bytes:
    """A skops file whose loading calls ``builtins.exec`` with code that writes ``marker``."""
    template = sio.dumps(("x",))
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        schema = json.loads(z.read("schema.json"))
    code = f"open({str(marker)!r}, 'w').write('ran')"
    schema.update({"__class__": "exec", "__module__": "builtins", "__loader__": "ConstructorFromReduceNode",
                   "content": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
                               "content": [{"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode",
                                            "content": json.dumps(code), "is_json": True, "__id__": 1}],
                               "__id__": 2}})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("schema.json", json.dumps(schema))
    return buffer.getvalue()


def test_the_payload_really_runs_code_when_trusted(tmp_path: Path):
    """The crafted file is a real attack: trusting what it asks for executes it."""
    marker = tmp_path / "ran"
    data = _exec_payload(marker)
    assert sio.get_untrusted_types(data=data) == ["builtins.exec"]
    sio.loads(data, trusted=["builtins.exec"])
    assert marker.read_text() == "ran"


@pytest.fixture(params=[TASKS, MODEL])
def malicious_run(request, miner_run: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of a finished miner run whose tasks.skops (or model.skops) runs code on load."""
    run = tmp_path / "downloaded-run"
    shutil.copytree(miner_run, run)
    marker = tmp_path / "code-ran"
    (run / request.param).write_bytes(_exec_payload(marker))
    return run, marker


def test_cli_refuses_a_malicious_run(malicious_run, tmp_path: Path):
    run, marker = malicious_run
    text = tmp_path / "in.txt"
    text.write_text("The council should build the bridge.\n", encoding="utf-8")
    done = run_mining("label", str(text), "--model", str(run), "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2
    assert "builtins.exec" in done.stderr and "refused" in done.stderr
    assert "Traceback" not in done.stderr
    assert not marker.exists() and not (tmp_path / "out.jsonl").exists()


def test_python_api_refuses_a_malicious_run(malicious_run):
    run, marker = malicious_run
    with pytest.raises(UntrustedModelError, match="builtins.exec"):
        ArgumentMiner.from_run(run)
    assert not marker.exists()


def test_spacy_component_refuses_a_malicious_run(malicious_run):
    run, marker = malicious_run
    nlp = spacy.blank("en")
    with pytest.raises(UntrustedModelError, match="builtins.exec"):
        nlp.add_pipe("argument_miner", config={"run": str(run), "strict_pipeline": False})
    assert not marker.exists()


def test_a_truncated_model_file_is_refused_not_a_traceback(tmp_path: Path):
    path = tmp_path / MODEL
    path.write_bytes(sio.dumps({"a": 1})[:40])
    with pytest.raises(UntrustedModelError, match="not a readable model file"):
        load_trusted(path)


class _Payload:
    def __reduce__(self):
        return print, ("unpickled",)


def test_an_array_of_objects_is_refused_in_a_line_not_unpickled(tmp_path: Path):
    """A file of listed types whose .npy member holds dtype object (a pickle): numpy refuses to unpickle it, and
    that ValueError reached `mining label` as a traceback."""
    import numpy as np

    objects = io.BytesIO()
    np.save(objects, np.array([_Payload()], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(io.BytesIO(sio.dumps({"weights": np.zeros(3)}))) as z:
        members = {name: z.read(name) for name in z.namelist()}
    path = tmp_path / MODEL
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, objects.getvalue() if name.endswith(".npy") else data)
    with pytest.raises(UntrustedModelError, match=r"model.skops: its objects could not be rebuilt \(ValueError: "
                                                  "Object arrays cannot be loaded when allow_pickle=False"):
        load_trusted(path)


def test_a_trained_bundle_asks_only_for_listed_types(miner_run: Path):
    for name in (MODEL, TASKS):
        assert set(sio.get_untrusted_types(file=miner_run / name)) <= trusted_types()


def test_every_estimator_the_package_defines_is_listed():
    """A new estimator must be added to the allow-list on purpose, or its runs would not load."""
    defined = set()
    for info in pkgutil.walk_packages(mining.__path__, "mining."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (cls.__module__ == module.__name__ and issubclass(cls, BaseEstimator)
                    and not cls.__name__.startswith("_")):
                defined.add(f"{cls.__module__}.{cls.__qualname__}")
    assert defined and defined <= trusted_types(), sorted(defined - trusted_types())


@pytest.mark.parametrize("name", [MODEL, TASKS])
def test_a_model_file_that_links_out_of_the_run_is_not_read(tmp_path: Path, name: str):
    """A run folder handed over with ``tasks.skops -> /etc/shadow`` had mining open that file (the record's other files
    were guarded); a link to a model of the package out of the run was loaded. Both are refused; a link inside the run
    is read."""
    from mining.errors import RunRecordError
    from mining.runs.record import load_model, load_tasks

    shipped = Path(mining.__file__).parent / "label" / "default_model"
    run = tmp_path / "run"
    shutil.copytree(shipped, run)
    (run / name).unlink()
    (run / name).symlink_to(shipped / name)
    load = load_model if name == MODEL else load_tasks
    with pytest.raises(RunRecordError, match=f"{name}: not a file of the run itself \\(a link out of it"):
        load(run)
    (run / name).unlink()
    shutil.copy(shipped / name, run / f"real-{name}")
    (run / name).symlink_to(run / f"real-{name}")
    assert load(run) is not None


def test_a_model_file_not_fetched_from_git_annex_says_to_fetch_it(tmp_path: Path):
    """A run checked in with git-annex whose model.skops was not fetched was called "not a finished run": the link
    to the store's missing object exists only as a link."""
    from mining.errors import RunRecordError
    from mining.runs.record import load_model

    run = tmp_path / "repo" / "run"
    shutil.copytree(Path(mining.__file__).parent / "label" / "default_model", run)
    (run / MODEL).unlink()
    (run / MODEL).symlink_to("../.git/annex/objects/ab/cd/KEY/KEY")
    with pytest.raises(RunRecordError, match="its content is not in this checkout .*`git annex get`"):
        load_model(run)
