"""Claim a run directory for one process: a locked file naming its owner, given up at the end or by the owner's death.

Hydra writes ``.hydra/`` when a run starts and :func:`mining.runs.record.write_record` writes the record
when it ends, so two runs sharing a directory would leave one run's overrides beside the other's model
and metrics. The claim is taken before anything is written. It is an ``fcntl.flock`` on ``.claim``:
the kernel drops the lock when its process dies, even by ``kill -9``, so a dead owner never blocks a
directory, and a pid that was reused by an unrelated process cannot fake a live owner.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mining import jsonread
from mining.errors import MiningError
from mining.runs.record import METRICS, STAGE_PREFIX, find_runs, remove_record

CLAIM = ".claim"
OWNER_WAIT = 1.0  # seconds to wait for a new owner to write its pid into the claim it has just locked


class ClaimError(MiningError, RuntimeError):
    """A run directory is taken by a live run, or holds a finished record that was not to be replaced."""


@dataclass
class Claim:
    """The claim this process holds on ``directory``; :meth:`release` gives it up (twice is harmless).

    Attributes
    ----------
    previous : dict or None
        The owner written in a claim whose process ended without releasing it (killed), now taken over.
    removed : list of Path
        Staging folders of that owner's unfinished records, deleted when the claim was taken.
    replaced : list of Path
        Finished records unmade because the run was asked to overwrite them.
    """

    directory: Path
    fd: int | None
    previous: dict[str, Any] | None = None
    removed: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:  # unlink before unlocking: a waiting process then sees that the file it locked is gone
            if _same_file(self.directory / CLAIM, fd):
                os.unlink(self.directory / CLAIM)
        finally:
            os.close(fd)


def claim_directory(directory: str | Path, *, overwrite: bool = False, sweep: bool = False) -> Claim:
    """Claim ``directory`` for this process before a run writes into it.

    A directory claimed by a live process raises :class:`ClaimError` naming that process. So does one
    holding a finished record (``metrics.json``; with ``sweep``, in any job folder below it) unless
    ``overwrite``, which unmakes those records first, ``metrics.json`` first. Both refusals write nothing.
    A claim whose owner died is taken over (see :attr:`Claim.previous`), and the staging folders left
    in the directory (or its job folders) are removed: only the claim's holder writes records there.
    """
    directory = Path(directory)
    if not sweep:
        _refuse_records_below(directory)
    if not overwrite:
        _refuse_finished(directory, sweep=sweep)
    directory.mkdir(parents=True, exist_ok=True)
    claim = _lock(directory)
    try:
        finished = _finished(directory, sweep=sweep)  # again, now that no other run can write here
        if finished and not overwrite:
            _refuse_finished(directory, sweep=sweep)
        for run_dir in finished:
            remove_record(run_dir)
        claim.replaced = finished
        claim.removed = _remove_stages(directory, sweep=sweep)
    except BaseException:
        claim.release()
        raise
    return claim


def _finished(directory: Path, *, sweep: bool) -> list[Path]:
    if sweep:
        return find_runs([directory]) if directory.is_dir() else []
    return [directory] if (directory / METRICS).exists() else []


def _refuse_records_below(directory: Path) -> None:
    """A run's own record in a folder that holds others below it (a sweep's jobs) would hide them: readers
    (``mining compare``) take a folder with a ``metrics.json`` for one run. Refused, with overwrite too."""
    below = sorted(m.parent for m in directory.glob(f"*/{METRICS}")  # a sweep's jobs: one level down
                   if not m.parent.name.startswith(STAGE_PREFIX)) if directory.is_dir() else []
    if below:
        raise ClaimError(f"{directory} holds {len(below)} run record(s) in its folders ({below[0]}, ...), as a sweep "
                         "does: a run's record there would hide them; choose another hydra.run.dir")


def _refuse_finished(directory: Path, *, sweep: bool) -> None:
    finished = _finished(directory, sweep=sweep)
    if finished:
        what = f"{len(finished)} finished run record(s)" if sweep else "a finished run record (metrics.json)"
        raise ClaimError(f"{directory} holds {what}: pass overwrite=true to replace {'them' if sweep else 'it'}, "
                         f"or choose another hydra.{'sweep' if sweep else 'run'}.dir")


def _lock(directory: Path) -> Claim:
    path = directory / CLAIM
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = _read_owner(fd, wait=OWNER_WAIT)
            os.close(fd)
            raise ClaimError(f"{directory} is in use by another run ({_describe(owner)}): wait for it to end, "
                             "or choose another hydra.run.dir") from None
        except BaseException:
            os.close(fd)
            raise
        if _same_file(path, fd):
            break
        os.close(fd)  # the owner released (unlinked) the file between our open and our lock: open the new one
    previous = _read_owner(fd, wait=0.0)  # a released claim is deleted, so any owner left in it died holding it
    me = {"pid": os.getpid(), "host": socket.gethostname(),
          "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(me).encode(), 0)
    return Claim(directory, fd, previous=previous)


def _same_file(path: Path, fd: int) -> bool:
    try:
        here, mine = os.stat(path), os.fstat(fd)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


def _read_owner(fd: int, *, wait: float) -> dict[str, Any] | None:
    """The owner written in the claim; a new owner writes it just after locking, so wait up to ``wait`` for it."""
    deadline = time.monotonic() + wait
    while True:
        try:  # empty or half-written: its owner is writing it, or was killed while writing it
            return jsonread.loads(os.pread(fd, 4096, 0))
        except ValueError:
            if time.monotonic() >= deadline:
                return None
        time.sleep(0.05)


def _describe(owner: dict[str, Any] | None) -> str:
    if not owner:
        return "pid unknown"
    return f"pid {owner.get('pid')} on {owner.get('host')}, started {owner.get('started')}"


def describe_previous(claim: Claim) -> str:
    """One line saying whose dead claim was taken over and which staging folders went with it."""
    parts = [f"taking over the claim left by {_describe(claim.previous)}, which is no longer running"] \
        if claim.previous is not None else []
    if claim.removed:
        parts.append(f"removed the unfinished record staging {', '.join(p.name for p in claim.removed)}")
    return f"{claim.directory}: " + "; ".join(parts)


def _remove_stages(directory: Path, *, sweep: bool) -> list[Path]:
    stages = sorted(directory.glob(f"*/{STAGE_PREFIX}*" if sweep else f"{STAGE_PREFIX}*"))
    for stage in stages:
        shutil.rmtree(stage, ignore_errors=True)
    return stages
