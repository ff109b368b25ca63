"""The labelling steps after the parse: segment into units, type them, attribute (and give each party a position),
take their stance, relate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from spacy.tokens import Doc

from mining.errors import UsageError
from mining.evaluation.holders import normalise_holder
from mining.instances.units import build_pair_instances, unit_instances
from mining.nlp.holders import attribute_holders
from mining.nlp.holders.layout import SENTENCE_END
from mining.nlp.speech import QUOTE_MARKS, split_quotes
from mining.nlp.tokens import doc_tokens, tokens_of
from mining.schema import AUTHOR, CLAIM_LABELS, Document, Relation, Unit, text_at
from mining.tasks.relations import NONE

_QUOTES = "".join(QUOTE_MARKS)


def segment(task: Any, model: Any, docs: list[Document], parsed: Sequence[Doc]) -> list[Any]:
    """The units of each document: BIO tags on its tokens, decoded into spans and trimmed of blanks.

    Returns the token instances, whose feature rows the uncertainty score can then reuse.
    """
    instances = task.build_instances(docs, parsed)
    if not instances:
        return instances
    spans = task.predicted_spans(model, instances)
    for doc, p in zip(docs, parsed):
        found = spans.get(doc.id, [])
        groups = (split_quotes(p, tokens_of(p).speech, found, across_sentences=task.join_quotes_across_sentences)
                  if task.join_split_quotes else [[s] for s in found])
        doc.units = [Unit(id=f"T{i}", start=g[0][0], end=g[-1][1], text=text_at(doc.text, g), label=task.unit_label,
                          fragments=g if len(g) > 1 else None)
                     for i, g in enumerate(groups, start=1)]
    return instances


def classify(task: Any, model: Any, docs: list[Document], parsed: Sequence[Doc], *,
             margins: bool = False) -> dict[int, float]:
    """Unit types; the candidates the type model calls no unit (``task.reject``) are dropped, but for those whose
    reject score beats their better unit score by less than their allowance (:func:`_allowances`): they keep that
    unit type.

    With ``margins``, returns each kept unit's claim score less its premise score (decision scores), by
    ``id`` of the unit, for :func:`prefer_claims` and :func:`give_parties_claims`.
    """
    instances = [inst for doc, p in zip(docs, parsed) for inst in unit_instances(doc, p)]
    if not instances:
        return {}
    for inst, label in zip(instances, task.predict(model, instances)):
        inst.unit.label = label
    rejected = getattr(task, "reject", None)
    allowances = _allowances(task, instances) if rejected is not None else None
    scores = _decision_scores(model, instances) if margins or allowances is not None else None
    if allowances is not None:
        _keep_near_units(instances, scores, rejected, allowances)
    if rejected is not None:  # candidates the type model calls no unit are dropped
        for doc in docs:
            kept = [u for u in doc.units if u.label != rejected]
            if len(kept) < len(doc.units):
                for i, unit in enumerate(kept, start=1):
                    unit.id = f"T{i}"
                doc.units = kept
    claim_margins = _claim_margins(model, instances, scores) if margins else {}
    return {id(u): claim_margins[id(u)] for doc in docs for u in doc.units if id(u) in claim_margins}


def _allowances(task: Any, instances: list) -> list[float] | None:
    """Each instance's allowance: ``task.unit_allowance``, or a larger one where the unit's sentence ends in ".", "!"
    or "?" (before any closing quotation mark) and at least half of the unit's tokens (from its start to its end,
    punctuation and a split quote's frame included) state a party's position (speech role ``position``:
    ``task.position_allowance``) or are a verdict a party passes (role ``verdict``, "slammed the offer as [an
    insult]": ``task.verdict_allowance``); the largest of those that apply. None when every allowance is 0.

    A headline ("Doctors want checks") only announces a position; with the pipeline's ``line_sentences`` (as in
    ``news_miner``) it is a sentence of its own, without the final stop."""
    unit = getattr(task, "unit_allowance", 0.0)
    by_role = {"position": getattr(task, "position_allowance", 0.0), "verdict": getattr(task, "verdict_allowance", 0.0)}
    if max(by_role.values()) <= unit:
        return [unit] * len(instances) if unit > 0 else None
    tables = doc_tokens(instances)  # each document's speech roles, read once
    ends = tuple(SENTENCE_END)
    out = []
    for inst in instances:
        if not inst.sentence.text.rstrip().rstrip(_QUOTES).endswith(ends):
            out.append(unit)
            continue
        roles = tables[id(inst.parsed)].speech
        span = range(inst.span.start, inst.span.end)
        out.append(max([unit, *(allowance for role, allowance in by_role.items()
                                if 2 * sum(role in roles[i] for i in span) >= len(span))]))
    return out


def _claim_margins(model: Any, instances: list, scores: tuple[list[str], np.ndarray] | None = None) -> dict[int, float]:
    """Claim score less premise score of each instance's unit, by ``id``: from ``decision_function`` (or ``scores``,
    :func:`_decision_scores` of the same instances)."""
    classes, rows = scores or _decision_scores(model, instances)
    if "claim" not in classes or "premise" not in classes:
        raise UsageError(f"party_claim and claim_allowance need a type model over claim and premise; this one has "
                         f"classes {classes}")
    claim, premise = classes.index("claim"), classes.index("premise")
    return {id(inst.unit): float(row[claim] - row[premise]) for inst, row in zip(instances, rows)}


def _decision_scores(model: Any, instances: list) -> tuple[list[str], np.ndarray]:
    """The model's classes and its decision scores, one row per instance and one column per class."""
    classes = [str(c) for c in model.classes_]
    if not hasattr(model, "decision_function"):
        raise UsageError(f"party_claim and the claim, unit, position and verdict allowances need a type model with "
                         f"decision_function; this one ({type(model).__name__}) has none")
    scores = np.asarray(model.decision_function(instances), dtype=float)
    if scores.ndim == 1:  # two classes: the score is that of classes[1]
        scores = np.column_stack([np.zeros_like(scores), scores])
    return classes, scores


