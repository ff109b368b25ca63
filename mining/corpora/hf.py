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
    return from_dataset(load_from_disk(str(path)))
