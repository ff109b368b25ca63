"""Which links in a run folder stand for the run's own files: git-annex and DVC checkouts its repository vouches for.

``git annex add`` and DVC with ``cache.type symlink`` turn each file of a run folder into a link into the
repository's store (``.git/annex/objects``, ``.dvc/cache``). ``mining publish`` copies no link in general: one in a
folder someone handed over (``config.yaml -> ~/.ssh/id_rsa``) would publish that file. It follows a link only when
the git work tree the run lies in vouches for it:

- git-annex: git tracks the link itself, as it is (its text is the blob in git's index at its very path), and it
  resolves to a file under the repository's own ``annex/objects``;
- DVC: a record that git tracks as it is (``FOLDER.dvc`` beside a folder holding the file, or a ``dvc.lock``) lists
  an output holding the file, and the output's listing in the cache gives the file the very object the link resolves
  to (``.dvc/cache/files/md5/ab/cdef...``, or ``.dvc/cache/ab/cdef...`` for DVC 2).

Links of a folder copied into a repository are tracked by neither, so they stay refused, and a repository cloned
from someone else vouches only for objects in its own store, never for files elsewhere, its ``.git/config`` or an
ignored ``.env`` among them. A custom DVC cache folder (``cache.dir``) is not followed. Git runs only ``rev-parse``,
``ls-files`` and ``cat-file``, with ``core.fsmonitor`` off: nothing a repository's own config could make run code.
A :class:`Vouchers` asks each repository once for one command: a sweep of runs starts git once per run folder, not
three times per file.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
from pathlib import Path

from mining.errors import MiningError
from mining.runs.jsonfile import read_yaml, record_text

_GIT = ("git", "-c", "core.fsmonitor=false")
_TIMEOUT = 10.0  # seconds for one answer of git


def vouched_target(link: Path, vouchers: Vouchers | None = None) -> Path | None:
    """The regular file that ``link`` stands for when its repository vouches for it (module docstring), else None;
    ``vouchers`` keeps git's answers for the other links a command reads (by default, asked for this link alone)."""
    if vouchers is not None:
        return vouchers.target(link)
    with Vouchers(whole_index=False) as own:
        return own.target(link)


