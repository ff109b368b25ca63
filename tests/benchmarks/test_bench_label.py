"""benchmarks/bench_label.py: the ratios it prints, against the bundle's pipeline and the package's whole one."""

from __future__ import annotations

import re
import sys
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import pytest

from tests.helpers import load_benchmark

TEXT = ("Cities should plant more trees, because shade cools the streets in summer. "
        "Some residents argue that the roots damage pavements, but the repairs cost less than the heat does.\n")


@pytest.fixture(scope="module")
def printed(miner_run: Path, tmp_path_factory) -> str:
    texts = tmp_path_factory.mktemp("bench") / "texts.txt"
    texts.write_text(TEXT * 20, encoding="utf-8")  # some tenths of a second: the printed seconds are not 0.00
    argv = sys.argv
    sys.argv = ["bench_label.py", "--model", str(miner_run), "--texts", str(texts), "--repeat", "1"]
    out = StringIO()
    try:
        with redirect_stdout(out):
            load_benchmark("bench_label").main()
    finally:
        sys.argv = argv
    return out.getvalue()


def _ratios(printed: str, baseline: str) -> dict[str, tuple[float, float, float]]:
    found = {}
    for clock, base, labelling, ratio in re.findall(
            rf"\[(wall|cpu)\] {baseline} +([\d.]+) s   labelling +([\d.]+) s   ratio ([\d.]+)", printed):
        found[clock] = (float(base), float(labelling), float(ratio))
    return found


def test_the_ratio_is_labelling_over_the_bundles_parse(printed: str):
    ratios = _ratios(printed, "spaCy alone")
    assert set(ratios) == {"wall", "cpu"}, printed
    for base, labelling, ratio in ratios.values():  # seconds printed to 0.01: the ratio within their rounding
        assert base > 0 and (labelling - 0.005) / (base + 0.005) <= ratio <= (labelling + 0.005) / (base - 0.005)
    assert re.search(r"budget 1\.20   (met|MISSED)", printed)


def test_a_bundle_without_ner_is_timed_against_the_whole_package_too(printed: str):
    """The miner parses without `ner` (configs/experiment/miner.yaml): the package's whole pipeline is the baseline
    a spaCy user pays by default, timed on the same chunks as the labelling."""
    assert "components=tok2vec,tagger,parser,attribute_ruler,lemmatizer " in printed, printed
    whole, alone = _ratios(printed, "spaCy whole"), _ratios(printed, "spaCy alone")
    assert set(whole) == {"wall", "cpu"}, printed
    assert whole["cpu"][1] == alone["cpu"][1]  # the same labelling seconds, two baselines
    assert ",ner, is the package" in printed
