"""Every command and option says what it is for."""

from __future__ import annotations

import argparse

from mining.cli import build_parser


def _undocumented(parser: argparse.ArgumentParser, path: list[str]) -> list[str]:
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helped = {a.dest for a in action._choices_actions if a.help}
            for name, sub in action.choices.items():
                missing += [] if name in helped else [" ".join([*path, name])]
                missing += _undocumented(sub, [*path, name])
        elif not isinstance(action, argparse._HelpAction) and not action.help:
            missing.append(f"{' '.join(path)} {'/'.join(action.option_strings) or action.dest}")
    return missing


def test_every_command_and_option_has_help():
    assert _undocumented(build_parser(), ["mining"]) == []


def test_run_help_lists_the_groups_and_examples():
    from tests.helpers import run_mining

    done = run_mining("run", "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: mining run")
    assert "experiment: " in done.stdout and "sample_components" in done.stdout and "model: " in done.stdout
    assert done.stdout.count("\n  mining run ") == 3  # three example commands
    assert "powered by Hydra" not in done.stdout
