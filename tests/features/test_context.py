"""Context features: the neighbours in the paragraph, their sentence and their markers."""

from __future__ import annotations

from mining.features.context import ContextVectorizer


def test_neighbours(unit_instances, unit_of):
    vec = ContextVectorizer().fit(unit_instances)
    names = list(vec.get_feature_names_out())
    row = dict(zip(names, vec.transform([unit_of("children in busy streets suffer from asthma")]).toarray()[0]))
    assert row["prev:exists"] == 1 and row["prev:same_sentence"] == 1 and row["prev:shell:backward"] == 1
    assert row["next:exists"] == 1 and row["next:same_sentence"] == 0 and row["next:gap:forward"] == 1
    alone = dict(zip(names, vec.transform([unit_of("schools should limit homework for young pupils")]).toarray()[0]))
    assert alone["prev:exists"] == 0 and alone["next:exists"] == 0
