"""What a user sees when a command fails on bad input: one line naming the culprit, and exit status 2.

:func:`explain` turns the project's own errors (:class:`mining.errors.MiningError`) and the library
errors that a bad argument or override causes (Hydra composition, OmegaConf, instantiation,
scikit-learn parameter validation, file-system errors naming a path) into that line. Anything else
is a bug: it returns None and the caller re-raises, so the traceback is shown. ``mining --debug``
(or ``MINING_DEBUG=1``) shows the traceback of every error.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mining.errors import MiningError, printable

DEBUG_ENV = "MINING_DEBUG"
EXIT_BAD_INPUT = 2  # 1 is for "validation found problems"
DEBUG_HELP = "show the Python traceback of every error (also: MINING_DEBUG=1)"

_WRITE_HINTS = {
    # The error does not say whether the file was read or written: a hint for either.
    errno.EACCES: "check its permissions: an input must be readable, an output's folder writable",
    errno.EPERM: "check its permissions: an input must be readable, an output's folder writable",
    errno.EROFS: "the file system is read-only: choose another folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another path",
    errno.EEXIST: "a file is in the way: choose another path",
    errno.ENOSPC: "free some space or choose another disk",
    errno.EDQUOT: "over the disk quota: free some space or choose another disk",
    errno.EFBIG: "larger than this system lets a file be (ulimit -f): raise the limit or choose another disk",
}


def debug_enabled() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


@contextmanager
def setting_env(name: str, value: str | None) -> Iterator[None]:
    """Set the environment variable ``name`` to ``value`` inside the block (None: leave it as it is)."""
    previous = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def report(message: str) -> int:
    """Print ``error: MESSAGE`` on stderr, its control characters escaped, and return the exit status for bad input."""
    print(f"error: {printable(message)}", file=sys.stderr)
    return EXIT_BAD_INPUT


def explain(error: BaseException, cfg: Any = None) -> str | None:
    """One line for an error caused by input, arguments or settings; None for anything else (a bug).

    ``cfg`` is the composed config of ``mining run``: with it, a scikit-learn parameter error names
    the config key that set the parameter.
    """
    if isinstance(error, MiningError):
        return str(error)
    if isinstance(error, OSError) and error.filename is not None:
        return _os_error(error)
    for translate in (_hydra_error, _omegaconf_error, _submitit_error):
        message = translate(error)
        if message is not None:
            return message
    if cfg is not None:
        return _sklearn_parameter_error(error, cfg)
    return None


def _submitit_error(error: BaseException) -> str | None:
    """A sweep job that failed under a submitit launcher (submitit_local, slurm): the job, the one-line error it
    printed, and where its logs are, instead of submitit's traceback with the job's whole stderr."""
    utils = sys.modules.get("submitit.core.utils")
    if utils is None or not isinstance(error, utils.UncompletedJobError):  # a job that raised is a bug: traceback
        return None
    lines = str(error).splitlines()
    jobs = [line.split("] ", 1)[0] + "]" for line in lines if line.startswith("[job ")]  # "nlp.exclude=[]]"
    errors = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
    path = re.search(r"with path (\S+)", str(error))
    logs = f" (its logs: {Path(path.group(1)).parent})" if path else ""
    cause = errors[-1] if errors else _one_line(lines[0] if lines else "it produced no result")
    if cause.startswith("[job ") and "] failed: " in cause:  # the job named itself (mining.cli.experiment._run_job)
        return f"{cause}{logs}"
    return f"{jobs[-1] if jobs else 'a sweep job'} failed: {cause}{logs}"


def _os_error(error: OSError) -> str:
    path = error.filename if error.filename2 is None else f"{error.filename} -> {error.filename2}"
    hint = _WRITE_HINTS.get(error.errno or 0, "check the path")
    return f"{path}: {(error.strerror or type(error).__name__).lower()}; {hint}"


def _one_line(text: str) -> str:
    return "; ".join(line.strip() for line in str(text).splitlines() if line.strip())


def _hydra_error(error: BaseException) -> str | None:
    """Unknown config-group options, overrides that cannot apply or parse, targets that cannot be built."""
    if "hydra.errors" not in sys.modules:  # Hydra raised nothing if it was never imported
        return None
    from hydra.errors import (
        ConfigCompositionException,
        InstantiationException,
        MissingConfigException,
        OverrideParseException,
    )

    if isinstance(error, MissingConfigException) and error.options is not None and error.missing_cfg_file:
        group, _, name = error.missing_cfg_file.rpartition("/")
        return (f"unknown {group} {name!r} (override {group}={name}); the {group} options are: "
                f"{', '.join(sorted(error.options))}")
    if isinstance(error, OverrideParseException):
        return f"cannot parse the override {error.override!r}: {_one_line(error.message)}"
    if isinstance(error, InstantiationException):
        return _instantiation_error(error)
    if isinstance(error, ConfigCompositionException):
        key = re.match(r"Could not override '([^']+)'", str(error))
        if key is not None and "not in struct" in str(error.__cause__):
            return (f"unknown setting {key[1]!r}: check its spelling (`mining run ... --cfg job` prints every "
                    f"setting), or add a new key with +{key[1]}=VALUE")
        cause = f" ({_one_line(error.__cause__)})" if error.__cause__ is not None else ""
        return _one_line(str(error)) + cause
    return None


def _instantiation_error(error: BaseException) -> str:
    """``KEY: cannot build TARGET: what its constructor said`` (an unknown argument, a class that is not there)."""
    text = str(error)
    key, target = re.search(r"full_key: (\S+)", text), re.search(r"target '([^']+)'", text)
    cause = error.__cause__
    while cause is not None and cause.__cause__ is not None and "target" in str(cause):
        cause = cause.__cause__
    what = _one_line(cause) if cause is not None else _one_line(text.split("full_key:")[0])
    return (f"{key[1] if key else 'the config'}: cannot build {target[1] if target else 'it'}: {what}; "
            "check that group's settings, the experiment's among them (`mining run ... --cfg job` prints them)")


def _omegaconf_error(error: BaseException) -> str | None:
    """A config value of the wrong type, a missing key or interpolation: the key and what is wrong."""
    if "omegaconf" not in sys.modules:
        return None
    from omegaconf.errors import OmegaConfBaseException

    if not isinstance(error, OmegaConfBaseException):
        return None
    key = getattr(error, "full_key", None)
    problem = str(getattr(error, "msg", None) or error).splitlines()[0]
    return f"the setting {key}: {problem}" if key else f"the config: {problem}"


_SKLEARN_PARAMETER = re.compile(r"The '(?P<param>\w+)' parameter of (?P<cls>\w+) must be (?P<expected>.*)")


def _sklearn_parameter_error(error: BaseException, cfg: Any) -> str | None:
    """scikit-learn's ``InvalidParameterError`` for a parameter the config set: the key and what it expects.

    A parameter the config did not set (mining's own code passed it) is a bug, and stays one.
    """
    sklearn_validation = sys.modules.get("sklearn.utils._param_validation")
    if sklearn_validation is None or not isinstance(error, sklearn_validation.InvalidParameterError):
        return None
    found = _SKLEARN_PARAMETER.match(str(error))
    if found is None:
        return None
    from omegaconf import OmegaConf

    keys = list(_config_keys(OmegaConf.to_container(cfg, resolve=False), found["cls"], found["param"]))
    if not keys:  # a mining feature passes the setting on to scikit-learn's class: the override that set it
        keys = [o.split("=", 1)[0] for o in _task_overrides() if o.split("=", 1)[0].endswith(f".{found['param']}")]
    if not keys:
        return None
    return f"{' or '.join(keys)}: {found['cls']}'s {found['param']} must be {found['expected']} (fix the override)"


def _task_overrides() -> list[str]:
    """The overrides of the running Hydra job (none outside one)."""
    from hydra.core.hydra_config import HydraConfig

    return list(HydraConfig.get().overrides.task) if HydraConfig.initialized() else []


def _config_keys(node: Any, cls: str, param: str, prefix: str = ""):
    """The dotted keys ``PREFIX.param`` of config nodes whose ``_target_`` names the class ``cls``."""
    if isinstance(node, dict):
        target = node.get("_target_")
        if isinstance(target, str) and target.rsplit(".", 1)[-1] == cls and param in node:
            yield f"{prefix}{param}"
        for key, value in node.items():
            yield from _config_keys(value, cls, param, f"{prefix}{key}.")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _config_keys(value, cls, param, f"{prefix}{i}.")
