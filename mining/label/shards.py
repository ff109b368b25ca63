"""A labelling job's output folder: JSONL shards cut from the input, a manifest, and a journal to resume from.

The input is cut into shards by characters (``plan_shards``), the same way on every run, so that a
shard's number names the same texts each time. A finished shard is written atomically as
``part-NNNNN.jsonl`` and recorded in the journal; a job started again on the same input, model and
options labels only the shards the journal does not hold. When the last shard is in, the manifest
(input fingerprint, model, shard list, failures) is written whole and the journal removed. Nothing in
the folder depends on timing or on the order in which shards finished: a job that was stopped and
resumed leaves the same bytes as one that ran straight through.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mining import jsonread
from mining.errors import CorpusError, OutputExistsError, RunRecordError
from mining.label.batches import char_batches
from mining.label.streams import Item
from mining.runs.record import MODEL, TASKS

FORMAT = "mining-labels/1"
MANIFEST = "manifest.json"
JOURNAL = ".journal.jsonl"  # one line per finished shard while the job runs; gone once the manifest is complete
PART = "part-{:05d}.jsonl"
# A shard is the unit of work and of resumption: at about 15,000 characters a second per worker,
# 200,000 characters is some seconds of work, and a million news texts make some 20,000 files.
SHARD_CHARS = 200_000
SHARD_ITEMS = 1_000  # a shard of tiny texts ends here


@dataclass(frozen=True)
class Shard:
    """One shard of the input: its place, size, first document and the SHA-256 of its ids and texts."""

    index: int
    documents: int
    characters: int
    first: str
    input_sha256: str

    @property
    def file(self) -> str:
        return PART.format(self.index)


@dataclass
class Job:
    """What a folder of labels was made from; a job resumes only into a folder made from the same."""

    sources: list[str]
    fingerprint: str  # the SHA-256 of the whole input's ids and texts, however it is cut into shards
    model: dict[str, str]
    options: dict[str, Any]
    shards: list[Shard] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return sum(s.documents for s in self.shards)

    @property
    def characters(self) -> int:
        return sum(s.characters for s in self.shards)


def cut_shards(items: Iterable[Item], shard_chars: int = SHARD_CHARS) -> Iterator[list[Item]]:
    """Consecutive shards of ``items``, each closed at ``shard_chars`` characters or ``SHARD_ITEMS`` texts."""
    return char_batches(items, lambda item: len(item.text), shard_chars, SHARD_ITEMS)


def shard_hash(items: list[Item], whole: Any = None) -> str:
    """The SHA-256 of the ids and texts (and topics, where given) of ``items``; ``whole`` (a running hash of
    the input) is fed the same."""
    h = hashlib.sha256()
    for item in items:
        fields = [item.id, item.text] if item.topic is None else [item.id, item.text, item.topic]
        line = json.dumps(fields, ensure_ascii=False).encode("utf-8") + b"\n"
        h.update(line)
        if whole is not None:
            whole.update(line)
    return h.hexdigest()


def plan_shards(items: Iterable[Item], shard_chars: int = SHARD_CHARS) -> tuple[list[Shard], str]:
    """One pass over the input: its shards and its fingerprint. Reading and hashing cost a small
    fraction of labelling, and give the job its size (for progress) and its identity (for resuming)."""
    shards, whole = [], hashlib.sha256()
    for index, part in enumerate(cut_shards(items, shard_chars)):
        digest = shard_hash(part, whole)
        shards.append(Shard(index, len(part), sum(len(i.text) for i in part), part[0].id, digest))
    return shards, whole.hexdigest()


def model_identity(run_dir: str | Path, pipeline: str) -> dict[str, str]:
    """The run directory as given (labelled documents name it), the SHA-256 of its model files, its pipeline."""
    h = hashlib.sha256()
    for name in (MODEL, TASKS):
        with (Path(run_dir) / name).open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return {"run": str(run_dir), "sha256": h.hexdigest(), "pipeline": pipeline}


def write_atomic(path: Path, data: str) -> str:
    """Write ``data`` to ``path`` through a temporary file and a rename; returns its SHA-256."""
    tmp = path.with_name(f".{path.name}.tmp")
    encoded = data.encode("utf-8")
    with tmp.open("wb") as f:
        f.write(encoded)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return hashlib.sha256(encoded).hexdigest()


def file_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _manifest(job: Job, done: dict[int, dict[str, Any]], complete: bool) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "complete": complete,
        "input": {"sources": job.sources, "fingerprint": job.fingerprint, "documents": job.documents,
                  "characters": job.characters},
        "model": job.model,
        "options": job.options,
        "shards": [{"file": s.file, **asdict(s), "output_sha256": done.get(s.index, {}).get("output_sha256"),
                    "failures": len(done.get(s.index, {}).get("failures", []))} for s in job.shards],
        "failures": [f for s in job.shards for f in done.get(s.index, {}).get("failures", [])],
    }


def write_manifest(folder: Path, job: Job, done: dict[int, dict[str, Any]], *, complete: bool) -> None:
    write_atomic(folder / MANIFEST, json.dumps(_manifest(job, done, complete), ensure_ascii=False, indent=1) + "\n")


def record_shard(folder: Path, index: int, output_sha256: str, failures: list[dict[str, str]]) -> dict[str, Any]:
    """Append a finished shard to the journal (flushed to disk: a kill just after loses nothing)."""
    entry = {"shard": index, "output_sha256": output_sha256, "failures": failures}
    with (folder / JOURNAL).open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return entry


def read_journal(folder: Path) -> dict[int, dict[str, Any]]:
    """The shards a journal records. Its last line cut short by a kill (no line end, not JSON) is ignored: that shard
    is labelled again. Any other line that is no journal entry (bad JSON or UTF-8 before the end, another shape) is
    damage, not a kill: a :class:`RunRecordError` naming the journal and the line."""
    done: dict[int, dict[str, Any]] = {}
    path = folder / JOURNAL
    if not path.is_file():
        return done
    lines = path.read_bytes().split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            entry = jsonread.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            if number == len(lines):  # no line end after it: the kill came mid-line (and maybe mid-character)
                continue
            raise _damaged_journal(path, number, f"not valid UTF-8: byte {raw[e.start]:#04x}"
                                   if isinstance(e, UnicodeDecodeError) else f"invalid JSON ({e.msg})") from None
        if problem := _entry_problem(entry):
            raise _damaged_journal(path, number, problem)
        done[entry["shard"]] = entry
    return done


def _entry_problem(entry: Any) -> str | None:
    """What makes ``entry`` no journal entry as :func:`record_shard` writes it, in words; None if it is one."""
    if not isinstance(entry, dict):
        return f"expected a JSON object, got {type(entry).__name__}"
    if "shard" not in entry:
        return 'no "shard" (the number of the shard it records)'
    shard = entry["shard"]
    if not isinstance(shard, int) or isinstance(shard, bool) or shard < 0:
        return f'"shard" must be a shard number (0 or more), got {shard!r}'
    if not isinstance(entry.get("output_sha256"), str):
        return f'"output_sha256" must be a string, got {entry.get("output_sha256")!r}'
    return _failures_problem(entry.get("failures"))


def _failures_problem(failures: Any) -> str | None:
    """What makes ``failures`` no list of failed documents (``{"id", "source", "error"}``); None if it is one."""
    if not isinstance(failures, list):
        return f'"failures" must be a list, got {type(failures).__name__}'
    for failure in failures:
        if not isinstance(failure, dict) or not all(isinstance(failure.get(k), str) for k in ("id", "source", "error")):
            return f'each of "failures" must be an object with "id", "source" and "error" strings, got {failure!r}'
    return None


def _damaged_journal(path: Path, line: int, problem: str) -> RunRecordError:
    return RunRecordError(f"{path}:{line}: damaged journal: {problem}; pass --overwrite to label again from the "
                          "start, or choose a new folder")


def _end_journal(path: Path) -> None:
    """End the journal's last line if the kill left it without its end, so that the next entry starts a line of its
    own instead of running on into it (which would read as damage). A whole entry (the kill came between it and its
    line end) :func:`read_journal` counted: it gets its line end. Anything else, a line cut short, it ignored: it is
    cut off."""
    if not (path.is_file() and (data := path.read_bytes()) and not data.endswith(b"\n")):
        return
    tail = data[data.rfind(b"\n") + 1:]
    try:
        whole = _entry_problem(jsonread.loads(tail.decode("utf-8"))) is None
    except (UnicodeDecodeError, json.JSONDecodeError):
        whole = False
    if not whole:
        os.truncate(path, len(data) - len(tail))
        return
    with path.open("ab") as f:
        f.write(b"\n")
        f.flush()
        os.fsync(f.fileno())


def finish(folder: Path, job: Job, done: dict[int, dict[str, Any]]) -> None:
    """Write the complete manifest, then drop the journal (the manifest now says everything it said)."""
    write_manifest(folder, job, done, complete=True)
    (folder / JOURNAL).unlink(missing_ok=True)
    _remove_job_files(folder, temporary_only=True)  # a kill mid-write leaves one; the folder ends as a straight run's


def open_output(folder: Path, job: Job, *, overwrite: bool) -> dict[int, dict[str, Any]]:
    """Make ``folder`` ready for ``job``; returns the shards already done there (``{index: journal entry}``).

    An empty or new folder starts the job. A folder holding the labels of the same job (same input
    fingerprint, model and options) resumes it: a shard counts as done when the journal (or the
    complete manifest) records it and its file still has the recorded hash. Labels of another job,
    or any other file, are refused unless ``overwrite``, which removes the previous job's files.
    """
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / MANIFEST
    previous = _read_manifest(manifest_path) if manifest_path.is_file() else None
    if overwrite:
        previous = None
    elif previous is None and any(not _is_job_file(p) for p in folder.iterdir()):
        raise OutputExistsError(f"{folder}: the output folder is not empty and holds no {MANIFEST}: pass "
                                "--overwrite to label into it anyway, or choose a new folder")
    elif previous is not None and (why := _differs(previous, job)):
        raise OutputExistsError(f"{manifest_path}: these labels were made from {why}: pass --overwrite to replace "
                                "them, or choose a new folder")
    if previous is None:
        _remove_job_files(folder)  # without a manifest nothing there can be trusted (a kill before it was written)
        write_manifest(folder, job, {}, complete=False)
        return {}
    if previous["complete"]:  # a journal left beside it (a kill before finish removed it) says nothing more
        recorded = {i: {"shard": i, "output_sha256": s["output_sha256"],
                        "failures": [f for f in previous["failures"] if f.get("shard") == i]}
                    for i, s in enumerate(previous["shards"])}
    else:
        recorded = read_journal(folder)
        _end_journal(folder / JOURNAL)
    return {i: e for i, e in recorded.items() if i < len(job.shards)
            and file_hash(folder / job.shards[i].file) == e["output_sha256"]}


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = jsonread.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise RunRecordError(f"{path}: not a readable manifest ({e}); pass --overwrite to start again") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CorpusError(f"not a manifest of mining labels (format {FORMAT})", file=path)
    if problem := _manifest_problem(manifest):
        raise RunRecordError(f"{path}: not a readable manifest ({problem}); pass --overwrite to start again")
    return manifest


def _manifest_problem(manifest: dict[str, Any]) -> str | None:
    """What in a manifest (of the right format) is not as :func:`write_manifest` writes it, in words; None if all is."""
    if not isinstance(manifest.get("complete"), bool):
        return '"complete" must be true or false'
    for name, keys in (("input", ("fingerprint",)), ("model", ("run", "sha256")), ("options", ())):
        part = manifest.get(name)
        if not isinstance(part, dict) or not all(isinstance(part.get(k), str) for k in keys):
            whose = " and ".join(f'"{k}"' for k in keys) + (" are strings" if len(keys) > 1 else " is a string")
            return f'"{name}" must be an object' + (f" whose {whose}" if keys else "")
    shards = manifest.get("shards")
    if not isinstance(shards, list) or not all(isinstance(s, dict) and isinstance(s.get("output_sha256"),
                                                                                 (str, type(None))) for s in shards):
        return '"shards" must be a list of objects, each with its "output_sha256" (a string or null)'
    return _failures_problem(manifest.get("failures"))


def _differs(manifest: dict[str, Any], job: Job) -> str | None:
    """What differs between the job a manifest records and ``job``, in words; None when they are the same."""
    if manifest["input"]["fingerprint"] != job.fingerprint:
        return (f"other input (fingerprint {manifest['input']['fingerprint'][:12]}, this input "
                f"{job.fingerprint[:12]})")
    if manifest["model"] != job.model:
        return f"another model ({manifest['model']['run']}, {manifest['model']['sha256'][:12]})"
    if manifest["options"] != job.options:
        return f"other options ({manifest['options']}, now {job.options})"
    return None


def _is_job_file(path: Path) -> bool:
    """A file a labelling job writes: the manifest, the journal, a shard, or the temporary file of one."""
    name = path.name.removeprefix(".").removesuffix(".tmp")
    return path.is_file() and (name in (MANIFEST, JOURNAL.lstrip(".")) or
                               (name.startswith("part-") and name.endswith(".jsonl")))


def _remove_job_files(folder: Path, temporary_only: bool = False) -> None:
    """The files a labelling job writes (or only their temporary files, left by a kill), and nothing else."""
    for path in folder.iterdir():
        if _is_job_file(path) and (path.name.endswith(".tmp") or not temporary_only):
            path.unlink()
