"""publish follows a run's links only where its repository vouches for them: git-annex and DVC checkouts of the run.

The stores are laid out here as git-annex 10 and DVC 3.67 (``cache.type symlink``) lay them out, without either
tool: a link git tracks into ``.git/annex/objects``; a ``run.dvc`` git tracks, whose folder listing in
``.dvc/cache/files/md5`` names each file's object.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mining.runs.links import Vouchers
from tests.helpers import run_mining

FIXTURE_RUN = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "sweep" / "0"
NAMES = ("metrics.json", "meta.json", "config.yaml", ".hydra/overrides.yaml")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _repo(tmp_path: Path, runs: tuple[str, ...] = ("run",)) -> tuple[Path, Path]:
    """A git work tree holding a finished run at logs/run (or one at logs/NAME for each of ``runs``), its files still
    regular."""
    repo = tmp_path / "repo"
    for name in runs:
        run = repo / "logs" / name
        shutil.copytree(FIXTURE_RUN, run)
        (run / ".hydra").mkdir()
        (run / ".hydra" / "overrides.yaml").write_text("- model=logreg\n", encoding="utf-8")
    _git(repo, "init", "-q")
    return repo, run


def _annex(repo: Path, run: Path) -> None:
    """``git annex add`` of the run: each file moved into the store, a relative link put in its place, git-added."""
    for name in NAMES:
        path = run / name
        key = f"SHA256E-s{path.stat().st_size}--{hashlib.sha256(path.read_bytes()).hexdigest()}{path.suffix}"
        store = repo / ".git" / "annex" / "objects" / key[-6:-4] / key[-4:-2] / key / key
        store.parent.mkdir(parents=True, exist_ok=True)
        path.rename(store)  # a run of the same content before: one object for both
        path.symlink_to(os.path.relpath(store, path.parent))
        _git(repo, "add", str(path.relative_to(repo)))


def _dvc(repo: Path, run: Path, *, pipeline: bool = False) -> None:
    """``dvc add logs/run`` with symlinks: the files moved into the cache, a listing of them, a git-added run.dvc;
    with ``pipeline``, ``dvc repro`` of a stage whose output is logs/run: a git-added dvc.lock instead."""
    cache = repo / ".dvc" / "cache" / "files" / "md5"
    listing = []
    for name in NAMES:
        path = run / name
        md5 = hashlib.md5(path.read_bytes()).hexdigest()
        (cache / md5[:2]).mkdir(parents=True, exist_ok=True)
        path.rename(cache / md5[:2] / md5[2:])
        path.symlink_to(cache / md5[:2] / md5[2:])
        listing.append({"md5": md5, "relpath": name})
    text = json.dumps(sorted(listing, key=lambda e: e["relpath"]))
    md5 = hashlib.md5(text.encode()).hexdigest() + ".dir"
    (cache / md5[:2]).mkdir(parents=True, exist_ok=True)
    (cache / md5[:2] / md5[2:]).write_text(text, encoding="utf-8")
    out = f"- md5: {md5}\n  size: 709\n  nfiles: 4\n  hash: md5\n  path: {'logs/run' if pipeline else run.name}\n"
    if pipeline:
        indented = "".join(f"    {line}\n" for line in out.splitlines())
        (repo / "dvc.lock").write_text(f"schema: '2.0'\nstages:\n  train:\n    cmd: mining run\n    outs:\n{indented}",
                                       encoding="utf-8")
        _git(repo, "add", "dvc.lock")
        return
    (run.parent / f"{run.name}.dvc").write_text(f"outs:\n{out}", encoding="utf-8")
    _git(repo, "add", str(run.relative_to(repo)) + ".dvc")


def _dvc_pipeline(repo: Path, run: Path) -> None:
    _dvc(repo, run, pipeline=True)


@pytest.mark.parametrize("store", [_annex, _dvc, _dvc_pipeline])
def test_publish_copies_what_a_checked_in_run_s_links_stand_for(store, tmp_path: Path):
    repo, run = _repo(tmp_path)
    store(repo, run)
    assert (run / "config.yaml").is_symlink()
    done = run_mining("publish", str(run), str(tmp_path / "published"))
    assert done.returncode == 0, done.stderr
    for name in NAMES:
        copy = tmp_path / "published" / name
        assert not copy.is_symlink() and copy.read_bytes() == (FIXTURE_RUN / name).read_bytes() \
            if name != ".hydra/overrides.yaml" else copy.read_text(encoding="utf-8") == "- model=logreg\n"


@pytest.mark.parametrize("store", [_annex, _dvc])
def test_compare_reads_a_checked_in_run_and_names_content_not_fetched(store, tmp_path: Path):
    """The readers follow the links a store vouches for, as publish does; a link whose content was dropped (`git
    annex drop`) or never pulled says so."""
    repo, run = _repo(tmp_path)
    store(repo, run)
    done = run_mining("compare", str(run))
    assert done.returncode == 0 and "test.macro_f1" in done.stdout, done.stderr
    Path(os.path.realpath(run / "meta.json")).unlink()
    done = run_mining("reproduce", str(run))
    assert done.returncode == 2 and f"{run}/meta.json: its content is not in this checkout" in done.stderr, \
        done.stderr


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "home" / "secret.yaml"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("password: hunter2\n", encoding="utf-8")
    return secret


def _copied_in(repo: Path, run: Path, tmp_path: Path) -> Path:
    """A folder someone handed over, copied into the repository beside the run: its links are tracked by nothing."""
    shutil.copytree(run, run.parent / "handed-over", symlinks=True)
    return run.parent / "handed-over"


def _tracked_link_outside(repo: Path, run: Path, tmp_path: Path) -> Path:
    """A repository cloned from someone else: it tracks a link to a file of the user's, outside its work tree."""
    (run / "config.yaml").unlink()
    (run / "config.yaml").symlink_to(_secret(tmp_path))
    _git(repo, "add", "logs/run/config.yaml")
    return run


