"""Check Documents (any format) for broken offsets, span text, overlaps, dangling relations and unknown labels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mining.corpora import brat, custom, folder_files, jsonl
from mining.errors import CorpusError
from mining.schema import RELATION_LABELS, STANCES, UNIT_LABELS, Document, text_at


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where."""

    file: str | None
    line: int | None
    item: str | None
    message: str
    warning: bool = False  # allowed by the format but probably a mistake; it does not fail validation

    def to_error(self) -> CorpusError:
        return CorpusError(self.message, file=self.file, line=self.line, item=self.item)

    def __str__(self) -> str:
        return ("warning: " if self.warning else "") + str(self.to_error())


def check_document(doc: Document, *, allow_overlap: bool = False) -> Iterator[tuple[str, str]]:
    """Yield ``(item, problem)`` for each problem of one document; item is the doc, unit or relation id."""
    if not doc.id.strip():  # an id names the document's files (brat: ".txt", a hidden file read back as ".txt")
        yield doc.id, f"document id {doc.id!r} is empty or blank: give each document an id"
    if not doc.text.strip():
        yield doc.id, "document text is empty"
    n = len(doc.text)
    for i, (start, end) in enumerate(doc.paragraphs):
        if not 0 <= start <= end <= n:
            yield doc.id, f"paragraph {i} span {start}-{end} is outside the text (length {n})"
    yield from _repeated_ids(doc, doc.units, "unit")
    seen = {unit.id for unit in doc.units}
    for unit in doc.units:
        where = f"{doc.id}/{unit.id}"
        if unit.label not in UNIT_LABELS:
            yield where, f"unknown unit label {unit.label!r} (known: {', '.join(UNIT_LABELS)})"
        if unit.stance is not None and unit.stance not in STANCES:
            yield where, f"unknown stance {unit.stance!r} (known: {', '.join(STANCES)})"
        if unit.implicit:
            yield from _check_implicit(unit, where, n)
            continue
        spans = unit.spans()
        bad = _span_problem(unit, spans, n)
        if bad:
            yield where, bad
            continue
        actual = text_at(doc.text, spans)
        if actual != unit.text:
            yield where, f"span text {unit.text!r} differs from the text at {unit.start}-{unit.end}: {actual!r}"
    if not allow_overlap:
        ordered = sorted(doc.units, key=lambda u: (u.start, u.end))
        for a, b in zip(ordered, ordered[1:]):
            if b.start < a.end and _overlap(a.spans(), b.spans()):
                yield f"{doc.id}/{b.id}", f"unit {b.id} overlaps unit {a.id}"
    yield from _repeated_ids(doc, doc.relations, "relation")
    for rel in doc.relations:
        where = f"{doc.id}/{rel.id}"
        if rel.label not in RELATION_LABELS:
            yield where, f"unknown relation label {rel.label!r} (known: {', '.join(RELATION_LABELS)})"
        for end in (rel.source, rel.target):
            if end not in seen:
                yield where, f"relation points at missing unit {end!r}"
        if rel.source == rel.target:
            yield where, f"relation links unit {rel.source!r} to itself"


def _span_problem(unit, spans: list[tuple[int, int]], n: int) -> str | None:
    """What is wrong with a unit's offsets, naming the fragment at fault, or None."""
    whole = f"{unit.start}-{unit.end}"
    for a, b in spans:
        if not 0 <= a < b <= n:
            what = f"fragment {a}-{b} of offsets {whole}" if unit.fragments else f"offsets {whole}"
            return f"{what} {'is' if unit.fragments else 'are'} outside the text (length {n}) or empty"
    if spans[0][0] != unit.start or spans[-1][1] != unit.end:
        return (f"fragments {', '.join(f'{a}-{b}' for a, b in spans)} do not start and end at the unit's "
                f"offsets {whole}")
    return None


