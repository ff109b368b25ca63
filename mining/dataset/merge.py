"""Fold newly annotated documents into a JSONL dataset: refuse conflicts, write atomically, log each version.

Rules (``plan_merge``):

- a NEW document whose id is in BASE with a *different text* is an **ID conflict**. It is always
  refused, ``replace`` or not: an id names one text, and run records name documents by id, so
  reusing one for another text would make two dataset versions disagree about what a document is.
  Give the new text a new id (or edit BASE deliberately).
- a NEW document whose text is in BASE (under any id) with *different annotations* (units,
  relations, or any other field) is an **annotation conflict**. It is refused unless ``replace``,
  which puts the NEW document in the BASE document's place (with the NEW id).
- a NEW document equal to its BASE counterpart (same text and annotations; under another id, the
  same apart from the id) is **skipped** and reported.
- every other NEW document is **added** after the BASE documents, in NEW's order.

``merge_files`` refuses a NEW that holds no documents (an empty export is almost always the wrong file, and
a version with nothing new would hide that), validates both inputs, writes the result with the atomic
:func:`mining.corpora.jsonl.save`, and then records a changelog entry in ``OUT.changelog`` (JSON
lines; not ``*.jsonl``, since a folder of ``*.jsonl`` files is read as one corpus): timestamp,
inputs, counts, and the previous and new :func:`mining.corpora.jsonl.fingerprint`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mining import jsonread
from mining.corpora import custom, documents_by_id, jsonl
from mining.corpora.corrections import annotated_counts
from mining.dataset.validation import validate_documents
from mining.errors import CorpusError, short_repr
from mining.files import write_text_atomic
from mining.schema import Document

CHANGELOG_SUFFIX = ".changelog"


@dataclass(frozen=True)
class Conflict:
    """A NEW document that cannot be merged as it is: ``kind`` is ``"id"`` or ``"annotations"``."""

    new_id: str
    base_id: str
    kind: str
    differences: tuple[str, ...]

    def __str__(self) -> str:
        if self.kind == "id":
            return f"{self.new_id}: ID conflict: BASE has another text under this id ({'; '.join(self.differences)})"
        where = "" if self.base_id == self.new_id else f" (BASE id {self.base_id!r})"
        return f"{self.new_id}{where}: same text, different annotations: {'; '.join(self.differences)}"


class MergeConflictError(CorpusError):
    """The merge was refused; ``conflicts`` lists every conflict, one per NEW document."""

    def __init__(self, conflicts: Sequence[Conflict], *, file: str | Path | None = None, replace: bool = False):
        self.conflicts = list(conflicts)
        kinds = sorted({c.kind for c in conflicts})
        hint = "" if replace or kinds == ["id"] else "; --replace replaces annotation conflicts"
        super().__init__(f"merge refused: {len(conflicts)} conflict(s) with BASE "
                         f"({', '.join(c.new_id for c in conflicts[:5])}{', ...' if len(conflicts) > 5 else ''})"
                         f"{hint}", file=file)


@dataclass
class MergeResult:
    """The merged documents and what happened to each NEW document."""

    documents: list[Document]
    added: list[str] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (new id, replaced BASE id)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (new id, identical BASE id)

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "replaced": len(self.replaced), "skipped": len(self.skipped)}


def plan_merge(base: Sequence[Document], new: Sequence[Document], *, replace: bool = False,
               file_base: str | Path | None = None, file_new: str | Path | None = None) -> MergeResult:
    """Merge in memory by the rules of the module docstring; raises :class:`MergeConflictError`.

    Examples
    --------
    >>> from mining.schema import Document
    >>> a, b = Document("a", "One."), Document("b", "Two.")
    >>> result = plan_merge([a], [a, b])
    >>> [d.id for d in result.documents], result.added, result.skipped
    (['a', 'b'], ['b'], [('a', 'a')])
    """
    base_by_id = documents_by_id(base, file_base)
    documents_by_id(new, file_new)
    base_by_text: dict[str, str] = {}
    for doc in base:
        base_by_text.setdefault(doc.text, doc.id)
    new_by_text: dict[str, str] = {}
    for doc in new:
        if doc.text in new_by_text:
            raise CorpusError(f"the same text is in NEW twice, as {new_by_text[doc.text]!r} and {doc.id!r}",
                              file=file_new, item=doc.id)
        new_by_text[doc.text] = doc.id
    result = MergeResult(documents=list(base))
    conflicts: list[Conflict] = []
    position = {doc.id: i for i, doc in enumerate(base)}
    for doc in new:
        same_id = base_by_id.get(doc.id)
        if same_id is not None and same_id.text != doc.text:
            conflicts.append(Conflict(doc.id, doc.id, "id", (_text_difference(same_id.text, doc.text),)))
            continue
        counterpart = same_id
        if counterpart is None and doc.text in base_by_text:
            counterpart = base_by_id[base_by_text[doc.text]]
        if counterpart is None:
            result.added.append(doc.id)
            result.documents.append(doc)
            continue
        differences = describe_differences(counterpart, doc)
        if not differences:
            result.skipped.append((doc.id, counterpart.id))
        elif replace:
            result.replaced.append((doc.id, counterpart.id))
            result.documents[position[counterpart.id]] = doc
        else:
            conflicts.append(Conflict(doc.id, counterpart.id, "annotations", tuple(differences)))
    if conflicts:
        raise MergeConflictError(conflicts, file=file_new, replace=replace)
    return result


def describe_differences(base: Document, new: Document) -> list[str]:
    """What differs between two versions of one document (ids aside), one short phrase each."""
    out = []
    if base.text != new.text:
        out.append(_text_difference(base.text, new.text))
    for name in ("paragraphs", "topic", "split", "metadata"):
        a, b = getattr(base, name), getattr(new, name)
        if a != b:
            out.append(f"{name} {short_repr(a, 40)} -> {short_repr(b, 40)}")
    out += _item_differences("unit", [u.to_dict() for u in base.units], [u.to_dict() for u in new.units])
    out += _item_differences("relation", [r.to_dict() for r in base.relations],
                             [r.to_dict() for r in new.relations])
    return out


def changelog_path(out: str | Path) -> Path:
    """``data.jsonl`` -> ``data.jsonl.changelog``."""
    out = Path(out)
    return out.with_name(out.name + CHANGELOG_SUFFIX)


def read_changelog(out: str | Path) -> list[dict[str, Any]]:
    """The entries of ``OUT.changelog`` (none if there is none); a damaged line is a :class:`CorpusError` naming the
    changelog and the line."""
    path = changelog_path(out)
    if not path.exists():
        return []
    return parse_changelog(_read_history(path), path)


def parse_changelog(text: str, path: str | Path) -> list[dict[str, Any]]:
    """The JSON object on each non-blank line of ``text`` (``path``'s content), or a :class:`CorpusError` at the first
    line that is not one (:func:`mining.jsonread.loads` refuses a lone surrogate too, which no UTF-8 file holds)."""
    entries = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = jsonread.loads(line)
        except json.JSONDecodeError as e:
            raise CorpusError(f"damaged changelog: invalid JSON ({e.msg}, column {e.colno}); the merge changes "
                              "nothing until the line is repaired", file=path, line=number) from None
        if not isinstance(entry, dict):
            raise CorpusError(f"damaged changelog: expected a JSON object, got {type(entry).__name__}; the merge "
                              "changes nothing until the line is repaired", file=path, line=number)
        entries.append(entry)
    return entries


def _previous_history(history: Path, base: Path) -> str:
    """The text the changelog ``history`` starts from: its own, or for a new OUT, BASE's (so the versions stay
    traceable). Read, and a damaged one refused, before anything is written, so a refusal leaves the data and its
    history as they were; the text is carried over as it is, never rewritten."""
    previous_log = history if history.exists() else changelog_path(base)
    old = _read_history(previous_log) if previous_log.exists() else ""
    parse_changelog(old, previous_log)
    if old and not old.endswith("\n"):
        old += "\n"  # a last line without its end (written by hand) stays a line of its own
    return old


def _read_history(path: Path) -> str:
    """``path``'s text, checked to be UTF-8 in a regular file: else a :class:`CorpusError` naming it (and the line)."""
    if not path.is_file():
        raise CorpusError("the changelog is not a regular file: move it away, the merge changes nothing until then",
                          file=path)
    try:
        return jsonl.utf8_text(path.read_bytes(), path, kind="a changelog", keep_bom=True)  # carried over as it is
    except CorpusError as e:
        raise CorpusError(f"damaged changelog: {e.problem}; the merge changes nothing until the line is repaired",
                          file=path, line=e.line) from None


