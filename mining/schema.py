"""The one document schema: Documents with argumentative Units and Relations as offsets into the text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mining.errors import CorpusError, MiningError

UNIT_LABELS = ("major_claim", "claim", "premise")
CLAIM_LABELS = ("major_claim", "claim")  # the units that state a position (and take a stance)
STANCES = ("for", "against")
RELATION_LABELS = ("support", "attack")
IMPLICIT = "implicit"  # the unit attribute that marks a unit with no span (Unit.implicit)
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

    An *implicit* unit (arggraph ``<edu implicit="true">``, e.g. a restated central claim) is part of
    the argument graph but not of the text: ``attributes["implicit"]`` is True, ``start == end`` is
    the offset where the source places it (between its neighbours), ``text`` is its wording from the
    source, and it covers no characters (``spans()`` is empty). Tasks make no instance of it.
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
    extra: dict[str, Any] = field(default_factory=dict)  # fields read but not known here, written back as read

    @property
    def implicit(self) -> bool:
        """True for a unit of the argument graph whose text is not in the document (see the class docstring)."""
        return self.attributes.get(IMPLICIT) is True

    def spans(self) -> list[tuple[int, int]]:
        """The character spans this unit covers, in order (none for an implicit unit)."""
        if self.implicit:
            return []
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
        return {**out, **self.extra}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Unit:
        where = f"unit {d.get('id')!r}" if isinstance(d, dict) else "a unit"
        _require(d, dict, where, "itself", "an object")
        fragments = _field(d, "fragments", list, where, "a list of [start, end] pairs", optional=True)
        try:
            fragments = [(_offset(a), _offset(b)) for a, b in fragments] if fragments else None
        except (TypeError, ValueError):
            raise SchemaError(f"{where}: 'fragments' must be a list of [start, end] integer pairs, "
                              f"got {fragments!r}") from None
        return cls(
            id=str(_field(d, "id", (str, int), where, "a string")),
            start=_field(d, "start", int, where, "an integer character offset"),
            end=_field(d, "end", int, where, "an integer character offset"),
            text=_field(d, "text", str, where, "the span's text"),
            label=_field(d, "label", str, where, "a label name"),
            stance=_field(d, "stance", str, where, "a stance name or null", optional=True),
            holder=_field(d, "holder", str, where, "a name or null", optional=True),
            attributes=dict(_field(d, "attributes", dict, where, "an object", optional=True) or {}),
            fragments=fragments,
            extra=_extra(d, UNIT_FIELDS),
        )


@dataclass
class Relation:
    """A directed relation from one unit (``source``) to another (``target``), by unit id."""

    id: str
    source: str
    target: str
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # fields read but not known here, written back as read

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "label": self.label,
            "attributes": dict(self.attributes),
            **self.extra,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Relation:
        where = f"relation {d.get('id')!r}" if isinstance(d, dict) else "a relation"
        _require(d, dict, where, "itself", "an object")
        return cls(
            id=str(_field(d, "id", (str, int), where, "a string")),
            source=str(_field(d, "source", (str, int), where, "a unit id")),
            target=str(_field(d, "target", (str, int), where, "a unit id")),
            label=_field(d, "label", str, where, "a label name"),
            attributes=dict(_field(d, "attributes", dict, where, "an object", optional=True) or {}),
            extra=_extra(d, RELATION_FIELDS),
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
    extra: dict[str, Any] = field(default_factory=dict)  # fields read but not known here, written back as read

    def unlabelled(self, **changes: Any) -> Document:
        """A copy with no annotations: the text, paragraphs (its lines when it has none), topic, split and a
        copy of the metadata; ``changes`` replace any of these (``id``, ``metadata``, ...)."""
        fields = {"id": self.id, "text": self.text,
                  "paragraphs": list(self.paragraphs) or paragraphs_from_lines(self.text),
                  "topic": self.topic, "split": self.split, "metadata": dict(self.metadata)}
        return Document(**{**fields, **changes})

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
            **self.extra,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        where = f"document {d.get('id')!r}" if isinstance(d, dict) else "a document"
        _require(d, dict, where, "itself", "an object")
        paragraphs = _field(d, "paragraphs", list, where, "a list of [start, end] pairs", optional=True) or []
        try:
            paragraphs = [(_offset(a), _offset(b)) for a, b in paragraphs]
        except (TypeError, ValueError):
            raise SchemaError(f"{where}: 'paragraphs' must be a list of [start, end] integer pairs") from None
        units = _field(d, "units", list, where, "a list of unit objects", optional=True) or []
        relations = _field(d, "relations", list, where, "a list of relation objects", optional=True) or []
        return cls(
            id=str(_field(d, "id", (str, int), where, "a string")),
            text=_field(d, "text", str, where, "a string"),
            paragraphs=paragraphs,
            topic=_field(d, "topic", str, where, "a string or null", optional=True),
            split=_field(d, "split", str, where, "a split name or null", optional=True),
            metadata=dict(_field(d, "metadata", dict, where, "an object", optional=True) or {}),
            units=[Unit.from_dict(u) for u in units],
            relations=[Relation.from_dict(r) for r in relations],
            extra=_extra(d, DOCUMENT_FIELDS),
        )


class SchemaError(MiningError, ValueError):
    """A stored document, unit or relation has a field of the wrong type, or misses one; the message
    names the object and the field."""


UNIT_FIELDS = frozenset({"id", "start", "end", "text", "label", "stance", "holder", "attributes", "fragments"})
RELATION_FIELDS = frozenset({"id", "source", "target", "label", "attributes"})
DOCUMENT_FIELDS = frozenset({"id", "text", "paragraphs", "topic", "split", "metadata", "units", "relations"})


def not_json_numbers(doc: Document, where: str | Path | None = None) -> CorpusError:
    """The error of ``doc`` holding a NaN or an infinity, which a writer of JSON refuses (no reader takes it back),
    naming ``where`` it was to be written."""
    return CorpusError("a value in it is NaN or infinite, which JSON cannot hold (no reader takes it back): write None",
                       file=where, item=doc.id)


def require_spans(doc: Document, fmt: str) -> None:
    """Raise a CorpusError naming the unit when ``doc`` has an implicit unit: ``fmt`` stores units as spans
    of the text only, and writing one without its span would drop it (or change it) silently. So is a span that
    is empty or outside the text: written, it would make a file that ``fmt``'s reader refuses; and so is a NaN or an
    infinity anywhere in ``doc`` (metadata, attributes), which ``fmt`` keeps as JSON."""
    try:
        json.dumps(doc.to_dict(), allow_nan=False)
    except ValueError:
        raise not_json_numbers(doc) from None
    for unit in doc.units:
        if unit.implicit:
            raise CorpusError(f"unit {unit.id!r} is implicit (no span in the text); {fmt} cannot hold it: "
                              "write JSONL or a HF dataset, or remove the unit first", item=f"{doc.id}/{unit.id}")
        bad = next(((a, b) for a, b in unit.spans() if not 0 <= a < b <= len(doc.text)), None)
        if bad is not None:
            raise CorpusError(f"unit {unit.id!r} has the span {bad[0]}-{bad[1]}, empty or outside the text (length "
                              f"{len(doc.text)}); {fmt} cannot hold it", item=f"{doc.id}/{unit.id}")


def _require(value: Any, kind: type | tuple[type, ...], where: str, name: str, expected: str) -> None:
    # bool is an int in Python, but true/false as an offset or an id is a mistake in the file.
    if isinstance(value, bool) or not isinstance(value, kind):
        raise SchemaError(f"{where}: {name if name == 'itself' else repr(name)} must be {expected}, "
                          f"got {type(value).__name__} {value!r}"[:300])


def _field(d: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, expected: str, *,
           optional: bool = False) -> Any:
    if key not in d or d[key] is None:
        if optional:
            return None
        raise SchemaError(f"{where}: missing field {key!r} ({expected})" if key not in d
                          else f"{where}: {key!r} must be {expected}, got null")
    _require(d[key], kind, where, key, expected)
    return d[key]


def _offset(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(value)
    return value


def _extra(d: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The fields this schema does not know, kept so that writing the object back loses nothing."""
    return {k: v for k, v in d.items() if k not in known}


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


