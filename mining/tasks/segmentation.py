"""Unit segmentation: every paragraph token gets a BIO tag, and predicted tags decode back into units."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.tokens import Doc

from mining.errors import UsageError
from mining.evaluation.spans import span_scores
from mining.instances.bio import (
    BIO_LABELS,
    INSIDE,
    OUTSIDE,
    bio_spans,
    bio_tags,
    constrained_sequences,
    paragraph_tags,
)
from mining.instances.tokens import TokenInstance, build_corpus_token_instances, paragraphs_of
from mining.nlp.speech import ASIDE_LEMMAS, in_frame, phrase_quote_marks
from mining.nlp.speech import ROLES as SPEECH_ROLES
from mining.nlp.tokens import DocTokens, doc_tokens, tokens_of
from mining.schema import UNIT_LABELS, Document, Unit, trim_span
from mining.tasks.base import copy_documents, final_model

DECODERS = ("viterbi", "independent")


def token_spans(tokens: Sequence[int], parsed: Doc) -> list[tuple[int, int]]:
    """Character spans ``[idx, idx + len)`` of the given tokens of ``parsed``."""
    table = tokens_of(parsed)
    idx, end = table.idx, table.end_char
    return [(idx[i], end[i]) for i in tokens]


def transition_scores(estimator: Any) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The start and tag-transition scores (in ``estimator.classes_`` order) that the estimator, or the last
    step of its Pipeline, learned (``mining.models.tagging.TransitionTagger.transition_scores``); None, None
    for a plain classifier, whose decoding adds none."""
    scores = getattr(final_model(estimator), "transition_scores", None)
    return scores() if callable(scores) else (None, None)


def close_clauses(instances: Sequence[TokenInstance], sequences: Sequence[Sequence[int]], tags: list[str],
                  stop_roles: Sequence[str] = (), stop_at: Collection[int] = ()) -> None:
    """Run each unit of ``tags`` (one per instance; ``sequences``: each paragraph's instances in reading order) on to
    the end of the phrase of a head it stops before in its sentence, in place (``SegmentationTask.close_clauses``).
    A unit never runs into a reporting frame (``mining.nlp.speech.in_frame``), a token of ``stop_roles`` or an instance
    of ``stop_at``, nor over the gap to a unit that begins inside the phrase ("the tax and"), and what it runs over ends
    before the phrase's final marks (a closing quotation mark among them: the labeller's spans are trimmed anyway)."""
    tables = doc_tokens(instances)
    stop = set(stop_roles)
    for members in sequences:
        first = instances[members[0]]
        table, parsed = tables[id(first.parsed)], first.parsed
        token = [instances[i].token_index for i in members]
        for k, j in bio_spans([tags[m] for m in members]):  # a run only ever grows over O, up to the next unit
            last, sentence = token[j - 1], table.sentence_ids[token[j - 1]]
            heads = [table.heads[t] for t in token[k:j]]
            reach = max((parsed[h].right_edge.i for h in heads if h > last and table.sentence_ids[h] == sentence
                         and not _stops(table.speech[h], stop)), default=last)
            end = j
            while (end < len(members) and tags[members[end]] == OUTSIDE and token[end] <= reach
                   and not _stops(table.speech[token[end]], stop) and members[end] not in stop_at):
                end += 1
            if end < len(members) and token[end] <= reach and tags[members[end]] != OUTSIDE:
                end = j  # the next unit begins inside the phrase: the gap to it is no unit's
            while end > j and table.is_punct[token[end - 1]]:
                end -= 1
            for m in members[j:end]:
                tags[m] = INSIDE


def _stops(roles: frozenset[str], stop: set[str]) -> bool:
    return in_frame(roles) or bool(roles & stop)


