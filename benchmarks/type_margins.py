"""How near each unit of a text is to the other type, and each party's side: the figures quoted for the seed article.

Usage: python benchmarks/type_margins.py FILE [--model RUN_DIR] [--topic "X should ..."]

Labels FILE as `mining label` does and prints, per unit typed claim or premise, its claim margin (the type model's
claim score less its premise score, what `claim_allowance` and `party_claim` read in mining/label/steps.py) and the
label it ends with; then, with a topic and a holder-sides stance model, each party's mean side score (above 0: for)
and the scores it is the mean of. With no ``--model``, the default model. The figures are read by wrapping the two
steps that use them, so the labelling itself is unchanged.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from mining.label import steps
from mining.label.bundle import default_model
from mining.label.miner import ArgumentMiner
from mining.models.sides import HolderSideClassifier


def margins_and_sides(miner: ArgumentMiner, text: str, topic: str | None = None):
    """The labelled document, each unit's claim margin (by unit id) and each party's side score and unit scores."""
    margins: dict[str, float] = {}
    sides: dict[str, tuple[float, list[float]]] = {}
    prefer, party_scores = steps.prefer_claims, HolderSideClassifier._party_scores

    def read_margins(docs, found, allowance):
        margins.update({u.id: found[id(u)] for d in docs for u in d.units if id(u) in found})
        return prefer(docs, found, allowance)

    def read_sides(self, X, scores, groups):
        means = party_scores(self, X, scores, groups)
        sides.update({key[1]: (mean, [float(scores[i]) for i in groups[key]]) for key, mean in means.items()})
        return means

    steps.prefer_claims, HolderSideClassifier._party_scores = read_margins, read_sides
    try:
        doc = miner(text, topic=topic)
    finally:
        steps.prefer_claims, HolderSideClassifier._party_scores = prefer, party_scores
    return doc, margins, sides


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--model", type=Path, help="a run directory (default: the default model)")
    parser.add_argument("--topic")
    args = parser.parse_args()
    miner = ArgumentMiner.from_run(args.model or default_model())
    doc, margins, sides = margins_and_sides(miner, args.file.read_text(encoding="utf-8"), args.topic)
    for unit in doc.units:
        margin = f"{margins[unit.id]:+.3f}" if unit.id in margins else "     -"
        print(f"{unit.id:>4}  {margin}  {unit.label:<8} {unit.holder}: {unit.text[:80]}")
    for party, (mean, scores) in sides.items():
        print(f"side  {mean:+.3f}  {party}  ({', '.join(f'{s:+.2f}' for s in scores)})")


if __name__ == "__main__":
    main()
