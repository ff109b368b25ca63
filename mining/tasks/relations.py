"""Relation identification: ordered unit pairs within a paragraph become support, attack or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from spacy.tokens import Doc

from mining.errors import UsageError
from mining.instances.units import PairInstance, build_pair_instances, build_unit_instances, documents_of
from mining.models.decoding import is_body_paragraph, log_odds
from mining.nlp.sharing import sharing
from mining.schema import RELATION_LABELS, Document, Relation
from mining.tasks.base import copy_documents, final_model, predict_independently

NONE = "none"
PREMISE = "premise"


@dataclass
class RelationTask:
    """Label every ordered pair of units in one paragraph (Stab & Gurevych 2017, section 5.2).

    Besides the three-way scores, ``link.macro_f1`` is the published link vs no-link measure. Both score
    the candidate pairs only; ``all.link.{recall,f1}`` score the links against every gold relation of the
    scored documents, so that a relation no candidate pair can hold (one across paragraphs, which news
    reports have) counts as missed; the documents are those of the scored pairs (a document with no pair
    at all, every unit in a paragraph of its own, is not counted).

    With ``one_target_per_source`` (AAEC: every premise has exactly one outgoing relation, and
    no other unit has one inside a paragraph) each source keeps at most its most probable target,
    and only when that target's link probability is at least ``link_threshold``; the estimator
    must then have ``predict_proba``.

    With ``source_type_weight`` w > 0 as well, types and links are decided together, as the ILP of
    Stab & Gurevych (2017) does: only a premise has an outgoing link, so the best target is kept when
    ``logit(p_link) + w * logit(P(source is a premise)) >= logit(link_threshold)``. P is read from
    the estimator's feature group ``source_type_feature``, the source's stacked type scores that the
    relation features already hold (``configs/features/relations.yaml``), so no model is fitted for it.

    With ``body_paragraph_root`` (and ``one_target_per_source``), each body paragraph (any but the
    document's first and last) gets one root, as an essay's body paragraph argues for one claim: the source
    whose best target has the lowest link log-odds (weighted as above when ``source_type_weight`` is set)
    keeps no target, the earliest in the text on a tie, and every other source keeps its best target,
    whatever its score. Taking each source's score as the probability that it links, no other choice of the
    one source to leave unlinked has a higher summed log-probability. Cycles are not ruled out: a tree is the
    shape aimed at, not a constraint enforced. The first and last paragraph are decoded source by source.
    """

    name: str = "relations"
    labels: tuple[str, ...] = (*RELATION_LABELS, NONE)
    one_target_per_source: bool = False
    link_threshold: float = 0.5
    source_type_weight: float = 0.0
    source_type_feature: str = "source_type"
    body_paragraph_root: bool = False

    def build_instances(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[PairInstance]:
        return [pair for doc, p in zip(docs, parsed) for pair in build_pair_instances(build_unit_instances(doc, p))]

    def gold_labels(self, instances: Sequence[PairInstance]) -> list[str]:
        gold: dict[tuple[str, str, str], str] = {}
        for doc, _ in documents_of(instances):
            for rel in doc.relations:
                gold[(doc.id, rel.source, rel.target)] = rel.label
        return [gold.get((p.document.id, p.source.unit.id, p.target.unit.id), NONE) for p in instances]

    def apply_predictions(self, docs: Sequence[Document], instances: Sequence[PairInstance],
                          predictions: Sequence[str]) -> list[Document]:
        out = copy_documents(docs, {p.document.id for p in instances})
        for doc in out.values():
            doc.metadata["gold_relations"] = [r.to_dict() for r in doc.relations]
            doc.relations = []
        for pair, label in zip(instances, predictions):
            if label == NONE:
                continue
            doc = out[pair.document.id]
            doc.relations.append(Relation(id=f"P{len(doc.relations) + 1}", source=pair.source.unit.id,
                                          target=pair.target.unit.id, label=label))
        return list(out.values())

    def check_estimator(self, estimator: Any) -> None:
        """One target per source is decoded from class probabilities: a model without them fails before fitting,
        not after (LinearSVC has no ``predict_proba``)."""
        if self.one_target_per_source and not hasattr(estimator, "predict_proba"):
            model = type(estimator[-1] if hasattr(estimator, "steps") else estimator).__name__
            raise UsageError(f"task.one_target_per_source decodes links from class probabilities, which {model} does "
                             "not give: choose a model that does (model=logreg), or task.one_target_per_source=false")

    def predict(self, estimator: Any, instances: Sequence[PairInstance]) -> list[str]:
        if not self.one_target_per_source:
            for option in ("source_type_weight", "body_paragraph_root"):
                if getattr(self, option):
                    raise UsageError(f"{option} decides whether a source keeps its best target: it needs "
                                     f"one_target_per_source=true")
            return predict_independently(estimator, instances)
        with sharing():  # the source type scores below reuse the rows the estimator computed
            proba = estimator.predict_proba(list(instances))
            premise = self.source_premise(estimator, instances) if self.source_type_weight else None
        return self.decode(instances, proba, [str(c) for c in estimator.classes_], premise)

    def decode(self, instances: Sequence[PairInstance], proba: np.ndarray, classes: Sequence[str],
               source_premise: np.ndarray | None = None) -> list[str]:
        """One target at most per source from the pairs' class probabilities (columns in ``classes`` order)
        and, with ``source_type_weight``, P(source is a premise) per pair."""
        none = list(classes).index(NONE)
        link = log_odds(1.0 - proba[:, none])
        if self.source_type_weight:
            link = link + self.source_type_weight * log_odds(source_premise)
        relation_proba = proba.copy()
        relation_proba[:, none] = -1.0
        by_source: dict[tuple[str, str], list[int]] = {}
        for i, pair in enumerate(instances):
            by_source.setdefault((pair.document.id, pair.source.unit.id), []).append(i)
        best = {key: max(rows, key=lambda i: link[i]) for key, rows in by_source.items()}
        threshold = log_odds(self.link_threshold)
        kept = {i for i in best.values() if link[i] >= threshold}
        if self.body_paragraph_root:
            kept = self._paragraph_trees(instances, best, link, kept)
        labels = [NONE] * len(instances)
        for i in kept:
            labels[i] = classes[int(np.argmax(relation_proba[i]))]
        return labels

    @staticmethod
    def _paragraph_trees(instances: Sequence[PairInstance], best: dict[tuple[str, str], int], link: np.ndarray,
                         kept: set[int]) -> set[int]:
        """``kept`` with each body paragraph's sources all linked but the one least likely to link."""
        body: dict[tuple[str, int], list[int]] = {}
        for i in best.values():
            unit = instances[i].source
            if is_body_paragraph(unit.paragraph, unit.n_paragraphs):
                body.setdefault((instances[i].document.id, unit.paragraph), []).append(i)
        kept = set(kept)
        for rows in body.values():
            root = min(rows, key=lambda i: link[i])
            kept.update(rows)
            kept.discard(root)
        return kept

    def source_premise(self, estimator: Any, instances: Sequence[PairInstance]) -> np.ndarray:
        """P(source is a premise) per pair, from the fitted feature group ``source_type_feature``."""
        union = getattr(estimator, "named_steps", {}).get("features")
        if union is None:  # a model that holds its own features (mining/models/ranking.py)
            union = getattr(final_model(estimator), "features_", None)
        groups = dict(union.transformer_list) if union is not None else {}
        group = groups.get(self.source_type_feature)
        column = f"source:self:{PREMISE}"
        names = [] if group is None else list(group.get_feature_names_out())
        if column not in names:
            raise UsageError(f"source_type_weight needs the feature group {self.source_type_feature!r} with the "
                             f"column {column!r} (stacked type scores of the source); the estimator has "
                             f"{sorted(groups) or 'no feature groups'}")
        return np.asarray(group.transform(list(instances))[:, names.index(column)].todense()).ravel()

    def extra_scores(self, instances: Sequence[Any], gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        def link(labels):
            return ["link" if x != NONE else "no-link" for x in labels]

        found = sum(g != NONE and p != NONE for g, p in zip(gold, predicted))
        n_gold = sum(len(doc.relations) for doc, _ in documents_of(instances))
        n_predicted = sum(p != NONE for p in predicted)
        return {"link.macro_f1": float(f1_score(link(gold), link(predicted), average="macro",
                                                labels=["link", "no-link"], zero_division=0)),
                "all.link.recall": found / n_gold if n_gold else 0.0,
                "all.link.f1": 2 * found / (n_gold + n_predicted) if n_gold + n_predicted else 0.0}
