"""Throughput of labelling at scale: the local path, and a local Dask cluster of 1 and of 2 workers.

Usage: python benchmarks/bench_scale.py --model RUN_DIR [--n 20000] [--workers 2] [--seed 0] [--keep DIR]

The corpus is made here, from text the project owns: `--n` news-length texts, each paragraphs of the
shipped sample and news corpora (mining/corpora/data/) drawn at random (seeded) and joined until the
text is as long as a news report of the shipped corpus drawn at random (1,243 to 1,571 characters).
It is written to one JSONL file, and labelled three times, each in a fresh process so that peak
memory is that run's own:
- local: `mining label FILE -o OUT.jsonl` as it runs without an engine (`label_stream`, one process);
- dask-1 and dask-N: `mining label FILE --engine dask --n-process K -o DIR` (`label_to_folder` on a local
  cluster of K single-threaded worker processes).
Each time covers the whole command's work: starting the cluster, loading the model in each worker,
planning the shards (one read and hash of the input), labelling and writing. Prints throughput in
characters per second, the speed-up of N workers over 1, the overhead of the engine at one worker
against the local path, the peak resident memory of each worker (and of the client), the load
average around each run (the machine may be shared), and whether all three outputs hold the same
bytes. `--n 500` is a quick check; the bar is measured at the default 20,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPEEDUP_BAR = 1.6
OVERHEAD_BAR = 0.15


def make_corpus(path: Path, n: int, seed: int) -> tuple[int, int]:
    """Write ``n`` texts recombined from the shipped corpora to ``path``; returns (texts, characters)."""
    from mining.corpora import news, sample

    docs = sample.load() + news.load()
    paragraphs = [doc.text[a:b].strip() for doc in docs for a, b in doc.paragraphs if doc.text[a:b].strip()]
    lengths = [len(doc.text) for doc in news.load()]
    rng = random.Random(seed)
    chars = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            target, parts, size = rng.choice(lengths), [], 0
            while size < target:
                parts.append(rng.choice(paragraphs))
                size += len(parts[-1]) + 1
            text = "\n".join(parts)
            chars += len(text)
            f.write(json.dumps({"id": f"gen-{i:06d}", "text": text}, ensure_ascii=False) + "\n")
    return n, chars


def child(args: argparse.Namespace) -> None:
    """One timed run in this fresh process; prints one JSON line."""
    from mining.label.cluster import label_to_folder, usage

    start = time.perf_counter()
    if args.child == "local":
        from mining.corpora import jsonl
        from mining.label.streams import iter_items
        from mining.label.workers import label_stream

        pairs = ((item.id, item.text) for item in iter_items([args.corpus]))
        jsonl.save(label_stream(args.model, pairs, n_process=1), args.out)
        processes = {"local": usage()}
    else:
        report = label_to_folder(args.model, [args.corpus], args.out, n_workers=args.workers,
                                 shard_chars=args.shard_chars, overwrite=True)
        processes = {**{f"worker {i}": v for i, v in enumerate(report.workers.values())}, "client": usage()}
    print(json.dumps({"seconds": time.perf_counter() - start, "processes": processes}))


def timed(name: str, extra: list[str], args: argparse.Namespace, corpus: Path, out: Path) -> dict:
    command = [sys.executable, __file__, "--child", name, "--model", str(args.model), "--corpus", str(corpus),
               "--out", str(out), "--shard-chars", str(args.shard_chars), *extra]
    before = os.getloadavg()[0]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{name} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = (before, os.getloadavg()[0])
    return result


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def report(runs: dict[str, dict], chars: int, workers: int) -> None:
    for name, run in runs.items():
        procs = ", ".join(f"{k} {_mb(v['peak_rss'])} {v['cpu_seconds']:.0f} cpu-s" for k, v in run["processes"].items())
        print(f"{name:7s} {run['seconds']:8.1f} s   {chars / run['seconds']:9,.0f} chars/s   peak memory and CPU: "
              f"{procs}   load average {run['load'][0]:.1f} -> {run['load'][1]:.1f}")
    speedup = runs["dask-1"]["seconds"] / runs[f"dask-{workers}"]["seconds"]
    overhead = runs["dask-1"]["seconds"] / runs["local"]["seconds"] - 1
    print(f"speed-up {workers} workers / 1 worker  {speedup:.2f}x   bar >= {SPEEDUP_BAR}   "
          f"{'met' if speedup >= SPEEDUP_BAR else 'MISSED'}")
    print(f"engine overhead at 1 worker vs local  {overhead:+.1%}   bar <= {OVERHEAD_BAR:.0%}   "
          f"{'met' if overhead <= OVERHEAD_BAR else 'MISSED'}")
    # What other processes on a shared machine cannot change: the CPU each run spent (its own processes).
    cpu = {name: sum(v["cpu_seconds"] for v in run["processes"].values()) for name, run in runs.items()}
    busiest = max(v["cpu_seconds"] for k, v in runs[f"dask-{workers}"]["processes"].items() if k != "client")
    print(f"CPU seconds: local {cpu['local']:.0f}, dask-1 {cpu['dask-1']:.0f} ({cpu['dask-1'] / cpu['local'] - 1:+.1%}), "
          f"dask-{workers} {cpu[f'dask-{workers}']:.0f}; the work split between {workers} workers would allow "
          f"{runs['dask-1']['processes']['worker 0']['cpu_seconds'] / busiest:.2f}x on {workers} free cores")


def same_output(tmp: Path, workers: int) -> bool:
    local = (tmp / "local.jsonl").read_bytes()
    return all(b"".join(p.read_bytes() for p in sorted((tmp / f"dask-{k}").glob("part-*.jsonl"))) == local
               for k in (1, workers))


def main() -> None:
    from mining.label.shards import SHARD_CHARS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path, help="run directory of `mining run experiment=miner`")
    parser.add_argument("--n", type=int, default=20_000, help="texts to generate (default 20,000)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the larger cluster")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shard-chars", type=int, help=f"default: {SHARD_CHARS:,}, or less so that a small corpus "
                        "still makes some 40 shards to share")
    parser.add_argument("--keep", type=Path, help="write the corpus and outputs here (default: a temporary folder)")
    parser.add_argument("--child", choices=("local", "dask"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    with tempfile.TemporaryDirectory(prefix="mining-scale-") as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        corpus = tmp / "corpus.jsonl"
        n, chars = make_corpus(corpus, args.n, args.seed)
        args.shard_chars = args.shard_chars or min(SHARD_CHARS, max(10_000, chars // 40))
        print(f"texts={n}  chars={chars:,}  mean={chars / n:,.0f} chars/text  shard_chars={args.shard_chars:,}  "
              f"cores={os.cpu_count()}  model={args.model}", flush=True)
        runs = {"local": timed("local", [], args, corpus, tmp / "local.jsonl")}
        for k in (1, args.workers):
            runs[f"dask-{k}"] = timed("dask", ["--workers", str(k)], args, corpus, tmp / f"dask-{k}")
        report(runs, chars, args.workers)
        print(f"outputs identical (local file = concatenated shards of each cluster run): {same_output(tmp, args.workers)}")


if __name__ == "__main__":
    main()