def _check_implicit(unit, where: str, n: int) -> Iterator[tuple[str, str]]:
    """An implicit unit has a zero-length position in the text, its own wording and no fragments."""
    if not (isinstance(unit.start, int) and unit.start == unit.end and 0 <= unit.start <= n):
        yield where, (f"implicit unit has offsets {unit.start}-{unit.end}; expected one position "
                      f"start == end within the text (length {n})")
    if unit.fragments:
        yield where, "implicit unit has fragments; it covers no text"
    if not unit.text.strip():
        yield where, "implicit unit has no text (its wording from the source)"


def check_warnings(doc: Document) -> Iterator[tuple[str, str]]:
    """Yield ``(item, warning)`` for what the schema allows but is probably a slip: a support cycle is legal
    (in brat too), but no corpus we know has one."""
    cycle = _support_cycle(doc)
    if cycle:
        yield doc.id, "support relations form a cycle: " + " -> ".join(cycle)


def _support_cycle(doc: Document) -> list[str] | None:
    """One cycle of support relations (unit ids, first repeated at the end), or None."""
    supports: dict[str, list[str]] = {}
    for rel in doc.relations:
        if rel.label == "support" and rel.source != rel.target:
            supports.setdefault(rel.source, []).append(rel.target)
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(unit: str, path: list[str]) -> list[str] | None:  # path ends with unit
        state[unit] = 1
        for target in supports.get(unit, []):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target, path + [target])):
                return found
        state[unit] = 2
        return None

    for start in sorted(supports):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def _repeated_ids(doc: Document, items: list, kind: str) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            yield f"{doc.id}/{item.id}", f"duplicate {kind} id {item.id!r}"
        seen.add(item.id)


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def validate_documents(docs: Iterable[Document], *, file: str | None = None,
                       strict: bool = True) -> list[Problem]:
    """Check documents; strict mode raises on the first problem, report mode returns all."""
    problems = []
    seen: set[str] = set()
    for doc in docs:
        found = document_problems(doc, file, None)
        if doc.id in seen:  # merging, agreement and training tell documents apart by id
            found.insert(0, Problem(file, None, doc.id, f"duplicate document id {doc.id!r}"))
        seen.add(doc.id)
        for problem in found:
            if strict and not problem.warning:
                raise problem.to_error()
            problems.append(problem)
    return problems


def document_problems(doc: Document, file: str | None, line: int | None) -> list[Problem]:
    """The errors of one document (:func:`check_document`), then its warnings (:func:`check_warnings`)."""
    return ([Problem(file, line, item, message) for item, message in check_document(doc)]
            + [Problem(file, line, item, message, warning=True) for item, message in check_warnings(doc)])


