"""End-to-end scores by CV over a corpus's training documents: the labelling bundle of an experiment fitted on
k-1 folds labels the raw text of the k-th, and every training document is labelled once, out of fold.

Usage:
  MINING_CORPORA=../shared/corpora python benchmarks/end_to_end_cv.py --base "experiment=news_miner" \
      [--variant NAME="OVERRIDES" ...] [--folds 5] [--out DIR] [--by-lead] [--fold-seed N]

`mining run experiment=news_miner` scores end to end (raw text in; units, types, holders and stances out)
only on the test split, which no setting may be tuned on; `evaluation=cv` scores each step on gold input.
This script gives the end-to-end measures for choosing settings: the documents of the split `train` are
folded by document (`--folds`, seeded by the base's seed), documents of `evaluation.train_split`'s other
splits (news: the sample's reports, `train-extra`) train in every fold and are never scored, and every
other document (the test split) is left out before anything is fitted. The base must use the official
split (`evaluation=official`, as `news_miner` does); a variant may change what is fitted, not the data,
parse, folds or seed (refused as in `paired_cv.py`). Each fold is fitted as `mining run` fits the bundle (its
`fit_and_score`) and labelled as `mining run ... end_to_end=true` labels the test split. It prints, for each setting,
the measures pooled over all out-of-fold documents (`mining.evaluation.documents.compare_documents`) and per fold; for a
variant, the per-fold differences to the base (mean, folds won / lost). With `--out DIR`, each setting's labelled
documents go to DIR/NAME.jsonl, for `mining evaluate-labels` or `benchmarks/segmentation_errors.py`.
With `--by-lead`, the measures are printed again for two groups of reports (`news_leads.py`): those led by a party for
the measure their topic names and those led by one against it, pooled over the folds; and per fold, the mean of the
two groups' stance macro-F1 ("stance, lead-balanced", compared with the base's like the other measures), the
criterion news stance settings are chosen on. `--fold-seed` folds the documents with another seed than the base's
(a second look at the same settings on other folds).
"""
from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np
from hydra.utils import instantiate
from news_leads import lead_balanced_stance, scores_by_lead, topic_words  # this folder's
from paired_cv import check_variants, settings_of  # this folder's: the same --base / --variant rules

from mining.cli.experiment import compose_experiment, fit_and_score, load_documents, pipeline_of
from mining.corpora.jsonl import write_documents
from mining.evaluation.documents import compare_documents
from mining.evaluation.splits import OfficialSplit, document_folds
from mining.experiment import Timer, fixed_blas_threads
from mining.label.end_to_end import evaluate_end_to_end
from mining.label.miner import ArgumentMiner
from mining.nlp.cache import parse_documents

MEASURES = {"detection": "units.cover50.f1", "claim/premise": "found.labels.macro_f1",
            "holders": "found.holder.accuracy", "stance": "found.stance.macro_f1"}


def extra_splits(cfg) -> list[str]:
    """The splits besides ``train`` that ``cfg``'s official split trains on (news: ``train-extra``)."""
    target = cfg.evaluation.get("_target_")
    if target != f"{OfficialSplit.__module__}.{OfficialSplit.__qualname__}":
        raise SystemExit(f"--base: evaluation is {target}; the folds are made here from the training documents "
                         "of the official split (evaluation=official, as in news_miner)")
    return [s for s in instantiate(cfg.evaluation, _convert_="all").train_splits if s != "train"]


