"""The embedded sample corpus: present in the package, valid, and as large as promised."""

from __future__ import annotations

from collections import Counter

from mining.corpora import hf, load_corpus
from mining.dataset.validation import validate_documents
from mining.schema import AUTHOR


def test_sample_is_valid_and_complete():
    docs = load_corpus("sample")
    assert validate_documents(docs, file="sample", strict=False) == []
    genres = Counter(d.metadata["genre"] for d in docs)
    assert genres["essay"] >= 30 and genres["news"] >= 8
    assert {d.split for d in docs} == {"train", "test"}
    for doc in docs:
        assert doc.units and doc.relations and doc.topic, doc.id
        assert all(u.holder for u in doc.units), doc.id
        assert any(u.stance for u in doc.units), doc.id


def test_news_reports_name_several_holders():
    news = [d for d in load_corpus("sample") if d.metadata["genre"] == "news"]
    for doc in news:
        holders = {u.holder for u in doc.units}
        assert len(holders - {AUTHOR}) >= 2, doc.id
        assert {u.attributes["speech"] for u in doc.units} <= {"quote", "reported", "author"}


def test_sample_round_trips_through_datasets():
    docs = load_corpus("sample")
    assert [d.to_dict() for d in hf.from_dataset(hf.to_dataset(docs))] == [d.to_dict() for d in docs]
