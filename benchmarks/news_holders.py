"""Holder rules on the gold units of the news training reports (never the test split): accuracy and the misses.

Usage: python benchmarks/news_holders.py [--sample] [-q]
  --sample  add the sample corpus's news reports (split train-extra)
  -q        print only the accuracy
"""
from __future__ import annotations

import sys

from mining.cli.experiment import compose_experiment, pipeline_of
from mining.corpora import news
from mining.evaluation.holders import holder_matches
from mining.nlp.holders import attribute_holders
from mining.nlp.pipeline import load_pipeline

docs = [d for d in news.load(sample_news="--sample" in sys.argv) if d.split != "test"]
nlp = load_pipeline(pipeline_of(compose_experiment(["experiment=news_miner"]).nlp))  # parsed as news_miner parses
n = ok = 0
for d, p in zip(docs, nlp.pipe([d.text for d in docs])):
    found = attribute_holders(p, [(u.start, u.end) for u in d.units], text=d.text)
    for u, f in zip(d.units, found):
        n += 1
        good = holder_matches(u.holder, f.holder)
        ok += good
        if not good and "-q" not in sys.argv:
            print(f"{d.id} gold={u.holder!r} pred={f.holder!r} speech={u.attributes.get('speech')}/{f.speech} :: {u.text[:70]!r}")
print(f"holder accuracy on gold units of {len(docs)} training docs: {ok}/{n} = {ok/n:.3f}")
