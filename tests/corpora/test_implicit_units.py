"""Implicit arggraph EDUs (``implicit="true"``): loaded as units with no span, validated, kept by the
writers that can hold them, refused by those that cannot, skipped as instances, and run end to end.

The files in tests/fixtures/arggraph were written for these tests (six short made-up texts); three
hold an implicit EDU: a restated central claim at the end (lanes) or at the start (library), and an
implicit premise inside a chain (homework).
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from mining.corpora import brat, doccano, jsonl, labelstudio, microtexts
from mining.dataset.validation import check_document, validate_path
from mining.errors import CorpusError
from mining.instances.units import build_unit_instances
from mining.schema import Document
from tests.helpers import run_mining as mining

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "arggraph"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {d.id: d for d in microtexts.load(FIXTURE)}


def test_implicit_units_keep_their_place_in_the_graph(docs):
    lanes = docs["lanes"]
    claim = lanes.unit("a4")
    assert claim.implicit and claim.attributes["implicit"] is True
    assert claim.label == "major_claim" and claim.holder == "proponent"
    assert claim.text == "The town should paint more bike lanes."
    assert claim.text not in lanes.text
    # No characters: a position (after the EDU before it) and no spans.
    assert claim.start == claim.end == lanes.unit("a3").end
    assert claim.spans() == []
    assert {(r.source, r.target, r.label) for r in lanes.relations} >= {("a1", "a4", "support"),
                                                                         ("a2", "a4", "attack")}
    # The first EDU is implicit: its position is the start of the text.
    assert docs["library"].unit("a1").start == 0 and docs["library"].unit("a1").implicit
    edus = {e["id"]: e for e in docs["homework"].metadata["edus"]}
    assert edus["e2"] == {"id": "e2", "start": 35, "end": 35, "adu": "a2", "implicit": True}
    assert sum(u.implicit for d in docs.values() for u in d.units) == 3
    assert not any(u.implicit for u in docs["trees"].units)


def test_fixture_validates(docs):
    assert validate_path(FIXTURE, fmt="microtexts") == []


def test_validation_checks_an_implicit_unit(docs):
    doc = copy.deepcopy(docs["lanes"])
    unit = doc.unit("a4")
    unit.start = 3
    assert [p for _, p in check_document(doc)] == [
        f"implicit unit has offsets 3-{unit.end}; expected one position start == end within the text "
        f"(length {len(doc.text)})"]
    unit.start, unit.text = unit.end, " "
    assert [p for _, p in check_document(doc)] == ["implicit unit has no text (its wording from the source)"]
    unit.text = "The town should paint more bike lanes."
    del unit.attributes["implicit"]  # without the mark it is an empty span, which is an error
    assert any("outside the text (length" in p and "or empty" in p for _, p in check_document(doc))


def test_jsonl_keeps_implicit_units(docs, tmp_path):
    path = tmp_path / "out.jsonl"
    jsonl.save(docs.values(), path)
    again = {d.id: d for d in jsonl.load(path)}
    assert again["lanes"].unit("a4").implicit
    assert [u.to_dict() for u in again["homework"].units] == [u.to_dict() for u in docs["homework"].units]
    assert validate_path(path) == []


@pytest.mark.parametrize("write", [
    lambda docs, out: brat.save(docs, out / "brat"),
    lambda docs, out: doccano.save(docs, out / "doccano.jsonl"),
    lambda docs, out: labelstudio.save(docs, out / "tasks.json"),
], ids=["brat", "doccano", "labelstudio"])
def test_span_only_writers_refuse_implicit_units(docs, tmp_path, write):
    with pytest.raises(CorpusError, match=r"unit 'a2' is implicit \(no span in the text\); .* cannot hold it") as info:
        write([docs["trees"], docs["homework"]], tmp_path)
    assert info.value.item == "homework/a2"
    assert not list(tmp_path.rglob("*.*"))  # nothing half-written, not even the first document


@pytest.mark.parametrize("to", ["brat", "doccano", "labelstudio"])
def test_convert_names_the_input_of_an_implicit_unit(docs, tmp_path, to):
    source = tmp_path / "in.jsonl"
    jsonl.save([docs["trees"], docs["homework"]], source)
    done = mining("data", "convert", "jsonl", "--path", str(source), "--to", to, "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{source} [homework/a2]: unit 'a2' is implicit" in done.stderr and "<input>" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_instances_skip_implicit_units(docs):
    from mining.nlp.pipeline import find_pipeline, load_pipeline

    doc = docs["homework"]
    parsed = load_pipeline(find_pipeline(exclude=["ner"]))(doc.text)
    instances = build_unit_instances(doc, parsed)
    assert [i.unit.id for i in instances] == ["a1", "a3", "a4", "a5"]
    assert instances[0].next.id == "a3"  # the implicit unit is nobody's neighbour
    assert [i.unit.id for i in build_unit_instances(doc, parsed, doc.units)] == ["a1", "a3", "a4", "a5"]


# --- bad input still gives one clear line ---

def _copy(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "corpus-root")
    return tmp_path / "corpus-root"


def _edit(root: Path, name: str, old: str, new: str) -> Path:
    path = root / "corpus" / "en" / f"{name}.xml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "old", "new", "message", "item"), [
    # an edge to an implicit EDU that is missing names the edge
    ("lanes", '  <edu id="e4" implicit="true">The town should paint more bike lanes.</edu>\n', "",
     "edge refers to unknown id 'e4'", "c103"),
    # an explicit EDU whose text is not in the .txt is still an error
    ("lanes", '<edu id="e4" implicit="true">', '<edu id="e4">', "EDU text not found in lanes.txt after offset 140",
     "e4"),
    ("library", 'implicit="true"', 'implicit="yes"', "implicit is 'yes', expected 'true' or 'false'", "e1"),
    ("homework", '<edge id="c102" src="e3" trg="a3" type="seg"/>',
     '<edge id="c102" src="e3" trg="a3" type="seg"/><edge id="c9" src="e3" trg="a2" type="seg"/>',
     "ADU joins implicit EDU 'e2' with EDUs of the text", "a2"),
])
def test_a_malformed_arggraph_gives_one_line_naming_the_place(tmp_path, name, old, new, message, item):
    path = _edit(_copy(tmp_path), name, old, new)
    with pytest.raises(CorpusError, match=message) as info:
        microtexts.load(path.parents[2])
    assert (info.value.file, info.value.item) == (str(path), item)
    assert "\n" not in str(info.value)


# --- end to end ---

@pytest.mark.slow
def test_microtexts_cv_runs_on_implicit_units(tmp_path):
    """`mining run experiment=microtexts_cv data.path=<fixture>` with 3 folds (six texts)."""
    done = mining("run", "experiment=microtexts_cv", f"data.path={FIXTURE}", "evaluation.n_splits=3",
                  "evaluation.n_repeats=1", f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    predicted = jsonl.load(tmp_path / "run" / "predictions.jsonl")
    role = {d.id: d for d in predicted if d.metadata["subtask"] == "role"}
    assert role["lanes"].unit("a4").implicit and "gold" not in role["lanes"].unit("a4").attributes
    assert all("gold" in u.attributes for d in role.values() for u in d.units if not u.implicit)
