"""A model file whose zip would inflate to gigabytes is refused before skops reads any of it."""

from __future__ import annotations

import os
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from mining.errors import UsageError
from mining.runs.archive import LIMIT_ENV, OversizedModelError, check_archive
from mining.runs.record import MODEL, TASKS
from mining.runs.trust import UntrustedModelError, load_trusted
from tests.helpers import run_mining

DEFAULT_MODEL = Path(__file__).parents[2] / "mining" / "label" / "default_model"


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _declare(path: Path, size: int) -> Path:
    """Make the central directory of ``path``'s last member declare ``size`` uncompressed bytes."""
    data = bytearray(path.read_bytes())
    entry = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, entry + 24, size)
    path.write_bytes(bytes(data))
    return path


def test_the_shipped_default_model_passes():
    """The largest model mining ships declares 122.6 MiB, 24.3 MiB of it schema.json; the caps leave it a margin."""
    check_archive(DEFAULT_MODEL / MODEL)
    check_archive(DEFAULT_MODEL / TASKS)


def test_a_bzip2_member_is_refused(tmp_path: Path):
    """zipfile inflates a bzip2 member whole before cutting it at its declared size: no bound at all."""
    path = _zip(tmp_path / MODEL, {"schema.json": b"{}"}, zipfile.ZIP_BZIP2)
    with pytest.raises(OversizedModelError, match=r"model\.skops: member 'schema\.json' is compressed with method 12"):
        load_trusted(path)


def test_a_member_declaring_more_than_deflate_can_give_is_refused(tmp_path: Path):
    path = _declare(_zip(tmp_path / MODEL, {"schema.json": b"{}", "a.npy": b"x" * 100}, zipfile.ZIP_DEFLATED),
                    0xF0000000)
    with pytest.raises(OversizedModelError, match=r"member 'a\.npy' declares 4026531840 bytes .* crafted"):
        load_trusted(path)


def test_members_declaring_more_than_the_limit_in_all_are_refused(tmp_path: Path, monkeypatch):
    """Each member is small; their sum passes the limit ($MINING_MODEL_MAX_MB, lowered here to 1 MiB)."""
    monkeypatch.setenv(LIMIT_ENV, "1")
    part = os.urandom(400_000)
    path = _zip(tmp_path / TASKS, {"schema.json": b"{}", "a.npy": part, "b.npy": part, "c.npy": part})
    with pytest.raises(OversizedModelError, match=r"tasks\.skops: member 'c\.npy' brings the declared size to "
                                                  r"1200002 bytes, over the limit of 1048576"):
        check_archive(path)
    monkeypatch.setenv(LIMIT_ENV, "2")
    check_archive(path)


def test_the_schema_has_a_lower_limit(tmp_path: Path, monkeypatch):
    """Parsing JSON takes up to ~25 times its size in memory: schema.json may declare a 32nd of the limit (64 MiB
    by default; an eighth, 256 MiB, let check_archive itself take about 6 GB)."""
    monkeypatch.setenv(LIMIT_ENV, "32")
    path = _zip(tmp_path / MODEL, {"schema.json": b" " * 1_100_000})
    with pytest.raises(OversizedModelError, match=r"member 'schema\.json' declares 1100000 bytes, over the limit "
                                                  r"of 1048576 for the schema"):
        check_archive(path)


