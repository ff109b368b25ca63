"""Show labelled Documents to people: a self-contained HTML page (displaCy span style) and a terminal table."""

from __future__ import annotations

import html
import re
import shutil
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spacy import displacy

from mining.schema import UNIT_LABELS, Document, Unit

#: Highlight colour per unit label: light enough for black label text, distinct from each other.
LABEL_COLORS: dict[str, str] = {
    "major_claim": "#f4a3b4",
    "claim": "#ffc857",
    "premise": "#8fd3e8",
}
#: Colour for labels outside :data:`mining.schema.UNIT_LABELS` (shown, never dropped).
OTHER_COLOR = "#d0d0d0"
RELATION_COLORS: dict[str, str] = {"support": "#2e7d32", "attack": "#c62828"}

# Words (with inner apostrophes or hyphens) and single other characters; whitespace separates tokens.
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|\S")

# displaCy writes every token that is not part of a span as ``escape_html(text + " ")``, which would put
# a space before each punctuation mark. We therefore hand it one placeholder for each stretch of text
# outside the units and write that stretch ourselves afterwards. Span labels are placeholders too:
# displaCy inserts labels unescaped and has no place for data attributes, so the label box is filled in
# after rendering. Whitespace between tokens of a unit is a placeholder that displaCy takes for
# whitespace (U+001F, for which str.isspace() is true; the tokenizer never leaves it in a token).
# NUL never appears in the text (to_html checks), so no text can pass for a placeholder.
_GAP = "\x00g{}\x00"
_KEY = "\x00u{}\x00"
_SPACE = "\x1f"
_GAP_RE = re.compile("\x00g(\\d+)\x00 ?")
_KEY_RE = re.compile("\x00u(\\d+)\x00")
_SPACE_RE = re.compile("\x1f ")
# Lines break only at the source's spaces: the displaCy block is ``nowrap`` and each space is a
# ``<span class="ws">`` that may wrap. Otherwise the browser may break between a highlighted token
# (an inline-block) and the punctuation glued to it, and start a line with a comma.
_WS_HTML = '<span class="ws"> </span>'

