"""`mining label`: every input kind and output format, sharding, worker processes and bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mining.corpora import brat, jsonl
from tests.helpers import run_mining as mining
from tests.label.test_miner import NEWS

SECOND = "Residents of the valley welcomed the plan, saying that the bypass would make the village safer.\n"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("texts")
    (folder / "news.txt").write_text(NEWS, encoding="utf-8")
    (folder / "valley.txt").write_text(SECOND, encoding="utf-8")
    lines = [{"id": f"line-{i}", "text": t} for i, t in enumerate([NEWS, SECOND, "Rain.", SECOND.upper()])]
    (folder / "batch.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def all_docs(inputs: Path, miner_run: Path, tmp_path_factory) -> list:
    out = tmp_path_factory.mktemp("out") / "all.jsonl"
    done = mining("label", str(inputs), "--model", str(miner_run), "-o", str(out))
    assert done.returncode == 0, done.stderr
    return jsonl.load(out)


def _by_id(docs) -> dict:
    return {d.id: d.to_dict() for d in docs}


def test_folder_input_gives_one_document_per_text(all_docs):
    assert [d.id for d in all_docs] == ["line-0", "line-1", "line-2", "line-3", "news", "valley"]
    news = next(d for d in all_docs if d.id == "news")
    assert news.text == NEWS and news.units and all(u.holder for u in news.units)


def test_stdin_and_stdout(miner_run: Path, all_docs):
    # The installed `mining` script in a fresh process (most other tests call mining.cli.main in-process).
    script = shutil.which("mining", path=str(Path(sys.executable).parent)) or shutil.which("mining")
    assert script, "the `mining` command is not installed: pip install -e ."
    done = subprocess.run([script, "label", "--model", str(miner_run)], input=NEWS.encode(), capture_output=True)
    assert done.returncode == 0, done.stderr
    (doc,) = jsonl.parse_lines(done.stdout.decode().splitlines())
    news = next(d for d in all_docs if d.id == "news")
    assert [u.to_dict() for u in doc.units] == [u.to_dict() for u in news.units]


@pytest.mark.slow  # worker processes
def test_shards_partition_the_input_and_workers_change_nothing(inputs: Path, miner_run: Path, tmp_path: Path, all_docs):
    parts = []
    for i in range(2):
        out = tmp_path / f"shard{i}.jsonl"
        done = mining("label", str(inputs), "--model", str(miner_run), "--shard", f"{i}/2", "-o", str(out))
        assert done.returncode == 0, done.stderr
        parts.append(jsonl.load(out))
    assert [d.id for d in parts[0]] == [d.id for d in all_docs][0::2]
    assert _by_id(parts[0] + parts[1]) == _by_id(all_docs)
    out = tmp_path / "two.jsonl"
    done = mining("label", str(inputs), "--model", str(miner_run), "--n-process", "2", "--batch-size", "2",
                  "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert [d.to_dict() for d in jsonl.load(out)] == [d.to_dict() for d in all_docs]


def test_brat_output_loads_back_identically(inputs: Path, miner_run: Path, tmp_path: Path, all_docs):
    done = mining("label", str(inputs / "news.txt"), "--model", str(miner_run), "--format", "brat",
                  "-o", str(tmp_path / "brat"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "brat" / "news.ann").exists()
    (doc,) = brat.load(tmp_path / "brat")
    news = next(d for d in all_docs if d.id == "news")
    assert [u.to_dict() for u in doc.units] == [u.to_dict() for u in news.units]
    assert [r.to_dict() for r in doc.relations] == [r.to_dict() for r in news.relations]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_page_shows_every_unit_and_relation(inputs: Path, miner_run: Path, tmp_path: Path, all_docs):
    page = tmp_path / "page.html"
    done = mining("label", str(inputs / "news.txt"), "--model", str(miner_run), "--format", "html", "-o", str(page))
    assert done.returncode == 0, done.stderr
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    news = next(d for d in all_docs if d.id == "news")
    units = {a["data-unit-id"]: a for _, a in parser.tags if "data-unit-id" in a}
    assert set(units) == {u.id for u in news.units}
    for u in news.units:
        assert units[u.id]["data-label"] == u.label and units[u.id]["data-holder"] == u.holder
    relations = [a for t, a in parser.tags if "relation" in a.get("class", "").split()]
    assert len(relations) == len(news.relations)
    assert not [a for t, a in parser.tags if t == "script" and "src" in a]


def test_html_names_a_text_it_cannot_show_before_the_model_runs(miner_run: Path, tmp_path: Path):
    texts = tmp_path / "in.jsonl"
    texts.write_text('{"id": "ok", "text": "Cats rule."}\n{"id": "nul", "text": "a\\u0000b"}\n', encoding="utf-8")
    page = tmp_path / "page.html"
    done = mining("label", str(texts), "--model", str(miner_run), "--format", "html", "-o", str(page))
    assert done.returncode == 2 and done.stderr.endswith(f"error: {texts}:2 [nul]: the text contains a NUL character, "
                                                         "which an HTML page cannot show; nothing was labelled "
                                                         "(--format jsonl keeps it)\n"), done.stderr
    assert not page.exists()


def test_table_has_a_row_per_position(inputs: Path, miner_run: Path, all_docs):
    done = mining("label", str(inputs / "news.txt"), "--model", str(miner_run), "--format", "table")
    assert done.returncode == 0, done.stderr
    news = next(d for d in all_docs if d.id == "news")
    for holder in {u.holder for u in news.units}:
        assert holder in done.stdout
    # Piped (not a terminal), every row keeps the unit's full text, tab-separated.
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert rows[0] == ["doc", "holder", "stance", "label", "id", "start", "end", "text"]
    assert sorted(r[7] for r in rows[1:]) == sorted(u.text for u in news.units)


def test_bad_input_is_a_one_line_error(tmp_path: Path, miner_run: Path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 owners said that rents were too high.".encode("latin-1"))
    done = mining("label", str(latin), "--model", str(miner_run))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(latin) in done.stderr and "utf-8" in done.stderr and "offset 3" in done.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    done = mining("label", str(broken), "--model", str(miner_run), "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2 and f"{broken}:2" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.jsonl").exists()  # nothing half-written


TOPIC = "The city should build the tram line to the airport"


def test_label_without_a_model_uses_the_shipped_news_model_and_no_topic_gives_no_stance(inputs: Path, tmp_path: Path):
    # A position stated as one ("should"), so that the model has a claim to give no stance to.
    text = tmp_path / "news.txt"
    text.write_text((inputs / "news.txt").read_text(encoding="utf-8") + "Brandt said the council should not "
                    "delay the vote any longer, because the airport was growing every year.\n", encoding="utf-8")
    done = mining("label", str(text))
    assert done.returncode == 0, done.stderr
    assert "model: the default model (news" in done.stderr
    (doc,) = jsonl.parse_lines(done.stdout.splitlines())
    assert doc.metadata["labelled_by"]["runs"]["segmentation"].endswith("default_model")
    claims = [u for u in doc.units if u.label == "claim"]
    assert claims and doc.units and all(u.stance is None for u in doc.units)  # nothing to be for or against


def test_topic_gives_news_claims_a_stance_and_a_jsonl_topic_wins(inputs: Path, tmp_path: Path):
    done = mining("label", str(inputs / "news.txt"), "--topic", TOPIC)
    assert done.returncode == 0, done.stderr
    (doc,) = jsonl.parse_lines(done.stdout.splitlines())
    assert doc.topic == TOPIC
    assert all(u.stance in ("for", "against") for u in doc.units if u.label == "claim")
    assert any(u.label == "claim" for u in doc.units)
    lines = tmp_path / "topics.jsonl"
    lines.write_text(json.dumps({"id": "own", "text": NEWS, "topic": "Shops should close"}) + "\n"
                     + json.dumps({"id": "none", "text": NEWS}) + "\n", encoding="utf-8")
    done = mining("label", str(lines), "--topic", TOPIC)
    assert done.returncode == 0, done.stderr
    own, other = jsonl.parse_lines(done.stdout.splitlines())
    assert (own.topic, other.topic) == ("Shops should close", TOPIC)
    lines.write_text(json.dumps({"text": NEWS, "topic": 3}) + "\n", encoding="utf-8")
    done = mining("label", str(lines))
    assert done.returncode == 2 and f"{lines}:1" in done.stderr and '"topic" must be a string' in done.stderr


def test_label_names_a_missing_model_directory(tmp_path: Path):
    (tmp_path / "a.txt").write_text(SECOND, encoding="utf-8")
    done = mining("label", str(tmp_path / "a.txt"), "--model", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "nowhere" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_input_is_named_before_the_model_loads(tmp_path: Path):
    """The input is checked first: with a --model that is no run, the error is still the missing file's."""
    done = mining("label", str(tmp_path / "a.txt"), str(tmp_path / "missing.txt"), "--model", str(tmp_path))
    assert done.returncode == 2 and "a.txt: no such file or folder" in done.stderr, done.stderr


