"""End-to-end scores as Eger, Daxenberger & Gurevych (2017) count them: typed components on token spans, micro-F1.

Eger et al. ("Neural end-to-end learning for computational argumentation mining", ACL 2017) score after
Persing & Ng (2016): a predicted component matches a gold one when both have the same type and their
shared tokens divided by the length of the LONGER span are strictly ABOVE a ratio, 0.5 for the "50%" level
and 0.999 for the "100%" (exact) level. F1 is micro, ``2 TP / (2 TP + FP + FN)`` pooled over all
components of all documents, no per-type average. A relation counts only when both of its components
match and its label is the same. Our own scoring (:mod:`mining.evaluation.documents`) differs: characters
instead of tokens, ``>= 0.5`` instead of ``> 0.5``. Token offsets come from the caller (this layer has no
tokenizer); a span is ``[start, end)`` in tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mining.evaluation.spans import Span, greedy_pairs, overlap_ratio, prf

# name in the keys -> the ratio a match must be strictly above (Eger et al.'s evaluation code: 0.5 and 0.999)
EGER_LEVELS: dict[str, float] = {"exact": 0.999, "overlap50": 0.5}


@dataclass(frozen=True)
class TokenAnnotation:
    """One document's components and relations in token offsets, as Eger et al.'s scoring reads them.

    Parameters
    ----------
    spans : sequence of (int, int)
        ``[start, end)`` token range of each component.
    labels : sequence of str
        The type of each component, parallel to ``spans``.
    relations : sequence of (int, int, str)
        ``(source index, target index, label)``, indices into ``spans``.
    """

    spans: Sequence[Span]
    labels: Sequence[str]
    relations: Sequence[tuple[int, int, str]] = field(default_factory=tuple)


def eger_matches(gold: TokenAnnotation, predicted: TokenAnnotation, ratio: float) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, predicted index)`` matches: same type, ``overlap_ratio > ratio``.

    The ratio is over the longer of the two spans and must be strictly above ``ratio`` (exactly one half
    is no match at 0.5). A prediction matches at most one gold component and the reverse: the best ratio
    is taken first, then the leftmost. Sorted by gold index.

    Examples
    --------
    >>> g = TokenAnnotation([(0, 4)], ["claim"])
    >>> (eger_matches(g, TokenAnnotation([(0, 3)], ["claim"]), 0.5),
    ...  eger_matches(g, TokenAnnotation([(0, 2)], ["claim"]), 0.5))
    ([(0, 0)], [])
    """
    scored = []
    for i, (g, g_label) in enumerate(zip(gold.spans, gold.labels)):
        for j, (p, p_label) in enumerate(zip(predicted.spans, predicted.labels)):
            if g_label == p_label and (r := overlap_ratio(g, p)) > ratio:
                scored.append(((r,), i, j))
    # greedy_pairs keeps scores >= its threshold; every candidate is already strictly above the ratio
    return greedy_pairs(scored, 0.0)


def eger_scores(documents: Iterable[tuple[TokenAnnotation, TokenAnnotation]]) -> dict[str, float]:
    """Micro-averaged scores of ``(gold, predicted)`` documents by Eger et al.'s definition.

    Returns
    -------
    dict
        For ``M`` in ``exact`` (ratio above 0.999) and ``overlap50`` (above 0.5):
        ``components.eger.M.{precision,recall,micro_f1,n_matched}`` and
        ``relations.eger.M.{precision,recall,micro_f1,n_matched}`` (both ends matched at level M, same
        relation label); and the counts ``components.eger.n_gold``, ``components.eger.n_predicted``,
        ``relations.eger.n_gold``, ``relations.eger.n_predicted``.

    Examples
    --------
    >>> g = TokenAnnotation([(0, 4), (5, 9)], ["claim", "premise"], [(1, 0, "supports")])
    >>> p = TokenAnnotation([(0, 4), (5, 8)], ["claim", "premise"], [(1, 0, "supports")])
    >>> s = eger_scores([(g, p)])
    >>> (s["components.eger.exact.micro_f1"], s["components.eger.overlap50.micro_f1"],
    ...  s["relations.eger.overlap50.micro_f1"])
    (0.5, 1.0, 1.0)
    """
    counts = dict.fromkeys(("c_gold", "c_pred", "r_gold", "r_pred"), 0)
    matched = {(kind, level): 0 for kind in ("components", "relations") for level in EGER_LEVELS}
    for gold, predicted in documents:
        counts["c_gold"] += len(gold.spans)
        counts["c_pred"] += len(predicted.spans)
        counts["r_gold"] += len(gold.relations)
        counts["r_pred"] += len(predicted.relations)
        for level, ratio in EGER_LEVELS.items():
            pairs = eger_matches(gold, predicted, ratio)
            matched["components", level] += len(pairs)
            matched["relations", level] += _matched_relations(gold.relations, predicted.relations, dict(pairs))
    out: dict[str, float] = {}
    for kind, n_gold, n_pred in (("components", counts["c_gold"], counts["c_pred"]),
                                 ("relations", counts["r_gold"], counts["r_pred"])):
        out[f"{kind}.eger.n_gold"], out[f"{kind}.eger.n_predicted"] = n_gold, n_pred
        for level in EGER_LEVELS:
            tp = matched[kind, level]
            scores = prf(tp, n_gold, n_pred)
            out[f"{kind}.eger.{level}.precision"] = scores["precision"]
            out[f"{kind}.eger.{level}.recall"] = scores["recall"]
            out[f"{kind}.eger.{level}.micro_f1"] = micro_f1(tp, n_pred - tp, n_gold - tp)
            out[f"{kind}.eger.{level}.n_matched"] = tp
    return out


def micro_f1(tp: int, fp: int, fn: int) -> float:
    """``2 TP / (2 TP + FP + FN)``, the form of Eger et al.'s evaluation code (0 when all counts are 0)."""
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def _matched_relations(gold: Sequence[tuple[int, int, str]], predicted: Sequence[tuple[int, int, str]],
                       unit_map: dict[int, int]) -> int:
    """One-to-one: a gold relation takes the first unused predicted one between its matched components."""
    used: set[int] = set()
    for source, target, label in gold:
        if source not in unit_map or target not in unit_map:
            continue
        want = (unit_map[source], unit_map[target], label)
        k = next((k for k, rel in enumerate(predicted) if k not in used and tuple(rel) == want), None)
        if k is not None:
            used.add(k)
    return len(used)