def validate_path(path: str | Path, *, fmt: str | None = None, strict: bool = True) -> list[Problem]:
    """Validate a corpus file or folder in any format the loaders read; every problem names the file and
    the line or id.

    The project's JSONL is checked line by line and a brat folder file by file, so that report mode
    (``strict=False``) lists every problem; a tool's export (Label Studio, doccano, a HF dataset) is read
    whole by its loader, whose first error is then the one problem reported.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError("no such file or folder", file=path)
    fmt = fmt or detect_format(path)
    read: set[str] = set()  # the ids of the documents read
    unread = _unread_files(path, {"jsonl": ".jsonl", "brat": ".ann"}.get(fmt), strict)
    if fmt == "jsonl":
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        first: dict[str, str] = {}  # document id -> where it comes first, across the folder's files
        problems = unread + [p for f in files for p in _validate_jsonl(f, strict=strict, first=first)]
        read.update(first)
    elif fmt == "brat":
        problems = unread + _validate_brat(path, strict=strict, read=read)
    else:
        custom.check_format(fmt, path)  # an unknown format is an error in report mode too
        try:
            docs = custom.load(path, fmt)
        except CorpusError as e:
            if strict:
                raise
            return [Problem(e.file, e.line, e.item, e.problem)]
        problems = validate_documents(docs, file=str(path), strict=strict)
        read.update(doc.id for doc in docs)
    if not read and not any(not p.warning for p in problems):  # as `mining run` refuses it
        empty = Problem(str(path), None, None, "the corpus holds no documents")
        if strict:
            raise empty.to_error()
        problems.append(empty)
    return problems


def _unread_files(path: Path, suffix: str | None, strict: bool) -> list[Problem]:
    """The files of the folder ``path`` its reader would leave unread (:func:`mining.corpora.folder_files`), as one
    problem; raised when ``strict``."""
    if suffix is None or not path.is_dir():
        return []
    try:
        folder_files(path, suffix)
    except CorpusError as e:
        if strict:
            raise
        return [Problem(e.file, e.line, e.item, e.problem)]
    return []


def _validate_brat(path: Path, *, strict: bool, read: set[str]) -> list[Problem]:
    if path.is_file() and path.suffix not in (".txt", ".ann"):
        raise CorpusError("is a file, but brat needs a folder of *.txt and *.ann files (or one of them); "
                          "pass the folder, or the file's own --format", file=path)
    problems = []
    txts = sorted(path.glob("*.txt")) if path.is_dir() else [path.with_suffix(".txt")]
    for ann in brat.orphan_annotations(path) if path.is_dir() else []:
        problem = Problem(str(ann), None, None, "annotation file without its .txt: it cannot be read")
        if strict:
            raise problem.to_error()
        problems.append(problem)
    first: dict[str, Path] = {}  # document id -> the file that gave it first (a sidecar may set any id)
    for txt in txts:
        try:
            doc = brat.read_document(txt)
        except CorpusError as e:
            if strict:
                raise
            problems.append(Problem(e.file, e.line, e.item, e.problem))
            continue
        if doc.id in first:  # as the loader refuses it
            problem = Problem(str(txt), None, doc.id, f"duplicate document id {doc.id!r} (first in {first[doc.id]}; "
                              "a document's id is its file name, unless its .json sidecar sets one)")
            if strict:
                raise problem.to_error()
            problems.append(problem)
        first.setdefault(doc.id, txt)
        problems += validate_documents([doc], file=str(txt.with_suffix(".ann")), strict=strict)
        read.add(doc.id)
    return problems


def _validate_jsonl(path: Path, *, strict: bool, first: dict[str, str]) -> list[Problem]:
    if not path.exists():
        raise CorpusError("file not found", file=path)
    problems = []
    with path.open("rb") as f:
        lines = list(jsonl.utf8_lines(f, path))  # a line that is not UTF-8 is named as the loader names it
    for lineno, line in enumerate(lines, start=1):
        try:
            docs = list(jsonl.parse_lines([line], source=path))
        except CorpusError as e:
            problem = Problem(str(path), lineno, None, e.problem)
            if strict:
                raise problem.to_error() from None
            problems.append(problem)
            continue
        for doc in docs:
            found = document_problems(doc, str(path), lineno)
            if doc.id in first:
                found.insert(0, Problem(str(path), lineno, doc.id,
                                        f"duplicate document id {doc.id!r} (first in {first[doc.id]})"))
            first.setdefault(doc.id, f"{path}:{lineno}")
            for problem in found:
                if strict and not problem.warning:
                    raise problem.to_error()
                problems.append(problem)
    return problems


def detect_format(path: Path) -> str:
    """The loader that reads ``path``: a tool's export (Label Studio, doccano) or a saved HF dataset as
    :func:`mining.corpora.custom.detect_format` tells it, else the project's JSONL or brat as the path
    says, so that a JSONL file with broken lines is still checked line by line. A file that is told to be
    nothing mining reads (:class:`~mining.corpora.custom.UnreadableFormat`) is that error."""
    from mining.corpora.custom import UnreadableFormat
    from mining.corpora.custom import detect_format as detect_corpus

    try:
        found = detect_corpus(path)
    except UnreadableFormat:
        raise
    except CorpusError:
        found = None
    if found in ("labelstudio", "doccano", "hf"):
        return found
    if path.is_file():
        if path.suffix in (".jsonl", ".json"):
            return "jsonl"
        if path.suffix in (".ann", ".txt"):
            return "brat"
    if path.is_dir():
        if any(path.glob("*.ann")):
            return "brat"
        if any(path.glob("*.jsonl")):
            return "jsonl"
    raise CorpusError("cannot tell the format (expected a .jsonl file, a brat folder, a Label Studio or doccano "
                      "export or a saved HF dataset); pass --format", file=path)
