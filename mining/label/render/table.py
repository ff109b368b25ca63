"""Labelled Documents as plain text: a terminal table that fits the width, and TSV with the full unit text."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence

from mining.schema import UNIT_LABELS, Document, Unit, text_at


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
        rows.append((doc, [(doc.id, u.holder or "-", u.stance or "-", u.label, u.id, unit_text(doc, u))
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

    Columns: doc, holder, stance, label, id, start, end, text; rows in the order of :func:`to_table`. A document
    with no unit has one row of ``-`` with no text, so that every labelled document is in the table.
    Tabs and line breaks inside a unit's text, id or label, a document id or a holder become spaces (a JSONL id
    may hold a tab, which would shift every column after it).

    >>> from mining.schema import Document, Unit
    >>> doc = Document(id="d1", text="Taxes are bad.", units=[Unit("T1", 0, 13, "Taxes are bad", "claim")])
    >>> print(to_tsv([doc, Document(id="d2", text="Blue.")]).replace("\\t", "|"))
    doc|holder|stance|label|id|start|end|text
    d1|-|-|claim|T1|0|13|Taxes are bad
    d2|-|-|-|-|-|-|
    """
    out = ["\t".join(("doc", "holder", "stance", "label", "id", "start", "end", "text"))]
    for doc in docs:
        if not doc.units:
            out.append("\t".join((_cell(doc.id), *"-" * 6, "")))
        for u in sorted(doc.units, key=_row_order):
            out.append("\t".join((_cell(doc.id), _cell(u.holder or "-"), u.stance or "-", _cell(u.label), _cell(u.id),
                                   str(u.start), str(u.end), _cell(unit_text(doc, u)))))
    return "\n".join(out)


def _cell(value: str) -> str:
    """``value`` as one TSV cell: its tabs and line breaks as spaces."""
    return " ".join(value.replace("\t", " ").splitlines())


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


def unit_text(doc: Document, unit: Unit) -> str:
    """The unit's text as the document has it at the unit's offsets; fragments join with single spaces."""
    # The document text at the offsets is the truth (schema.Unit), not Unit.text.
    return text_at(doc.text, unit.spans())
