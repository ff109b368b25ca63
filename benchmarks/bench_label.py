"""Cost of labelling over the spaCy pipeline alone, and the speed-up of `mining label --n-process 2`.

Usage: python benchmarks/bench_label.py --model RUN_DIR [--texts FILE_OR_FOLDER ...] [--copies 4] [--repeat 3]

Both measures run in this one process on the same texts, after a warm-up of each:
- spaCy alone: the run's pipeline over the texts (`pipe_texts`, as the miner parses);
- labelling: `ArgumentMiner.label` over the same texts (parse + units, types, stances,
  relations, holders).
The ratio labelling/spaCy must be at most 1.25. Then `label_stream` with 1 and with 2 worker
processes (each loads the bundle) over `--copies` times the texts; the ratio 1-process/2-process
time is the speed-up. Default texts: the sample corpus.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

BUDGET = 1.25


def _texts(paths: list[str], copies: int) -> list[str]:
    if paths:
        from mining.streams import iter_items

        texts = [item.text for item in iter_items(paths)]
    else:
        from mining.corpora import load_corpus

        texts = [d.text for d in load_corpus("sample")]
    return texts * copies


def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    from mining.miner import ArgumentMiner, label_stream
    from mining.nlp.pipeline import pipe_texts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path, help="run directory of `mining run experiment=miner`")
    parser.add_argument("--texts", nargs="*", default=[], help="files or folders (default: the sample corpus)")
    parser.add_argument("--copies", type=int, default=1, help="repeat the texts this many times")
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions (medians are reported)")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    texts = _texts(args.texts, args.copies)
    miner = ArgumentMiner.from_run(args.model)
    nlp = miner.nlp
    n_chars = sum(map(len, texts))
    spacy_only = lambda: list(pipe_texts(nlp, texts, batch_size=args.batch_size))  # noqa: E731
    labelling = lambda: miner.label(texts, batch_size=args.batch_size)  # noqa: E731
    spacy_only(), labelling()  # warm-up: first calls allocate and fill caches
    spacy_times, label_times = [], []
    for _ in range(args.repeat):  # interleaved, so that machine load hits both alike
        spacy_times.append(_seconds(spacy_only))
        label_times.append(_seconds(labelling))
    spacy_s, label_s = statistics.median(spacy_times), statistics.median(label_times)
    print(f"pipeline={miner.pipeline.package} {miner.pipeline.version}  components={','.join(nlp.pipe_names)}  "
          f"texts={len(texts)}  chars={n_chars}  cores={os.cpu_count()}")
    print(f"spaCy alone   {spacy_s:7.2f} s   ({', '.join(f'{s:.2f}' for s in spacy_times)})")
    print(f"labelling     {label_s:7.2f} s   ({', '.join(f'{s:.2f}' for s in label_times)})")
    print(f"ratio labelling/spaCy {label_s / spacy_s:.3f}   budget {BUDGET:.2f}   "
          f"{'met' if label_s / spacy_s <= BUDGET else 'MISSED'}")

    pairs = [(f"t{i}", t) for i, t in enumerate(texts)]
    scaling = {}
    for n_process in (1, 2):
        scaling[n_process] = _seconds(lambda: sum(1 for _ in label_stream(args.model, pairs, n_process=n_process,
                                                                           batch_size=args.batch_size)))
        print(f"label_stream n_process={n_process}   {scaling[n_process]:7.2f} s")
    print(f"speed-up 1 -> 2 processes {scaling[1] / scaling[2]:.2f}x   (ideal 2.00 on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
