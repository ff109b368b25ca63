"""A saved HF dataset folder that `datasets` cannot read is one line naming the file, as `mining label` reads it
too (mining.corpora.hf.open_saved, for both)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mining.corpora import hf
from mining.errors import CorpusError
from mining.schema import Document

DATA_FILE = "data-00000-of-00001.arrow"


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hf") / "saved"
    hf.to_dataset([Document(id="d1", text="Cats are better pets.", paragraphs=[(0, 21)])]).save_to_disk(str(path))
    assert sorted(p.name for p in path.iterdir()) == [DATA_FILE, "dataset_info.json", "state.json"]
    return path


def _broken(saved: Path, tmp_path: Path, name: str, change) -> Path:
    folder = tmp_path / "broken"
    folder.mkdir()
    for path in saved.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    value = json.loads((folder / name).read_text(encoding="utf-8"))
    (folder / name).write_text(json.dumps(change(value)), encoding="utf-8")
    return folder


def _files(value, files):
    return {**value, "_data_files": files}


def _without(key):
    return lambda value: {k: v for k, v in value.items() if k != key}


# (case id, the file changed, the change, where the error points, what it says)
CASES = [
    ("missing-data-file", "state.json", lambda v: _files(v, [{"filename": "missing.arrow"}]), "",
     "not a readable dataset folder: [Errno 2] No such file or directory"),
    ("not-an-arrow-file", "state.json", lambda v: _files(v, [{"filename": "dataset_info.json"}]), "",
     "not a readable dataset folder: "),
    ("data-files-int", "state.json", lambda v: _files(v, 5), "/state.json",
     """'_data_files' must be a list of {"filename": NAME} objects, got int"""),
    ("data-file-outside", "state.json", lambda v: _files(v, [{"filename": f"../saved/{DATA_FILE}"}]), "/state.json",
     """'_data_files' entry 0 must be {"filename": NAME}, the name of a file in the folder"""),
    ("state-list", "state.json", lambda v: [1], "/state.json", "expected the JSON object Dataset.save_to_disk writes"),
    ("state-no-split", "state.json", _without("_split"), "/state.json",
     "'_split' must be a string or null, got nothing"),
    ("info-list", "dataset_info.json", lambda v: [1], "/dataset_info.json", "expected the JSON object"),
    ("info-features-int", "dataset_info.json", lambda v: {**v, "features": 5}, "/dataset_info.json",
     "'features' must be an object, got int"),
]


@pytest.mark.parametrize(("name", "change", "where", "problem"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_data_stats_and_label_name_a_folder_datasets_cannot_read(saved: Path, tmp_path: Path, name: str, change,
                                                                  where: str, problem: str):
    """pyarrow's ArrowInvalid, or a TypeError or KeyError of `datasets`, was a traceback from `data stats hf`."""
    from mining.label.streams import iter_items
    from tests.helpers import run_mining

    folder = _broken(saved, tmp_path, name, change)
    done = run_mining("data", "stats", "hf", "--path", str(folder))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"error: {folder}{where}: {problem}" in done.stderr, done.stderr
    with pytest.raises(CorpusError) as raised:  # what `mining label FOLDER` reads it with
        list(iter_items([folder]))
    assert f"error: {raised.value}" in done.stderr


def test_a_saved_dataset_reads_back(saved: Path):
    assert [d.id for d in hf.load(saved)] == ["d1"]
