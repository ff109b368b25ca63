"""Explain a re-run that differs: compare what two run records say decided their numbers, one line per cause."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SHOWN = 5  # documents named in one line; the rest are counted
CODE = ("mining", "configs")  # what computes the numbers; a change elsewhere (docs, tests) cannot move them


def explain(recorded: Mapping[str, Any], rerun: Mapping[str, Any]) -> list[str]:
    """One line for each thing that differs between two ``meta.json``: code, packages, data, spaCy
    pipeline, parses, platform. A field the record does not hold (an older record) is said to be
    unrecorded rather than compared."""
    lines = [_code(recorded.get("git"), rerun.get("git"))]
    lines += _mapping("packages differ", recorded.get("packages"), rerun.get("packages"))
    lines.append(_data(recorded.get("data"), rerun.get("data")))
    lines += _mapping("spaCy pipeline differs", recorded.get("spacy_pipeline"), rerun.get("spacy_pipeline"))
    lines.append(documents_line("the parses differ", recorded.get("parses"), rerun.get("parses")))
    lines += platform_lines(recorded.get("platform"), rerun.get("platform"))
    return [line for line in lines if line]


def prediction_line(recorded: Mapping[str, Any], rerun: Mapping[str, Any]) -> str | None:
    """Which documents' predictions changed, from the per-document fingerprints of both records."""
    return documents_line("predictions differ", recorded.get("predictions"), rerun.get("predictions"))


def _code(a: Mapping | None, b: Mapping | None) -> str | None:
    def name(state: Mapping | None) -> str:
        if not state or not state.get("sha"):
            return "unknown"
        return f"{state['sha'][:10]}{' (dirty)' if state.get('dirty') else ''}"

    a_name, b_name = name(a), name(b)
    same_diff = (a or {}).get("diff_sha256") == (b or {}).get("diff_sha256")
    if a_name == b_name and ("dirty" not in a_name or same_diff):
        return None
    line = f"code differs: recorded {a_name}, re-run {b_name}"
    changed = code_changes((a or {}).get("sha"), (b or {}).get("sha"))
    if changed is None:
        return line
    if not changed:
        return f"{line} (no file of {' or '.join(CODE)} changed between the two commits)"
    shown = ", ".join(changed[:SHOWN]) + (", ..." if len(changed) > SHOWN else "")
    return f"{line} ({len(changed)} file(s) of {' or '.join(CODE)} changed between the two commits: {shown})"


def same_code(a: Mapping | None, b: Mapping | None) -> bool:
    """Whether two records' git states are one code: the same known commit, both clean or both with the same
    difference from it."""
    a, b = a or {}, b or {}
    same_difference = not a.get("dirty") or a.get("diff_sha256") == b.get("diff_sha256")
    return (bool(a.get("sha")) and a.get("sha") == b.get("sha") and a.get("dirty") is not None
            and a.get("dirty") == b.get("dirty") and same_difference)


def code_changes(a: str | None, b: str | None, cwd: str | Path | None = None) -> list[str] | None:
    """The files under :data:`CODE` that differ between commits ``a`` and ``b`` of the checkout the package
    runs from (``cwd``), or None when git cannot tell (no checkout, or a commit it does not have)."""
    if not a or not b or a == b:
        return None
    cwd = cwd or Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(["git", "diff", "--name-only", a, b, "--", *CODE], cwd=cwd, capture_output=True,
                              text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.split()


def _mapping(what: str, a: Mapping | None, b: Mapping | None) -> list[str]:
    if a is None:
        return []
    keys = sorted(k for k in set(a) | set(b or {}) if a.get(k) != (b or {}).get(k))
    return [f"{what}: " + ", ".join(f"{k} {a.get(k)} vs {(b or {}).get(k)}" for k in keys)] if keys else []


def _data(a: Mapping | None, b: Mapping | None) -> str | None:
    a, b = a or {}, b or {}
    if a.get("fingerprint") == b.get("fingerprint"):
        return None
    return (f"data differs: {a.get('documents')} documents ({str(a.get('fingerprint'))[:12]}) recorded, "
            f"{b.get('documents')} ({str(b.get('fingerprint'))[:12]}) in the re-run")


def documents_line(what: str, a: Mapping | None, b: Mapping | None) -> str | None:
    """``"<what> in 3 of 402 documents: essay017, ..."``, or a note that the record has no fingerprints."""
    if not a or not b:
        return f"{what.split(' differ')[0]}: not recorded, so not compared" if not a else None
    if a.get("fingerprint") == b.get("fingerprint"):
        return None
    da, db = a.get("documents", {}), b.get("documents", {})
    changed = [k for k in da if k in db and da[k] != db[k]]
    only = [k for k in da if k not in db] + [k for k in db if k not in da]
    shown = ", ".join((changed + only)[:SHOWN]) + (", ..." if len(changed) + len(only) > SHOWN else "")
    extra = f" (and {len(only)} documents in only one of the two)" if only else ""
    return f"{what} in {len(changed)} of {len(da)} documents{extra}: {shown}"


def platform_lines(a: Mapping | None, b: Mapping | None) -> list[str]:
    """The CPU, the BLAS kernels and threads, and the environment that chose them, where they differ."""
    if not a:
        return ["platform: not recorded, so not compared"]
    b = b or {}
    lines = []
    if (a.get("cpu"), a.get("cpu_flags")) != (b.get("cpu"), b.get("cpu_flags")):
        lines.append(f"platform differs: CPU {a.get('cpu')} vs {b.get('cpu')}")
    kernels_a, kernels_b = _blas(a), _blas(b)
    common = sorted(set(kernels_a) & set(kernels_b))  # a library one process happened to load is not a cause
    if kernels_a and kernels_b and not common:
        lines.append(f"platform differs: BLAS libraries {', '.join(kernels_a)} vs {', '.join(kernels_b)}")
    for name in common:
        (ka, ta), (kb, tb) = kernels_a[name], kernels_b[name]
        if ka != kb:
            lines.append(f"platform differs: BLAS kernel of {name} {_low(ka)} vs {_low(kb)}")
        if ta != tb:
            lines.append(f"platform differs: BLAS threads of {name} {ta} vs {tb}")
    # The thread variables show in the BLAS threads above where they mattered; a sweep's parallel jobs set them
    env_a, env_b = (_kernel_environment(info) for info in (a, b))
    if env_a != env_b:
        lines.append(f"platform differs: environment {env_a} vs {env_b}")
    return lines


def _kernel_environment(info: Mapping) -> dict[str, str]:
    """The recorded environment variables that choose a BLAS kernel or its rounding (not its threads)."""
    return {k: v for k, v in (info.get("environment") or {}).items() if not k.endswith("_NUM_THREADS")}


def _blas(info: Mapping) -> dict[str, tuple[Any, Any]]:
    """``{library: (kernel, threads)}``; the threads are those of the fit when the run fixed them
    (``fit_blas_threads``), whatever the machine's default."""
    fixed = info.get("fit_blas_threads")
    return {f"{blas.get('library')} ({blas.get('file')})": (blas.get("architecture"), fixed or blas.get("threads"))
            for blas in info.get("blas", []) if blas.get("library") != "openmp"}


def _low(value: Any) -> str:
    return str(value).lower() if value is not None else "none"