# A paragraph that ends in none of these is a headline or a crosshead: news reports hold no unit there.
FINAL_PUNCT = ".!?…:;\"”’')]"
HEADLINE_WORDS = 15  # the longest headline or crosshead of the news and sample corpora has 13 words


def headlines(text: str, paragraphs: Sequence[tuple[int, int]]) -> list[bool]:
    """Which of ``paragraphs`` (spans of ``text``) read as headlines or crossheads: at most ``HEADLINE_WORDS`` words
    and no final punctuation (``FINAL_PUNCT``), unless every paragraph is so (a pasted line without its full stop is
    text)."""
    words = [text[a:b].split() for a, b in paragraphs]
    found = [bool(w) and len(w) <= HEADLINE_WORDS and w[-1][-1] not in FINAL_PUNCT for w in words]
    return [False] * len(found) if all(found) else found


# Stripped from both ends of a predicted span: quotation marks and punctuation are never part of a
# unit in the corpora, and a span of nothing else is no unit.
SPAN_EDGE = "\"'“”‘’«»„.,;:!?-–— \t\n"


def text_at(text: str, spans: list[tuple[int, int]]) -> str:
    """The text at ``spans`` (a unit's fragments join with single spaces): what ``Unit.text`` must be."""
    return " ".join(text[a:b] for a, b in spans)


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without edge punctuation and space, or None when no letter or digit is left."""
    while start < end and text[start] in SPAN_EDGE:
        start += 1
    while end > start and text[end - 1] in SPAN_EDGE:
        end -= 1
    return (start, end) if any(c.isalnum() for c in text[start:end]) else None
