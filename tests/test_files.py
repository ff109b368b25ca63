"""Writing a file whole or not at all (mining/files.py)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from mining.files import atomic_writer, write_text_atomic


def test_a_file_is_replaced_only_when_its_writing_ends(tmp_path: Path):
    path = tmp_path / "out" / "labels.jsonl"
    write_text_atomic(path, "first\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(ValueError, match="a bad document"):
        with atomic_writer(path) as f:
            f.write("half of the second\n")
            raise ValueError("a bad document")
    assert path.read_text(encoding="utf-8") == "first\n"  # the old file, whole
    assert [p.name for p in path.parent.iterdir()] == ["labels.jsonl"]  # no temporary file left
    write_text_atomic(path, "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"


def test_the_temporary_file_of_a_killed_writer_is_removed_by_the_next_write_and_only_it(tmp_path: Path):
    """`kill -9` during `mining label FILE -o OUT` left .OUT.XXXXXXXX.tmp beside OUT for good; another run did not
    remove it. Now a command about to write OUT removes it, while the file of a writer still at work stays."""
    import signal
    import subprocess
    import sys

    from mining.files import remove_stale_temporaries
    from tests.helpers import run_mining

    out = tmp_path / "out.jsonl"
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom mining.files import atomic_writer\n"
        f"with atomic_writer({str(out)!r}) as f:\n"
        "    f.write('half'); f.flush(); print('writing', flush=True); time.sleep(60)")],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    try:
        assert writer.stdout.readline() == "writing\n"
        (tmp,) = tmp_path.glob(".out.jsonl.*.tmp")
        assert remove_stale_temporaries(out) == [] and tmp.read_text() == "half"  # its writer is at work
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    others = [".out.jsonl.abc.tmp", ".out.jsonl.abcdefgh.tmp.not", ".out.jsonlx.abcdefgh.tmp", "out.jsonl.abcdefgh.tmp",
              ".other.jsonl.abcdefgh.tmp"]
    for name in others:
        (tmp_path / name).write_text("not a temporary file of out.jsonl's")
    (tmp_path / ".out.jsonl.linkabcd.tmp").symlink_to(tmp_path / "out.jsonl.abcdefgh.tmp")
    (tmp_path / ".out.jsonl.folder12.tmp").mkdir()
    (tmp_path / "in.jsonl").write_text('{"id": "d1", "text": "Cats purr."}\n', encoding="utf-8")
    done = run_mining("data", "convert", "jsonl", "--path", str(tmp_path / "in.jsonl"), "--to", "jsonl", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert not tmp.exists() and out.read_text(encoding="utf-8").startswith('{"id": "d1"')
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*others, ".out.jsonl.linkabcd.tmp", ".out.jsonl.folder12.tmp", "in.jsonl", "out.jsonl"])


def test_a_temporary_file_is_locked_until_it_is_renamed(tmp_path: Path):
    from mining.files import remove_stale_temporaries

    out = tmp_path / "out.txt"
    with atomic_writer(out) as f:
        f.write("whole")
        assert remove_stale_temporaries(out) == []  # another open file of this process is refused the lock too
    assert out.read_text() == "whole" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_temporary_file_of_another_user_is_not_removed(tmp_path: Path):
    """The docstring promised "no file of another user", but the owner was never checked: as root the cleaner
    removed any user's unlocked temporary file of the same name."""

    from mining.files import remove_stale_temporaries

    out = tmp_path / "out.txt"
    theirs, mine = tmp_path / ".out.txt.abcdefgh.tmp", tmp_path / ".out.txt.ijklmnop.tmp"
    theirs.write_text("another user's")
    mine.write_text("mine")
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    os.chown(theirs, os.geteuid() + 1, -1)
    assert remove_stale_temporaries(out) == [mine]
    assert theirs.read_text() == "another user's" and not mine.exists()


@pytest.mark.parametrize("code", ["ENOLCK", "EOPNOTSUPP", "EINVAL"])
def test_a_file_system_that_refuses_locks_is_written_unlocked(tmp_path: Path, monkeypatch, code: str):
    """flock's OSError (a file system that refuses locks) made every atomic write fail, and left the descriptor
    open and the temporary file behind."""
    import errno

    import mining.files

    def refuse(fd, operation):
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    monkeypatch.setattr(mining.files.fcntl, "flock", refuse)
    fds = len(os.listdir("/proc/self/fd"))
    write_text_atomic(tmp_path / "out.txt", "whole")
    assert (tmp_path / "out.txt").read_text() == "whole" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    assert len(os.listdir("/proc/self/fd")) == fds


def test_another_error_of_flock_fails_the_write_and_leaves_nothing(tmp_path: Path, monkeypatch):
    import errno

    import mining.files

    def fail(fd, operation):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(mining.files.fcntl, "flock", fail)
    fds = len(os.listdir("/proc/self/fd"))
    with pytest.raises(OSError, match="I/O error"):
        write_text_atomic(tmp_path / "out.txt", "whole")
    assert list(tmp_path.iterdir()) == [] and len(os.listdir("/proc/self/fd")) == fds