class Vouchers:
    """What the repositories of one command's runs vouch for: git asked once per folder (``rev-parse``) and once per
    repository for its index (``ls-files``) and for its blobs (one ``cat-file --batch``, closed on leaving ``with``).

    Its answers are those of when git was asked, so keep one for one command's reading only: a longer-lived one would
    still vouch for a link repointed, or a record changed, since. That is why this is an object the command makes,
    not a cache of the process, keyed by paths that a later repository (a test's, or the user's) may reuse.
    """

    def __init__(self, *, whole_index: bool = True) -> None:
        # whole_index: list each repository's index once (a sweep's many links); else only the paths asked, which a
        # lookup or two in a repository of a million files wants
        self._whole_index = whole_index
        self._repositories: dict[Path, tuple[Path, Path] | None] = {}
        self._indexes: dict[Path, dict[bytes, list[tuple[bytes, bytes, bytes]]]] = {}
        self._blobs: dict[Path, _Blobs] = {}
        self._outputs: dict[tuple[Path, Path], list[tuple[Path, str, str]]] = {}
        self._listings: dict[Path, dict[str, list[str]]] = {}

    def __enter__(self) -> Vouchers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """End the ``git cat-file`` processes."""
        for blobs in self._blobs.values():
            blobs.close()
        self._blobs.clear()

    def target(self, link: Path) -> Path | None:
        """:func:`vouched_target` of ``link``."""
        real = Path(os.path.realpath(link))
        if not real.is_file():
            return None
        folder = Path(os.path.realpath(link.parent))
        found = self._repository(folder)
        if found is None:
            return None
        top, common = found
        link = folder / link.name
        if not link.is_relative_to(top):  # git's core.worktree names another folder: this one's links are not its own
            return None
        if real.is_relative_to(common / "annex" / "objects"):
            return real if self._tracked_as_is(top, link, os.fsencode(os.readlink(link)), (b"120000",)) else None
        if real.is_relative_to(top / ".dvc" / "cache"):
            return real if real in self._dvc_objects(top, link) else None
        return None

    def _repository(self, folder: Path) -> tuple[Path, Path] | None:
        """The top of the git work tree ``folder`` (a real path) lies in, and the repository's common git folder
        (where annex keeps its objects, for a linked work tree too); None outside one."""
        if folder not in self._repositories:
            lines = os.fsdecode(_git(folder, "rev-parse", "--show-toplevel", "--git-common-dir") or b"").splitlines()
            self._repositories[folder] = (Path(os.path.realpath(lines[0])), Path(os.path.realpath(folder / lines[1]))) \
                if len(lines) == 2 else None
        return self._repositories[folder]

    def _tracked_as_is(self, top: Path, path: Path, content: bytes, modes: tuple[bytes, ...]) -> bool:
        """Whether git's index holds ``path`` (a file or link in work tree ``top``) with ``content``, mode in
        ``modes``: one entry at that very path, merged (stage 0)."""
        relative = os.fsencode(os.path.relpath(path, top))
        if not self._whole_index:
            entries = _index(top, relative).get(relative, [])
        else:
            if top not in self._indexes:
                self._indexes[top] = _index(top)
            entries = self._indexes[top].get(relative, [])
        if len(entries) != 1 or entries[0][0] not in modes or entries[0][2] != b"0":
            return False
        if top not in self._blobs:
            self._blobs[top] = _Blobs(top)
        return self._blobs[top].read(entries[0][1]) == content

    def _dvc_objects(self, top: Path, path: Path) -> set[Path]:
        """The cache objects that DVC records git tracks give to ``path``, a file in work tree ``top``."""
        folders = [path, *path.parents[:len(path.relative_to(top).parts) - 1]]  # path and its folders below top
        records = [(f.parent / f"{f.name}.dvc", f.parent) for f in folders]
        records += [(f / "dvc.lock", f) for f in [*folders[1:], top]]
        objects = set()
        for record, base in records:
            if (record, base) not in self._outputs:
                self._outputs[record, base] = self._read_outputs(top, record, base)
            for out, md5, layout in self._outputs[record, base]:
                if md5.endswith(".dir") and path.is_relative_to(out) and path != out:
                    md5s = self._listing(_object(top, layout, md5)).get(path.relative_to(out).as_posix(), [])
                    objects.update(_object(top, layout, m) for m in md5s)
                elif path == out:
                    objects.add(_object(top, layout, md5))
        return objects

    def _read_outputs(self, top: Path, record: Path, base: Path) -> list[tuple[Path, str, str]]:
        """(path, md5, cache layout) of each output of DVC ``record`` (a ``.dvc`` file or ``dvc.lock``) that git
        tracks as it is; paths are relative to ``base``."""
        if not record.is_file() or record.is_symlink() or \
                not self._tracked_as_is(top, record, record.read_bytes(), (b"100644", b"100755")):
            return []
        try:
            data = read_yaml(record, "a DVC record")
        except MiningError:
            return []
        stages = data.get("stages") if isinstance(data, dict) and record.name == "dvc.lock" else {"": data}
        found = []
        for stage in (stages or {}).values() if isinstance(stages, dict) else ():
            for out in (stage.get("outs") or []) if isinstance(stage, dict) else ():
                if isinstance(out, dict) and isinstance(out.get("path"), str) and isinstance(out.get("md5"), str):
                    layout = "files/md5" if out.get("hash") == "md5" else ""  # DVC 3, or DVC 2's cache
                    found.append((Path(os.path.normpath(base / out["path"])), out["md5"], layout))
        return found

    def _listing(self, listing: Path) -> dict[str, list[str]]:
        """A DVC folder output's listing in the cache (a JSON list of ``{"md5", "relpath"}``) as the md5s of each
        relpath; empty when unreadable."""
        if listing not in self._listings:
            try:
                entries = json.loads(record_text(listing))
            except (MiningError, ValueError):
                entries = []
            md5s: dict[str, list[str]] = {}
            for e in entries if isinstance(entries, list) else ():
                if isinstance(e, dict) and isinstance(e.get("relpath"), str) and isinstance(e.get("md5"), str):
                    md5s.setdefault(e.get("relpath"), []).append(e["md5"])
            self._listings[listing] = md5s
        return self._listings[listing]


