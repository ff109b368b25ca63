"""Topic keyword features: overlap of a unit's words with its document's topic label."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from mining.features.topic_keywords import TopicKeywordVectorizer, topic_keywords
from mining.instances.units import build_unit_instances
from mining.schema import Document, Unit, paragraphs_from_lines


def test_keywords_of_a_label():
    assert topic_keywords("ban_private_cars_in_EU_cities") == {"ban", "private", "car", "city"}
    assert topic_keywords(None) == frozenset()
    assert topic_keywords("be_on_TV", min_length=3) == frozenset()


@pytest.fixture(scope="module")
def labelled(nlp):
    text = "Cities should ban private cars. Buses are cheap. Without a label nothing is compared."
    units = ["Cities should ban private cars.", "Buses are cheap.", "Without a label nothing is compared."]
    spans = [(text.index(u), text.index(u) + len(u)) for u in units]
    made = [Unit(id=f"a{k}", start=s, end=e, text=text[s:e], label="premise") for k, (s, e) in enumerate(spans)]
    with_topic = Document(id="t", text=text, paragraphs=paragraphs_from_lines(text), topic="ban_private_cars_in_cities",
                          units=made[:2])
    without = Document(id="u", text=text, paragraphs=paragraphs_from_lines(text), units=made[2:])
    parsed = nlp(text)
    return build_unit_instances(with_topic, parsed) + build_unit_instances(without, parsed)


def test_overlap(labelled):
    vec = TopicKeywordVectorizer()
    with pytest.raises(NotFittedError):
        vec.transform(labelled)
    assert vec.fit(labelled) is vec
    matrix = vec.transform(labelled).toarray()
    assert list(vec.get_feature_names_out()) == ["has_topic", "topic_coverage", "mentions_topic"]
    # ban, private, car, city: the first unit names all four (plurals stripped), the second none.
    assert matrix.tolist() == [[1.0, 1.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    assert matrix.dtype == np.float64
    assert (vec.transform(labelled[1:2]) != vec.transform(labelled)[1]).nnz == 0
