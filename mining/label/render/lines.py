"""One line of a labelled text as HTML in displaCy's span style: units underlined, each with a tag."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from spacy import displacy

from mining.schema import Unit

#: Highlight colour per unit label: light enough for black label text, distinct from each other.
LABEL_COLORS: dict[str, str] = {
    "major_claim": "#f4a3b4",
    "claim": "#ffc857",
    "premise": "#8fd3e8",
}
#: Colour for labels outside :data:`mining.schema.UNIT_LABELS` (shown, never dropped).
OTHER_COLOR = "#d0d0d0"

# Words (with inner apostrophes or hyphens) and single other characters; whitespace separates tokens.
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|\S")

# displaCy writes every token that is not part of a span as ``escape_html(text + " ")``, which would put
# a space before each punctuation mark. We therefore hand it one placeholder for each stretch of text
# outside the units and write that stretch ourselves afterwards. Span labels are placeholders too:
# displaCy inserts labels unescaped and has no place for data attributes, so the label box is filled in
# after rendering. Each label's colour is a placeholder as well, so that every underline and tag box it
# draws can be marked with its unit (``data-of``) for the highlighting of linked units.
# Whitespace between tokens of a unit is a placeholder that displaCy takes for
# whitespace (U+001F, for which str.isspace() is true; the tokenizer never leaves it in a token).
# NUL never appears in the text (to_html checks), so no text can pass for a placeholder.
_GAP = "\x00g{}\x00"
_KEY = "\x00u{}\x00"
_BG = "\x00b{}\x00"
_SPACE = "\x1f"
_GAP_RE = re.compile("\x00g(\\d+)\x00 ?")
_KEY_RE = re.compile("\x00u(\\d+)\x00")
_BG_RE = re.compile('style="background: \x00b(\\d+)\x00;')
_SPACE_RE = re.compile("\x1f ")
# Lines break only at the source's spaces: the displaCy block is ``nowrap`` and each space is a
# ``<span class="ws">`` that may wrap. Otherwise the browser may break between a highlighted token
# (an inline-block) and the punctuation glued to it, and start a line with a comma.
_WS_HTML = '<span class="ws"> </span>'

# displaCy's own span templates (spacy/displacy/templates.py TPL_SPAN, TPL_SPAN_SLICE, TPL_SPAN_START),
# without the whitespace around them, which shows as a space between adjacent tokens, with a label
# box that does not wrap (displaCy labels are single words; ours name unit, stance and holder), and
# with class names for the page's stylesheet (``slice``: an underline; ``tag``: a label box).
_TPL_SPAN = (
    '<span class="token" style="font-weight: bold; display: inline-block; position: relative; '
    'height: {total_height}px;">{text}{span_slices}{span_starts}</span>'
)
_TPL_SLICE = (
    '<span class="slice" style="background: {bg}; top: {top_offset}px; height: 4px; left: -1px; '
    'width: calc(100% + 2px); position: absolute;"></span>'
)
_TPL_START = (
    '<span class="slice" style="background: {bg}; top: {top_offset}px; height: 4px; border-top-left-radius: 3px; '
    'border-bottom-left-radius: 3px; left: -1px; width: calc(100% + 2px); position: absolute;">'
    '<span class="tag" style="background: {bg}; z-index: 10; color: #000; top: -0.5em; padding: 2px 3px; '
    "position: absolute; font-size: 0.7em; font-weight: bold; line-height: 1; border-radius: 3px; "
    'white-space: nowrap; box-shadow: 0 0 0 1px #fff;">{label}{kb_link}</span></span>'
)
# Vertical layout in px, as displaCy's options: where the first underline sits below the token top,
# how much room its label needs, and the step between stacked (overlapping) units.
_TOP_OFFSET = 40
_LABEL_OFFSET = 20
_OFFSET_STEP = 17


@dataclass
class Piece:
    """A unit fragment, or the part of it on one line."""

    unit: Unit
    fragment: int
    start: int
    end: int
    continued: bool = False


@dataclass
class Line:
    """A rendered line: its markup, the fragments it labelled, and the longest tag caption in characters."""

    markup: str
    drawn: set[tuple[str, int]]
    widest_tag: int


def text_html(value: str) -> str:
    """``value`` escaped for element content."""
    return html.escape(value, quote=False)


def attr_html(value: str | None) -> str:
    """``value`` escaped for a double-quoted attribute (``None`` as ``""``)."""
    return html.escape(value or "", quote=True)


def color(label: str) -> str:
    """The highlight colour of a unit label."""
    return LABEL_COLORS.get(label, OTHER_COLOR)


def render_line(text: str, start: int, end: int, pieces: list[Piece], shown: set[tuple[str, int]]) -> Line:
    """``text[start:end]`` (one line) in displaCy's span style, with a tag on each piece that starts in it;
    a fragment already in ``shown`` is tagged as continued."""
    tokens = [(start + m.start(), start + m.end()) for m in _TOKEN.finditer(text[start:end])]
    spans = _token_spans(tokens, pieces)
    words, gaps, index = _display_tokens(text, start, end, tokens, spans)
    labels: list[Piece] = []
    manual_spans = []
    drawn = set()
    for s, e, p in spans:
        key = (p.unit.id, p.fragment)
        label = Piece(p.unit, p.fragment, p.start, p.end, continued=key in shown or key in drawn)
        drawn.add(key)
        # end_token is exclusive, as in displacy.parse_spans (span.end).
        manual_spans.append({"start_token": index[s], "end_token": index[e - 1] + 1,
                             "label": _KEY.format(len(labels))})
        labels.append(label)
    options = {
        "colors": {_KEY.format(i): _BG.format(i) for i in range(len(labels))},
        "template": {"span": _TPL_SPAN, "slice": _TPL_SLICE, "start": _TPL_START},
        "top_offset": _TOP_OFFSET,
        "span_label_offset": _LABEL_OFFSET,
        "top_offset_step": _OFFSET_STEP,
    }
    markup = displacy.render({"text": text[start:end], "tokens": words, "spans": manual_spans},
                             style="span", manual=True, page=False, jupyter=False, options=options)
    markup = _GAP_RE.sub(lambda m: re.sub(r"\s+", _WS_HTML, text_html(gaps[int(m.group(1))])), markup)
    markup = _SPACE_RE.sub(_WS_HTML, markup)
    markup = _BG_RE.sub(lambda m: _marked_style(labels[int(m.group(1))]), markup)
    captions = [_caption(p) for p in labels]
    markup = _KEY_RE.sub(lambda m: _unit_label(labels[int(m.group(1))], captions[int(m.group(1))]), markup)
    return Line(markup, drawn, max(map(len, captions), default=0))


def _marked_style(piece: Piece) -> str:
    return f'data-of="{attr_html(piece.unit.id)}" style="background: {color(piece.unit.label)};'


def _token_spans(tokens: list[tuple[int, int]], pieces: list[Piece]) -> list[tuple[int, int, Piece]]:
    """Each piece as the tokens it overlaps, ``(first, last + 1, piece)``: a unit boundary inside a
    word widens to the whole word. Pieces that cover no token are left out."""
    spans = []
    for p in pieces:
        covered = [i for i, (a, b) in enumerate(tokens) if a < p.end and b > p.start]
        if covered:
            spans.append((covered[0], covered[-1] + 1, p))
    return spans


def _display_tokens(text: str, start: int, end: int, tokens: list[tuple[int, int]],
                    spans: list[tuple[int, int, Piece]]) -> tuple[list[str], list[str], dict[int, int]]:
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


def _caption(piece: Piece) -> str:
    """``T1 claim · for · Helena Marsh``; ``↳`` first on a continued piece, ``(1/2)`` last on a fragment."""
    unit = piece.unit
    parts = [unit.label] + [v for v in (unit.stance, unit.holder) if v]
    caption = f"{'↳ ' if piece.continued else ''}{unit.id} {' · '.join(parts)}"
    if unit.fragments:
        caption += f" ({piece.fragment + 1}/{len(unit.fragments)})"
    return caption


def _unit_label(piece: Piece, caption: str) -> str:
    unit = piece.unit
    continued = ' data-continued="true"' if piece.continued else ""
    return (
        f'<span class="unit" data-unit-id="{attr_html(unit.id)}" data-label="{attr_html(unit.label)}" '
        f'data-stance="{attr_html(unit.stance)}" data-holder="{attr_html(unit.holder)}" '
        f'data-fragment="{piece.fragment}"{continued}>{text_html(caption)}</span>'
    )
