"""Component types decoded with one claim per body paragraph or independently, by CV on the training essays only.

Usage: python benchmarks/components_decoding.py --corpus ../shared/corpora/aaec-v2 [--experiment aaec_components_joint]

5-fold CV grouped by essay over the 322 training essays of AAEC v2 (the 80 test essays are never read):
in each fold the type classifier of the experiment (the one inside the decoder of
`aaec_components_joint`, or the whole model of `aaec_components`) is fitted on the other folds once, and
its scores on the held-out fold are decoded three ways: each unit on its own (argmax), by
`mining.models.decoding.BodyParagraphClassifier`, and by it with `edge_label="major_claim"` (one major claim
in the first and in the last paragraph too). Prints macro-F1 pooled over the folds and per fold.
About 2 minutes for `aaec_components`, 15 for `aaec_components_joint`, on 2 cores.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from mining.cli.experiment import build_part, compose_experiment, load_documents, pipeline_of
from mining.evaluation.splits import GroupedCV
from mining.experiment import fixed_blas_threads
from mining.models.decoding import BodyParagraphClassifier
from mining.nlp.cache import parse_documents

ROOT = Path(__file__).resolve().parents[1]


def decoding(model) -> BodyParagraphClassifier:
    """The experiment's decoder (`aaec_components_joint`), or its classifier put inside one (`aaec_components`)."""
    final = model.steps[-1][1]
    return final if isinstance(final, BodyParagraphClassifier) else BodyParagraphClassifier(estimator=model)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, help="the AAEC v2 folder")
    parser.add_argument("--experiment", default="aaec_components_joint",
                        choices=["aaec_components", "aaec_components_joint"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", default=str(ROOT / ".cache" / "mining"), help="the parse cache")
    args = parser.parse_args()
    cfg = compose_experiment([f"experiment={args.experiment}", f"data.path={args.corpus}",
                              f"paths.cache_dir={args.cache_dir}", f"seed={args.seed}"])
    docs = [d for d in load_documents(cfg.data) if d.split == "train"]
    parsed, _ = parse_documents(docs, pipeline_of(cfg.nlp),
                                cache_dir=cfg.paths.cache_dir, progress=False)
    task, _ = build_part(cfg)
    units = task.build_instances(docs, parsed)
    gold = np.array(task.gold_labels(units), dtype=object)
    doc_of = np.array([u.document.id for u in units])
    ways = {"independent": None, "one claim per body paragraph": None,
            "+ one major claim per edge paragraph": "major_claim"}
    scored = {name: [] for name in ways}
    predicted = {name: np.empty(len(units), dtype=object) for name in scored}
    with fixed_blas_threads():
        for fold in GroupedCV(n_splits=5).folds(docs, seed=args.seed):
            train = np.flatnonzero(np.isin(doc_of, list(fold.train)))
            test = np.flatnonzero(np.isin(doc_of, list(fold.test)))
            decoder = decoding(build_part(cfg)[1]).fit([units[i] for i in train], list(gold[train]))
            held = [units[i] for i in test]
            for name, edge_label in ways.items():
                way = decoder.estimator_ if name == "independent" else decoder.set_params(edge_label=edge_label)
                predicted[name][test] = way.predict(held)
            for name in scored:
                scored[name].append(f1_score(list(gold[test]), list(predicted[name][test]), average="macro"))
    for name in scored:
        per_fold = " ".join(f"{x:.3f}" for x in scored[name])
        print(f"{args.experiment} {name}: macro-F1 {f1_score(list(gold), list(predicted[name]), average='macro'):.4f} "
              f"pooled [{per_fold}]")


if __name__ == "__main__":
    main()
