"""Which links in a run folder stand for the run's own files: git-annex and DVC checkouts its repository vouches for.

``git annex add`` and DVC with ``cache.type symlink`` turn each file of a run folder into a link into the
repository's store (``.git/annex/objects``, ``.dvc/cache``). ``mining publish`` copies no link in general: one in a
folder someone handed over (``config.yaml -> ~/.ssh/id_rsa``) would publish that file. It follows a link only when
the git work tree the run lies in vouches for it:

- git-annex: git tracks the link itself, as it is (its text is the blob in git's index), and it resolves to a file
  under the repository's own ``annex/objects``;
- DVC: a record that git tracks as it is (``FOLDER.dvc`` beside a folder holding the file, or a ``dvc.lock``) lists
  an output holding the file, and the output's listing in the cache gives the file the very object the link resolves
  to (``.dvc/cache/files/md5/ab/cdef...``, or ``.dvc/cache/ab/cdef...`` for DVC 2).

Links of a folder copied into a repository are tracked by neither, so they stay refused, and a repository cloned
from someone else vouches only for objects in its own store, never for files elsewhere, its ``.git/config`` or an
ignored ``.env`` among them. A custom DVC cache folder (``cache.dir``) is not followed. Git runs only ``rev-parse``,
``ls-files`` and ``cat-file``, with ``core.fsmonitor`` off: nothing a repository's own config could make run code.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from mining.errors import MiningError
from mining.runs.jsonfile import read_yaml, record_text


def vouched_target(link: Path) -> Path | None:
    """The regular file that ``link`` stands for when its repository vouches for it (module docstring), else None."""
    real = Path(os.path.realpath(link))
    if not real.is_file():
        return None
    found = _repository(Path(os.path.realpath(link.parent)))
    if found is None:
        return None
    top, common = found
    link = Path(os.path.realpath(link.parent)) / link.name
    if not link.is_relative_to(top):  # git's core.worktree names another folder: this one's links are not its own
        return None
    if real.is_relative_to(common / "annex" / "objects"):
        return real if _tracked_as_is(top, link, os.fsencode(os.readlink(link)), (b"120000",)) else None
    if real.is_relative_to(top / ".dvc" / "cache"):
        return real if real in _dvc_objects(top, link) else None
    return None


def _git(cwd: Path, *args: str) -> bytes | None:
    try:
        return subprocess.run(["git", "-c", "core.fsmonitor=false", *args], cwd=cwd, capture_output=True, check=True,
                              timeout=10, env={**os.environ, "GIT_LITERAL_PATHSPECS": "1"}).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _repository(folder: Path) -> tuple[Path, Path] | None:
    """The top of the git work tree ``folder`` lies in, and the repository's common git folder (where annex keeps
    its objects, for a linked work tree too); None outside one."""
    out = _git(folder, "rev-parse", "--show-toplevel", "--git-common-dir")
    lines = os.fsdecode(out or b"").splitlines()
    if len(lines) != 2:
        return None
    return Path(os.path.realpath(lines[0])), Path(os.path.realpath(folder / lines[1]))


def _tracked_as_is(top: Path, path: Path, content: bytes, modes: tuple[bytes, ...]) -> bool:
    """Whether git's index holds ``path`` (a file or link in work tree ``top``) with ``content``, mode in ``modes``."""
    entries = (_git(top, "ls-files", "--stage", "-z", "--", os.path.relpath(path, top)) or b"").split(b"\0")
    if len(entries) != 2 or entries[1]:  # one entry, then the terminator
        return False
    mode, sha, stage = entries[0].split(b"\t", 1)[0].split(b" ")
    if mode not in modes or stage != b"0":
        return False
    return _git(top, "cat-file", "blob", os.fsdecode(sha)) == content


def _dvc_objects(top: Path, path: Path) -> set[Path]:
    """The cache objects that DVC records git tracks give to ``path``, a file in work tree ``top``."""
    folders = [path, *path.parents[:len(path.relative_to(top).parts) - 1]]  # path and its folders below top
    records = [(f.parent / f"{f.name}.dvc", f.parent) for f in folders]
    records += [(f / "dvc.lock", f) for f in [*folders[1:], top]]
    objects = set()
    for record, base in records:
        for out, md5, layout in _outputs(top, record, base):
            if md5.endswith(".dir") and path.is_relative_to(out) and path != out:
                wanted = path.relative_to(out).as_posix()
                md5s = [e.get("md5") for e in _listing(top, layout, md5) if e.get("relpath") == wanted]
                objects.update(_object(top, layout, m) for m in md5s if isinstance(m, str))
            elif path == out:
                objects.add(_object(top, layout, md5))
    return objects


def _outputs(top: Path, record: Path, base: Path) -> list[tuple[Path, str, str]]:
    """(path, md5, cache layout) of each output of DVC ``record`` (a ``.dvc`` file or ``dvc.lock``) that git tracks
    as it is; paths are relative to ``base``."""
    if not record.is_file() or record.is_symlink() or \
            not _tracked_as_is(top, record, record.read_bytes(), (b"100644", b"100755")):
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


def _object(top: Path, layout: str, md5: str) -> Path:
    return top / ".dvc" / "cache" / layout / md5[:2] / md5[2:]


def _listing(top: Path, layout: str, md5: str) -> list[dict]:
    """A DVC folder output's listing in the cache (a JSON list of ``{"md5", "relpath"}``); empty when unreadable."""
    try:
        entries = json.loads(record_text(_object(top, layout, md5)))
    except (MiningError, ValueError):
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
