"""Labelled Documents as one self-contained HTML page: the text with its units, and the relations beside it."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from mining.errors import CorpusError
from mining.label.render.lines import Piece, attr_html, color, render_line, text_html
from mining.label.render.table import unit_text
from mining.schema import UNIT_LABELS, Document, Relation

RELATION_COLORS: dict[str, str] = {"support": "#2e7d32", "attack": "#c62828"}
#: Colour of relations with other labels.
OTHER_RELATION_COLOR = "#555"
# A tag's width per caption character in the text's em (the tag's bold 0.7em font is about 0.62 of its
# own em wide per character: 0.43, rounded up), and its padding. A paragraph keeps that much room on
# its right, so that a tag that starts at the end of a line never runs under the relations beside it.
_TAG_EM_PER_CHAR = 0.45
_TAG_EM_PADDING = 0.75
# The relations column and the gap before it (.row in _CSS), in em.
_SIDE_EM = 17 + 1.25

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d1d1f;
       background: #f6f6f4; margin: 0 auto; padding: 1.5rem 2rem; line-height: 1.4; max-width: 80rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.75rem; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; padding: 0.6rem 0.9rem;
          margin: 0 0 1.25rem; background: #fff; border: 1px solid #ddd; border-radius: 6px; font-size: 0.9rem; }
.legend .swatch { display: inline-block; width: 1.6em; height: 0.7em; border-radius: 3px;
                  vertical-align: middle; margin-right: 0.4em; }
.legend .note { color: #555; }
section.document { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 0.75rem 1.25rem 1rem;
                   margin: 0 0 1.5rem; }
section.document h2 { font-size: 1.15rem; margin: 0 0 0.25rem; }
section.document .meta { color: #555; font-size: 0.85rem; margin: 0 0 0.5rem; }
/* One row per paragraph: the text, and beside it the relations whose source unit starts there. */
.row { display: grid; grid-template-columns: minmax(0, 1fr) 17rem; column-gap: 1.25rem; align-items: start;
       margin: 0 0 0.9rem; }
.paragraph { padding-left: 0.6rem; border-left: 3px solid #e4e4e4; min-width: 0; }
.paragraph .spans { font-size: 1rem; white-space: nowrap; }
.paragraph .spans .ws { white-space: normal; }
.empty { color: #777; font-style: italic; }
ol.relations { list-style: none; margin: 0; padding: 0; font-size: 0.85rem; }
li.relation { margin: 0 0 0.35rem; padding: 0.2rem 0.45rem; border-left: 3px solid #999; border-radius: 3px;
              background: #f7f7f7; cursor: default; }
li.relation:hover, li.relation:focus { background: #fff1b8; outline: 1px solid #d9b600; }
.rel-label { font-weight: bold; white-space: nowrap; }
.rel-unit { font-weight: bold; }
.quote { color: #444; display: block; }
/* A narrow window puts the relations below their paragraph, and the text takes the whole width. */
@media (max-width: 52rem) { .row { grid-template-columns: minmax(0, 1fr); }
                            .paragraph { padding-right: 0 !important; } }
"""
# How a linked unit looks while its relation is hovered or focused: its words on a yellow ground (as
# high as the text line, not the whole token box with its underlines) and its tag outlined.
_LINKED_TOKEN = "background: linear-gradient(#fff1b8, #fff1b8) 0 0.2em / 100% 1.3em no-repeat;"
_LINKED_TAG = "outline: 2px solid #1d1d1f; z-index: 20;"


