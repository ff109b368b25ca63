"""Tests for the Webis news editorials reader: real-corpus counts and bad input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mining.corpora.editorials import DEFAULT_MAPPING, load
from mining.errors import CorpusError

# Documents per source: the corpus README (266 of the 300 editorials).
DOCUMENTS = {"aljazeera": 96, "foxnews": 85, "guardian": 85}

# Segments per label, counted once independently of the loader, straight from the raw JSON:
#   cd webis-editorials/data-source
#   cat */*.json | jq -r '.paragraphs[][] | .label' | sort | uniq -c
# (and the same per source folder). Units are the segments of the five typed labels.
SEGMENTS = {
    "aljazeera": {"assumption": 3215, "anecdote": 1020, "testimony": 382, "statistics": 136,
                  "common-ground": 59, "other": 12, "no-unit": 5657, "title": 96},
    "foxnews": {"assumption": 2696, "anecdote": 629, "testimony": 446, "statistics": 131,
                "common-ground": 100, "other": 75, "no-unit": 4509, "title": 85},
    "guardian": {"assumption": 3138, "anecdote": 781, "testimony": 236, "statistics": 114,
                 "common-ground": 73, "other": 70, "no-unit": 5027, "title": 85},
}
UNIT_TYPES = ("assumption", "anecdote", "testimony", "statistics", "common-ground")
TOTAL = {t: sum(s[t] for s in SEGMENTS.values()) for t in UNIT_TYPES}  # 9049 2430 1064 381 232


@pytest.fixture(scope="module")
def docs(corpora):
    return load(corpora / "webis-editorials")


@pytest.mark.corpora
def test_documents_per_source(docs):
    assert Counter(d.metadata["source"] for d in docs) == DOCUMENTS
    assert len({d.id for d in docs}) == 266
    assert all(d.split is None and d.topic is None and not d.relations for d in docs)


@pytest.mark.corpora
def test_accepts_the_data_source_folder(corpora, docs):
    again = load(corpora / "webis-editorials" / "data-source")
    assert [d.id for d in again] == [d.id for d in docs]


@pytest.mark.corpora
@pytest.mark.parametrize("source", sorted(SEGMENTS))
def test_unit_types_per_source_match_raw_segment_counts(docs, source):
    types = Counter(u.attributes["type"] for d in docs if d.metadata["source"] == source for u in d.units)
    assert types == {t: SEGMENTS[source][t] for t in UNIT_TYPES}


@pytest.mark.corpora
def test_default_mapping_counts(docs):
    labels = Counter(u.label for d in docs for u in d.units)
    assert labels == {"claim": TOTAL["assumption"],
                      "premise": TOTAL["anecdote"] + TOTAL["testimony"] + TOTAL["statistics"]
                      + TOTAL["common-ground"]}
    assert labels == {"claim": 9049, "premise": 4107}


@pytest.mark.corpora
def test_unit_text_is_text_at_offsets(docs):
    for d in docs:
        for u in d.units:
            assert d.text[u.start:u.end] == u.text, (d.id, u.id)
            assert u.text and u.text == u.text.strip(), (d.id, u.id)
            assert u.holder is None and u.stance is None
            assert d.paragraph_index(u.start) == d.paragraph_index(u.end - 1) != -1, (d.id, u.id)


@pytest.mark.corpora
def test_title_is_metadata_not_text(docs):
    for d in docs:
        assert d.metadata["title"]
        assert d.metadata["file"] == d.id.split("/")[1] + ".json"
        assert not any(u.attributes["type"] == "title" for u in d.units)
        assert all(d.text[a:b] == line for (a, b), line in zip(d.paragraphs, d.text.split("\n")))
        assert len(d.paragraphs) == d.text.count("\n") + 1


@pytest.mark.corpora
def test_mapping_override_changes_counts(corpora):
    mapping = {**DEFAULT_MAPPING, "anecdote": "claim", "other": "premise"}
    docs = load(corpora / "webis-editorials", mapping=mapping)
    labels = Counter(u.label for d in docs for u in d.units)
    other = sum(s["other"] for s in SEGMENTS.values())
    assert labels == {"claim": TOTAL["assumption"] + TOTAL["anecdote"],
                      "premise": TOTAL["testimony"] + TOTAL["statistics"] + TOTAL["common-ground"]
                      + other}


@pytest.mark.corpora
def test_mapping_to_none_drops_a_type(corpora):
    docs = load(corpora / "webis-editorials", mapping={**DEFAULT_MAPPING, "common-ground": None})
    assert sum(len(d.units) for d in docs) == sum(TOTAL.values()) - TOTAL["common-ground"]


# --- Bad and tiny input: made-up editorials written for these tests. --------------------------

def _seg(number, text, label):
    return {"number": number, "text": text, "label": label}


def _write(tmp_path: Path, record, *, name="001-tiny.json", raw: str | None = None) -> Path:
    folder = tmp_path / "webis-editorials" / "data-source" / "testsource"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(raw if raw is not None else json.dumps(record, indent=1), encoding="utf-8")
    return folder / name


TINY = {"paragraphs": [
    [_seg(1, "Parks need benches.", "title")],
    [_seg(2, "The council should fund more benches", "assumption"), _seg(3, ".", "no-unit"),
     _seg(4, " Last spring, ten were installed", "anecdote"), _seg(5, ",", "no-unit"),
     _seg(6, "and", "no-unit"), _seg(7, "all were used daily ", "statistics"), _seg(8, ".", "no-unit")],
    [_seg(9, "Walkers rest", "common-ground"), _seg(10, "-", "no-unit"), _seg(11, "so do we", "other"),
     _seg(12, "?", "no-unit")],
]}


def test_tiny_document_text_and_units(tmp_path):
    _write(tmp_path, TINY)
    [doc] = load(tmp_path / "webis-editorials")
    assert doc.id == "testsource/001-tiny"
    assert doc.metadata == {"source": "testsource", "file": "001-tiny.json", "title": "Parks need benches."}
    assert doc.text == ("The council should fund more benches. Last spring, ten were installed, "
                        "and all were used daily.\nWalkers rest - so do we?")
    assert doc.paragraphs == [(0, doc.text.index("\n")), (doc.text.index("\n") + 1, len(doc.text))]
    assert [(u.text, u.label, u.attributes) for u in doc.units] == [
        ("The council should fund more benches", "claim", {"type": "assumption", "segment": 2}),
        ("Last spring, ten were installed", "premise", {"type": "anecdote", "segment": 4}),
        ("all were used daily", "premise", {"type": "statistics", "segment": 7}),
        ("Walkers rest", "premise", {"type": "common-ground", "segment": 9}),
    ]
    assert all(doc.text[u.start:u.end] == u.text for u in doc.units)


def test_broken_json_names_file_and_line(tmp_path):
    raw = '{"paragraphs": [\n [\n  {"number": 1, "text": "Hi", "label": "title"}\n  ]\n ,\n]}\n'
    path = _write(tmp_path, None, raw=raw)
    with pytest.raises(CorpusError) as e:
        load(tmp_path / "webis-editorials")
    assert e.value.file == str(path) and e.value.line == 6
    assert "invalid JSON" in str(e.value)


def test_unknown_label_names_file_and_segment(tmp_path):
    record = {"paragraphs": [[_seg(1, "A made-up title", "title")],
                             [_seg(2, "Cats nap a lot", "assumption"), _seg(3, "they say so", "rumour")]]}
    path = _write(tmp_path, record)
    with pytest.raises(CorpusError, match="unknown segment label 'rumour'") as e:
        load(tmp_path / "webis-editorials")
    assert e.value.file == str(path) and "segment 3" in e.value.item


def test_label_missing_from_a_replacing_mapping_is_an_error(tmp_path):
    _write(tmp_path, TINY)
    with pytest.raises(CorpusError, match="unknown segment label 'anecdote'"):
        load(tmp_path / "webis-editorials", mapping={"assumption": "claim"})


def test_missing_text_key_names_file_paragraph_and_segment(tmp_path):
    record = {"paragraphs": [[_seg(1, "Another title", "title")],
                             [_seg(2, "Rain is wet", "assumption"), {"number": 3, "label": "no-unit"}]]}
    path = _write(tmp_path, record)
    with pytest.raises(CorpusError, match="missing required key 'text'") as e:
        load(tmp_path / "webis-editorials")
    assert e.value.file == str(path) and e.value.item == "paragraph 2, segment 3"


def test_missing_paragraphs_key(tmp_path):
    path = _write(tmp_path, {"segments": []})
    with pytest.raises(CorpusError, match="'paragraphs'") as e:
        load(tmp_path / "webis-editorials")
    assert e.value.file == str(path)


def test_no_json_files(tmp_path):
    with pytest.raises(CorpusError, match="no <source>/\\*.json"):
        load(tmp_path)


@pytest.mark.parametrize("mapping", [{"title": "claim"}, {"assumption": "thesis"}])
def test_bad_mapping_is_rejected(tmp_path, mapping):
    _write(tmp_path, TINY)
    with pytest.raises(ValueError):
        load(tmp_path / "webis-editorials", mapping=mapping)
