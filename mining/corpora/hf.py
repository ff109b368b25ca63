"""Convert Documents to and from a Hugging Face ``datasets.Dataset`` with declared Features."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from datasets import ClassLabel, Dataset, Features, List, Value, load_from_disk

from mining import jsonread
from mining.corpora.custom import is_saved_dataset
from mining.corpora.jsonl import json_text
from mining.errors import CorpusError, OutputExistsError, short_repr
from mining.files import STAGING, held, remove_if_stale, staging_folder, staging_folders
from mining.schema import RELATION_LABELS, STANCES, UNIT_LABELS, Document, SchemaError, not_json_numbers

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
    out["extra"] = json_text(obj.extra)
    return out


def _encode(doc: Document, where: str | Path | None = None) -> dict[str, Any]:
    try:
        return _record(doc)
    except ValueError:  # json.dumps refuses NaN and infinities: no JSON reader (ours either) takes them back
        raise not_json_numbers(doc, where) from None


def _record(doc: Document) -> dict[str, Any]:
    record = _with_extra(doc.to_dict(), doc)
    record["metadata"] = json_text(record["metadata"])
    record["units"] = [_with_extra(u, unit) for u, unit in zip(record["units"], doc.units)]
    record["relations"] = [_with_extra(r, rel) for r, rel in zip(record["relations"], doc.relations)]
    for unit in record["units"]:
        unit["attributes"] = json_text(unit["attributes"])
        unit.setdefault("fragments", None)
    for rel in record["relations"]:
        rel["attributes"] = json_text(rel["attributes"])
    return record


class _BadRow(ValueError):
    """What is wrong with one row, in words; :func:`from_dataset` adds the folder and the document."""


def _parse(value: Any, column: str) -> dict[str, Any]:
    """The JSON object a ``metadata``, ``attributes`` or ``extra`` column holds as a string."""
    if not isinstance(value, str):
        raise _BadRow(f"{column}: expected a JSON object as a string, got {short_repr(value)}")
    try:
        parsed = jsonread.loads(value)
    except json.JSONDecodeError as e:
        raise _BadRow(f"{column}: invalid JSON ({e.msg}, character {e.pos + 1}) in {short_repr(value)}") from None
    if not isinstance(parsed, dict):
        raise _BadRow(f"{column}: expected a JSON object, got {type(parsed).__name__} {short_repr(value)}")
    return parsed


def _unpack_extra(record: dict[str, Any], where: str) -> dict[str, Any]:
    """``record`` with the fields of its JSON ``extra`` column (absent in datasets saved before it existed) put back;
    an ``extra`` field that is a column too would replace it, and is refused."""
    extra = record.pop("extra", None)
    fields = _parse(extra, f"{where}extra") if extra else {}
    if clash := sorted(set(fields) & set(record)):
        raise _BadRow(f"{where}extra: holds {', '.join(map(repr, clash))}, which the row has as a column")
    return {**record, **fields}


def _label(value: Any, names: ClassLabel, where: str, known: ClassLabel) -> str:
    """The name of the class ``value`` numbers in ``names`` (the dataset's), which must be one of ``known``'s
    (mining's)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < names.num_classes:
        raise _BadRow(f"{where}: {short_repr(value)} is not a class number (0 to {names.num_classes - 1}: "
                      f"{', '.join(names.names)})")
    name = names.int2str(value)
    if name not in known.names:
        raise _BadRow(f"{where}: class {value} is {name!r}, not one of mining's ({', '.join(known.names)})")
    return name


def _items(value: Any, column: str) -> list[dict[str, Any]]:
    """The units or relations a ``units`` or ``relations`` column holds: a list of them, none of them null."""
    if not isinstance(value, list):
        raise _BadRow(f"{column}: expected a list (empty for none), got {short_repr(value)}")
    if None in value:
        raise _BadRow(f"{column}: item {value.index(None)} is null, not a {column[:-1]}")
    return value


def _class_label(features: Features, column: str, field: str, source: str | Path | None) -> ClassLabel:
    """The dataset's own ClassLabel of ``column``'s ``field``: its numbers mean its names in its order, which may not
    be mining's (read by mining's, a dataset listing premise first would load with its labels swapped). A field of
    another type (numbers cast to integers) says no names: a CorpusError, not a guess at mining's order."""
    items = features.get(column)
    inner = getattr(items, "feature", None)
    theirs = inner.get(field) if isinstance(inner, dict) else None
    if isinstance(items, dict):  # a Sequence of dicts: a dict of Sequences
        theirs = getattr(items.get(field), "feature", None)
    if not isinstance(theirs, ClassLabel):
        raise CorpusError(f"{column}' {field} is {theirs}, not a ClassLabel naming its classes (`mining data convert "
                          "--to hf` writes one)", file=source)
    return theirs


def _decode(row: dict[str, Any], unit_names: ClassLabel, stance_names: ClassLabel,
            relation_names: ClassLabel) -> Document:
    ours = FEATURES["units"].feature
    record = _unpack_extra(dict(row), "")
    record["metadata"] = _parse(row["metadata"], "metadata")
    record["units"] = [
        _unpack_extra({**u, "label": _label(u["label"], unit_names, f"unit {u['id']} label", ours["label"]),
                       "stance": None if u["stance"] is None else _label(u["stance"], stance_names,
                                                                          f"unit {u['id']} stance", ours["stance"]),
                       "attributes": _parse(u["attributes"], f"unit {u['id']} attributes")}, f"unit {u['id']} ")
        for u in _items(row["units"], "units")
    ]
    record["relations"] = [
        _unpack_extra({**r, "label": _label(r["label"], relation_names, f"relation {r['id']} label",
                                            FEATURES["relations"].feature["label"]),
                       "attributes": _parse(r["attributes"], f"relation {r['id']} attributes")},
                      f"relation {r['id']} ")
        for r in _items(row["relations"], "relations")
    ]
    return Document.from_dict(record)


def to_dataset(docs: Iterable[Document], where: str | Path | None = None) -> Dataset:
    """One row per document; unit, stance and relation labels are ClassLabels. A NaN or an infinity in a document is
    a CorpusError naming it and ``where`` it was to be written."""
    return Dataset.from_list([_encode(d, where) for d in docs], features=FEATURES)


def from_dataset(dataset: Dataset, source: str | Path | None = None) -> list[Document]:
    """The documents of ``dataset``'s rows; a row that is none (broken JSON in a ``metadata``, ``attributes`` or
    ``extra`` column, a class number out of range) is a :class:`CorpusError` naming ``source`` (the folder it was
    read from), the document's id (else its row number) and what is wrong."""
    dataset = dataset.with_format(None)  # rows as Python objects, every column: whatever set_format chose
    missing = [name for name in FEATURES if name != "extra" and name not in dataset.column_names]
    if missing:
        raise CorpusError(f"not a dataset of mining's documents: no column {', '.join(map(repr, missing))} (`mining "
                          "data convert --to hf` writes them)", file=source)
    names = [_class_label(dataset.features, column, field, source)
             for column, field in (("units", "label"), ("units", "stance"), ("relations", "label"))]
    docs = []
    for number, row in enumerate(dataset):
        try:
            docs.append(_decode(row, *names))
        except (_BadRow, SchemaError) as e:
            item = row["id"] if isinstance(row["id"], str) and row["id"] else f"row {number}"
            raise CorpusError(str(e), file=source, item=item) from None
    return docs


# What a folder that save (Dataset.save_to_disk, and a card) wrote may hold; --overwrite replaces nothing else.
_SAVED_FILE = re.compile(r"^(state\.json|dataset_info\.json|README\.md|(data|cache)-[\w.-]*\.arrow)$")


def save(docs: Iterable[Document], directory: str | Path, *, overwrite: bool = False,
         files: dict[str, str] | None = None) -> int:
    """Save ``docs`` to the folder ``directory`` with ``Dataset.save_to_disk``, and beside them ``files`` (name ->
    text, a dataset card say); the number of documents.

    The folder is built beside ``directory`` (in a hidden ``.staging-NAME.*`` folder) and renamed into place whole;
    the folder it replaces is moved aside first and back if the rename fails or is interrupted. A kill between the two
    renames leaves it in the staging folder: the next save refuses to go on until it is moved back. A kill before the
    renames leaves only half the new dataset there: the next save of ``directory`` removes it (a save at work holds
    its own locked). An existing ``directory`` that is not an empty folder is refused unless ``overwrite``, and with
    it too when it holds anything but a saved dataset's files (:func:`check_replaceable`): a user's own files are
    never removed.
    """
    docs, directory = list(docs), Path(directory).resolve()  # resolved: "." is renamed as its own name
    _check_leftovers(directory)
    if directory.exists() and Path.cwd().resolve().is_relative_to(directory):  # it would leave the shell nowhere
        raise CorpusError("will not replace the current folder (or one that holds it): write into a new folder",
                          file=directory)
    if directory.exists() and not (directory.is_dir() and not any(directory.iterdir())):
        if not overwrite:
            raise OutputExistsError(f"{directory}: the output exists and is not an empty folder; pass --overwrite to "
                                    "replace it, or choose a new path")
        check_replaceable(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_stages(directory)
    with staging_folder(directory.parent, f"{STAGING}{directory.name}.") as stage:
        try:
            to_dataset(docs, directory).save_to_disk(str(stage / "dataset"))
            for name, text in (files or {}).items():
                (stage / "dataset" / name).write_text(text, encoding="utf-8")
            if directory.exists():
                os.replace(directory, stage / "old")  # aside, not gone, until the new folder is in place
            os.replace(stage / "dataset", directory)
        finally:
            if (stage / "old").exists() and not directory.exists():  # interrupted, or failed, between the renames
                os.replace(stage / "old", directory)
            shutil.rmtree(stage, ignore_errors=True)
    return len(docs)


def _check_leftovers(directory: Path) -> None:
    """Refuse to save ``directory`` while a save of it killed between its renames left the folder it was replacing
    (``old``) in its staging folder and ``directory`` is gone: only the user can put it back. A save at work between
    its renames (it holds its staging folder) is named as such."""
    if directory.exists():
        return
    for leftover in staging_folders(directory.parent, f"{STAGING}{directory.name}."):
        if not (leftover / "old").is_dir():
            continue
        if held(leftover):  # between its two renames: done in an instant
            raise CorpusError(f"another save of it is at work (its staging folder {leftover}): wait for it to end, "
                              "then save again", file=directory)
        raise CorpusError(f"a save killed before it ended left the folder it replaced in {leftover / 'old'}: "
                          "move it back (or remove it), then save again", file=directory)


def _remove_stale_stages(directory: Path) -> None:
    """Remove the staging folders that saves of ``directory`` killed before their renames left beside it (half a new
    dataset): those no save holds (:func:`mining.files.remove_if_stale`) and that hold no ``old`` folder (the user's
    data, see :func:`_check_leftovers`). Another save's, at work, is left as it is."""
    for leftover in staging_folders(directory.parent, f"{STAGING}{directory.name}."):
        remove_if_stale(leftover, keep=lambda stage: (stage / "old").exists())


def check_replaceable(directory: Path) -> None:
    """Refuse to replace ``directory`` unless it is a folder holding only what a saved dataset holds (its Arrow
    files, ``state.json``, ``dataset_info.json`` and a ``README.md`` card)."""
    if not directory.is_dir():
        raise CorpusError("the output exists and is not a folder; remove it or choose a new path", file=directory)
    for entry in sorted(directory.iterdir()):
        if not (entry.is_file() and not entry.is_symlink() and _SAVED_FILE.match(entry.name)):
            raise CorpusError(f"will not replace the folder: it holds {entry.name!r}, which is not part of a saved "
                              "dataset (Arrow files, state.json, dataset_info.json, README.md); move it away or "
                              "write into a new folder", file=directory)


def load(path: str | Path) -> list[Document]:
    """Read a dataset saved with ``Dataset.save_to_disk``."""
    path = Path(path)
    if not path.is_dir():
        raise CorpusError("no such folder: a dataset saved with Dataset.save_to_disk is a folder", file=path)
    if not is_saved_dataset(path):
        raise CorpusError("not a saved HF dataset (no dataset_info.json or state.json): give the folder that "
                          "Dataset.save_to_disk wrote, or the corpus's own format", file=path)
    return from_dataset(open_saved(path), path)


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
