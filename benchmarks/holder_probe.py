"""Holder rules on short passages written for this check, one construction of news attribution each: accuracy and
the misses.

Usage: python benchmarks/holder_probe.py [-q] [--file PROBE]

``benchmarks/holder_probe.txt`` holds one case a line, ``passage || unit || holder`` (``\\n`` between paragraphs; lines
opening with ``#`` name the construction of the cases below them). Each unit is attributed as the labeller attributes
a gold unit (``mining.label.steps.attribute``), with the pipeline ``experiment=news_miner`` parses with, and its holder
compared with ``holder_matches``. The passages are original text, written in two parts: one while holder rules were
written from it (a check, not a measurement), one by a helper who had not read the rules, before they were run on it.
Unlike a fresh news split, the probe names the constructions it covers, so a miss says which one failed.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mining.cli.experiment import compose_experiment, pipeline_of
from mining.evaluation.holders import holder_matches
from mining.label.steps import attribute
from mining.nlp.pipeline import load_pipeline
from mining.schema import Document, Unit

PROBE = Path(__file__).with_name("holder_probe.txt")


def read_cases(path: Path) -> list[tuple[str, str, str, str]]:
    """``(construction, passage, unit, holder)`` per case of ``path``; a ValueError names a malformed line."""
    cases, construction = [], ""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            construction = line.lstrip("# ").strip()
            continue
        fields = line.split(" || ")
        if len(fields) != 3:
            raise ValueError(f"{path}:{n}: expected 'passage || unit || holder', got {len(fields)} fields")
        passage, unit, holder = fields[0].replace("\\n", "\n"), fields[1], fields[2].strip()
        if passage.count(unit) != 1:
            raise ValueError(f"{path}:{n}: the unit {unit!r} occurs {passage.count(unit)} times in its passage, "
                             "not once")
        cases.append((construction, passage, unit, holder))
    return cases


def attribute_cases(cases: list[tuple[str, str, str, str]]) -> list[str]:
    """The holder the rules give each case's unit."""
    docs = []
    for i, (_, passage, unit, _) in enumerate(cases):
        start = passage.index(unit)
        docs.append(Document(id=f"probe-{i}", text=passage,
                             units=[Unit(id="u", start=start, end=start + len(unit), text=unit, label="claim")]))
    nlp = load_pipeline(pipeline_of(compose_experiment(["experiment=news_miner"]).nlp))
    attribute(docs, list(nlp.pipe([d.text for d in docs])))
    return [d.units[0].holder for d in docs]


def main(argv: list[str]) -> None:
    path = Path(argv[argv.index("--file") + 1]) if "--file" in argv else PROBE
    cases = read_cases(path)
    found = attribute_cases(cases)
    ok = 0
    for (construction, passage, _, holder), got in zip(cases, found):
        good = holder_matches(holder, got)
        ok += good
        if not good and "-q" not in argv:
            print(f"[{construction}] want {holder!r} got {got!r} :: {passage[:110]!r}")
    print(f"holder accuracy on the probe's {len(cases)} cases: {ok}/{len(cases)} = {ok / len(cases):.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
