"""How much the source's predicted type should weigh in AAEC link decoding, by CV on the training essays only.

Usage: python benchmarks/relations_decoding.py --corpus ../shared/corpora/aaec-v2 [--folds 5] [--seed 0] [OVERRIDE ...]

5-fold CV grouped by essay over the 322 training essays of AAEC v2 (the 80 test essays are never read):
in each fold the relation model of `experiment=aaec_relations` is fitted on the other folds, and its pair
probabilities and the source's stacked type scores on the held-out fold are kept. Each decoding of
`mining.tasks.relations.RelationTask` (one target per source; the source's P(premise) weighted by
``source_type_weight``; ``link_threshold``) then labels the held-out pairs from these, with no refit, and
the script prints link vs no-link macro-F1, pooled over the folds and per fold. Each decoding is source by
source: the experiment's ``task.body_paragraph_root`` and other ``task`` overrides are not read
(benchmarks/relations_ranking.py decodes with and without it). About 20 minutes on 2 cores.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from mining.cli.experiment import build_part, compose_experiment, load_documents, pipeline_of
from mining.evaluation.splits import GroupedCV
from mining.experiment import fixed_blas_threads
from mining.nlp.cache import parse_documents

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = (0.0, 0.5, 1.0, 2.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def pair_folds(cfg, n_splits: int, seed: int):
    """The relation task of ``cfg`` and, per fold of the training essays (grouped by essay), its training
    pairs, their gold labels, the held-out pairs and theirs: ``(task, [(train, train_gold, held, held_gold)])``."""
    docs = [d for d in load_documents(cfg.data) if d.split == "train"]
    info = pipeline_of(cfg.nlp)
    parsed, _ = parse_documents(docs, info, cache_dir=cfg.paths.cache_dir, progress=False)
    task, _ = build_part(cfg)
    pairs = task.build_instances(docs, parsed)
    gold = task.gold_labels(pairs)
    doc_of = np.array([p.document.id for p in pairs])
    folds = []
    for fold in GroupedCV(n_splits=n_splits).folds(docs, seed=seed):
        train = np.flatnonzero(np.isin(doc_of, list(fold.train)))
        test = np.flatnonzero(np.isin(doc_of, list(fold.test)))
        folds.append(([pairs[i] for i in train], [gold[i] for i in train], [pairs[i] for i in test],
                      [gold[i] for i in test]))
    return task, folds


def out_of_fold(cfg, n_splits: int, seed: int):
    """Held-out pairs, their gold labels, class probabilities, P(source is a premise) and fold, per fold."""
    task, folds = pair_folds(cfg, n_splits, seed)
    scored = []
    with fixed_blas_threads():
        for k, (train, train_gold, held, held_gold) in enumerate(folds):
            _, model = build_part(cfg)
            model.fit(train, train_gold)
            scored.append((held, held_gold, model.predict_proba(held), [str(c) for c in model.classes_],
                           task.source_premise(model, held)))
            print(f"fold {k + 1}/{n_splits} fitted", flush=True)
    return task, scored


def experiment_from_args(experiment: str, description: str):
    """``--corpus``, ``--folds``, ``--seed``, ``--cache-dir`` and Hydra overrides from the command line, and
    ``experiment`` composed with them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpus", required=True, help="the AAEC v2 folder")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", default=str(ROOT / ".cache" / "mining"), help="the parse cache")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides of the experiment, e.g. model.passthrough=[pair]")
    args = parser.parse_args()
    return args, compose_experiment([f"experiment={experiment}", f"data.path={args.corpus}",
                                     f"paths.cache_dir={args.cache_dir}", f"seed={args.seed}", *args.overrides])


def main() -> None:
    args, cfg = experiment_from_args("aaec_relations", __doc__.splitlines()[0])
    task, folds = out_of_fold(cfg, args.folds, args.seed)
    print("| source_type_weight | link_threshold | link macro-F1, pooled | per fold |\n|---|---|---|---|")
    for weight in WEIGHTS:
        for threshold in THRESHOLDS:
            decoding = type(task)(one_target_per_source=True, link_threshold=threshold, source_type_weight=weight)
            gold, predicted, per_fold = [], [], []
            for held, fold_gold, proba, classes, premise in folds:
                labels = decoding.decode(held, proba, classes, premise)
                gold += fold_gold
                predicted += labels
                per_fold.append(f"{task.extra_scores([], fold_gold, labels)['link.macro_f1']:.3f}")
            print(f"| {weight} | {threshold} | {task.extra_scores([], gold, predicted)['link.macro_f1']:.4f} "
                  f"| {' '.join(per_fold)} |")


if __name__ == "__main__":
    main()