def merge_files(base: str | Path, new: str | Path, out: str | Path, *, replace: bool = False,
                base_format: str | None = None, new_format: str | None = None,
                split: str | None = None) -> tuple[MergeResult, dict[str, Any]]:
    """Load, validate and merge BASE and NEW, write OUT (JSONL) atomically, append the changelog entry.

    OUT may be BASE itself (a new version in place) when BASE is mining's JSONL, or a new path; an existing
    file that is not BASE, or a BASE in another format (a doccano export is a ``.jsonl`` too), is refused rather
    than overwritten. When OUT is a new path, BASE's changelog (if any) is carried
    over first so the history stays with the data. ``split`` is given to the NEW documents that
    have none (text labelled from scratch has none, and an official-split experiment uses only
    documents in its train or test split). Returns the result and the changelog entry.
    """
    base, new, out = Path(base), Path(new), Path(out)
    if out.suffix != ".jsonl":
        raise CorpusError("the merged dataset is written as JSONL: name it *.jsonl", file=out)
    if out.exists() and (out.is_dir() or out.resolve() != base.resolve()):
        raise CorpusError("exists and is not BASE: remove it, or write the new version over BASE itself", file=out)
    before = _identity(out)  # OUT as this merge finds it: another merge into it meanwhile would be lost
    base_fmt = base_format or custom.detect_format(base)
    new_fmt = new_format or custom.detect_format(new)
    if base_fmt != "jsonl" and out.exists():  # out is BASE (checked above)
        raise CorpusError(f"BASE is a {base_fmt} file, and the merged dataset is mining's JSONL: merging into it "
                          "would replace the annotators' export with another format; write to a new *.jsonl",
                          file=out)
    base_docs = custom.load(base, format=base_fmt)
    new_docs = custom.load(new, format=new_fmt)
    if not new_docs:  # an empty export is the wrong file: a version with nothing new would only hide that
        raise CorpusError("holds no documents: nothing to merge", file=new)
    for doc in new_docs:
        if doc.split is None:
            doc.split = split
    validate_documents(base_docs, file=str(base))
    validate_documents(new_docs, file=str(new))
    result = plan_merge(base_docs, new_docs, replace=replace, file_base=base, file_new=new)
    previous = jsonl.fingerprint(base_docs)
    entry = {
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "action": "merge",
        "output": str(out.resolve()),
        "base": {"path": str(base.resolve()), "format": base_fmt, "documents": len(base_docs), "fingerprint": previous},
        "new": {"path": str(new.resolve()), "format": new_fmt, "documents": len(new_docs),
                "fingerprint": jsonl.fingerprint(new_docs)},
        "replace": replace,
        "split": split,
        **result.counts(),
        "documents": len(result.documents),
        "added_ids": result.added,
        "replaced_ids": [{"id": n, "base_id": b} for n, b in result.replaced],
        "skipped_ids": [{"id": n, "base_id": b} for n, b in result.skipped],
        "annotated": annotated_counts(new_docs),
        "previous_fingerprint": previous,
        "fingerprint": jsonl.fingerprint(result.documents),
    }
    history = changelog_path(out)
    old = _previous_history(history, base)
    # data first, then its log line: a crash in between leaves the new data with the previous log,
    # which a fingerprint check shows, never a log entry for data that was not written
    _write_unless_changed(result.documents, out, before)
    write_text_atomic(history, old + json.dumps(entry, ensure_ascii=False) + "\n")
    return result, entry


