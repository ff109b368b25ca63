"""Throughput of labelling at scale: the local path, and a local Dask cluster of 1 and of 2 workers.

Usage: python benchmarks/bench_scale.py --model RUN_DIR [--n 20000] [--rounds 10] [--workers 2] [--seed 0]

The corpus is made here, from text the project owns: `--n` news-length texts, each paragraphs of the
shipped sample and news corpora (mining/corpora/data/) drawn at random (seeded) and joined until the
text is as long as a news report of the shipped corpus drawn at random (1,243 to 1,571 characters).

Three ways of labelling it:
- local: the path of `mining label FILE -o OUT.jsonl` without an engine (batches of `STREAM_BATCH_CHARS`,
  one process: this one);
- dask-1 and dask-N: `label_to_folder`, as `mining label --engine dask` runs it, on a local cluster of
  1 and of N single-threaded worker processes (both clusters stay up for the whole benchmark).
The speed of a shared machine drifts within seconds, so the corpus is cut into `--rounds` parts and
each part is labelled by the three in turn (the order rotating), after a warm-up that starts the
clusters and loads the model everywhere; the summed times are compared. Startup (a cluster, a model
load) is timed apart: it is paid once per job, however large.

Prints throughput in characters per second, the speed-up of N workers over 1, the overhead of the
engine at one worker against the local path, each worker's peak memory and CPU seconds, the load
average, and whether the outputs are the same bytes. `--n 300 --rounds 3` is a quick check.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from pathlib import Path

SPEEDUP_BAR = 1.6
OVERHEAD_BAR = 0.15


def make_corpus(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (id, text) pairs recombined from the paragraphs of the shipped sample and news corpora."""
    from mining.corpora import news, sample

    reports = news.load()
    docs = sample.load() + reports
    paragraphs = [doc.text[a:b].strip() for doc in docs for a, b in doc.paragraphs if doc.text[a:b].strip()]
    lengths = [len(doc.text) for doc in reports]
    rng = random.Random(seed)
    pairs = []
    for i in range(n):
        target, parts, size = rng.choice(lengths), [], 0
        while size < target:
            parts.append(rng.choice(paragraphs))
            size += len(parts[-1]) + 1
        pairs.append((f"gen-{i:06d}", "\n".join(parts)))
    return pairs


