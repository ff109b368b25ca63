"""Where a segmentation run's unit boundaries go wrong: its predicted spans against the gold units, by kind of error.

Usage: python benchmarks/segmentation_errors.py RUN_DIR [RUN_DIR ...] [--json]

Reads ``predictions.jsonl`` of `mining run` records of the segmentation task (with `evaluation=cv` every
document is predicted out of fold; with the official split, the test essays). Each gold unit of a paragraph
counts once, in the first of these kinds that fits it:
- exact: a predicted span has its boundaries (character offsets; spaCy tokens never split an AAEC unit);
- missed: no predicted span overlaps it;
- split: two or more predicted spans overlap it;
- merged: the one predicted span over it also overlaps another gold unit;
- start, end, start+end: one predicted span over it, wrong at that edge; the offset is counted in tokens
  of the text between the two edges (words and punctuation marks, ``re`` ``\\w+|[^\\w\\s]``), negative when
  the prediction starts (ends) earlier than the gold unit.
Predicted spans that overlap no gold unit are counted apart (spurious). Prints counts, shares of the gold
units, and the edge offsets; no corpus text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

TOKEN = re.compile(r"\w+|[^\w\s]")


def offset(text: str, predicted: int, gold: int) -> int:
    """Tokens between the two edges, negative when ``predicted`` comes first."""
    n = len(TOKEN.findall(text[min(predicted, gold):max(predicted, gold)]))
    return -n if predicted < gold else n


def classify(text: str, gold: list[tuple[int, int]], predicted: list[tuple[int, int]]) -> Counter:
    """The kinds of error of one document's gold units, plus spurious predictions and edge offsets."""
    out: Counter = Counter()
    found = set(predicted)
    for g in gold:
        over = [p for p in predicted if p[0] < g[1] and g[0] < p[1]]
        if g in found:
            out["exact"] += 1
        elif not over:
            out["missed"] += 1
        elif len(over) > 1:
            out["split"] += 1
        elif sum(p[0] < over[0][1] and over[0][0] < p[1] for p in gold) > 1:
            out["merged"] += 1
        else:
            p = over[0]
            kind = "+".join(edge for edge, wrong in (("start", p[0] != g[0]), ("end", p[1] != g[1])) if wrong)
            out[kind] += 1
            if p[0] != g[0]:
                out[f"start offset {max(-3, min(3, offset(text, p[0], g[0]))):+d}"] += 1
            if p[1] != g[1]:
                out[f"end offset {max(-3, min(3, offset(text, p[1], g[1]))):+d}"] += 1
    out["spurious"] += sum(not any(p[0] < g[1] and g[0] < p[1] for g in gold) for p in predicted)
    out["gold"] += len(gold)
    out["predicted"] += len(predicted)
    return out


def run_errors(run_dir: Path) -> Counter:
    path = run_dir / "predictions.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path}: no predictions (a `mining run` record of the segmentation task is needed)")
    total: Counter = Counter()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        doc = json.loads(line)
        if "gold_units" not in doc.get("metadata", {}):
            raise SystemExit(f"{path}, line {n}: document {doc.get('id')!r} has no metadata.gold_units: "
                             f"not a segmentation run")
        gold = sorted((u["start"], u["end"]) for u in doc["metadata"]["gold_units"])
        total += classify(doc["text"], gold, sorted((u["start"], u["end"]) for u in doc["units"]))
    return total


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    for run in args.runs:
        counts = run_errors(run)
        if args.json:
            print(json.dumps({"run": str(run), **counts}, sort_keys=True))
            continue
        print(f"{run}: {counts['gold']} gold units, {counts['predicted']} predicted")
        kinds = ("exact", "start", "end", "start+end", "split", "merged", "missed", "spurious")
        for kind in kinds:
            print(f"  {kind:10s} {counts[kind]:6d}  {counts[kind] / counts['gold']:.3f} of the gold units")
        for edge in ("start", "end"):
            offsets = {k.rsplit(' ', 1)[1]: v for k, v in counts.items() if k.startswith(f"{edge} offset")}
            print(f"  {edge} offsets (predicted - gold, tokens, clipped at 3): "
                  + ", ".join(f"{k} {offsets[k]}" for k in sorted(offsets, key=int)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
