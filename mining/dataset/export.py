"""Export a corpus as a Hugging Face dataset folder: ``save_to_disk`` with the declared Features, and a dataset card."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mining.corpora import SHIPPED, hf, jsonl
from mining.dataset.stats import corpus_stats
from mining.schema import Document

# The sample corpus was written and annotated for this project (README, "Quick start"), so it is under
# the project's own licence, MIT (pyproject.toml). Anything else is the user's or a publisher's data,
# whose licence we cannot know: "unknown" until the user says otherwise.
SAMPLE_LICENSE = "mit"
DEFAULT_LICENSE = "unknown"
SAMPLE_DESCRIPTION = (
    "The sample corpus embedded in `mining`: short argumentative essays and news-style reports written and "
    "annotated for the project, so that its tests and quick start run anywhere. It is a demo corpus, not a "
    "benchmark: numbers measured on it say nothing about argument mining."
)
TASK_CATEGORIES = ("token-classification", "text-classification")


def default_license(name: str) -> str:
    """The licence the card declares when none is given: the project's own for the corpora it ships
    (sample, news: both written for it), else ``unknown``."""
    return SAMPLE_LICENSE if name in SHIPPED else DEFAULT_LICENSE


def export_hf(docs: Sequence[Document], out: str | Path, *, name: str, license: str,  # noqa: A002
              source: str | None = None, overwrite: bool = False) -> Path:
    """Save ``docs`` with ``Dataset.save_to_disk`` (:data:`mining.corpora.hf.FEATURES`) and a README.md card.

    The folder is built beside ``out`` and renamed into place, so an interrupted export leaves no
    half-written dataset. An existing non-empty ``out`` is an error unless ``overwrite``, and with it too when it
    holds anything but a saved dataset (:func:`mining.corpora.hf.save`).

    Examples
    --------
    >>> from mining.corpora import hf, load_corpus
    >>> import datasets, tempfile
    >>> out = export_hf(load_corpus("sample"), tempfile.mkdtemp() + "/sample", name="sample", license="mit")
    >>> hf.from_dataset(datasets.load_from_disk(str(out))) == load_corpus("sample")
    True
    """
    out = Path(out)
    hf.save(docs, out, overwrite=overwrite,
            files={"README.md": dataset_card(docs, name=name, license=license, source=source)})
    return out


# The card's prose; ``dataset_card`` fills in the fields.
_CARD = """# {name}

{description}

{licence_note}

Fingerprint (SHA-256 of the documents in canonical JSONL, `mining.corpora.jsonl.fingerprint`):
`{fingerprint}`

## Counts

- documents: {documents}
- units: {units} ({unit_labels})
- stance: {stance}
- holders: {holders}
- relations: {relations} ({relation_labels})

| split | documents | units | labels |
|---|---|---|---|
{splits}

## Schema

One row per document. Offsets are character offsets into `text`, `[start, end)`.

| field | type | meaning |
|---|---|---|
| `id` | string | document id |
| `text` | string | the document text |
| `paragraphs` | list of `[start, end]` | paragraph spans |
| `topic` | string | the prompt or topic, if any |
| `split` | string | the corpus split (`train`/`test`) or null; the dataset itself is one table |
| `metadata` | string | JSON object |
| `units` | list | `id`, `start`, `end`, `text`, `label` (ClassLabel: major_claim, claim, premise), `stance` \
(ClassLabel: for, against; null when none), `holder`, `attributes` (JSON), `fragments` (pieces of a discontinuous \
unit, or null) |
| `relations` | list | `id`, `source` and `target` (unit ids), `label` (ClassLabel: support, attack), \
`attributes` (JSON) |

## Loading

With `datasets`:

```python
from datasets import load_from_disk

dataset = load_from_disk("PATH/TO/THIS/FOLDER")
test = dataset.filter(lambda row: row["split"] == "test")
```

With `mining` (back to `mining.schema.Document`s, losslessly):

```python
from datasets import load_from_disk
from mining.corpora import hf, load_corpus

docs = hf.from_dataset(load_from_disk("PATH/TO/THIS/FOLDER"))
docs = load_corpus("hf", "PATH/TO/THIS/FOLDER")  # the same
```

or in an experiment: `mining run data=custom data.path=PATH/TO/THIS/FOLDER`.

## Sharing on the Hugging Face Hub

Only if the licence allows it. Log in (`huggingface-cli login`), push the data, then this card:

```python
from datasets import load_from_disk
from huggingface_hub import HfApi

load_from_disk("PATH/TO/THIS/FOLDER").push_to_hub("USER/{name}", private=True)
HfApi().upload_file(path_or_fileobj="PATH/TO/THIS/FOLDER/README.md", path_in_repo="README.md",
                    repo_id="USER/{name}", repo_type="dataset")
```
"""


def dataset_card(docs: Sequence[Document], *, name: str, license: str,  # noqa: A002
                 source: str | None = None) -> str:
    """A Hugging Face dataset card: YAML front matter (licence, task, language, features), then the prose."""
    import yaml

    docs = list(docs)
    front = _front_matter(len(docs), name=name, license=license)
    body = _CARD.format(name=name, description=_description(name, source), licence_note=_licence_note(license),
                        fingerprint=jsonl.fingerprint(docs), **_counts(corpus_stats(docs)))
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + body


def _front_matter(n_docs: int, *, name: str, license: str) -> dict:  # noqa: A002
    """The card's YAML metadata, as the Hub reads it."""
    return {
        "license": license,
        "language": ["en"],
        "pretty_name": name,
        "task_categories": list(TASK_CATEGORIES),
        "tags": ["argument-mining"],
        "size_categories": [_size_category(n_docs)],
        # the same YAML that datasets writes for these Features (Features._to_yaml_list is what
        # DatasetInfo._to_yaml_dict calls when push_to_hub writes a card)
        "dataset_info": {"features": hf.FEATURES._to_yaml_list()},
    }


def _description(name: str, source: str | None) -> str:
    return SAMPLE_DESCRIPTION if name == "sample" else (
        f"Argument-mining corpus `{name}`" + (f" read from `{source}`" if source else "")
        + ", converted to the `mining` schema.")


def _licence_note(license: str) -> str:  # noqa: A002
    return ("The licence is `unknown`: set it with `mining data export ... --license ID` once you know it, "
            "and check that the source corpus may be redistributed before sharing it (AAEC v2, for one, is "
            "for research use only)." if license == DEFAULT_LICENSE else f"Licence: `{license}`.")


def _counts(stats: dict) -> dict[str, str]:
    """The card's count fields from :func:`mining.dataset.stats.corpus_stats`: totals, per label, per split."""
    splits = "\n".join(f"| {split} | {s['documents']} | {s['units']} | "
                       + ", ".join(f"{k} {v}" for k, v in s["labels"].items()) + " |"
                       for split, s in stats["splits"].items()) or "| (none) | | | |"
    return {
        "documents": str(stats["documents"]),
        "units": str(sum(stats["units"].values())),
        "unit_labels": _pairs(stats["units"]),
        "stance": _pairs(stats["stance"]),
        "holders": _pairs(dict(list(stats["holders"].items())[:10])) or "none",
        "relations": str(sum(stats["relations"].values())),
        "relation_labels": _pairs(stats["relations"]),
        "splits": splits,
    }


def _pairs(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return label
    return "n>1M"
