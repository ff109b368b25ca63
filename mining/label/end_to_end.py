"""Score a labelling bundle end to end: label the raw text of test documents and compare with their gold."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from mining.evaluation.documents import compare_documents
from mining.label.miner import ArgumentMiner
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
