"""Every shell command and Python example of README.md and docs/*.md runs in a test as written, or is listed
in SKIPPED (SKIPPED_PYTHON) with why.

The blocks are found by their fence (```bash, ```sh, ```shell, ```console); each belongs to one test in
RUN_BY, which runs its commands in a fresh folder, or all of its commands are in SKIPPED.
`test_every_shell_block_is_run_or_skipped` fails on a block or command that is neither, and on an entry
that names nothing in the docs any more, so a new block needs a test (or a reason) before it lands.

The commands run as written, with these substitutions (SUBSTITUTIONS): the real corpora's folder
``../shared/corpora`` becomes a copy of it that holds six AAEC essays (symlinks to the real files; the whole
of AAEC takes minutes), ``../shared/examples`` the real examples, ``/tmp/`` the test's folder, and
Hydra's joblib launcher the basic one (the same jobs in this process; tests/runs/test_seed_sweep.py runs a
joblib sweep). The pages say so where they show such commands. They run in this process where that is faithful
(tests/helpers.py), so a page's dozen commands do not pay a dozen interpreter start-ups.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import needs_own_process, run_mining_here, run_mining_process

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
SHELL = ("bash", "sh", "shell", "console")
EXAMPLES = ROOT.parent / "shared" / "examples"
NEWS_GUIDELINE = ROOT / "docs/news-guideline.md"  # the rules an annotator reads
NEWS_HISTORY = ROOT / "docs/news-corpus-history.md"  # the splits, counts and agreement logs behind them
EXPERIMENTS = ROOT / "experiments/README.md"  # our numbers beside the published ones
NEWS_MODEL_HISTORY = ROOT / "experiments/news-history.md"  # the news model's earlier test splits and settings tried
AAEC_HISTORY = ROOT / "experiments/aaec-history.md"  # the AAEC settings tried, earlier records and timings
MINI_ESSAYS = ("essay001", "essay002", "essay003", "essay004", "essay005", "essay006")  # 3 train, 3 test

# Which test runs each shell block: "PAGE#N" (the N-th shell block of PAGE, from 1) -> test name.
RUN_BY = {
    "README.md#2": "test_readme_quick_start_runs_as_written",
    "README.md#3": "test_readme_quick_start_runs_as_written",
    "docs/annotation.md#1": "tests/annotate/test_walkthrough.py (needs the servers: skipped without them)",
    "docs/annotation.md#3": "tests/test_walkthrough.py",
    "docs/corpora.md#1": "test_corpora_page_commands",
    "docs/experiments.md#1": "test_experiments_page_commands",
    "docs/experiments.md#2": "test_experiments_page_commands",
    "docs/experiments.md#3": "test_experiments_page_commands",
    "docs/experiments.md#4": "test_experiments_page_commands",
    "docs/experiments.md#5": "test_experiments_page_commands",
    "docs/experiments.md#6": "test_experiments_page_commands",
    "docs/labelling.md#1": "test_labelling_page_commands",
    "docs/news-corpus-history.md#1": "test_news_history_agreement_as_printed",
    # the agreement blocks of the second annotators after the first: one a split or a sample each, more each session
    **{f"docs/news-corpus-history.md#{n}": "test_news_history_test_split_agreements_as_printed" for n in range(2, 50)},
    # The Python examples run too (exec, in the folder the page's commands ran in).
    "docs/corpora.md#py1": "test_corpora_page_commands",
    "docs/labelling.md#py1": "test_labelling_page_commands",
    "docs/labelling.md#py2": "test_labelling_page_commands",
}

# Python examples no test runs, with the reason.
SKIPPED_PYTHON = {
    "docs/labelling.md#py3": "starts a local Dask cluster: tests/label/test_cluster.py calls label_to_folder",
}

# Commands no test runs, by page, each with the reason.
SKIPPED = {
    ("README.md", 'pip install -e ".[launchers,tracking,test]"'): "installs the environment these tests run in",
    ("README.md", "python -m pytest"): "the test suite itself",
    ("docs/annotation.md", "scripts/annotation-servers start"):
        "installs and starts Label Studio and doccano (minutes); tests/annotate needs them and skips without",
    ("docs/annotation.md", ". ~/.cache/mining/annotation-servers/env"): "only after the servers started",
    ("docs/annotation.md", "python -m pytest -m servers -n 0 tests/annotate"): "the server tests themselves",
    ("docs/annotation.md", "scripts/annotation-servers stop"): "only after the servers started",
    ("docs/experiments.md", "mining run -m experiment=aaec_components model=logreg,linear_svc,random_forest "
                            "hydra/launcher=slurm hydra.launcher.partition=cpu"):
        "needs a SLURM cluster: tests/test_launchers.py submits a sweep where `sinfo` finds one (CI starts one)",
    ("docs/experiments.md", "mlflow ui --backend-store-uri sqlite:///logs/mlflow.db"): "starts a web server",
    ("docs/labelling.md", "mining run experiment=miner data.path=../shared/corpora/aaec-v2 hydra.run.dir=runs/miner"):
        "trains on all of AAEC (18 minutes: docs/labelling.md): the session's sample miner (conftest miner_run) "
        "stands in as runs/miner; the README quick start runs `mining run experiment=miner`",
    ("docs/labelling.md", "sbatch --array=0-9 --wrap 'mining label corpus.jsonl --model runs/miner --shard "
                          "$SLURM_ARRAY_TASK_ID/10 -o labelled/part-$SLURM_ARRAY_TASK_ID.jsonl'"):
        "needs SLURM's sbatch: --shard is tested in tests/label/test_label_cli.py",
    ("docs/labelling.md", "mining label archive.jsonl --model runs/miner --engine dask --n-process 2 -o labelled/"):
        "starts a local Dask cluster of worker processes: tests/label/test_cluster.py runs `mining label "
        "--engine dask` (test_a_killed_command_resumes_to_the_same_bytes)",
    ("docs/labelling.md", "mining label archive/ --model runs/miner --scheduler tcp://head:8786 -o /shared/labelled/"):
        "needs a running Dask scheduler",
}


@dataclass(frozen=True)
class Block:
    """One fenced block of a page: where it starts, its language and its text."""

    page: str
    line: int
    lang: str
    body: str

    def commands(self) -> list[str]:
        """Its shell lines, continuation lines joined, comments and blank lines dropped."""
        lines = re.sub(r"\s*\\\n\s*", " ", self.body).splitlines()
        lines = [re.sub(r"(^|\s+)#.*$", "", line).strip() for line in lines]
        return [line for line in lines if line]


def blocks(path: Path) -> list[Block]:
    """Every fenced block of the page ``path``, in order."""
    page = path.relative_to(ROOT).as_posix()
    found, lang, start, body = [], None, 0, []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fence = re.match(r"^\s*```(\w*)\s*$", line)
        if fence and lang is None:
            lang, start, body = fence.group(1), n, []
        elif fence:
            found.append(Block(page, start, lang, "\n".join(body) + "\n"))
            lang = None
        elif lang is not None:
            body.append(line)
    assert lang is None, f"{page}:{start}: a code block is never closed"
    return found


def shell_blocks(path: Path) -> dict[str, Block]:
    """The page's shell blocks by key, ``PAGE#N``."""
    shell = [b for b in blocks(path) if b.lang in SHELL]
    return {f"{b.page}#{n}": b for n, b in enumerate(shell, start=1)}