def test_an_existing_output_survives_a_failed_run(tmp_path: Path, miner_run: Path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe broken")
    done = mining("label", str(tmp_path / "bad.txt"), "--model", str(miner_run), "-o", str(out))
    assert done.returncode == 2
    assert out.read_text(encoding="utf-8") == "previous results\n"


def test_preannotate_for_brat_marks_every_prediction(inputs: Path, miner_run: Path, tmp_path: Path, all_docs):
    done = mining("data", "preannotate", str(inputs / "news.txt"), "--model", str(miner_run), "--to", "brat",
                  "-o", str(tmp_path / "pre"))
    assert done.returncode == 0, done.stderr
    (doc,) = brat.load(tmp_path / "pre")
    news = next(d for d in all_docs if d.id == "news")
    assert [(u.start, u.end, u.label) for u in doc.units] == [(u.start, u.end, u.label) for u in news.units]
    assert all(item.attributes["predicted"] is True for item in (*doc.units, *doc.relations))


def test_rank_puts_the_least_certain_text_first(inputs: Path, miner_run: Path):
    done = mining("data", "rank", str(inputs), "--model", str(miner_run), "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert sorted(r["id"] for r in rows) == ["line-0", "line-1", "line-2", "line-3", "news", "valley"]
    scores = [r["uncertainty"] for r in rows]
    assert scores == sorted(scores, reverse=True) and [r["rank"] for r in rows] == list(range(1, 7))
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert all(0.0 < s for r, s in zip(rows, scores) if r["id"] != "line-2")  # "Rain.": perhaps nothing to doubt


def test_a_repeated_id_is_named_with_both_places_by_label_rank_and_preannotate(tmp_path: Path, miner_run: Path):
    twice = tmp_path / "twice.jsonl"
    twice.write_text(json.dumps({"id": "a", "text": NEWS}) + "\n" + json.dumps({"id": "a", "text": SECOND}) + "\n",
                     encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "x.txt").write_text(SECOND, encoding="utf-8")
    (folder / "x.jsonl").write_text(json.dumps({"id": "x", "text": NEWS}) + "\n", encoding="utf-8")
    expected = [(twice, f"{twice}:2 [a]: duplicate document id 'a' (first in {twice}:1)"),
                (folder, f"{folder / 'x.txt'} [x]: duplicate document id 'x' (first in {folder / 'x.jsonl'}:1)")]
    for path, message in expected:
        out = tmp_path / "out.jsonl"
        done = mining("label", str(path), "--model", str(miner_run), "-o", str(out))
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert not out.exists()
    done = mining("data", "rank", str(twice), "--model", str(miner_run), "--json")
    assert done.returncode == 2 and expected[0][1] in done.stderr, done.stderr
    done = mining("data", "preannotate", str(twice), "--model", str(miner_run), "--to", "brat",
                  "-o", str(tmp_path / "pre"))
    assert done.returncode == 2 and expected[0][1] in done.stderr, done.stderr
    assert not (tmp_path / "pre").exists()


def test_an_empty_text_is_named(tmp_path: Path, miner_run: Path):
    (tmp_path / "empty.txt").write_text(" \n", encoding="utf-8")
    (tmp_path / "empty.jsonl").write_text(json.dumps({"id": "ok", "text": NEWS}) + "\n"
                                          + json.dumps({"id": "a", "text": ""}) + "\n", encoding="utf-8")
    for name, where in [("empty.txt", "empty.txt"), ("empty.jsonl", "empty.jsonl:2")]:
        done = mining("label", str(tmp_path / name), "--model", str(miner_run))
        assert done.returncode == 2 and f"{tmp_path / where}: the text is empty" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and not done.stdout.strip()
    script = shutil.which("mining", path=str(Path(sys.executable).parent)) or shutil.which("mining")
    done = subprocess.run([script, "label", "--model", str(miner_run)], input=b"", capture_output=True, text=False)
    assert done.returncode == 2 and b"<stdin>: the text is empty" in done.stderr and not done.stdout


def test_a_utf8_byte_order_mark_is_not_part_of_the_text(tmp_path: Path, miner_run: Path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + SECOND.encode("utf-8"))
    done = mining("label", str(tmp_path / "bom.txt"), "--model", str(miner_run))
    assert done.returncode == 0, done.stderr
    (doc,) = jsonl.parse_lines(done.stdout.splitlines())
    assert doc.text == SECOND and all(doc.text[u.start:u.end] == u.text for u in doc.units)


def test_brat_overwrite_refuses_a_folder_of_other_files_before_the_model_loads(tmp_path: Path):
    (tmp_path / "a.txt").write_text(SECOND, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine", encoding="utf-8")
    done = mining("label", str(tmp_path / "a.txt"), "--format", "brat", "-o", str(out), "--overwrite",
                  "--model", str(tmp_path / "no-model-here"))  # the folder is refused first
    assert done.returncode == 2 and "notes.md" in done.stderr and "no-model-here" not in done.stderr, done.stderr
    assert [p.name for p in out.iterdir()] == ["notes.md"]


@pytest.mark.parametrize(("option", "message"), [
    (["--encoding", "utf-9"], "--encoding: unknown encoding 'utf-9'"),
    *[(["--encoding", codec], f"--encoding: {codec!r} is not a text encoding; give the encoding of the input files, "
                              "e.g. utf-8 or latin-1") for codec in ("base64", "rot13", "zlib")],
    (["--shard", "2/2"], "--shard 2/2: need 0 <= I < N"),
    (["--topic", " "], "--topic is blank: give what the texts argue about, or leave --topic out"),
])
def test_a_bad_option_is_named_before_the_model_loads(tmp_path: Path, option: list[str], message: str):
    """--encoding and --shard were checked at the first text, after the model had loaded (seconds); a blank --topic
    (a shell variable not set) was taken, and the news model then gave no stance, saying nothing. A codec that is
    no text encoding (base64, rot13, zlib: codecs.lookup knows them) passed the early check."""
    text = tmp_path / "a.txt"
    text.write_text(SECOND, encoding="utf-8")
    done = mining("label", str(text), *option)
    assert done.returncode == 2 and done.stderr.strip().splitlines() == [f"error: {message}"], done.stderr


@pytest.mark.parametrize("command", [["data", "rank"], ["data", "preannotate", "--to", "brat", "-o", "{tmp}/out"],
                                     ["annotate", "push", "labelstudio", "--project", "p", "--url",
                                      "http://127.0.0.1:9"]])
def test_every_command_that_labels_refuses_an_encoding_that_is_no_text_encoding_first(tmp_path: Path, monkeypatch,
                                                                                       command: list[str]):
    """annotate push opened (or created) the project before --encoding was checked: a server was asked first."""
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "token-123")
    text = tmp_path / "a.txt"
    text.write_text(SECOND, encoding="utf-8")
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "metrics.json").write_text("{}", encoding="utf-8")  # a run as far as the first check sees
    done = mining(*[a.format(tmp=tmp_path) for a in command], str(text), "--model", str(tmp_path / "run"),
                  "--encoding", "base64")
    assert done.returncode == 2 and done.stderr.strip().splitlines() == [
        "error: --encoding: 'base64' is not a text encoding; give the encoding of the input files, e.g. utf-8 or "
        "latin-1"], done.stderr