def test_a_staging_folder_is_removed_only_when_no_writer_holds_it(tmp_path: Path):
    """A pid-and-host owner file (the first version) took a pid reused since, or one of another container, for a
    writer at work or gone; a lock dies with its holder, wherever it ran."""
    from mining.files import remove_if_stale, staging_folder
    from tests.helpers import stage_of_a_killed_process, stage_of_another_process

    killed = stage_of_a_killed_process(tmp_path, ".staging-")
    kept = stage_of_a_killed_process(tmp_path, ".staging-")
    (tmp_path / "link").symlink_to(kept)
    running, writer = stage_of_another_process(tmp_path, ".staging-")
    try:
        with staging_folder(tmp_path, ".staging-") as own:
            assert not remove_if_stale(running) and not remove_if_stale(own) and running.is_dir() and own.is_dir()
        assert not remove_if_stale(kept, keep=lambda stage: stage == kept) and kept.is_dir()
        assert not remove_if_stale(tmp_path / "link") and not remove_if_stale(tmp_path / "missing") and kept.is_dir()
        assert remove_if_stale(killed) and not killed.exists()
        assert remove_if_stale(own) and not own.exists()  # the block ended: as a kill leaves it
    finally:
        writer.stdin.close()
        writer.wait()
        writer.stdout.close()
    assert remove_if_stale(running) and not running.exists()


def test_a_writer_never_stages_in_a_folder_a_cleaner_removes(tmp_path: Path, monkeypatch):
    """The cleaner removed a folder it had found unheld after letting go of its lock: a writer could take the lock in
    between, and the folder went while it wrote (with hf.save's old/, the user's dataset). It is removed under the
    lock now, and a writer that finds its new folder gone, or taken, takes another."""
    import mining.files
    from mining.files import remove_if_stale, staging_folder

    made = []
    real_mkdtemp = mining.files.tempfile.mkdtemp

    def mkdtemp_then_clean(**kwargs):
        made.append(real_mkdtemp(**kwargs))
        if len(made) == 1:  # a cleaner finds the first one before its writer holds it
            assert remove_if_stale(Path(made[0]))
        return made[-1]

    monkeypatch.setattr(mining.files.tempfile, "mkdtemp", mkdtemp_then_clean)
    with staging_folder(tmp_path, ".staging-") as stage:
        assert len(made) == 2 and str(stage) == made[1] and stage.is_dir()
        assert not remove_if_stale(stage) and stage.is_dir()
    monkeypatch.undo()

    def held_while_removed(stage: Path) -> bool:  # keep is asked under the cleaner's lock: no writer can take it
        fd = os.open(stage, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
        return False

    assert remove_if_stale(stage, keep=held_while_removed) and not stage.exists()


def test_an_exclusive_write_keeps_a_file_another_process_wrote_meanwhile(tmp_path: Path):
    """Two `mining label ... -o OUT` at once both checked that OUT was new, and the second replaced the first's
    output, both saying they wrote it. An exclusive write gives up, and the file it found stays."""
    from mining.errors import UsageError

    path = tmp_path / "out.jsonl"
    with pytest.raises(UsageError, match=r"out\.jsonl: written by another process meanwhile, so this one's output "
                                         r"was not written there; write to another path"):
        with atomic_writer(path, exclusive=True) as f:
            f.write("this run's\n")
            write_text_atomic(path, "the other run's\n")
    assert path.read_text(encoding="utf-8") == "the other run's\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no temporary file left
    write_text_atomic(tmp_path / "new.jsonl", "first\n", exclusive=True)
    assert (tmp_path / "new.jsonl").read_text(encoding="utf-8") == "first\n"


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path):
    """`--overwrite` onto a private 0600 output made it 0644, readable by every user."""
    private, public = tmp_path / "private.jsonl", tmp_path / "public.jsonl"
    write_text_atomic(private, "old\n")
    private.chmod(0o600)
    write_text_atomic(private, "new\n")
    write_text_atomic(public, "new\n")
    assert (private.stat().st_mode & 0o777, private.read_text(encoding="utf-8")) == (0o600, "new\n")
    assert public.stat().st_mode & 0o777 == 0o666 & ~_current_umask()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_full_disk_is_named_by_the_file_being_written(tmp_path: Path):
    """A write that fails for want of space names no file, and `mining data convert ... -o OUT` printed a traceback;
    now it names OUT (one line, with a hint), and the old file stays. The limit on a file's size (ulimit -f) stands
    in for a full disk: Python then gets EFBIG from the write, as it gets ENOSPC from a full one."""
    import resource
    import subprocess
    import sys

    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, resource.RLIM_INFINITY))

    done = subprocess.run([sys.executable, "-m", "mining", "data", "convert", "news", "--to", "jsonl", "-o", str(out),
                           "--overwrite"], capture_output=True, text=True, preexec_fn=small_files)
    assert done.returncode == 2 and done.stderr.strip().splitlines() == [
        f"error: {out}: file too large; larger than this system lets a file be (ulimit -f): raise the limit or "
        "choose another disk"], done.stderr
    assert out.read_text(encoding="utf-8") == "old\n" and [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_an_error_of_the_writers_own_input_is_not_blamed_on_its_output(tmp_path: Path):
    """`mining label -o OUT` reads its input while it writes: an input that fails to read is that input's error."""
    import errno

    with pytest.raises(OSError) as raised:
        with atomic_writer(tmp_path / "out.jsonl") as f:
            f.write("first\n")
            raise OSError(errno.EIO, "Input/output error")
    assert raised.value.filename is None