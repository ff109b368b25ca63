"""Party features: who voices a unit, how, and what else that party says in the report.

In a news report the arguments belong to the parties quoted or reported, and a party's units play
different parts: its position is often its first unit, and the reasons follow ("She added that ...";
a quote that backs the reported position). These columns give the type model that structure. The
holders and the kind of speech are attributed from the parse (:mod:`mining.nlp.holders`), never read
from the units' annotations, so gold units, the segmenter's spans and labelled text get them alike.
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
from mining.nlp.holders import attribute_holders
from mining.nlp.sharing import once_per_batch, reuse_rows
from mining.schema import UNKNOWN, Document

FEATURES = (
    "speech_quote", "speech_reported", "speech_author", "unknown_holder",
    "party_units_1", "party_units_2", "party_units_3+", "party_first", "party_last",
    "prev_same_party", "next_same_party",
)


class PartyVectorizer(FixedColumnsMixin, TransformerMixin, BaseEstimator):
    """The unit's kind of speech and its place among the units of the same holder in its document.

    Columns: speech ``quote``, ``reported`` or ``author``; a holder that could not be named; the
    holder's number of units in the document (1, 2, 3 or more); the unit is the holder's first or last
    unit in text order; the previous or the next unit of the document has the same holder. The
    holders of all of a document's units are attributed once per document (once per ``sharing()``
    batch).

    Attributes
    ----------
    feature_names_ : ndarray of str
        One name per column.
    """

    FEATURES = FEATURES

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        rows = np.zeros((len(X), len(FEATURES)))
        parties: dict[int, dict[int, tuple[str, str, list[int]]]] = {}
        for r, inst in enumerate(X):
            doc = inst.document
            if id(doc) not in parties:
                parties[id(doc)] = _parties(doc, inst.parsed)
            found = parties[id(doc)].get(id(inst.unit))
            if found is not None:
                rows[r] = _row(*found)
        return sp.csr_matrix(rows)


def _parties(doc: Document, parsed) -> dict[int, tuple[str, str, list[int]]]:
    """For each unit of ``doc`` (by ``id``): its holder, its speech and the text-order positions of its
    holder's units, with its own position first."""
    units = sorted(doc.units, key=lambda u: (u.start, u.end))
    spans = tuple((u.start, u.end) for u in units)
    found = once_per_batch(("attributions", spans), doc, lambda: attribute_holders(parsed, spans, text=doc.text))
    holders = [normalise_holder(a.holder) for a in found]
    out = {}
    for i, (unit, attribution) in enumerate(zip(units, found)):
        same = [j for j, h in enumerate(holders) if h == holders[i]]
        out[id(unit)] = (attribution.holder, attribution.speech, [i, *same])
    return out


def _row(holder: str, speech: str, positions: list[int]) -> list[float]:
    me, same = positions[0], positions[1:]
    return [
        float(speech == "quote"), float(speech == "reported"), float(speech == "author"), float(holder == UNKNOWN),
        float(len(same) == 1), float(len(same) == 2), float(len(same) >= 3),
        float(me == same[0]), float(me == same[-1]),
        float(me - 1 in same), float(me + 1 in same),
    ]
