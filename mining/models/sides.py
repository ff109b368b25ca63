"""The stance of claims, read per party: a party keeps one side through a report, and a report has two sides."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.validation import check_is_fitted

from mining.errors import UsageError
from mining.evaluation.holders import normalise_holder
from mining.features.topic import crude_stem
from mining.instances.units import UnitInstance, documents_of, unit_instances
from mining.models.topic_polarity import speaks_against
from mining.schema import AUTHOR, STANCES

_TURN = {STANCES[0]: STANCES[1], STANCES[1]: STANCES[0]}


class HolderSideClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A stance classifier that also learns from the premises of the parties whose claims it is given.

    A news report has few claims with a stance (about three per report), but its parties keep one
    side throughout it, and the reasons a party gives sound like its side. ``fit`` therefore adds,
    for every training document, each unit whose label is in ``unit_labels`` and whose holder has
    claims among the training instances: labelled with the stance most of that holder's claims in
    the document have. Only the instances and labels given to ``fit`` are read, so in a CV fold
    nothing comes from the test documents.

    ``predict`` can decide per party too. With ``pool``, the claims of one holder in one document
    share the side of their mean decision score (a claim without a holder stands alone); the holder's
    units labelled in ``pool_labels`` (its premises) join that mean, each as one more score. With
    ``both_sides``, a document whose parties all come out on one side has its least certain party
    turned: every report of the news corpus gives positions on both sides of its topic (52 of 52
    training reports). Holders are the units' own: gold ones in training and evaluation on gold
    units, the labeller's when it labels text (it names holders before the stance step).
    ``predict_proba`` stays per claim.

    With ``against_words`` (for stances toward a topic), a topic that speaks against its own measure
    ("X's ban on Y is a mistake", "Z would harm W", "Y should not ...") has its stances turned for training,
    so that the model learns and decides the side toward the measure, whatever the topic's wording; the
    decisions on such a topic are turned back. Without it, "the ban will save lives" is for one topic and
    against the other, and the model cannot learn both. ``topic_reading`` says how a topic is read:
    ``"predicate"`` reads its verb group and predicate (:func:`mining.models.topic_polarity.speaks_against`:
    a negation of the verb group and "too" turn it as well), ``"words"`` counts ``against_words`` in the whole
    topic ("n't" and "cannot" count as "not").

    Parameters
    ----------
    estimator : classifier over UnitInstances, default=None
        Usually a Pipeline of feature extractors and a classifier.
    unit_labels : sequence of str, default=("premise",)
        The labels of the units that take their holder's side as extra training rows.
    pool : bool, default=False
        One side per holder and document at prediction time.
    pool_labels : sequence of str, default=()
        With ``pool``, the labels of the holder's other units in the document whose scores join the mean.
    both_sides : bool, default=False
        At least one party on each side per document (for two classes; a one-party document keeps its side).
    reporter_apart : bool, default=False
        With ``pool``, the reporter (holder ``"author"``) is no party when sides are decided: its side is its
        claims' mean score alone, without its premises (with ``pool_labels``), and with ``both_sides`` it neither
        counts as a side nor is turned, so a report of the reporter and one party keeps both their sides. In
        training its premises still take its side as rows (with ``unit_labels``). In every news training report the
        parties other than the reporter take both sides of the topic; the reporter's verdict may join either.
    against_words : sequence of str, default=()
        Verdict words that turn a topic against its measure (the news experiments list them in
        configs/model/holder_sides.yaml). ``()`` turns no topic, not even a negated one ("should not"): the
        stances are learnt and decided as given.
    topic_reading : {"predicate", "words"}, default="predicate"
        Read ``against_words`` in the topic's predicate, with its negation (``"predicate"``), or count them
        in the whole topic (``"words"``, an odd number turns it; runs saved before the reading existed).
    approval_words : sequence of str, default=()
        With ``against_words`` and ``topic_reading="predicate"`` (read with neither), words of approval ("right",
        "fair", "safer"): a verdict after "would", "will", "has" or a form of "be" that holds none of them, no verb
        of remedy and no verdict word speaks against its measure ("... would fuel inflation"). ``()`` reads only
        ``against_words``, as runs saved before it did.

    Attributes
    ----------
    estimator_ : the fitted inner estimator
    n_added_ : int
        How many units were added to the training rows.
    """

    def __init__(self, *, estimator=None, unit_labels=("premise",), pool=False, pool_labels=(), both_sides=False,
                 against_words=(), topic_reading="predicate", approval_words=(), reporter_apart=False):
        self.estimator = estimator
        self.unit_labels = unit_labels
        self.pool = pool
        self.pool_labels = pool_labels
        self.both_sides = both_sides
        self.against_words = against_words
        self.topic_reading = topic_reading
        self.approval_words = approval_words
        self.reporter_apart = reporter_apart

    def __setstate__(self, state):
        # Runs saved before ``pool``, ``both_sides``, ``against_words``, ``topic_reading``, ``approval_words`` and
        # ``reporter_apart`` existed decide per claim, on the topic's own wording, count its words and take the
        # reporter for a party, as they did then.
        super().__setstate__({"pool": False, "pool_labels": (), "both_sides": False, "against_words": (),
                              "topic_reading": "words", "approval_words": (), "reporter_apart": False,
                              **state})

    def fit(self, X: Sequence[UnitInstance], y=None):
        if self.estimator is None:
            raise UsageError(f"{type(self).__name__} needs an estimator")
        X = list(X)
        y = self._toward_measure(X, list(y))
        sides: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for inst, label in zip(X, y):
            sides[_party(inst)][label] += 1
        added, added_labels = [], []
        for inst in _units_of_documents(X):
            side = sides.get(_party(inst))
            if inst.unit.label in self.unit_labels and inst.unit.holder and side:
                added.append(inst)
                added_labels.append(side.most_common(1)[0][0])
        self.n_added_ = len(added)
        self.estimator_ = clone(self.estimator).fit(X + added, y + added_labels)
        self.classes_ = np.asarray(self.estimator_.classes_)
        return self

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = list(X)
        labels = self._predict(X)
        if not set(STANCES) <= set(self.classes_):
            return labels
        return np.asarray(self._toward_measure(X, list(labels)), dtype=self.classes_.dtype)

    def _predict(self, X: list) -> np.ndarray:
        if not (self.pool or self.both_sides) or len(self.classes_) != 2 or not X:
            return self.estimator_.predict(X)
        scores = np.asarray(self.estimator_.decision_function(X), dtype=float)
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, inst in enumerate(X):
            key = _party(inst)
            groups[key if self.pool and key[1] else (key[0], f"\x00{i}")].append(i)  # no holder: a party of its own
        sides = self._party_scores(X, scores, groups)
        if self.both_sides:
            _turn_one_party(sides, apart=self._apart())
        out = np.empty(len(X), dtype=self.classes_.dtype)
        for key, rows in groups.items():
            out[rows] = self.classes_[int(sides[key] > 0)]
        return out

    def _apart(self) -> frozenset[str]:
        """The holders that are no party: the reporter (``AUTHOR``) with ``reporter_apart``."""
        return frozenset({AUTHOR} if self.reporter_apart else ())

    def _party_scores(self, X: list, scores: np.ndarray, groups: dict[tuple[str, str], list[int]]) -> dict:
        """Each party's mean score over its claims and, with ``pool_labels``, its other units of those labels."""
        totals = {key: [float(scores[rows].sum()), len(rows)] for key, rows in groups.items()}
        if self.pool and self.pool_labels:
            apart = self._apart()
            others = [inst for inst in _units_of_documents(X) if inst.unit.label in self.pool_labels
                      and _party(inst) in totals and _party(inst)[1] not in apart]
            keys = [_party(inst) for inst in others]
            if others:
                for key, score in zip(keys, np.asarray(self.estimator_.decision_function(others), dtype=float)):
                    totals[key][0] += float(score)
                    totals[key][1] += 1
        return {key: total / n for key, (total, n) in totals.items()}

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = list(X)
        proba = np.array(self.estimator_.predict_proba(X))
        against = self._against_documents(X)
        turned = [i for i, inst in enumerate(X) if id(inst.document) in against]
        if turned and set(STANCES) <= set(self.classes_):
            classes = list(self.classes_)
            proba[turned] = proba[turned][:, [classes.index(_TURN.get(c, c)) for c in classes]]
        return proba

    def _against_documents(self, X: list) -> set[int]:
        """The ``id`` of each document of ``X`` whose topic speaks against its measure, read with ``topic_reading``."""
        if self.topic_reading not in ("predicate", "words"):
            raise UsageError(f"topic_reading={self.topic_reading!r}: expected 'predicate' or 'words'")
        for name in ("against_words", "approval_words"):
            if isinstance(getattr(self, name), str):
                raise UsageError(f"{name} must be a list of words, not the string {getattr(self, name)!r}")
        if not self.against_words:
            return set()
        if self.topic_reading == "predicate":
            return {id(doc) for doc, _ in documents_of(X)
                    if speaks_against(doc.topic, self.against_words, self.approval_words)}
        stems = {crude_stem(w) for w in self.against_words}
        return {id(doc) for doc, _ in documents_of(X) if doc.topic and _count_words(doc.topic, stems) % 2 == 1}

    def _toward_measure(self, X: list, labels: list) -> list:
        """The labels with for and against swapped on the topics that speak against their measure: the
        same function turns the stance toward a topic into the stance toward its measure and back."""
        against = self._against_documents(X)
        return [_TURN.get(label, label) if id(inst.document) in against else label for inst, label in zip(X, labels)]


