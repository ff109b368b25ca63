"""Tests for the arg-microtexts reader: published counts, the mapping, and errors on bad input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mining.corpora import microtexts
from mining.errors import CorpusError


@pytest.fixture(scope="module")
def english(corpora: Path):
    return microtexts.load(corpora / "arg-microtexts", language="en")


# --- the real corpus: published counts (Peldszus & Stede 2016; ../shared/corpora/README.md) ---

@pytest.mark.corpora
def test_published_counts(english):
    assert len(english) == 112
    units = [u for d in english for u in d.units]
    assert len(units) == 576
    assert Counter(u.attributes["role"] for u in units) == {"proponent": 451, "opponent": 125}
    edge_types = Counter(r.attributes["type"] for d in english for r in d.relations)
    assert edge_types == {"sup": 263, "reb": 108, "und": 63, "add": 21, "exa": 9}
    # Texts without a stance attribute are counted as "none" in the corpus paper.
    stances = Counter(d.metadata["stance"] or "none" for d in english)
    assert stances == {"pro": 46, "con": 42, "unclear": 1, "none": 23}


@pytest.mark.corpora
def test_derived_counts(english):
    # Not published as such: add edges take the label of the edge they join (18 sup, 2 reb, 1 und).
    assert Counter(r.label for d in english for r in d.relations) == {"support": 290, "attack": 174}
    units = [u for d in english for u in d.units]
    assert Counter(u.label for u in units) == {"major_claim": 112, "premise": 464}
    assert Counter(u.holder for u in units) == {"proponent": 451, "opponent": 125}
    assert sum(d.topic is None for d in english) == 23


@pytest.mark.corpora
def test_documents_are_consistent(english):
    for doc in english:
        assert doc.split is None
        assert doc.metadata["language"] == "en"
        assert doc.metadata["id"] == doc.id
        assert sum(u.attributes["central_claim"] for u in doc.units) == 1
        for unit in doc.units:
            assert unit.text == " ".join(doc.text[s:e] for s, e in unit.spans()), (doc.id, unit.id)
            assert unit.text == doc.text[unit.start:unit.end] or unit.fragments
            assert unit.label == ("major_claim" if unit.attributes["central_claim"] else "premise")
            assert unit.stance == {"proponent": "for", "opponent": "against"}[unit.holder]
            assert unit.attributes["role"] == unit.holder
        unit_ids = {u.id for u in doc.units}
        assert len(unit_ids) == len(doc.units)
        assert len({r.id for r in doc.relations}) == len(doc.relations)
        for rel in doc.relations:
            assert rel.source in unit_ids and rel.target in unit_ids, (doc.id, rel.id)
            assert rel.source != rel.target, (doc.id, rel.id)
        for edu in doc.metadata["edus"]:
            assert doc.text[edu["start"]:edu["end"]].strip() == doc.text[edu["start"]:edu["end"]]


@pytest.mark.corpora
def test_german_has_the_same_graphs(corpora: Path, english):
    german = microtexts.load(corpora / "arg-microtexts", language="de")
    assert [d.id for d in german] == [d.id for d in english]
    assert sum(len(d.units) for d in german) == 576
    assert all(d.metadata["language"] == "de" for d in german)


# --- tiny made-up files: the mapping ---

TEXT = ("Bike lanes, the council argues, make streets safer. Drivers complain about losing parking.\n"
        "Yet most shops on the street report more customers. And parking was rarely full anyway.\n")

GOOD = """<?xml version='1.0' encoding='UTF-8'?>
<arggraph id="tiny" topic_id="bike_lanes" stance="pro">
  <edu id="e1"><![CDATA[Bike lanes,]]></edu>
  <edu id="e2"><![CDATA[the council argues,]]></edu>
  <edu id="e3"><![CDATA[make streets safer.]]></edu>
  <edu id="e4"><![CDATA[Drivers complain about
      losing  parking.]]></edu>
  <edu id="e5"><![CDATA[Yet most shops on the street report more customers.]]></edu>
  <edu id="e6"><![CDATA[And parking was rarely full anyway.]]></edu>
  <joint id="j1"/>
  <adu id="a1" type="pro"/>
  <adu id="a2" type="opp"/>
  <adu id="a3" type="pro"/>
  <adu id="a4" type="pro"/>
  <edge id="c10" src="e1" trg="j1" type="seg"/>
  <edge id="c11" src="e3" trg="j1" type="seg"/>
  <edge id="c12" src="j1" trg="a1" type="seg"/>
  <edge id="c13" src="e4" trg="a2" type="seg"/>
  <edge id="c14" src="e5" trg="a3" type="seg"/>
  <edge id="c15" src="e6" trg="a4" type="seg"/>
  <edge id="c1" src="a2" trg="a1" type="reb"/>
  <edge id="c2" src="a3" trg="c1" type="und"/>
  <edge id="c3" src="a4" trg="c2" type="add"/>
