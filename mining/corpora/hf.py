"""Convert Documents to and from a Hugging Face ``datasets.Dataset`` with declared Features."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from datasets import ClassLabel, Dataset, Features, List, Value, load_from_disk

from mining import jsonread
from mining.corpora.custom import is_saved_dataset
from mining.errors import CorpusError
from mining.schema import RELATION_LABELS, STANCES, UNIT_LABELS, Document

# Free-form dicts (metadata, attributes, and the fields a record had that the schema does not know,
# ``extra``) are stored as JSON strings: Arrow needs one fixed type per column, and corpus-specific
# attributes differ from corpus to corpus.
FEATURES = Features({
    "id": Value("string"),
    "text": Value("string"),
    "paragraphs": List(List(Value("int64"), length=2)),
    "topic": Value("string"),
    "split": Value("string"),
    "metadata": Value("string"),
    "extra": Value("string"),
    "units": List({
        "id": Value("string"),
        "start": Value("int64"),
        "end": Value("int64"),
        "text": Value("string"),
        "label": ClassLabel(names=list(UNIT_LABELS)),
        "stance": ClassLabel(names=list(STANCES)),
        "holder": Value("string"),
        "attributes": Value("string"),
        "fragments": List(List(Value("int64"), length=2)),
        "extra": Value("string"),
    }),
    "relations": List({
        "id": Value("string"),
        "source": Value("string"),
        "target": Value("string"),
        "label": ClassLabel(names=list(RELATION_LABELS)),
        "attributes": Value("string"),
        "extra": Value("string"),
    }),
})


def _with_extra(record: dict[str, Any], obj: Any) -> dict[str, Any]:
    """``record`` with the object's unknown fields moved into one JSON ``extra`` column."""
    out = {k: v for k, v in record.items() if k not in obj.extra}
    out["extra"] = json.dumps(obj.extra, ensure_ascii=False)
    return out


def _encode(doc: Document) -> dict[str, Any]:
    record = _with_extra(doc.to_dict(), doc)
    record["metadata"] = json.dumps(record["metadata"], ensure_ascii=False)
    record["units"] = [_with_extra(u, unit) for u, unit in zip(record["units"], doc.units)]
    record["relations"] = [_with_extra(r, rel) for r, rel in zip(record["relations"], doc.relations)]
    for unit in record["units"]:
        unit["attributes"] = json.dumps(unit["attributes"], ensure_ascii=False)
        unit.setdefault("fragments", None)
    for rel in record["relations"]:
        rel["attributes"] = json.dumps(rel["attributes"], ensure_ascii=False)
    return record


def _unpack_extra(record: dict[str, Any]) -> dict[str, Any]:
    extra = record.pop("extra", None)  # absent in datasets saved before the column existed
    return {**record, **(jsonread.loads(extra) if extra else {})}


def _decode(row: dict[str, Any]) -> Document:
    unit_names = FEATURES["units"].feature["label"]
    stance_names = FEATURES["units"].feature["stance"]
    relation_names = FEATURES["relations"].feature["label"]
    record = _unpack_extra(dict(row))
    record["metadata"] = jsonread.loads(row["metadata"])
    record["units"] = [
        _unpack_extra({**u, "label": unit_names.int2str(u["label"]),
                       "stance": None if u["stance"] is None else stance_names.int2str(u["stance"]),
                       "attributes": jsonread.loads(u["attributes"])})
        for u in row["units"]
    ]
    record["relations"] = [
        _unpack_extra({**r, "label": relation_names.int2str(r["label"]), "attributes": jsonread.loads(r["attributes"])})
        for r in row["relations"]
    ]
    return Document.from_dict(record)


def to_dataset(docs: Iterable[Document]) -> Dataset:
    """One row per document; unit, stance and relation labels are ClassLabels."""
    return Dataset.from_list([_encode(d) for d in docs], features=FEATURES)


def from_dataset(dataset: Dataset) -> list[Document]:
    return [_decode(row) for row in dataset]


def load(path: str | Path) -> list[Document]:
    """Read a dataset saved with ``Dataset.save_to_disk``."""
    path = Path(path)
    if not path.is_dir():
        raise CorpusError("no such folder: a dataset saved with Dataset.save_to_disk is a folder", file=path)
    if not is_saved_dataset(path):
        raise CorpusError("not a saved HF dataset (no dataset_info.json or state.json): give the folder that "
                          "Dataset.save_to_disk wrote, or the corpus's own format", file=path)
    return from_dataset(open_saved(path))


# What `datasets` reads of a saved Dataset's state.json, and the JSON type of each, in words.
_STATE_FIELDS: dict[str, tuple[tuple[type, ...], str]] = {
    "_data_files": ((list,), 'a list of {"filename": NAME} objects'), "_fingerprint": ((str,), "a string"),
    "_split": ((str, type(None)), "a string or null"), "_format_type": ((str, type(None)), "a string or null"),
    "_format_kwargs": ((dict,), "an object"), "_format_columns": ((list, type(None)), "a list or null"),
    "_output_all_columns": ((bool,), "true or false"),
}


def open_saved(path: Path) -> Dataset:
    """The dataset ``Dataset.save_to_disk`` wrote to the folder ``path`` (memory-mapped: rows are read when they are
    needed). A folder it cannot read (its ``state.json`` of the wrong shape, a data file missing or no Arrow file)
    or a DatasetDict is a CorpusError naming it."""
    if (path / "state.json").is_file():
        _check_state(path / "state.json")
    if (path / "dataset_info.json").is_file():
        features = _json_object(path / "dataset_info.json").get("features")
        if features is not None and not isinstance(features, dict):
            raise CorpusError(f"'features' must be an object, got {type(features).__name__}",
                              file=path / "dataset_info.json")
    try:
        dataset = load_from_disk(str(path))
    except (OSError, ValueError) as e:  # pyarrow's ArrowInvalid and a JSONDecodeError are ValueErrors
        raise CorpusError(f"not a readable dataset folder: {e}", file=path) from None
    if not isinstance(dataset, Dataset):
        raise CorpusError(f"a DatasetDict (splits {', '.join(sorted(dataset))}): give one split's folder, e.g. "
                          f"{path / sorted(dataset)[0]}", file=path)
    return dataset


def _check_state(path: Path) -> None:
    """A saved dataset's ``state.json`` must hold what ``datasets`` reads of it, each of its type, and name data files
    in its folder: anything else made ``load_from_disk`` raise a TypeError or KeyError."""
    state = _json_object(path)
    for key, (kinds, expected) in _STATE_FIELDS.items():
        if key not in state or not isinstance(state[key], kinds):
            got = "nothing" if key not in state else type(state[key]).__name__
            raise CorpusError(f"{key!r} must be {expected}, got {got}", file=path)
    for i, entry in enumerate(state["_data_files"]):
        name = entry.get("filename") if isinstance(entry, dict) else None
        if not isinstance(name, str) or name in ("", ".", "..") or Path(name).name != name or "\\" in name:
            raise CorpusError(f"'_data_files' entry {i} must be {{\"filename\": NAME}}, the name of a file in the "
                              f"folder, got {entry!r}"[:300], file=path)


def _json_object(path: Path) -> dict[str, Any]:
    """The JSON object in a saved dataset's ``path``; anything else is a CorpusError naming it."""
    try:
        value = jsonread.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"not valid JSON ({e})", file=path) from None
    if not isinstance(value, dict):
        raise CorpusError(f"expected the JSON object Dataset.save_to_disk writes, got a {type(value).__name__}",
                          file=path)
    return value
