"""One annotation project on a server, whichever the tool: what push and pull need of it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from mining.annotate.settings import Server
from mining.errors import UsageError
from mining.schema import Document

TOOLS = ("labelstudio", "doccano")


class Project(Protocol):
    """A project on a running server."""

    server: Server
    name: str
    changes: list[str]  # what opening it changed in the project's settings, for the user to read

    def push(self, docs: Sequence[Document], *, model_version: str | None,
             scores: dict[str, float] | None = None) -> tuple[int, list[str]]:
        """Send ``docs`` with their units as predictions (``model_version``; None: the documents' own
        units, sent only where there are some), skipping the ids the project has already; returns the
        number sent and the ids skipped. ``scores`` (document id -> the model's confidence) lets the
        annotators sort by it where the tool can."""

    def pull(self, *, predictions: bool = False, model_version: str | None = None) -> list[Document]:
        """The annotated documents; with ``predictions`` also the others, as their predictions say."""


def check_model_version(server: Server, project: str, asked: str | None, versions: Iterable[str]) -> None:
    """A ``--model-version`` that none of the project's predictions carries is a typo, not an empty answer: the
    error names it and the versions they do carry."""
    known = sorted(set(versions))
    if asked is None or asked in known:
        return
    carried = (f"its predictions carry {', '.join(repr(v) for v in known)}" if known
               else "none of its predictions carries a model version")
    raise UsageError(f"{server.name}: project {project!r} has no predictions of model version {asked!r}: {carried}")


def known_documents(server: Server, project: str, docs: Sequence[Document], texts: dict[str, str]) -> list[str]:
    """The ids of ``docs`` that ``project`` holds already (``texts``: document id -> its text there), to skip.

    One held with another text is refused before anything is sent: skipped, the changed text would never reach
    the annotators, and a pull would give the old one under the id (refused by `mining data merge` only later).
    """
    changed = [d.id for d in docs if d.id in texts and texts[d.id] != d.text]
    if changed:
        raise UsageError(f"{server.name}: project {project!r} holds {len(changed)} of these document id(s) with "
                         f"another text ({', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}): give the "
                         "changed documents new ids, or push them to another project")
    return [d.id for d in docs if d.id in texts]


def open_project(server: Server, name: str, *, create: bool = False) -> Project:
    """The project ``name`` on ``server``; created (with mining's labels) when missing and ``create``.

    A name with spaces at either end is refused before any request: both tools strip them from a project they
    create, so such a name would never find the project made for it, and each push would make another.
    """
    if name != name.strip():
        raise UsageError(f"project name {name!r} begins or ends with blanks, which {server.name} would strip: "
                         f"give {name.strip()!r}")
    if server.tool == "labelstudio":
        from mining.annotate.labelstudio import LabelStudioProject

        return LabelStudioProject.open(server, name, create=create)
    from mining.annotate.doccano import DoccanoProject

    return DoccanoProject.open(server, name, create=create)
