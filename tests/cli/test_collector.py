"""A command runs with the youngest GC generation collected less often, and gives the thresholds back."""

from __future__ import annotations

import gc

from mining import cli


def test_a_command_collects_the_youngest_generation_less_often_and_restores_the_thresholds(monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "dispatch", lambda argv: seen.append(gc.get_threshold()) or 0)
    before = gc.get_threshold()
    assert cli.main(["data", "stats", "sample"]) == 0
    assert seen == [(max(cli.FIRST_GENERATION, before[0]), *before[1:])]
    assert gc.get_threshold() == before
