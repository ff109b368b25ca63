"""Malformed input gets a clear error naming the file, the line or id, and the problem."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mining.corpora import aaec, brat, jsonl, load_corpus
from mining.dataset.validation import validate_path
from mining.errors import CorpusError

TEXT = "Cats are better pets. They sleep all day."


def _doc(**changes) -> dict:
    doc = {
        "id": "d1",
        "text": TEXT,
        "paragraphs": [[0, len(TEXT)]],
        "units": [
            {"id": "T1", "start": 0, "end": 20, "text": "Cats are better pets", "label": "claim", "stance": "for"},
            {"id": "T2", "start": 22, "end": 40, "text": "They sleep all day", "label": "premise"},
        ],
        "relations": [{"id": "R1", "source": "T2", "target": "T1", "label": "support"}],
    }
    doc.update(changes)
    return doc


def _units(**second) -> list[dict]:
    return [_doc()["units"][0], {**_doc()["units"][1], **second}]


# (case id, JSONL line, expected message pattern, expected location)
JSONL_CASES = [
    ("broken-json", '{"id": "d1", "text": ', r"invalid JSON", ":1"),
    ("not-an-object", "[1, 2, 3]", r"expected a JSON object, got list", ":1"),
    ("missing-text", json.dumps({"id": "d1"}), r"missing required field 'text'", ":1"),
    ("unit-missing-start", json.dumps(_doc(units=[{"id": "T1", "end": 3, "text": "x", "label": "claim"}])),
     r"document 'd1', unit 'T1': missing field 'start'", ":1"),
    ("offset-out-of-range", json.dumps(_doc(units=_units(start=22, end=400))), r"outside the text \(length 41\)",
     "[d1/T2]"),
    ("negative-offset", json.dumps(_doc(units=_units(start=-3))), r"outside the text", "[d1/T2]"),
    ("span-text-mismatch", json.dumps(_doc(units=_units(text="They sleep all night"))),
     r"span text 'They sleep all night' differs from the text at 22-40", "[d1/T2]"),
    ("overlap", json.dumps(_doc(units=_units(start=10, text=TEXT[10:40]))), r"unit T2 overlaps unit T1", "[d1/T2]"),
    ("dangling-relation", json.dumps(_doc(relations=[{"id": "R1", "source": "T9", "target": "T1",
                                                      "label": "support"}])),
     r"relation points at missing unit 'T9'", "[d1/R1]"),
    ("unknown-unit-label", json.dumps(_doc(units=_units(label="evidence"))), r"unknown unit label 'evidence'",
     "[d1/T2]"),
    ("unknown-stance", json.dumps(_doc(units=_units(stance="neutral"))), r"unknown stance 'neutral'", "[d1/T2]"),
    ("unknown-relation-label", json.dumps(_doc(relations=[{"id": "R1", "source": "T2", "target": "T1",
                                                           "label": "rebuts"}])),
     r"unknown relation label 'rebuts'", "[d1/R1]"),
    ("empty-document", json.dumps(_doc(text="  ", paragraphs=[], units=[], relations=[])),
     r"document text is empty", "[d1]"),
    ("duplicate-unit-id", json.dumps(_doc(units=_units(id="T1"), relations=[])), r"duplicate unit id 'T1'",
     "[d1/T1]"),
    ("paragraph-out-of-range", json.dumps(_doc(paragraphs=[[0, 99]])), r"paragraph 0 span 0-99 is outside",
     "[d1]"),
    # Types: each names the document, the unit and the field, and what was expected.
    ("boolean-offset", json.dumps(_doc(units=_units(start=True))),
     r"document 'd1', unit 'T2': 'start' must be an integer character offset, got bool True", ":1"),
    ("string-offset", json.dumps(_doc(units=_units(end="40"))), r"unit 'T2': 'end' must be an integer", ":1"),
    ("float-offset", json.dumps(_doc(units=_units(start=22.0))), r"unit 'T2': 'start' must be an integer", ":1"),
    ("null-text", json.dumps(_doc(text=None)), r"document 'd1': 'text' must be a string, got null", ":1"),
    ("units-as-string", json.dumps(_doc(units="T1 T2")), r"'units' must be a list of unit objects, got str", ":1"),
    ("unit-missing-text", json.dumps(_doc(units=[{k: v for k, v in _doc()["units"][0].items() if k != "text"}],
                                          relations=[])),
     r"document 'd1', unit 'T1': missing field 'text'", ":1"),
    ("unit-not-an-object", json.dumps(_doc(units=["T1"], relations=[])), r"a unit: itself must be an object", ":1"),
    ("fragment-out-of-range", json.dumps(_doc(units=_units(start=22, end=40, fragments=[[22, 26], [35, 50]]))),
     r"fragment 35-50 of offsets 22-40 is outside the text \(length 41\)", "[d1/T2]"),
    ("fragments-off-the-offsets", json.dumps(_doc(units=_units(start=22, end=30, text="They all day",
                                                                fragments=[[22, 26], [33, 40]]))),
     r"fragments 22-26, 33-40 do not start and end at the unit's offsets 22-30", "[d1/T2]"),
    ("self-relation", json.dumps(_doc(relations=[{"id": "R1", "source": "T1", "target": "T1", "label": "support"}])),
     r"relation links unit 'T1' to itself", "[d1/R1]"),
    ("empty-document-id", json.dumps(_doc(id="")), r"document id '' is empty", ":1"),
    ("integer-too-long", json.dumps(_doc()).replace('"start": 22', '"start": ' + "2" * 5000),
     r"invalid JSON: an integer of 5000 digits \(more than 4300\) at column \d+$", ":1"),
    ("nan-in-metadata", json.dumps(_doc(metadata={"score": float("nan")})),  # json.dumps writes it as NaN
     r"invalid JSON: NaN is no JSON number \(write null, or the value as a string\) at column \d+$", ":1"),
]


@pytest.mark.parametrize("case, line, message, location", JSONL_CASES, ids=[c[0] for c in JSONL_CASES])
def test_bad_jsonl_raises_in_strict_mode(tmp_path: Path, case, line, message, location):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(_doc(id="ok")) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as excinfo:
        validate_path(path, strict=True)
    error = str(excinfo.value)
    assert error.startswith(str(path) + ":2"), error  # the good first line passes, the second is named
    assert location.replace(":1", "") in error


def test_report_mode_lists_every_problem_and_keeps_going(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(line for _, line, _, _ in JSONL_CASES) + "\n", encoding="utf-8")
    problems = validate_path(path, strict=False)
    assert [p.line for p in problems][:3] == [1, 2, 3]
    for lineno, (case, _, message, _) in enumerate(JSONL_CASES, start=1):
        assert any(p.line == lineno and re.search(message, p.message) for p in problems), case


def test_non_utf8_jsonl(tmp_path: Path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(json.dumps(_doc()).encode("utf-8").replace(b"Cats", b"Caf\xe9s"))
    with pytest.raises(CorpusError, match=r"latin.jsonl:1: not valid UTF-8: byte 0xe9"):
        validate_path(path)


@pytest.mark.parametrize(("name", "data", "fmt"), [
    ("doc.ann", b"T1\tclaim 0 4\tCats\n#1\tAnnotatorNotes T1\tcaf\xe9\n", "brat"),
    ("doc.txt", b"Cats rule.\nCaf\xe9s too.\n", "brat"),
    ("export.json", b'[{"data": {"text": "Cats"},\n  "annotations": ["caf\xe9"]}]', "labelstudio"),
])
def test_a_byte_that_is_not_utf8_is_named_by_its_line_in_every_format(tmp_path: Path, name: str, data: bytes,
                                                                     fmt: str):
    """brat and Label Studio files named the byte by its place in the whole file, and no line."""
    if fmt == "brat":
        _brat(tmp_path, "T1\tclaim 0 4\tCats\n", "Cats rule.\n")
    (tmp_path / name).write_bytes(data)
    with pytest.raises(CorpusError, match=rf"{re.escape(name)}:2: not valid UTF-8: byte 0xe9, the line's byte \d+;"):
        validate_path(tmp_path, fmt=fmt)


def _brat(tmp_path: Path, ann: str, text: str = TEXT) -> Path:
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    (tmp_path / "doc.ann").write_text(ann, encoding="utf-8")
    return tmp_path / "doc.txt"


GOOD_T1 = "T1\tClaim 0 20\tCats are better pets\n"
BRAT_CASES = [
    ("unknown-entity-type", "T1\tEvidence 0 20\tCats are better pets\n", r"T1 has unknown entity type 'Evidence'",
     ":1"),
    ("span-out-of-range", "T1\tClaim 0 200\tCats are better pets\n", r"span 0-200 is outside the text", ":1"),
    ("span-text-mismatch", "T1\tClaim 0 20\tDogs are better pets\n", r"does not match the text at its offsets",
     ":1"),
    ("malformed-span", "T1\tClaim 0 x\tCats\n", r"T1 has a malformed span '0 x'", ":1"),
    ("no-body", "T1\n", r"has no tab-separated body", ":1"),
    ("attribute-unknown-target", GOOD_T1 + "A1\tStance T7 For\n", r"A1 refers to unknown annotation 'T7'", ":2"),
    ("unknown-stance-value", GOOD_T1 + "A1\tStance T1 Maybe\n", r"A1 has unknown stance 'Maybe'", ":2"),
    ("unknown-relation-type", GOOD_T1 + "R1\trebuts Arg1:T1 Arg2:T1\t\n", r"R1 has unknown relation type 'rebuts'",
     ":2"),
    ("malformed-relation", GOOD_T1 + "R1\tsupports T1 T1\t\n", r"relation R1 must read", ":2"),
    ("relation-missing-unit", GOOD_T1 + "R1\tsupports Arg1:T1 Arg2:T5\t\n", r"points at missing unit 'T5'",
     ":2"),
    ("unsupported-event", GOOD_T1 + "E1\tClaim:T1\n", r"unsupported brat annotation 'E1'", ":2"),
    ("broken-mining-note", GOOD_T1 + "#1\tAnnotatorNotes T1\tmining:{oops\n", r"invalid JSON in mining note", ":2"),
    ("duplicate-T-id", GOOD_T1 + "T1\tPremise 22 40\tThey sleep all day\n",
     r"duplicate annotation id 'T1' \(first on line 1\)", ":2"),
    ("duplicate-R-id", GOOD_T1 + "T2\tPremise 22 40\tThey sleep all day\nR1\tsupports Arg1:T2 Arg2:T1\t\n"
     "R1\tattacks Arg1:T2 Arg2:T1\t\n", r"duplicate annotation id 'R1' \(first on line 3\)", ":4"),
    # The second value replaced the first without a word.
    ("stance-given-twice", GOOD_T1 + "A1\tStance T1 For\nA2\tStance T1 Against\n",
     r"A2 sets Stance of T1 a second time \(first by A1 on line 2\)", ":3"),
    ("note-given-twice", GOOD_T1 + "#1\tAnnotatorNotes T1\tcheck\n#2\tAnnotatorNotes T1\tdone\n",
     r"#2 sets a note of T1 a second time \(first by #1 on line 2\)", ":3"),
    # An offset int() cannot read, or reads though brat does not: a traceback, or offset 191 read from "١٩١".
    ("offset-too-long-for-int", "T1\tClaim 0 " + "9" * 5000 + "\tCats\n", r"T1 span 0-9{55}\.\.\. is outside the text",
     ":1"),
    ("offset-in-superscript", "T1\tClaim 0 ²\tCats\n", r"T1 has a malformed span '0 ²'", ":1"),
    ("offset-in-arabic-digits", "T1\tClaim \u0660 \u0662\u0660\tCats are better pets\n",
     r"T1 has a malformed span '\u0660 \u0662\u0660'; expected 'START END', two offsets in ASCII digits", ":1"),
]


@pytest.mark.parametrize("case, ann, message, location", BRAT_CASES, ids=[c[0] for c in BRAT_CASES])
def test_bad_brat(tmp_path: Path, case, ann, message, location):
    txt = _brat(tmp_path, ann)
    with pytest.raises(CorpusError, match=message) as excinfo:
        brat.read_document(txt)
    assert str(excinfo.value).startswith(str(tmp_path / "doc.ann") + location)


@pytest.mark.parametrize(("changed", "cause", "pronoun"), [
    (lambda text: text.replace("\n", "\r\n"), r"Windows line ends \(\\r\\n\)", "them"),
    (lambda text: "\ufeff" + text, "a byte order mark", "it"),
], ids=["crlf", "bom"])
def test_a_txt_changed_after_its_ann_says_how_its_offsets_shifted(tmp_path: Path, changed, cause, pronoun):
    """The error said only that the text differs at the offsets, one character off, with no word of why."""
    text = "Cats are better pets.\nThey sleep all day.\n"
    txt = _brat(tmp_path, "T1\tClaim 0 20\tCats are better pets\nT2\tPremise 22 40\tThey sleep all day\n",
                text=changed(text))
    with pytest.raises(CorpusError, match=rf"does not match the text at its offsets .*; the \.txt has {cause}, which "
                                          rf"brat counts as characters, and the offsets match the text without "
                                          rf"{pronoun}: the \.txt was changed after the \.ann was written"):
        brat.read_document(txt)
    with pytest.raises(CorpusError) as plain:  # an .ann wrong on its own gets no such hint
        brat.read_document(_brat(tmp_path, "T1\tClaim 0 20\tCats are better pots\n", text=changed(text)))
    assert "the .txt has" not in str(plain.value)


def test_brat_missing_ann(tmp_path: Path):
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"doc.ann: annotation file is missing"):
        brat.read_document(tmp_path / "doc.txt")


def test_aaec_split_file_with_bad_row(tmp_path: Path):
    path = tmp_path / "train-test-split.csv"
    path.write_bytes(b'"ID";"SET"\r"essay001";"TRAIN"\r"essay002";"DEV"\r')
    with pytest.raises(CorpusError, match=r"train-test-split.csv:3: expected"):
        aaec.read_split(path)


@pytest.mark.parametrize(("name", "data", "message"), [
    # the second row replaced the first without a word: essay002 was read as train
    ("train-test-split.csv", b'"ID";"SET"\r"essay001";"TRAIN"\r"essay002";"TEST"\r"essay002";"TRAIN"\r',
     r"train-test-split.csv:4: a second row for essay002 \(the release has one per essay\)$"),
    ("prompts.csv", b"ESSAY;PROMPT\ressay001.txt;Cats?\ressay001.txt;Dogs?\r",
     r"prompts.csv:3: a second row for essay001 \(the release has one per essay\)$"),
    # a UnicodeDecodeError's traceback
    ("train-test-split.csv", b'"ID";"SET"\r"essay001";"TRAIN"\r"essay\xff002";"TEST"\r',
     r"train-test-split.csv:3: not valid UTF-8: byte 0xff; the release's train-test-split.csv is UTF-8$"),
], ids=["split-twice", "prompt-twice", "split-not-utf8"])
def test_aaec_csv_rows_are_read_once_and_bad_bytes_named(tmp_path: Path, name: str, data: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CorpusError, match=message):
        (aaec.read_split if name.startswith("train") else aaec.read_prompts)(path)


def test_failed_save_keeps_the_old_file(tmp_path: Path):
    path = tmp_path / "corpus.jsonl"
    jsonl.save(jsonl.parse_lines([json.dumps(_doc())]), path)
    before = path.read_bytes()

    def broken():
        yield from jsonl.parse_lines([json.dumps(_doc(id="d2"))])
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        jsonl.save(broken(), path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_duplicate_document_ids_in_a_jsonl_file(tmp_path: Path):
    path = tmp_path / "twice.jsonl"
    path.write_text(json.dumps(_doc()) + "\n" + json.dumps(_doc(text=TEXT.upper(), units=[], relations=[])) + "\n",
                    encoding="utf-8")
    with pytest.raises(CorpusError,
                       match=r"twice.jsonl:2 \[d1\]: duplicate document id 'd1' \(first in .*twice.jsonl:1"):
        validate_path(path)


def test_duplicate_document_ids_across_a_folders_files_and_in_loaded_documents(tmp_path: Path):
    from mining.dataset.validation import validate_documents

    for name in ("a", "b"):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps(_doc()) + "\n", encoding="utf-8")
    problems = validate_path(tmp_path, strict=False)
    assert [(p.line, p.item) for p in problems] == [(1, "d1")] and "first in" in problems[0].message
    docs = jsonl.load(tmp_path / "a.jsonl") * 2  # what a run, an export or evaluate-labels validates
    with pytest.raises(CorpusError, match=r"\[d1\]: duplicate document id 'd1'"):
        validate_documents(docs, file="docs")


def test_duplicate_document_ids_in_a_brat_folder(tmp_path: Path):
    """A sidecar may set any id: `data validate` called a folder ok whose loader (stats, convert, run) refuses it."""
    _brat(tmp_path, GOOD_T1)  # doc.txt, doc.ann
    (tmp_path / "other.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "other.ann").write_text(GOOD_T1, encoding="utf-8")
    (tmp_path / "other.json").write_text('{"id": "doc"}', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"duplicate document id 'doc'"):
        load_corpus("brat", tmp_path)  # as stats, convert and run read it
    [problem] = validate_path(tmp_path, strict=False)
    assert (problem.file, problem.item) == (str(tmp_path / "other.txt"), "doc"), problem
    assert f"duplicate document id 'doc' (first in {tmp_path / 'doc.txt'};" in problem.message
    with pytest.raises(CorpusError, match=r"other.txt \[doc\]: duplicate document id 'doc'"):
        validate_path(tmp_path)


def test_an_ann_without_its_txt_is_named_not_skipped(tmp_path: Path):
    _brat(tmp_path, GOOD_T1)
    (tmp_path / "lost.ann").write_text(GOOD_T1, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"without their .txt, which would be skipped: lost.ann"):
        brat.load(tmp_path)
    [problem] = validate_path(tmp_path, strict=False)
    assert problem.file.endswith("lost.ann") and "without its .txt" in problem.message


def test_a_support_cycle_is_a_warning_that_does_not_fail(tmp_path: Path):
    cycle = [{"id": "R1", "source": "T2", "target": "T1", "label": "support"},
             {"id": "R2", "source": "T1", "target": "T2", "label": "support"}]
    path = tmp_path / "cycle.jsonl"
    path.write_text(json.dumps(_doc(relations=cycle)) + "\n", encoding="utf-8")
    [problem] = validate_path(path, strict=True)  # strict mode stops at errors, not at warnings
    assert problem.warning and str(problem).startswith("warning: ")
    assert "support relations form a cycle: T1 -> T2 -> T1" in problem.message


def test_fields_the_schema_does_not_know_survive_a_round_trip(tmp_path: Path):
    record = _doc(annotator="ana", units=[{**u, "confidence": 0.5} for u in _doc()["units"]])
    record["relations"][0]["note"] = "checked"
    path = tmp_path / "extra.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [doc] = jsonl.load(path)
    assert doc.extra == {"annotator": "ana"} and doc.units[0].extra == {"confidence": 0.5}
    out = tmp_path / "out.jsonl"
    jsonl.save([doc], out)
    again = json.loads(out.read_text(encoding="utf-8"))
    assert again["annotator"] == "ana" and again["units"][1]["confidence"] == 0.5
    assert again["relations"][0]["note"] == "checked"


def test_validate_command_passes_with_warnings_and_fails_on_errors(tmp_path: Path):
    from tests.helpers import run_mining

    cycle = [{"id": "R1", "source": "T2", "target": "T1", "label": "support"},
             {"id": "R2", "source": "T1", "target": "T2", "label": "support"}]
    warned = tmp_path / "cycle.jsonl"
    warned.write_text(json.dumps(_doc(relations=cycle)) + "\n", encoding="utf-8")
    done = run_mining("data", "validate", str(warned))
    assert done.returncode == 0 and "warning: " in done.stdout and "ok (1 warning(s))" in done.stdout
    broken = tmp_path / "self.jsonl"
    broken.write_text(json.dumps(_doc(relations=[{**cycle[0], "target": "T2"}])) + "\n", encoding="utf-8")
    done = run_mining("data", "validate", str(broken))
    assert done.returncode == 1 and "to itself" in done.stdout


def test_validate_names_a_missing_path_and_a_file_given_as_brat(tmp_path: Path):
    from tests.helpers import run_mining

    done = run_mining("data", "validate", str(tmp_path / "nope.jsonl"))
    assert done.returncode == 2 and f"{tmp_path / 'nope.jsonl'}: no such file or folder" in done.stderr, done.stderr
    assert "--format" not in done.stderr
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(_doc()) + "\n", encoding="utf-8")
    done = run_mining("data", "validate", str(good), "--format", "brat")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{good}: is a file, but brat needs a folder" in done.stderr and "good.txt" not in done.stderr


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("empty.jsonl", "", None), ("blank.jsonl", "\n\n", None), ("folder", None, "brat"),
    ("jsonl-folder", None, "jsonl")])
def test_a_corpus_with_no_document_does_not_pass(tmp_path: Path, name: str, content: str | None, fmt: str | None):
    """`mining run` refuses a corpus with nothing in it: `data validate` must not call it ok."""
    path = tmp_path / name
    if content is None:
        path.mkdir()
        (path / "annotation.conf").write_text("[entities]\n", encoding="utf-8")
    else:
        path.write_text(content, encoding="utf-8")
    assert [str(p) for p in validate_path(path, fmt=fmt, strict=False)] == [f"{path}: the corpus holds no documents"]
    with pytest.raises(CorpusError, match="the corpus holds no documents"):
        validate_path(path, fmt=fmt)


NESTED = "[" * 50_000 + "]" * 50_000
# (a file name, what it holds with NESTED in it, the command's arguments after its path, where the error points)
NESTED_CASES = [
    ("export.json", NESTED, ["data", "stats", "labelstudio", "--path"], ":1"),
    ("export.json", NESTED, ["data", "validate"], ":1"),
    ("docs.jsonl", NESTED, ["data", "validate"], ":1"),
    ("docs.jsonl", json.dumps(_doc()) + "\n" + NESTED, ["data", "stats", "jsonl", "--path"], ":2"),
    ("doccano.jsonl", NESTED, ["data", "stats", "doccano", "--path"], ":1"),
    ("brat/doc.json", NESTED, ["data", "stats", "brat", "--path"], ":1"),
]


@pytest.mark.parametrize(("name", "content", "command", "where"), NESTED_CASES,
                         ids=[f"{c[0]}-{'-'.join(c[2][:3])}" for c in NESTED_CASES])
def test_json_nested_too_deeply_is_one_line(tmp_path: Path, name: str, content: str, command: list[str], where: str):
    """Python's parser recurses once per bracket: 50,000 of them were a RecursionError's traceback."""
    from tests.helpers import run_mining

    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(content, encoding="utf-8")
    if name.startswith("brat/"):
        _brat(path.parent, GOOD_T1)
        path = path.parent
    where_from = str(path / "doc.json") if name.startswith("brat/") else str(path)
    done = run_mining(*command, str(path))
    output = done.stdout + done.stderr
    assert done.returncode in (1, 2) and "Traceback" not in output, output[-2000:]
    assert f"{where_from}{where}: " in output and "nested too deeply" in output, output[-2000:]


def test_a_text_to_label_nested_too_deeply_is_one_line(tmp_path: Path):
    """`mining label`'s reader of JSONL input (the command loads a model first: seconds)."""
    from mining.label.streams import iter_items

    path = tmp_path / "texts.jsonl"
    path.write_text(json.dumps({"text": TEXT}) + "\n" + NESTED, encoding="utf-8")
    with pytest.raises(CorpusError,
                       match=rf"^{re.escape(str(path))}:2: invalid JSON: nested too deeply at column 50000$"):
        list(iter_items([path]))


