"""Baselines on the news test split: the naive labeller, and any trained bundle, on the four news measures.

Usage:
    python benchmarks/news_baselines.py                              # the naive labeller
    python benchmarks/news_baselines.py --model logs/miner/runs/RUN  # a bundle, e.g. the AAEC miner
    python benchmarks/news_baselines.py -o /tmp/naive.jsonl          # also write the predictions
    python benchmarks/news_baselines.py --model RUN --by-lead        # also stance by the side a report leads with

The naive labeller makes every sentence of every line (headline included) a claim held by the author,
with no stance. Sentences are cut after ., ! or ? (and a closing quote) followed by a space. The scores
are those of ``mining evaluate-labels`` (``mining.evaluation.documents.compare_documents``), so
``mining evaluate-labels GOLD /tmp/naive.jsonl --shared-only`` prints the same numbers, GOLD being the
news corpus; written predictions can be checked that way. With `--by-lead`, the stance macro-F1 is printed
again for the reports led for their topic's measure and for those led against it (`news_leads.py`, with the words of
`experiment=news_miner`'s stance step).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from mining.corpora import jsonl, news
from mining.evaluation.documents import compare_documents
from mining.schema import AUTHOR, Document, Unit

SENTENCE_END = re.compile(r'(?<=[.!?])["”’]?\s+')
MEASURES = (("detection F1", "units.cover50.f1"), ("claim/premise macro-F1", "found.labels.macro_f1"),
            ("holder accuracy", "found.holder.accuracy"), ("stance macro-F1", "found.stance.macro_f1"))


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text[start:end]``, without surrounding whitespace."""
    spans, at = [], start
    for cut in [m.start() for m in SENTENCE_END.finditer(text, start, end)] + [end]:
        piece = text[at:cut]
        if piece.strip():
            left = at + len(piece) - len(piece.lstrip())
            spans.append((left, at + len(piece.rstrip())))
        at = cut
        while at < end and text[at].isspace():
            at += 1
    return spans


def naive_labels(doc: Document) -> Document:
    """``doc``'s text with every sentence a claim of the author, no stance and no relation."""
    spans = [s for start, end in doc.paragraphs for s in sentences(doc.text, start, end)]
    units = [Unit(f"T{i + 1}", a, b, doc.text[a:b], "claim", holder=AUTHOR) for i, (a, b) in enumerate(spans)]
    return Document(id=doc.id, text=doc.text, paragraphs=list(doc.paragraphs), topic=doc.topic, split=doc.split,
                    units=units, metadata={"labelled_by": "naive: every sentence a claim of the author"})


def bundle_labels(run_dir: str, docs: list[Document]) -> list[Document]:
    """The test documents labelled from their raw text (paragraphs and topic kept) by the bundle of ``run_dir``."""
    from mining.label.miner import ArgumentMiner

    bare = [d.unlabelled(metadata={}) for d in docs]
    return ArgumentMiner.from_run(run_dir).label(bare)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", metavar="RUN_DIR", help="score this bundle instead of the naive labeller")
    parser.add_argument("-o", "--output", type=Path, help="write the predicted test documents (jsonl)")
    parser.add_argument("--by-lead", action="store_true",
                        help="also the stance of the reports led for their topic and of those led against it")
    args = parser.parse_args()
    gold = [d for d in news.load() if d.split == "test"]
    predicted = bundle_labels(args.model, gold) if args.model else [naive_labels(d) for d in gold]
    if args.output:
        jsonl.save(predicted, args.output)
    scores = compare_documents(gold, predicted)
    print(f"{args.model or 'naive'} on the news test split ({len(gold)} documents, "
          f"{scores['units.n_gold']:.0f} gold units, {scores['units.n_predicted']:.0f} predicted)")
    for title, key in MEASURES:
        print(f"  {title:<24}{scores[key]:.3f}")
    if args.by_lead:
        _print_by_lead(gold, predicted)


def _print_by_lead(gold: list[Document], predicted: list[Document]) -> None:
    """Stance macro-F1 of the reports led for their topic's measure and of those led against it."""
    # imported here: Hydra's composition is needed only with --by-lead
    from news_leads import STANCE, scores_by_lead, topic_words  # this folder's

    from mining.cli.experiment import compose_experiment

    words = topic_words(compose_experiment(["experiment=news_miner"]))
    for lead, (n, scores) in scores_by_lead({d.id: d for d in gold}, predicted, words).items():
        title = f"stance, led {lead} ({n})"
        print(f"  {title:<24}{scores[STANCE]:.3f}")


if __name__ == "__main__":
    main()