</arggraph>
"""


def write_corpus(root: Path, xml: str, text: str = TEXT, name: str = "tiny") -> Path:
    folder = root / "corpus" / "en"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.xml").write_text(xml, encoding="utf-8")
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder / f"{name}.xml"


def test_mapping_on_a_tiny_graph(tmp_path):
    write_corpus(tmp_path, GOOD)
    [doc] = microtexts.load(tmp_path)
    assert doc.id == "tiny" and doc.topic == "bike_lanes" and doc.split is None
    assert doc.metadata["stance"] == "pro"
    assert doc.text == TEXT
    assert len(doc.paragraphs) == 2

    claim = doc.unit("a1")
    assert claim.label == "major_claim" and claim.holder == "proponent" and claim.stance == "for"
    assert claim.attributes == {"role": "proponent", "central_claim": True}
    # e1 and e3 are joined, with e2 (in no ADU) between them: a discontinuous unit.
    assert claim.fragments == [(0, 11), (32, 51)]
    assert (claim.start, claim.end) == (0, 51)
    assert claim.text == "Bike lanes, make streets safer."

    # The XML has a line break and a double space where the text has single spaces.
    objection = doc.unit("a2")
    assert objection.text == "Drivers complain about losing parking."
    assert objection.fragments is None
    assert objection.holder == "opponent" and objection.stance == "against" and objection.label == "premise"

    rels = {r.id: r for r in doc.relations}
    assert set(rels) == {"c1", "c2", "c3"}
    assert (rels["c1"].source, rels["c1"].target, rels["c1"].label) == ("a2", "a1", "attack")
    assert rels["c1"].attributes == {"type": "reb"}
    # The undercutter attacks the edge c1, so its target unit is the source of c1.
    assert (rels["c2"].source, rels["c2"].target, rels["c2"].label) == ("a3", "a2", "attack")
    assert rels["c2"].attributes == {"type": "und", "target_edge": "c1"}
    # The additional premise joins the argument of a3: same target and label as c2.
    assert (rels["c3"].source, rels["c3"].target, rels["c3"].label) == ("a4", "a2", "attack")
    assert rels["c3"].attributes == {"type": "add", "merged_with": "a3", "target_edge": "c2"}

    assert [e["adu"] for e in doc.metadata["edus"]] == ["a1", None, "a1", "a2", "a3", "a4"]


def test_add_edge_to_an_adu_follows_its_argument(tmp_path):
    # The DTD describes add as ADU->ADU; then the co-premise's own outgoing edge gives the target.
    xml = GOOD.replace('trg="c2" type="add"', 'trg="a3" type="add"').replace('trg="c1" type="und"',
                                                                              'trg="a1" type="sup"')
    write_corpus(tmp_path, xml)
    [doc] = microtexts.load(tmp_path)
    add = next(r for r in doc.relations if r.id == "c3")
    assert (add.source, add.target, add.label) == ("a4", "a1", "support")
    assert add.attributes == {"type": "add", "merged_with": "a3", "target_edge": "c2"}


def test_text_without_stance_or_topic(tmp_path):
    write_corpus(tmp_path, GOOD.replace(' topic_id="bike_lanes" stance="pro"', ""))
    [doc] = microtexts.load(tmp_path)
    assert doc.topic is None and doc.metadata["stance"] is None


# --- tiny made-up files: bad input ---

def test_broken_xml_names_file_and_line(tmp_path):
    path = write_corpus(tmp_path, GOOD.replace('<adu id="a3" type="pro"/>', '<adu id="a3" type="pro">'))
    with pytest.raises(CorpusError) as info:
        microtexts.load(tmp_path)
    assert info.value.file == str(path)
    assert info.value.line == 24  # the parser notices at </arggraph>, the first mismatched tag
    assert "malformed XML" in str(info.value)


# Five levels of ten: 10**5 copies of "lol" in e6 (a billion at nine levels), under expat's own amplification limit
LAUGHS = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 6))
DECLARING = [
    (LAUGHS, "&l5;", "the entity 'l0'"),
    ('<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;", "the entity 'x'"),
    ('<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;', "", "the parameter entity 'p'"),
]


@pytest.mark.parametrize(("declarations", "use", "named"), DECLARING, ids=["expansion", "external", "parameter"])
def test_an_entity_declaration_is_refused_before_it_is_expanded_or_read(tmp_path, declarations, use, named):
    """The parser expanded entities (up to expat's limit, some megabytes) and read external ones when it could: an
    arggraph file declares none, so one that does is refused at its declaration."""
    xml = GOOD.replace("<arggraph", f"<!DOCTYPE arggraph [{declarations}]>\n<arggraph", 1)
    path = write_corpus(tmp_path, xml.replace("<![CDATA[And parking was rarely full anyway.]]>", use, 1))
    with pytest.raises(CorpusError) as info:
        microtexts.load(tmp_path)
    assert str(info.value).startswith(f"{path}:2: the XML declares {named}: an arggraph file declares none"), info.value


def test_unknown_edge_type_names_the_edge(tmp_path):
    path = write_corpus(tmp_path, GOOD.replace('type="reb"', 'type="rebut"'))
    with pytest.raises(CorpusError, match="unknown edge type 'rebut'") as info:
        microtexts.load(tmp_path)
    assert (info.value.file, info.value.item) == (str(path), "c1")


def test_missing_adu_reference_names_the_edge(tmp_path):
    path = write_corpus(tmp_path, GOOD.replace('src="a2" trg="a1"', 'src="a2" trg="a9"'))
    with pytest.raises(CorpusError, match="unknown id 'a9'") as info:
        microtexts.load(tmp_path)
    assert (info.value.file, info.value.item) == (str(path), "c1")


def test_edu_not_in_text_names_the_edu(tmp_path):
    path = write_corpus(tmp_path, GOOD, text=TEXT.replace("most shops", "many cafes"))
    with pytest.raises(CorpusError, match="EDU text not found in tiny.txt") as info:
        microtexts.load(tmp_path)
    assert (info.value.file, info.value.item) == (str(path), "e5")


def test_edus_out_of_order_are_an_error(tmp_path):
    # e4 is found, but only after the text of e5 and e6, which no EDU then covers.
    swapped = TEXT.replace("Drivers complain about losing parking.\n", "").replace(
        "anyway.\n", "anyway. Drivers complain about losing parking.\n")
    path = write_corpus(tmp_path, GOOD, text=swapped)
    with pytest.raises(CorpusError, match="before EDU 'e4' is in no EDU") as info:
        microtexts.load(tmp_path)
    assert (info.value.file, info.value.item) == (str(path.with_suffix(".txt")), "e4")


def test_text_outside_every_edu_is_an_error(tmp_path):
    path = write_corpus(tmp_path, GOOD, text=TEXT + "A stray sentence.\n")
    with pytest.raises(CorpusError, match="in no EDU") as info:
        microtexts.load(tmp_path)
    assert info.value.file == str(path.with_suffix(".txt"))


def test_missing_text_file(tmp_path):
    path = write_corpus(tmp_path, GOOD)
    path.with_suffix(".txt").unlink()
    with pytest.raises(CorpusError, match="tiny.txt is missing"):
        microtexts.load(tmp_path)


def test_two_central_claims_are_an_error(tmp_path):
    xml = GOOD.replace('<edge id="c2" src="a3" trg="c1" type="und"/>', "").replace(
        '<edge id="c3" src="a4" trg="c2" type="add"/>', "")
    write_corpus(tmp_path, xml)
    with pytest.raises(CorpusError, match="one central claim"):
        microtexts.load(tmp_path)


def test_no_files(tmp_path):
    with pytest.raises(CorpusError, match=r"no \*\.xml files"):
        microtexts.load(tmp_path, language="de")
