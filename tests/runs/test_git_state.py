"""The run record's git state: tracked changes make a tree dirty, untracked outputs do not."""

from __future__ import annotations

import subprocess
from pathlib import Path

from mining.runs.record import git_state


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo, check=True,
                   capture_output=True)


def test_untracked_outputs_keep_a_tree_clean_and_edits_are_named_and_hashed(tmp_path: Path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "code.py").write_text("x = 1\n")
    _git(tmp_path, "add", "code.py")
    _git(tmp_path, "commit", "-q", "-m", "first")
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "metrics.json").write_text("{}")
    clean = git_state(tmp_path)
    assert clean["dirty"] is False and clean["changed"] == [] and clean["diff_sha256"] is None
    assert len(clean["sha"]) == 40

    (tmp_path / "code.py").write_text("x = 2\n")
    first = git_state(tmp_path)
    (tmp_path / "code.py").write_text("x = 3\n")
    second = git_state(tmp_path)
    assert first["dirty"] is True and first["changed"] == ["code.py"]
    assert first["diff_sha256"] != second["diff_sha256"]  # two dirty runs of one commit told apart


def test_outside_a_checkout_nothing_is_claimed(tmp_path: Path):
    assert git_state(tmp_path) == {"sha": None, "dirty": None, "changed": None, "diff_sha256": None}