def _count_words(topic: str, stems: set[str]) -> int:
    """How many words of ``topic`` have their stem in ``stems``, tokenised as runs saved before the predicate
    reading did ("n't" and "cannot" count as "not")."""
    text = topic.replace("’", "'").casefold().replace("cannot", "can not").replace("n't", " not")
    return sum(crude_stem(w) in stems for w in re.findall(r"\w+", text))


def _party(inst: UnitInstance) -> tuple[str, str]:
    """(document id, normalised holder) of a unit: "" for a unit without a holder."""
    return inst.document.id, normalise_holder(inst.unit.holder or "")


def _units_of_documents(X: Sequence[UnitInstance]) -> list[UnitInstance]:
    """Instances of every unit of the documents that ``X`` comes from, whatever their label."""
    return [inst for doc, parsed in documents_of(X) for inst in unit_instances(doc, parsed)]


def _turn_one_party(sides: dict[tuple[str, str], float], apart: frozenset[str] = frozenset()) -> None:
    """Where every party of a document has one sign of score, the one nearest zero takes the other sign; the
    holders in ``apart`` are no party."""
    by_doc: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in sides:
        if key[1] not in apart:
            by_doc[key[0]].append(key)
    for keys in by_doc.values():
        if len(keys) > 1 and len({sides[k] > 0 for k in keys}) == 1:
            weakest = min(keys, key=lambda k: abs(sides[k]))
            sides[weakest] = 1.0 if sides[weakest] <= 0 else -1.0