def python_blocks(path: Path) -> dict[str, Block]:
    """The page's Python examples by key, ``PAGE#pyN``."""
    found = [b for b in blocks(path) if b.lang == "python"]
    return {f"{b.page}#py{n}": b for n, b in enumerate(found, start=1)}


def runnable(key: str, block: Block) -> list[str]:
    return [c for c in block.commands() if (block.page, c) not in SKIPPED]


def test_every_shell_block_is_run_or_skipped():
    keys, commands = {}, set()
    for page in PAGES:
        for key, block in shell_blocks(page).items():
            keys[key] = block
            commands |= {(block.page, c) for c in block.commands()}
        for block in blocks(page):  # commands shown outside a shell block would escape this test
            if block.lang not in (*SHELL, "python"):
                assert not re.search(r"^\s*(\$ )?(mining|python|pip) ", block.body, flags=re.M), \
                    f"{block.page}:{block.line}: commands in a ```{block.lang} block: fence it as ```bash"
    uncovered = [f"{key} ({block.page}:{block.line})" for key, block in keys.items()
                 if key not in RUN_BY and runnable(key, block)]
    python = {key: block for page in PAGES for key, block in python_blocks(page).items()}
    uncovered += [f"{key} ({block.page}:{block.line})" for key, block in python.items()
                  if key not in RUN_BY and key not in SKIPPED_PYTHON]
    keys.update(python)
    assert not set(SKIPPED_PYTHON) - set(python), "SKIPPED_PYTHON names blocks that are gone"
    assert not uncovered, f"blocks no test runs: {uncovered}; add them to RUN_BY, SKIPPED or SKIPPED_PYTHON"
    assert not set(RUN_BY) - set(keys), f"RUN_BY names blocks that are gone: {set(RUN_BY) - set(keys)}"
    assert not set(SKIPPED) - commands, f"SKIPPED names commands that are gone: {set(SKIPPED) - commands}"
    here = Path(__file__).read_text(encoding="utf-8")
    for key, test in RUN_BY.items():
        name = test.split()[0]
        assert f"def {name}(" in here or (ROOT / name).is_file(), f"{key}: no test {name}"


