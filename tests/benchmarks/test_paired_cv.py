"""benchmarks/paired_cv.py: the paired difference over folds and its two 95% intervals."""

from __future__ import annotations

import numpy as np
import pytest
from omegaconf import OmegaConf
from scipy import stats

from tests.helpers import load_benchmark


@pytest.fixture(scope="module")
def script():
    return load_benchmark("paired_cv")


def test_counts_and_the_plain_interval_are_those_of_a_paired_t_test(script):
    base = np.array([0.80, 0.70, 0.75, 0.90, 0.85, 0.60])
    diff = np.array([0.02, -0.01, 0.0, 0.03, 0.01, 0.01])
    p = script.paired(base, base + diff, n_splits=5)
    assert (p["won"], p["lost"], p["tied"]) == (4, 1, 1)
    assert p["mean"] == pytest.approx(diff.mean()) and p["std"] == pytest.approx(diff.std(ddof=1))
    low, high = stats.t.interval(0.95, len(diff) - 1, loc=diff.mean(), scale=stats.sem(diff))
    assert p["plain"] == pytest.approx((low, high))


def test_the_corrected_interval_is_wider_by_the_overlap_of_training_folds(script):
    rng = np.random.default_rng(0)
    base = rng.uniform(0.7, 0.9, 50)
    other = base + 0.01 + rng.normal(0, 0.01, 50)  # a steady gain: the plain interval excludes 0
    p = script.paired(base, other, n_splits=5)
    plain, corrected = np.subtract(*p["plain"][::-1]), np.subtract(*p["corrected"][::-1])
    # Nadeau & Bengio: variance x (1/n + n_test/n_train), n_test/n_train = 1/4 for 5 folds, against 1/n
    assert corrected / plain == pytest.approx(np.sqrt((1 / 50 + 1 / 4) * 50))
    assert p["plain"][0] > 0 and p["corrected"][0] < 0 < p["corrected"][1]
    assert np.mean(p["corrected"]) == pytest.approx(p["mean"])


def test_a_variant_may_change_what_is_fitted_but_not_the_instances_folds_or_scores(script):
    base = OmegaConf.create({"seed": 0, "task": {"toward": "topic"}, "data": {"path": "${paths.root}/news"},
                             "nlp": {}, "evaluation": {"n_splits": 5}, "paths": {"root": "/a"},
                             "model": {"C": 100.0}})
    script.check_variants({"base": base, "c10": OmegaConf.merge(base, {"model": {"C": 10.0}})})
    with pytest.raises(SystemExit, match="--variant claims: changes task, seed,"):
        script.check_variants({"base": base, "claims": OmegaConf.merge(base, {"task": {"toward": "claim"},
                                                                                "seed": 1})})
    with pytest.raises(SystemExit, match="--variant elsewhere: changes data,"):  # through an interpolation
        script.check_variants({"base": base, "elsewhere": OmegaConf.merge(base, {"paths": {"root": "/b"}})})
