"""Wall-clock of `mining run` on AAEC components, cold (empty parse cache) and warm, against the budgets.

Usage: python benchmarks/bench_engine.py [--corpora ../shared/corpora] [--repeat 3]

Each run is a fresh `mining run` process, as a user would start it; MINING_HOME points at a
temporary directory, so the cold run really parses and the warm runs really hit the cache.
Prints seconds and the ratios time/budget (<= 1.0 meets the budget) and warm/cold.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_BUDGET = 60.0
WARM_BUDGET = 10.0


def timed_run(home: Path, corpora: Path, experiment: str) -> tuple[float, dict]:
    env = {**os.environ, "MINING_HOME": str(home)}
    command = [sys.executable, "-m", "mining.cli", "run", f"experiment={experiment}",
               f"data.path={corpora / 'aaec-v2'}", "nlp.progress=false"]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"run failed:\n{done.stderr[-2000:]}")
    meta = max((home / "logs").rglob("meta.json"), key=lambda p: p.stat().st_mtime)
    return seconds, json.loads(meta.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=Path(os.environ.get("MINING_CORPORA", "../shared/corpora")))
    parser.add_argument("--experiment", default="aaec_components")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs (the median is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mining-bench-") as tmp:
        home = Path(tmp)
        cold, meta = timed_run(home, args.corpora.resolve(), args.experiment)
        assert meta["parse_cache_hit"] is False
        warm_runs = []
        for _ in range(args.repeat):
            seconds, meta = timed_run(home, args.corpora.resolve(), args.experiment)
            assert meta["parse_cache_hit"] is True
            warm_runs.append(seconds)
    warm = statistics.median(warm_runs)
    print(f"experiment={args.experiment}  pipeline={meta['spacy_pipeline']['package']} "
          f"{meta['spacy_pipeline']['version']}  cores={os.cpu_count()}")
    print(f"stages of the last warm run (s): {meta['timings']}")
    print(f"cold run   {cold:6.2f} s   budget {COLD_BUDGET:4.0f} s   ratio {cold / COLD_BUDGET:.2f}")
    print(f"warm run   {warm:6.2f} s   budget {WARM_BUDGET:4.0f} s   ratio {warm / WARM_BUDGET:.2f}"
          f"   (median of {len(warm_runs)}: {', '.join(f'{s:.2f}' for s in warm_runs)})")
    print(f"warm/cold  {warm / cold:.2f}")


if __name__ == "__main__":
    main()