def to_html(docs: Sequence[Document], *, title: str = "mining") -> str:
    """Render documents as one self-contained HTML page: highlighted units, their holders and relations.

    Each document's text is drawn in displaCy's span style (``spacy.displacy.render(style="span",
    manual=True)``), one block per paragraph and one line per line break, with each unit fragment
    underlined in its label's colour and tagged ``T1 claim · for · Helena Marsh``. Beside each paragraph
    are the relations whose source unit starts in it; hovering or focusing (Tab) a relation highlights
    its two units, and hovering a tag highlights the unit's relations. The page has inline CSS only:
    no scripts, fonts or external URLs.

    Markup hooks for tools and tests: ``<section class="document" id="doc-N" data-id>``; per paragraph
    a ``<div class="row">`` holding ``<div class="paragraph" data-start data-end>`` and, when it has
    any, ``<ol class="relations">``; per unit fragment one ``<span class="unit" data-unit-id data-label
    data-stance data-holder data-fragment>`` inside its tag box ``<span class="tag" data-of>``
    (stance and holder are ``""`` when unset; a fragment that runs over a line break gets a second tag,
    marked ``data-continued="true"``); each underline is a ``<span class="slice" data-of>``;
    ``<li class="relation" data-id data-source data-target data-label>``; the legend is
    ``<ul class="legend">`` with one ``<li data-label>`` per unit label.

    Parameters
    ----------
    docs : sequence of Document
    title : str
        The page title and heading.

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    CorpusError
        (a ValueError) naming the document, if a unit's offsets are outside the text or cover no visible
        character, a relation names a unit the document does not have, or the text contains a NUL character.

    Examples
    --------
    >>> from mining.schema import Document, Unit
    >>> doc = Document(id="d1", text="Taxes are bad.", paragraphs=[(0, 14)],
    ...                units=[Unit("T1", 0, 13, "Taxes are bad", "claim", stance="against")])
    >>> page = to_html([doc])
    >>> 'data-unit-id="T1"' in page and 'data-stance="against"' in page
    True
    """
    labels = list(UNIT_LABELS) + sorted({u.label for d in docs for u in d.units} - set(UNIT_LABELS))
    sections = "\n".join(_render_document(doc, n) for n, doc in enumerate(docs))
    linking = "\n".join(_linking_css(doc, n) for n, doc in enumerate(docs))
    body = sections or '<p class="empty">No documents.</p>'
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{text_html(title)}</title>\n'
        f"<style>{_CSS}{linking}\n</style>\n</head>\n<body>\n<h1>{text_html(title)}</h1>\n"
        f"{_legend(labels)}\n{body}\n</body>\n</html>\n"
    )


def _legend(labels: list[str]) -> str:
    items = "".join(
        f'<li data-label="{attr_html(label)}"><span class="swatch" style="background: {color(label)}"></span>'
        f"{text_html(label)}</li>"
        for label in labels
    )
    note = (
        '<li class="note">tag: unit id, label · stance · holder; beside each paragraph, the relations '
        f'from its units (<span style="color: {RELATION_COLORS["support"]}">support</span>, '
        f'<span style="color: {RELATION_COLORS["attack"]}">attack</span>): point at one to see its units</li>'
    )
    return f'<ul class="legend">{items}{note}</ul>'


def _render_document(doc: Document, n: int) -> str:
    _check(doc)
    pieces = [Piece(u, i, a, b) for u in doc.units for i, (a, b) in enumerate(u.spans())]
    shown: set[tuple[str, int]] = set()
    home: dict[str, int] = {}  # unit id -> the block where its first tag is drawn
    blocks: list[tuple[int, int, str, int]] = []
    for start, end in _blocks(doc):
        markup, widest = [], 0
        for lstart, lend in _lines(doc.text, start, end):
            line = render_line(doc.text, lstart, lend, pieces, shown)
            for unit_id, _ in line.drawn:
                home.setdefault(unit_id, len(blocks))
            shown |= line.drawn
            markup.append(line.markup)
            widest = max(widest, line.widest_tag)
        blocks.append((start, end, "".join(markup), widest))
    missing = [f"{p.unit.id}[{p.fragment}]" for p in pieces if (p.unit.id, p.fragment) not in shown]
    if missing:
        raise CorpusError(f"unit fragments cover no visible text: {', '.join(missing)}{_ELSE}", item=doc.id)
    rows = _rows(doc, blocks, home)
    text = "\n".join(rows) if rows else '<p class="empty">Empty document.</p>'
    meta = [f"{len(doc.units)} units, {len(doc.relations)} relations"]
    if doc.topic:
        meta.append(f"topic: {doc.topic}")
    if doc.split:
        meta.append(f"split: {doc.split}")
    return (
        f'<section class="document" id="doc-{n}" data-id="{attr_html(doc.id)}">\n<h2>{text_html(doc.id)}</h2>\n'
        f'<p class="meta">{text_html(" · ".join(meta))}</p>\n<div class="text">\n{text}\n</div>\n</section>'
    )


def _rows(doc: Document, blocks: list[tuple[int, int, str, int]], home: dict[str, int]) -> list[str]:
    """One row per block: the text, and beside it the relations whose source unit is first tagged there."""
    beside: list[list[Relation]] = [[] for _ in blocks]
    for rel in doc.relations:
        beside[home[rel.source]].append(rel)
    rows = []
    for (start, end, markup, widest), rels in zip(blocks, beside):
        # A row without relations lends its empty side column to the tags.
        room = max(0.0, widest * _TAG_EM_PER_CHAR + _TAG_EM_PADDING - (0 if rels else _SIDE_EM)) if widest else 0
        room = round(room, 2)
        side = (f'<ol class="relations">{"".join(_relation_item(doc, rel) for rel in rels)}</ol>'
                if rels else "")
        rows.append(f'<div class="row"><div class="paragraph" data-start="{start}" data-end="{end}" '
                    f'style="padding-right: {room}em">{markup}</div>{side}</div>')
    return rows


