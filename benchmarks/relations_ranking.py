"""Does the second-stage target ranking of `experiment=aaec_relations_ranked` beat the first stage's decoding?
CV on the training essays only.

Usage: python benchmarks/relations_ranking.py --corpus ../shared/corpora/aaec-v2 [--folds 5] [--seed 0] [OVERRIDE ...]

5-fold CV grouped by essay over the 322 training essays of AAEC v2 (the 80 test essays are never read). In
each fold the relation model of `experiment=aaec_relations_ranked` (``mining.models.ranking.TargetRankingClassifier``:
pair features and a logistic regression, then a ranker fitted on the out-of-fold scores of the fold's own
training essays) is fitted once on the other folds, and the held-out pairs are decoded from the ranker's
probabilities and from the first stage's alone (the decoding before the ranker), each source by source and
with one tree per body paragraph (``task.body_paragraph_root``). It prints link vs no-link macro-F1 per fold,
pooled, and the mean and spread over the folds. Overrides (Hydra syntax) change the experiment, e.g.
``model.passthrough=[pair]``. About 15 minutes on 2 cores.
"""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from relations_decoding import experiment_from_args, pair_folds  # this folder's: the same pairs and folds

from mining.cli.experiment import build_part
from mining.experiment import fixed_blas_threads
from mining.nlp.sharing import sharing

ROOT = Path(__file__).resolve().parents[1]


def held_out_scores(cfg, n_splits: int, seed: int) -> tuple:
    """The task and, per fold: gold labels, the labels decoded from the first stage and from the ranker, each source
    by source and with a tree per body paragraph (keyed by ``_name``), and the fit seconds."""
    task, pair_folds_ = pair_folds(cfg, n_splits, seed)
    folds = []
    with fixed_blas_threads():
        for k, (train, train_gold, held, held_gold) in enumerate(pair_folds_):
            _, pipeline = build_part(cfg)
            start = time.perf_counter()
            with sharing():
                pipeline.fit(train, train_gold)
            seconds = time.perf_counter() - start
            model = pipeline.named_steps["model"]
            with sharing():
                ranked = pipeline.predict_proba(held)
                premise = task.source_premise(pipeline, held) if task.source_type_weight else None
                first = model.estimator_.predict_proba(model.features_.transform(held))
            classes = [str(c) for c in model.classes_]
            fold = {"gold": held_gold, "seconds": seconds}
            for trees in (False, True):
                decoding = replace(task, body_paragraph_root=trees)
                for name, proba in (("first stage", first), ("ranked", ranked)):
                    fold[_name(name, trees)] = decoding.decode(held, proba, classes, premise)
            folds.append(fold)
            print(f"fold {k + 1}/{n_splits} fitted in {seconds:.0f} s", flush=True)
    return task, folds


def _name(stage: str, trees: bool) -> str:
    return f"{stage}, {'a tree per body paragraph' if trees else 'source by source'}"


def main() -> None:
    args, cfg = experiment_from_args("aaec_relations_ranked", __doc__.split("\n\n")[0].replace("\n", " "))
    task, folds = held_out_scores(cfg, args.folds, args.seed)
    print("| decoding | link macro-F1, pooled | per fold | mean ± std over folds |\n|---|---|---|---|")
    for name in [_name(n, trees) for trees in (False, True) for n in ("first stage", "ranked")]:
        per_fold = [task.extra_scores([], f["gold"], f[name])["link.macro_f1"] for f in folds]
        pooled = task.extra_scores([], [g for f in folds for g in f["gold"]],
                                   [p for f in folds for p in f[name]])["link.macro_f1"]
        print(f"| {name} | {pooled:.4f} | {' '.join(f'{x:.3f}' for x in per_fold)} | "
              f"{np.mean(per_fold):.4f} ± {np.std(per_fold):.4f} |")
    seconds = " ".join(f"{f['seconds']:.0f}" for f in folds)
    print(f"fit seconds per fold: {seconds}")


if __name__ == "__main__":
    main()
