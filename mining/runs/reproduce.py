"""Re-run a recorded run with its recorded overrides and check that every metric comes out equal."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mining.errors import RunRecordError, UsageError
from mining.forks import usable_cpus
from mining.progress import note
from mining.runs.aggregate import is_seed_key
from mining.runs.compare import IGNORED_PREFIXES, flatten
from mining.runs.jsonfile import read_json_object, read_yaml
from mining.runs.provenance import explain, prediction_line, same_code
from mining.runs.record import CONFIG, read_meta, read_metrics, read_resolved_config, record_file

# What a re-run may set otherwise than its record without computing anything else: where files go, how the run is
# logged and shown (compare ignores these too), and the corpus path (the recorded one, resolved, or the user's).
UNCHECKED = (*IGNORED_PREFIXES, "data.path")


# A record's overrides are re-run as Hydra overrides, and a record may come from anyone: those that named code
# (``+hydra.callbacks.x._target_=pathlib.Path.write_text``, ``model._target_=...``), loaded a config from outside
# the package (``experiment=../../../tmp/evil``) or interpolated (``${oc.env:...}``) ran code or wrote files on a
# ``mining reproduce FOLDER``. So a recorded override may only set a plain value of a setting by its name, or choose
# a config that ships with mining; anything else refuses the record before the re-run.
CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"
_OVERRIDE_KEY = re.compile(r"(?:\+\+|\+|~)?([A-Za-z0-9][A-Za-z0-9_-]*(?:[./][A-Za-z0-9][A-Za-z0-9_-]*)*)")
# Settings of where a run's files go and how Hydra runs it: the re-run chooses its own, so recorded ones are dropped.
WHERE_FILES_GO = ("hydra", "paths")
# Estimator parameters that name a file or folder a fit writes and reads back: a Pipeline's ``memory`` is a joblib
# cache of pickles, so a recorded ``+model.memory=DIR`` would load whatever pickles DIR holds.
FILE_PARAMETERS = frozenset({"memory"})
# Settings of how many processes or threads a run uses (mining's ``n_jobs``, spaCy's ``nlp.n_process``, an estimator's
# ``model.n_jobs``): they decide no number (config.yaml: "the results are those of n_jobs=1"), but a recorded
# ``nlp.n_process=1000`` forked a thousand spaCy parsers, each with its own pipeline in memory. The re-run lowers a
# recorded count above this machine's CPUs to their number, and says so.
PARALLEL_PARAMETERS = frozenset({"n_jobs", "n_process"})


def recorded_overrides(run_dir: Path) -> list[str]:
    """The overrides in the record's ``.hydra/overrides.yaml`` that the re-run applies; a file that is not a list
    of overrides, or holds one that is not a plain setting (:func:`override_problem`), is a RunRecordError."""
    path = record_file(run_dir, ".hydra/overrides.yaml")
    overrides = read_yaml(path, "the run's list of overrides",
                          missing=f"{run_dir} has no .hydra/overrides.yaml: not a run of `mining run`") or []
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        raise RunRecordError(f"{path}: expected a list of overrides (KEY=VALUE strings), got {_short(overrides)}")
    kept = []
    for override in overrides:
        problem = override_problem(override)
        if problem is not None:
            raise RunRecordError(f"{path}: refused to re-run the override {_short(override)}: {problem}; a record's "
                                 "overrides may only set plain values and choose mining's own configs (a record "
                                 "you trust can be re-run by hand: mining run OVERRIDES)")
        if override.lstrip("+~").split("=", 1)[0].replace("/", ".").split(".")[0] not in WHERE_FILES_GO:
            kept.append(override)
    return kept


def override_problem(override: str) -> str | None:
    """Why ``override`` from a record is not a plain setting the re-run may apply, or None when it is one."""
    key, _, value = override.partition("=")
    if any(c in value for c in "${}\\"):
        return "its value interpolates (${...}), escapes (\\) or is a mapping ({...})"
    if "@" not in key and key.lstrip("+").endswith("._target_"):
        return None if _estimator_class(value) else (
            f"it sets _target_ to {value!r}, which is no estimator class of mining or scikit-learn found here")
    group, at, package = key.partition("@")
    match = _OVERRIDE_KEY.fullmatch(group)
    if match is None:
        directive = next((part for part in re.split(r"[./]", key) if part.startswith("_")), None)
        return f"it sets {directive}, which tells Hydra what code to run" if directive else "its key names no setting"
    if _setting_name(match.group(1)) in FILE_PARAMETERS:
        return f"{match.group(1)} names files a fit writes and reads back"
    folder = CONFIG_DIR / match.group(1)
    if at and not (folder.is_dir() and re.fullmatch(r"[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)*", package)
                   and package.split(".")[0] not in WHERE_FILES_GO):
        return f"it puts a config into the package {package!r} (@), which is no plain setting"
    if folder.is_dir() and match.group(1).split("/")[0] not in WHERE_FILES_GO:
        options = sorted(p.stem for p in folder.glob("*.yaml"))
        if value not in (*options, "null"):
            return f"{match.group(1)} has no option {value!r} in mining's configs ({', '.join(options)})"
    return None


def _estimator_class(name: str) -> bool:
    """Whether ``name`` is a scikit-learn estimator class of mining's or scikit-learn's own modules: a ``_target_``
    that builds one only stores its parameters. Only those two packages are imported to tell."""
    module, _, attribute = name.strip("'\"").rpartition(".")
    # public modules only: no private (_...) module and no tests, whose import could do anything
    if not re.fullmatch(r"(mining|sklearn)(\.[A-Za-z]\w*)+", module) or not attribute.isidentifier() \
            or any(part in ("tests", "conftest") for part in module.split(".")):
        return False
    from importlib import import_module

    from sklearn.base import BaseEstimator

    try:
        found = getattr(import_module(module), attribute, None)
    except Exception:  # a module that is not there, or fails to import here
        return False
    return isinstance(found, type) and issubclass(found, BaseEstimator)


def _setting_name(key: str) -> str:
    """The setting a dotted or slashed override key ends in: ``n_jobs`` of ``model.n_jobs``."""
    return re.split(r"[./]", key)[-1]


def capped_parallelism(overrides: list[str], cpus: int) -> list[str]:
    """``overrides`` with each recorded count of processes or threads (:data:`PARALLEL_PARAMETERS`) above ``cpus``
    lowered to ``cpus``, noting each: a record handed over must not start a thousand processes here."""
    capped = []
    for override in overrides:
        key, sep, value = override.partition("=")
        match = _OVERRIDE_KEY.fullmatch(key)
        if sep and match and not key.startswith("~") and _setting_name(match.group(1)) in PARALLEL_PARAMETERS \
                and not _kept_count(value, cpus):
            note(f"reproduce: the record's {override} is lowered to {key}={cpus}, the CPUs here "
                 "(it changes no result, only how many processes run)")
            override = f"{key}={cpus}"
        capped.append(override)
    return capped


def _kept_count(value: str, cpus: int) -> bool:
    """Whether a recorded count of processes may stand: a plain integer from -1 (all the CPUs) to ``cpus``, quoted
    or not, or null. Hydra reads 1_000, +1000, int(1000), 1e3 and " 1000" as 1000 too, so any other spelling is
    replaced, whatever it says, as is a count below -1 (to spaCy's n_process only -1 means all the CPUs)."""
    if value.lower() == "null":
        return True
    match = re.fullmatch(r"""(['"]?)(-?(?:0|[1-9][0-9]*))\1""", value)
    return match is not None and -1 <= int(match.group(2)) <= cpus


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
    overrides = capped_parallelism([current_override(o) for o in recorded_overrides(run_dir)], usable_cpus())
    recorded = (read_meta(run_dir).get("data") or {}).get("path")
    if isinstance(recorded, str) and any(c in recorded for c in "${}\\"):  # Hydra resolves ${...} in quotes too
        raise RunRecordError(f"{run_dir / 'meta.json'}: refused the recorded corpus path {_short(recorded)}: it "
                             "interpolates (${...}) or escapes (\\); a path holds neither")
    if isinstance(recorded, str) and Path(recorded).is_absolute() and Path(recorded).exists():
        overrides = [o for o in overrides if not o.startswith("data.path=")] + [f"data.path={_quoted(recorded)}"]
    # tracking=none: a re-run is a check, not a new run to log in MLflow.
    command = [sys.executable, "-m", "mining.cli", "run", *overrides, "tracking=none", *(extra or []),
               f"hydra.run.dir={out_dir}", "nlp.progress=false"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RunRecordError(_failure(command, done.stderr))
    return read_metrics(out_dir)


def _failure(command: list[str], stderr: str) -> str:
    """The re-run's failure: its one-line error where it printed one (bad input: an override, the corpus), else the
    end of its stderr (a traceback: a bug), after the command."""
    errors = [line.removeprefix("error: ") for line in stderr.splitlines() if line.startswith("error: ")]
    if errors and "Traceback (most recent call last)" not in stderr:
        return f"the re-run failed: {errors[-1]} (it ran: {' '.join(command)})"
    return f"the re-run failed ({' '.join(command)}):\n{stderr[-3000:]}"


def check_choices(run_dir: Path, overrides: list[str]) -> None:
    """Refuse, before re-running, a record whose ``.hydra/overrides.yaml`` chooses a config group (``model=logreg``)
    other than the choice its ``meta.json`` records: the re-run would run the one, the record's scores are the
    other's."""
    choices = read_meta(run_dir).get("choices") or {}
    for override in overrides:
        key, sep, value = override.partition("=")
        group, value = key.lstrip("+"), value.strip("'\"")
        recorded = "null" if group in choices and choices[group] is None else str(choices.get(group))
        if sep and not key.startswith("~") and group in choices and value != recorded:
            raise RunRecordError(f"{run_dir}: .hydra/overrides.yaml chooses {group}={value}, but meta.json records "
                                 f"{group}={recorded}: the record disagrees with itself (edited?); not re-run")


def config_disagreement(run_dir: Path, rerun_dir: Path, extra: list[str] | None = None) -> str | None:
    """What the re-run in ``rerun_dir`` ran otherwise than the record's ``config.yaml`` says, in a few words
    (``model._target_ is ... in config.yaml, ... in the re-run``), or None when it ran what the record says.

    Settings that decide no number (:data:`UNCHECKED`) and what ``extra`` overrides set on purpose are not compared,
    nor keys the record lacks (settings added to the configs since it was made); a seed given in ``extra`` changes
    the keys derived from it too. Group choices are not compared: a group renamed since (``model=logreg_converged``
    for what was ``model=logreg`` with its settings) runs the same settings."""
    if not (run_dir / CONFIG).exists():  # a record from before config.yaml was kept
        return None
    skipped = (*UNCHECKED, *(o.split("=", 1)[0].lstrip("+~").split("@", 1)[0] for o in extra or []))
    seed_given = "seed" in skipped

    def compared(key: str) -> bool:
        if _setting_name(key) in PARALLEL_PARAMETERS:  # decide no number, and a re-run may lower them
            return False
        return not any(key == s or key.startswith(f"{s}.") for s in skipped) and not (seed_given and is_seed_key(key))

    recorded = {current_override(k): v for k, v in flatten(read_resolved_config(run_dir)).items()}
    rerun = flatten(read_resolved_config(rerun_dir))
    differ = [k for k in sorted(recorded) if compared(k) and (k not in rerun or rerun[k] != recorded[k])]
    if not differ:
        return None
    key = differ[0]
    more = f" (and {len(differ) - 1} more setting(s))" if len(differ) > 1 else ""
    again = _short(rerun[key]) if key in rerun else "absent"
    return f"{key} is {_short(recorded[key])} in {CONFIG}, {again} in the re-run{more}"


def _short(value: Any, limit: int | None = 60) -> str:
    """A value in a message: a string quoted, a number in full, a boolean, None or a list as YAML and JSON spell
    them (``true``, not Python's ``True``); cut to ``limit`` characters."""
    text = repr(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else json.dumps(value)
    return text if limit is None or len(text) <= limit else text[:limit - 3] + "..."


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
            out.append(f"{key}: recorded {_short(expected[key], None)}, missing in the re-run")
        elif not _equal(expected[key], actual[key], tolerance):
            out.append(f"{key}: recorded {_short(expected[key], None)}, re-run {_short(actual[key], None)}")
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
    expected = read_json_object(against, pipe=True) if against else read_metrics(run_dir)
    if not expected:
        raise RunRecordError(f"{against or run_dir}: no metrics to compare")
    check_choices(run_dir, recorded_overrides(run_dir))
    fit = (read_meta(run_dir).get("timings") or {}).get("fit")
    note(f"reproduce: re-running {run_dir}" + (f" (its fit took {fit:.0f} s)" if isinstance(fit, (int, float)) else ""))
    with tempfile.TemporaryDirectory(prefix="mining-reproduce-") as tmp:
        actual = rerun(run_dir, Path(tmp) / "run", extra)
        rerun_meta = read_meta(Path(tmp) / "run")
        disagreement = config_disagreement(run_dir, Path(tmp) / "run", extra)
    recorded_meta = read_meta(run_dir)
    causes = explain(recorded_meta, rerun_meta)
    if disagreement and same_code(recorded_meta.get("git"), rerun_meta.get("git")):
        # Nothing but an edit of the record explains it, and its scores are another configuration's
        raise RunRecordError(f"{run_dir}: the re-run of its .hydra/overrides.yaml with the code that made it does not "
                             f"run what its {CONFIG} says: {disagreement}; the record was edited; not compared")
    if disagreement:  # the configs changed with the code since the record was made
        causes.insert(0, f"config differs: {disagreement}")
    return Reproduction(differences=differences(expected, actual, tolerance=tolerance), compared=len(expected),
                        new=[] if against else new_metrics(expected, actual),  # ``against`` may name a subset
                        causes=causes,
                        predictions=prediction_line(recorded_meta, rerun_meta), metrics=actual)
