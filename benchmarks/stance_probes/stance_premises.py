"""Probe (issue 19, fifth round): stance fitted on the claims and on premises whose stance toward the thesis follows
from the relations (a support keeps the claim's stance, an attack flips it), scored on the claims only.

Usage: MINING_CORPORA=../shared/corpora python benchmarks/stance_probes/stance_premises.py [REPEATS]
Prints each fold's macro-F1 per setting, then the means and the paired differences to claims alone.
"""
import shlex
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from hydra.utils import instantiate
from sklearn.base import clone

from mining.cli.experiment import build_part, compose_experiment, load_documents
from mining.experiment import fixed_blas_threads, fold_scores
from mining.instances.units import build_unit_instances
from mining.nlp.cache import parse_documents
from mining.nlp.pipeline import find_pipeline
from mining.nlp.sharing import sharing

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from paired_cv import paired  # noqa: E402

FLIP = {"for": "against", "against": "for"}
VARIANTS = {"w1": (1.0, 99), "w03": (0.3, 99), "w01": (0.1, 99), "direct1": (1.0, 1), "direct03": (0.3, 1)}


def derived(doc):
    """premise id -> (its stance toward the thesis, how many relations lead to its claim or major claim)."""
    units = {u.id: u for u in doc.units}
    out_rel = {r.source: r for r in doc.relations}
    res = {}
    for u in doc.units:
        if u.label != "premise":
            continue
        cur, flips, seen = u.id, 0, set()
        while cur in out_rel and cur not in seen:
            seen.add(cur)
            r = out_rel[cur]
            flips += r.label == "attack"
            cur = r.target
            t = units[cur]
            if t.label == "claim" and t.stance is not None:
                res[u.id] = (FLIP[t.stance] if flips % 2 else t.stance, len(seen))
                break
            if t.label == "major_claim":
                res[u.id] = ("against" if flips % 2 else "for", len(seen))
                break
    return res


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cfg = compose_experiment(shlex.split("experiment=aaec_stance evaluation=cv evaluation.split=train "
                                         f"evaluation.n_repeats={repeats} nlp.exclude=[ner]"))
    evaluation = instantiate(cfg.evaluation, _convert_="all")
    docs = load_documents(cfg.data)
    info = find_pipeline(list(cfg.nlp.packages), exclude=list(cfg.nlp.exclude))
    parsed, _ = parse_documents(docs, info, cache_dir=cfg.paths.cache_dir, progress=False)
    folds = list(evaluation.folds(docs, cfg.seed))
    task, estimator = build_part(cfg)
    instances = task.build_instances(docs, parsed)
    gold = np.asarray(task.gold_labels(instances), dtype=object)
    doc_of = np.array([i.document.id for i in instances], dtype=object)
    extra, extra_y, extra_depth, extra_doc = [], [], [], []
    for d, p in zip(docs, parsed):
        found = derived(d)
        for inst in build_unit_instances(d, p):
            if inst.unit.id in found:
                extra.append(inst)
                extra_y.append(found[inst.unit.id][0])
                extra_depth.append(found[inst.unit.id][1])
                extra_doc.append(d.id)
    extra_y, extra_depth = np.asarray(extra_y, dtype=object), np.array(extra_depth)
    extra_doc = np.array(extra_doc, dtype=object)
    train_docs = {d.id for d in docs if d.split == "train"}
    print("premises of the training essays", Counter(extra_y[np.isin(extra_doc, list(train_docs))]), flush=True)
    last = estimator.steps[-1][0]
    scores = {name: [] for name in ["base", *VARIANTS]}
    with fixed_blas_threads():
        for k, fold in enumerate(folds):
            train = np.flatnonzero(np.isin(doc_of, list(fold.train)))
            test = np.flatnonzero(np.isin(doc_of, list(fold.test)))
            held = [instances[i] for i in test]
            for name in scores:
                X, y, w = [instances[i] for i in train], list(gold[train]), [1.0] * len(train)
                if name != "base":
                    weight, depth = VARIANTS[name]
                    ex = np.flatnonzero(np.isin(extra_doc, list(fold.train)) & (extra_depth <= depth))
                    X, y, w = X + [extra[i] for i in ex], y + list(extra_y[ex]), w + [weight] * len(ex)
                model = clone(estimator)
                with sharing():
                    model.fit(X, y, **{f"{last}__sample_weight": np.array(w)})
                with sharing():
                    predicted = task.predict(model, held)
                scores[name].append(float(fold_scores(task, held, list(gold[test]), predicted)["macro_f1"]))
            print(k, " ".join(f"{n}={v[-1]:.4f}" for n, v in scores.items()), flush=True)
    base = np.array(scores["base"])
    for name, values in scores.items():
        values = np.array(values)
        line = f"{name}: {values.mean():.4f} ± {values.std():.4f}"
        if name != "base":
            p = paired(base, values, evaluation.n_splits)
            line += f"; diff {p['mean']:+.4f} won {p['won']} lost {p['lost']}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