# --- running a page's blocks ---

SUBSTITUTIONS = (("hydra/launcher=joblib", "hydra/launcher=basic"),)


def page_commands(test: str) -> list[str]:
    """The commands of every block RUN_BY gives ``test``, in page order, without the SKIPPED ones."""
    out = []
    for page in PAGES:
        for key, block in shell_blocks(page).items():
            if RUN_BY.get(key) == test:
                out += runnable(key, block)
    assert out, f"no block is run by {test}"
    return out


@pytest.fixture(scope="module")
def mini_corpora(corpora: Path, tmp_path_factory) -> Path:
    """A corpora folder like the real one, whose ``aaec-v2`` holds six essays (symlinks to the real files)."""
    root = tmp_path_factory.mktemp("corpora")
    for folder in corpora.iterdir():
        if folder.is_dir() and folder.name != "aaec-v2":
            (root / folder.name).symlink_to(folder)
    aaec, brat = corpora / "aaec-v2", root / "aaec-v2" / "brat-project-final"
    brat.mkdir(parents=True)
    for f in aaec.iterdir():
        if f.is_file():
            (root / "aaec-v2" / f.name).symlink_to(f)
    (brat / "annotation.conf").symlink_to(aaec / "brat-project-final" / "annotation.conf")
    for essay in MINI_ESSAYS:
        for suffix in (".txt", ".ann"):
            (brat / f"{essay}{suffix}").symlink_to(aaec / "brat-project-final" / f"{essay}{suffix}")
    return root


def run_command(command: str, folder: Path, corpora: Path | None = None, cwd: Path | None = None):
    """One doc command with SUBSTITUTIONS, in ``cwd`` (default ``folder``), ``MINING_HOME=folder``."""
    for old, new in (*SUBSTITUTIONS, ("../shared/examples", str(EXAMPLES)), ("/tmp/", f"{folder}/"),
                     *((("../shared/corpora", str(corpora)),) if corpora else ())):
        command = command.replace(old, new)
    argv = shlex.split(command)
    argv[0] = sys.executable if argv[0] == "python" else argv[0]
    env = {"MINING_HOME": str(folder), **({"MINING_CORPORA": str(corpora)} if corpora else {})}
    if argv[0] != "mining":
        return subprocess.run(argv, cwd=cwd or folder, env={**os.environ, **env}, capture_output=True, text=True,
                              timeout=300)
    args = [*argv[1:], *(["nlp.progress=false"] if argv[1] == "run" else [])]
    if needs_own_process(args):
        return run_mining_process(args, cwd=cwd or folder, env=env)
    return run_mining_here(args, cwd=cwd or folder, env=env)


