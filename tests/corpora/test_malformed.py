"""Malformed Label Studio tasks and doccano records: any field of one sample document deleted, or
replaced by a value of another type, either loads or raises CorpusError, never another exception."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mining.corpora import doccano, labelstudio, load_corpus
from mining.errors import CorpusError
from mining.schema import Document

DELETE = object()
REPLACEMENTS = {"deleted": DELETE, "None": None, "x": "x", "999": 999, "[]": [], "{}": {}}
Path_ = tuple[Any, ...]


def sample_doc() -> Document:
    """A sample news report (holders, attributes) with what the sample lacks added, so that every part
    of the stored ``mining`` object is there to break: unknown fields, relation attributes, a unit id
    that is no region id, a discontinuous unit."""
    doc = copy.deepcopy(next(d for d in load_corpus("sample") if d.id == "news-06"))
    doc.extra = {"annotator": "ana", "checked": [1, 2]}
    doc.units[0].extra = {"confidence": 0.5}
    doc.relations[0].extra = {"source_note": {"page": 3}}
    doc.relations[1].attributes = {"type": "rebuttal"}
    first = doc.units[0]
    rename = {first.id: f"{first.id}/a"}
    first.id = rename[first.id]
    for rel in doc.relations:
        rel.source, rel.target = rename.get(rel.source, rel.source), rename.get(rel.target, rel.target)
    unit = doc.units[1]
    gap = unit.start + unit.text.index(" ")  # one space: the unit text reads the same in two pieces
    unit.fragments = [(unit.start, gap), (gap + 1, unit.end)]
    return doc


def key_paths(value: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """The path (keys and list indices) of every value inside ``value``, parents before children."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*prefix, key)
        yield from key_paths(child, (*prefix, key))


def mutate(obj: Any, path: Path_, replacement: Any) -> Any:
    """``obj`` with the value at ``path`` deleted or replaced. Only the containers on the path are
    copied (fast); the test checks that loading changed nothing it shares with the original."""
    out = copy.copy(obj)
    key = path[0]
    if len(path) > 1:
        out[key] = mutate(obj[key], path[1:], replacement)
    elif replacement is DELETE:
        del out[key]
    else:
        out[key] = copy.deepcopy(replacement)
    return out


def field_name(path: Path_) -> str:
    """The last key of ``path`` that is a name, not a list index: what an error about it must name."""
    return next(str(k) for k in reversed(path) if isinstance(k, str))


def load_task(task: dict[str, Any]) -> list[Document]:
    return labelstudio.from_tasks([task], file="fuzz.json", predictions=True)


def load_record(record: dict[str, Any]) -> list[Document]:
    return doccano.from_records([record], file="fuzz.jsonl")


CASES: dict[str, tuple[Callable[[], Any], Callable[[Any], list[Document]], str]] = {
    "labelstudio": (lambda: labelstudio.to_tasks([sample_doc()])[0], load_task, "fuzz.json"),
    "labelstudio-predictions": (lambda: labelstudio.to_tasks([sample_doc()], predictions=True)[0], load_task,
                                "fuzz.json"),
    "doccano": (lambda: doccano.to_records([sample_doc()])[0], load_record, "fuzz.jsonl"),
}


@pytest.mark.parametrize("fmt", CASES)
def test_the_unbroken_input_round_trips(fmt: str):
    make, load, _ = CASES[fmt]
    assert load(make()) == [sample_doc()]


@pytest.mark.parametrize("replacement", REPLACEMENTS)
@pytest.mark.parametrize("fmt", CASES)
def test_a_broken_field_loads_or_raises_corpus_error(fmt: str, replacement: str):
    make, load, file = CASES[fmt]
    original = make()
    problems = []
    for path in key_paths(original):
        shown = "".join(f"[{k!r}]" for k in path)
        try:
            docs = load(mutate(original, path, REPLACEMENTS[replacement]))
        except CorpusError as e:
            if not str(e).startswith(file):
                problems.append(f"{shown}: the error does not name the file: {e}")
            elif "mining" in path and field_name(path) not in str(e):
                problems.append(f"{shown}: the error does not name the field: {e}")
            continue
        except Exception as e:  # noqa: BLE001 - any other exception type is the bug looked for
            problems.append(f"{shown}: {type(e).__name__}: {e}")
            continue
        for doc in docs:  # what loads must be a valid document, not a wrong type passed through
            try:
                Document.from_dict(doc.to_dict())
            except ValueError as e:
                problems.append(f"{shown}: loaded an invalid document: {e}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    assert original == make(), "loading changed its input"


@pytest.mark.parametrize("encoded", [b'{"id": "d1", "text": "D\xf6gs"}\n',
                                     '{"id": "d1", "text": "x"}\n'.encode("utf-16")])
def test_a_jsonl_file_that_is_not_utf8_names_its_line(tmp_path, encoded: bytes):
    from mining.corpora import jsonl

    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"id": "d0", "text": "fine"}\n' + encoded)
    with pytest.raises(CorpusError, match="not valid UTF-8") as caught:
        jsonl.load(path)
    assert f"{path}:2" in str(caught.value)

