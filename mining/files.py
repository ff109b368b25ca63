"""Writing a file (or a folder) whole or not at all: into a temporary file (or folder) beside it, then renamed over
it."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


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
    fd, tmp = new_temporary(path)
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
# What flock raises on a file system that refuses locks (some NFS mounts, FUSE, SMB): the write goes on unlocked.
_NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL})


def new_temporary(path: Path) -> tuple[int, str]:
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
            # read and write: NFSv4 grants no exclusive lock on a file opened for reading only (EBADF)
            fd = os.open(entry.path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK)
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


@contextmanager
def staging_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """A new folder in ``parent`` named ``prefix`` and ``mkdtemp``'s eight characters, to stage a whole folder's files
    in, locked (``flock`` on the folder itself) until the block ends: what a writer killed midway leaves, no process
    holds, and :func:`remove_if_stale` tells it from the stage of a writer at work, as
    :func:`remove_stale_temporaries` does for a file's temporaries. The caller moves or removes the folder's contents;
    the lock goes with the block."""
    while True:
        stage = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
        try:
            fd = os.open(stage, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except FileNotFoundError:  # a cleaner took it, unheld, in the instant before it was opened: take another
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits while a cleaner holds it (remove_if_stale), then finds it gone
        except OSError as e:
            if e.errno not in _NO_LOCKS:  # a file system that refuses locks: staged unlocked, never taken for stale
                os.close(fd)
                shutil.rmtree(stage, ignore_errors=True)
                raise
        try:
            if os.stat(stage).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # removed as stale in the instant before the lock: take another
    try:
        yield stage
    finally:
        os.close(fd)


def staging_folders(parent: Path, prefix: str) -> list[Path]:
    """The folders (not links) in ``parent`` named as :func:`staging_folder` names them with ``prefix``: of any
    writer, at work or not."""
    own = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}")  # mkdtemp's suffix: with ".staging-out.", not out.v2's
    try:
        entries = list(os.scandir(parent))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(Path(e.path) for e in entries if own.fullmatch(e.name) and e.is_dir(follow_symlinks=False))


def held(stage: Path) -> bool:
    """Whether a writer at work holds the staging folder ``stage`` locked (:func:`staging_folder`)."""
    try:
        fd = os.open(stage, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    except OSError:  # a file system that refuses locks: no writer can be seen
        return False
    finally:
        os.close(fd)


def remove_if_stale(stage: Path, keep: Callable[[Path], bool] | None = None) -> bool:
    """Remove the staging folder ``stage`` if it is this user's and no writer holds it locked (:func:`staging_folder`):
    a writer killed midway left it, or older code that locked nothing. ``keep`` may spare one even so (it is asked
    under the lock); returns whether it was removed. The lock is held while it is removed, so a writer that found the
    folder in the same instant waits, then finds it gone and takes another. Not a link, not another user's, not one of
    a writer at work; on NFS, whose locks on a folder are each host's own, a writer on another host is not seen, and
    on a file system that refuses locks nothing is removed."""
    try:
        fd = os.open(stage, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        if os.fstat(fd).st_uid != os.geteuid():
            return False
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # OSError while its writer runs, or where locks are refused
        if keep is not None and keep(stage):
            return False
        shutil.rmtree(stage, ignore_errors=True)
        return not stage.exists()
    except OSError:
        return False
    finally:
        os.close(fd)


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
