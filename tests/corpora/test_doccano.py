"""doccano JSONL: lossless round trips (sample, AAEC, microtexts), doccano's own renumbering, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mining.corpora import aaec, brat, doccano, jsonl, load_corpus, microtexts
from mining.errors import CorpusError
from mining.schema import Document, Relation, Unit
from tests.helpers import run_mining as mining

BRAT_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "brat"
TEXT = "Bike lanes make streets safer.\nDrivers, the council says, lose little parking. Shops gain customers."


def dicts(docs: list[Document]) -> list[dict]:
    return [d.to_dict() for d in docs]


def round_trip(docs: list[Document]) -> list[Document]:
    return doccano.from_records(json.loads(json.dumps(doccano.to_records(docs))))


def tricky_doc() -> Document:
    return Document(
        id="news/7", text=TEXT, paragraphs=[(0, 30), (31, len(TEXT))], topic="bike lanes", split="test",
        metadata={"source": "made up"},
        units=[
            Unit("c/1", 0, 29, TEXT[0:29], "claim", "for", "Ana María Ruiz", {"speech": "quote", "central": True}),
            Unit("P2", 31, 77, f"{TEXT[31:38]} {TEXT[58:77]}", "premise", "against", "council", {"score": 0.5},
                 fragments=[(31, 38), (58, 77)]),
            Unit("P3", 79, 99, TEXT[79:99], "premise"),
        ],
        relations=[Relation("e1", "P2", "c/1", "attack", {"type": "reb"}), Relation("e2", "P3", "c/1", "support")],
    )


# --- lossless round trips ---

def test_sample_round_trip():
    docs = load_corpus("sample")
    assert dicts(round_trip(docs)) == dicts(docs)


def test_fragments_ids_holders_and_attributes_survive():
    assert dicts(round_trip([tricky_doc()])) == dicts([tricky_doc()])


def test_brat_fixtures_round_trip():
    docs = brat.load(BRAT_FIXTURES)
    assert dicts(round_trip(docs)) == dicts(docs)


def test_round_trip_through_a_file(tmp_path: Path):
    docs = [*load_corpus("sample"), tricky_doc()]
    path = tmp_path / "docs.jsonl"
    assert doccano.save(docs, path) == len(docs)
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(docs)
    assert dicts(load_corpus("doccano", path)) == dicts(docs)
    assert dicts(load_corpus("doccano", tmp_path)) == dicts(docs)



def with_unknown_fields(doc: Document) -> Document:
    """``doc`` with fields the schema does not know on the document, a unit (a discontinuous one) and a relation."""
    doc.extra = {"annotator": "ana", "round": 2}
    doc.units[1].extra = {"confidence": 0.5, "notes": ["moved"]}
    doc.relations[0].extra = {"checked": True}
    return doc


def test_fields_the_schema_does_not_know_survive():
    doc = with_unknown_fields(tricky_doc())
    (record,) = doccano.to_records([doc])
    assert record["mining"]["fields"] == {"annotator": "ana", "round": 2}
    assert record["mining"]["units"][1]["fields"] == {"confidence": 0.5, "notes": ["moved"]}
    assert record["mining"]["relations"][0]["fields"] == {"checked": True}
    assert round_trip([doc]) == [doc]


def test_documents_without_unknown_fields_store_none():
    (record,) = doccano.to_records([tricky_doc()])
    assert "fields" not in record["mining"]
    assert not any("fields" in e for e in record["mining"]["units"] + record["mining"]["relations"])


@pytest.mark.corpora
def test_aaec_round_trip(corpora: Path):
    essays = aaec.load(corpora / "aaec-v2")
    assert len(essays) == 402
    assert dicts(round_trip(essays)) == dicts(essays)


@pytest.mark.corpora
def test_microtexts_round_trip(corpora: Path):
    texts = microtexts.load(corpora / "arg-microtexts", language="en")
    assert len(texts) == 112
    assert dicts(round_trip(texts)) == dicts(texts)


# --- the encoding ---

def test_record_layout():
    (record,) = doccano.to_records([tricky_doc()])
    assert [(e["id"], e["label"], e["start_offset"], e["end_offset"]) for e in record["entities"]] == [
        (1, "claim|for", 0, 29), (2, "premise|against", 31, 38), (3, "premise|against", 58, 77), (4, "premise", 79, 99)]
    assert [(r["from_id"], r["to_id"], r["type"]) for r in record["relations"]] == [
        (3, 2, "same_unit"), (2, 1, "attack"), (4, 1, "support")]
    assert len({r["id"] for r in record["relations"]}) == 3
    assert (record["doc_id"], record["topic"], record["split"]) == ("news/7", "bike lanes", "test")
    assert record["mining"]["units"][0] == {"span": [0, 29], "label": "claim", "id": "c/1",
                                            "holder": "Ana María Ruiz",
                                            "attributes": {"speech": "quote", "central": True}}
    assert record["mining"]["units"][2] == {"span": [79, 99], "label": "premise", "id": "P3"}
    assert record["mining"]["relations"][0] == {"id": "e1", "source": "P2", "target": "c/1", "label": "attack",
                                                "attributes": {"type": "reb"}}


def test_survives_doccano_renumbering_and_its_export_fields():
    """doccano gives entities, relations and examples its own ids and adds fields of its own on export."""
    (record,) = doccano.to_records([tricky_doc()])
    new_ids = {e["id"]: 100 + 7 * e["id"] for e in record["entities"]}
    for e in record["entities"]:
        e["id"] = new_ids[e["id"]]
    for r in record["relations"]:
        r["id"] += 50
        r["from_id"], r["to_id"] = new_ids[r["from_id"]], new_ids[r["to_id"]]
    record["entities"].reverse()
    record.update(id=9931, Comments=[])
    (doc,) = doccano.from_records([record])
    assert doc.to_dict() == tricky_doc().to_dict()


def test_edits_in_doccano():
    (record,) = doccano.to_records([tricky_doc()])
    record["entities"][3]["label"] = "claim|against"  # relabelled: the same unit (P3), found by its offsets
    record["entities"].append({"id": 9, "label": "premise", "start_offset": 58, "end_offset": 64})
    record["relations"].append({"id": 77, "from_id": 9, "to_id": 4, "type": "support"})
    doc = doccano.from_records([record])[0]
    assert [(u.id, u.label, u.stance, u.holder) for u in doc.units] == [
        ("c/1", "claim", "for", "Ana María Ruiz"), ("P2", "premise", "against", "council"),
        ("P3", "claim", "against", None), ("9", "premise", None, None)]  # new units come last, by offset
    # e2 is still P3 -> c/1; the added relation gets the doccano relation id
    assert [(r.id, r.source, r.target, r.label) for r in doc.relations] == [
        ("e1", "P2", "c/1", "attack"), ("e2", "P3", "c/1", "support"), ("77", "9", "P3", "support")]


def test_reads_the_sequence_labeling_form_and_foreign_fields(tmp_path: Path):
    path = tmp_path / "seq.jsonl"
    lines = [{"text": "Phones distract pupils. Ban them.", "label": [[0, 22, "premise"], [24, 32, "claim|for"]],
              "source": "forum"},
             {"id": 17, "text": "No spans here.", "labels": [], "Comments": ["check"]}]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    first, second = doccano.load(path)
    assert first.id == "seq-1" and second.id == "17"
    assert [(u.id, u.label, u.stance, u.text) for u in first.units] == [
        ("T1", "premise", None, "Phones distract pupils"), ("T2", "claim", "for", "Ban them")]
    assert first.metadata == {"source": "forum"} and second.metadata == {"Comments": ["check"]}
    assert first.paragraphs == [(0, 33)] and second.units == []


def test_label_mapping():
    record = {"text": "Ban phones.", "entities": [{"id": 1, "label": "Claim|for", "start_offset": 0,
                                                      "end_offset": 10}], "relations": []}
    (doc,) = doccano.from_records([record], unit_labels={"Claim": "claim"})
    assert (doc.units[0].label, doc.units[0].stance) == ("claim", "for")


# --- bad input: every message names the file and line, the entity or relation, and the problem ---

def entity(n: int, **change):
    def apply(record):
        record["entities"][n].update(change)
    return apply


BAD = [
    (entity(3, end_offset=500), "[entity 4]", "offsets 79-500 are outside the text"),
    (entity(3, start_offset="80"), "[entity 4]", "offsets must be integers"),
    (entity(3, label="evidence"), "[entity 4]", "unknown label 'evidence'"),
    (entity(3, label="premise|neutral"), "[entity 4]", "unknown stance 'neutral'"),
    (entity(2, label="premise"), "[entity 3]", "fragment label differs"),
    (entity(3, id=1), "[entity 1]", "duplicate entity id"),
    (lambda r: r["relations"].append({"id": 8, "from_id": 4, "to_id": 12, "type": "support"}),
     "[relation 8]", "relation points at missing entity '12'"),
    (lambda r: r["relations"].append({"id": 8, "from_id": 4, "to_id": 1, "type": "rebut"}),
     "[relation 8]", "unknown relation type 'rebut'"),
    (lambda r: r.pop("text"), "", "missing or non-string field 'text'"),
    (lambda r: r.update(label=[[0, 4, "claim"]]), "", "both 'entities' and 'label'"),
    (lambda r: r.update(mining={"units": [{"span": [0, 29]}]}), "", "mining.units[0].id is missing"),
    (lambda r: r["mining"]["units"][2].update(holder=999), "", "mining.units[2].holder must be a string, got int 999"),
    (lambda r: r["mining"]["units"][0].update(span="x"), "", "mining.units[0].span must be a list"),
    (lambda r: r["mining"]["relations"][0].update(attributes=999), "",
     "mining.relations[0].attributes must be a JSON object, got int 999"),
    (lambda r: r["mining"].update(fields=[]), "", "mining.fields must be a JSON object, got list []"),
    (lambda r: r.update(split=["train"]), "", "'split' must be a string"),
    (lambda r: r["relations"].append({"id": 8, "from_id": 4, "to_id": 1, "type": ["support"]}),
     "[relation 8]", "unknown relation type ['support']"),
    # str() of these made the ids "['x']" and "True" (and brat file names of them)
    (lambda r: r.update(doc_id=["x"]), "", "'doc_id' must be a string or an integer, got list ['x']"),
    (lambda r: r.pop("doc_id") and r.update(id=True), "", "'id' must be a string or an integer, got bool True"),
    (lambda r: r.update(doc_id=""), "", "'doc_id' is blank"),
]


@pytest.mark.parametrize(("change", "where", "problem"), BAD, ids=[b[2] for b in BAD])
def test_bad_input_names_file_line_item_and_problem(tmp_path: Path, change, where, problem):
    good, bad = doccano.to_records([Document("ok", "Fine."), tricky_doc()])
    change(bad)
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        doccano.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3{' ' + where if where else ''}: "), message
    assert problem in message, message


def test_broken_json_names_file_and_line(tmp_path: Path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "fine", "entities": []}\n{"text": "cut off\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{path}:2: invalid JSON"):
        load_corpus("doccano", path)


def test_a_byte_that_is_not_utf8_is_named_by_its_line(tmp_path: Path):
    """The reader decoded the file in chunks: the error named no line, and its byte counted from the chunk's start
    (6153 for a byte of line 251, some 32,000 bytes in)."""
    line = json.dumps({"text": "A fine text of some length to fill the chunk the reader decodes.", "label": []})
    path = tmp_path / "export.jsonl"
    path.write_bytes((line + "\n").encode("utf-8") * 500 + line.replace("fine", "caf\u00e9").encode("latin-1"))
    with pytest.raises(CorpusError, match=rf"^{path}:501: not valid UTF-8: byte 0xe9, the line's byte 16;"):
        doccano.load(path)


def test_empty_folder(tmp_path: Path):
    with pytest.raises(CorpusError, match="no \\*.jsonl files"):
        doccano.load(tmp_path)


def test_convert_command(tmp_path: Path):
    out = tmp_path / "sample.jsonl"
    result = mining("data", "convert", "sample", "--to", "doccano", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert dicts(load_corpus("doccano", out)) == dicts(load_corpus("sample"))


def test_a_relabelled_span_keeps_its_id_holder_and_attributes():
    """An annotator changes claim|for into premise|for in doccano: the unit is the same unit, relabelled."""
    doc = load_corpus("sample")[0]
    (record,) = doccano.to_records([doc])
    first = doc.units[0]
    entity = next(e for e in record["entities"] if (e["start_offset"], e["end_offset"]) == (first.start, first.end))
    entity["label"] = "premise|against"
    (read,) = doccano.from_records([record])
    assert ((read.units[0].id, read.units[0].holder, read.units[0].attributes)
            == (first.id, first.holder, first.attributes))
    assert (read.units[0].label, read.units[0].stance) == ("premise", "against")
    assert read.relations == doc.relations and read.units[1:] == doc.units[1:]


def test_a_moved_span_keeps_its_id_holder_attributes_and_relations():
    """An annotator trims P2's first fragment and widens P3 in doccano: the same units, with new bounds."""
    (record,) = doccano.to_records([tricky_doc()])
    by_offsets = {(e["start_offset"], e["end_offset"]): e for e in record["entities"]}
    by_offsets[(31, 38)]["start_offset"] = 32  # "rivers," (P2's first fragment)
    by_offsets[(79, 99)].update(start_offset=74, label="claim|against")  # moved and relabelled
    (doc,) = doccano.from_records([record])
    old = tricky_doc()
    assert [(u.id, u.holder, u.attributes) for u in doc.units] == [(u.id, u.holder, u.attributes) for u in old.units]
    assert [(u.start, u.end) for u in doc.units[1:]] == [(32, 77), (74, 99)]
    assert doc.relations == old.relations


