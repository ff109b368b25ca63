"""`mining annotate push/pull` against running Label Studio and doccano servers (issue 17).

The sample corpus goes to each server and back unchanged; an annotator's session, done through the
tool's own API (predictions accepted, a label changed, a unit and a relation added, a unit drawn in
two pieces), comes back exactly, and only the annotated documents unless the predictions are asked for.
Run with the servers up: ``scripts/annotation-servers start && . ~/.cache/mining/annotation-servers/env``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from mining.corpora import jsonl, labelstudio, load_corpus
from mining.errors import CorpusError, ServerError
from mining.schema import Document, Relation, Unit
from tests.annotate.annotators import (
    DoccanoAnnotator,
    LabelStudioAnnotator,
    free_phrases,
    ls_per_region,
    ls_region,
    ls_relation,
)
from tests.helpers import run_mining as mining
from tests.test_walkthrough import NEW_TEXTS

pytestmark = pytest.mark.servers
TOOLS = ["labelstudio", "doccano"]
EMOJI_TEXT = "Ferries matter 😀 to the island. They carry nurses at night, the mayor said."


def emoji_doc() -> Document:
    """Characters beyond U+FFFF and beyond Latin-1: what a wrong encoding or UTF-16 offsets would break."""
    start = EMOJI_TEXT.index("They")
    end = EMOJI_TEXT.index(", the")
    return Document("emoji", EMOJI_TEXT, units=[
        Unit("T1", 0, 30, EMOJI_TEXT[0:30], "claim", "for", "the mayor", {"speech": "reported"}),
        Unit("T2", start, end, EMOJI_TEXT[start:end], "premise", "for", "the mayor")],
        relations=[Relation("R1", "T2", "T1", "support")], split="train")


def push(tool: str, path: Path, project: str, *options: str) -> str:
    done = mining("annotate", "push", tool, str(path), "--project", project, *options)
    assert done.returncode == 0, done.stderr
    return done.stderr


def pull(tool: str, project: str, out: Path, *options: str) -> list[Document]:
    done = mining("annotate", "pull", tool, "--project", project, "-o", str(out), "--overwrite", *options)
    assert done.returncode == 0, done.stderr
    return jsonl.load(out)


@pytest.mark.parametrize("tool", TOOLS)
def test_the_sample_corpus_goes_to_the_server_and_back_unchanged(tool, request, tmp_path: Path, project_name):
    request.getfixturevalue(f"{tool}_server")
    docs = [*load_corpus("sample"), emoji_doc()]
    corpus = tmp_path / "corpus.jsonl"
    jsonl.save(docs, corpus)
    assert f"pushed {len(docs)} document(s)" in push(tool, corpus, project_name)

    assert pull(tool, project_name, tmp_path / "annotated.jsonl") == []  # nobody has annotated anything
    assert pull(tool, project_name, tmp_path / "all.jsonl", "--predictions") == docs
    assert (tmp_path / "all.jsonl").read_bytes() == corpus.read_bytes()
    # a second push adds nothing: every document is there already
    assert f"skipped {len(docs)} already in the project" in push(tool, corpus, project_name)


def test_pull_refuses_to_overwrite_and_names_a_missing_project(labelstudio_server, tmp_path: Path, project_name):
    out = tmp_path / "out.jsonl"
    out.write_text("keep\n", encoding="utf-8")
    done = mining("annotate", "pull", "labelstudio", "--project", project_name, "-o", str(out))
    assert done.returncode == 2 and "pass --overwrite" in done.stderr and out.read_text() == "keep\n"
    done = mining("annotate", "pull", "labelstudio", "--project", project_name, "-o", str(out), "--overwrite")
    assert done.returncode == 2 and f"no project named {project_name!r}" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and out.read_text() == "keep\n"


@pytest.mark.parametrize("tool", TOOLS)
def test_a_push_of_what_cannot_be_read_creates_no_project(tool, request, tmp_path: Path, project_name):
    request.getfixturevalue(f"{tool}_server")
    (tmp_path / "bad.jsonl").write_text('{"id": "a", "text": "Cats rule."\n', encoding="utf-8")
    for path, problem in ((tmp_path / "missing.txt", "no such file"), (tmp_path / "bad.jsonl", "bad.jsonl:1")):
        done = mining("annotate", "push", tool, str(path), "--project", project_name)
        assert done.returncode == 2 and problem in done.stderr, done.stderr
    done = mining("annotate", "pull", tool, "--project", project_name, "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2 and f"no project named {project_name!r}" in done.stderr, done.stderr


def _session_docs(tmp_path: Path) -> tuple[Path, list[Document]]:
    docs = load_corpus("sample")[:4]
    path = tmp_path / "to-annotate.jsonl"
    jsonl.save(docs, path)
    return path, docs


def _relabelled(doc: Document) -> tuple[Document, str]:
    """``doc`` with its first unit's label changed (claim <-> premise), and the new label."""
    changed = copy.deepcopy(doc)
    new = "premise" if changed.units[0].label != "premise" else "claim"
    changed.units[0].label = new
    return changed, new


