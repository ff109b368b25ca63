"""benchmarks/holder_probe.py: holders of short passages, one construction of news attribution each."""

from __future__ import annotations

import re

import pytest

from mining.evaluation.holders import holder_matches
from tests.helpers import load_benchmark


@pytest.fixture(scope="module")
def probe():
    return load_benchmark("holder_probe")


def test_every_case_of_the_probe_reads_and_names_a_holder(probe):
    cases = probe.read_cases(probe.PROBE)
    assert len(cases) >= 90
    assert all(holder for *_, holder in cases)


@pytest.mark.parametrize(("line", "problem"), [
    ("A said X. || X || A || B", "expected 'passage || unit || holder', got 4 fields"),
    ("A said X and X. || X || A", "occurs 2 times in its passage, not once"),
])
def test_a_malformed_case_names_its_line(probe, tmp_path, line, problem):
    path = tmp_path / "probe.txt"
    path.write_text(f"# a construction\nB said Y. || Y || B\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"probe\.txt:3: .*{re.escape(problem)}"):
        probe.read_cases(path)


def test_the_rules_hold_most_of_the_probe(probe):
    # 240 of its 258 cases with the rules of 5 December 2026 (benchmarks/holder_probe.py)
    cases = probe.read_cases(probe.PROBE)
    found = probe.attribute_cases(cases)
    right = sum(holder_matches(holder, got) for (_, _, _, holder), got in zip(cases, found))
    assert right / len(cases) >= 0.9, right
