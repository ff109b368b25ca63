"""Score a labelling bundle end to end: label the raw text of test documents and compare with their gold."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.tokens import Doc

from mining.errors import UsageError
from mining.evaluation.documents import compare_documents
from mining.evaluation.eger import TokenAnnotation, eger_scores
from mining.label.miner import ArgumentMiner
from mining.nlp.tokens import DocTokens, tokens_of
from mining.progress import note
from mining.schema import Document


def evaluate_end_to_end(miner: ArgumentMiner, docs: Sequence[Document], parsed: Sequence[Doc],
                        test_ids: Iterable[str]) -> tuple[dict[str, float], list[Document]]:
    """Label the raw text of the test documents (their paragraphs and topic kept, no unit given)
    and score the result against their gold units, positions and relations.

    Returns the flat scores of ``mining.evaluation.documents.compare_documents`` (characters, ours)
    and of ``mining.evaluation.eger.eger_scores`` (tokens of the parse, Eger et al.'s), and the
    labelled documents.
    """
    test_ids = set(test_ids)
    pairs = [(d, p) for d, p in zip(docs, parsed) if d.id in test_ids]
    gold = [d for d, _ in pairs]
    bare = [d.unlabelled() for d in gold]
    labelled = miner.label_parsed(bare, [p for _, p in pairs])
    tables = [tokens_of(p) for _, p in pairs]
    eger = eger_scores((token_annotation(g, t), token_annotation(l, t))
                       for g, l, t in zip(gold, labelled, tables, strict=True))
    return compare_documents(gold, labelled) | eger, labelled


def token_annotation(doc: Document, tokens: DocTokens) -> TokenAnnotation:
    """``doc``'s units and relations in word offsets: each unit takes every token it touches
    (``alignment_mode="expand"``), and whitespace tokens are not counted (spaCy keeps newlines as
    tokens; Eger et al.'s CoNLL files have none)."""
    words = tokens.running("not_space")  # words[t]: non-space tokens before token t
    spans, index = [], {}
    for k, unit in enumerate(doc.units):
        span = tokens.char_span(unit.start, unit.end, "expand")
        if span is None:
            raise UsageError(f"document {doc.id!r}: unit {unit.id!r} at characters {unit.start}-{unit.end} "
                             "covers no token of its parse")
        spans.append((words[span[0]], words[span[1]]))
        index[unit.id] = k
    relations = [(index[r.source], index[r.target], r.label) for r in doc.relations]
    return TokenAnnotation(spans, [u.label for u in doc.units], relations)


def add_end_to_end(result, docs, parsed, *, pipeline, run_dir: Path, prefix: str, timer,
                   domain: str | None = None) -> None:
    """Label the test documents' raw text with the fitted bundle (of the genre ``domain``); add its scores,
    predictions and timings."""
    if len(result.folds) != 1 or not isinstance(result.model, dict):
        raise UsageError("end_to_end needs subtasks and one train/test split (evaluation=official or holdout)")
    miner = ArgumentMiner(tasks=result.task, models=result.model, pipeline=pipeline,
                          sources={step: str(run_dir) for step in result.model}, domain=domain)
    note(f"end to end: labelling the raw text of {len(result.folds[0].test)} test documents")
    with timer.stage("end_to_end"):
        scores, labelled = evaluate_end_to_end(miner, docs, parsed, result.folds[0].test)
    note(f"end to end: done in {timer.seconds['end_to_end']:.1f} s")
    result.metrics.update({f"{prefix}.end_to_end.{k}": v for k, v in scores.items()})
    for doc in labelled:
        doc.metadata["subtask"] = "end_to_end"
    result.predictions += labelled
    result.timings = dict(timer.seconds)
