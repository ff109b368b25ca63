"""Fixtures of the model tests: the sample corpus's token instances with their gold tags (the pipeline, ``nlp``, is
tests/conftest.py's)."""

from __future__ import annotations

import pytest

from mining.corpora import load_corpus
from mining.tasks.segmentation import SegmentationTask


@pytest.fixture(scope="module")
def sample_tokens(nlp):
    """The segmentation task, the sample corpus's token instances and their gold BIO tags."""
    docs = load_corpus("sample")
    task = SegmentationTask()
    instances = task.build_instances(docs, list(nlp.pipe(d.text for d in docs)))
    return task, instances, task.gold_labels(instances)
