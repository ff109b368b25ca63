"""Fixtures for the feature tests: three short original documents, parsed once, as unit and pair instances."""

from __future__ import annotations

import pytest

from mining.instances.units import build_pair_instances, build_unit_instances
from mining.schema import Document, Unit, paragraphs_from_lines

# (id, topic, title, paragraphs, units as (text, label) in reading order). Written for these tests.
ESSAYS = [
    (
        "cars",
        "Should cities ban private cars from their centres?",
        "Car-free city centres",
        [
            "Many cities are crowded with traffic every day. In my opinion, city centres should be closed "
            "to private cars.",
            "First of all, cars make the air dirty. Because exhaust fumes harm the lungs, children in busy "
            "streets suffer from asthma. Therefore, fewer cars mean healthier residents.",
            "However, some people argue that shops will lose customers. Although this worry is "
            "understandable, studies show that pedestrians spend more money in local shops.",
            "To sum up, banning cars improves health and helps local business. I believe that every large "
            "city should try it.",
        ],
        [
            ("city centres should be closed to private cars", "major_claim"),
            ("cars make the air dirty", "claim"),
            ("exhaust fumes harm the lungs", "premise"),
            ("children in busy streets suffer from asthma", "premise"),
            ("fewer cars mean healthier residents", "claim"),
            ("shops will lose customers", "claim"),
            ("this worry is understandable", "premise"),
            ("pedestrians spend more money in local shops", "premise"),
            ("banning cars improves health and helps local business", "major_claim"),
            ("every large city should try it", "major_claim"),
        ],
    ),
    (
        "homework",
        "Is homework useful for young pupils?",
        "Homework for young pupils",
        [
            "Teachers often give young pupils homework. I think that homework does more harm than good at "
            "this age.",
            "Young children need time to play, since play builds social skills. For example, children who "
            "play team games learn to share. Thus, free afternoons matter.",
            "On the other hand, homework can teach discipline. But discipline can also be learned at school.",
            "In conclusion, schools should limit homework for young pupils.",
        ],
        [
            ("homework does more harm than good at this age", "major_claim"),
            ("Young children need time to play", "claim"),
            ("play builds social skills", "premise"),
            ("children who play team games learn to share", "premise"),
            ("free afternoons matter", "claim"),
            ("homework can teach discipline", "claim"),
            ("discipline can also be learned at school", "premise"),
            ("schools should limit homework for young pupils", "major_claim"),
        ],
    ),
]
# A news-like report: no topic, no title, one paragraph.
NEWS = (
    "bridge",
    "The mayor said on Monday that the new bridge will open in May. According to the engineers, the steel "
    "frame is already finished. Critics claimed the project cost too much.",
    [
        ("the new bridge will open in May", "claim"),
        ("the steel frame is already finished", "premise"),
        ("the project cost too much", "claim"),
    ],
)


def _units(text: str, units: list[tuple[str, str]]) -> list[Unit]:
    out, cursor = [], 0
    for k, (unit_text, label) in enumerate(units, start=1):
        start = text.index(unit_text, cursor)
        out.append(Unit(id=f"T{k}", start=start, end=start + len(unit_text), text=unit_text, label=label))
        cursor = start + len(unit_text)
    return out


def make_documents() -> list[Document]:
    docs = []
    for doc_id, topic, title, paragraphs, units in ESSAYS:
        text = title + "\n" + "\n".join(paragraphs) + "\n"
        docs.append(Document(
            id=doc_id, text=text, paragraphs=paragraphs_from_lines(text)[1:], topic=topic,
            metadata={"title": title}, units=_units(text, units),
        ))
    doc_id, text, units = NEWS
    docs.append(Document(id=doc_id, text=text, paragraphs=paragraphs_from_lines(text), units=_units(text, units)))
    return docs


@pytest.fixture(scope="session")
def documents():
    return make_documents()


@pytest.fixture(scope="session")
def unit_instances(nlp, documents):
    out = []
    for doc, parsed in zip(documents, nlp.pipe([d.text for d in documents])):
        out += build_unit_instances(doc, parsed)
    return out


@pytest.fixture(scope="session")
def pair_instances(unit_instances):
    # build_pair_instances groups by paragraph index, so it is called once per document.
    by_doc: dict[str, list] = {}
    for inst in unit_instances:
        by_doc.setdefault(inst.document.id, []).append(inst)
    return [pair for members in by_doc.values() for pair in build_pair_instances(members)]


@pytest.fixture(scope="session")
def unit_of(unit_instances):
    """Look an instance up by its unit text."""
    by_text = {inst.text: inst for inst in unit_instances}
    return by_text.__getitem__