def _relation_item(doc: Document, rel: Relation) -> str:
    """``T2 —support→ T1`` and the target's text, beside the source unit."""
    source, target = doc.unit(rel.source), doc.unit(rel.target)
    rel_color = RELATION_COLORS.get(rel.label, OTHER_RELATION_COLOR)
    return (
        f'<li class="relation" tabindex="0" data-id="{attr_html(rel.id)}" data-source="{attr_html(rel.source)}" '
        f'data-target="{attr_html(rel.target)}" data-label="{attr_html(rel.label)}" '
        f'style="border-left-color: {rel_color}">'
        f'<span class="rel-unit">{text_html(source.id)}</span> '
        f'<span class="rel-label" style="color: {rel_color}">—{text_html(rel.label)}→</span> '
        f'<span class="rel-unit">{text_html(target.id)}</span> '
        f'<span class="quote">“{text_html(_shorten(unit_text(doc, target)))}”</span></li>'
    )


def _linking_css(doc: Document, n: int) -> str:
    """The rules that link a document's relations and units while one of them is pointed at.

    CSS ``:has()`` does it without a script: the section that has a hovered (or focused) relation
    highlights the tokens and tags of that relation's two units; a hovered tag highlights its relations.
    """
    section = f"#doc-{n}"
    rules = []
    for rel in doc.relations:
        pointed = f"{section}:has(.relation[data-id={_css_string(rel.id)}]:is(:hover, :focus))"
        ends = [_css_string(rel.source), _css_string(rel.target)]
        tokens = ", ".join(f".token:has(> [data-of={end}])" for end in ends)
        tags = ", ".join(f".tag[data-of={end}]" for end in ends)
        rules.append(f"{pointed} :is({tokens}) {{ {_LINKED_TOKEN} }}")
        rules.append(f"{pointed} :is({tags}) {{ {_LINKED_TAG} }}")
    for unit_id in dict.fromkeys(end for rel in doc.relations for end in (rel.source, rel.target)):
        q = _css_string(unit_id)
        rules.append(f"{section}:has(.tag[data-of={q}]:hover) .relation:is([data-source={q}], [data-target={q}]) "
                     "{ background: #fff1b8; outline: 1px solid #d9b600; }")
    return "\n".join(rules)


def _css_string(value: str) -> str:
    """``value`` as a quoted CSS string that cannot end the string or the ``<style>`` element early."""
    return '"' + "".join(f"\\{ord(ch):x} " if ch in '\\"<>&' or not ch.isprintable() else ch for ch in value) + '"'


def _shorten(text: str, width: int = 50) -> str:
    return textwrap.shorten(text, width, placeholder=" …")


_ELSE = "; the page is not written (--format jsonl keeps the labels)"


def _check(doc: Document) -> None:
    if "\x00" in doc.text:
        raise CorpusError(f"the text contains a NUL character, which an HTML page cannot show{_ELSE}", item=doc.id)
    n = len(doc.text)
    for unit in doc.units:
        for a, b in unit.spans():
            if not 0 <= a < b <= n:
                raise CorpusError(f"unit {unit.id} span {a}-{b} is outside the text (length {n}) or empty{_ELSE}",
                                  item=doc.id)
    ids = {u.id for u in doc.units}
    for rel in doc.relations:
        for end in (rel.source, rel.target):
            if end not in ids:
                raise CorpusError(f"relation {rel.id} names unknown unit {end!r}{_ELSE}", item=doc.id)


def _blocks(doc: Document) -> list[tuple[int, int]]:
    """The paragraphs, plus any visible text outside them (so that no unit goes missing)."""
    n = len(doc.text)
    paragraphs = sorted((max(0, a), min(n, b)) for a, b in doc.paragraphs if a < b)
    blocks, pos = [], 0
    for a, b in paragraphs + [(n, n)]:
        if a > pos and doc.text[pos:a].strip():
            blocks.append((pos, a))
        if a < b:
            blocks.append((a, b))
        pos = max(pos, b)
    return blocks


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-blank lines of ``text[start:end]``, without their surrounding whitespace."""
    out = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        line = m.group()
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append((start + m.start() + lead, start + m.start() + len(line.rstrip())))
    return out
