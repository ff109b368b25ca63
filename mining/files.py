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

from mining.errors import UsageError


@contextmanager
def atomic_writer(path: str | Path, *, binary: bool = False, exclusive: bool = False,
                  before_rename: Callable[[], object] | None = None) -> Iterator[IO]:
    """A UTF-8 text file (with ``binary``, a byte file) to write ``path`` through: it replaces ``path`` only when the
    block ends without an error, so a crash or a bad document halfway leaves the old file (if any) as it was, and
    no partial one. Text is written as given: no newline is translated (offsets into it stay true).

    With ``exclusive`` it never replaces a file: one that appeared at ``path`` while this was written (another
    process writing the same output) is a UsageError, and that file stays as it is. ``before_rename`` is called
    once the file is written, just before it takes the name: an error it raises leaves ``path`` as it was."""
    given = path
    path = Path(os.path.realpath(path))  # through a link, which stays one; /dev/stdout resolves into /proc or /dev
    if _not_a_file(path):  # a device or a pipe would be replaced by the renamed temporary file
        raise OSError(errno.EISDIR if path.is_dir() else errno.EINVAL,
                      "not a regular file; give the path of a file to write", str(given))
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked_temporary(path, binary=binary) as (f, tmp):
        named = _NamedWrites(f, str(given))
        with named:
            yield named
        os.chmod(tmp, _mode_of(path))  # mkstemp makes 0600 files
        if before_rename is not None:
            before_rename()
        if exclusive:
            _link_new(tmp, path, given)
        else:
            os.replace(tmp, path)


class _NamedWrites:
    """The file ``f`` as written through: an error of writing it that names no file (a full disk's) names ``name``,
    so that the commands say which output; errors raised by the writer's own code (reading its input) are its own."""

    def __init__(self, f: IO, name: str):
        self._f, self._name = f, name

    def __getattr__(self, attr: str):
        return getattr(self._f, attr)

    def __enter__(self) -> _NamedWrites:
        return self

    def __exit__(self, *exc) -> None:
        self._named(self._f.close)

    def write(self, data):
        return self._named(self._f.write, data)

    def flush(self) -> None:
        self._named(self._f.flush)

    def _named(self, call, *args):
        try:
            return call(*args)
        except OSError as e:
            if e.filename is not None or e.errno not in _WRITE_FAILURES:
                raise
            raise OSError(e.errno, e.strerror, self._name) from None


def _mode_of(path: Path) -> int:
    """The permissions a file written to ``path`` gets: those of the file it replaces (a private 0600 output stays
    private), else the usual ones."""
    try:
        return os.stat(path).st_mode & 0o777  # not a setuid, setgid or sticky bit
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _link_new(tmp: str, path: Path, given: str | Path) -> None:
    """Give the finished ``tmp`` the name ``path`` only if nothing has it: a hard link, which fails if the name is
    taken, where ``os.replace`` would replace it. Where the file system has no hard links, the name is checked just
    before the rename instead."""
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        pass
    except OSError as e:
        if e.errno not in _NO_HARD_LINKS:
            raise
        if not os.path.lexists(path):
            os.replace(tmp, path)
            return
    raise UsageError(f"{given}: written by another process meanwhile, so this one's output was not written there; "
                     "write to another path (or, where the command takes --overwrite, replace it)")


@contextmanager
def locked_temporary(path: Path, *, binary: bool = False) -> Iterator[tuple[IO, str]]:
    """A new temporary file beside ``path`` (:func:`_new_temporary`), open for writing (UTF-8 text as given, or bytes
    with ``binary``), and its name. It stays locked to the end of the block, past the file's closing, so that the
    caller renames it into place while no cleaner can take it; it is removed then unless renamed."""
    fd, tmp = _new_temporary(path)
    lock = os.dup(fd)  # holds the lock once the file below is closed
    try:
        f = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        try:
            yield f, tmp
        finally:
            f.close()
    finally:
        Path(tmp).unlink(missing_ok=True)  # renamed already, or an error came first
        os.close(lock)


# The name a writer of a whole folder (brat, an HF dataset) gives the hidden folder it stages its files in; a
# leftover of one was a write killed before it ended.
STAGING = ".staging-"
# What writing a file raises when the disk cannot take it (full, over quota, too large, failing)
_WRITE_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})
# What os.link raises on a file system without hard links (FAT, some FUSE and SMB mounts)
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.ENOSYS})
# What flock raises on a file system that refuses locks (some NFS mounts, FUSE, SMB): the write goes on unlocked.
_NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL})
# A file's temporary: ".NAME." and mkstemp's eight characters, ".tmp" (_new_temporary)
_TEMPORARY_SUFFIX = ".tmp"
_TEMPORARY_NAME = r"[a-z0-9_]{8}\.tmp"
_TEMPORARY = re.compile(r"\.(.+)\." + _TEMPORARY_NAME)


