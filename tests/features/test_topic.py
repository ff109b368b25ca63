"""Topic similarity: prompt, title, intro and conclusion; documents without a topic get zeros."""

from __future__ import annotations

from mining.features.topic import TopicSimilarityVectorizer, crude_stem


def test_crude_stem():
    assert [crude_stem(w) for w in ("Cities", "cars", "class", "bus")] == ["city", "car", "class", "bus"]


def test_similarity_to_topic(unit_instances, unit_of):
    vec = TopicSimilarityVectorizer().fit(unit_instances)
    names = list(vec.get_feature_names_out())
    def row(text):
        return dict(zip(names, vec.transform([unit_of(text)]).toarray()[0]))
    thesis, premise = row("schools should limit homework for young pupils"), row("play builds social skills")
    assert thesis["cos_topic"] > premise["cos_topic"] and thesis["noun_overlap_topic"] > 0
    # a unit in the conclusion is compared with the conclusion without itself: here nothing is left
    assert thesis["cos_conclusion"] == 0 and thesis["cos_intro"] > 0
    news = row("the project cost too much")
    assert news["has_topic"] == 0 and news["cos_topic"] == 0 and news["cos_title"] == 0
