"""Read the Webis news editorials (JSON paragraphs of typed segments) into Documents."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mining import jsonread
from mining.corpora.jsonl import utf8_text
from mining.errors import CorpusError, UsageError
from mining.schema import UNIT_LABELS, Document, Unit

# Al-Khatib et al. (2016) type every argumentative unit of an editorial; the assumption is the
# author's own stance-bearing statement, the other four types are evidence offered for it.
DEFAULT_MAPPING: dict[str, str | None] = {
    "assumption": "claim",
    "anecdote": "premise",
    "testimony": "premise",
    "statistics": "premise",
    "common-ground": "premise",
}
# Segments that are text outside every unit, unless a mapping says otherwise.
NON_UNIT_LABELS = ("no-unit", "other")
TITLE_LABEL = "title"
DATA_DIR = "data-source"

# The release splits sentence punctuation into its own `no-unit` segments ("." "," ":") and
# drops the whitespace between segments (only ~1.5% of segment boundaries keep a space, mostly
# after a comma). We strip segment edges and join with one space, except before a segment that
# opens with closing punctuation or is punctuation only; dashes stay spaced (" - " in the source).
_CLOSING = frozenset(".,:;?!)]%")
_OPENING = frozenset("([{\"'")
_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
_WORD = re.compile(r"\w")


def _separator(segment: str) -> str:
    """The text put between the previous segment of a paragraph and ``segment``."""
    if segment in _DASHES:
        return " "
    if segment[0] in _CLOSING:
        return ""
    if not _WORD.search(segment) and segment[0] not in _OPENING:
        return ""
    return " "


def _join(pieces: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join stripped segment texts into one line; return it and each piece's span in it."""
    text = ""
    spans = []
    for piece in pieces:
        if text and piece:
            text += _separator(piece)
        spans.append((len(text), len(text) + len(piece)))
        text += piece
    return text, spans


def _check_mapping(mapping: dict[str, str | None]) -> None:
    if TITLE_LABEL in mapping:
        raise UsageError(f"the mapping may not map {TITLE_LABEL!r}: "
                         "the title is not part of the document text")
    for label, target in mapping.items():
        if target is not None and target not in UNIT_LABELS:
            raise UsageError(f"mapping {label!r} -> {target!r}: target must be one of {UNIT_LABELS} or None")


def _data_dir(path: Path) -> Path:
    return path / DATA_DIR if (path / DATA_DIR).is_dir() else path


def _segment_where(paragraph: int, position: int, segment: Any) -> str:
    number = segment.get("number") if isinstance(segment, dict) else None
    if isinstance(number, int) and not isinstance(number, bool):
        return f"paragraph {paragraph}, segment {number}"
    return f"paragraph {paragraph}, segment #{position} of the paragraph"


def _read_json(file: Path) -> Any:
    try:
        return jsonread.loads(utf8_text(file.read_bytes(), file, kind="an editorial's JSON"))
    except json.JSONDecodeError as e:
        raise CorpusError(jsonread.describe(e), file=file, line=e.lineno) from None


def _segments(record: Any, file: Path) -> list[list[tuple[int, str, str]]]:
    """Validate the JSON of one editorial; return its paragraphs as (number, text, label) triples."""
    if not isinstance(record, dict):
        raise CorpusError(f"expected a JSON object, got {type(record).__name__}", file=file)
    if "paragraphs" not in record:
        raise CorpusError("missing required key 'paragraphs'", file=file)
    if not isinstance(record["paragraphs"], list):
        raise CorpusError("'paragraphs' must be a list", file=file)
    out = []
    seen: set[int] = set()
    for p, paragraph in enumerate(record["paragraphs"], start=1):
        if not isinstance(paragraph, list):
            raise CorpusError("a paragraph must be a list of segments", file=file, item=f"paragraph {p}")
        triples = []
        for k, segment in enumerate(paragraph, start=1):
            where = _segment_where(p, k, segment)
            if not isinstance(segment, dict):
                raise CorpusError(f"a segment must be an object, got {type(segment).__name__}",
                                  file=file, item=where)
            for key, kind in (("number", int), ("text", str), ("label", str)):
                if key not in segment:
                    raise CorpusError(f"missing required key {key!r}", file=file, item=where)
                value = segment[key]
                if not isinstance(value, kind) or isinstance(value, bool):
                    raise CorpusError(f"{key!r} must be {kind.__name__}, got {value!r}",
                                      file=file, item=where)
            if segment["number"] in seen:
                raise CorpusError("duplicate segment number", file=file, item=where)
            seen.add(segment["number"])
            triples.append((segment["number"], segment["text"], segment["label"]))
        out.append(triples)
    return out