def run_python(test: str, folder: Path, corpora: Path | None = None) -> None:
    """Run the Python examples RUN_BY gives ``test`` in ``folder``, with the shell commands' substitutions."""
    examples = [b for page in PAGES for key, b in python_blocks(page).items() if RUN_BY.get(key) == test]
    assert examples, f"no Python example is run by {test}"
    old_cwd = os.getcwd()
    os.chdir(folder)
    try:
        for block in examples:
            code = block.body.replace("../shared/corpora", str(corpora)) if corpora else block.body
            exec(compile(code, f"{block.page}:{block.line}", "exec"), {"__name__": "__doc_example__"})
    finally:
        os.chdir(old_cwd)


def run_all(test: str, folder: Path, corpora: Path | None = None, cwd: Path | None = None) -> dict[str, str]:
    """Run ``test``'s commands in order, each must succeed; their outputs by command."""
    outputs = {}
    for command in page_commands(test):
        done = run_command(command, folder, corpora, cwd)
        assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"
        outputs[command] = done.stdout
    return outputs


@pytest.mark.slow
def test_corpora_page_commands(mini_corpora: Path, tmp_path: Path):
    outputs = run_all("test_corpora_page_commands", tmp_path, mini_corpora)
    stats = next(out for command, out in outputs.items() if "stats aaec" in command)
    assert '"documents": 6' in stats.replace(" ", "").replace('":', '": '), stats[:500]
    assert (tmp_path / "aaec.jsonl").read_text(encoding="utf-8").count("\n") == len(MINI_ESSAYS)
    assert "ok" in outputs["mining data validate aaec.jsonl"]
    run_python("test_corpora_page_commands", tmp_path, mini_corpora)


@pytest.mark.slow
def test_experiments_page_commands(mini_corpora: Path, tmp_path: Path):
    outputs = run_all("test_experiments_page_commands", tmp_path, mini_corpora)
    assert len(list((tmp_path / "logs/aaec-seeds").glob("*/metrics.json"))) == 9
    table = outputs["mining compare logs/aaec-seeds --plot sweep.png"]
    assert all(re.search(rf"^{model}\s+3\s+0,1,2\s", table, flags=re.M) for model in
               ("logreg", "linear_svc", "random_forest")), table
    assert (tmp_path / "sweep.png").stat().st_size > 0
    assert "reproduced" in outputs["mining reproduce logs/aaec-seeds/0"]
    assert "difference B - A" in outputs["mining compare logs/aaec-seeds/0 logs/aaec-seeds/3 --test bootstrap"]
    shown = next(out for command, out in outputs.items() if "--cfg hydra" in command)
    assert "hydra/launcher: slurm" in shown and "mem_gb: 16" in shown, shown[-2000:]
    assert (tmp_path / "logs/mlflow.db").stat().st_size > 0


# Original texts for the commands that label a user's folders.
ESSAYS = {"uniforms.txt": "Schools should require uniforms. They reduce bullying about clothes, and families "
                          "spend less money on fashion.\n"}
NEWS = {"ferry.txt": "Harbour master Jonas Lind said that the night ferry should keep running. \"Nurses and "
                     "bakers travel on it every night,\" he told the council.\n"}


@pytest.mark.slow
def test_labelling_page_commands(miner_run: Path, tmp_path: Path):
    if not (EXAMPLES / "berlin-talks-news.txt").is_file():
        pytest.skip(f"the example text is not at {EXAMPLES}")
    for folder, texts in (("essays", ESSAYS), ("news", NEWS)):
        (tmp_path / folder).mkdir()
        for name, text in texts.items():
            (tmp_path / folder / name).write_text(text, encoding="utf-8")
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs/miner").symlink_to(miner_run)  # for the AAEC training command SKIPPED gives the reason
    outputs = run_all("test_labelling_page_commands", tmp_path)
    tables = [out for command, out in outputs.items() if "--format table" in command]
    assert len(tables) == 2 and all(t.startswith("doc\tholder\tstance\tlabel") for t in tables), tables
    assert "uniforms" in tables[1]
    labelled = (tmp_path / "news.labelled.jsonl").read_text(encoding="utf-8")
    assert '"id": "ferry"' in labelled
    run_python("test_labelling_page_commands", tmp_path)