def _git(cwd: Path, *args: str) -> bytes | None:
    try:
        return subprocess.run([*_GIT, *args], cwd=cwd, capture_output=True, check=True, timeout=_TIMEOUT,
                              env={**os.environ, "GIT_LITERAL_PATHSPECS": "1"}).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _index(top: Path, path: bytes | None = None) -> dict[bytes, list[tuple[bytes, bytes, bytes]]]:
    """Each path git's index holds in work tree ``top`` (or at and below ``path`` only, relative to it), with its
    (mode, blob, stage) entries (more than one while a merge conflicts); empty when git cannot say."""
    entries: dict[bytes, list[tuple[bytes, bytes, bytes]]] = {}
    only = ("--", os.fsdecode(path)) if path is not None else ()
    for line in (_git(top, "ls-files", "--stage", "-z", *only) or b"").split(b"\0"):
        info, tab, name = line.partition(b"\t")
        fields = info.split(b" ")
        if tab and len(fields) == 3:
            entries.setdefault(name, []).append((fields[0], fields[1], fields[2]))
    return entries


class _Blobs:
    """One ``git cat-file --batch`` of a repository, asked for one blob after another, each answer within
    :data:`_TIMEOUT`; after a failure (an object missing, git ended or stuck) the next blob starts a new one."""

    def __init__(self, top: Path) -> None:
        self._top = top
        self._process: subprocess.Popen | None = None
        self._pending = b""

    def read(self, sha: bytes) -> bytes | None:
        """The content of blob ``sha``, or None when git does not give it."""
        try:
            if self._process is None:
                self._process = subprocess.Popen([*_GIT, "cat-file", "--batch"], cwd=self._top, bufsize=0,
                                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                 stderr=subprocess.DEVNULL)
            self._process.stdin.write(sha + b"\n")
            deadline = time.monotonic() + _TIMEOUT
            header = self._take(self._line_end(deadline) + 1, deadline).split()
            if len(header) != 3 or header[0] != sha or header[1] != b"blob":  # "<sha> missing", or no blob
                raise ValueError(header)
            blob = self._take(int(header[2]) + 1, deadline)  # the content and a newline
            return blob[:-1]
        except (OSError, EOFError, ValueError, subprocess.SubprocessError):
            self.close()
            return None

    def close(self) -> None:
        if self._process is not None:
            for pipe in (self._process.stdin, self._process.stdout):
                pipe.close()
            try:
                self._process.wait(timeout=_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process, self._pending = None, b""

    def _line_end(self, deadline: float) -> int:
        while b"\n" not in self._pending:
            self._more(deadline)
        return self._pending.index(b"\n")

    def _take(self, size: int, deadline: float) -> bytes:
        while len(self._pending) < size:
            self._more(deadline)
        taken, self._pending = self._pending[:size], self._pending[size:]
        return taken

    def _more(self, deadline: float) -> None:
        out = self._process.stdout.fileno()
        if not select.select([out], [], [], max(0.0, deadline - time.monotonic()))[0]:
            raise TimeoutError(f"git cat-file gave no answer in {_TIMEOUT:.0f} s")
        chunk = os.read(out, 1 << 16)
        if not chunk:
            raise EOFError("git cat-file ended")
        self._pending += chunk


def _object(top: Path, layout: str, md5: str) -> Path:
    return top / ".dvc" / "cache" / layout / md5[:2] / md5[2:]
