"""The parse cache: a damaged file is reported, parsed again and replaced; a killed write is never read as whole."""

from __future__ import annotations

import hashlib
import logging
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from mining.corpora import sample
from mining.nlp.cache import cache_key, checksum_path, parse_documents
from mining.nlp.pipeline import PipelineInfo
from mining.schema import Document
from tests.helpers import run_mining

INFO = PipelineInfo(package="blank_en", version="0.0", spacy_version=spacy.__version__, lang="en", exclude=(),
                    components=())
TEXTS = ["Homework is useful because it trains memory.", "Uniforms should be banned.", "We disagree."]


def documents() -> list[Document]:
    return [Document(id=f"d{i}", text=text) for i, text in enumerate(TEXTS)]


def parse(cache: Path):
    return parse_documents(documents(), INFO, cache_dir=cache, progress=False, nlp=spacy.blank("en"))


def cache_file(cache: Path) -> Path:
    return cache / f"{cache_key(documents(), INFO)}.spacy"


def damage_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "mining.nlp.cache"]


def assert_whole_again(cache: Path, caplog) -> None:
    """The next read is a hit, with no warning, and nothing temporary is left in the cache."""
    caplog.clear()
    parsed, hit = parse(cache)
    assert hit and [d.text for d in parsed] == TEXTS
    assert damage_warnings(caplog) == []
    assert sorted(p.suffix for p in cache.iterdir()) == [".sha256", ".spacy"]


def test_the_cache_is_written_with_its_checksum_and_read_back(tmp_path: Path, caplog):
    assert parse(tmp_path)[1] is False
    assert checksum_path(cache_file(tmp_path)).read_text().strip().isalnum()
    assert_whole_again(tmp_path, caplog)


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def scramble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[10:30] = bytes(255 - b for b in data[10:30])
    path.write_bytes(bytes(data))


def not_a_docbin(path: Path) -> None:  # bytes that match their checksum but are no DocBin
    path.write_bytes(b"not a docbin")
    checksum_path(path).write_text(hashlib.sha256(b"not a docbin").hexdigest())


@pytest.mark.parametrize("damage, why", [
    (truncate, r"\d+ bytes that do not match its checksum"),
    (scramble, r"\d+ bytes that do not match its checksum"),
    (lambda path: checksum_path(path).unlink(), r"no checksum \w+\.sha256 beside it"),
    (not_a_docbin, r"not a DocBin spaCy [\d.]+ reads: \w+"),
])
def test_a_damaged_cache_file_is_reported_parsed_again_and_replaced(tmp_path: Path, caplog, damage, why):
    parse(tmp_path)
    path = cache_file(tmp_path)
    damage(path)
    with caplog.at_level(logging.WARNING, logger="mining.nlp.cache"):
        parsed, hit = parse(tmp_path)
    assert not hit and [d.text for d in parsed] == TEXTS
    (warning,) = damage_warnings(caplog)
    assert "\n" not in warning
    assert re.fullmatch(rf"parse cache {re.escape(str(path))} is damaged \({why}.*\): parsing again", warning), warning
    assert_whole_again(tmp_path, caplog)


# A child process that writes the cache and hangs at one step of the write, to be killed there.
HANG = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from tests.nlp.test_cache import parse

    name, call = sys.argv[2], int(sys.argv[3])
    real, calls = getattr(os, name), []

    def hang(*args):
        calls.append(args)
        if len(calls) == call:
            print("hanging", flush=True)
            time.sleep(120)
        return real(*args)

    setattr(os, name, hang)
    parse(Path(sys.argv[1]))
""")


@pytest.mark.parametrize("step, call, damaged_before", [
    ("fsync", 1, False),   # the DocBin's bytes written to the temporary file, not yet renamed
    ("fsync", 2, False),   # the checksum being written
    ("replace", 2, True),  # the new checksum in place, the old (damaged) DocBin not yet replaced
])
def test_a_write_killed_at_any_step_is_never_read_as_whole(tmp_path: Path, caplog, step, call, damaged_before):
    if damaged_before:
        parse(tmp_path)
        truncate(cache_file(tmp_path))
    child = subprocess.Popen([sys.executable, "-c", HANG, str(tmp_path), step, str(call)],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    assert child.stdout.readline().strip() == "hanging"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]  # the killed writer's leftovers
    with caplog.at_level(logging.WARNING, logger="mining.nlp.cache"):
        parsed, hit = parse(tmp_path)
    assert not hit and [d.text for d in parsed] == TEXTS
    assert len(damage_warnings(caplog)) == (1 if damaged_before else 0)
    assert_whole_again(tmp_path, caplog)  # the stale temporary files are gone too


@pytest.fixture(scope="module")
def cached_run(tmp_path_factory) -> Path:
    """A home whose parse cache holds the sample corpus, after one `mining run`."""
    home = tmp_path_factory.mktemp("cached")
    done = run_mining("run", "experiment=sample_components", "data=sample", cwd=home)
    assert done.returncode == 0, done.stderr
    return home


@pytest.mark.slow
@pytest.mark.parametrize("damage", [truncate, scramble])
def test_a_run_on_a_damaged_cache_warns_parses_again_and_mends_it(cached_run: Path, damage):
    (path,) = (cached_run / ".cache" / "mining").glob("*.spacy")
    damage(path)
    done = run_mining("run", "experiment=sample_components", "data=sample", cwd=cached_run)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "parse cache" in line]
    assert len(warnings) == 1, done.stderr
    assert re.search(rf"parse cache {re.escape(str(path))} is damaged \(\d+ bytes that do not match its "
                     r"checksum\): parsing again$", warnings[0]), warnings[0]
    assert "parse cache miss" in done.stdout
    data = path.read_bytes()  # whole again: its checksum holds, and it reads back every sample document
    assert hashlib.sha256(data).hexdigest() == checksum_path(path).read_text().strip()
    assert len(DocBin().from_bytes(data)) == len(sample.load())


def test_a_killed_parse_of_another_key_is_cleared_and_a_live_one_kept(tmp_path: Path):
    """The cleaning looked at this key's two names only: a killed parse of a corpus edited since (another key) left
    its temporary DocBin for good. A writer at work holds its temporaries locked, whichever key."""
    from mining.files import locked_temporary

    killer = ("import os, sys\nfrom pathlib import Path\nfrom mining.files import locked_temporary\n"
              "with locked_temporary(Path(sys.argv[1]), binary=True) as (f, tmp):\n"
              "    print(tmp, flush=True)\n    os.kill(os.getpid(), 9)\n")
    child = subprocess.run([sys.executable, "-c", killer, str(tmp_path / "0123abcd.spacy")], capture_output=True,
                           text=True, cwd=Path(__file__).resolve().parents[2])
    killed = Path(child.stdout.strip())
    with locked_temporary(tmp_path / "4567cdef.sha256") as (_, live):  # held by this process: a parse at work
        assert killed.is_file() and killed.parent == tmp_path
        parse(tmp_path)
        assert not killed.exists() and Path(live).is_file()
