"""brat standoff: discontinuous spans, attributes, notes, and lossless write/read."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from mining.corpora import brat
from mining.errors import CorpusError
from mining.schema import Document, Relation, Unit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "brat"


def test_reads_units_attributes_relations_and_notes():
    doc = brat.read_document(FIXTURES / "lanes.txt")
    t1, t2, t3 = doc.units
    assert (t1.label, t1.stance, t1.holder) == ("claim", "for", "mayor")
    assert t2.label == "premise" and t2.attributes["Verified"] is True
    assert t3.stance == "against" and t3.attributes["Speech"] == "reported"
    assert t3.attributes["note"] == "attributed to unnamed critics"
    assert [(r.source, r.target, r.label) for r in doc.relations] == [("T2", "T1", "support"), ("T3", "T1", "attack")]
    assert doc.paragraphs == [(0, 25), (27, len(doc.text.rstrip()))]


def test_discontinuous_span():
    doc = brat.read_document(FIXTURES / "walk.txt")
    (unit,) = doc.units
    assert unit.fragments == [(0, 4), (15, 49)]
    assert (unit.start, unit.end) == (0, 49)
    assert unit.text == "Rain we should walk to school every day"
    assert unit.label == "major_claim"


def test_write_then_read_is_lossless(tmp_path: Path):
    docs = brat.load(FIXTURES)
    brat.save(docs, tmp_path)
    assert [d.to_dict() for d in brat.load(tmp_path)] == [d.to_dict() for d in docs]


def test_ids_holders_and_typed_attributes_survive(tmp_path: Path):
    text = "Taxes should fall. Growth would follow."
    doc = Document(
        id="news/1", text=text, paragraphs=[(0, len(text))], topic="taxes", split="test", metadata={"n": 1},
        units=[
            Unit("a1", 0, 17, "Taxes should fall", "claim", "for", "Ana María Ruiz", {"central": False, "k": [1]}),
            Unit("a2", 19, 38, "Growth would follow", "premise", None, "Ana María Ruiz"),
        ],
        relations=[Relation("e1", "a2", "a1", "support", {"type": "sup"})],
    )
    brat.save([doc], tmp_path)
    (back,) = brat.load(tmp_path)
    assert back.to_dict() == doc.to_dict()


def test_relation_ids_of_both_styles_that_would_share_a_brat_id_are_numbered_apart(tmp_path: Path):
    # "R2" keeps its id and "y", the second relation, would be numbered R2 too: the .ann would not read back
    text = "Taxes should fall. Growth would follow."
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))],
                   units=[Unit("T1", 0, 17, "Taxes should fall", "claim"),
                          Unit("T2", 19, 38, "Growth would follow", "premise")],
                   relations=[Relation("R2", "T2", "T1", "support"), Relation("y", "T1", "T2", "attack")])
    brat.save([doc], tmp_path)
    (back,) = brat.load(tmp_path)
    assert back.to_dict() == doc.to_dict()


def test_attributes_named_as_stance_and_holder_are_kept_apart_from_them(tmp_path: Path):
    # as A lines they read back as a second Stance and Holder of T1, which the reader refuses
    text = "Taxes should fall."
    unit = Unit("T1", 0, 17, "Taxes should fall", "claim", stance="for", holder="ann",
                attributes={"Holder": "bob", "Stance": "Against"})
    doc = Document(id="d", text=text, paragraphs=[(0, len(text))], units=[unit])
    brat.save([doc], tmp_path)
    (back,) = brat.load(tmp_path)
    assert back.to_dict() == doc.to_dict()


def test_save_writes_annotation_conf_that_load_ignores(tmp_path: Path):
    docs = brat.load(FIXTURES)
    brat.save(docs, tmp_path)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8").splitlines()
    sections = {name: conf[conf.index(f"[{name}]") + 1:] for name in ("entities", "relations", "attributes")}
    assert sections["entities"][:4] == ["MajorClaim", "Claim", "Premise", ""]
    assert "supports\tArg1:MajorClaim|Claim|Premise, Arg2:MajorClaim|Claim|Premise" in sections["relations"]
    assert "attacks\tArg1:MajorClaim|Claim|Premise, Arg2:MajorClaim|Claim|Premise" in sections["relations"]
    assert "Stance\tArg:MajorClaim|Claim|Premise, Value:For|Against" in sections["attributes"]
    assert "Verified\tArg:Premise" in sections["attributes"]  # a binary attribute has no values
    assert [d.to_dict() for d in brat.load(tmp_path)] == [d.to_dict() for d in docs]
    brat.save(docs, tmp_path / "bare", conf=False)
    assert not (tmp_path / "bare" / "annotation.conf").exists()


def test_the_conf_declares_the_whole_scheme_beyond_what_the_documents_use(tmp_path: Path):
    """Pre-annotations are corrected in brat: the annotator must be able to add what the model never predicted."""
    text = "Taxes should fall."
    doc = Document(id="d", text=text, units=[Unit("T1", 0, 17, "Taxes should fall", "claim", "for")])
    brat.save([doc], tmp_path)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8").splitlines()
    assert conf[:5] == ["[entities]", "major_claim", "claim", "premise", ""]
    assert "attack\tArg1:major_claim|claim|premise, Arg2:major_claim|claim|premise" in conf
    assert "support\tArg1:major_claim|claim|premise, Arg2:major_claim|claim|premise" in conf
    assert "Stance\tArg:major_claim|claim|premise, Value:For|Against" in conf


def test_annotation_conf_relation_attributes_and_any_type():
    conf = brat.annotation_conf(["Claim", "Premise"], {"supports": ([], ["Claim"])},
                                {"type": (["<RELATION>"], ["sup", "reb"])})
    assert "supports\tArg1:Claim|Premise, Arg2:Claim" in conf
    assert "type\tArg:<RELATION>, Value:sup|reb" in conf


def test_ids_that_share_a_file_name_are_refused_before_anything_is_written(tmp_path: Path):
    docs = [Document(id=i, text="Some text.") for i in ("a/b", "a_b", "c")]
    with pytest.raises(CorpusError, match=r"overwrite each other's files: 'a/b' and 'a_b' -> a_b.txt"):
        brat.save(docs, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(CorpusError, match=r"'c' twice"):
        brat.save([Document(id="c", text="x"), Document(id="c", text="y")], tmp_path / "out")


def test_a_folder_is_not_overwritten_unless_asked(tmp_path: Path):
    first = [Document(id="d1", text="First text.")]
    brat.save(first, tmp_path)
    with pytest.raises(CorpusError, match=r"would overwrite d1.txt, d1.ann, d1.json and 1 more"):
        brat.save([Document(id="d1", text="Other text.")], tmp_path)
    assert (tmp_path / "d1.txt").read_text(encoding="utf-8") == "First text."
    brat.save([Document(id="d1", text="Other text.")], tmp_path, overwrite=True)
    assert brat.load(tmp_path)[0].text == "Other text."
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob(".staging-*"))


def test_fields_the_schema_does_not_know_survive_brat(tmp_path: Path):
    doc = Document(id="d1", text="Cats are better pets. They sleep all day.", extra={"annotator": "ana"},
                   units=[Unit("T1", 0, 20, "Cats are better pets", "claim", extra={"confidence": 0.5}),
                          Unit("T2", 22, 40, "They sleep all day", "premise")],
                   relations=[Relation("R1", "T2", "T1", "support", extra={"checked": True})])
    brat.save([doc], tmp_path)
    [back] = brat.load(tmp_path)
    assert back.extra == doc.extra and back.units[0].extra == {"confidence": 0.5}
    assert back.relations[0].extra == {"checked": True} and back.units[1].extra == {}


def _one_claim(folder: Path) -> None:
    """A brat document ``d`` with one claim."""
    (folder / "d.txt").write_text("A claim here.\n", encoding="utf-8")
    (folder / "d.ann").write_text("T1\tClaim 0 7\tA claim\n", encoding="utf-8")


@pytest.mark.parametrize(("sidecar", "problem"), [
    ("[1, 2]", "expected a JSON object of the document's fields (id, paragraphs, topic, split, metadata, fields), "
               "got a list"),
    ('{"paragraphs": 5}', "'paragraphs' must be a list of [start, end] pairs, got int 5"),
    ('{"paragraphs": [[0]]}', "'paragraphs' must be a list of [start, end] integer pairs"),
    ('{"paragraphs": [["a", "b"]]}', "'paragraphs' must be a list of [start, end] integer pairs"),
    ('{"metadata": [1]}', "'metadata' must be an object, got list [1]"),
    ('{"topic": [1]}', "'topic' must be a string or null"),
    ('{"id": {"a": 1}}', "'id' must be a string"),
    ('{"fields": 3}', "'fields' must be an object of the document's other fields, got int"),
])
def test_a_sidecar_of_the_wrong_shape_is_named_with_its_field(tmp_path: Path, sidecar: str, problem: str):
    _one_claim(tmp_path)
    (tmp_path / "d.json").write_text(sidecar, encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        brat.load(tmp_path)
    assert str(raised.value).startswith(f"{tmp_path / 'd.json'}: ") and problem in str(raised.value)


def test_a_sidecar_sets_the_documents_fields(tmp_path: Path):
    _one_claim(tmp_path)
    (tmp_path / "d.json").write_text('{"id": 7, "paragraphs": null, "topic": "t", "metadata": {"m": 1}, '
                                     '"fields": {"x": 1}}', encoding="utf-8")
    [doc] = brat.load(tmp_path)
    assert (doc.id, doc.paragraphs, doc.topic, doc.split, doc.metadata, doc.extra) == (
        "7", [(0, 13)], "t", None, {"m": 1}, {"x": 1})


@pytest.mark.parametrize(("note", "problem"), [
    ("[1]", "must be one JSON object (holder, stance, id, attributes, fields, spans), got a list"),
    ('{"attributes": 5}', "'attributes' must be an object, got int"),
    ('{"holder": 5}', "'holder' must be a string, got int"),
    ('{"fields": []}', "'fields' must be an object, got list"),
])
def test_a_mining_note_of_the_wrong_shape_is_named_with_its_line(tmp_path: Path, note: str, problem: str):
    (tmp_path / "d.txt").write_text("A claim here.\n", encoding="utf-8")
    (tmp_path / "d.ann").write_text(f"T1\tClaim 0 7\tA claim\n#1\tAnnotatorNotes T1\tmining:{note}\n",
                                    encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{tmp_path / 'd.ann'}:2: the mining note {re.escape(problem)}$"):
        brat.load(tmp_path)


BREAKS = "Cats rule\nthe house. Dogs\tguard it.\u2028Birds sing\fall day."


def test_a_unit_across_a_line_break_or_holding_a_tab_is_written_so_that_it_reads_back(tmp_path: Path):
    """An .ann line ends at a line break: a unit across one (or across a form feed or U+2028, where str.splitlines
    ends a line too) was a traceback of the writer, and a tab in a unit's text was read back cut at the tab, so
    `data convert --to brat` wrote a folder that brat.load refused. As brat does, the T line holds the unit's
    pieces between line breaks; its own spans are in the mining note."""
    t = BREAKS
    units = [Unit("T1", 0, t.index("."), t[:t.index(".")], "claim"),
             Unit("T2", t.index("Dogs"), t.index("it") + 2, t[t.index("Dogs"):t.index("it") + 2], "premise"),
             Unit("T3", t.index("it"), t.index(" day"), t[t.index("it"):t.index(" day")], "premise",
                  fragments=[(t.index("it"), t.index("it") + 2), (t.index("Birds"), t.index(" day"))])]
    units[2].text = "it Birds sing\fall"
    doc = Document("d", t, units=units)
    brat.save([doc], tmp_path)
    lines = (tmp_path / "d.ann").read_text(encoding="utf-8").split("\n")
    assert lines[0] == "T1\tclaim 0 9;10 19\tCats rule the house" and lines[1].endswith("\tDogs\tguard it")
    assert lines[2].startswith(f"T3\tpremise {t.index('it')} {t.index('it') + 2};{t.index('Birds')} ")
    [again] = brat.load(tmp_path)
    assert [u.to_dict() for u in again.units] == [u.to_dict() for u in units]


def test_spans_in_a_mining_note_that_are_no_spans_of_the_text_are_named(tmp_path: Path):
    (tmp_path / "d.txt").write_text("A claim\nhere.\n", encoding="utf-8")
    (tmp_path / "d.ann").write_text('T1\tClaim 0 7\tA claim\n#1\tAnnotatorNotes T1\tmining:{"spans": [[0, 99]]}\n',
                                    encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{tmp_path / 'd.ann'}:1: the mining note of T1 has spans"):
        brat.load(tmp_path)


def test_a_byte_order_mark_that_starts_an_ann_or_a_sidecar_is_dropped(tmp_path: Path):
    """Windows editors start a UTF-8 file with one: it was read as part of the first id ('\\ufeffT1': "unsupported
    brat annotation") or of the sidecar's JSON ("Unexpected UTF-8 BOM"). The .txt keeps it: brat counts it."""
    (tmp_path / "d.txt").write_text("A claim here.\n", encoding="utf-8")
    (tmp_path / "d.ann").write_text("\ufeffT1\tClaim 0 7\tA claim\n", encoding="utf-8")
    (tmp_path / "d.json").write_text('\ufeff{"topic": "claims"}', encoding="utf-8")
    [doc] = brat.load(tmp_path)
    assert (doc.units[0].id, doc.units[0].text, doc.topic) == ("T1", "A claim", "claims")


def test_a_t_line_edited_in_brat_wins_over_the_spans_of_its_stale_mining_note(tmp_path: Path, caplog):
    """A unit across a line break keeps its own spans in the mining note. An annotator who then edited the T line in
    brat saw the edit silently undone on reading: the note's spans were applied whatever the T line said. The note's
    spans are applied only when cut at line breaks they give the T line's; otherwise the T line is kept, with a
    warning naming the file, the line and the id."""
    t = "Cats rule\r\nthe house.\nDogs guard it."
    doc = Document("d", t, units=[Unit("c1", 0, t.index("."), t[:t.index(".")], "claim")])
    brat.save([doc], tmp_path)
    ann = tmp_path / "d.ann"
    with caplog.at_level(logging.WARNING, logger="mining.corpora.brat"):
        assert brat.load(tmp_path)[0].units[0].to_dict() == doc.units[0].to_dict()
        assert caplog.records == []
        ann.write_text(re.sub(r"T1\tclaim [^\t]*\t[^\n]*", "T1\tclaim 0 4\tCats", ann.read_text(encoding="utf-8")),
                       encoding="utf-8")
        [edited] = brat.load(tmp_path)
    (unit,) = edited.units
    assert (unit.id, unit.start, unit.end, unit.text, unit.fragments) == ("c1", 0, 4, "Cats", None)
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.startswith(f"{ann}:1 [T1]: the T line's spans [(0, 4)] are not the mining note's spans [(0, 20)]")


BAD = "Taxes should fall."
BAD_DOCUMENTS = {  # what brat cannot hold, or its reader would refuse
    "an implicit unit": Unit("u", 0, 0, "Growth follows.", "claim", attributes={"implicit": True}),
    "a span past the end": Unit("u", 6, 40, "should fall.", "claim"),
    "an empty span": Unit("u", 6, 6, "", "claim"),
    "a NaN in a unit": Unit("u", 0, 5, "Taxes", "claim", attributes={"score": float("nan")}),
    "an infinity in a note": Unit("u", 0, 5, "Taxes", "claim", holder="the mayor", extra={"w": float("inf")}),
}


@pytest.mark.parametrize("entry", ["format_ann", "save"])
@pytest.mark.parametrize("bad", list(BAD_DOCUMENTS))
def test_a_bad_document_is_refused_by_every_writer(tmp_path: Path, bad: str, entry: str):
    """save checks each document once, before it writes any; format_ann, called by others, still checks its own."""
    doc = Document(id="d", text=BAD, units=[BAD_DOCUMENTS[bad]])
    with pytest.raises(CorpusError, match=r"unit 'u' |a value in it is NaN or infinite"):
        if entry == "format_ann":
            brat.format_ann(doc)
        else:
            brat.save([Document(id="fine", text="Fine."), doc], tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_save_checks_each_document_once(tmp_path: Path, monkeypatch):
    """Each check serialises the document to JSON; save made it twice (before writing, and in format_ann)."""
    from mining.corpora import load_corpus

    checked = []

    def check(doc, fmt):
        checked.append(doc.id)
        return real(doc, fmt)

    real = brat.require_spans
    monkeypatch.setattr(brat, "require_spans", check)
    docs = load_corpus("sample")[:3]
    brat.save(docs, tmp_path / "out")
    assert checked == [d.id for d in docs] and brat.load(tmp_path / "out") == docs
