"""Settings of one experiment compared fold by fold on the same CV folds: mean, spread and the paired difference.

Usage:
  MINING_CORPORA=../shared/corpora python benchmarks/paired_cv.py \
      --base "experiment=aaec_stance evaluation=cv evaluation.split=train evaluation.n_repeats=10 nlp.exclude=[]" \
      --variant c10="model.C=10" --variant stance="features=stance" [--out folds.json]

`mining run ... evaluation=cv` records the mean and spread over the folds, not each fold's score, so two
runs cannot be paired from their records. This script composes the base overrides (and the base plus each
variant's) as `mining run` would, folds the documents once with the base's evaluation (the same seed gives
the same folds as `mining run`), builds the base task's instances once, and fits and scores every setting on
each fold with `mining.experiment.TaskData.fold_metric`, as `mining.experiment.run_experiment` does, without
its final refit: each setting's mean and std over the folds equal those of the `mining run` of the same
overrides. A variant may change what is fitted (features, model), not the task, data, nlp, evaluation or
seed, which the base sets for every setting: such a variant is refused. For each variant it prints the paired difference
to the base (mean, std over folds, folds won / lost / tied) and two 95% intervals of its mean: the plain t interval over
the folds, which takes the folds as independent, and the one corrected for the training documents that repeated CV folds
share (Nadeau & Bengio 2003, variance x (1/n + n_test/n_train)), which does not. The CV folds train on (k-1)/k of the
documents, so n_test/n_train = 1/(k-1).
"""
from __future__ import annotations

import argparse
import json
import shlex

import numpy as np
from hydra.utils import instantiate
from omegaconf import OmegaConf
from scipy import stats

from mining.cli.experiment import build_part, compose_experiment, load_documents, pipeline_of
from mining.errors import UsageError
from mining.experiment import TaskData, Timer, fixed_blas_threads
from mining.nlp.cache import parse_documents


def paired(base: np.ndarray, other: np.ndarray, n_splits: int) -> dict[str, float]:
    """The paired difference ``other - base`` over folds and its two 95% intervals (see the module docstring)."""
    d = other - base
    n, sd = len(d), float(d.std(ddof=1))
    t = float(stats.t.ppf(0.975, n - 1))
    plain, corrected = t * sd / np.sqrt(n), t * sd * np.sqrt(1 / n + 1 / (n_splits - 1))
    return {"mean": float(d.mean()), "std": sd, "won": int((d > 0).sum()), "lost": int((d < 0).sum()),
            "tied": int((d == 0).sum()), "plain": (d.mean() - plain, d.mean() + plain),
            "corrected": (d.mean() - corrected, d.mean() + corrected)}


# What the instances, folds and scores come from: the base's. A variant may change only what is fitted.
SHARED = ("task", "data", "nlp", "evaluation", "seed")


def check_variants(cfgs: dict) -> None:
    """Refuse a variant that changes what the base's instances, folds or scores come from (:data:`SHARED`)."""
    for name, cfg in cfgs.items():
        changed = [key for key in SHARED if _resolved(cfg, key) != _resolved(cfgs["base"], key)]
        if changed:
            raise SystemExit(f"--variant {name}: changes {', '.join(changed)}, which the base sets for every "
                             "setting (its instances, folds and scores); put such overrides in --base")


def settings_of(base: str, variants: list[str]) -> dict[str, list[str]]:
    """``{name: overrides}`` of ``--base`` (named ``base``) and of each ``--variant NAME=OVERRIDES`` (the base's
    overrides and its own); a variant without a name, named ``base`` or named twice is refused."""
    settings = {"base": shlex.split(base)}
    for variant in variants:
        name, equals, overrides = variant.partition("=")
        if not equals or not name or name in settings:
            raise SystemExit(f"--variant {variant!r}: expected NAME=OVERRIDES with a new NAME other than 'base'")
        settings[name] = settings["base"] + shlex.split(overrides)
    return settings


def _resolved(cfg, key: str):
    value = cfg.get(key)
    return OmegaConf.to_container(value, resolve=True) if OmegaConf.is_config(value) else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="`mining run` overrides of the base setting, one string")
    parser.add_argument("--variant", action="append", default=[], help="NAME=OVERRIDES added to the base's")
    parser.add_argument("--metric", default="macro_f1", help="a per-fold score of the task")
    parser.add_argument("--out", help="write every setting's per-fold scores to this JSON file")
    args = parser.parse_args()
    settings = settings_of(args.base, args.variant)
    cfgs = {name: compose_experiment(overrides) for name, overrides in settings.items()}
    check_variants(cfgs)
    base = cfgs["base"]
    evaluation = instantiate(base.evaluation, _convert_="all")
    if getattr(evaluation, "resample", None) or not hasattr(evaluation, "n_splits"):
        raise SystemExit("--base must set a grouped CV without resampling (evaluation=cv)")
    docs = load_documents(base.data)
    parsed, _ = parse_documents(docs, pipeline_of(base.nlp),
                                cache_dir=base.paths.cache_dir, progress=False)
    folds = list(evaluation.folds(docs, base.seed))
    data = TaskData.build(build_part(base)[0], docs, parsed, Timer())
    scores = {}
    with fixed_blas_threads():
        for name, cfg in cfgs.items():
            print(f"{name}: {' '.join(settings[name])}", flush=True)
            try:
                values = data.fold_metric(build_part(cfg)[1], folds, args.metric, None, base.seed, Timer(),
                                          source="--metric")
            except UsageError as error:  # a --metric the task does not score: one line, no traceback
                raise SystemExit(str(error)) from None
            print(f"  {args.metric} per fold: {' '.join(f'{v:.4f}' for v in values)}", flush=True)
            scores[name] = np.array(values)
    print(f"{len(folds)} folds ({evaluation.n_splits}-fold, {len(folds) // evaluation.n_splits} repeats, "
          f"seed {base.seed}), {args.metric}:")
    for name, values in scores.items():
        line = f"{name}: {values.mean():.4f} ± {values.std():.4f}"
        if name != "base":
            p = paired(scores["base"], values, evaluation.n_splits)
            line += (f"; paired diff {p['mean']:+.4f}, std {p['std']:.4f}, won {p['won']} lost {p['lost']} tied "
                     f"{p['tied']}; 95% plain [{p['plain'][0]:+.4f}, {p['plain'][1]:+.4f}], corrected "
                     f"[{p['corrected'][0]:+.4f}, {p['corrected'][1]:+.4f}]")
        print(line)
    if args.out:
        with open(args.out, "x") as f:  # never overwrite
            json.dump({name: values.tolist() for name, values in scores.items()}, f, indent=1)


if __name__ == "__main__":
    main()
