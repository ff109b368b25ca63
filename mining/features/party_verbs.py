"""Party verbs: what a news report says its parties do, wherever in the report it says it.

A party's side often shows in the verb the reporter gives it more than in the words it is quoted
with: it "resisted" or "ruled out" a proposal, "refused" to sign, "urged" or "pressed" others to act.
The unit's span leaves that verb out ("has ruled out [X]": the span is X, which reads as the opposite
of the party's stance; docs/news-guideline.md, "The span"), and it can stand far from the party's
units, even inside another party's words ("the US is pressing Ukraine to withdraw, a proposal
Zelenskyy has resisted"), where neither the unit's text nor its shell shows it. In the training
reports of the news corpus (news-01..421), of the parties that take a position after the first one,
those that "resist" something hold against the topic 16 times of 19 and those that "refuse" 21 of 26,
those that "press" others for it 9 of 10.

Known flaw, left as scored (4164a92): a noun subject is named by its whole subtree, so one with a
relative clause or an apposition ("The drivers' union, which represents 900 staff, met ...") matches
no party, and its verb is lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Doc, Token

from mining.evaluation.holders import holder_matches, speaks_for_place
from mining.instances.units import UnitInstance
from mining.nlp.holders.attribution import attributor_of
from mining.nlp.sharing import reuse_rows
from mining.schema import AUTHOR, Document

_PARTICLES = {"rule": "out", "point": "out"}  # "ruled out", not "ruled"
_PREPOSITIONS = {"call": "for", "side": "with"}  # "called for", "sided with"


def verb_name(verb: Token) -> str:
    """The verb's lemma, with the particle or preposition that makes its sense, and "not" when negated:
    "has not ruled out" -> "rule out not"."""
    name = verb.lemma_.lower()
    for words, dep in ((_PARTICLES, "prt"), (_PREPOSITIONS, "prep")):
        if name in words and any(c.dep_ == dep and c.lower_ == words[name] for c in verb.children):
            name += " " + words[name]
    return name + " not" if any(c.dep_ == "neg" for c in verb.children) else name


def party_verbs(document: Document, parsed: Doc) -> list[tuple[str, str]]:
    """``(party, verb name)`` of each verb outside direct quotes whose subject names a party of the document.

    The parties are the holders of the document's units, the reporter aside. A verb's subject is read as
    the holder rules find it (:func:`~mining.nlp.holders.attribution.attributor_of`): the resolved party
    of a reporting cue, pronouns included. Any other verb's noun subject, and that of a cue whose party
    holds no unit (or is the reporter), names a party when it matches one
    (:func:`~mining.evaluation.holders.holder_matches`: "Zelenskyy" is "Volodymyr Zelenskyy"), and a place
    names the first party that acts in its name ("the US is pressing": "US officials"; the cue's party, "US",
    holds no unit).
    """
    holders = list(dict.fromkeys(u.holder for u in document.units if u.holder and u.holder != AUTHOR))
    if not holders:
        return []
    attributor = attributor_of(parsed)
    found = []
    for verb in parsed:
        if verb.pos_ != "VERB" or (verb.tag_ == "VBN" and verb.dep_ == "amod"):  # "the proposed plan": no act
            continue
        if attributor.quotes.in_quote(verb.idx) is not None:  # the quoted party's own words
            continue
        party = attributor.parties.get(verb.i)
        holder = None if party is None else next((h for h in holders if holder_matches(h, party.name)), None)
        if holder is None:  # no cue, or its party holds no unit or is the reporter: read the verb's subject
            holder = _subject_party(verb, holders)
        if holder is not None:
            found.append((holder, verb_name(verb)))
    return found


def _subject_party(verb: Token, holders: Sequence[str]) -> str | None:
    """The holder the verb's noun subject names (:func:`~mining.evaluation.holders.holder_matches`), or, for a
    place ("the US is pressing"), the first holder that acts in its name ("US officials";
    :func:`~mining.evaluation.holders.speaks_for_place`)."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN")), None)
    if subject is None:
        return None
    words = list(subject.subtree)
    name = " ".join(t.text for t in words)
    holder = next((h for h in holders if holder_matches(h, name)), None)
    if holder is None and all(t.ent_type_ == "GPE" or t.dep_ == "det" for t in words):
        holder = next((h for h in holders if speaks_for_place(h, name)), None)
    return holder


class PartyVerbsVectorizer(TransformerMixin, BaseEstimator):
    """Binary bag of the verbs whose subject is the unit's holder, anywhere in its document
    (:func:`party_verbs`): one column per verb name seen with a party in at least ``min_df`` documents.

    Only the document's units and holders and its parse are read, never a stance: gold units in
    training, the labeller's own when it labels text. A unit of the reporter, or with no holder, has an
    empty row.

    Parameters
    ----------
    min_df : int, default=2
        Keep only the verb names seen with a party in this many training documents or more.
    ignore : sequence of str, default=("say",)
        Verb names never kept: "say" frames nearly every unit of every side.

    Attributes
    ----------
    terms_ : ndarray of str
        The kept verb names, in column order.
    """

    def __init__(self, *, min_df=2, ignore=("say",)):
        self.min_df = min_df
        self.ignore = ignore

    def fit(self, X: Sequence[UnitInstance], y=None):
        self._fit(self._verbs(X))
        return self

    def fit_transform(self, X: Sequence[UnitInstance], y=None) -> sp.csr_matrix:
        verbs = self._verbs(X)  # each document's parties read once
        self._fit(verbs)
        return self._rows(X, verbs)

    @reuse_rows
    def transform(self, X: Sequence[UnitInstance]) -> sp.csr_matrix:
        check_is_fitted(self)
        return self._rows(X, self._verbs(X))

    def _fit(self, verbs: dict[int, list[tuple[str, str]]]) -> None:
        seen = Counter()  # in how many documents each verb name has a party
        for found in verbs.values():
            seen.update({name for _, name in found})
        ignored = set(self.ignore)
        self.terms_ = np.asarray(sorted(n for n, c in seen.items() if c >= self.min_df and n not in ignored),
                                 dtype=object)

    def _rows(self, X: Sequence[UnitInstance], verbs: dict[int, list[tuple[str, str]]]) -> sp.csr_matrix:
        column = {name: j for j, name in enumerate(self.terms_)}
        rows, cols = [], []
        for r, inst in enumerate(X):
            holder = inst.unit.holder
            if not holder or holder == AUTHOR:
                continue
            names = {name for party, name in verbs[id(inst.document)] if holder_matches(party, holder)}
            for j in (column[n] for n in names if n in column):
                rows.append(r)
                cols.append(j)
        return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(X), len(self.terms_)))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return np.asarray(["verb=" + t for t in self.terms_], dtype=object)

    @staticmethod
    def _verbs(X: Sequence[UnitInstance]) -> dict[int, list[tuple[str, str]]]:
        verbs: dict[int, list[tuple[str, str]]] = {}
        for inst in X:
            if id(inst.document) not in verbs:
                verbs[id(inst.document)] = party_verbs(inst.document, inst.parsed)
        return verbs