def test_a_split_span_keeps_its_entry_with_the_larger_part_and_a_removed_unit_takes_none_along():
    (record,) = doccano.to_records([tricky_doc()])
    p3 = next(e for e in record["entities"] if e["start_offset"] == 79)
    p3["end_offset"] = 83  # "Shop": the smaller part
    record["entities"].append({"id": 20, "label": "premise", "start_offset": 84, "end_offset": 99})
    record["entities"] = [e for e in record["entities"] if e["start_offset"] != 0]  # c/1 removed
    record["relations"] = [r for r in record["relations"] if r["type"] == "same_unit"]
    (doc,) = doccano.from_records([record])
    assert [(u.id, u.start, u.end, u.holder) for u in doc.units] == [
        ("P2", 31, 77, "council"), ("P3", 84, 99, None), (str(p3["id"]), 79, 83, None)]


def test_a_record_of_another_format_is_named_as_such(tmp_path: Path):
    """Read with the wrong --format, the project's JSONL gave "relation R1 points at missing entity 'None'", and a
    doccano export read as jsonl only "missing required field 'id'"."""
    doc = Document("d1", "Cats rule. Dogs drool.", units=[Unit("T1", 0, 9, "Cats rule", "claim"),
                                                          Unit("T2", 11, 21, "Dogs drool", "premise")],
                   relations=[Relation("R1", "T2", "T1", "attack")])
    project = tmp_path / "project.jsonl"
    jsonl.save([doc], project)
    with pytest.raises(CorpusError, match=r"project.jsonl:1: a record of the project's JSONL .* read it as jsonl"):
        doccano.load(project)
    export = tmp_path / "export.jsonl"
    record = doccano.to_records([doc])[0]
    del record["doc_id"]
    export.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"export.jsonl:1: missing required field 'id' \(the line looks like a "
                                          r"doccano JSONL export: read it as doccano\)"):
        jsonl.load(export)
    del record["relations"][0]["to_id"]
    export.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"export.jsonl:1 \[relation 1\]: relation has no 'from_id' and 'to_id'"):
        doccano.load(export)