def split_provenance(doc: Document) -> tuple[dict, list[dict]]:
    """Take the marks of who labelled what off ``doc``: its ``labelled_by`` record and each unit's marks."""
    marks = [{k: unit.attributes.pop(k) for k in ("labelled_by", "pre_labelled_by") if k in unit.attributes}
             for unit in doc.units]
    return doc.metadata.pop("labelled_by"), marks


def test_labelstudio_annotation_session_comes_back_exactly(labelstudio_server, tmp_path: Path, project_name):
    path, (a, b, c, d) = _session_docs(tmp_path)
    push("labelstudio", path, project_name)
    annotator = LabelStudioAnnotator(labelstudio_server, project_name)
    annotator.submit(a.id, annotator.predicted(a.id))  # accepted as predicted

    expected_b, new_label = _relabelled(b)
    result = annotator.predicted(b.id)
    for region in result:
        if region["type"] == "labels" and region["id"] == b.units[0].id:
            region["value"]["labels"] = [new_label]
    annotator.submit(b.id, result)

    (n0, n1), (p0, p1), (q0, q1) = free_phrases(c, 3)
    head = c.units[0].id
    annotator.submit(c.id, annotator.predicted(c.id) + [
        ls_region("new1", c.text, n0, n1, "premise"),
        ls_per_region("new1", "stance", "choices", n0, n1, {"choices": ["against"]}),
        ls_per_region("new1", "holder", "textarea", n0, n1, {"text": ["Critics"]}),
        ls_relation("new1", head, "attack"),
        ls_region("split1", c.text, p0, p1, "claim"),  # one unit in two pieces
        ls_per_region("split1", "stance", "choices", p0, p1, {"choices": ["for"]}),
        ls_region("split1_2", c.text, q0, q1, "claim"),
        ls_relation("split1_2", "split1", "same_unit"),
    ])

    annotated = pull("labelstudio", project_name, tmp_path / "annotated.jsonl")
    assert [doc.id for doc in annotated] == [a.id, b.id, c.id]  # d was not annotated
    # who labelled what (mining/corpora/corrections.py), checked apart: the rest comes back exactly
    records = [split_provenance(doc) for doc in annotated]
    assert [(r["units_unchanged"], r["units_corrected"], r["units_added"], r["units_removed"]) for r, _ in records] \
        == [(len(a.units), 0, 0, 0), (len(b.units) - 1, 1, 0, 0), (len(c.units), 0, 2, 0)]
    assert all(r["annotator"].startswith("labelstudio user ") and r["tool"] == "labelstudio" for r, _ in records)
    assert "pre_labelled_by" in records[1][1][0] and "pre_labelled_by" not in records[1][1][1]
    added = annotated[2].relations[-1]
    assert added.id not in {r.id for r in c.relations}  # a fresh id for the relation the annotator drew
    expected_c = copy.deepcopy(c)
    expected_c.units += [Unit("new1", n0, n1, c.text[n0:n1], "premise", "against", "Critics"),
                         Unit("split1", p0, q1, f"{c.text[p0:p1]} {c.text[q0:q1]}", "claim", "for",
                              fragments=[(p0, p1), (q0, q1)])]
    expected_c.relations.append(Relation(added.id, "new1", head, "attack"))
    assert annotated == [a, expected_b, expected_c]
    everything = pull("labelstudio", project_name, tmp_path / "all.jsonl", "--predictions")
    for doc in everything[:3]:
        split_provenance(doc)
    assert everything == [a, expected_b, expected_c, d]  # d, read from its predictions, is the model's as pushed

    # Break 1 of issue 17: the plain export lists predictions by id; read, it says how to get them.
    with pytest.raises(CorpusError, match=r"task \d+\]: task lists its predictions by id only"):
        labelstudio.from_tasks(annotator.plain_export(), predictions=True)


def test_doccano_annotation_session_comes_back_exactly(doccano_server, tmp_path: Path, project_name):
    path, (a, b, c, d) = _session_docs(tmp_path)
    push("doccano", path, project_name)
    annotator = DoccanoAnnotator(doccano_server, project_name)
    annotator.done(a.id)  # the predicted spans accepted as they are

    def span_of(doc: Document, unit: Unit) -> int:
        (span,) = [s["id"] for s in annotator.spans(doc.id)
                   if (s["start_offset"], s["end_offset"]) == (unit.start, unit.end)]
        return span

    expected_b, new_label = _relabelled(b)
    stance = b.units[0].stance
    annotator.relabel(b.id, span_of(b, b.units[0]), f"{new_label}|{stance}" if stance else new_label)
    moved = expected_b.units[1]  # its first word left out: the same unit, with its id and holder
    annotator.move(b.id, span_of(b, b.units[1]), moved.start + moved.text.index(" ") + 1, moved.end)
    moved.start += moved.text.index(" ") + 1
    moved.text = b.text[moved.start:moved.end]
    annotator.done(b.id)

    (n0, n1), (p0, p1), (q0, q1) = free_phrases(c, 3)
    new = annotator.add_span(c.id, n0, n1, "premise|against")
    link = annotator.add_relation(c.id, new, span_of(c, c.units[0]), "attack")
    first = annotator.add_span(c.id, p0, p1, "claim|for")  # one unit in two pieces
    annotator.add_relation(c.id, annotator.add_span(c.id, q0, q1, "claim|for"), first, "same_unit")
    annotator.done(c.id)

    expected_c = copy.deepcopy(c)
    # doccano spans have no holder or id of ours: a drawn span is named by its doccano id
    expected_c.units += [Unit(str(new), n0, n1, c.text[n0:n1], "premise", "against"),
                         Unit(str(first), p0, q1, f"{c.text[p0:p1]} {c.text[q0:q1]}", "claim", "for",
                              fragments=[(p0, p1), (q0, q1)])]
    expected_c.relations.append(Relation(str(link), str(new), c.units[0].id, "attack"))
    annotated = pull("doccano", project_name, tmp_path / "annotated.jsonl")
    assert annotated == [a, expected_b, expected_c]
    everything = pull("doccano", project_name, tmp_path / "all.jsonl", "--predictions")
    assert everything == [a, expected_b, expected_c, d]


@pytest.mark.slow
@pytest.mark.parametrize("tool", TOOLS)
def test_push_with_a_model_sends_its_predictions_ranked_and_named_by_the_run(tool, request, tmp_path: Path,
                                                                            project_name):
    """What `mining label` predicts is what the annotators get, most uncertain first, named by the run."""
    request.getfixturevalue(f"{tool}_server")
    miner_run = request.getfixturevalue("miner_run")  # trained only once a server is there
    texts = tmp_path / "texts"
    texts.mkdir()
    for name, text in NEW_TEXTS.items():
        (texts / name).write_text(text, encoding="utf-8")
    labelled = mining("label", str(texts), "--model", str(miner_run), "-o", str(tmp_path / "labelled.jsonl"))
    assert labelled.returncode == 0, labelled.stderr
    rank = mining("data", "rank", str(texts), "--model", str(miner_run), "--json")
    assert rank.returncode == 0, rank.stderr
    order = [row["id"] for row in json.loads(rank.stdout)]
    version = f"mining:{Path(miner_run).resolve()}"
    assert f"with predictions of {version}" in push(tool, texts, project_name, "--model", str(miner_run), "--rank")

    predicted = {d.id: d for d in jsonl.load(tmp_path / "labelled.jsonl")}
    pulled = pull(tool, project_name, tmp_path / "pulled.jsonl", "--predictions", "--model-version", version)
    assert [d.id for d in pulled] == order  # pushed most uncertain first, and read back in that order
    assert pulled == [predicted[i] for i in order]
    done = mining("annotate", "pull", tool, "--project", project_name, "-o", str(tmp_path / "none.jsonl"),
                  "--predictions", "--model-version", "other")
    assert done.returncode == 2 and f"carry {version!r}" in done.stderr, done.stderr  # a typo, not an empty answer


@pytest.mark.parametrize("tool", TOOLS)
def test_pull_of_a_model_version_no_prediction_carries_names_the_versions_there_are(tool, request, tmp_path: Path,
                                                                                    project_name):
    """A mistyped --model-version used to give an empty file and no word: now one line names it and the versions
    the project's predictions carry."""
    from mining.annotate import open_project

    server = request.getfixturevalue(f"{tool}_server")
    docs = load_corpus("sample")[:2]
    open_project(server, project_name, create=True).push(docs, model_version="mining:/runs/a")
    out = tmp_path / "pulled.jsonl"
    done = mining("annotate", "pull", tool, "--project", project_name, "-o", str(out), "--predictions",
                  "--model-version", "mining:/runs/TYPO")
    assert done.returncode == 2 and not out.exists(), done.stderr
    assert done.stderr.strip().splitlines() == [
        f"error: {server.name}: project {project_name!r} has no predictions of model version 'mining:/runs/TYPO': "
        "its predictions carry 'mining:/runs/a'"]
    assert [d.id for d in pull(tool, project_name, out, "--predictions", "--model-version", "mining:/runs/a")] \
        == [d.id for d in docs]


def test_pull_of_a_model_version_from_a_doccano_project_without_versions_says_so(doccano_server, tmp_path: Path,
                                                                                  project_name):
    path, _ = _session_docs(tmp_path)
    push("doccano", path, project_name)  # the documents' own units: no model version
    done = mining("annotate", "pull", "doccano", "--project", project_name, "-o", str(tmp_path / "out.jsonl"),
                  "--predictions", "--model-version", "mining")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.strip().endswith("model version 'mining': none of its predictions carries a model version")


@pytest.mark.parametrize("tool", TOOLS)
def test_a_labelled_text_without_units_comes_back_with_the_predictions(tool, request, tmp_path: Path,
                                                                       project_name):
    """A text the model labelled and found no unit in is a prediction too (of no units), not a text to drop."""
    request.getfixturevalue(f"{tool}_server")
    with_units, without = copy.deepcopy(load_corpus("sample")[:2])
    without.units, without.relations = [], []
    for doc in (with_units, without):
        doc.metadata["labelled_by"] = {"model": "a run"}
    path = tmp_path / "labelled.jsonl"
    jsonl.save([with_units, without], path)
    push(tool, path, project_name)
    pulled = pull(tool, project_name, tmp_path / "pulled.jsonl", "--predictions")
    assert [(d.id, len(d.units)) for d in pulled] == [(with_units.id, len(with_units.units)), (without.id, 0)]
    # pushed with no --model, the predictions are "mining"'s in both tools
    assert pull(tool, project_name, tmp_path / "mining.jsonl", "--predictions", "--model-version", "mining") == pulled


def test_a_doccano_example_marked_done_unchanged_is_the_annotators(doccano_server, tmp_path: Path, project_name):
    """As in Label Studio, where submitting a prediction unchanged makes it the annotator's: done is reviewed."""
    labelled = copy.deepcopy(load_corpus("sample")[:2])
    for doc in labelled:
        doc.metadata["labelled_by"] = "model"
    jsonl.save(labelled, tmp_path / "labelled.jsonl")
    push("doccano", tmp_path / "labelled.jsonl", project_name)
    DoccanoAnnotator(doccano_server, project_name).done(labelled[0].id)
    pulled = pull("doccano", project_name, tmp_path / "pulled.jsonl", "--predictions")
    assert pulled[0].metadata["labelled_by"] == {"annotator": "human", "tool": "doccano",
                                                 "units_unchanged": len(labelled[0].units), "units_corrected": 0,
                                                 "units_added": 0, "units_removed": 0}
    assert pulled[1].metadata["labelled_by"] == "model"  # not done: still the model's prediction


@pytest.mark.parametrize("tool", TOOLS)
def test_a_unit_whose_bounds_the_annotator_moved_counts_as_corrected(tool, request, tmp_path: Path, project_name):
    """The moved unit keeps its id and holder, so the counts say one unit corrected, not one removed and one
    added; in doccano the span is moved (PATCHed) in place, in Label Studio the region keeps its id."""
    server = request.getfixturevalue(f"{tool}_server")
    (doc,) = copy.deepcopy([d for d in load_corpus("sample") if len(d.units) >= 3][:1])
    doc.metadata["labelled_by"] = {"model": "a run"}
    jsonl.save([doc], tmp_path / "labelled.jsonl")
    push(tool, tmp_path / "labelled.jsonl", project_name)
    unit = doc.units[1]
    start = unit.start + unit.text.index(" ") + 1  # its first word left out
    if tool == "doccano":
        annotator = DoccanoAnnotator(server, project_name)
        (span,) = [s["id"] for s in annotator.spans(doc.id) if s["start_offset"] == unit.start]
        annotator.move(doc.id, span, start, unit.end)
        annotator.done(doc.id)
    else:
        annotator = LabelStudioAnnotator(server, project_name)
        result = annotator.predicted(doc.id)
        for item in result:
            if item.get("id") == unit.id:  # the region and its stance and holder
                item["value"]["start"] = start
                if item["type"] == "labels":
                    item["value"]["text"] = doc.text[start:unit.end]
        annotator.submit(doc.id, result)
    (pulled,) = pull(tool, project_name, tmp_path / "pulled.jsonl")
    record = pulled.metadata["labelled_by"]
    assert [record[k] for k in ("units_unchanged", "units_corrected", "units_added", "units_removed")] \
        == [len(doc.units) - 1, 1, 0, 0], record
    moved = pulled.units[1]
    assert (moved.id, moved.start, moved.holder) == (unit.id, start, unit.holder)
    assert moved.attributes["labelled_by"] == record["annotator"] and "pre_labelled_by" in moved.attributes
    assert all(u.attributes["labelled_by"] != record["annotator"] for u in pulled.units if u is not moved)


@pytest.mark.parametrize("made_by", ["push", "hand"])
def test_doccano_refuses_the_overlapping_spans_that_pull_would_refuse(made_by, doccano_server, tmp_path: Path,
                                                                      project_name):
    """mining's units never overlap, so a project push made (or pushed to) forbids overlapping spans in doccano
    itself: the annotator is stopped when drawing one, not the pull later."""
    if made_by == "hand":  # a project that allows them, made before mining forbade them
        DoccanoAnnotator.create_project(doccano_server, project_name, collaborative=True)
    path, (a, *_) = _session_docs(tmp_path)
    said = push("doccano", path, project_name)
    assert ("switched off 'Allow overlapping spans'" in said) == (made_by == "hand"), said  # a change said aloud
    annotator = DoccanoAnnotator(doccano_server, project_name)
    unit = a.units[0]
    assert "overlapping is not allowed" in annotator.refused_span(a.id, unit.start, unit.start + 3, "claim")
    annotator.done(a.id)
    assert pull("doccano", project_name, tmp_path / "pulled.jsonl") == [a]


def test_a_text_doccano_decoded_by_guess_is_refused_not_read(doccano_server, tmp_path: Path, project_name):
    """Break 3 of issue 17, on the real server: an upload left to doccano's encoding guess ("Auto", its
    default) comes back either intact or refused by its fingerprint, never read with shifted offsets."""
    from mining.annotate.doccano import DoccanoProject
    from mining.corpora import doccano

    DoccanoProject.open(doccano_server, project_name, create=True).upload(doccano.to_records([emoji_doc()]),
                                                                          encoding="Auto")
    out = tmp_path / "pulled.jsonl"
    done = mining("annotate", "pull", "doccano", "--project", project_name, "-o", str(out), "--predictions")
    if done.returncode == 0:
        assert jsonl.load(out) == [emoji_doc()]
    else:
        assert done.returncode == 2 and "the text is not the one mining wrote" in done.stderr, done.stderr
        assert "ðŸ˜€" in done.stderr and not out.exists()  # doccano read the UTF-8 bytes as Windows-1252


@pytest.mark.parametrize("tool, variable", [("labelstudio", "LABEL_STUDIO_API_KEY"), ("doccano", "DOCCANO_PASSWORD")])
def test_refused_credentials_are_one_line_naming_what_to_check(tool, variable, request, monkeypatch, tmp_path: Path):
    request.getfixturevalue(f"{tool}_server")
    monkeypatch.setenv(variable, "not-the-secret")
    monkeypatch.delenv("DOCCANO_TOKEN", raising=False)
    done = mining("annotate", "pull", tool, "--project", "any", "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert variable in done.stderr and "not-the-secret" not in done.stderr


@pytest.mark.parametrize("tool, other", [("labelstudio", "doccano"), ("doccano", "labelstudio")])
def test_the_other_tools_server_is_named_as_such_not_dumped(tool, other, request, tmp_path: Path):
    """A --url of the other tool answers with its web page (HTTP 200 or 404): one line naming the page, no HTML."""
    request.getfixturevalue(f"{tool}_server")
    url = request.getfixturevalue(f"{other}_server").url
    done = mining("annotate", "pull", tool, "--url", url, "--project", "any", "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "with a web page titled" in done.stderr and f"is {url} a " in done.stderr, done.stderr
    assert "<" not in done.stderr and not (tmp_path / "out.jsonl").exists()


def test_a_doccano_example_that_fails_mid_pull_is_named(doccano_server, project_name):
    """A request that fails while the examples are read one by one (here the session's token is revoked): the
    error names the document and the example, not only "could not read the spans"."""
    from mining.annotate.doccano import DoccanoProject

    project = DoccanoProject.open(doccano_server, project_name, create=True)
    project.session.headers["Authorization"] = "Token revoked"
    example = {"id": 7, "text": "x", "meta": {"doc_id": "essay7"}}
    with pytest.raises(ServerError, match=r"could not read the spans of essay7 \(example 7\): HTTP 403"):
        project.record(example, {}, {})


def test_a_doccano_project_that_hides_other_annotators_work_is_refused(doccano_server, tmp_path: Path, project_name):
    DoccanoAnnotator.create_project(doccano_server, project_name, collaborative=False)
    done = mining("annotate", "pull", "doccano", "--project", project_name, "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2 and "does not share annotations across users" in done.stderr, done.stderr


def test_a_doccano_span_with_a_label_outside_the_scheme_is_named_by_its_document(doccano_server, tmp_path: Path,
                                                                                   project_name):
    """The error named the record's place in the pull (``.../v1/projects/15:2 [entity 1246]``), not the document:
    the annotator could not tell which example to fix."""
    path, docs = _session_docs(tmp_path)
    push("doccano", path, project_name)
    annotator = DoccanoAnnotator(doccano_server, project_name)
    evidence = annotator.call("POST", f"{annotator.base}/span-types", json={
        "text": "evidence", "background_color": "#000000", "text_color": "#ffffff"})["id"]
    span = annotator.spans(docs[1].id)[0]["id"]
    annotator.call("PATCH", f"{annotator.base}/examples/{annotator.examples[docs[1].id]}/spans/{span}",
                   json={"label": evidence})
    annotator.done(docs[0].id)
    annotator.done(docs[1].id)
    out = tmp_path / "pulled.jsonl"
    done = mining("annotate", "pull", "doccano", "--project", project_name, "-o", str(out))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert (f"{doccano_server.url} project {project_name!r} [{docs[1].id} (example "
            f"{annotator.examples[docs[1].id]})/entity {span}]: unknown label 'evidence'") in done.stderr
    assert not out.exists()


@pytest.mark.parametrize("tool", TOOLS)
def test_pull_with_the_predictions_gives_the_texts_pushed_without_units(tool, request, tmp_path: Path, project_name):
    """Label Studio left out, without a word, the tasks of texts pushed without units (they carry no prediction);
    doccano gave them. `--predictions` gives every document of the project."""
    request.getfixturevalue(f"{tool}_server")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "ferries.txt").write_text("Ferries matter to the island.", encoding="utf-8")
    (tmp_path / "texts" / "nurses.txt").write_text("They carry nurses at night.", encoding="utf-8")
    push(tool, tmp_path / "texts", project_name)
    assert pull(tool, project_name, tmp_path / "annotated.jsonl") == []
    pulled = pull(tool, project_name, tmp_path / "all.jsonl", "--predictions")
    assert sorted((d.id, d.text, len(d.units)) for d in pulled) == [
        ("ferries", "Ferries matter to the island.", 0), ("nurses", "They carry nurses at night.", 0)]


@pytest.mark.parametrize("tool", TOOLS)
def test_a_push_of_a_document_the_project_holds_with_another_text_is_refused(tool, request, tmp_path: Path,
                                                                              project_name):
    """A text corrected after its push and pushed again was skipped as "already in the project": the annotators
    never saw the correction, and the pull gave the old text under the id."""
    request.getfixturevalue(f"{tool}_server")
    first, second = copy.deepcopy(load_corpus("sample")[:2])
    jsonl.save([first], tmp_path / "first.jsonl")
    push(tool, tmp_path / "first.jsonl", project_name)
    changed = copy.deepcopy(first)
    changed.text = changed.text.replace("e", "E", 1)
    jsonl.save([second, changed], tmp_path / "again.jsonl")
    done = mining("annotate", "push", tool, str(tmp_path / "again.jsonl"), "--project", project_name)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert f"project {project_name!r} holds 1 of these document id(s) with another text ({first.id})" in done.stderr
    assert pull(tool, project_name, tmp_path / "all.jsonl", "--predictions") == [first]  # nothing was sent
    assert "skipped 1 already in the project" in push(tool, tmp_path / "first.jsonl", project_name)
