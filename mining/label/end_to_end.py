"""Score a labelling bundle end to end: label the raw text of test documents and compare with their gold."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.tokens import Doc

from mining.errors import UsageError
from mining.evaluation.documents import compare_documents
from mining.label.miner import ArgumentMiner
from mining.progress import note
from mining.schema import Document


def evaluate_end_to_end(miner: ArgumentMiner, docs: Sequence[Document], parsed: Sequence[Doc],
                        test_ids: Iterable[str]) -> tuple[dict[str, float], list[Document]]:
    """Label the raw text of the test documents (their paragraphs and topic kept, no unit given)
    and score the result against their gold units, positions and relations.

    Returns the flat scores of ``mining.evaluation.documents.compare_documents`` and the labelled
    documents.
    """
    test_ids = set(test_ids)
    pairs = [(d, p) for d, p in zip(docs, parsed) if d.id in test_ids]
    gold = [d for d, _ in pairs]
    bare = [d.unlabelled() for d in gold]
    labelled = miner.label_parsed(bare, [p for _, p in pairs])
    return compare_documents(gold, labelled), labelled


def add_end_to_end(result, docs, parsed, *, pipeline, run_dir: Path, prefix: str, timer) -> None:
    """Label the test documents' raw text with the fitted bundle; add its scores, predictions and timings."""
    if len(result.folds) != 1 or not isinstance(result.model, dict):
        raise UsageError("end_to_end needs subtasks and one train/test split (evaluation=official or holdout)")
    miner = ArgumentMiner(tasks=result.task, models=result.model, pipeline=pipeline,
                          sources={step: str(run_dir) for step in result.model})
    note(f"end to end: labelling the raw text of {len(result.folds[0].test)} test documents")
    with timer.stage("end_to_end"):
        scores, labelled = evaluate_end_to_end(miner, docs, parsed, result.folds[0].test)
    note(f"end to end: done in {timer.seconds['end_to_end']:.1f} s")
    result.metrics.update({f"{prefix}.end_to_end.{k}": v for k, v in scores.items()})
    for doc in labelled:
        doc.metadata["subtask"] = "end_to_end"
    result.predictions += labelled
    result.timings = dict(timer.seconds)
