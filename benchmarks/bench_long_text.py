"""Cost of labelling one long text as it grows: CPU seconds per 10,000 characters at each length, and each length's
cost over the one before, which stays near 2 for each doubling while labelling is linear in the text's length.

Usage: python benchmarks/bench_long_text.py [--model RUN_DIR] [--lengths 20000 40000 80000] [--repeat 2]
       [--one-line]

The text is made here, from text the project owns: the news reports of the shipped news corpus
(mining/corpora/data/), one paragraph a line, repeated until it is as long as asked (`--one-line` joins them with
spaces: one paragraph, the worst case for the steps that read a paragraph at a time). The default model is the one
`mining label` uses without `--model`. A text is labelled whole up to `MAX_PIECE_CHARS` (100,000 characters) and in
pieces above, so lengths past that are linear by construction. Each length's time is the least of `--repeat` runs
(process CPU time, after one warm-up label of a short text).

Measured (7 December 2026, 2-core AMD EPYC, `--one-line --lengths 25000 50000 100000 --repeat 1`): at 7f65016
1.87 / 3.48 / 9.63 s (x1.86, x2.77); after the per-unit scans of the whole text were made once per text (the
document's text joined once per `split_quotes`, the PERSON entities indexed once, each role's later mentions read
once, the markers' token positions found by bisection) 1.39 / 2.27 / 4.75 s (x1.64, x2.09), the same labels.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def _text(length: int, one_line: bool) -> str:
    from mining.corpora import load_corpus

    paragraphs = [d.text[a:b] for d in load_corpus("news") for a, b in d.paragraphs]
    sep = " " if one_line else "\n"
    out, size, k = [], 0, 0
    while size < length:
        out.append(paragraphs[k % len(paragraphs)])
        size += len(out[-1]) + 1
        k += 1
    return sep.join(out)[:length]


def main() -> None:
    from mining.label.miner import ArgumentMiner

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="run directory of a labelling bundle (default: the shipped model)")
    parser.add_argument("--lengths", type=int, nargs="+", default=[20_000, 40_000, 80_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--one-line", action="store_true", help="one paragraph (spaces between the reports)")
    args = parser.parse_args()

    import mining

    model = args.model or Path(mining.__file__).parent / "label" / "default_model"
    miner = ArgumentMiner.from_run(model)
    list(miner.label(["Warm up. The mayor said the bridge is good."]))
    previous = None
    print(f"model={model}  {'one paragraph' if args.one_line else 'one paragraph a line'}  repeat={args.repeat}")
    for length in sorted(args.lengths):
        text = _text(length, args.one_line)
        best = float("inf")
        for _ in range(args.repeat):
            start = time.process_time()
            units = len(next(iter(miner.label([text]))).units)
            best = min(best, time.process_time() - start)
        growth = f"   x{best / previous:.2f} the length before" if previous else ""
        print(f"{len(text):>9} chars  {units:>5} units  {best:7.2f} s  {best / len(text) * 10_000:.3f} s per 10k chars"
              f"{growth}")
        previous = best


if __name__ == "__main__":
    main()