def test_news_history_agreement_as_printed(tmp_path: Path):
    """The recipe runs from the checkout (it reads the shipped files) and prints what the page shows."""
    outputs = run_all("test_news_history_agreement_as_printed", tmp_path, cwd=ROOT)
    shown = next(b for b in blocks(NEWS_HISTORY)
                 if b.lang == "" and b.body.startswith("documents        12 (/tmp/news-A-shared.jsonl"))
    printed = outputs[page_commands("test_news_history_agreement_as_printed")[-1]]
    assert printed.replace(f"{tmp_path}/", "/tmp/").strip() == shown.body.strip()


# What `mining data agreement` and `mining evaluate-labels` print for a second annotator against A (not the first
# annotator's shared reports, which test_news_history_agreement_as_printed checks).
SECOND_ANNOTATOR_OUTPUT = re.compile(r"documents( +\d+ \(/tmp/news-A-(?!shared\.)| \d+: )")


def test_news_history_test_split_agreements_as_printed(tmp_path: Path):
    """A against C on news-53..64 (the second test split, training data since the second re-split), A
    against D on news-125..136 (the third, training data since the fourth), A against E on news-137..148
    (which joined it), A against F on news-149..160 (which joined it at the fourth re-split), A against
    G on news-161..172 (the fifth), A against H on news-173..184 (the sixth), A against I on news-185..196
    (the seventh), A against J on news-197..208 (the eighth), A against K on news-209..220 (the ninth), A
    against L on news-221..232 (the tenth), A against M on news-233..244 (which joined it; and on the 7 of
    them M saw nothing of), A against N on news-245..256 (which joined it last), A against O on news-257..268
    (the eleventh), A against P on news-269..280 (the twelfth), A against Q on news-281..292 (the thirteenth), A
    against R on news-293..304 (the fourteenth), A against S on news-305..316 (the fifteenth), A against T
    on news-317..328 (the sixteenth), A against U on news-350..361 (the seventeenth), A against V on
    news-362..373 (the eighteenth), A against W on news-398..409 (the nineteenth), A against X on news-410..421
    (the twentieth), A against Y on news-422..433 (the twenty-first), A against Z on news-434..445 (the
    twenty-second), A against AA on news-446..457 (the twenty-third), A against AB on news-458..469 (the
    twenty-fourth), A against AC on news-470..481 (the twenty-fifth), A against AE on news-482..493 (the
    twenty-sixth), A against AK on news-494..505 (the twenty-seventh), A against BF on news-542..553 (the
    twenty-eighth), A against BG on news-602..613 (the twenty-ninth), A against BH on news-614..625 (the
    thirtieth), A against BI on news-626..637 (the thirty-first), A against BJ on news-638..649 (the
    thirty-second), A against BK on news-650..661 (the thirty-third), A against BL on news-662..673 (the
    thirty-fourth), A against BM on news-674..685 (the thirty-fifth), A against BN on news-686..697 (the
    thirty-sixth), A against BO on news-698..709 (the thirty-seventh), A against BP on news-710..721 (the
    thirty-eighth), A against BQ on news-722..733 (the thirty-ninth), A against BR on news-734..745 (training reports
    added after it), A against BS on news-746..757 (the fortieth), A against BT on twelve training reports with
    concessions, A against BU and BV on news-758..763 and news-764..769 (training reports added after the fortieth)
    and A against BW on news-770..781 (the forty-first):
    each agreement and evaluate-labels command prints what the page shows, in its order."""
    test = "test_news_history_test_split_agreements_as_printed"
    outputs = run_all(test, tmp_path, cwd=ROOT)
    shown = [b.body.strip() for b in blocks(NEWS_HISTORY)
             if b.lang == "" and SECOND_ANNOTATOR_OUTPUT.match(b.body)]
    printed = [outputs[c].replace(f"{tmp_path}/", "/tmp/").strip()
               for c in page_commands(test) if c.startswith("mining ")]
    assert len(printed) == 95 and printed == shown


def test_readme_reads_in_five_minutes():
    size = len(README.read_text(encoding="utf-8"))
    assert size < 10_000, f"README.md has {size} characters: move detail to docs/"


