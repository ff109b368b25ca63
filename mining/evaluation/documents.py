"""Compare two annotations of the same documents: units, labels, stances, holders and relations, as flat scores.

One comparison serves both end-to-end evaluation (gold against predicted) and inter-annotator agreement
(annotator A against annotator B, A in the place of gold). Units are matched on character offsets,
exactly or with the 50%-overlap criterion of :func:`mining.evaluation.spans.matched_pairs`; every other
score is read off those matches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from mining.corpora import documents_by_id
from mining.errors import CorpusError
from mining.evaluation.found import FoundUnits
from mining.evaluation.holders import holder_matches
from mining.evaluation.spans import matched_pairs, prf
from mining.schema import UNIT_LABELS, Document, Relation, Unit

# name in the keys -> threshold of matched_pairs (None: identical boundaries)
MATCHES: dict[str, float | None] = {"exact": None, "overlap50": 0.5}
# stance, holder and label agreement are read off the lenient matches: a boundary disagreement should
# not hide a label agreement (Stab & Gurevych 2014 compare annotators on overlapping units too)
ATTRIBUTE_MATCH = "overlap50"


def compare_documents(gold: Sequence[Document], predicted: Sequence[Document], *,
                      file_gold: str | Path | None = None, file_pred: str | Path | None = None,
                      shared_only: bool = False) -> dict[str, float]:
    """Score ``predicted`` against ``gold``, micro-averaged over documents paired by id.

    Parameters
    ----------
    gold, predicted : sequences of Document
        The same texts, annotated twice. Paired documents must have identical text, since units are
        compared by character offsets.
    file_gold, file_pred : path, optional
        Where each side was read from; errors name them.
    shared_only : bool, default False
        By default an id on one side only is an error naming it (a missing prediction should not pass
        for a perfect one). True scores the shared ids only and reports how many were left out in
        ``documents.gold_only`` and ``documents.predicted_only``.

    Returns
    -------
    dict
        Flat ``name -> value``. For ``M`` in ``exact``, ``overlap50``:
        ``units.M.{precision,recall,f1,n_matched}`` (unit detection, labels ignored);
        ``components.M.{precision,recall,f1,n_matched}`` (a match also needs the same label, micro),
        ``components.M.per_label.L.{precision,recall,f1,n_matched}`` and ``components.M.macro_f1``
        (mean over the labels found on either side); ``relations.M.{precision,recall,f1,n_matched}``
        (same source, target and label, through the M unit matches) and
        ``relations.M.link.{precision,recall,f1,n_matched}`` (label ignored). On the overlap50
        matches: ``stance.accuracy`` over the ``stance.n`` matched units whose gold unit has a stance
        (``stance.n_correct``) and ``stance.agreement`` over the ``stance.n_either`` matched units where
        either side has one; ``holder.*`` alike, holders compared case-insensitively after whitespace
        normalisation; ``labels.kappa`` (Cohen's kappa of the unit labels), ``labels.accuracy`` and
        ``labels.n``. On found units (:mod:`mining.evaluation.found`): ``units.cover50.*``,
        ``found.labels.*``, ``found.holder.*``, ``found.stance.*``. Counts: ``documents``,
        ``documents.gold_only``, ``documents.predicted_only``, ``units.n_gold``, ``units.n_predicted``,
        ``components.per_label.L.{n_gold,n_predicted}``, ``relations.n_gold``, ``relations.n_predicted``. A
        ratio whose denominator is 0 is 0.

    Raises
    ------
    CorpusError
        On a duplicate or unpaired id, a text that differs between the sides, or a relation that points
        at a unit its document does not have.

    Examples
    --------
    >>> from mining.schema import Document, Unit
    >>> doc = Document("d1", "Cats rule.", units=[Unit("T1", 0, 9, "Cats rule", "claim", stance="for")])
    >>> scores = compare_documents([doc], [doc])
    >>> scores["units.exact.f1"], scores["components.overlap50.macro_f1"], scores["stance.accuracy"]
    (1.0, 1.0, 1.0)
    """
    pairs, gold_only, pred_only = pair_documents(gold, predicted, file_gold=file_gold, file_pred=file_pred,
                                                 shared_only=shared_only)
    scores: dict[str, float] = {"documents": len(pairs), "documents.gold_only": gold_only,
                                "documents.predicted_only": pred_only}
    return scores | _score_pairs(pairs, file_gold=file_gold, file_pred=file_pred)


def _score_pairs(pairs: list[tuple[Document, Document]], *, file_gold: str | Path | None,
                 file_pred: str | Path | None) -> dict[str, float]:
    counts: Counter = Counter()
    label_pairs: Counter = Counter()
    found = FoundUnits()
    for g, p in pairs:
        _count_document(g, p, counts, label_pairs, file_gold=file_gold, file_pred=file_pred)
        found.add(g.units, p.units)
    return _scores(counts, label_pairs) | found.scores()


def pair_documents(gold: Sequence[Document], predicted: Sequence[Document], *,
                   file_gold: str | Path | None = None, file_pred: str | Path | None = None,
                   shared_only: bool = False) -> tuple[list[tuple[Document, Document]], int, int]:
    """``(gold, predicted)`` pairs by id in gold order, and the numbers of unpaired gold and predicted ids."""
    gold_by_id = documents_by_id(gold, file_gold)
    pred_by_id = documents_by_id(predicted, file_pred)
    gold_only = [i for i in gold_by_id if i not in pred_by_id]
    pred_only = [i for i in pred_by_id if i not in gold_by_id]
    if not shared_only:
        if gold_only:
            raise CorpusError(f"no document {gold_only[0]!r}, which {_name(file_gold, 'gold')} has "
                              f"({len(gold_only)} such: {_few(gold_only)})", file=file_pred, item=gold_only[0])
        if pred_only:
            raise CorpusError(f"document {pred_only[0]!r} is not in {_name(file_gold, 'gold')} "
                              f"({len(pred_only)} such: {_few(pred_only)})", file=file_pred, item=pred_only[0])
    pairs = [(g, pred_by_id[i]) for i, g in gold_by_id.items() if i in pred_by_id]
    if not pairs:
        raise CorpusError(f"no document id in common with {_name(file_gold, 'gold')}", file=file_pred)
    for g, p in pairs:
        if g.text != p.text:
            at = next((k for k, (a, b) in enumerate(zip(g.text, p.text)) if a != b), min(len(g.text), len(p.text)))
            raise CorpusError(f"text differs from {_name(file_gold, 'gold')}'s (first difference at character "
                              f"{at}): offsets cannot be compared", file=file_pred, item=g.id)
    return pairs, len(gold_only), len(pred_only)


def cohen_kappa(pairs: Counter) -> float:
    """Cohen's kappa from a Counter of ``(label_a, label_b)`` pairs.

    When both sides use one and the same label throughout, chance agreement is 1 and kappa is 0/0;
    agreement is then perfect, so it is 1. No pairs give 0.
    """
    n = sum(pairs.values())
    if not n:
        return 0.0
    observed = sum(c for (a, b), c in pairs.items() if a == b) / n
    side_a: Counter = Counter()
    side_b: Counter = Counter()
    for (a, b), c in pairs.items():
        side_a[a] += c
        side_b[b] += c
    expected = sum(side_a[label] * side_b[label] for label in side_a) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _name(file: str | Path | None, default: str) -> str:
    return str(file) if file is not None else default


def _few(ids: list[str], n: int = 5) -> str:
    return ", ".join(ids[:n]) + (", ..." if len(ids) > n else "")


def _sorted_units(doc: Document, file: str | Path | None) -> list[Unit]:
    ids = set()
    for unit in doc.units:
        if unit.id in ids:
            raise CorpusError(f"duplicate unit id {unit.id!r}", file=file, item=f"{doc.id}/{unit.id}")
        ids.add(unit.id)
    for rel in doc.relations:
        for end in (rel.source, rel.target):
            if end not in ids:
                raise CorpusError(f"relation points at missing unit {end!r}", file=file, item=f"{doc.id}/{rel.id}")
    # matched_pairs breaks ties leftmost-first by index: sort by position
    return sorted(doc.units, key=lambda u: (u.start, u.end, u.id))


def _count_document(gold: Document, pred: Document, counts: Counter, label_pairs: Counter, *,
                    file_gold: str | Path | None, file_pred: str | Path | None) -> None:
    gold_units = _sorted_units(gold, file_gold)
    pred_units = _sorted_units(pred, file_pred)
    gold_spans = [(u.start, u.end) for u in gold_units]
    pred_spans = [(u.start, u.end) for u in pred_units]
    counts["units.n_gold"] += len(gold_units)
    counts["units.n_predicted"] += len(pred_units)
    counts["relations.n_gold"] += len(gold.relations)
    counts["relations.n_predicted"] += len(pred.relations)
    for label in {u.label for u in gold_units} | {u.label for u in pred_units}:
        counts[f"components.per_label.{label}.n_gold"] += sum(u.label == label for u in gold_units)
        counts[f"components.per_label.{label}.n_predicted"] += sum(u.label == label for u in pred_units)
    for name, threshold in MATCHES.items():
        pairs = matched_pairs(gold_spans, pred_spans, threshold)
        counts[f"units.{name}.n_matched"] += len(pairs)
        for label in {u.label for u in gold_units} & {u.label for u in pred_units}:
            # label-aware: only units of the same label compete for a match
            g = [s for s, u in zip(gold_spans, gold_units) if u.label == label]
            p = [s for s, u in zip(pred_spans, pred_units) if u.label == label]
            counts[f"components.{name}.per_label.{label}.n_matched"] += len(matched_pairs(g, p, threshold))
        unit_map = {gold_units[i].id: pred_units[j].id for i, j in pairs}
        counts[f"relations.{name}.n_matched"] += _match_relations(gold.relations, pred.relations, unit_map,
                                                                  labelled=True)
        counts[f"relations.{name}.link.n_matched"] += _match_relations(gold.relations, pred.relations, unit_map,
                                                                       labelled=False)
        if name == ATTRIBUTE_MATCH:
            for i, j in pairs:
                _count_attributes(gold_units[i], pred_units[j], counts)
                label_pairs[gold_units[i].label, pred_units[j].label] += 1


def _count_attributes(gold: Unit, pred: Unit, counts: Counter) -> None:
    """Stances must be equal; holders must name the same party (``mining.evaluation.holders.holder_matches``:
    "Zelenskyy" and "Volodymyr Zelenskyy" do, "union officials" and "automobile club officials" do not)."""
    for key, a, b, same in (("stance", gold.stance, pred.stance, None),
                            ("holder", gold.holder, pred.holder, holder_matches)):
        agree = a == b or (same is not None and a is not None and b is not None and same(a, b))
        if a is not None:
            counts[f"{key}.n"] += 1
            counts[f"{key}.n_correct"] += agree
        if a is not None or b is not None:
            counts[f"{key}.n_either"] += 1
            counts[f"{key}.n_agreed"] += agree


def _match_relations(gold: list[Relation], predicted: list[Relation], unit_map: dict[str, str], *,
                     labelled: bool) -> int:
    """One-to-one: a gold relation takes the first unused predicted one between the matched units."""
    used: set[int] = set()
    for rel in gold:
        source, target = unit_map.get(rel.source), unit_map.get(rel.target)
        if source is None or target is None:
            continue
        for k, cand in enumerate(predicted):
            if k not in used and cand.source == source and cand.target == target \
                    and (not labelled or cand.label == rel.label):
                used.add(k)
                break
    return len(used)


def _scores(counts: Counter, label_pairs: Counter) -> dict[str, float]:
    out: dict[str, float] = {}
    n_gold, n_pred = counts["units.n_gold"], counts["units.n_predicted"]
    out["units.n_gold"], out["units.n_predicted"] = n_gold, n_pred
    labels = _labels(counts)
    for label in labels:
        for side in ("n_gold", "n_predicted"):
            out[f"components.per_label.{label}.{side}"] = counts[f"components.per_label.{label}.{side}"]
    rel_gold, rel_pred = counts["relations.n_gold"], counts["relations.n_predicted"]
    out["relations.n_gold"], out["relations.n_predicted"] = rel_gold, rel_pred
    for name in MATCHES:
        _add_prf(out, f"units.{name}", counts[f"units.{name}.n_matched"], n_gold, n_pred)
        total = 0
        for label in labels:
            matched = counts[f"components.{name}.per_label.{label}.n_matched"]
            total += matched
            _add_prf(out, f"components.{name}.per_label.{label}", matched, out[f"components.per_label.{label}.n_gold"],
                     out[f"components.per_label.{label}.n_predicted"])
        _add_prf(out, f"components.{name}", total, n_gold, n_pred)
        f1s = [out[f"components.{name}.per_label.{label}.f1"] for label in labels]
        out[f"components.{name}.macro_f1"] = sum(f1s) / len(f1s) if f1s else 0.0
        _add_prf(out, f"relations.{name}", counts[f"relations.{name}.n_matched"], rel_gold, rel_pred)
        _add_prf(out, f"relations.{name}.link", counts[f"relations.{name}.link.n_matched"], rel_gold, rel_pred)
    for key in ("stance", "holder"):
        n, either = counts[f"{key}.n"], counts[f"{key}.n_either"]
        out[f"{key}.accuracy"] = counts[f"{key}.n_correct"] / n if n else 0.0
        out[f"{key}.n"], out[f"{key}.n_correct"] = n, counts[f"{key}.n_correct"]
        out[f"{key}.agreement"] = counts[f"{key}.n_agreed"] / either if either else 0.0
        out[f"{key}.n_either"] = either
    n_pairs = sum(label_pairs.values())
    out["labels.kappa"] = cohen_kappa(label_pairs)
    out["labels.accuracy"] = sum(c for (a, b), c in label_pairs.items() if a == b) / n_pairs if n_pairs else 0.0
    out["labels.n"] = n_pairs
    return out


def _labels(counts: Counter) -> list[str]:
    """Labels seen on either side, the schema's first and in its order."""
    found = {key.split(".")[2] for key in counts if key.startswith("components.per_label.")}
    return [label for label in UNIT_LABELS if label in found] + sorted(found - set(UNIT_LABELS))


def _add_prf(out: dict[str, float], prefix: str, n_match: int, n_gold: int, n_pred: int) -> None:
    out.update({f"{prefix}.{k}": v for k, v in prf(n_match, n_gold, n_pred).items()})
    out[f"{prefix}.n_matched"] = n_match


def format_comparison(scores: dict[str, float], *, gold: str = "gold", predicted: str = "predicted") -> str:
    """A text table of :func:`compare_documents` scores: P/R/F1 by match kind, then the attributes."""
    labels = _labels(Counter({k: 1 for k in scores}))
    head = f"{'':<22}" + "".join(f"{name:<24}" for name in MATCHES)
    lines = [
        f"documents {scores['documents']:.0f}: {gold} units {scores['units.n_gold']:.0f}, {predicted} units "
        f"{scores['units.n_predicted']:.0f}, {gold} relations {scores['relations.n_gold']:.0f}, {predicted} "
        f"relations {scores['relations.n_predicted']:.0f}"
        + (f" ({scores['documents.gold_only']:.0f} {gold}-only and {scores['documents.predicted_only']:.0f} "
           f"{predicted}-only documents left out)"
           if scores.get("documents.gold_only") or scores.get("documents.predicted_only") else ""),
        "",
        head.rstrip(),
        (f"{'':<22}" + "P      R      F1      " * len(MATCHES)).rstrip(),
    ]

    def row(title: str, prefix: str) -> str:
        cells = "".join(f"{scores[f'{prefix.format(m)}.precision']:.3f}  {scores[f'{prefix.format(m)}.recall']:.3f}  "
                        f"{scores[f'{prefix.format(m)}.f1']:.3f}   " for m in MATCHES)
        return f"{title:<22}{cells}".rstrip()

    lines.append(row("units", "units.{}"))
    lines.append(row("components", "components.{}"))
    for label in labels:
        lines.append(row(f"  {label}", "components.{}.per_label." + label))
    lines.append(f"{'  macro F1':<22}" + "".join(f"{'':<14}{scores[f'components.{m}.macro_f1']:.3f}   "
                                                  for m in MATCHES).rstrip())
    if _no_relations(scores):
        lines.append(f"{'relations':<22}n/a: none on either side")
    else:
        lines.append(row("relations", "relations.{}"))
        lines.append(row("relations (link)", "relations.{}.link"))
    lines.append("")
    lines.append(f"on {ATTRIBUTE_MATCH} matches:")
    for key in ("stance", "holder"):
        lines.append(f"  {key:<8} accuracy {_ratio(scores, f'{key}.accuracy', f'{key}.n')}   "
                     f"agreement {_ratio(scores, f'{key}.agreement', f'{key}.n_either')}")
    lines.append(f"  labels   kappa {scores['labels.kappa']:.3f}, accuracy "
                 f"{_ratio(scores, 'labels.accuracy', 'labels.n')}")
    lines += ["", "found units (a prediction covers >= half of the gold unit, one to one):",
              f"  detection        P {scores['units.cover50.precision']:.3f}  R {scores['units.cover50.recall']:.3f}  "
              f"F1 {scores['units.cover50.f1']:.3f}",
              f"  claim/premise    macro F1 {_ratio(scores, 'found.labels.macro_f1', 'found.labels.n')}",
              f"  holder           accuracy {_ratio(scores, 'found.holder.accuracy', 'found.holder.n')}",
              f"  stance           macro F1 {_ratio(scores, 'found.stance.macro_f1', 'found.stance.n')}"]
    return "\n".join(lines)


def format_agreement(scores: dict[str, float], *, a: str = "A", b: str = "B") -> str:
    """The agreement view of :func:`compare_documents` scores (A in the place of gold)."""
    lines = [
        f"documents        {scores['documents']:.0f} ({a}: {scores['units.n_gold']:.0f} units, "
        f"{b}: {scores['units.n_predicted']:.0f} units)",
        f"unit F1          exact {scores['units.exact.f1']:.3f}   overlap50 {scores['units.overlap50.f1']:.3f}",
        f"component F1     exact {scores['components.exact.f1']:.3f}   "
        f"overlap50 {scores['components.overlap50.f1']:.3f}",
        f"label kappa      {scores['labels.kappa']:.3f} on {scores['labels.n']:.0f} units matched at 50% overlap "
        f"(observed agreement {scores['labels.accuracy']:.3f})",
        f"stance agreement {_ratio(scores, 'stance.agreement', 'stance.n_either')}",
        f"holder agreement {_ratio(scores, 'holder.agreement', 'holder.n_either')}",
        "relation F1      n/a: none on either side" if _no_relations(scores) else
        f"relation F1      overlap50 {scores['relations.overlap50.f1']:.3f}   "
        f"link {scores['relations.overlap50.link.f1']:.3f}",
    ]
    return "\n".join(lines)


def _no_relations(scores: dict[str, float]) -> bool:
    """Whether neither side has a relation: the scores' 0.0 then measures nothing, and the tables say n/a."""
    return not scores["relations.n_gold"] and not scores["relations.n_predicted"]


def _ratio(scores: dict[str, float], key: str, n_key: str) -> str:
    n = scores[n_key]
    return f"{scores[key]:.3f} (n={n:.0f})" if n else "n/a (n=0)"
