"""Re-run a recorded run with its recorded overrides and check that every metric comes out equal."""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from mining.errors import NotFinishedError, RunRecordError
from mining.runs.jsonfile import read_json_object
from mining.runs.record import read_meta, read_metrics


def recorded_overrides(run_dir: Path) -> list[str]:
    path = run_dir / ".hydra" / "overrides.yaml"
    if not path.exists():
        raise NotFinishedError(f"{run_dir} has no .hydra/overrides.yaml: not a run of `mining run`")
    return list(yaml.safe_load(path.read_text(encoding="utf-8")) or [])


def current_override(override: str) -> str:
    """``override`` as today's configs spell it: a run recorded while the ``data`` group still kept its
    loader's options under ``data.options`` (``data.options.format=brat``) now sets ``data.format=brat``,
    since the group is a partial of the loader whose arguments are its keys."""
    for prefix in ("++", "+", "~", ""):
        if override.startswith(f"{prefix}data.options."):
            return f"{prefix}data.{override[len(prefix) + len('data.options.'):]}"
    return override


def rerun(run_dir: Path, out_dir: Path, extra: list[str] | None = None) -> dict[str, Any]:
    """Run ``mining run`` again with the run's overrides (then ``extra``) into ``out_dir``; return its metrics.

    The re-run reads the corpus from the absolute path recorded in ``meta.json`` when that path
    exists here, whether it came from the command line or from ``$MINING_CORPORA``, so the re-run
    finds it from any directory and with the variable unset; on another machine, where the recorded
    path does not exist, the config's rule (``$MINING_CORPORA``) applies.
    """
    overrides = [current_override(o) for o in recorded_overrides(run_dir) if not o.startswith(("hydra.", "hydra/"))]
    recorded = (read_meta(run_dir).get("data") or {}).get("path")
    if recorded and Path(recorded).exists():
        overrides = [o for o in overrides if not o.startswith("data.path=")] + [f"data.path={recorded}"]
    # tracking=none: a re-run is a check, not a new run to log in MLflow.
    command = [sys.executable, "-m", "mining.cli", "run", *overrides, "tracking=none", *(extra or []),
               f"hydra.run.dir={out_dir}", "nlp.progress=false"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RunRecordError(f"the re-run failed ({' '.join(command)}):\n{done.stderr[-3000:]}")
    return read_metrics(out_dir)


def differences(expected: dict[str, Any], actual: dict[str, Any], *, tolerance: float = 0.0) -> list[str]:
    """Human-readable lines for every metric that is missing, new, or different."""
    out = []
    for key in sorted(set(expected) | set(actual)):
        if key not in actual:
            out.append(f"{key}: recorded {expected[key]!r}, missing in the re-run")
        elif key not in expected:
            out.append(f"{key}: new in the re-run ({actual[key]!r})")
        elif not _equal(expected[key], actual[key], tolerance):
            out.append(f"{key}: recorded {expected[key]!r}, re-run {actual[key]!r}")
    return out


def _equal(a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=0.0, abs_tol=tolerance) or a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y, tolerance) for x, y in zip(a, b))
    return a == b


def reproduce(run_dir: str | Path, *, against: str | Path | None = None, tolerance: float = 0.0,
              extra: list[str] | None = None) -> tuple[list[str], dict[str, Any]]:
    """Differences between the recorded metrics (or the reference file ``against``) and a fresh re-run.

    ``run_dir`` may be a full run record or a reference under ``experiments/`` (metrics, meta,
    resolved config and ``.hydra/overrides.yaml``, without predictions or model).
    """
    run_dir = Path(run_dir)
    expected = read_json_object(against) if against else read_metrics(run_dir)
    with tempfile.TemporaryDirectory(prefix="mining-reproduce-") as tmp:
        actual = rerun(run_dir, Path(tmp) / "run", extra)
    if against:  # a reference file may hold a subset of the keys
        actual = {k: v for k, v in actual.items() if k in expected}
    return differences(expected, actual, tolerance=tolerance), actual
