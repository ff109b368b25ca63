"""Re-run a recorded run with its recorded overrides and check that every metric comes out equal."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mining.errors import NotFinishedError, RunRecordError, UsageError
from mining.progress import note
from mining.runs.jsonfile import read_json_object
from mining.runs.provenance import explain, prediction_line
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
        overrides = [o for o in overrides if not o.startswith("data.path=")] + [f"data.path={_quoted(recorded)}"]
    # tracking=none: a re-run is a check, not a new run to log in MLflow.
    command = [sys.executable, "-m", "mining.cli", "run", *overrides, "tracking=none", *(extra or []),
               f"hydra.run.dir={out_dir}", "nlp.progress=false"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RunRecordError(f"the re-run failed ({' '.join(command)}):\n{done.stderr[-3000:]}")
    return read_metrics(out_dir)


def _quoted(value: str) -> str:
    """``value`` as a Hydra override's value: quoted, unless it is letters, digits and ``_./-`` (a path with a space
    or a non-ASCII letter is no plain value to Hydra's parser)."""
    if re.fullmatch(r"[A-Za-z0-9_./-]+", value):
        return value
    # Hydra reads a backslash as one unless it comes before a quote, the closing one included: only those double
    escaped = re.sub(r"(\\*)'", lambda m: 2 * m.group(1) + "\\'", value)
    return "'" + re.sub(r"(\\+)$", lambda m: 2 * m.group(1), escaped) + "'"


def differences(expected: dict[str, Any], actual: dict[str, Any], *, tolerance: float = 0.0) -> list[str]:
    """Human-readable lines for every recorded metric that is missing from the re-run or different.

    Keys of the re-run that the record lacks are not differences: :func:`new_metrics` lists them.
    """
    out = []
    for key in sorted(expected):
        if key not in actual:
            out.append(f"{key}: recorded {expected[key]!r}, missing in the re-run")
        elif not _equal(expected[key], actual[key], tolerance):
            out.append(f"{key}: recorded {expected[key]!r}, re-run {actual[key]!r}")
    return out


def new_metrics(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Metric keys the code computes now that the record does not have (metrics added since it was made)."""
    return sorted(set(actual) - set(expected))


def _equal(a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=0.0, abs_tol=tolerance) or a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y, tolerance) for x, y in zip(a, b))
    return a == b


@dataclass
class Reproduction:
    """What a re-run gave against its record: the metrics that differ, the metrics new in the code, the
    differences of provenance that can explain them (code, packages, data, parses, platform) and the
    documents whose predictions changed."""

    differences: list[str]
    compared: int
    new: list[str]
    causes: list[str]
    predictions: str | None
    metrics: dict[str, Any]

    @property
    def reproduced(self) -> bool:
        return not self.differences


def reproduce(run_dir: str | Path, *, against: str | Path | None = None, tolerance: float = 0.0,
              extra: list[str] | None = None) -> Reproduction:
    """Re-run ``run_dir`` and compare: every recorded metric (or those of the reference file ``against``),
    and what its ``meta.json`` says decided them.

    ``run_dir`` may be a full run record or a reference under ``experiments/`` (metrics, meta,
    resolved config and ``.hydra/overrides.yaml``, without predictions or model).
    """
    run_dir = Path(run_dir)
    if any(o.split("=", 1)[0].lstrip("+~") in ("tracking", "hydra.run.dir") for o in extra or []):
        raise UsageError("reproduce re-runs into a temporary folder and logs nowhere: leave out tracking= and "
                         "hydra.run.dir= (log the original run instead)")
    expected = read_json_object(against) if against else read_metrics(run_dir)
    if not expected:
        raise RunRecordError(f"{against or run_dir}: no metrics to compare")
    fit = (read_meta(run_dir).get("timings") or {}).get("fit")
    note(f"reproduce: re-running {run_dir}" + (f" (its fit took {fit:.0f} s)" if isinstance(fit, (int, float)) else ""))
    with tempfile.TemporaryDirectory(prefix="mining-reproduce-") as tmp:
        actual = rerun(run_dir, Path(tmp) / "run", extra)
        rerun_meta = read_meta(Path(tmp) / "run")
    recorded_meta = read_meta(run_dir)
    return Reproduction(differences=differences(expected, actual, tolerance=tolerance), compared=len(expected),
                        new=[] if against else new_metrics(expected, actual),  # ``against`` may name a subset
                        causes=explain(recorded_meta, rerun_meta),
                        predictions=prediction_line(recorded_meta, rerun_meta), metrics=actual)
