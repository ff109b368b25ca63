"""A document for the feature tests of news parties: units given by their text, label and holder."""

from __future__ import annotations

from mining.schema import Document, Unit, paragraphs_from_lines


def party_document(doc_id: str, text: str, topic: str, spans: list[tuple[str, str, str | None]]) -> Document:
    """``text`` with a unit at the first occurrence of each ``(unit text, label, holder)``, ids T1, T2, ..."""
    units = []
    for i, (unit_text, label, holder) in enumerate(spans, 1):
        start = text.index(unit_text)
        units.append(Unit(id=f"T{i}", start=start, end=start + len(unit_text), text=unit_text, label=label,
                          holder=holder))
    return Document(id=doc_id, text=text, paragraphs=paragraphs_from_lines(text), topic=topic, units=units)