# displaCy's own span templates (spacy/displacy/templates.py TPL_SPAN, TPL_SPAN_SLICE, TPL_SPAN_START),
# without the whitespace around them, which shows as a space between adjacent tokens, and with a label
# box that does not wrap (displaCy labels are single words; ours name unit, stance and holder).
_TPL_SPAN = (
    '<span class="token" style="font-weight: bold; display: inline-block; position: relative; '
    'height: {total_height}px;">{text}{span_slices}{span_starts}</span>'
)
_TPL_SLICE = (
    '<span style="background: {bg}; top: {top_offset}px; height: 4px; left: -1px; '
    'width: calc(100% + 2px); position: absolute;"></span>'
)
_TPL_START = (
    '<span style="background: {bg}; top: {top_offset}px; height: 4px; border-top-left-radius: 3px; '
    'border-bottom-left-radius: 3px; left: -1px; width: calc(100% + 2px); position: absolute;">'
    '<span style="background: {bg}; z-index: 10; color: #000; top: -0.5em; padding: 2px 3px; '
    "position: absolute; font-size: 0.7em; font-weight: bold; line-height: 1; border-radius: 3px; "
    'white-space: nowrap; box-shadow: 0 0 0 1px #fff;">{label}{kb_link}</span></span>'
)
# Vertical layout in px, as displaCy's options: where the first underline sits below the token top,
# how much room its label needs, and the step between stacked (overlapping) units.
_TOP_OFFSET = 40
_LABEL_OFFSET = 20
_OFFSET_STEP = 17

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d1d1f;
       background: #f6f6f4; margin: 0 auto; padding: 1.5rem 2rem; line-height: 1.4; max-width: 66rem; }
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
/* The text column leaves room on the right for labels of units that start at the end of a line. */
.text { max-width: 48rem; }
.paragraph { margin: 0 0 0.9rem; padding-left: 0.6rem; border-left: 3px solid #e4e4e4; }
.paragraph .spans { font-size: 1rem; white-space: nowrap; }
.paragraph .spans .ws { white-space: normal; }
.empty { color: #777; font-style: italic; }
h3 { font-size: 0.95rem; margin: 0.75rem 0 0.3rem; }
ol.relations { margin: 0; padding-left: 1.5rem; font-size: 0.9rem; }
li.relation { margin: 0.15rem 0; }
.rel-label { font-weight: bold; white-space: nowrap; }
.rel-unit { font-weight: bold; }
.quote { color: #444; }
"""


def to_html(docs: Sequence[Document], *, title: str = "mining") -> str:
    """Render documents as one self-contained HTML page: highlighted units, their holders and relations.

    Each document's text is drawn in displaCy's span style (``spacy.displacy.render(style="span",
    manual=True)``), one block per paragraph and one line per line break, with each unit fragment
    underlined in its label's colour and labelled ``T1 claim · for · Helena Marsh``. The relations
    follow as a list. The page has inline CSS only: no scripts, fonts or external URLs.

    Markup hooks for tools and tests: ``<section class="document" data-id>``; per unit fragment one
    ``<span class="unit" data-unit-id data-label data-stance data-holder data-fragment>`` (stance and
    holder are ``""`` when unset; a fragment that runs over a line break gets a second label marked
    ``data-continued="true"``); ``<li class="relation" data-id data-source data-target data-label>``;
    the legend is ``<ul class="legend">`` with one ``<li data-label>`` per unit label.

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
    ValueError
        If a unit's offsets are outside the text or cover no visible character, a relation names a
        unit the document does not have, or the text contains a NUL character.

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
    sections = "\n".join(_render_document(doc) for doc in docs)
    legend = "".join(
        f'<li data-label="{_attr(label)}"><span class="swatch" style="background: {_color(label)}"></span>'
        f"{_text(label)}</li>"
        for label in labels
    )
    legend += (
        '<li class="note">label: unit id, label · stance · holder; '
        f'relations: <span style="color: {RELATION_COLORS["support"]}">support</span>, '
        f'<span style="color: {RELATION_COLORS["attack"]}">attack</span></li>'
    )
    body = sections or '<p class="empty">No documents.</p>'
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{_text(title)}</title>\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n<h1>{_text(title)}</h1>\n"
        f'<ul class="legend">{legend}</ul>\n{body}\n</body>\n</html>\n'
    )


def to_table(docs: Sequence[Document], *, width: int | None = None) -> str:
    """Summarise documents as plain text: per document a summary line, then one row per unit.

    Rows are sorted by holder, then position in the text, and show holder, stance (``-`` when
    unset), label, unit id and the unit text shortened to fit ``width`` (default: the terminal width,
    ``shutil.get_terminal_size``). The output has no colour codes.

    Parameters
    ----------
    docs : sequence of Document
    width : int, optional
        Line width in characters.

    Returns
    -------
    str

    Examples
    --------
    >>> from mining.schema import Document, Unit
    >>> doc = Document(id="d1", text="Taxes are bad.", units=[Unit("T1", 0, 13, "Taxes are bad", "claim")])
    >>> print(to_table([doc], width=60))
    d1: 1 unit (claim 1); 0 holders: -
    doc  holder  stance  label  id  text
    d1   -       -       claim  T1  Taxes are bad
    """
    width = width or shutil.get_terminal_size().columns
    header = ("doc", "holder", "stance", "label", "id")
    rows: list[tuple[Document, list[tuple[str, ...]]]] = []
    for doc in docs:
        units = sorted(doc.units, key=_row_order)
        rows.append((doc, [(doc.id, u.holder or "-", u.stance or "-", u.label, u.id, _unit_text(doc, u))
                           for u in units]))
    # Fixed columns as wide as their content, capped so that the unit text keeps most of the line.
    caps = (max(8, width // 8), max(12, width // 4), 7, 11, 6)
    widths = [
        min(cap, max([len(h)] + [len(r[i]) for _, rs in rows for r in rs]))
        for i, (h, cap) in enumerate(zip(header, caps))
    ]
    text_width = max(10, width - sum(widths) - 2 * len(widths))

    def line(cells: Sequence[str], text: str) -> str:
        fixed = "  ".join(_fit(c, w).ljust(w) for c, w in zip(cells, widths))
        return f"{fixed}  {_fit(text, text_width)}".rstrip()

    out = []
    for doc, doc_rows in rows:
        out.append(_fit(_summary(doc), width))
        if doc_rows:
            out.append(line(header, "text"))
            out.extend(line(r[:5], r[5]) for r in doc_rows)
        out.append("")
    return "\n".join(out).rstrip("\n")


def to_tsv(docs: Sequence[Document]) -> str:
    """One tab-separated row per unit with its full text, for files and pipes (``to_table`` is for a terminal).

    Columns: doc, holder, stance, label, id, start, end, text; rows in the order of :func:`to_table`.
    Tabs and line breaks inside a unit's text become spaces.

    >>> from mining.schema import Document, Unit
    >>> doc = Document(id="d1", text="Taxes are bad.", units=[Unit("T1", 0, 13, "Taxes are bad", "claim")])
    >>> print(to_tsv([doc]).replace("\\t", "|"))
    doc|holder|stance|label|id|start|end|text
    d1|-|-|claim|T1|0|13|Taxes are bad
    """
    out = ["\t".join(("doc", "holder", "stance", "label", "id", "start", "end", "text"))]
    for doc in docs:
        for u in sorted(doc.units, key=_row_order):
            text = " ".join(_unit_text(doc, u).replace("\t", " ").splitlines())
            out.append("\t".join((doc.id, u.holder or "-", u.stance or "-", u.label, u.id, str(u.start),
                                   str(u.end), text)))
    return "\n".join(out)


def _row_order(unit: Unit) -> tuple:
    """The order of a document's rows in the table and the TSV: by holder, then position."""
    return (unit.holder or "").casefold(), unit.start, unit.end, unit.id


def _summary(doc: Document) -> str:
    counts = Counter(u.label for u in doc.units)
    labels = [lab for lab in UNIT_LABELS if counts[lab]] + sorted(set(counts) - set(UNIT_LABELS))
    per_label = ", ".join(f"{lab} {counts[lab]}" for lab in labels)
    holders = sorted({u.holder for u in doc.units if u.holder})
    n = len(doc.units)
    return (f"{doc.id}: {n} unit{'' if n == 1 else 's'}" + (f" ({per_label})" if per_label else "")
            + f"; {len(holders)} holder{'' if len(holders) == 1 else 's'}: {', '.join(holders) or '-'}")


def _fit(text: str, width: int) -> str:
    """``text`` on one line, cut with an ellipsis when longer than ``width``."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"


def _unit_text(doc: Document, unit: Unit) -> str:
    # The document text at the offsets is the truth (schema.Unit); fragments join with single spaces.
    return " ".join(doc.text[a:b] for a, b in unit.spans())


def _shorten(text: str, width: int = 50) -> str:
    return textwrap.shorten(text, width, placeholder=" …")


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _attr(value: str | None) -> str:
    return html.escape(value or "", quote=True)


def _color(label: str) -> str:
    return LABEL_COLORS.get(label, OTHER_COLOR)


@dataclass
class _Piece:
    """A unit fragment, or the part of it on one line."""

    unit: Unit
    fragment: int
    start: int
    end: int
    continued: bool = False


def _render_document(doc: Document) -> str:
    _check(doc)
    pieces = [_Piece(u, i, a, b) for u in doc.units for i, (a, b) in enumerate(u.spans())]
    shown: set[tuple[str, int]] = set()
    blocks = []
    for start, end in _blocks(doc):
        lines = []
        for lstart, lend in _lines(doc.text, start, end):
            markup, drawn = _render_line(doc.text, lstart, lend, pieces, shown)
            shown |= drawn
            lines.append(markup)
        blocks.append(f'<div class="paragraph" data-start="{start}" data-end="{end}">{"".join(lines)}</div>')
    missing = [f"{p.unit.id}[{p.fragment}]" for p in pieces if (p.unit.id, p.fragment) not in shown]
    if missing:
        raise ValueError(f"document {doc.id!r}: unit fragments cover no visible text: {', '.join(missing)}")
    text = "\n".join(blocks) if blocks else '<p class="empty">Empty document.</p>'
    meta = [f"{len(doc.units)} units, {len(doc.relations)} relations"]
    if doc.topic:
        meta.append(f"topic: {doc.topic}")
    if doc.split:
        meta.append(f"split: {doc.split}")
    return (
        f'<section class="document" data-id="{_attr(doc.id)}">\n<h2>{_text(doc.id)}</h2>\n'
        f'<p class="meta">{_text(" · ".join(meta))}</p>\n<div class="text">\n{text}\n</div>\n'
        f"{_render_relations(doc)}\n</section>"
    )


def _check(doc: Document) -> None:
    if "\x00" in doc.text:
        raise ValueError(f"document {doc.id!r}: the text contains a NUL character")
    n = len(doc.text)
    for unit in doc.units:
        for a, b in unit.spans():
            if not 0 <= a < b <= n:
                raise ValueError(f"document {doc.id!r}: unit {unit.id} span {a}-{b} is outside the text "
                                 f"(length {n}) or empty")
    ids = {u.id for u in doc.units}
    for rel in doc.relations:
        for end in (rel.source, rel.target):
            if end not in ids:
                raise ValueError(f"document {doc.id!r}: relation {rel.id} names unknown unit {end!r}")


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


def _render_line(text: str, start: int, end: int, pieces: list[_Piece],
                 shown: set[tuple[str, int]]) -> tuple[str, set[tuple[str, int]]]:
    """One line in displaCy's span style; returns the markup and the fragments it labelled."""
    tokens = [(start + m.start(), start + m.end()) for m in _TOKEN.finditer(text[start:end])]
    spans = _token_spans(tokens, pieces)
    words, gaps, index = _display_tokens(text, start, end, tokens, spans)
    labels: list[_Piece] = []
    manual_spans = []
    drawn = set()
    for s, e, p in spans:
        key = (p.unit.id, p.fragment)
        label = _Piece(p.unit, p.fragment, p.start, p.end, continued=key in shown or key in drawn)
        drawn.add(key)
        # end_token is exclusive, as in displacy.parse_spans (span.end).
        manual_spans.append({"start_token": index[s], "end_token": index[e - 1] + 1,
                             "label": _KEY.format(len(labels))})
        labels.append(label)
    options = {
        "colors": {_KEY.format(i): _color(p.unit.label) for i, p in enumerate(labels)},
        "template": {"span": _TPL_SPAN, "slice": _TPL_SLICE, "start": _TPL_START},
        "top_offset": _TOP_OFFSET,
        "span_label_offset": _LABEL_OFFSET,
        "top_offset_step": _OFFSET_STEP,
    }
    markup = displacy.render({"text": text[start:end], "tokens": words, "spans": manual_spans},
                             style="span", manual=True, page=False, jupyter=False, options=options)
    markup = _GAP_RE.sub(lambda m: re.sub(r"\s+", _WS_HTML, _text(gaps[int(m.group(1))])), markup)
    markup = _SPACE_RE.sub(_WS_HTML, markup)
    markup = _KEY_RE.sub(lambda m: _unit_label(labels[int(m.group(1))]), markup)
    return markup, drawn


def _token_spans(tokens: list[tuple[int, int]], pieces: list[_Piece]) -> list[tuple[int, int, _Piece]]:
    """Each piece as the tokens it overlaps, ``(first, last + 1, piece)``: a unit boundary inside a
    word widens to the whole word. Pieces that cover no token are left out."""
    spans = []
    for p in pieces:
        covered = [i for i, (a, b) in enumerate(tokens) if a < p.end and b > p.start]
        if covered:
            spans.append((covered[0], covered[-1] + 1, p))
    return spans


def _display_tokens(text: str, start: int, end: int, tokens: list[tuple[int, int]],
                    spans: list[tuple[int, int, _Piece]]) -> tuple[list[str], list[str], dict[int, int]]:
    """displaCy's tokens for the line, the text of each gap placeholder, and token -> displaCy token.

    Tokens inside spans and the whitespace between them stay as they are; every other stretch of the
    line becomes one placeholder (see _GAP).
    """
    in_span = [False] * len(tokens)
    for s, e, _ in spans:
        for i in range(s, e):
            in_span[i] = True
    words: list[str] = []
    gaps: list[str] = []
    index: dict[int, int] = {}
    pos = start
    for i, (a, b) in enumerate(tokens):
        if not in_span[i]:
            continue
        if a > pos:
            if i > 0 and in_span[i - 1]:
                words.append(_SPACE)  # whitespace between units' tokens
            else:
                words.append(_GAP.format(len(gaps)))
                gaps.append(text[pos:a])
        index[i] = len(words)
        words.append(text[a:b])
        pos = b
    if pos < end:
        words.append(_GAP.format(len(gaps)))
        gaps.append(text[pos:end])
    return words, gaps, index


def _unit_label(piece: _Piece) -> str:
    unit = piece.unit
    parts = [unit.label] + [v for v in (unit.stance, unit.holder) if v]
    caption = f"{'↳ ' if piece.continued else ''}{unit.id} {' · '.join(parts)}"
    if unit.fragments:
        caption += f" ({piece.fragment + 1}/{len(unit.fragments)})"
    continued = ' data-continued="true"' if piece.continued else ""
    return (
        f'<span class="unit" data-unit-id="{_attr(unit.id)}" data-label="{_attr(unit.label)}" '
        f'data-stance="{_attr(unit.stance)}" data-holder="{_attr(unit.holder)}" '
        f'data-fragment="{piece.fragment}"{continued}>{_text(caption)}</span>'
    )


def _render_relations(doc: Document) -> str:
    if not doc.relations:
        return '<p class="empty">No relations.</p>'
    items = []
    for rel in doc.relations:
        source, target = doc.unit(rel.source), doc.unit(rel.target)
        color = RELATION_COLORS.get(rel.label, "#555")
        items.append(
            f'<li class="relation" data-id="{_attr(rel.id)}" data-source="{_attr(rel.source)}" '
            f'data-target="{_attr(rel.target)}" data-label="{_attr(rel.label)}">'
            f'<span class="rel-unit">{_text(source.id)}</span> '
            f'<span class="quote">“{_text(_shorten(_unit_text(doc, source)))}”</span> '
            f'<span class="rel-label" style="color: {color}">—{_text(rel.label)}→</span> '
            f'<span class="rel-unit">{_text(target.id)}</span> '
            f'<span class="quote">“{_text(_shorten(_unit_text(doc, target)))}”</span></li>'
        )
    return f'<h3>Relations</h3>\n<ol class="relations">\n{chr(10).join(items)}\n</ol>'
