"""Holder rules on the gold units of the news training reports (never the test split): accuracy and the misses.

Usage: python benchmarks/news_holders.py [--sample] [-q]
  --sample  add the sample corpus's news reports (split train-extra)
  -q        print only the accuracy
"""
from __future__ import annotations

import dataclasses
import sys

from mining.cli.experiment import compose_experiment, pipeline_of
from mining.corpora import news
from mining.evaluation.holders import holder_matches
from mining.label.steps import attribute
from mining.nlp.pipeline import load_pipeline

docs = [d for d in news.load(sample_news="--sample" in sys.argv) if d.split != "test"]
nlp = load_pipeline(pipeline_of(compose_experiment(["experiment=news_miner"]).nlp))  # parsed as news_miner parses
# The gold units without their holders, named as the labeller names them (its attribute step: a unit of several
# fragments takes the holder of its first fragment held by a party, "A, she said, B").
found = [d.unlabelled(units=[dataclasses.replace(u, holder=None, attributes={}) for u in d.units]) for d in docs]
attribute(found, list(nlp.pipe([d.text for d in docs])))
n = ok = 0
for d, f in zip(docs, found):
    for u, p in zip(d.units, f.units):
        n += 1
        good = holder_matches(u.holder, p.holder)
        ok += good
        if not good and "-q" not in sys.argv:
            print(f"{d.id} gold={u.holder!r} pred={p.holder!r} speech={u.attributes.get('speech')}/"
                  f"{p.attributes.get('speech')} :: {u.text[:70]!r}")
print(f"holder accuracy on gold units of {len(docs)} training docs: {ok}/{n} = {ok/n:.3f}")