def _write_unless_changed(docs: list[Document], out: Path, before: tuple[int, ...] | None) -> None:
    """Write ``docs`` to ``out``, unless ``out`` is no longer the file this merge found (:func:`_identity`): another
    merge into it landed meanwhile, and writing would lose it. Checked once the new version is written, just before
    it takes the name: not a lock, so two merges renaming within the same instant can still race."""
    def unchanged() -> None:
        if _identity(out) != before:
            raise CorpusError("changed while this merge read it (another merge into it, or another writer): nothing "
                              "was written; merge again onto the new version", file=out)

    jsonl.save(docs, out, exclusive=before is None, before_rename=unchanged)


def _identity(path: Path) -> tuple[int, ...] | None:
    """What tells a file apart from the one that replaces it (device, inode, size, modification time); None if none
    is there. A write replaces the file, so its inode changes even when the size and the clock's resolution do not."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns


def _text_difference(a: str, b: str) -> str:
    at = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"text differs at character {at}: BASE {a[at:at + 20]!r} vs NEW {b[at:at + 20]!r}"


def _item_differences(kind: str, base: list[dict], new: list[dict]) -> list[str]:
    a = {d["id"]: d for d in base}
    b = {d["id"]: d for d in new}
    out = [f"{kind} {i} only in BASE" for i in a if i not in b]
    out += [f"{kind} {i} only in NEW" for i in b if i not in a]
    for i in a:
        if i in b and a[i] != b[i]:
            changed = [f"{k} {short_repr(a[i].get(k), 40)} -> {short_repr(b[i].get(k), 40)}"
                       for k in sorted(set(a[i]) | set(b[i])) if a[i].get(k) != b[i].get(k)]
            out.append(f"{kind} {i} " + ", ".join(changed))
    if not out and [d["id"] for d in base] != [d["id"] for d in new]:
        out.append(f"{kind}s in another order")
    return out


