"""Relation identification: gold pair labels, link F1, and one-target-per-source decoding."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.pipeline import FeatureUnion, Pipeline

from mining.corpora import load_corpus
from mining.errors import UsageError
from mining.nlp.cache import parse_documents
from mining.nlp.pipeline import find_pipeline
from mining.tasks.relations import NONE, RelationTask


@pytest.fixture(scope="module")
def pairs():
    docs = [d for d in load_corpus("sample") if d.metadata["genre"] == "essay"][:3]
    parsed, _ = parse_documents(docs, find_pipeline(exclude=["ner"]), cache_dir=None, progress=False)
    task = RelationTask()
    instances = task.build_instances(docs, parsed)
    return task, instances, task.gold_labels(instances)


class FixedProba:
    """Returns given link probabilities: column order support, attack, none."""

    classes_ = np.array(["attack", "none", "support"])

    def __init__(self, link):
        self.link = np.asarray(link)

    def predict_proba(self, X):
        return np.column_stack([0.1 * self.link, 1 - self.link, 0.9 * self.link])


def test_gold_labels_match_the_relations(pairs):
    task, instances, gold = pairs
    n_relations = sum(len(d.relations) for d in {id(i.document): i.document for i in instances}.values())
    in_paragraph = sum(1 for g in gold if g != NONE)
    assert 0 < in_paragraph <= n_relations
    assert set(gold) <= {"support", "attack", NONE}


def test_one_target_per_source_keeps_the_best_target_above_threshold(pairs):
    task, instances, _ = pairs
    rng = np.random.default_rng(0)
    link = rng.uniform(size=len(instances))
    decoding = RelationTask(one_target_per_source=True, link_threshold=0.5)
    labels = decoding.predict(FixedProba(link), instances)
    by_source: dict = {}
    for i, pair in enumerate(instances):
        by_source.setdefault((pair.document.id, pair.source.unit.id), []).append(i)
    for rows in by_source.values():
        linked = [i for i in rows if labels[i] != NONE]
        best = max(rows, key=lambda i: link[i])
        assert linked == ([best] if link[best] >= 0.5 else [])
        assert all(labels[i] == "support" for i in linked)  # 0.9 * p beats 0.1 * p


def test_link_f1_counts_support_and_attack_as_links():
    task = RelationTask()
    scores = task.extra_scores([], ["support", "attack", NONE, NONE], ["attack", NONE, NONE, "support"])
    # link/no-link: gold [l, l, n, n], predicted [l, n, n, l] -> F1 0.5 for both classes
    assert scores["link.macro_f1"] == pytest.approx(0.5)


def test_all_links_count_the_relations_no_candidate_pair_holds():
    # one document with three gold relations, only two of which are candidate pairs (the third crosses
    # paragraphs): one found, one missed, one false link
    doc = SimpleNamespace(relations=[object()] * 3)
    instances = [SimpleNamespace(document=doc, parsed=None)] * 3
    scores = RelationTask().extra_scores(instances, ["support", "attack", NONE], ["support", NONE, "attack"])
    assert scores["all.link.recall"] == pytest.approx(1 / 3)
    assert scores["all.link.f1"] == pytest.approx(2 * 1 / (3 + 2))


class FixedSourceTypes(FixedProba):
    """FixedProba inside a Pipeline-like object whose feature group ``source_type`` gives P(premise) per pair."""

    class Group:
        def __init__(self, premise):
            self.premise = np.asarray(premise)

        def get_feature_names_out(self):
            return np.array(["source:self:claim", "source:self:premise"], dtype=object)

        def transform(self, X):
            import scipy.sparse as sp

            return sp.csr_matrix(np.column_stack([1 - self.premise, self.premise]))

    def __init__(self, link, premise):
        super().__init__(link)
        self.named_steps = {"features": FeatureUnion([("source_type", self.Group(premise))])}


def test_source_type_weight_links_only_likely_premises(pairs):
    task, instances, _ = pairs
    link = np.full(len(instances), 0.6)  # every pair a link by itself (logit 0.405)
    sources = sorted({(p.document.id, p.source.unit.id) for p in instances})
    likely = set(sources[::2])  # every other source is likely a premise, the rest likely not
    premise = np.array([0.9 if (p.document.id, p.source.unit.id) in likely else 0.2 for p in instances])
    decoded = RelationTask(one_target_per_source=True, source_type_weight=1.0).predict(
        FixedSourceTypes(link, premise), instances)
    alone = RelationTask(one_target_per_source=True).predict(FixedSourceTypes(link, premise), instances)
    for i, (joint, plain) in enumerate(zip(decoded, alone)):
        if plain != NONE:  # the best target of its source: kept iff the source is likely a premise
            assert (joint != NONE) == (premise[i] > 0.5)
        else:
            assert joint == NONE
    assert sum(x != NONE for x in decoded) < sum(x != NONE for x in alone)


def test_source_type_weight_needs_the_type_feature_group(pairs):
    task, instances, _ = pairs
    with pytest.raises(UsageError, match="feature group 'source_type'"):
        RelationTask(one_target_per_source=True, source_type_weight=1.0).predict(
            FixedProba(np.ones(len(instances)) / 2), instances)


def test_source_type_weight_needs_one_target_per_source(pairs):
    task, instances, _ = pairs
    with pytest.raises(UsageError, match="one_target_per_source=true"):
        RelationTask(source_type_weight=1.0).predict(FixedProba(np.ones(len(instances)) / 2), instances)


def test_source_type_weight_reads_the_types_inside_a_model_that_holds_its_features(pairs):
    # A target-ranking model (mining/models/ranking.py) sits in Pipeline([("features", None), ("model", ...)])
    # and keeps its fitted features as ``features_``: P(premise) is read from there.
    task, instances, _ = pairs
    premise = np.linspace(0.1, 0.9, len(instances))
    inner = FixedSourceTypes(np.full(len(instances), 0.6), premise)
    pipeline = Pipeline([("features", None), ("model", SimpleNamespace(features_=inner.named_steps["features"]))])
    read = RelationTask(one_target_per_source=True, source_type_weight=1.0).source_premise(pipeline, instances)
    assert np.allclose(read, premise)


def test_a_body_paragraph_is_one_tree_rooted_at_its_least_likely_source(pairs):
    task, instances, _ = pairs
    rng = np.random.default_rng(1)
    link = rng.uniform(0.05, 0.95, size=len(instances))
    trees = RelationTask(one_target_per_source=True, body_paragraph_root=True).predict(FixedProba(link), instances)
    alone = RelationTask(one_target_per_source=True).predict(FixedProba(link), instances)
    by_paragraph: dict = {}
    for i, pair in enumerate(instances):
        paragraph = by_paragraph.setdefault((pair.document.id, pair.source.paragraph), {})
        paragraph.setdefault(pair.source.unit.id, []).append(i)
    n_body = 0
    for (_, paragraph), sources in by_paragraph.items():
        unit = instances[next(iter(sources.values()))[0]].source
        best = {s: max(rows, key=lambda i: link[i]) for s, rows in sources.items()}
        linked = {s for s, rows in sources.items() if any(trees[i] != NONE for i in rows)}
        if 0 < paragraph < unit.n_paragraphs - 1:
            n_body += 1
            root = min(best, key=lambda s: link[best[s]])
            assert linked == set(sources) - {root}
            assert all(trees[best[s]] != NONE for s in linked)
        else:  # the first and last paragraph: source by source, as without the option
            assert all(trees[i] == alone[i] for rows in sources.values() for i in rows)
    assert n_body and trees != alone


def test_body_paragraph_root_needs_one_target_per_source(pairs):
    task, instances, _ = pairs
    with pytest.raises(UsageError, match="body_paragraph_root decides"):
        RelationTask(body_paragraph_root=True).predict(FixedProba(np.ones(len(instances)) / 2), instances)


def _synthetic_pairs(paragraphs: dict[str, dict[int, int]], n_paragraphs: dict[str, int]) -> list:
    """Every ordered pair of units in each paragraph: ``paragraphs[doc][paragraph]`` units there."""
    pairs = []
    for doc_id, sizes in paragraphs.items():
        doc = SimpleNamespace(id=doc_id)
        for paragraph, n in sizes.items():
            units = [SimpleNamespace(unit=SimpleNamespace(id=f"{doc_id}-{paragraph}-{k}"), paragraph=paragraph,
                                     n_paragraphs=n_paragraphs[doc_id]) for k in range(n)]
            pairs += [SimpleNamespace(document=doc, source=a, target=b) for a in units for b in units if a is not b]
    return pairs


def test_the_root_of_a_body_paragraph_is_chosen_on_the_weighted_score_and_the_rest_always_link():
    # d0: paragraphs 0 (first) and 3 (last) are edges, 1 and 2 are body paragraphs, -1 is outside every one;
    # d1 has two paragraphs, both edges.
    pairs = _synthetic_pairs({"d0": {-1: 2, 0: 2, 1: 3, 2: 2, 3: 2}, "d1": {0: 2, 1: 2}}, {"d0": 4, "d1": 2})
    link = np.full(len(pairs), 0.2)  # every best target below the threshold by itself
    premise = np.full(len(pairs), 0.5)
    for i, pair in enumerate(pairs):
        if pair.source.unit.id == "d0-1-0":
            link[i] = 0.45  # the highest link score of its paragraph ...
            premise[i] = 0.05  # ... but the least likely premise: with the type weighed in, the root
    proba = np.column_stack([np.zeros(len(pairs)), 1 - link, link])
    task = RelationTask(one_target_per_source=True, source_type_weight=1.0, body_paragraph_root=True)
    classes = ["attack", NONE, "support"]
    labels = task.decode(pairs, proba, classes, premise)
    linked = Counter(pair.source.unit.id for pair, label in zip(pairs, labels) if label != NONE)
    assert set(linked) == {"d0-1-1", "d0-1-2", "d0-2-1"} and set(linked.values()) == {1}
    # Without the weight the highest link score is no root: the first of the two others (a tie) is.
    plain = RelationTask(one_target_per_source=True, body_paragraph_root=True).decode(pairs, proba, classes)
    assert {pair.source.unit.id for pair, label in zip(pairs, plain) if label != NONE} == {"d0-1-0", "d0-1-2", "d0-2-1"}
