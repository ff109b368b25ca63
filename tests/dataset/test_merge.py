"""`mining data merge`: adds new documents, refuses conflicts, replaces on request, never leaves a partial file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mining.corpora import brat, jsonl
from mining.dataset.merge import MergeConflictError, changelog_path, merge_files, plan_merge, read_changelog
from mining.errors import CorpusError
from mining.schema import Document
from tests.evaluation.annotated import gold, perturbed
from tests.helpers import run_mining as mining


def _other(doc_id: str, text: str = "Tea is better than coffee. It calms.") -> Document:
    doc = perturbed(gold(doc_id), drop=["T1", "T2", "T3", "T4"])
    doc.text, doc.paragraphs = text, [(0, len(text))]
    return doc


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    jsonl.save([gold("d1"), _other("d2")], path)
    return path


def _new(tmp_path: Path, *docs: Document, name: str = "new.jsonl") -> Path:
    path = tmp_path / name
    jsonl.save(docs, path)
    return path


@pytest.mark.parametrize("split", ["", "  "])
def test_a_blank_split_is_refused_not_written(tmp_path: Path, base: Path, split: str):
    """`--split "$SPLIT"` of a variable not set gave the new documents the split '', which no evaluation reads."""
    out = tmp_path / "merged.jsonl"
    done = mining("data", "merge", str(base), str(_new(tmp_path, _other("d3", "A new text."))), "-o", str(out),
                  "--split", split)
    assert done.returncode == 2 and "argument --split: expected a split name" in done.stderr, done.stderr
    assert not out.exists()


def test_merge_adds_new_documents_and_skips_identical_ones(tmp_path: Path, base: Path):
    before = jsonl.load(base)
    new = _new(tmp_path, gold("d1"), _other("d3", "A new text to annotate."))
    out = tmp_path / "merged.jsonl"
    done = mining("data", "merge", str(base), str(new), "-o", str(out))
    assert done.returncode == 0, done.stderr
    merged = jsonl.load(out)
    assert [d.id for d in merged] == ["d1", "d2", "d3"]
    assert "added 1: d3" in done.stdout and "skipped 1 (identical): d1" in done.stdout
    (entry,) = read_changelog(out)
    assert (entry["added"], entry["replaced"], entry["skipped"]) == (1, 0, 1)
    assert entry["fingerprint"] == jsonl.fingerprint(merged)
    assert entry["previous_fingerprint"] == jsonl.fingerprint(before)
    assert f"fingerprint {entry['fingerprint']}" in done.stdout
    assert entry["base"]["path"] == str(base.resolve()) and entry["new"]["format"] == "jsonl"
    assert entry["timestamp"].endswith("+00:00")
    assert jsonl.load(base) == before  # a new OUT leaves BASE alone


def test_merge_in_place_appends_to_the_changelog(tmp_path: Path, base: Path):
    first = merge_files(base, _new(tmp_path, _other("d3", "Third text.")), base)[1]
    second = merge_files(base, _new(tmp_path, _other("d4", "Fourth text."), name="n2.jsonl"), base)[1]
    log = read_changelog(base)
    assert [e["fingerprint"] for e in log] == [first["fingerprint"], second["fingerprint"]]
    assert second["previous_fingerprint"] == first["fingerprint"]
    assert log[-1]["fingerprint"] == jsonl.fingerprint(jsonl.load(base))
    assert changelog_path(base).name == "data.jsonl.changelog"
    # a new OUT carries BASE's history on
    third = merge_files(base, _new(tmp_path, _other("d5", "Fifth text."), name="n3.jsonl"), tmp_path / "v3.jsonl")[1]
    assert [e["fingerprint"] for e in read_changelog(tmp_path / "v3.jsonl")] == [
        first["fingerprint"], second["fingerprint"], third["fingerprint"]]


def test_merge_refuses_an_id_with_another_text(tmp_path: Path, base: Path):
    before = base.read_bytes()
    new = _new(tmp_path, _other("d1", "Another text under an old id."))
    out = tmp_path / "merged.jsonl"
    for extra in ([], ["--replace"]):  # --replace does not make an ID conflict go away
        done = mining("data", "merge", str(base), str(new), "-o", str(out), *extra)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "conflict: d1: ID conflict: BASE has another text under this id (text differs at character 0" \
            in done.stderr
        assert f"error: {new}: merge refused: 1 conflict(s) with BASE (d1)" in done.stderr
    assert base.read_bytes() == before and not out.exists() and not changelog_path(out).exists()


def test_merge_refuses_other_annotations_of_a_known_text_and_lists_every_conflict(tmp_path: Path, base: Path):
    relabelled = perturbed(gold("d1"), T3={"label": "claim"})  # same id, same text
    moved = perturbed(gold("d9"), T4={"stance": "against"})  # same text as d1, under another id
    other = _other("d5", "Yet another text.")
    with pytest.raises(CorpusError, match="the same text is in NEW twice"):
        plan_merge(jsonl.load(base), [relabelled, moved])
    with pytest.raises(MergeConflictError) as info:
        plan_merge(jsonl.load(base), [relabelled, other, _other("d2", "Changed text.")])
    assert [str(c) for c in info.value.conflicts] == [
        "d1: same text, different annotations: unit T3 label 'premise' -> 'claim'",
        "d2: ID conflict: BASE has another text under this id (text differs at character 0: BASE 'Tea is better "
        "than c' vs NEW 'Changed text.')",
    ]
    done = mining("data", "merge", str(base), str(_new(tmp_path, moved)), "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2
    assert "conflict: d9 (BASE id 'd1'): same text, different annotations: unit T4 stance 'for' -> 'against'" \
        in done.stderr
    assert "--replace replaces annotation conflicts" in done.stderr


def test_replace_puts_the_new_annotations_in_place_and_logs_it(tmp_path: Path, base: Path):
    relabelled = perturbed(gold("d1"), T3={"label": "claim"})
    new = _new(tmp_path, relabelled, _other("d3", "Third text."))
    done = mining("data", "merge", str(base), str(new), "-o", str(base), "--replace")
    assert done.returncode == 0, done.stderr
    merged = jsonl.load(base)
    assert [d.id for d in merged] == ["d1", "d2", "d3"]
    assert merged[0].unit("T3").label == "claim"
    (entry,) = read_changelog(base)
    assert entry["replace"] is True and (entry["added"], entry["replaced"], entry["skipped"]) == (1, 1, 0)
    assert entry["replaced_ids"] == [{"id": "d1", "base_id": "d1"}]
    assert entry["fingerprint"] == jsonl.fingerprint(merged)
    assert "replaced 1: d1" in done.stdout


def test_inputs_in_other_formats_are_validated_first(tmp_path: Path, base: Path):
    folder = tmp_path / "annotated"
    brat.save([_other("d3", "Brat text.")], folder)
    result, entry = merge_files(base, folder, tmp_path / "out.jsonl")
    assert result.added == ["d3"] and entry["new"]["format"] == "brat"
    broken = perturbed(gold("d7"))
    broken.units[0].text = "not the text"
    with pytest.raises(CorpusError, match=r"bad\.jsonl \[d7/T1\]: span text 'not the text' differs"):
        merge_files(base, _new(tmp_path, broken, name="bad.jsonl"), tmp_path / "out2.jsonl")


def test_an_existing_output_that_is_not_base_is_not_overwritten(tmp_path: Path, base: Path):
    out = tmp_path / "other.jsonl"
    out.write_text("keep me\n")
    with pytest.raises(CorpusError, match="exists and is not BASE"):
        merge_files(base, _new(tmp_path, _other("d3", "Third text.")), out)
    assert out.read_text() == "keep me\n"


def test_an_interrupted_merge_leaves_the_old_dataset_intact(tmp_path: Path, base: Path, monkeypatch):
    merge_files(base, _new(tmp_path, _other("d3", "Third text.")), base)  # one logged version
    before, log_before = base.read_bytes(), changelog_path(base).read_bytes()

    def write_part_then_fail(docs, out, where=None):
        for i, doc in enumerate(docs):
            if i == 2:
                raise KeyboardInterrupt  # as if the process were stopped midway through the file
            out.write(jsonl.dump_document(doc) + "\n")
            out.flush()
        return i

    monkeypatch.setattr(jsonl, "write_documents", write_part_then_fail)
    new = _new(tmp_path, _other("d4", "Fourth text."), name="n2.jsonl")
    with pytest.raises(KeyboardInterrupt):
        merge_files(base, new, base)
    assert base.read_bytes() == before
    assert changelog_path(base).read_bytes() == log_before
    with pytest.raises(KeyboardInterrupt):
        merge_files(base, new, tmp_path / "fresh.jsonl")
    # no partial output, no temp file, no changelog of a version that was never written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.jsonl", "data.jsonl.changelog", "n2.jsonl",
                                                          "new.jsonl"]


def test_merge_in_place_keeps_fields_the_schema_does_not_know(tmp_path: Path, base: Path):
    """An annotator's own fields (who annotated, how sure) are carried through a merge, never dropped."""
    record = json.loads(base.read_text(encoding="utf-8").splitlines()[0])
    record["annotator"] = "ana"
    for unit in record["units"]:
        unit["confidence"] = 0.9
    lines = base.read_text(encoding="utf-8").splitlines()
    base.write_text("\n".join([json.dumps(record)] + lines[1:]) + "\n", encoding="utf-8")
    merge_files(base, _new(tmp_path, _other("d3", "Third text.")), base)
    kept = json.loads(base.read_text(encoding="utf-8").splitlines()[0])
    assert kept["annotator"] == "ana" and {u["confidence"] for u in kept["units"]} == {0.9}


