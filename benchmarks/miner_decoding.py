"""The miner's component step decoded with one claim per body paragraph or independently, and its relation step
with or without one tree per body paragraph, end to end, by CV on the training essays only.

Usage: python benchmarks/miner_decoding.py --corpus ../shared/corpora/aaec-v2 [OVERRIDES ...] [--folds 5] [--only 0 1]
       [--unit-allowances 0 0.25 0.5]

5-fold CV grouped by essay over the 322 training essays of AAEC v2 (the 80 test essays are never read).
In each fold the `experiment=miner` bundle is fitted on the other folds once, and the held-out essays'
raw text is labelled six times from the one fitted component step: each unit typed on its own (its
type classifier's argmax), decoded by `mining.models.decoding.BodyParagraphClassifier` (one claim per body
paragraph; units the step rejects as `none` keep it), and by it with `edge_label="major_claim"` (one major
claim in the first and in the last paragraph too); each of these with the relation step decoded source by
source and with one tree per body paragraph (``body_paragraph_root`` off and on; nothing refitted); with
``--unit-allowances``, also decoded as adopted (one claim and one tree per body paragraph) with each allowance of the
component task (a span rejected as ``none`` by less is kept; nothing refitted). Prints, for
each way, end-to-end components and relations F1 exact and at 50% (ours and Eger et al.'s) per fold and their mean
over the scored folds.
About 4-5 minutes per fold on 2 cores.
"""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import product
from pathlib import Path

import numpy as np

from mining.cli.experiment import build_part, compose_experiment, load_documents, pipeline_of
from mining.evaluation.splits import Fold, GroupedCV
from mining.experiment import fixed_blas_threads, run_subtasks
from mining.label.end_to_end import evaluate_end_to_end
from mining.label.miner import ArgumentMiner
from mining.models.decoding import BodyParagraphClassifier
from mining.nlp.cache import parse_documents

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("components.exact.f1", "components.overlap50.f1", "relations.exact.f1", "relations.overlap50.f1",
        "components.eger.exact.micro_f1", "relations.eger.exact.micro_f1")


@dataclass
class OneFold:
    """One given fold, as an evaluation that `run_subtasks` takes."""

    fold: Fold
    resample: str | None = None
    prefix: str = "dev"

    def folds(self, docs, seed: int) -> Iterator[Fold]:
        yield self.fold


def decodings(model) -> dict:
    """The component step's fitted type classifier each way, nothing refitted: ``{way: classifier}``.

    Whether the config's classifier is a fitted ``BodyParagraphClassifier`` or not, the decoders are put
    around the type classifier itself."""
    classifier = model.steps[-1][1].estimator_
    if isinstance(classifier, BodyParagraphClassifier):
        classifier = classifier.estimator_
    ways = {"independent": classifier}
    for way, edge_label in (("one claim per body paragraph", None),
                            ("+ one major claim per edge paragraph", "major_claim")):
        decoder = BodyParagraphClassifier(estimator=classifier, edge_label=edge_label)
        decoder.estimator_, decoder.classes_ = classifier, np.asarray(classifier.classes_)
        ways[way] = decoder
    return ways


def _record(totals: dict[str, dict[str, list[float]]], fold: int, way: str, scores: dict[str, float]) -> None:
    for key in KEYS:
        totals.setdefault(way, {}).setdefault(key, []).append(scores[key])
    print(f"fold {fold} {way}: " + " ".join(f"{key} {scores[key]:.4f}" for key in KEYS), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, help="the AAEC v2 folder")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", type=int, nargs="*", help="score only these folds (0-based)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", default=str(ROOT / ".cache" / "mining"), help="the parse cache")
    parser.add_argument("--unit-allowances", type=float, nargs="*", default=[],
                        help="also label with the adopted decoding (one claim and one tree per body paragraph) and "
                             "each of these components.task.unit_allowance values (nothing refitted)")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides of experiment=miner, e.g. "
                                                      "subtasks.segmentation.model.split_threshold=0.6")
    args = parser.parse_args()
    cfg = compose_experiment(["experiment=miner", f"data.path={args.corpus}", f"paths.cache_dir={args.cache_dir}",
                              f"seed={args.seed}", *args.overrides])
    docs = [d for d in load_documents(cfg.data) if d.split == "train"]
    info = pipeline_of(cfg.nlp)
    parsed, _ = parse_documents(docs, info, cache_dir=cfg.paths.cache_dir, progress=False)
    totals: dict[str, dict[str, list[float]]] = {}
    for k, fold in enumerate(GroupedCV(n_splits=args.folds).folds(docs, seed=args.seed)):
        if args.only is not None and k not in args.only:
            continue
        with fixed_blas_threads():
            subtasks = {name: build_part(part) for name, part in cfg.subtasks.items()}
            result = run_subtasks(docs=docs, parsed=parsed, subtasks=subtasks, evaluation=OneFold(fold), seed=cfg.seed)
            rejecting = result.model["components"].steps[-1][1]
            relations = result.task["relations"]
            relation_tasks = {trees: replace(relations, body_paragraph_root=trees) for trees in (False, True)}
            classifiers = decodings(result.model["components"])
            for (component_way, classifier), trees in product(classifiers.items(), relation_tasks):
                rejecting.estimator_ = classifier
                way = f"{component_way}, {'a tree per body paragraph' if trees else 'relations source by source'}"
                tasks = {**result.task, "relations": relation_tasks[trees]}
                miner = ArgumentMiner(tasks=tasks, models=result.model, pipeline=info, sources={},
                                      domain=cfg.get("domain"))
                scores, _ = evaluate_end_to_end(miner, docs, parsed, fold.test)
                _record(totals, k, way, scores)
            rejecting.estimator_ = classifiers["one claim per body paragraph"]
            for allowance in args.unit_allowances:
                components = replace(result.task["components"], unit_allowance=allowance)
                tasks = {**result.task, "components": components, "relations": relation_tasks[True]}
                miner = ArgumentMiner(tasks=tasks, models=result.model, pipeline=info, sources={},
                                      domain=cfg.get("domain"))
                scores, _ = evaluate_end_to_end(miner, docs, parsed, fold.test)
                _record(totals, k, f"adopted, unit_allowance {allowance}", scores)
    for way, scores in totals.items():
        print(f"{way} (mean over folds): " + " ".join(f"{key} {sum(v) / len(v):.4f}" for key, v in scores.items()))


if __name__ == "__main__":
    main()
