"""Writing a file (or a folder) whole or not at all: into a temporary file (or folder) beside it, then renamed over
it."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from mining import jsonread


@contextmanager
def atomic_writer(path: str | Path, *, binary: bool = False) -> Iterator[IO]:
    """A UTF-8 text file (with ``binary``, a byte file) to write ``path`` through: it replaces ``path`` only when the
    block ends without an error, so a crash or a bad document halfway leaves the old file (if any) as it was, and
    no partial one. Text is written as given: no newline is translated (offsets into it stay true)."""
    given = path
    path = Path(os.path.realpath(path))  # through a link, which stays one; /dev/stdout resolves into /proc or /dev
    if _not_a_file(path):  # a device or a pipe would be replaced by the renamed temporary file
        raise OSError(errno.EISDIR if path.is_dir() else errno.EINVAL,
                      "not a regular file; give the path of a file to write", str(given))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_temporary(path)
    lock = os.dup(fd)  # holds the lock on to the rename, after the file below is closed
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        os.close(lock)


# The name a writer of a whole folder (brat, an HF dataset) gives the hidden folder it stages its files in; a
# leftover of one was a write killed before it ended.
STAGING = ".staging-"
# The file a staging folder holds first, naming the process that writes it: a later writer removes the folder only
# when that process certainly ended (killed: it removes its own folder otherwise).
STAGE_OWNER = ".owner"
# What flock raises on a file system that refuses locks (some NFS mounts, FUSE, SMB): the write goes on unlocked.
_NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL})


def _new_temporary(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, open and locked (``flock``) while its descriptor is: so
    :func:`remove_stale_temporaries` can tell it from the file of a writer that is gone (a kill leaves it)."""
    while True:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as e:
            # A file system that refuses flock: write unlocked, rather than fail every write there. Such a file
            # could look stale to a cleaner only on such a file system, and there the cleaner's own flock fails
            # too, so it keeps the file (remove_stale_temporaries removes only what it could lock).
            if e.errno not in _NO_LOCKS:
                os.close(fd)
                Path(tmp).unlink(missing_ok=True)
                raise
        try:
            if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                return fd, tmp
        except FileNotFoundError:
            pass
        os.close(fd)  # removed as stale in the instant before the lock: take another


def remove_stale_temporaries(path: str | Path) -> list[Path]:
    """Remove the temporary files that writers of ``path`` killed midway (``kill -9``, a power cut) left beside it,
    and return them: files named as :func:`atomic_writer` names its own (``.NAME.`` and ``mkstemp``'s eight
    characters, ``.tmp``) that no running writer holds locked. Nothing else is touched: no other name, no link, no
    file of another user, no file of a writer still at work. On a file system whose locks are local to each host
    (NFS mounted with ``local_lock``, sshfs), a writer on another host is not seen."""
    path = Path(path)
    own = re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}\.tmp")
    try:
        entries = [e for e in os.scandir(path.parent) if own.fullmatch(e.name)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    removed = []
    for entry in entries:
        try:
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:  # a link, or not ours to read
            continue
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid():  # another user's file is not ours
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # OSError while its writer runs
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def new_stage(parent: Path, prefix: str) -> Path:
    """A new staging folder in ``parent``, named ``prefix`` and ``mkdtemp``'s eight characters, that holds its owner
    (this process) in :data:`STAGE_OWNER` before anything else is written into it."""
    stage = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
    try:
        # Written in place: a part of a JSON object is no JSON, so a reader takes a half-written owner for none.
        (stage / STAGE_OWNER).write_text(json.dumps({"pid": os.getpid(), **_pid_space()}), encoding="utf-8")
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def staging_folders(parent: Path, prefix: str) -> list[Path]:
    """The folders (not links) in ``parent`` named as :func:`new_stage` names them with ``prefix``: of any writer,
    at work or not."""
    own = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}")  # mkdtemp's suffix: with ".staging-out.", not out.v2's
    try:
        entries = list(os.scandir(parent))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(Path(e.path) for e in entries if own.fullmatch(e.name) and e.is_dir(follow_symlinks=False))


def is_stale(stage: Path) -> bool:
    """Whether the staging folder ``stage`` was certainly left by a writer that ended: it is this user's, and its
    owner is a process of this host's running system (the same boot and pid namespace) that no longer exists.
    Without an owner (made by older code, or by a writer killed before it wrote one), with an owner elsewhere (another
    host, container or boot: it cannot be asked), or with a live one, it may be a write at work: not stale. (A pid
    since reused by another process only keeps a stale folder.)"""
    try:
        if stage.lstat().st_uid != os.geteuid():
            return False
        owner = jsonread.loads((stage / STAGE_OWNER).read_bytes())
    except (OSError, ValueError):  # no owner file yet, or half of one
        return False
    here = _pid_space()
    pid = owner.get("pid") if isinstance(owner, dict) else None
    if type(pid) is not int or pid <= 0:  # os.kill(0 or -N) would ask a process group
        return False
    if here["space"] is None or any(owner.get(key) != value for key, value in here.items()):
        return False
    return process_ended(pid)


def process_ended(pid: int) -> bool:
    """Whether no process of this system has the id ``pid`` (another user's live one counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: another user's live process
        return False
    return False


def _pid_space() -> dict[str, str | None]:
    """Where a pid names a process: the host, and the boot and pid namespace of its kernel (containers on one host
    share its boot but not its pids); None where the system does not say (no ``/proc``)."""
    try:
        space = (Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip() + " "
                 + os.readlink("/proc/self/ns/pid"))
    except OSError:
        space = None
    return {"host": socket.gethostname(), "space": space}


def not_a_file(path: str | Path) -> bool:
    """Whether ``path`` (resolved) names something a file cannot be written over: a folder, a device, a pipe, or a
    process's stream (``/dev/stdout`` resolves to ``/proc/PID/fd/...`` or into ``/dev``)."""
    return _not_a_file(Path(os.path.realpath(path)))


def _not_a_file(resolved: Path) -> bool:
    special = any(resolved.is_relative_to(root) for root in ("/dev", "/proc"))
    return special or resolved.exists() and not resolved.is_file()


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` as :func:`atomic_writer` does."""
    with atomic_writer(path) as f:
        f.write(text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def input_folders_holding(output: str | Path, inputs) -> list[str]:
    """The ``inputs`` (paths as given; ``-`` and None are no folder) that are folders holding ``output`` at any
    depth: what a command reads there next time may take the output for input."""
    target = Path(output).resolve()
    return [str(given) for given in inputs if given is not None and str(given) != "-"
            and Path(given).resolve().is_dir() and target.is_relative_to(Path(given).resolve())]
