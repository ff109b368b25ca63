"""Re-running a recorded run: its overrides, spelt as today's configs spell them."""

from __future__ import annotations

import pytest

from mining.runs.reproduce import current_override


@pytest.mark.parametrize("recorded, today", [
    ("data.options.format=brat", "data.format=brat"),
    ("+data.options.unit_labels.Claim=claim", "+data.unit_labels.Claim=claim"),
    ("++data.options.language=de", "++data.language=de"),
    ("~data.options.format", "~data.format"),
    ("data.path=/corpus", "data.path=/corpus"),
    ("model.C=0.3", "model.C=0.3"),
])
def test_data_options_of_older_runs_become_loader_arguments(recorded: str, today: str):
    assert current_override(recorded) == today