def _new_temporary(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, open and locked (``flock``) while its descriptor is: so
    :func:`remove_stale_temporaries` can tell it from the file of a writer that is gone (a kill leaves it)."""
    return _made_locked(lambda: tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TEMPORARY_SUFFIX),
                        lambda tmp: Path(tmp).unlink(missing_ok=True))


def _made_locked(make: Callable[[], tuple[int, str] | None], discard: Callable[[str], object]) -> tuple[int, str]:
    """What ``make`` makes (its descriptor and path; None when it vanished before it was opened), locked with ``flock``,
    and made again while a cleaner removes it in the instant before the lock (it had found it unheld). A file system
    that refuses flock gets it unlocked, rather than fail every write there: a cleaner's own flock fails there too,
    so it keeps what it cannot lock."""
    while True:
        made = make()
        if made is None:
            continue
        fd, path = made
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits while a cleaner holds it (remove_if_stale), then finds it gone
        except OSError as e:
            if e.errno not in _NO_LOCKS:
                os.close(fd)
                discard(path)
                raise
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd, path
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # removed as stale in the instant before the lock: take another


def remove_stale_temporaries(path: str | Path) -> list[Path]:
    """Remove the temporary files that writers of ``path`` killed midway (``kill -9``, a power cut) left beside it,
    and return them: files named as :func:`atomic_writer` names its own (``.NAME.`` and ``mkstemp``'s eight
    characters, ``.tmp``) that no running writer holds locked. Nothing else is touched: no other name, no link, no
    file of another user, no file of a writer still at work. On a file system whose locks are local to each host
    (NFS mounted with ``local_lock``, sshfs), a writer on another host is not seen."""
    path = Path(path)
    own = re.compile(re.escape(f".{path.name}.") + _TEMPORARY_NAME)
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


def remove_stale_temporaries_in(folder: Path) -> list[Path]:
    """:func:`remove_stale_temporaries` of every file of ``folder`` that temporaries there are named for (a file may
    be gone since, or never have been written: its temporaries still go)."""
    try:
        names = {m.group(1) for e in os.scandir(folder) if (m := _TEMPORARY.fullmatch(e.name))}
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [removed for name in sorted(names) for removed in remove_stale_temporaries(folder / name)]


@contextmanager
def staging_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """A new folder in ``parent`` named ``prefix`` and ``mkdtemp``'s eight characters, to stage a whole folder's files
    in, locked (``flock`` on the folder itself) until the block ends: what a writer killed midway leaves, no process
    holds, and :func:`remove_if_stale` tells it from the stage of a writer at work, as
    :func:`remove_stale_temporaries` does for a file's temporaries. The caller moves or removes the folder's contents;
    the lock goes with the block."""

    def make() -> tuple[int, str] | None:
        stage = tempfile.mkdtemp(dir=parent, prefix=prefix)
        try:
            return os.open(stage, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW), stage
        except FileNotFoundError:  # a cleaner took it, unheld, in the instant before it was opened
            return None

    fd, made = _made_locked(make, lambda stage: shutil.rmtree(stage, ignore_errors=True))
    stage = Path(made)
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
    with _folder_lock(stage, fcntl.LOCK_SH) as taken:
        return taken is False


def remove_if_stale(stage: Path, keep: Callable[[Path], bool] | None = None) -> bool:
    """Remove the staging folder ``stage`` if it is this user's and no writer holds it locked (:func:`staging_folder`):
    a writer killed midway left it, or older code that locked nothing. ``keep`` may spare one even so (it is asked
    under the lock); returns whether it was removed. The lock is held while it is removed, so a writer that found the
    folder in the same instant waits, then finds it gone and takes another. Not a link, not another user's, not one of
    a writer at work; on NFS, whose locks on a folder are each host's own, a writer on another host is not seen, and
    on a file system that refuses locks nothing is removed."""
    with _folder_lock(stage, fcntl.LOCK_EX) as taken:
        if not taken or (keep is not None and keep(stage)):
            return False
        shutil.rmtree(stage, ignore_errors=True)
        return not stage.exists()


@contextmanager
def _folder_lock(stage: Path, operation: int) -> Iterator[bool | None]:
    """``flock`` ``operation`` on the folder ``stage``, without waiting, held for the block: True when taken, False
    when a writer holds it, None when there is no telling (no such folder, a link, another user's, a file system that
    refuses locks)."""
    try:
        fd = os.open(stage, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        yield None
        return
    try:
        if os.fstat(fd).st_uid != os.geteuid():
            taken = None
        else:
            try:
                fcntl.flock(fd, operation | fcntl.LOCK_NB)
                taken = True
            except BlockingIOError:
                taken = False
            except OSError:
                taken = None
        yield taken
    finally:
        os.close(fd)


def not_a_file(path: str | Path) -> bool:
    """Whether ``path`` (resolved) names something a file cannot be written over: a folder, a device, a pipe, or a
    process's stream (``/dev/stdout`` resolves to ``/proc/PID/fd/...`` or into ``/dev``)."""
    return _not_a_file(Path(os.path.realpath(path)))


def _not_a_file(resolved: Path) -> bool:
    special = any(resolved.is_relative_to(root) for root in ("/dev", "/proc"))
    return special or resolved.exists() and not resolved.is_file()


def write_text_atomic(path: str | Path, text: str, *, exclusive: bool = False) -> None:
    """Write ``text`` to ``path`` as :func:`atomic_writer` does."""
    with atomic_writer(path, exclusive=exclusive) as f:
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
