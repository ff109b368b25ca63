"""Instances: a unit (or an ordered pair of units) seen in its parsed document, the input of every feature."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from spacy.tokens import Doc, Span

from mining.nlp.sharing import once_per_batch
from mining.nlp.tokens import tokens_of
from mining.schema import Document, Unit

T = TypeVar("T")


@dataclass(eq=False)
class UnitInstance:
    """One unit with everything a feature may look at: the parse, its paragraph and its neighbours.

    ``index`` counts units in document order; ``prev``/``next`` are the neighbouring units in the
    same paragraph (None at the paragraph edges).
    """

    document: Document
    parsed: Doc
    unit: Unit
    index: int
    paragraph: int
    n_paragraphs: int
    index_in_paragraph: int
    n_in_paragraph: int
    prev: Unit | None = None
    next: Unit | None = None

    @property
    def text(self) -> str:
        return self.unit.text

    @cached_property
    def span(self) -> Span:
        """The unit's tokens (expanded to token boundaries)."""
        # Doc.char_span's token range, found by bisecting the (shared) token offsets.
        found = tokens_of(self.parsed).char_span(self.unit.start, self.unit.end, alignment_mode="expand")
        if found is None:  # only when offsets fall outside the text, which validation rejects
            raise ValueError(f"unit {self.unit.id} of {self.document.id} cannot be aligned to tokens")
        return self.parsed[found[0]:found[1]]

    @cached_property
    def sentence(self) -> Span:
        """The sentence in which the unit starts."""
        return self.span[0].sent

    @property
    def preceding(self) -> str:
        """The "shell": the sentence's text before the unit (e.g. "Therefore, I believe that")."""
        return self.parsed.text[self.sentence.start_char:self.unit.start]

    @property
    def following(self) -> str:
        """The sentence's text after the unit (often just the final punctuation)."""
        end = max(self.sentence.end_char, self.unit.end)
        return self.parsed.text[self.unit.end:end]

    @cached_property
    def paragraph_span(self) -> tuple[int, int]:
        if 0 <= self.paragraph < len(self.document.paragraphs):
            return self.document.paragraphs[self.paragraph]
        return (0, len(self.document.text))


@dataclass(eq=False)
class PairInstance:
    """An ordered pair of units of one paragraph: does ``source`` support or attack ``target``?"""

    source: UnitInstance
    target: UnitInstance

    @property
    def document(self) -> Document:
        return self.source.document

    @property
    def parsed(self) -> Doc:
        return self.source.parsed

    @property
    def distance(self) -> int:
        """Signed distance in units: positive when the target comes after the source."""
        return self.target.index - self.source.index

    @property
    def between(self) -> str:
        """The text between the two units."""
        a, b = sorted((self.source.unit, self.target.unit), key=lambda u: u.start)
        return self.document.text[a.end:b.start]


def build_unit_instances(document: Document, parsed: Doc, units: Sequence[Unit] | None = None) -> list[UnitInstance]:
    """Instances for ``units`` (default: the document's gold units), in document order.

    Implicit units (``Unit.implicit``: in the argument graph, not in the text) have no tokens, so they
    get no instance, and are nobody's neighbour: every task skips them and every pair that has one.
    """
    units = sorted((u for u in (document.units if units is None else units) if not u.implicit),
                   key=lambda u: (u.start, u.end))
    paragraph_of = [document.paragraph_index(u.start) for u in units]
    by_paragraph: dict[int, list[int]] = {}
    for i, p in enumerate(paragraph_of):
        by_paragraph.setdefault(p, []).append(i)
    instances = []
    for i, unit in enumerate(units):
        members = by_paragraph[paragraph_of[i]]
        k = members.index(i)
        instances.append(UnitInstance(
            document=document,
            parsed=parsed,
            unit=unit,
            index=i,
            paragraph=paragraph_of[i],
            n_paragraphs=max(len(document.paragraphs), 1),
            index_in_paragraph=k,
            n_in_paragraph=len(members),
            prev=units[members[k - 1]] if k > 0 else None,
            next=units[members[k + 1]] if k + 1 < len(members) else None,
        ))
    return instances


def unit_instances(doc: Document, parsed: Doc) -> list[UnitInstance]:
    """``build_unit_instances(doc, parsed)``, built once per list of units in a ``sharing()`` block: the
    labeller's stance and relation steps (and typing, where it drops no unit) and the stance model's own
    look at a party's other units get the same instances, so the extractors they have in common compute
    each unit's row once."""
    return once_per_batch(("units", *map(id, doc.units)), doc, lambda: build_unit_instances(doc, parsed))


def documents_of(instances: Sequence[UnitInstance | PairInstance]) -> list[tuple[Document, Doc]]:
    """The distinct (document, parse) pairs the instances come from, in order of first sight."""
    return list({id(inst.document): (inst.document, inst.parsed) for inst in instances}.values())


def layout_key(inst: UnitInstance) -> tuple:
    """What a unit instance is made of but its units' labels: its document and parse, its span, its neighbours'
    spans and its places. Instances rebuilt after typing drops units mostly keep theirs; an extractor that
    reads nothing else (no label) gives them equal rows (``sharing``'s ``row_key``)."""
    prev, next_ = inst.prev, inst.next
    return (id(inst.document), id(inst.parsed), inst.unit.start, inst.unit.end,
            None if prev is None else (prev.start, prev.end), None if next_ is None else (next_.start, next_.end),
            inst.index, inst.paragraph, inst.n_paragraphs, inst.index_in_paragraph, inst.n_in_paragraph)


def once_per_span(kind: Hashable, inst: UnitInstance, build: Callable[[], T]) -> T:
    """``build()`` for ``inst``'s unit span in its parse, once per ``sharing()`` block: for what depends on
    the parse and the span alone, so that the instances rebuilt for the same unit (after typing drops some
    units) and the extractors of one class share it."""
    return once_per_batch((kind, inst.unit.start, inst.unit.end), inst.parsed, build)


def build_pair_instances(units: Sequence[UnitInstance], max_distance: int | None = None) -> list[PairInstance]:
    """Every ordered pair of distinct units that share a paragraph of the same document.

    With ``max_distance``, only pairs at most that many units apart (within the paragraph).
    """
    by_paragraph: dict[tuple[str, int], list[UnitInstance]] = {}
    for inst in units:
        by_paragraph.setdefault((inst.document.id, inst.paragraph), []).append(inst)
    limit = max_distance if max_distance is not None else len(units)
    return [PairInstance(members[i], members[j]) for members in by_paragraph.values()
            for i in range(len(members)) for j in range(max(0, i - limit), min(len(members), i + limit + 1))
            if i != j]
