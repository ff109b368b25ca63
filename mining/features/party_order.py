"""Party order: which party of a news report takes a position first.

A wire report leads with the news, and on a proposal the news is the measure and who puts it forward;
the reactions follow ("... announced plans to ...", then "Critics said ..."). A report's topic names
that measure, so the party whose claim comes first is usually for it: in the training reports of the
news corpus when it was chosen (news-01..124), the first claim with a stance is for the measure in 115 of
124 (experiments/news-history.md). This is a prior of the genre, not a reading of what the party says:
where a report leads with a party against the topic it was given, it points the wrong way. Out of fold over
news-01..481, stance macro-F1 is 0.784 on the 442 reports led for their measure and 0.316 on the 39 led against it
(`benchmarks/end_to_end_cv.py --by-lead`); 36 training reports led against (news-506..541) left the 39 where they
were (0.318); with them and without this feature, the 39 score 0.430 but the 442 fall to 0.759. Since the
twenty-ninth re-split the news experiments leave it out, with the other features of where a unit stands
(configs/features/stance_topic.yaml says why); it stays for the runs saved with it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mining.evaluation.holders import normalise_holder
from mining.features.columns import FixedColumnsMixin
from mining.instances.units import UnitInstance
from mining.nlp.sharing import reuse_rows
from mining.schema import CLAIM_LABELS, Document

FEATURES = ("first_party", "second_party", "later_party", "no_claim")


class PartyOrderVectorizer(FixedColumnsMixin, TransformerMixin, BaseEstimator):
    """One-hot: the unit's holder is the first, second or a later party to hold a claim in its
    document (in the order of the claims' offsets), or holds none (or the unit has no holder).

    Only the document's units, their labels and holders are read, never a stance: gold units in
    training, the labeller's own when it labels text (it types units and names holders before
    the stance step). Stateless: ``fit`` only records the feature names.

    Parameters
    ----------
    labels : sequence of str, default=CLAIM_LABELS
        The labels of the units whose holders take positions.

    Attributes
    ----------
    feature_names_ : ndarray of str
        One name per column.
    """

    FEATURES = FEATURES

    def __init__(self, *, labels=CLAIM_LABELS):
        self.labels = labels

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        rows = np.zeros((len(X), len(FEATURES)))
        parties: dict[int, list[str]] = {}  # per document, read once
        for r, inst in enumerate(X):
            if id(inst.document) not in parties:
                parties[id(inst.document)] = self._parties(inst.document)
            order = parties[id(inst.document)]
            holder = normalise_holder(inst.unit.holder) if inst.unit.holder else None
            rows[r, min(order.index(holder), 2) if holder in order else 3] = 1.0
        return sp.csr_matrix(rows)

    def _parties(self, document: Document) -> list[str]:
        """The normalised holders of the document's claims, each once, in the order of their first claim."""
        claims = sorted((u for u in document.units if u.label in self.labels and u.holder), key=lambda u: u.start)
        return list(dict.fromkeys(normalise_holder(u.holder) for u in claims))
