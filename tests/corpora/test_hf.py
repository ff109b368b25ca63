"""A saved HF dataset folder that `datasets` cannot read is one line naming the file, as `mining label` reads it
too (mining.corpora.hf.open_saved, for both)."""

from __future__ import annotations

import json
import re
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


def _unit_row(**change) -> dict:
    """A row as hf.to_dataset writes it, of a document with one unit, then ``change`` to its columns."""
    from mining.schema import Unit

    text = "Cats are better pets. They purr."
    row = hf._encode(Document(id="d1", text=text, paragraphs=[(0, len(text))],
                              units=[Unit(id="T1", start=0, end=21, text=text[:21], label="claim")]))
    unit = {**row["units"][0], **change.pop("unit", {})}
    return {**row, **change, "units": [unit]}


# (case id, the second row's changes, what the error says after "FOLDER [d1]: ")
ROWS = [
    ("metadata-truncated", {"metadata": '{"source": "x'},
     """metadata: invalid JSON (Unterminated string starting at, character 12) in '{"source": "x'"""),
    ("metadata-list", {"metadata": "[1]"}, "metadata: expected a JSON object, got list '[1]'"),
    ("metadata-null", {"metadata": None}, "metadata: expected a JSON object as a string, got None"),
    ("metadata-surrogate", {"metadata": '{"a": "\\ud800"}'}, "metadata: invalid JSON (\"a\" holds a lone surrogate"),
    ("extra-not-json", {"extra": "not json"}, "extra: invalid JSON (Expecting value, character 1) in 'not json'"),
    ("extra-list", {"extra": "[1]"}, "extra: expected a JSON object, got list '[1]'"),
    ("extra-a-column", {"extra": '{"text": "Another text."}'}, "extra: holds 'text', which the row has as a column"),
    ("unit-attributes", {"unit": {"attributes": '{"a": '}}, "unit T1 attributes: invalid JSON (Expecting value"),
    ("unit-extra", {"unit": {"extra": '{"label": "premise"}'}},
     "unit T1 extra: holds 'label', which the row has as a column"),
]


@pytest.mark.parametrize(("change", "problem"), [c[1:] for c in ROWS], ids=[c[0] for c in ROWS])
def test_a_broken_json_column_names_the_folder_the_document_and_the_column(tmp_path: Path, change, problem):
    """Broken JSON in a metadata, attributes or extra column was a JSONDecodeError or TypeError traceback from
    `data stats hf` (and `mining run data=...`); an extra field named like a column silently replaced it."""
    from datasets import Dataset

    from tests.helpers import run_mining

    folder = tmp_path / "saved"
    fine = hf._encode(Document(id="d0", text="Fine.", paragraphs=[(0, 5)]))
    Dataset.from_list([fine, _unit_row(**change)], features=hf.FEATURES).save_to_disk(str(folder))
    with pytest.raises(CorpusError) as raised:
        hf.load(folder)
    assert str(raised.value).startswith(f"{folder} [d1]: {problem}")
    done = run_mining("data", "stats", "hf", "--path", str(folder))
    assert done.returncode == 2 and done.stderr == f"error: {raised.value}\n"


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("units", None, "units: expected a list (empty for none), got None"),
    ("relations", None, "relations: expected a list (empty for none), got None"),
    ("units", "none", "units: item 0 is null, not a unit"),
])
def test_a_null_units_or_relations_column_names_the_folder_the_document_and_the_column(tmp_path: Path, column,
                                                                                       value, problem):
    """A null `units` or `relations` (or a null unit in them) was a TypeError traceback ("'NoneType' object is not
    iterable") from `data convert custom --path FOLDER`."""
    from datasets import Dataset

    row = _unit_row()
    row[column] = [None] if value == "none" else value
    Dataset.from_list([row], features=hf.FEATURES).save_to_disk(str(tmp_path / "saved"))
    with pytest.raises(CorpusError) as raised:
        hf.load(tmp_path / "saved")
    assert str(raised.value) == f"{tmp_path / 'saved'} [d1]: {problem}"


def test_a_class_number_out_of_range_names_the_unit_and_the_classes(tmp_path: Path):
    """A label saved under features with more classes was a ValueError traceback ("Invalid integer class label"); the
    dataset's own names are read, and one that is none of mining's is named."""
    from datasets import ClassLabel, Dataset

    features = hf.FEATURES.copy()
    features["units"].feature["label"] = ClassLabel(names=[*hf.FEATURES["units"].feature["label"].names, "bogus"])
    row = _unit_row(unit={"label": 3})
    row["id"] = ""  # no id: the row is named by its number
    Dataset.from_list([row], features=features).save_to_disk(str(tmp_path / "saved"))
    with pytest.raises(CorpusError, match=re.escape(f"{tmp_path / 'saved'} [row 0]: unit T1 label: class 3 is "
                                                    "'bogus', not one of mining's (major_claim, claim, premise)")):
        hf.load(tmp_path / "saved")


def test_a_dataset_without_mining_columns_is_named(tmp_path: Path):
    from datasets import Dataset

    Dataset.from_list([{"id": "d1", "text": "Cats."}]).save_to_disk(str(tmp_path / "saved"))
    with pytest.raises(CorpusError, match=r"saved: not a dataset of mining's documents: no column 'paragraphs', "):
        hf.load(tmp_path / "saved")


def _permuted(dataset, column: str, field: str, names: list[str]):
    """``dataset`` with ``column``'s ``field`` a ClassLabel of ``names``, each row's numbers changed to match."""
    from datasets import ClassLabel

    old = dataset.features[column].feature[field]
    new = ClassLabel(names=names)

    def renumber(row):
        row[column] = [{**item, field: None if item[field] is None else new.str2int(old.int2str(item[field]))}
                       for item in row[column]]
        return row

    features = dataset.features.copy()
    features[column].feature[field] = new
    return dataset.map(renumber, features=features)


def test_a_dataset_whose_class_labels_are_in_another_order_reads_its_own_names(tmp_path: Path):
    """A dataset listing ``premise`` first (built elsewhere, or cast) loaded with its labels swapped: mining read the
    numbers by its own order. They mean the dataset's names; names mining does not know are refused."""
    from mining.corpora import load_corpus

    docs = load_corpus("sample")[:3]
    dataset = _permuted(hf.to_dataset(docs), "units", "label", ["premise", "claim", "major_claim"])
    dataset = _permuted(dataset, "units", "stance", ["against", "for"])
    dataset = _permuted(dataset, "relations", "label", ["attack", "support"])
    assert hf.from_dataset(dataset) == docs
    for formatted in (dataset.with_format("numpy"), dataset.with_format("pandas"), dataset.with_format("arrow"),
                      dataset.with_format(columns=["id"])):  # set_format chose how rows come out: the same documents
        assert hf.from_dataset(formatted) == docs
    from datasets import Value

    features = dataset.features.copy()
    features["units"].feature["label"] = Value("int64")
    with pytest.raises(CorpusError, match="units' label is Value.*, not a ClassLabel naming its classes"):
        hf.from_dataset(dataset.cast(features))