def read_editorial(file: str | Path, *, source: str,
                   mapping: dict[str, str | None] | None = None) -> Document:
    """Read one editorial JSON file into a Document whose id is ``<source>/<file stem>``."""
    file = Path(file)
    mapping = DEFAULT_MAPPING if mapping is None else mapping
    _check_mapping(mapping)
    paragraphs = _segments(_read_json(file), file)

    title = None
    lines: list[str] = []
    paragraph_spans: list[tuple[int, int]] = []
    units: list[Unit] = []
    offset = 0  # where the next body paragraph starts in the document text
    for p, triples in enumerate(paragraphs, start=1):
        labels = {label for _, _, label in triples}
        if TITLE_LABEL in labels:
            if labels != {TITLE_LABEL}:
                raise CorpusError("a title segment shares its paragraph with body segments",
                                  file=file, item=f"paragraph {p}")
            if title is not None:
                raise CorpusError("a second title paragraph", file=file, item=f"paragraph {p}")
            title = _join([text.strip() for _, text, _ in triples])[0]
            continue
        line, spans = _join([text.strip() for _, text, _ in triples])
        if not line:
            continue
        if lines:
            offset += 1  # the "\n" between paragraphs
        for (number, text, label), (start, end) in zip(triples, spans):
            if label in mapping:
                unit_label = mapping[label]
            elif label in NON_UNIT_LABELS:
                unit_label = None
            else:
                raise CorpusError(f"unknown segment label {label!r} (not in the mapping, nor one of "
                                  f"{(*NON_UNIT_LABELS, TITLE_LABEL)})", file=file,
                                  item=f"paragraph {p}, segment {number}")
            if unit_label is None:
                continue
            if start == end:
                raise CorpusError(f"{label!r} unit has no text", file=file,
                                  item=f"paragraph {p}, segment {number}")
            units.append(Unit(id=f"S{number}", start=offset + start, end=offset + end, text=line[start:end],
                              label=unit_label, stance=None, holder=None,
                              attributes={"type": label, "segment": number}))
        paragraph_spans.append((offset, offset + len(line)))
        lines.append(line)
        offset += len(line)

    return Document(
        id=f"{source}/{file.stem}",
        text="\n".join(lines),
        paragraphs=paragraph_spans,
        topic=None,
        split=None,
        metadata={"source": source, "file": file.name, "title": title},
        units=units,
    )


def load(path: str | Path, *, mapping: dict[str, str | None] | None = None) -> list[Document]:
    """Read the Webis news editorials into Documents, one per editorial.

    The text is the body paragraphs joined by ``"\\n"``; the title goes to
    ``metadata["title"]``. Each typed segment becomes one unit whose span is the segment's text
    (whitespace stripped), labelled through ``mapping``. The release has no official split and
    no relations, so ``split`` is None and ``relations`` is empty.

    Parameters
    ----------
    path : str or Path
        The ``webis-editorials`` folder, or its ``data-source`` folder, which holds one
        folder per source (``aljazeera``, ``foxnews``, ``guardian``) of ``*.json`` files.
    mapping : dict of str to str or None, optional
        Segment label -> unit label (one of ``UNIT_LABELS``) or None for text outside units.
        It replaces :data:`DEFAULT_MAPPING` as a whole; ``no-unit`` and ``other`` are outside
        units unless mapped, and any other label missing from it is an error.

    Returns
    -------
    list of Document
        Sorted by source, then file name. Ids are ``<source>/<file stem>``; ``metadata`` holds
        ``source``, ``file`` and ``title``. Unit attributes hold the original ``type`` and the
        ``segment`` number.

    Raises
    ------
    CorpusError
        On broken JSON (file and line), a missing or mistyped key (file, paragraph, segment),
        or a segment label the mapping does not cover (file, segment number).
    ValueError
        If the mapping maps ``title`` or targets a label outside ``UNIT_LABELS``.

    Examples
    --------
    >>> docs = load("../shared/corpora/webis-editorials")  # doctest: +SKIP
    >>> len(docs), docs[0].id  # doctest: +SKIP
    (266, 'aljazeera/006-afghanistanatcrucialjuncture')
    """
    mapping = DEFAULT_MAPPING if mapping is None else mapping
    _check_mapping(mapping)
    root = _data_dir(Path(path))
    if not root.is_dir():
        raise CorpusError("not a directory", file=root)
    sources = sorted(d for d in root.iterdir() if d.is_dir() and any(d.glob("*.json")))
    if not sources:
        raise CorpusError("no <source>/*.json files found", file=root)
    return [read_editorial(f, source=d.name, mapping=mapping)
            for d in sources for f in sorted(d.glob("*.json"))]