def _keep_near_units(instances: list, scores: tuple[list[str], np.ndarray], rejected: str,
                     allowances: list[float]) -> None:
    """A unit typed ``rejected`` whose best other score falls short of its reject score by less than its allowance
    takes the label of that best other score."""
    classes, rows = scores
    if rejected not in classes:
        return
    reject = classes.index(rejected)
    others = [i for i in range(len(classes)) if i != reject]
    for inst, row, allowance in zip(instances, rows, allowances):
        if inst.unit.label == rejected:
            best = max(others, key=lambda i: row[i])
            if row[reject] - row[best] < allowance:
                inst.unit.label = classes[best]


def prefer_claims(docs: list[Document], margins: dict[int, float], allowance: float) -> None:
    """A premise whose claim margin is above ``-allowance`` becomes a claim; a unit without a margin in
    ``margins``, or of another label, keeps its label."""
    for doc in docs:
        for unit in doc.units:
            if unit.label == "premise" and margins.get(id(unit), -np.inf) > -allowance:
                unit.label = "claim"


def give_parties_claims(docs: list[Document], margins: dict[int, float], allowance: float) -> None:
    """A party without a claim gets one: of each holder's units in a document (the author's aside), two or more
    and none a claim, the one with the highest claim margin becomes a claim when that margin is above
    ``-allowance``."""
    for doc in docs:
        parties: dict[str, list[Unit]] = defaultdict(list)
        for unit in doc.units:
            holder = normalise_holder(unit.holder or "")
            if holder and holder != AUTHOR and id(unit) in margins:
                parties[holder].append(unit)
        for units in parties.values():
            if len(units) >= 2 and not any(u.label in CLAIM_LABELS for u in units):
                best = max(units, key=lambda u: margins[id(u)])
                if margins[id(best)] > -allowance:
                    best.label = "claim"


def take_sides(task: Any, model: Any, docs: list[Document], parsed: Sequence[Doc]) -> None:
    """The stance of the units of the types the stance task covers (after holders: a model may decide per party)."""
    # Rebuilt where typing dropped units: neighbours and positions are what the stance model saw
    # in training.
    claims = [inst for doc, p in zip(docs, parsed) if task.has_target(doc)
              for inst in unit_instances(doc, p) if inst.unit.label in task.unit_labels]
    if claims:
        for inst, stance in zip(claims, task.predict(model, claims)):
            inst.unit.stance = stance


def relate(task: Any, model: Any, docs: list[Document], parsed: Sequence[Doc], max_pair_distance: int | None) -> None:
    """Relations between the units of one paragraph, numbered ``R1, R2, ...`` per document."""
    # The task's candidates (ordered pairs within a paragraph), capped in distance so that a
    # paragraph of thousands of units stays linear.
    pairs = [pair for doc, p in zip(docs, parsed)
             for pair in build_pair_instances(unit_instances(doc, p), max_distance=max_pair_distance)]
    if not pairs:
        return
    by_id = {d.id: d for d in docs}
    for pair, label in zip(pairs, task.predict(model, pairs)):
        if label != NONE:
            doc = by_id[pair.document.id]
            doc.relations.append(Relation(id=f"R{len(doc.relations) + 1}", source=pair.source.unit.id,
                                          target=pair.target.unit.id, label=label))


def attribute(docs: list[Document], parsed: Sequence[Doc], *, own_frames: bool = True) -> None:
    """The holder of every unit (``mining.nlp.holders``; ``own_frames`` as there) and the kind of speech that names
    it. A unit of several fragments takes those of its first fragment with a holder other than the author: read whole,
    its span would hold the frame that splits it ("A, she said, B")."""
    for doc, p in zip(docs, parsed):
        if not doc.units:
            continue
        pieces = [(unit, span) for unit in doc.units for span in unit.spans()]
        found_for: dict[int, list[Any]] = defaultdict(list)
        attributions = attribute_holders(p, [span for _, span in pieces], text=doc.text, own_frames=own_frames)
        for (unit, _), found in zip(pieces, attributions):
            found_for[id(unit)].append(found)
        for unit in doc.units:
            found = found_for[id(unit)]
            named = next((f for f in found if f.holder != AUTHOR), found[0])
            unit.holder, unit.attributes["speech"] = named.holder, named.speech