SURROGATE = json.dumps(_doc()).replace("Cats are", "\\ud800ats are", 1)  # the text's escape; the unit's stays


@pytest.mark.parametrize(("name", "content", "command", "where"), [
    ("docs.jsonl", SURROGATE, ["data", "convert", "jsonl", "--to", "jsonl", "-o", "out.jsonl", "--path"], ":1"),
    ("export.json", json.dumps([{"data": {"text": "x"}}]).replace('"x"', '"\\udc00"'), ["data", "validate"], ":1"),
    ("doccano.jsonl", json.dumps({"text": "x", "label": []}).replace('"x"', '"\\ud800"'),
     ["data", "stats", "doccano", "--path"], ":1"),
], ids=["jsonl-convert", "labelstudio-validate", "doccano-stats"])
def test_a_lone_surrogate_escape_is_one_line(tmp_path: Path, name: str, content: str, command: list[str], where: str):
    """JSON can escape half a UTF-16 pair: the readers took it in, and a writer or the text's hash then raised
    UnicodeEncodeError with a traceback (convert: after validation said nothing)."""
    from tests.helpers import run_mining

    path = tmp_path / name
    path.write_text(content + "\n", encoding="utf-8")
    done = run_mining(*command, str(path), cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode in (1, 2) and "Traceback" not in output, output[-2000:]
    assert f"{path}{where}: " in output and "holds a lone surrogate" in output, output[-2000:]
    assert not (tmp_path / "out.jsonl").exists()


def test_a_document_with_an_empty_id_is_refused_not_written_as_a_hidden_brat_file(tmp_path: Path):
    """`data validate` called an empty id ok, and `data convert --to brat` (or `mining label --format brat`) wrote it
    as .txt/.ann: hidden files that the brat reader then took for an annotation file without its text."""
    from tests.helpers import run_mining

    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps(_doc(id="")) + "\n", encoding="utf-8")
    done = run_mining("data", "convert", "jsonl", "--path", str(path), "--to", "brat", "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and f"{path}: document id '' is empty" in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()
    [doc] = jsonl.load(path)  # what mining label writes has no validation before the writer
    with pytest.raises(CorpusError, match=r"document id '' is empty, and brat names a document's files by its id"):
        brat.save([doc], tmp_path / "labelled")
    assert not (tmp_path / "labelled").exists() or not any((tmp_path / "labelled").iterdir())


@pytest.mark.parametrize("fmt", ["jsonl", "doccano"])
def test_a_line_cut_short_is_named_at_its_end_not_at_column_1(tmp_path: Path, fmt: str):
    """The line's own newline made the parser's error "line 2 column 1" of the line, printed as column 1."""
    line = json.dumps(_doc()) if fmt == "jsonl" else json.dumps({"text": TEXT, "label": []})
    path = tmp_path / "cut.jsonl"
    path.write_text(line + "\n" + line[:-1] + "\r\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"cut.jsonl:2: invalid JSON: .* at column {len(line)}$"):
        validate_path(path, fmt=fmt)


def test_a_line_cut_inside_a_string_says_where_it_starts_once(tmp_path: Path):
    path = tmp_path / "cut.jsonl"
    path.write_text('{"id": "d1", "text": "Cats\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"cut.jsonl:1: invalid JSON: Unterminated string starting at column 22$"):
        validate_path(path)


@pytest.mark.parametrize("fmt", ["jsonl", "hf", "brat", "doccano", "labelstudio"])
def test_a_writer_refuses_nan_which_no_reader_takes_back(tmp_path: Path, fmt: str):
    from mining.corpora import brat, doccano, hf, jsonl, labelstudio
    from mining.schema import Document

    doc = Document(id="d1", text="Cats rule.", metadata={"score": float("nan")})
    out = tmp_path / {"jsonl": "out.jsonl", "doccano": "out.jsonl", "labelstudio": "out.json"}.get(fmt, "out")
    where = rf"{out} " if fmt in ("jsonl", "hf") else ""
    writer = {"jsonl": jsonl, "hf": hf, "brat": brat, "doccano": doccano, "labelstudio": labelstudio}[fmt]
    with pytest.raises(CorpusError, match=rf"^{where}(<input> )?\[d1\]: a value in it is NaN or infinite"):
        writer.save([doc], out)
    assert list(tmp_path.iterdir()) == []
