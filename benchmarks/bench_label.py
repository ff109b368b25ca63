"""Cost of labelling over the spaCy pipeline alone, and the speed-up of `mining label --n-process 2`.

Usage: python benchmarks/bench_label.py --model RUN_DIR [--texts FILE_OR_FOLDER ...] [--copies 2] [--repeat 5]
       [--chunk-chars N]

Both measures run in this one process on the same texts, after a warm-up of each:
- spaCy alone: the run's pipeline over the texts (`pipe_texts`, as the miner parses);
- labelling: `ArgumentMiner.label` over the same texts (parse + units, types, stances,
  relations, holders);
- when the bundle's pipeline leaves components of its package out (`nlp.exclude`: the AAEC miner runs no `ner`),
  the package's whole pipeline as `spacy.load` gives it, too: the parse a spaCy user pays by default.
Machine speed on a shared host drifts by a third within seconds, so the two are interleaved
finely: the texts are cut into chunks of ``STREAM_BATCH_CHARS`` characters (the batch `label_stream` gives a
worker), and each chunk is timed with spaCy alone and then with labelling (the other order on
every second chunk), `--repeat` times over. The ratio of the summed times must be at most 1.20
(issue 19's budget); it is printed for wall time and for this process's CPU time, with the ratio
of each repeat. The budget is checked against the bundle's own pipeline; the ratio against the whole one is
printed beside it.
Then `label_stream` with 1 and with 2 worker processes (each loads the bundle) over the texts; the
ratio 1-process/2-process time is the speed-up. Default texts: the sample corpus, `--copies` times.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import spacy

BUDGET = 1.20


def _texts(paths: list[str], copies: int) -> list[str]:
    if paths:
        from mining.label.streams import iter_items

        texts = [item.text for item in iter_items(paths)]
    else:
        from mining.corpora import load_corpus

        texts = [d.text for d in load_corpus("sample")]
    return texts * copies


def _wall_and_cpu(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _timed_pass(runners: dict, chunks: list) -> dict[str, tuple[float, float]]:
    """One pass over the chunks: each runner times each chunk in turn, in a rotating order; the (wall, cpu)
    seconds of each runner, summed."""
    total = {name: (0.0, 0.0) for name in runners}
    names = list(runners)
    for k, chunk in enumerate(chunks):
        for name in names[k % len(names):] + names[:k % len(names)]:
            wall, cpu = _wall_and_cpu(lambda: runners[name](chunk))
            total[name] = (total[name][0] + wall, total[name][1] + cpu)
    return total


def main() -> None:
    from mining.label.batches import char_batches
    from mining.label.miner import ArgumentMiner
    from mining.label.workers import STREAM_BATCH_CHARS, label_stream
    from mining.nlp.pipeline import pipe_texts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path, help="run directory of `mining run experiment=miner`")
    parser.add_argument("--texts", nargs="*", default=[], help="files or folders (default: the sample corpus)")
    parser.add_argument("--copies", type=int, default=1, help="repeat the texts this many times")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the texts")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--chunk-chars", type=int, default=STREAM_BATCH_CHARS,
                        help="characters per timed chunk (default: what label_stream hands a worker)")
    args = parser.parse_args()

    texts = _texts(args.texts, args.copies)
    miner = ArgumentMiner.from_run(args.model)
    nlp = miner.nlp
    whole = spacy.load(miner.pipeline.package) if miner.pipeline.exclude else None  # every component of the package
    n_chars = sum(map(len, texts))
    list(pipe_texts(nlp, texts, batch_size=args.batch_size)), miner.label(texts)  # warm-up: caches fill
    runners = {"labelling": lambda chunk: miner.label(chunk, batch_size=args.batch_size),
               "spaCy alone": lambda chunk: list(pipe_texts(nlp, chunk, batch_size=args.batch_size))}
    if whole is not None:
        list(pipe_texts(whole, texts, batch_size=args.batch_size))
        runners["spaCy whole"] = lambda chunk: list(pipe_texts(whole, chunk, batch_size=args.batch_size))
    chunks = list(char_batches(texts, len, args.chunk_chars))  # by default what label_stream gives a worker
    per_repeat = [_timed_pass(runners, chunks) for _ in range(args.repeat)]  # {runner: (wall, cpu)} summed
    print(f"pipeline={miner.pipeline.package} {miner.pipeline.version}  components={','.join(nlp.pipe_names)}  "
          f"texts={len(texts)}  chars={n_chars}  chunks={len(chunks)}  repeats={args.repeat}  cores={os.cpu_count()}")
    for baseline in [b for b in runners if b != "labelling"]:
        for clock, c in (("wall", 0), ("cpu", 1)):
            base, labelling = (sum(t[name][c] for t in per_repeat) for name in (baseline, "labelling"))
            repeats = ", ".join(f"{t['labelling'][c] / t[baseline][c]:.3f}" for t in per_repeat)
            print(f"[{clock}] {baseline} {base:7.2f} s   labelling {labelling:7.2f} s   ratio {labelling / base:.3f}"
                  f"   per repeat: {repeats}")
    ratio = sum(t["labelling"][0] for t in per_repeat) / sum(t["spaCy alone"][0] for t in per_repeat)
    print(f"ratio labelling/spaCy (wall) {ratio:.3f}   budget {BUDGET:.2f}   {'met' if ratio <= BUDGET else 'MISSED'}")
    if whole is not None:
        print(f"  (spaCy alone runs the bundle's components; spaCy whole, {','.join(whole.pipe_names)}, "
              "is the package as spacy.load gives it)")

    pairs = [(f"t{i}", t) for i, t in enumerate(texts)]
    scaling = {}
    for n_process in (1, 2):
        stream = lambda: sum(1 for _ in label_stream(args.model, pairs, n_process=n_process,  # noqa: E731
                                                     batch_size=args.batch_size))
        scaling[n_process], _ = _wall_and_cpu(stream)
        print(f"label_stream n_process={n_process}   {scaling[n_process]:7.2f} s")
    print(f"speed-up 1 -> 2 processes {scaling[1] / scaling[2]:.2f}x   (ideal 2.00 on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