def test_a_bad_limit_is_one_clear_error(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(LIMIT_ENV, "2G")
    with pytest.raises(UsageError, match=r"\$MINING_MODEL_MAX_MB='2G': expected a whole number of MiB"):
        check_archive(_zip(tmp_path / MODEL, {"schema.json": b"{}"}))


def test_label_refuses_a_bomb_in_one_line(tmp_path: Path):
    """`mining label --model RUN` with a crafted tasks.skops stops before loading anything, in one line."""
    run = tmp_path / "run"
    shutil.copytree(DEFAULT_MODEL, run)
    _zip(run / TASKS, {"schema.json": b"{}"}, zipfile.ZIP_LZMA)
    text = tmp_path / "t.txt"
    text.write_text("Schools should teach coding.\n")
    result = run_mining("label", "--model", str(run), str(text))
    assert result.returncode == 2
    assert f"error: {run / TASKS}: member 'schema.json' is compressed with method 14" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_schema_that_reads_one_member_many_times_is_refused(tmp_path: Path, monkeypatch):
    """skops reads a member once for each node naming it: 1000 nodes naming one 1 MiB array took 2 GB from 4.5 kB."""
    import io
    import json

    import numpy as np
    import skops.io as sio

    with zipfile.ZipFile(io.BytesIO(sio.dumps([np.zeros(1 << 13)]))) as z:  # 64 KiB
        members = {name: z.read(name) for name in z.namelist()}
    schema = json.loads(members["schema.json"])
    node = schema["content"][0]
    schema["content"] = [dict(node, __id__=i) for i in range(1, 41)]
    members["schema.json"] = json.dumps(schema).encode()
    path = _zip(tmp_path / MODEL, members, zipfile.ZIP_DEFLATED)
    monkeypatch.setenv(LIMIT_ENV, "2")
    with pytest.raises(OversizedModelError, match=rf"member 'schema\.json' reads member '{node['file']}' 40 times "
                                                  r"\(2626560 bytes\)"):
        load_trusted(path)
    monkeypatch.setenv(LIMIT_ENV, "4")
    assert len(load_trusted(path)) == 40


def _sparse_model(path: Path, matrix, copies: int = 1, inner_method: int | None = None) -> tuple[Path, str]:
    """A model file of ``copies`` nodes naming one scipy sparse matrix, its ``.npz`` member (a zip) rewritten with
    ``inner_method`` if given; returns the file and the member's name. The nodes name the class ``spmatrix``, which
    skops trusts whatever mining's list says, so load_trusted does hand the member to ``scipy.sparse.load_npz``."""
    import io
    import json

    import skops.io as sio

    with zipfile.ZipFile(io.BytesIO(sio.dumps([matrix]))) as z:
        members = {name: z.read(name) for name in z.namelist()}
    schema = json.loads(members["schema.json"])
    node = schema["content"][0]
    node.update(__class__="spmatrix", __module__="scipy.sparse._matrix")
    schema["content"] = [dict(node, __id__=i) for i in range(1, copies + 1)]
    members["schema.json"] = json.dumps(schema).encode()
    if inner_method is not None:
        with zipfile.ZipFile(io.BytesIO(members[node["file"]])) as z:
            inner = {name: z.read(name) for name in z.namelist()}
        members[node["file"]] = _zip(path.with_suffix(".npz"), inner, inner_method).read_bytes()
    return _zip(path, members), node["file"]


def test_a_bzip2_member_of_a_sparse_matrix_is_refused(tmp_path: Path):
    """skops hands a sparse matrix's member, a zip itself, to scipy's load_npz, which inflates its members: an
    809-byte file whose .npz held a bzip2 member took 1.17 GB to load."""
    import numpy as np
    import scipy.sparse as sp

    path, npz = _sparse_model(tmp_path / MODEL, sp.csr_matrix(np.eye(3)), inner_method=zipfile.ZIP_BZIP2)
    with pytest.raises(OversizedModelError, match=rf"model\.skops: member '{npz}' is a zip whose member "
                                                  r"'\w+\.npy' is compressed with method 12"):
        load_trusted(path)


def test_what_a_sparse_matrix_holds_counts_towards_each_read(tmp_path: Path, monkeypatch):
    """Read twice, the .npz's own size is under 1 MiB, but with what its members declare it is over."""
    import numpy as np
    import scipy.sparse as sp

    matrix = sp.csr_matrix(np.random.default_rng(0).random((100, 500)))  # 400 kB of float64 and 200 kB of indices
    path, npz = _sparse_model(tmp_path / MODEL, matrix, copies=2)
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(archive.open(npz)) as inner:
        cost = archive.getinfo(npz).file_size + sum(member.file_size for member in inner.infolist())
    assert 2 * archive.getinfo(npz).file_size < 1 << 20 < 2 * cost
    monkeypatch.setenv(LIMIT_ENV, "1")
    with pytest.raises(OversizedModelError, match=rf"member 'schema\.json' reads member '{npz}' 2 times "
                                                  rf"\({2 * cost} bytes\)"):
        check_archive(path)
    monkeypatch.setenv(LIMIT_ENV, "2")
    assert [(loaded != matrix).nnz for loaded in load_trusted(path)] == [0, 0]


def test_a_member_that_only_starts_like_a_zip_is_left_to_skops(tmp_path: Path):
    path = _zip(tmp_path / MODEL, {"schema.json": b"{}", "a.npz": b"PK\x03\x04 and then no zip at all"})
    check_archive(path)


@pytest.mark.parametrize("flag", [0x01, 0x40])  # encrypted; strongly encrypted
def test_an_encrypted_schema_is_one_line_naming_the_file(tmp_path: Path, flag: int):
    """zipfile raises RuntimeError (NotImplementedError for strong encryption) on reading it: not a traceback."""
    data = bytearray(_zip(tmp_path / MODEL, {"schema.json": b"{}"}).read_bytes())
    data[6] |= flag  # the local header's flags
    data[data.find(b"PK\x01\x02") + 8] |= flag  # the central directory's
    path = tmp_path / MODEL
    path.write_bytes(bytes(data))
    with pytest.raises(UntrustedModelError) as error:
        load_trusted(path)
    assert str(error.value).startswith(f"{path}: not a readable model file (")
    assert "encrypt" in str(error.value) and "\n" not in str(error.value)
