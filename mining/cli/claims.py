"""The Hydra callback that claims a run's directory before Hydra writes into it, and gives it up at the end."""

from __future__ import annotations

import atexit
import sys

from hydra.experimental.callback import Callback

from mining.cli.errors import explain, report
from mining.runs.claim import Claim, ClaimError, claim_directory, describe_previous


class ClaimRunDirectory(Callback):
    """Claim ``hydra.run.dir`` (``hydra.sweep.dir`` for ``-m``) in ``on_*_start``, before Hydra writes
    ``.hydra/`` there, so that a second run on the same directory stops with exit status 2 having written
    nothing. ``overwrite=true`` replaces a finished record. The claim is given up at the end, and at exit
    when a job ends the process (``sys.exit`` skips ``on_*_end``); a killed run's lock dies with it.
    """

    held: set[ClaimRunDirectory] = set()  # the callbacks of this process that hold a claim now

    def __init__(self) -> None:
        self.claim: Claim | None = None

    @classmethod
    def release_all(cls) -> None:
        """Give up every claim this process holds (``mining run`` calls it however the run ended)."""
        for callback in list(cls.held):
            callback._release()

    def on_run_start(self, config, **kwargs) -> None:
        self._take(_resolved(config, "run"), overwrite=_overwrite(config), sweep=False)

    def on_multirun_start(self, config, **kwargs) -> None:
        self._take(_resolved(config, "sweep"), overwrite=_overwrite(config), sweep=True)

    def on_run_end(self, config, **kwargs) -> None:
        self._release()

    def on_multirun_end(self, config, **kwargs) -> None:
        self._release()

    def _take(self, directory: str, *, overwrite: bool, sweep: bool) -> None:
        # Reading hydra.run.dir resolves ${now:...} once: Hydra caches it in the same config it runs the job with.
        try:
            self.claim = claim_directory(directory, overwrite=overwrite, sweep=sweep)
        except (ClaimError, OSError) as e:  # a callback's error would be Hydra's traceback: said here
            setting = f"hydra.{'sweep' if sweep else 'run'}.dir={directory}"
            sys.exit(report(str(e) if isinstance(e, ClaimError) else f"{setting}: {explain(e) or e}"))
        atexit.register(self._release)
        ClaimRunDirectory.held.add(self)
        if self.claim.previous is not None or self.claim.removed:
            print(f"warning: {describe_previous(self.claim)}", file=sys.stderr)
        for run_dir in self.claim.replaced:
            print(f"overwrite=true: replacing the finished run record in {run_dir}", file=sys.stderr)

    def _release(self) -> None:
        if self.claim is not None:
            self.claim.release()
            self.claim = None
        ClaimRunDirectory.held.discard(self)
        atexit.unregister(self._release)


def _resolved(config, kind: str) -> str:
    """``hydra.run.dir`` (or ``hydra.sweep.dir``); its ``${hydra:...}`` parts (the run's name may use
    ``${hydra:runtime.choices.task}``) need the Hydra config set, which Hydra does only later, in the job."""
    from hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        HydraConfig.instance().set_config(config)
    return str(config.hydra[kind].dir)


def _overwrite(config) -> bool:
    """``overwrite=true`` or ``overwrite=false``, nothing else: ``overwrite=no`` is a string to Hydra, and a string
    read as a truth value would replace the very record it was meant to keep."""
    value = config.get("overwrite", False)
    if not isinstance(value, bool):
        sys.exit(report(f"overwrite={value!r} ({type(value).__name__}): give overwrite=true or overwrite=false"))
    return value
