"""The custom loader: the format told from the path, by the LOADERS names, and `mining run data=custom`."""

from __future__ import annotations

import json
import re
from importlib import import_module
from pathlib import Path

import pytest

from mining.corpora import LOADERS, brat, custom, hf, jsonl, load_corpus
from mining.errors import CorpusError
from tests.helpers import run_mining as mining


@pytest.fixture(scope="module")
def sample_docs() -> list:
    return load_corpus("sample")


@pytest.fixture(scope="module")
def formats(tmp_path_factory, sample_docs) -> dict[str, Path]:
    """The sample corpus as a JSONL file, a folder of JSONL, a brat folder and an HF dataset folder."""
    root = tmp_path_factory.mktemp("formats")
    jsonl.save(sample_docs, root / "sample.jsonl")
    jsonl.save(sample_docs[:3], root / "folder" / "part.jsonl")
    brat.save(sample_docs, root / "brat")
    hf.to_dataset(sample_docs).save_to_disk(str(root / "hf"))
    return {"jsonl": root / "sample.jsonl", "folder": root / "folder", "brat": root / "brat", "hf": root / "hf"}


@pytest.mark.parametrize(("kind", "expected"), [("jsonl", "jsonl"), ("folder", "jsonl"), ("brat", "brat"),
                                                ("hf", "hf")])
def test_detects_each_format_and_loads_it(formats, sample_docs, kind, expected):
    assert custom.detect_format(formats[kind]) == expected
    docs = custom.load(formats[kind])
    assert docs == (sample_docs[:3] if kind == "folder" else sample_docs)
    assert load_corpus("custom", formats[kind]) == docs


def test_format_can_be_forced(formats):
    with pytest.raises(CorpusError, match="no \\*.txt files found"):
        custom.load(formats["folder"], format="brat")
    with pytest.raises(CorpusError, match="unknown format 'nope'"):
        custom.load(formats["jsonl"], format="nope")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


LABEL_STUDIO = [{"id": 1, "data": {"text": "Cats rule."}, "annotations": [{"result": []}]}]
DOCCANO = {"id": 1, "text": "Cats rule.", "label": [[0, 9, "claim"]]}


def test_label_studio_and_doccano_are_told_by_their_records(tmp_path: Path, monkeypatch):
    studio = _write(tmp_path / "export.json", json.dumps(LABEL_STUDIO))
    doccano = _write(tmp_path / "admin.jsonl", json.dumps(DOCCANO) + "\n")
    # registered (as the labelstudio/doccano loaders will be): detection answers their names
    monkeypatch.setitem(LOADERS, "labelstudio", "tests.corpora.test_custom:fake_loader")
    monkeypatch.setitem(LOADERS, "doccano", "tests.corpora.test_custom:fake_loader")
    assert custom.detect_format(studio) == "labelstudio"
    assert custom.detect_format(doccano) == "doccano"
    assert custom.load(studio)[0].id == "export"


@pytest.mark.parametrize(("name", "fmt"), [("tasks.json", "labelstudio"), ("admin.jsonl", "doccano")])
def test_exports_written_by_the_registered_loaders_are_detected(tmp_path: Path, sample_docs, name, fmt):
    writer = import_module(LOADERS[fmt].split(":")[0])
    writer.save(sample_docs[:3], tmp_path / name)
    assert custom.detect_format(tmp_path / name) == fmt
    assert custom.load(tmp_path / name) == sample_docs[:3]


def test_a_single_label_studio_task_is_detected(tmp_path: Path, monkeypatch):
    monkeypatch.setitem(LOADERS, "labelstudio", "tests.corpora.test_custom:fake_loader")
    task = _write(tmp_path / "task.json", json.dumps(LABEL_STUDIO[0], indent=2))
    assert custom.detect_format(task) == "labelstudio"
    folder = tmp_path / "tasks"
    folder.mkdir()
    _write(folder / "a.json", json.dumps(LABEL_STUDIO))
    assert custom.detect_format(folder) == "labelstudio"


def test_label_studio_tasks_to_import_are_detected(tmp_path: Path):
    """Tasks written for Label Studio to import have their text in "data" and no annotations yet."""
    tasks = [{"id": 3, "data": {"text": "Cats rule."}}]
    assert custom.detect_format(_write(tmp_path / "one.json", json.dumps(tasks[0]))) == "labelstudio"
    assert custom.detect_format(_write(tmp_path / "all.json", json.dumps(tasks))) == "labelstudio"