def test_news_guideline_reads_as_a_guideline():
    """The guideline is what an annotator reads: the rules, under the headings code and tests cite, and a summary of
    the counts and agreement; every re-split, count and agreement log goes to the history page, linked from it."""
    text = NEWS_GUIDELINE.read_text(encoding="utf-8")
    assert len(text) < 40_000, f"docs/news-guideline.md has {len(text)} characters: move history to {NEWS_HISTORY.name}"
    headings = set(re.findall(r"^## (.+)$", text, flags=re.M))
    assert {"The document", "What is a unit", "The span", "Holder", "Stance", "Counts", "Agreement"} <= headings
    assert f"]({NEWS_HISTORY.name}" in text, "the guideline no longer links to the corpus history"


def anchor(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading, as GitHub makes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_experiments_news_section_holds_the_current_model():
    """experiments/README.md's News section is what a reader needs today (the model scored on the split in force and
    that split, under the heading README.md links to); every earlier split, scoring and setting tried goes to the
    history page, linked from it and linking back."""
    text = EXPERIMENTS.read_text(encoding="utf-8")
    news = text[text.index("\n## News (") + 1:].split("\n## ", 1)[0]
    heading = news.split("\n", 1)[0].removeprefix("## ")
    link = f"experiments/README.md#{anchor(heading)}"
    assert f"]({link})" in README.read_text(encoding="utf-8"), f"README.md no longer links to {link}"
    assert len(news) < 40_000, f"its News section has {len(news)} characters: move history to {NEWS_MODEL_HISTORY.name}"
    assert len(re.findall(r"^### .* re-split: ", news, flags=re.M)) == 1, "only the split in force stays in News"
    assert f"]({NEWS_MODEL_HISTORY.name})" in news, "the News section no longer links to the model's history"
    assert f"](README.md#{anchor(heading)})" in NEWS_MODEL_HISTORY.read_text(encoding="utf-8")


def test_experiments_aaec_part_holds_the_current_figures():
    """experiments/README.md's two AAEC sections (gold units, end to end) hold what a reader needs today: the figures
    beside the papers' with their commands, how much they move, and the latest timings against issue 19's budgets;
    the settings tried, kept or not, earlier records and earlier timings go to the history page, linked both ways."""
    text = EXPERIMENTS.read_text(encoding="utf-8")
    aaec = text[text.index("\n## AAEC v2 (") + 1:text.index("\n## arg-microtexts")]
    assert len(aaec) < 30_000, f"its AAEC part has {len(aaec)} characters: move history to {AAEC_HISTORY.name}"
    assert "Tried, not kept" not in aaec and "not adopted" not in aaec, f"settings not kept go to {AAEC_HISTORY.name}"
    for cited in ("How much these numbers move", "Scored both ways", "Labelling essays without named entities"):
        assert cited in aaec, f"the AAEC part no longer holds {cited!r}"
    assert f"]({AAEC_HISTORY.name})" in aaec, "the AAEC part no longer links to its history"
    contents = text[text.index("\n## Contents"):text.index("\n## AAEC v2 (")]
    assert f"]({AAEC_HISTORY.name})" in contents and f"]({NEWS_MODEL_HISTORY.name})" in contents
    history = AAEC_HISTORY.read_text(encoding="utf-8")
    for heading in re.findall(r"^## (.+)$", aaec, flags=re.M):
        assert f"](README.md#{anchor(heading)})" in history, f"{AAEC_HISTORY.name} no longer links to {heading!r}"
    assert f"](experiments/{AAEC_HISTORY.name})" in README.read_text(encoding="utf-8")

def test_news_counts_as_printed(tmp_path: Path):
    """The guideline's summary and the history's "Counts" show what `mining data stats news` prints now."""
    done = run_command("mining data stats news", tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    for page in (NEWS_GUIDELINE, NEWS_HISTORY):
        shown = [b.body.strip() for b in blocks(page) if b.lang == "" and re.match(r"documents  \d+\n", b.body)]
        assert shown == [done.stdout.strip()], f"{page.name}: its counts are not what `mining data stats news` prints"


@pytest.mark.parametrize("output", ["logs/x/metrics.json", "runs/miner/model.skops", "outputs/x", "multirun/x",
                                    ".cache/mining/parses/x"])
def test_what_the_tools_write_by_default_is_ignored(output: str):
    """Outputs under the checkout (paths.output_dir, the README's hydra.run.dir=runs/..., Hydra's own
    defaults, the cache) must not make the next run's record ``git.dirty``."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    done = subprocess.run(["git", "check-ignore", "-q", output], cwd=ROOT)
    assert done.returncode == 0, f"{output} is not in .gitignore"


# --- the README's quick start: a pipe, so a shell, and the installed `mining` command ---

def quick_start_commands() -> list[str]:
    """The shell lines of the code blocks under "## Quick start", continuation lines joined."""
    keys = [k for k, test in RUN_BY.items() if test == "test_readme_quick_start_runs_as_written"]
    return [c for key in keys for c in shell_blocks(README)[key].commands()]


# Quick-start commands that train what a session fixture of tests/conftest.py trains with the same overrides
# (only the run directory differs): the test takes the fixture's run, trained once per session for every test
# that labels with it, checks that its record has the command's overrides, and links it where the command
# would have written it.
TRAINED_BY_FIXTURE = {"mining run experiment=miner data=sample hydra.run.dir=runs/miner-sample": "miner_run"}


def reuse_fixture_run(command: str, run: Path, folder: Path) -> None:
    """Check that ``run`` was trained with ``command``'s overrides; link it as the command's run directory."""
    import json

    args = shlex.split(command)[2:]
    overrides = [a for a in args if not a.startswith("hydra.")]
    recorded = json.loads((run / "meta.json").read_text(encoding="utf-8"))["overrides"]
    assert [o for o in recorded if o != "nlp.progress=false"] == overrides, (command, recorded)
    (run_dir,) = [a.split("=", 1)[1] for a in args if a.startswith("hydra.run.dir=")]
    (folder / run_dir).parent.mkdir(parents=True, exist_ok=True)
    (folder / run_dir).symlink_to(run)


@pytest.mark.slow
def test_readme_quick_start_runs_as_written(tmp_path: Path, request):
    """Commands with shell syntax (the pipe into `mining label`) run in bash with the installed `mining`
    script; the others as `run_command` runs every doc command (in this process, the joblib sweep with the
    basic launcher: tests/runs/test_seed_sweep.py runs a joblib sweep); TRAINED_BY_FIXTURE's are reused."""
    commands = quick_start_commands()
    assert len(commands) >= 8 and all("mining " in c for c in commands)
    script = shutil.which("mining", path=str(Path(sys.executable).parent))
    assert script, "the `mining` command is not installed: pip install -e ."
    env = {**os.environ, "MINING_HOME": str(tmp_path), "PATH": f"{Path(script).parent}{os.pathsep}{os.environ['PATH']}"}
    outputs = {}
    for command in commands:
        if command in TRAINED_BY_FIXTURE:
            reuse_fixture_run(command, request.getfixturevalue(TRAINED_BY_FIXTURE[command]), tmp_path)
            continue
        if not re.search(r"[|<>;&$`]", command):
            done = run_command(command, tmp_path)
        else:
            command_here = command.replace("/tmp/", f"{tmp_path}/")  # the examples write to /tmp: keep them here
            done = subprocess.run(["bash", "-o", "pipefail", "-c", command_here], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"
        outputs[command] = done.stdout
    assert set(TRAINED_BY_FIXTURE) <= set(commands), "TRAINED_BY_FIXTURE names commands the README no longer has"
    rows = outputs["mining compare logs/sample_stance/multiruns/"].splitlines()[2:]
    assert [row.split()[1] for row in rows] == ["logreg", "random_forest"], rows  # the best first
    assert "ok" in next(out for command, out in outputs.items() if "mining data validate" in command)
    labelled = next(out for command, out in outputs.items() if "mining label" in command)
    rows = [line.split("\t") for line in labelled.splitlines()]
    assert rows[0][:4] == ["doc", "holder", "stance", "label"]
    # The quick start's sentence: the mayor's position is a claim for the topic, held by her, and the critics' a claim
    # against it (lost while the news model placed a text's first paragraph as a lede: docs/labelling.md).
    assert any(r[1] == "Ana Ruiz" and r[3] == "claim" and r[2] == "for" for r in rows[1:]), labelled
    assert any(r[1] == "critics" and r[3] == "claim" and r[2] == "against" for r in rows[1:]), labelled
