"""Corpus readers and writers, one module per format, and the table of loaders by name."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from importlib import import_module
from pathlib import Path

from mining.errors import CorpusError, UsageError, listed
from mining.schema import Document

# name -> "module:function"; imported on use so that reading JSONL never imports datasets. For the commands
# that take a loader name (`mining data stats NAME`, --format); `mining run` goes by the data config's _target_.
LOADERS: dict[str, str] = {
    "aaec": "mining.corpora.aaec:load",
    "microtexts": "mining.corpora.microtexts:load",
    "editorials": "mining.corpora.editorials:load",
    "brat": "mining.corpora.brat:load",
    "jsonl": "mining.corpora.jsonl:load",
    "hf": "mining.corpora.hf:load",
    "labelstudio": "mining.corpora.labelstudio:load",
    "doccano": "mining.corpora.doccano:load",
    "sample": "mining.corpora.sample:load",
    "news": "mining.corpora.news:load",
    "custom": "mining.corpora.custom:load",  # detects the format, then calls one of the others
}


# The corpora mining cannot ship, and their folders under the corpora root. One rule for every command:
# `mining data ... NAME` reads it through load_corpus, `mining run` through the `corpus_path` resolver
# of configs/data/*.yaml, and reproduce through the path its run recorded.
CORPUS_FOLDERS = {"aaec": "aaec-v2", "microtexts": "arg-microtexts", "editorials": "webis-editorials"}
DEFAULT_CORPORA = "../shared/corpora"  # beside a checkout, as in CI; relative to the current directory


def corpus_path(name: str) -> str:
    """Where corpus ``name`` is expected: ``$MINING_CORPORA/<folder>``, else ``../shared/corpora/<folder>``."""
    root = os.environ.get("MINING_CORPORA") or DEFAULT_CORPORA
    return str((Path(root) / CORPUS_FOLDERS[name]).resolve())


def check_corpus_path(name: str, path: str | Path) -> None:
    """Refuse a missing corpus folder with where it was looked for and how to point at it."""

    if Path(path).exists():
        return
    env = os.environ.get("MINING_CORPORA")
    looked = f"$MINING_CORPORA is {env}" if env else f"$MINING_CORPORA is unset, so {DEFAULT_CORPORA} is used"
    raise CorpusError(f"corpus {name!r} not found ({looked}); set MINING_CORPORA to the folder that holds "
                      f"{CORPUS_FOLDERS.get(name, name)}, or give the path (--path, or data.path= for mining run)",
                      file=path)


def get_loader(name: str) -> Callable[..., list[Document]]:
    if name not in LOADERS:
        raise UsageError(f"unknown corpus loader {name!r} (known: {', '.join(sorted(LOADERS))})")
    module, func = LOADERS[name].split(":")
    return getattr(import_module(module), func)


# The corpora that ship inside the package (mining/corpora/data/): their loaders need no path.
SHIPPED = frozenset({"sample", "news"})


def load_corpus(name: str, path: str | Path | None = None, **options) -> list[Document]:
    """Load a corpus by loader name; without ``path`` the shipped corpora load from the package and the
    others from :func:`corpus_path`; other formats need a ``path``."""
    if path is None and name in CORPUS_FOLDERS:
        path = corpus_path(name)
        check_corpus_path(name, path)
    elif path is None and name not in SHIPPED:
        raise UsageError(f"corpus {name!r} needs a path: give --path FILE_OR_FOLDER")
    elif path is not None and name in SHIPPED:  # it would read the path and name it the shipped corpus
        raise UsageError(f"corpus {name!r} ships with the package and takes no --path; to read {path}, name its "
                         "format instead (jsonl, brat, ...; custom detects it)")
    loader = get_loader(name)
    docs = loader(path, **options) if path is not None else loader(**options)  # news's sample_news=True too
    return unique_documents(docs, path if path is not None else name)


def unique_documents(docs: list[Document], file: str | Path) -> list[Document]:
    """``docs``, unless two have one id: then a ``CorpusError`` naming ``file`` and the id (merging, agreement
    and training tell documents apart by id)."""
    documents_by_id(docs, file=file)
    return docs


def documents_by_id(docs: Iterable[Document], file: str | Path | None = None) -> dict[str, Document]:
    """The documents by id; a repeated id is a CorpusError naming it (ids pair documents across files)."""
    by_id: dict[str, Document] = {}
    for doc in docs:
        if doc.id in by_id:
            raise CorpusError(f"duplicate document id {doc.id!r}", file=file, item=doc.id)
        by_id[doc.id] = doc
    return by_id


def corpus_files(path: str | Path, suffix: str) -> list[Path]:
    """``path`` itself, or every ``*suffix`` file of the folder ``path`` in sorted order (:func:`folder_files`); never
    none."""

    path = Path(path)
    files = folder_files(path, suffix) if path.is_dir() else [path]
    if not files:
        raise CorpusError(f"no *{suffix} files found", file=path)
    missing = next((f for f in files if not f.is_file()), None)
    if missing is not None:
        raise CorpusError("file not found", file=missing)
    return files


def folder_files(folder: Path, suffix: str) -> list[Path]:
    """The ``*suffix`` files of ``folder``, sorted: a reader of a folder reads those. Any other file it would leave
    unread without a word is a CorpusError naming it: one of that suffix in a subfolder (a nested brat collection) or
    with the suffix in other letters (``.JSONL``). Hidden files and folders are left alone."""
    files = sorted(folder.glob(f"*{suffix}"))
    unread = sorted(p.relative_to(folder).as_posix() for p in visible_files(folder)
                    if p.suffix.lower() == suffix and (p.parent != folder or p.suffix != suffix))
    if unread:
        raise CorpusError(f"{suffix} files the reader would leave unread: {listed(unread)}; a folder is read as its "
                          f"own *{suffix} files, the suffix in lower case: move them in or rename them, or give each "
                          "subfolder as a corpus of its own", file=folder)
    return files


def visible_files(folder: Path) -> Iterator[Path]:
    """The files at any depth below ``folder``, hidden ones and those of hidden folders (``.git``) left out: those are
    not walked at all."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (Path(root, name) for name in names if not name.startswith("."))


# The relation that joins the fragments of a discontinuous unit in span-annotation tools
# (Label Studio, doccano): each later fragment points at the first (RST-DT's name for the pieces).
SAME_UNIT = "same_unit"


def fragment_heads(members: Iterable[str], links: Iterable[tuple[str, str, str]], fail: Callable[[str, str], Exception],
                   noun: str) -> dict[str, str]:
    """Map every member (a region, an entity) to the first member of its unit, following ``same_unit``
    links ``(source, target, where)``; ``fail(problem, where)`` builds the error for a member joined
    to two units or a cycle, and ``noun`` names a member in it."""
    parent: dict[str, str] = {}
    for source, target, where in links:
        if source in parent and parent[source] != target:
            raise fail(f"{noun} {source} is joined to two units ({parent[source]}, {target})", where)
        parent[source] = target
    heads = {}
    for member in members:
        seen, node = {member}, member
        while node in parent:
            node = parent[node]
            if node in seen:
                raise fail("same_unit relations form a cycle", f"{noun} {member}")
            seen.add(node)
        heads[member] = node
    return heads