def test_a_base_in_another_format_is_never_rewritten_in_place(tmp_path: Path, base: Path):
    """A doccano export is a .jsonl too: `data merge export.jsonl new.jsonl -o export.jsonl` replaced the
    annotators' doccano file with mining's JSONL (another format, doccano's own ids gone)."""
    from mining.corpora import doccano

    export = tmp_path / "export.jsonl"
    doccano.save(jsonl.load(base), export)
    before = export.read_bytes()
    with pytest.raises(CorpusError, match=r"export\.jsonl: BASE is a doccano file.*write to a new \*\.jsonl"):
        merge_files(export, _new(tmp_path, _other("d3", "Third text.")), export)
    assert export.read_bytes() == before and not changelog_path(export).exists()
    result, _ = merge_files(export, tmp_path / "new.jsonl", tmp_path / "merged.jsonl")
    assert result.added == ["d3"] and len(jsonl.load(tmp_path / "merged.jsonl")) == 3


@pytest.mark.parametrize("damage, problem", [
    (b'{"timestamp": "2026', r"invalid JSON \(Unterminated string starting at, column 15\)"),
    (b"[1, 2]", "expected a JSON object, got list"),
    (b'{"note": "caf\xe9"}', "not valid UTF-8: byte 0xe9"),
    (b'{"note": "\\ud800"}', r'invalid JSON \("note" holds a lone surrogate'),
    (b"[" * 100_000, r"invalid JSON \(nested too deeply, column 100000\)"),
], ids=["truncated", "not-an-object", "not-utf8", "lone-surrogate", "nested-too-deeply"])
def test_a_damaged_changelog_is_named_and_the_merge_changes_nothing(tmp_path: Path, base: Path, damage, problem):
    """A broken line in the changelog gave a traceback, after the new data was written (invalid UTF-8) or
    was carried on silently into every later version (bad JSON)."""
    merge_files(base, _new(tmp_path, _other("d3", "Third text.")), base)
    log = changelog_path(base)
    log.write_bytes(log.read_bytes() + damage + b"\n" + b'{"action": "by hand"}\n')
    before, log_before = base.read_bytes(), log.read_bytes()
    new = _new(tmp_path, _other("d4", "Fourth text."), name="n2.jsonl")
    where = re.escape(f"{log}:2: damaged changelog: ")
    for out in (base, tmp_path / "v3.jsonl"):  # in place, and a new OUT carrying BASE's history on
        with pytest.raises(CorpusError, match=where + problem):
            merge_files(base, new, out)
    with pytest.raises(CorpusError, match=where + problem):
        read_changelog(base)
    assert base.read_bytes() == before and log.read_bytes() == log_before
    assert not (tmp_path / "v3.jsonl").exists() and not changelog_path(tmp_path / "v3.jsonl").exists()
    done = mining("data", "merge", str(base), str(new), "-o", str(base))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert re.fullmatch(f"error: {where}{problem}.*the merge changes nothing until the line is repaired\n", done.stderr)
    assert base.read_bytes() == before and log.read_bytes() == log_before


def test_a_changelog_whose_last_line_has_no_end_keeps_its_lines_apart(tmp_path: Path, base: Path):
    """An entry appended to a last line without its newline (an edit by hand) made one line of two objects."""
    log = changelog_path(base)
    log.write_text('{"action": "created by hand"}', encoding="utf-8")
    merge_files(base, _new(tmp_path, _other("d3", "Third text.")), base)
    assert [e["action"] for e in read_changelog(base)] == ["created by hand", "merge"]
    assert log.read_text(encoding="utf-8").startswith('{"action": "created by hand"}\n{')


@pytest.mark.parametrize("content", ["", "\n  \n\n"])
@pytest.mark.parametrize("in_place", [False, True])
def test_a_new_file_without_documents_is_refused_and_nothing_is_written(tmp_path: Path, base: Path, content: str,
                                                                       in_place: bool):
    """An empty export merged with exit 0, a new version and a changelog entry with nothing new: the wrong file."""
    merge_files(base, _new(tmp_path, _other("d3", "Third text."), name="first.jsonl"), base)  # a changelog to keep
    before = {path: path.read_bytes() for path in (base, changelog_path(base))}
    empty = tmp_path / "export.jsonl"
    empty.write_text(content, encoding="utf-8")
    out = base if in_place else tmp_path / "merged.jsonl"
    done = mining("data", "merge", str(base), str(empty), "-o", str(out))
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == f"error: {empty}: holds no documents: nothing to merge", done.stderr
    assert done.stdout == ""
    assert {path: path.read_bytes() for path in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["data.jsonl", "data.jsonl.changelog", "first.jsonl",
                                                                 "export.jsonl"])


def test_two_merges_into_one_base_at_once_lose_nothing(tmp_path: Path, base: Path, monkeypatch):
    """Two `data merge BASE NEW -o BASE` at once both said "added 1" and the first merge was gone. The one that finds
    BASE changed since it read it writes nothing, and says so; the other merge's version stays."""
    from mining.dataset import merge

    first = _new(tmp_path, _other("d3", "Third text."), name="n1.jsonl")
    second = _new(tmp_path, _other("d4", "Fourth text."), name="n2.jsonl")
    plan = merge.plan_merge

    def the_other_merge_lands_meanwhile(*args, **kwargs):
        monkeypatch.setattr(merge, "plan_merge", plan)
        merge_files(base, first, base)
        return plan(*args, **kwargs)

    monkeypatch.setattr(merge, "plan_merge", the_other_merge_lands_meanwhile)
    with pytest.raises(CorpusError, match="changed while this merge read it .*nothing was written; merge again"):
        merge_files(base, second, base)
    assert [d.id for d in jsonl.load(base)] == ["d1", "d2", "d3"]
    assert len(read_changelog(base)) == 1
    merge_files(base, second, base)  # merged again onto the new version: both merges are in
    assert [d.id for d in jsonl.load(base)] == ["d1", "d2", "d3", "d4"]


def test_a_merge_that_lands_while_another_writes_is_kept_too(tmp_path: Path, base: Path, monkeypatch):
    """The check must come after the new version is written, not before: a merge landing during the write of a large
    dataset was lost all the same."""
    first = _new(tmp_path, _other("d3", "Third text."), name="n1.jsonl")
    second = _new(tmp_path, _other("d4", "Fourth text."), name="n2.jsonl")
    write = jsonl.write_documents

    def the_other_merge_lands_midway(docs, out, where=None):
        monkeypatch.setattr(jsonl, "write_documents", write)
        merge_files(base, first, base)
        return write(docs, out, where)

    monkeypatch.setattr(jsonl, "write_documents", the_other_merge_lands_midway)
    with pytest.raises(CorpusError, match="changed while this merge read it"):
        merge_files(base, second, base)
    assert [d.id for d in jsonl.load(base)] == ["d1", "d2", "d3"] and len(read_changelog(base)) == 1
