"""The embedded news corpus: original wire-style reports annotated with claims, premises, holders and speech."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mining.corpora import jsonl, sample
from mining.schema import Document

EXTRA_SPLIT = "train-extra"  # the split of the sample's news reports when they are added


def news_path() -> Path:
    return Path(str(resources.files("mining.corpora") / "data" / "news.jsonl"))


def load(path: str | Path | None = None, sample_news: bool = False) -> list[Document]:
    """Load the news evaluation corpus shipped with the package (``path`` overrides it, for tests).

    781 reports written for the project (fictional parties), annotated by docs/news-guideline.md;
    documents 01-769 are ``train``, 770-781 ``test`` (21-32, 53-64, 65-76, 125-136, 137-160, 161-172, 173-184,
    185-196, 197-208, 209-220, 221-256, 257-268, 269-280, 281-292, 293-304, 305-316, 317-328, 350-361, 362-373,
    398-409, 410-421, 422-433, 434-445, 446-457, 458-469, 470-481, 482-493, 494-505, 542-553, 602-613, 614-625,
    626-637, 638-649, 650-661, 662-673, 674-685, 686-697, 698-709, 710-721, 722-733 and 746-757 were test reports
    until each was spent, and train since; 329-349, 374-397, 506-541, 554-601, 734-745 and 758-769 were added later
    as training data, 506-541 and 554-601 each led by a party against its topic, 734-745 with speakers' own views in
    the first person, 758-769 with judgements in participles and joined cues: see docs/news-corpus-history.md, "The
    split").
    ``sample_news=True`` adds the news reports of the sample corpus (``metadata.genre == "news"``) as extra
    *training* documents: their ids become ``sample-news-NN`` (the sample reuses ``news-NN``) and their split
    ``train-extra`` whatever the sample says: they never enter the test split, an official split trains on
    them with ``train_split: [train, train-extra]``, and CV (``GroupedCV(split="train", extra_split="train-extra")``)
    trains on them in every fold without scoring them.
    """
    docs = jsonl.load(path or news_path())
    if sample_news:
        docs += [_as_training(d) for d in sample.load() if d.metadata.get("genre") == "news"]
    return docs


def _as_training(doc: Document) -> Document:
    doc.metadata = {**doc.metadata, "source": "sample", "sample_id": doc.id, "sample_split": doc.split}
    doc.id, doc.split = f"sample-{doc.id}", EXTRA_SPLIT
    return doc
