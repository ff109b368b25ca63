"""The one document schema: Documents with argumentative Units and Relations as offsets into the text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UNIT_LABELS = ("major_claim", "claim", "premise")
STANCES = ("for", "against")
RELATION_LABELS = ("support", "attack")
AUTHOR = "author"  # the holder of the reporter's or essay writer's own statements
# A direct quote with no attribution anywhere before it: the speaker is unknown, and it is not the
# author's voice either, so it gets this holder rather than a guess.
UNKNOWN = "unknown"


@dataclass
class Unit:
    """An argumentative unit: a character span ``[start, end)`` of its document's text.

    ``text`` is a copy kept for checking: the document text at the offsets is the truth.
    A discontinuous unit lists its pieces in ``fragments``; ``start``/``end`` then span all of
    them and ``text`` is the pieces joined by single spaces (the brat convention).
    """

    id: str
    start: int
    end: int
    text: str
    label: str
    stance: str | None = None
    holder: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    fragments: list[tuple[int, int]] | None = None

    def spans(self) -> list[tuple[int, int]]:
        """The character spans this unit covers, in order."""
        return list(self.fragments) if self.fragments else [(self.start, self.end)]

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "stance": self.stance,
            "holder": self.holder,
            "attributes": dict(self.attributes),
        }
        if self.fragments:
            out["fragments"] = [list(f) for f in self.fragments]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Unit:
        fragments = d.get("fragments")
        return cls(
            id=str(d["id"]),
            start=d["start"],
            end=d["end"],
            text=d["text"],
            label=d["label"],
            stance=d.get("stance"),
            holder=d.get("holder"),
            attributes=dict(d.get("attributes") or {}),
            fragments=[(int(a), int(b)) for a, b in fragments] if fragments else None,
        )


@dataclass
class Relation:
    """A directed relation from one unit (``source``) to another (``target``), by unit id."""

    id: str
    source: str
    target: str
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "label": self.label,
            "attributes": dict(self.attributes),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Relation:
        return cls(
            id=str(d["id"]),
            source=str(d["source"]),
            target=str(d["target"]),
            label=d["label"],
            attributes=dict(d.get("attributes") or {}),
        )


@dataclass
class Document:
    """A text with its paragraphs (character spans), an optional topic, units and relations.

    ``split`` names the corpus split the document belongs to (``train``/``test``), or None.
    """

    id: str
    text: str
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    topic: str | None = None
    split: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def unit(self, unit_id: str) -> Unit:
        for u in self.units:
            if u.id == unit_id:
                return u
        raise KeyError(f"document {self.id!r} has no unit {unit_id!r}")

    def paragraph_index(self, offset: int) -> int:
        """Index of the paragraph that holds character ``offset`` (-1 if none)."""
        for i, (start, end) in enumerate(self.paragraphs):
            if start <= offset < end:
                return i
        return -1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "paragraphs": [list(p) for p in self.paragraphs],
            "topic": self.topic,
            "split": self.split,
            "metadata": dict(self.metadata),
            "units": [u.to_dict() for u in self.units],
            "relations": [r.to_dict() for r in self.relations],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        return cls(
            id=str(d["id"]),
            text=d["text"],
            paragraphs=[(int(a), int(b)) for a, b in d.get("paragraphs") or []],
            topic=d.get("topic"),
            split=d.get("split"),
            metadata=dict(d.get("metadata") or {}),
            units=[Unit.from_dict(u) for u in d.get("units") or []],
            relations=[Relation.from_dict(r) for r in d.get("relations") or []],
        )


def read_paragraphs(value: Any, text: str) -> list[tuple[int, int]]:
    """A stored ``paragraphs`` field as spans, or the text's lines when it is None.

    Raises ValueError when the value is not a list of ``[start, end]`` pairs.
    """
    if value is None:
        return paragraphs_from_lines(text)
    try:
        return [(int(a), int(b)) for a, b in value]
    except (TypeError, ValueError):
        raise ValueError("must be a list of [start, end] pairs") from None


def paragraphs_from_lines(text: str) -> list[tuple[int, int]]:
    """Paragraph spans of ``text``: each non-blank line, without its surrounding whitespace."""
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped)
            spans.append((start, start + len(stripped)))
        pos += len(line)
    return spans


# Stripped from both ends of a predicted span: quotation marks and punctuation are never part of a
# unit in the corpora, and a span of nothing else is no unit.
SPAN_EDGE = "\"'“”‘’«»„.,;:!?-–— \t\n"


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without edge punctuation and space, or None when no letter or digit is left."""
    while start < end and text[start] in SPAN_EDGE:
        start += 1
    while end > start and text[end - 1] in SPAN_EDGE:
        end -= 1
    return (start, end) if any(c.isalnum() for c in text[start:end]) else None
