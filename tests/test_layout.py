"""The package layout keeps its promises: imports run down the layers, Hydra stays at the edge.

The layers, lowest first, are drawn in docs/architecture.md. A module may import from its own layer
and from the layers below it, never from one above: a corpus reader that imported a task, or a
task that imported the labeller, would tie the steps of the data flow back together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mining"
# mining.<first part> -> layer; the data flows from the top of this list to the bottom.
LAYERS = {
    "": 0, "schema": 0, "errors": 0, "progress": 0, "files": 0, "forks": 0, "jsonread": 0,  # the data model, files
    "corpora": 1,
    "dataset": 2,
    "evaluation": 3,
    "nlp": 4,
    "instances": 5,
    "features": 6,
    "models": 7,
    "tasks": 8,
    "experiment": 9,
    "runs": 10,
    "label": 11,
    "annotate": 12,
    "cli": 13, "__main__": 13,  # python -m mining
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "configs" not in p.relative_to(PACKAGE).parts)


def _layer_of_file(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return "" if parts == ("__init__",) else parts[0]


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every ``mining.*`` module that ``path`` imports, at any depth (lazy imports count too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = ([node.module] if node.module != "mining"  # from mining import schema / __version__
                     else [f"mining.{a.name}" if a.name in LAYERS else "mining" for a in node.names])
            found += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, name) for line, name in found if name == "mining" or name.startswith("mining.")]


def _layer_of_import(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_part_of_the_package_has_a_layer():
    tops = {_layer_of_file(p) for p in _modules()}
    assert tops <= set(LAYERS), f"add {sorted(tops - set(LAYERS))} to LAYERS and to docs/architecture.md"


def test_imports_run_down_the_layers():
    upward = []
    for path in _modules():
        mine = LAYERS[_layer_of_file(path)]
        for line, name in _imports(path):
            theirs = LAYERS.get(_layer_of_import(name))
            if theirs is None or theirs > mine:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert upward == [], "imports that run against the layers:\n" + "\n".join(upward)


def test_the_layer_check_catches_an_upward_import(tmp_path: Path):
    """The check itself can fail: a corpus reader importing the labeller is reported."""
    reader = tmp_path / "reader.py"
    reader.write_text("def load():\n    from mining.label.miner import ArgumentMiner\n", encoding="utf-8")
    [(line, name)] = _imports(reader)
    assert (line, LAYERS[_layer_of_import(name)]) == (2, LAYERS["label"]) and LAYERS["label"] > LAYERS["corpora"]


@pytest.mark.parametrize("library, allowed", [("hydra", "cli"), ("omegaconf", "cli"), ("spacy", None)])
def test_libraries_stay_in_their_layers(library: str, allowed: str | None):
    """Hydra and OmegaConf only in the command line (STYLE.md section 3); spaCy never in readers."""
    offenders = []
    for path in _modules():
        top = _layer_of_file(path)
        if library == "spacy" and top not in ("corpora", "dataset"):
            continue
        if allowed and top == allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if any(n == library or n.startswith(library + ".") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert offenders == []


def test_units_fit_in_ones_head():
    """No function over 60 lines, no class over 200 (from ``def``/``class`` to its last line)."""
    limits = {ast.FunctionDef: 60, ast.AsyncFunctionDef: 60, ast.ClassDef: 200}
    too_big = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            limit = limits.get(type(node))
            if limit and node.end_lineno - node.lineno + 1 > limit:
                too_big.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} "
                               f"({node.end_lineno - node.lineno + 1} lines, limit {limit})")
    assert too_big == []