def write_jsonl(pairs: list[tuple[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in pairs)
    return path


class Runners:
    """The three ways of labelling, each warm, each writing what its command would write."""

    def __init__(self, model: Path, workers: int, shard_chars: int, tmp: Path):
        from distributed import Client

        from mining.label.cluster import local_cluster
        from mining.label.miner import ArgumentMiner

        self.model, self.shard_chars, self.tmp, self.workers = model, shard_chars, tmp, workers
        self.startup: dict[str, float] = {}
        start = time.perf_counter()
        self.miner = ArgumentMiner.from_run(model)
        self.miner.nlp  # noqa: B018 - the pipeline loads on first use: here, not in the first round
        self.startup["local: model load"] = time.perf_counter() - start
        self.clients = {}
        for k in (1, workers):
            start = time.perf_counter()
            cluster = local_cluster(k)  # as `mining label --engine dask` starts it
            self.clients[f"dask-{k}"] = (cluster, Client(cluster))
            self.startup[f"dask-{k}: cluster start"] = time.perf_counter() - start

    def local(self, corpus: Path, out: Path) -> None:
        from mining.corpora import jsonl
        from mining.label.streams import iter_items
        from mining.label.workers import label_batches

        pairs = ((item.id, item.text) for item in iter_items([corpus]))
        jsonl.save(label_batches(self.miner, pairs, batch_size=16), out)

    def dask(self, name: str, corpus: Path, out: Path):
        from mining.label.cluster import label_to_folder

        return label_to_folder(self.model, [corpus], out, client=self.clients[name][1],
                               shard_chars=self.shard_chars, overwrite=True)

    def run(self, name: str, corpus: Path, out: Path):
        return self.local(corpus, out) if name == "local" else self.dask(name, corpus, out)

    def close(self) -> None:
        for cluster, client in self.clients.values():
            client.close()
            cluster.close()


def label_rounds(runners: Runners, parts: list[Path], names: list[str], warm: dict) -> tuple[dict, dict, bool]:
    """Time each part with each runner in turn; returns seconds per runner, the last dask reports (and
    under "cpu" the CPU seconds per runner), and whether every runner wrote the same bytes for every part."""
    seconds = {name: 0.0 for name in names}
    cpu = {name: 0.0 for name in names}  # this process's CPU, and for a cluster its workers' too
    reports, same = dict(warm), True  # the warm-up's reports: the workers' CPU so far (imports, model load)
    for r, part in enumerate(parts):
        order = names[r % len(names):] + names[:r % len(names)]
        outputs = {}
        for name in order:
            out = runners.tmp / f"{part.stem}-{name}" if name != "local" else runners.tmp / f"{part.stem}.jsonl"
            workers_before = _worker_cpu(reports.get(name))
            start, start_cpu = time.perf_counter(), time.process_time()
            report = runners.run(name, part, out)
            seconds[name] += time.perf_counter() - start
            cpu[name] += time.process_time() - start_cpu + _worker_cpu(report) - workers_before
            reports[name] = report or reports.get(name)
            outputs[name] = out.read_bytes() if name == "local" else \
                b"".join(p.read_bytes() for p in sorted(out.glob("part-*.jsonl")))
        same &= len(set(outputs.values())) == 1
        print(f"  round {r + 1}/{len(parts)}: " + "  ".join(f"{n} {seconds[n]:7.1f} s" for n in names)
              + f"   (summed; load average {os.getloadavg()[0]:.1f})", flush=True)
    reports["cpu"] = cpu
    return seconds, reports, same


def _worker_cpu(report) -> float:
    return sum(w["cpu_seconds"] for w in report.workers.values()) if report is not None else 0.0


def _mb(n: float) -> str:
    return f"{n / 2**20:.0f} MB"


def report(seconds: dict, reports: dict, chars: int, workers: int, startup: dict) -> None:
    from mining.label.cluster import usage

    local = usage()
    print(f"local    {seconds['local']:8.1f} s  {chars / seconds['local']:8,.0f} chars/s   this process: peak "
          f"{_mb(local['peak_rss'])} (it also holds the corpus and both clients)")
    for name in (f"dask-{k}" for k in (1, workers)):
        procs = ", ".join(f"worker {i} peak {_mb(w['peak_rss'])} {w['cpu_seconds']:.0f} cpu-s"
                          for i, w in enumerate(reports[name].workers.values()))
        print(f"{name:7s}  {seconds[name]:8.1f} s  {chars / seconds[name]:8,.0f} chars/s   {procs}")
    print("startup, once per job: " + ", ".join(f"{k} {v:.1f} s" for k, v in startup.items()))
    speedup = seconds["dask-1"] / seconds[f"dask-{workers}"]
    overhead = seconds["dask-1"] / seconds["local"] - 1
    print(f"speed-up {workers} workers / 1 worker  {speedup:.2f}x   bar >= {SPEEDUP_BAR}   "
          f"{'met' if speedup >= SPEEDUP_BAR else 'MISSED'}")
    print(f"engine overhead at 1 worker vs local  {overhead:+.1%}   bar <= {OVERHEAD_BAR:.0%}   "
          f"{'met' if overhead <= OVERHEAD_BAR else 'MISSED'}")
    # CPU seconds do not depend on what else the machine runs: the engine's overhead in work done.
    spent = reports["cpu"]
    print("CPU seconds (this process + workers): " + ", ".join(f"{k} {v:.0f}" for k, v in spent.items())
          + f";  engine overhead in CPU at 1 worker {spent['dask-1'] / spent['local'] - 1:+.1%}")
    cpu = [w["cpu_seconds"] for w in reports[f"dask-{workers}"].workers.values()]
    print(f"work split between the {workers} workers (CPU seconds): {', '.join(f'{c:.0f}' for c in cpu)}; "
          f"on {workers} free cores it would allow {sum(cpu) / max(cpu):.2f}x")


def main() -> None:
    from mining.label.shards import SHARD_CHARS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path, help="run directory of `mining run experiment=miner`")
    parser.add_argument("--n", type=int, default=20_000, help="texts to generate (default 20,000)")
    parser.add_argument("--rounds", type=int, default=10, help="parts of the corpus, each labelled by all three")
    parser.add_argument("--workers", type=int, default=2, help="workers of the larger cluster")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shard-chars", type=int, help=f"default: {SHARD_CHARS:,}, or less so that each round "
                        "still makes some 20 shards to share")
    args = parser.parse_args()
    pairs = make_corpus(args.n, args.seed)
    chars = sum(len(t) for _, t in pairs)
    per_round = -(-len(pairs) // args.rounds)
    shard_chars = args.shard_chars or min(SHARD_CHARS, max(10_000, chars // args.rounds // 20))
    print(f"texts={len(pairs)}  chars={chars:,}  mean={chars / len(pairs):,.0f} chars/text  rounds={args.rounds}  "
          f"shard_chars={shard_chars:,}  cores={os.cpu_count()}  model={args.model}", flush=True)
    with tempfile.TemporaryDirectory(prefix="mining-scale-") as scratch:
        tmp = Path(scratch)
        parts = [write_jsonl(pairs[i:i + per_round], tmp / f"round{i // per_round:03d}.jsonl")
                 for i in range(0, len(pairs), per_round)]
        warm = write_jsonl(pairs[:20], tmp / "warm.jsonl")
        runners = Runners(args.model, args.workers, shard_chars, tmp)
        names = ["local", "dask-1", f"dask-{args.workers}"]
        try:
            warmed = {}
            for name in names:  # the workers load the model here, once, as the first shard of a job does
                start = time.perf_counter()
                warmed[name] = runners.run(name, warm, tmp / f"warm-{name}")
                runners.startup[f"{name}: first 20 texts"] = time.perf_counter() - start
            seconds, reports, same = label_rounds(runners, parts, names, warmed)
        finally:
            runners.close()
    report(seconds, reports, chars, args.workers, runners.startup)
    print(f"outputs identical in every round (local file = concatenated shards of each cluster): {same}")


if __name__ == "__main__":
    main()