def _tracked_link_to_git_config(repo: Path, run: Path, tmp_path: Path) -> Path:
    """...or to its .git/config, where a clone's remote may hold a token."""
    with (repo / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write('[remote "origin"]\n\turl = https://me:hunter2@git.invalid/x\n')
    (run / "config.yaml").unlink()
    (run / "config.yaml").symlink_to("../../.git/config")
    _git(repo, "add", "logs/run/config.yaml")
    return run


def _repointed(repo: Path, run: Path, tmp_path: Path) -> Path:
    """A link the store made, pointed since at another object in the store (a private file's)."""
    private = Path(os.path.realpath(run / "config.yaml")).parent / "private"
    private.write_text("password: hunter2\n", encoding="utf-8")
    (run / "config.yaml").unlink()
    (run / "config.yaml").symlink_to(private)
    return run


def _dvc_record_untracked(repo: Path, run: Path, tmp_path: Path) -> Path:
    """A .dvc record for a handed-over folder, planted beside it: git does not track it."""
    handed = _copied_in(repo, run, tmp_path)
    (run.parent / "handed-over.dvc").write_text((run.parent / "run.dvc").read_text().replace("path: run", "path: "
                                                                                             "handed-over"))
    return handed


def _worktree_elsewhere(repo: Path, run: Path, tmp_path: Path) -> Path:
    """A repository whose git config (core.worktree) names another folder as its work tree, holding the .dvc/cache
    the run's links point into: they are no files of that work tree (this was a ValueError traceback)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.move(repo / ".dvc", elsewhere / ".dvc")
    for name in NAMES:
        target = Path(os.readlink(run / name))
        (run / name).unlink()
        (run / name).symlink_to(elsewhere / target.relative_to(repo))
    private = Path(os.readlink(run / "config.yaml"))
    private.write_text("password: hunter2\n", encoding="utf-8")
    _git(repo, "config", "core.worktree", str(elsewhere))
    return run


def _tracked_below(repo: Path, run: Path, tmp_path: Path) -> Path:
    """A link git does not track, whose text is that of a link git tracks below its path (``config.yaml/x``): git's
    pathspec ``config.yaml`` matches that entry too, and the link resolves to a private object in the store."""
    private = Path(os.path.realpath(run / "config.yaml")).parent / "private"
    private.write_text("password: hunter2\n", encoding="utf-8")
    text = os.path.relpath(private, run)
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo, input=text.encode(), check=True,
                          capture_output=True).stdout.decode().strip()
    _git(repo, "rm", "-q", "--cached", "logs/run/config.yaml")
    _git(repo, "update-index", "--add", "--cacheinfo", f"120000,{blob},logs/run/config.yaml/x")
    (run / "config.yaml").unlink()
    (run / "config.yaml").symlink_to(text)
    return run


@pytest.mark.parametrize("store, attack", [
    (_annex, _copied_in), (_annex, _tracked_link_outside), (_annex, _tracked_link_to_git_config),
    (_annex, _repointed), (_annex, _tracked_below), (_dvc, _copied_in), (_dvc, _repointed),
    (_dvc, _dvc_record_untracked),
    (_dvc_pipeline, _copied_in), (_dvc_pipeline, _repointed), (_dvc, _worktree_elsewhere),
])
def test_publish_refuses_links_the_repository_does_not_vouch_for(store, attack, tmp_path: Path):
    repo, run = _repo(tmp_path)
    store(repo, run)
    target = attack(repo, run, tmp_path)
    dest = tmp_path / "published"
    done = run_mining("publish", str(target), str(dest))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "not a file of the run itself" in done.stderr and "git-annex or DVC store" in done.stderr, done.stderr
    assert not any("hunter2" in p.read_text(encoding="utf-8") for p in dest.rglob("*") if p.is_file())


@pytest.mark.parametrize("store", [_annex, _dvc])
def test_compare_asks_git_once_per_run_not_per_file(store, tmp_path: Path, monkeypatch):
    """A sweep checked into a store: git starts once per run (which repository its folder lies in), and once for the
    repository's index and its blobs, not three times per file (9 per run: 100 runs took 3 s against 0.4 s)."""
    names = tuple(f"seed-{i}" for i in range(5))
    repo, _ = _repo(tmp_path, names)
    for name in names:
        store(repo, repo / "logs" / name)
    started = []

    class CountedPopen(subprocess.Popen):
        def __init__(self, args, *rest, **kwargs):
            started.append(args)
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", CountedPopen)
    done = run_mining("compare", str(repo / "logs"))
    assert done.returncode == 0 and all(name in done.stdout for name in names), done.stderr
    git = [args for args in started if args[0] == "git"]
    assert len(git) <= len(names) + 2, git


def test_a_blob_git_lacks_refuses_that_link_and_no_other(tmp_path: Path):
    """The index names a blob the repository does not hold: ``git cat-file`` says it is missing, and the next link
    asks a new one."""
    repo, run = _repo(tmp_path)
    _annex(repo, run)
    _git(repo, "update-index", "--cacheinfo", f"120000,{'1' * 40},logs/run/config.yaml")
    with Vouchers() as vouchers:
        assert vouchers.target(run / "config.yaml") is None
        assert vouchers.target(run / "meta.json") == Path(os.path.realpath(run / "meta.json"))


def test_each_command_asks_git_afresh(tmp_path: Path):
    """What a repository vouched for is kept for one command only: a link repointed since is refused."""
    repo, run = _repo(tmp_path)
    _annex(repo, run)
    assert run_mining("publish", str(run), str(tmp_path / "published")).returncode == 0
    _repointed(repo, run, tmp_path)
    done = run_mining("publish", str(run), str(tmp_path / "again"))
    assert done.returncode == 2 and "not a file of the run itself" in done.stderr, done.stderr


@pytest.mark.parametrize("attack", [None, _tracked_below])
def test_one_link_alone_asks_git_for_its_path_only(attack, tmp_path: Path, monkeypatch):
    """A lookup without a command's Vouchers (label, reproduce) lists the link's path, not the whole index (0.8 s on
    400,000 files), and keeps the exact-path rule: an entry below the link's path vouches for nothing."""
    from mining.runs import links

    repo, run = _repo(tmp_path)
    _annex(repo, run)
    if attack is not None:
        attack(repo, run, tmp_path)
    asked = []
    real_git = links._git
    monkeypatch.setattr(links, "_git", lambda cwd, *args: asked.append(args) or real_git(cwd, *args))
    found = links.vouched_target(run / "config.yaml")
    assert (found is None) == (attack is not None)
    assert [a for a in asked if a[0] == "ls-files"] == [("ls-files", "--stage", "-z", "--", "logs/run/config.yaml")]