def labelled_out_of_fold(cfg, docs, parsed, info, n_splits: int, seed: int) -> list[list]:
    """Per fold, the fold's training documents labelled by a bundle fitted on the other folds and on the extra
    training splits; no other document is seen."""
    extra = extra_splits(cfg)
    kept = [(d, p) for d, p in zip(docs, parsed) if d.split in ("train", *extra)]
    train = [d.id for d, _ in kept if d.split == "train"]
    kept_parsed = [p for _, p in kept]
    out = []
    for k, (_, test) in enumerate(document_folds(n_splits, train, seed).split(train, groups=train)):
        held = {train[i] for i in test}
        fold_docs = [dataclasses.replace(d, split="test" if d.id in held else d.split) for d, _ in kept]
        result = fit_and_score(cfg, fold_docs, kept_parsed, OfficialSplit(["train", *extra], "test"), Timer())
        miner = ArgumentMiner(tasks=result.task, models=result.model, pipeline=info, domain=cfg.get("domain"))
        _, labelled = evaluate_end_to_end(miner, fold_docs, kept_parsed, held)
        out.append(labelled)
        print(f"  fold {k}: {len(held)} documents", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="`mining run` overrides of the base setting, one string")
    parser.add_argument("--variant", action="append", default=[], help="NAME=OVERRIDES added to the base's")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, help="a new directory for each setting's labelled documents")
    parser.add_argument("--by-lead", action="store_true",
                        help="also score the reports led by a party for their topic and those led against it apart")
    parser.add_argument("--fold-seed", type=int, help="fold with this seed instead of the base's")
    args = parser.parse_args()
    settings = settings_of(args.base, args.variant)
    cfgs = {name: compose_experiment(overrides) for name, overrides in settings.items()}
    check_variants(cfgs)
    base = cfgs["base"]
    extra_splits(base)  # refuses a base without an official split before anything is parsed
    if args.out:
        try:
            args.out.mkdir(parents=True)  # never into an existing directory: nothing written before is lost
        except FileExistsError:
            raise SystemExit(f"--out {args.out}: already exists; give a new directory") from None
    docs = load_documents(base.data)
    info = pipeline_of(base.nlp)
    parsed, _ = parse_documents(docs, info, cache_dir=base.paths.cache_dir, progress=False)
    gold = {d.id: d for d in docs}
    per_fold = {}
    seed = base.seed if args.fold_seed is None else args.fold_seed
    words = topic_words(base) if args.by_lead else None  # refuses a base whose topics cannot be read before any fit
    with fixed_blas_threads():
        for name, cfg in cfgs.items():
            print(f"{name}: {' '.join(settings[name])}", flush=True)
            folds = labelled_out_of_fold(cfg, docs, parsed, info, args.folds, seed)
            pooled = compare_documents([gold[d.id] for f in folds for d in f], [d for f in folds for d in f])
            scores = [compare_documents([gold[d.id] for d in f], f) for f in folds]  # once per fold
            per_fold[name] = {m: np.array([s[key] for s in scores]) for m, key in MEASURES.items()}
            if args.by_lead:
                per_fold[name]["stance, lead-balanced"] = np.array([lead_balanced_stance(gold, f, words)
                                                                    for f in folds])
            print("  pooled: " + ", ".join(f"{m} {pooled[key]:.4f}" for m, key in MEASURES.items())
                  + f" (detection P {pooled['units.cover50.precision']:.4f} R {pooled['units.cover50.recall']:.4f})")
            for m, values in per_fold[name].items():
                line = f"  {m} per fold: {' '.join(f'{v:.4f}' for v in values)}"
                if name != "base":
                    d = values - per_fold["base"][m]
                    line += f"; diff {d.mean():+.4f}, won {(d > 0).sum()} lost {(d < 0).sum()}"
                print(line, flush=True)
            if args.by_lead:
                _print_by_lead(words, gold, [d for f in folds for d in f])
            if args.out:
                with open(args.out / f"{name}.jsonl", "x", encoding="utf-8") as out:
                    write_documents([d for f in folds for d in f], out)


def _print_by_lead(words, gold: dict, labelled: list) -> None:
    """The pooled measures of the reports led by a party for their topic's measure and of those led against it."""
    for lead, (n, scores) in scores_by_lead(gold, labelled, words).items():
        print(f"  led {lead} ({n} reports): " + ", ".join(f"{m} {scores[key]:.4f}" for m, key in MEASURES.items()),
              flush=True)


if __name__ == "__main__":
    main()
