"""Component classification: each gold unit becomes major_claim, claim or premise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from mining.errors import UsageError
from mining.instances.units import UnitInstance, build_unit_instances
from mining.schema import UNIT_LABELS, Document
from mining.tasks.base import predict_independently, relabel_units


@dataclass
class ComponentTask:
    """Classify gold units by type (Stab & Gurevych 2017, section 5.1).

    With ``reject`` set (e.g. ``"none"``) the label set also has that label, for a model that
    learns to reject segmenter spans that are no unit (``mining.models.rejecting.SegmentRejectingClassifier``);
    the instances are still the gold units, so a gold unit predicted ``reject`` is an error.

    With ``party_claim`` set (a number), labelling gives a party a position: a holder other than the
    author with two units or more in a document and no claim among them gets its most claim-like unit
    as a claim, when that unit's claim score falls short of its premise score by less than
    ``party_claim`` (``mining.label.steps.give_parties_claims``; news parties nearly always take a position).

    With ``claim_allowance`` above 0, labelling makes a unit typed premise a claim when its claim score falls
    short of its premise score by less than that (``mining.label.steps.prefer_claims``): where a position typed
    as a reason costs more than a reason typed as a position (news, whose stance is scored on the claims found).

    With ``unit_allowance`` above 0 (and ``reject`` set), labelling keeps a segmenter span the type model rejects
    when its reject score beats its better unit score by less than that, typed by that score
    (``mining.label.steps.classify``): it trades detection precision for recall. ``position_allowance``, when
    larger, replaces it for a span at least half of whose tokens state a party's position (the speech role
    ``position`` of ``mining.nlp.speech``: "has ruled out [X]", "wants [Y to Z]"), content that is a unit wherever
    it stands (docs/news-guideline.md), in a sentence that ends in ".", "!" or "?": not a headline, which the pipeline's
    ``line_sentences`` makes a sentence of its own (``mining.label.steps._allowances``). ``verdict_allowance`` does
    the same for a span at least half of which is a verdict a party passes (role ``verdict``: "slammed the offer as
    [an insult]"), an assessment and so a unit by the guideline.
    """

    name: str = "components"
    labels: tuple[str, ...] = UNIT_LABELS
    reject: str | None = None
    party_claim: float | None = None
    claim_allowance: float = 0.0
    unit_allowance: float = 0.0
    position_allowance: float = 0.0
    verdict_allowance: float = 0.0

    def __post_init__(self) -> None:
        if self.party_claim is not None and not _non_negative(self.party_claim):
            raise UsageError(f"party_claim must be a number >= 0 or null, got {self.party_claim!r}")
        for name in ("claim_allowance", "unit_allowance", "position_allowance", "verdict_allowance"):
            value = getattr(self, name)
            if not _non_negative(value):
                raise UsageError(f"{name} must be a number >= 0, got {value!r}")
            if name != "claim_allowance" and value > 0 and self.reject is None:
                raise UsageError(f"{name} keeps spans the type model rejects: it needs reject (e.g. none)")
        if self.reject is not None and self.reject not in self.labels:
            self.labels = (*self.labels, self.reject)

    def build_instances(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[UnitInstance]:
        return [inst for doc, p in zip(docs, parsed) for inst in build_unit_instances(doc, p)]

    def gold_labels(self, instances: Sequence[UnitInstance]) -> list[str]:
        return [inst.unit.label for inst in instances]

    def apply_predictions(self, docs: Sequence[Document], instances: Sequence[UnitInstance],
                          predictions: Sequence[str]) -> list[Document]:
        return relabel_units(docs, instances, predictions, "label")

    def predict(self, estimator: Any, instances: Sequence[UnitInstance]) -> list[str]:
        return predict_independently(estimator, instances)

    def extra_scores(self, instances: Sequence[Any], gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
        return {}


def _non_negative(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
