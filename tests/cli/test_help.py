"""Every command and option says what it is for."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

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


def _commands(parser: argparse.ArgumentParser, path: list[str]) -> list[list[str]]:
    """Every command and subcommand, as ``["data", "stats"]``."""
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out += [[*path, name], *_commands(sub, [*path, name])]
    return out


def test_the_readme_command_table_names_every_command():
    """README's "## Commands" table: a command (or subcommand) missing from it is one a new user never sees."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands")[1].split("\n## ")[0]
    spans = [span.replace("\\|", "|") for span in re.findall(r"`(mining [^`]*)`", table)]
    missing = []
    for command in _commands(build_parser(), []):
        # "`mining data stats\|validate NAME`" names data stats and data validate
        named = [span for span in spans if span.startswith(f"mining {command[0]}")
                 and all(re.search(rf"[ |]{re.escape(word)}([ |\]]|$)", span) for word in command)]
        if not named:
            missing.append(" ".join(command))
    assert missing == [], f"README's command table does not name: {missing}"


def test_help_loads_no_pipeline():
    """`mining --help` and every command's parser start without spaCy or scikit-learn (importing spaCy took 1 s)."""
    code = ("import sys\nfrom mining.cli import build_parser\nbuild_parser()\n"
            "print(sorted(m for m in ('spacy', 'sklearn', 'mining.nlp.pipeline') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr
