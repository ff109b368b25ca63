"""The README's quick start runs as written: every `mining` command of its code blocks, in a fresh folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[1] / "README.md"


def quick_start_commands() -> list[str]:
    """The shell lines of the code blocks under "## Quick start", continuation lines joined."""
    section = README.read_text(encoding="utf-8").split("## Quick start")[1].split("\n## ")[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    lines = re.sub(r"\\\n\s*", " ", "".join(blocks)).splitlines()
    return [re.sub(r"\s+#.*$", "", line).strip() for line in lines if line.strip()]


def test_readme_quick_start_runs_as_written(tmp_path: Path):
    commands = quick_start_commands()
    assert len(commands) >= 8 and all("mining " in c for c in commands)
    script = shutil.which("mining", path=str(Path(sys.executable).parent))
    assert script, "the `mining` command is not installed: pip install -e ."
    env = {**os.environ, "MINING_HOME": str(tmp_path), "PATH": f"{Path(script).parent}{os.pathsep}{os.environ['PATH']}"}
    outputs = {}
    for command in commands:
        command = command.replace("/tmp/", f"{tmp_path}/")  # the examples write to /tmp: keep them here
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"
        outputs[command] = done.stdout
    labelled = next(out for command, out in outputs.items() if "mining label" in command)
    rows = [line.split("\t") for line in labelled.splitlines()]
    assert rows[0][:4] == ["doc", "holder", "stance", "label"]
    # The quick start's sentence: the mayor's position is a claim for the topic, held by her.
    assert any(r[1] == "Ana Ruiz" and r[3] == "claim" and r[2] == "for" for r in rows[1:]), labelled