def test_an_unregistered_export_format_is_named(tmp_path: Path, monkeypatch):
    studio = _write(tmp_path / "export.json", json.dumps(LABEL_STUDIO))
    monkeypatch.delitem(LOADERS, "labelstudio", raising=False)
    with pytest.raises(CorpusError, match=r"export\.json: looks like a Label Studio JSON export, but no "
                                          r"'labelstudio' loader is registered"):
        custom.detect_format(studio)


def fake_loader(path, **options):
    from mining.schema import Document

    return [Document(id=Path(path).stem, text="Cats rule.")]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.csv", "a,b\n", "cannot tell the format of this file"),
    ("odd.jsonl", '{"name": "x"}\n', "cannot tell the format from the first record"),
    ("broken.json", "[{", "invalid JSON"),
    ("empty.json", "[]", "an empty JSON array"),
    ("min.json", '[{"id": 1, "text": "Cats rule.", "label": [{"start": 0, "end": 4, "labels": ["claim"]}]}]',
     "a Label Studio JSON-MIN export"),
    ("records.json", '[{"id": "a", "text": "Cats rule."}]', "one JSON object per line, not an array"),
])
def test_undetectable_files_are_clear_errors(tmp_path: Path, name, content, message):
    path = _write(tmp_path / name, content)
    with pytest.raises(CorpusError, match=message) as info:
        custom.detect_format(path)
    assert str(info.value).startswith(str(path))


LINE = json.dumps({"id": "d1", "text": "Cats rule."})


@pytest.mark.parametrize(("name", "content", "where"), [
    ("cut.jsonl", "\n" + LINE[:-1] + "\n" + LINE + "\n", f":2: invalid JSON: .* at column {len(LINE)}$"),
    ("escape.jsonl", LINE.replace("Cats", "\\ud800ats") + "\n", r":1: invalid JSON: \"text\" holds a lone surrogate"),
    ("task.json", '{\n "data": {"text": "Cats rule."},\n "annotations": [}\n', ":3: invalid JSON: .* at column 18$"),
    ("latin.jsonl", (LINE.replace("Cats", "Caf\u00e9s") + "\n") * 2,
     r":1: not valid UTF-8: byte 0xe9, the line's byte 26;"),
])
def test_a_first_record_that_cannot_be_read_is_named_by_its_line(tmp_path: Path, name, content, where):
    """Detection read the first record and, when it was no JSON, said only "cannot tell the format from the first
    record; pass --format" (the cause unnamed, the option one `mining run` has not); a byte that is not UTF-8 was named
    by its place in a chunk the decoder read, and no line."""
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1" if name.startswith("latin") else "utf-8"))
    with pytest.raises(CorpusError) as info:
        custom.load(path)
    assert re.match(re.escape(str(path)) + where, str(info.value)), str(info.value)


def test_undetectable_folders_and_missing_paths_are_clear_errors(tmp_path: Path):
    with pytest.raises(CorpusError, match="cannot tell the format of this folder"):
        custom.detect_format(tmp_path)
    with pytest.raises(CorpusError, match="no such file or folder"):
        custom.detect_format(tmp_path / "missing")
    with pytest.raises(CorpusError, match="pass the folder"):
        custom.detect_format(_write(tmp_path / "a.ann", ""))


def test_run_with_an_undetectable_path_fails_cleanly(tmp_path: Path):
    done = mining("run", "experiment=sample_components", "data=custom", f"data.path={tmp_path}",
                  f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert done.returncode == 2
    assert "cannot tell the format of this folder" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["brat", "jsonl"])
def test_run_data_custom(formats, sample_docs, tmp_path: Path, kind):
    run_dir = tmp_path / "run"
    done = mining("run", "experiment=sample_components", "data=custom", f"data.path={formats[kind]}",
                  f"hydra.run.dir={run_dir}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    meta = json.loads((run_dir / "meta.json").read_text())
    assert meta["data"]["name"] == "custom" and meta["choices"]["data"] == "custom"
    assert meta["data"]["fingerprint"] == jsonl.fingerprint(sample_docs)  # the brat round trip loses nothing
    assert "test.macro_f1" in json.loads((run_dir / "metrics.json").read_text())


def test_a_repeated_document_id_is_refused_by_convert_and_run(tmp_path: Path, sample_docs):
    """`data convert` (load_corpus) and `mining run data=custom` (custom.load) refuse it as `data validate` does."""
    twice = tmp_path / "twice.jsonl"
    jsonl.save([sample_docs[0], sample_docs[1], sample_docs[0]], twice)
    doc_id = sample_docs[0].id
    message = f"{twice} [{doc_id}]: duplicate document id {doc_id!r}"
    for load in (lambda: custom.load(twice), lambda: load_corpus("jsonl", twice), lambda: load_corpus("custom", twice)):
        with pytest.raises(CorpusError) as caught:
            load()
        assert str(caught.value) == message
    for to in ("jsonl", "labelstudio", "doccano", "hf"):
        out = tmp_path / f"out-{to}"
        done = mining("data", "convert", "jsonl", "--path", str(twice), "--to", to, "-o", str(out))
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert not out.exists()
    done = mining("run", "experiment=sample_components", "data=custom", f"data.path={twice}",
                  f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_the_shipped_corpora_have_unique_ids():
    for name in ("sample", "news"):
        docs = load_corpus(name)
        assert docs and len({d.id for d in docs}) == len(docs)


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "labelstudio"])
def test_a_byte_order_mark_that_starts_a_file_is_dropped(tmp_path: Path, sample_docs, fmt: str):
    """Windows editors start a UTF-8 file with one; every loader of a JSON or JSONL file reads past it."""
    from mining.dataset.validation import validate_path

    path = tmp_path / ("tasks.json" if fmt == "labelstudio" else "docs.jsonl")
    import_module(f"mining.corpora.{fmt}").save(sample_docs[:2], path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert custom.detect_format(path) == fmt
    assert custom.load(path) == sample_docs[:2]
    assert not [p for p in validate_path(path, strict=False) if not p.warning]


def test_a_folder_that_is_no_saved_dataset_is_named_not_a_traceback(tmp_path: Path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "splits").mkdir()
    (tmp_path / "splits" / "dataset_dict.json").write_text("{}", encoding="utf-8")
    for folder, problem in (("texts", "not a saved HF dataset"), ("missing", "no such folder"),
                            ("splits", "a DatasetDict folder")):
        with pytest.raises(CorpusError, match=problem) as caught:
            hf.load(tmp_path / folder)
        assert str(caught.value).startswith(str(tmp_path / folder))


def test_validate_names_a_json_array_it_cannot_read_once(tmp_path: Path):
    """Not one 'invalid JSON' per line of a pretty-printed array read as JSONL."""
    from mining.dataset.validation import validate_path

    path = _write(tmp_path / "min.json", json.dumps([{"id": 1, "text": "Cats.", "label": [{"labels": ["claim"]}]}],
                                                    indent=2))
    with pytest.raises(CorpusError, match="JSON-MIN"):
        validate_path(path, strict=False)


@pytest.mark.parametrize("kind", ["brat", "hf"])
def test_a_folder_mixing_formats_is_named_not_half_read(tmp_path: Path, sample_docs, kind: str):
    """A brat folder or a saved dataset with .jsonl files beside it was read as the one, the JSONL documents left out
    without a word (data validate said ok); naming the format reads the folder as that format, as before."""
    folder = tmp_path / kind
    if kind == "brat":
        brat.save(sample_docs[:2], folder)
    else:
        hf.to_dataset(sample_docs[:2]).save_to_disk(str(folder))
    jsonl.save(sample_docs[2:4], folder / "more.jsonl")
    message = rf"^{re.escape(str(folder))}: a folder mixing formats: .*, and JSONL files \(more\.jsonl\) that it would"
    with pytest.raises(CorpusError, match=message):
        custom.load(folder)
    done = mining("data", "validate", str(folder))
    assert done.returncode == 2 and "a folder mixing formats" in done.stderr and "Traceback" not in done.stderr
    assert [d.id for d in custom.load(folder, format=kind)] == [d.id for d in sample_docs[:2]]
    (folder / "more.jsonl").rename(folder / ".journal.jsonl")  # a dot file (a labelling job's journal) is none
    assert custom.detect_format(folder) == kind