@dataclass
class SegmentationTask:
    """Find argumentative units as BIO-tagged token sequences (Stab & Gurevych 2017, section 4).

    Unit types are ignored (label-agnostic ``B``/``I``/``O``). Besides the token-level scores,
    ``extra_scores`` reports span precision, recall and F1 by exact and by 50%-overlap matching
    (``span.exact.f1``, ``span.overlap50.f1``), counted in tokens within each paragraph.

    Parameters
    ----------
    decode : {"viterbi", "independent"}, default="viterbi"
        ``viterbi`` picks, per paragraph, the valid tag sequence (no ``I`` after ``O``) with the
        highest total score from the estimator's ``predict_proba`` (log) or ``decision_function``,
        plus the tag-transition scores of a ``TransitionTagger`` estimator (:func:`transition_scores`), and
        cuts merged units with its splitter (``cut_units``; never across a token forced inside) and moves unit
        starts with its starter (``move_starts``; never later past a token forced inside, nor earlier over one
        forced outside);
        ``independent`` takes each token's ``predict`` and repairs invalid ``I`` when decoding (no cuts, no moves).
    unit_label : str, default="claim"
        The label written on predicted units. The segmenter finds spans, not types, and a unit
        needs a label from ``UNIT_LABELS``; the gold label of an exactly matching gold unit is kept
        in ``attributes["gold"]`` (None when no gold unit has the same offsets), and every
        predicted unit carries ``attributes["segment"] = True``.
    outside_roles : tuple of str, default=()
        Reported-speech roles (``mining.nlp.speech.ROLES``) whose tokens are never in a unit: the
        decoder tags them ``O`` whatever the scores say. ``("schedule",)`` keeps a reported plan out
        ("Trump said he planned a call with ...": docs/news-guideline.md, "Not a unit"), which the
        news reports show too rarely for a model to learn.
    outside_asides : bool, default=False
        A reporting cue in the participle after a comma (", saying B", ", according to X") is never in a unit either:
        it opens a new statement or names a source, and the tagger would run one unit over both sides of it.
    inside_roles : tuple of str, default=()
        Reported-speech roles whose tokens are always in a unit (``outside_roles`` win where both
        hold). ``("verdict",)`` makes the judgement of "X called the plan reckless" a unit, however
        short: one word or two between the frame and the sentence's end, which a token tagger misses; ``("position",)``
        makes what a party wants, presses for, refuses or indicates a unit ("wants [the council to buy ...]").
        A token with no role (punctuation mostly) between two tokens of its sentence forced inside is forced inside
        too: the hyphen of "short-sighted".
    skip_phrase_quotes : bool, default=False
        Pass over the quotation marks around a phrase quoted inside a sentence (a scare quote: pressing Ukraine
        to "withdraw" from ...; ``mining.nlp.speech.phrase_quote_marks``) as over whitespace: they get no tag
        and no token window reads them, so a unit runs through them and never starts or ends on one; a unit
        that is the quoted phrase alone leaves them out. News quotes phrases often, and the marks of a
        direct quote, which a unit never holds, would otherwise teach the tagger that every mark ends a unit
        (docs/news-guideline.md, "The span": quotation marks inside the content stay). The quotes that
        ``speech_roles`` calls direct keep their marks.
    join_split_quotes : bool, default=False
        When the labeller labels text, two units of one statement that its reporting frame splits inside a
        sentence ("We will not sign," Varga said, "that leaves a village behind."; "A, she said, B") become one
        unit of two ``fragments``, as the news guideline annotates a split quote that makes one statement
        (``mining.nlp.speech.split_quotes``). The tagger, trained on the fragments' tags, finds the pieces.
    join_quotes_across_sentences : bool, default=False
        With ``join_split_quotes``, a quote that goes on in a new sentence after its frame (``"A," Varga said.
        "B."``) is joined too (``split_quotes``'s ``across_sentences``).
    close_clauses : bool, default=False
        With Viterbi decoding, a decoded unit that stops before the head of one of its words, in its sentence,
        runs on to the end of that head's phrase (the last token of its subtree): "wants [the company to] pay
        drivers for the extra travel time" becomes "the company to pay drivers for the extra travel time". It never
        runs into a reporting frame (speech roles cue, source, frame) or a token of ``outside_roles``, nor over the gap
        to a unit that begins inside the phrase, and its run stops before the phrase's final marks.
    """

    name: str = "segmentation"
    labels: tuple[str, ...] = BIO_LABELS
    decode: str = "viterbi"
    unit_label: str = "claim"
    outside_roles: tuple[str, ...] = ()
    outside_asides: bool = False
    inside_roles: tuple[str, ...] = ()
    skip_phrase_quotes: bool = False
    join_split_quotes: bool = False
    join_quotes_across_sentences: bool = False
    close_clauses: bool = False

    def __post_init__(self) -> None:
        self.outside_roles, self.inside_roles = tuple(self.outside_roles), tuple(self.inside_roles)
        for name, roles in (("outside_roles", self.outside_roles), ("inside_roles", self.inside_roles)):
            unknown = sorted(set(roles) - set(SPEECH_ROLES))
            if unknown:
                raise UsageError(f"{name}: unknown speech role(s) {unknown}, expected some of {SPEECH_ROLES}")
        if self.close_clauses and self.decode != "viterbi":
            raise UsageError("close_clauses needs decode=viterbi: it extends the units of the decoded paths")
        if self.join_quotes_across_sentences and not self.join_split_quotes:
            raise UsageError("join_quotes_across_sentences needs join_split_quotes: it joins more of the split quotes")
        if self.decode not in DECODERS:
            raise UsageError(f"decode must be one of {DECODERS}, got {self.decode!r}")
        if self.unit_label not in UNIT_LABELS:
            raise UsageError(f"unit_label must be one of {UNIT_LABELS}, got {self.unit_label!r}")

    def build_instances(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[TokenInstance]:
        if not self.skip_phrase_quotes:
            return build_corpus_token_instances(docs, parsed)
        return build_corpus_token_instances(docs, parsed, lambda p: phrase_quote_marks(tokens_of(p).speech))

    def gold_labels(self, instances: Sequence[TokenInstance]) -> list[str]:
        tags: list[str] = [OUTSIDE] * len(instances)
        for members in paragraphs_of(instances):
            first = instances[members[0]]
            paragraph = first.paragraph
            units = [span for u in first.document.units for span in u.spans()
                     if span[0] < paragraph.end and paragraph.start < span[1]]
            gold_tags = bio_tags(token_spans(paragraph.tokens, first.parsed), units)
            for i in members:
                tags[i] = gold_tags[instances[i].position]
        return tags

    def predict(self, estimator: Any, instances: Sequence[TokenInstance]) -> list[str]:
        instances = list(instances)
        outside, inside = self._forced(instances)
        if self.decode == "independent":  # an I after O is repaired to B when decoding
            return [OUTSIDE if k in outside else INSIDE if k in inside and tag == OUTSIDE else str(tag)
                    for k, tag in enumerate(estimator.predict(instances))]
        if hasattr(estimator, "predict_proba"):
            scores = np.log(np.clip(estimator.predict_proba(instances), 1e-12, None))
        else:
            scores = np.asarray(estimator.decision_function(instances), dtype=np.float64)
        classes = [str(c) for c in estimator.classes_]
        if inside:
            scores[sorted(inside), classes.index(OUTSIDE)] = -np.inf
        if outside:
            scores[np.ix_(sorted(outside), [j for j, c in enumerate(classes) if c != OUTSIDE])] = -np.inf
        start, transitions = transition_scores(estimator)
        tags = [OUTSIDE] * len(instances)
        # Viterbi runs in reading order, whatever order the instances come in.
        sequences = [sorted(members, key=lambda i: instances[i].position) for members in paragraphs_of(instances)]
        for members, decoded in zip(sequences, constrained_sequences(scores, sequences, classes, transitions, start)):
            for i, tag in zip(members, decoded):
                tags[i] = tag
        if self.close_clauses:
            close_clauses(instances, sequences, tags, stop_roles=self.outside_roles, stop_at=outside)
        tagger = final_model(estimator)  # a TransitionTagger cuts merged units and moves starts
        if callable(getattr(tagger, "cut_units", None)):
            tags = tagger.cut_units(instances, sequences, tags, keep=inside)
        if callable(getattr(tagger, "move_starts", None)):
            tags = tagger.move_starts(instances, sequences, tags, keep=inside, outside=outside)
        return tags

    def _forced(self, instances: Sequence[TokenInstance]) -> tuple[set[int], set[int]]:
        """The positions in ``instances`` of tokens with one of ``outside_roles`` or set off as asides (forced outside),
        and of the others with one of ``inside_roles`` or with no role between two of those in its sentence (inside)."""
        if not (self.outside_roles or self.inside_roles or self.outside_asides):
            return set(), set()
        tables = doc_tokens(instances)  # the speech roles and sentences of each document, once
        table_of = [tables[id(inst.parsed)] for inst in instances]
        roles = [t.speech[inst.token_index] for t, inst in zip(table_of, instances)]
        outside = {k for k, r in enumerate(roles) if r.intersection(self.outside_roles)
                   or self.outside_asides and _aside(table_of[k], instances[k].token_index)}
        inside = {k for k, r in enumerate(roles) if k not in outside and r.intersection(self.inside_roles)}
        return outside, inside | {k for k, inst in enumerate(instances) if self._bridged(inst.token_index, table_of[k])}

    def _bridged(self, i: int, table: DocTokens) -> bool:
        """Whether token ``i`` of ``table`` has no role and lies between two tokens of its sentence that are forced
        inside: the hyphen of "short-sighted"."""
        speech, sentence = table.speech, table.sentence_ids
        if speech[i] or not 0 < i < table.n - 1 or not sentence[i - 1] == sentence[i] == sentence[i + 1]:
            return False
        return all(speech[j].intersection(self.inside_roles) and not speech[j].intersection(self.outside_roles)
                   for j in (i - 1, i + 1))

    def apply_predictions(self, docs: Sequence[Document], instances: Sequence[TokenInstance],
                          predictions: Sequence[str]) -> list[Document]:
        out = copy_documents(docs, {inst.document.id for inst in instances})
        for doc in out.values():
            doc.metadata["gold_units"] = [u.to_dict() for u in doc.units]
            doc.metadata["gold_relations"] = [r.to_dict() for r in doc.relations]
            doc.relations = []
        gold_label = {d.id: {(u.start, u.end): u.label for u in d.units} for d in out.values()}
        spans = self.decode_spans(instances, predictions)
        for doc in out.values():
            doc.units = [Unit(id=f"S{i}", start=start, end=end, text=doc.text[start:end], label=self.unit_label,
                              attributes={"segment": True, "gold": gold_label[doc.id].get((start, end))})
                         for i, (start, end) in enumerate(spans.get(doc.id, []), start=1)]
        return list(out.values())

    def predicted_spans(self, estimator: Any, instances: Sequence[TokenInstance]) -> dict[str, list[tuple[int, int]]]:
        """The units ``estimator`` proposes, by document id: its tags decoded into spans, each trimmed of edge
        punctuation and space (``schema.trim_span``; a span with no letter or digit left is dropped). Labelling
        and the segment-rejecting classifier's out-of-fold negatives both take their spans from here."""
        texts = {inst.document.id: inst.document.text for inst in instances}
        spans = self.decode_spans(instances, self.predict(estimator, instances))
        return {doc_id: [span for a, b in found if (span := trim_span(texts[doc_id], a, b))]
                for doc_id, found in spans.items()}

    def decode_spans(self, instances: Sequence[TokenInstance],
                     predictions: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
        """The character spans of the units the tags describe, by document id, in reading order."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for members in paragraphs_of(instances):
            first = instances[members[0]]
            chars = token_spans(first.paragraph.tokens, first.parsed)
            found = spans.setdefault(first.document.id, [])
            for a, b in bio_spans(paragraph_tags(instances, members, predictions)):
                found.append((chars[a][0], chars[b - 1][1]))
        return spans

    def extra_scores(self, instances: Sequence[TokenInstance], gold: Sequence[str],
                     predicted: Sequence[str]) -> dict[str, float]:
        groups = [(bio_spans(paragraph_tags(instances, members, gold)),
                   bio_spans(paragraph_tags(instances, members, predicted)))
                  for members in paragraphs_of(instances)]
        return span_scores(groups)


def _aside(table: DocTokens, i: int) -> bool:
    """Whether token ``i`` is a cue of :data:`~mining.nlp.speech.ASIDE_LEMMAS` in the participle right after a comma."""
    return (i > 0 and "cue" in table.speech[i] and table.tag[i] == "VBG" and table.lower[i - 1] == ","
            and table.lemma[i] in ASIDE_LEMMAS)
