"""ArgumentMiner: labelling raw text with a trained bundle, in Python and as a spaCy component."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest
import spacy

from mining.dataset.validation import check_document
from mining.errors import UsageError
from mining.label.miner import ArgumentMiner
from mining.nlp.pieces import split_text
from mining.nlp.pipeline import find_pipeline, load_pipeline, pipe_texts
from mining.runs.record import read_metrics
from mining.schema import STANCES, UNIT_LABELS, Document

# Original text, written for this test: a heading line without final punctuation, reported
# speech with named holders, a quote with a pronoun speaker, and the author's own voice.
NEWS = """Council backs new tram line
The city council voted on Tuesday to build a tram line to the airport. Mayor Lena Brandt said that \
the line would cut traffic on the ring road by a fifth. "We cannot keep widening roads," she told reporters.
Shopkeepers object
Tomas Weber, who chairs the traders' association, argued that years of building works would drive \
customers away. He warned that several shops might close before the trams run.
"""


@pytest.fixture(scope="module")
def miner(miner_run: Path) -> ArgumentMiner:
    return ArgumentMiner.from_run(miner_run)


@pytest.fixture(scope="module")
def labelled(miner: ArgumentMiner) -> Document:
    return miner(NEWS)


def test_labelled_document_is_valid_and_complete(labelled: Document):
    assert labelled.text == NEWS and labelled.units
    assert not list(check_document(labelled))  # offsets, texts, labels, relation ends all valid
    ids = {u.id for u in labelled.units}
    for unit in labelled.units:
        assert unit.label in UNIT_LABELS
        assert unit.holder, unit
        assert unit.attributes["speech"] in ("quote", "reported", "author")
        assert unit.stance in (*STANCES, None)
    assert all(r.source in ids and r.target in ids and r.source != r.target for r in labelled.relations)
    assert labelled.metadata["labelled_by"]["pipeline"].startswith("en_core_web_sm")


def test_units_stay_inside_lines(labelled: Document):
    """Every non-blank line is a paragraph: a heading is never merged into the next sentence."""
    for unit in labelled.units:
        assert "\n" not in unit.text, unit
    headings = [(NEWS.index(h), NEWS.index(h) + len(h)) for h in ("Council backs new tram line", "Shopkeepers object")]
    for unit in labelled.units:
        for start, end in headings:
            assert unit.end <= end or unit.start >= end or unit.start >= start  # never starts before and crosses


def test_holders_name_the_speakers(labelled: Document):
    holders = {u.holder for u in labelled.units}
    assert {"Lena Brandt", "Tomas Weber"} <= holders, holders
    quote = next(u for u in labelled.units if "widening roads" in u.text)
    assert quote.holder == "Lena Brandt" and quote.attributes["speech"] == "quote"


def test_one_text_a_list_and_odd_inputs(miner: ArgumentMiner):
    docs = miner.label([NEWS, "", "no sentence punctuation anywhere in this line of words at all"], ids=["a", "b", "c"])
    assert [d.id for d in docs] == ["a", "b", "c"]
    assert docs[1].text == "" and docs[1].units == [] and docs[1].relations == []
    assert not list(check_document(docs[0])) and not list(check_document(docs[2]))


@pytest.mark.parametrize("texts, options, message", [
    ("One text.", {}, "a single string would be labelled one character at a time; give [text]"),
    (["One text.", None], {}, "text 1: expected a string or a Document, got NoneType"),
    (["One.", "Two."], {"ids": ["a"]}, "text 1: no id left for it"),
    (["One."], {"topic": 5}, "topic must be a string or None, got int"),
    (["One.", "Two."], {"ids": "ab"}, "ids is a list of ids, one a text"),
    (["One."], {"ids": [None]}, "text 0: its id must be a string that is not empty, got None"),
])
def test_the_api_refuses_what_it_would_label_wrong(miner: ArgumentMiner, texts, options: dict, message: str):
    """``label("a text")`` labelled each character as a document of its own, without a word; None, a short ``ids``
    and a topic that is no string failed deep in spaCy with Python's own errors."""
    with pytest.raises(UsageError, match=re.escape(message)):
        miner.label(texts, **options)


def test_long_texts_are_parsed_in_pieces_that_join_back():
    text = "First line here. Another one.\n" * 40 + "x" * 50 + " tail words without a break " * 10
    pieces = split_text(text, max_chars=200)
    assert "".join(pieces) == text and all(len(p) <= 200 for p in pieces)
    nlp = load_pipeline(find_pipeline())
    (doc,) = pipe_texts(nlp, [text], max_chars=200)
    assert doc.text == text and doc.has_annotation("DEP")


def test_end_to_end_scores_are_recorded(miner_run: Path):
    metrics = read_metrics(miner_run)
    for key in ("units.exact.f1", "units.overlap50.f1", "components.exact.f1", "components.overlap50.f1",
                "stance.accuracy", "holder.accuracy", "relations.overlap50.f1"):
        assert 0.0 <= metrics[f"test.end_to_end.{key}"] <= 1.0, key
    assert metrics["test.end_to_end.units.exact.f1"] <= metrics["test.end_to_end.units.overlap50.f1"]
    assert metrics["test.end_to_end.components.overlap50.f1"] <= metrics["test.end_to_end.units.overlap50.f1"]
    # and Eger et al.'s scoring beside ours (tokens, above 0.5 of the longer span, micro-F1)
    for kind in ("components", "relations"):
        exact, half = (metrics[f"test.end_to_end.{kind}.eger.{m}.micro_f1"] for m in ("exact", "overlap50"))
        assert 0.0 <= exact <= half <= 1.0, kind
    assert metrics["test.end_to_end.components.eger.n_gold"] == metrics["test.end_to_end.units.n_gold"]


def test_unfinished_and_single_task_runs_are_refused(tmp_path: Path, sample_run):
    with pytest.raises(FileNotFoundError, match="model.skops"):
        ArgumentMiner.from_run(tmp_path)
    with pytest.raises(ValueError, match="experiment=miner"):
        ArgumentMiner.from_run(sample_run("sample_stance"))


def test_a_different_pipeline_version_is_an_error(tmp_path: Path, miner_run: Path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(miner_run, run)
    meta = json.loads((run / "meta.json").read_text())
    meta["spacy_pipeline"]["version"] = "0.0.1"
    (run / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(RuntimeError, match="0.0.1"):
        ArgumentMiner.from_run(run)


def test_spacy_component_puts_units_into_doc_spans(miner_run: Path, labelled: Document):
    nlp = spacy.load(find_pipeline().package)
    nlp.add_pipe("argument_miner", config={"run": str(miner_run)})
    doc = nlp(NEWS)
    spans = doc.spans["arguments"]
    assert [(s.start_char, s.end_char, s.label_) for s in spans] == [(u.start, u.end, u.label) for u in labelled.units]
    assert [(s._.stance, s._.holder) for s in spans] == [(u.stance, u.holder) for u in labelled.units]
    assert doc._.argument_relations == [(r.source, r.target, r.label) for r in labelled.relations]
    assert [d.spans["arguments"][0].label_ for d in nlp.pipe([NEWS, NEWS])] == [spans[0].label_] * 2
    assert ({"doc.spans", "span._.stance", "doc._.argument_relations"}
            <= set(nlp.get_pipe_meta("argument_miner").assigns))


def test_spacy_component_with_a_custom_spans_key(miner_run: Path, labelled: Document):
    nlp = spacy.load(find_pipeline().package)
    nlp.add_pipe("argument_miner", config={"run": str(miner_run), "spans_key": "units"})
    doc = nlp(NEWS)
    assert "arguments" not in doc.spans
    assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["units"]] == \
        [(u.start, u.end, u.label) for u in labelled.units]


def test_long_texts_are_labelled_in_pieces_and_joined(miner: ArgumentMiner, monkeypatch):
    import mining.label.batches

    monkeypatch.setattr(mining.label.batches, "MAX_PIECE_CHARS", 400)
    text = NEWS * 3
    (doc,) = miner.label([text], ids=["long"])
    assert doc.id == "long" and doc.text == text
    # Every copy of the text gets units, the last piece's too (the sample-trained segmenter finds 2 to 4
    # in each: a copy after the first starts in a body paragraph, not in the introduction).
    assert all(sum(k * len(NEWS) <= u.start < (k + 1) * len(NEWS) for u in doc.units) >= 2 for k in range(3))
    assert not list(check_document(doc))  # shifted offsets still point at the unit texts
    assert [u.id for u in doc.units] == [f"T{i}" for i in range(1, len(doc.units) + 1)]


@pytest.mark.slow  # trains four runs
def test_a_bundle_of_single_task_runs(sample_run, labelled: Document):
    runs = {"segmentation": sample_run("sample_segmentation"), "components": sample_run("sample_components")}
    miner = ArgumentMiner.from_runs(**runs)
    doc = miner(NEWS)
    assert doc.units and not doc.relations and all(u.stance is None for u in doc.units)
    assert not list(check_document(doc)) and {u.holder for u in doc.units} >= {"Lena Brandt", "Tomas Weber"}
    assert doc.metadata["labelled_by"]["runs"] == {step: str(run) for step, run in runs.items()}


def test_repeated_ids_never_mix_texts(miner: ArgumentMiner, labelled: Document):
    first, second = miner.label([NEWS, "Hi."], ids=["x", "x"])
    assert [u.to_dict() for u in first.units] == [u.to_dict() for u in labelled.units]
    assert second.text == "Hi." and not list(check_document(second)) and second.id == "x"


def test_a_text_is_labelled_alike_alone_and_in_a_batch(miner: ArgumentMiner, labelled: Document):
    # The steps take a whole batch at once and share per-document work inside it (nlp.sharing).
    other = "Fares rise again\nThe operator says that fuel costs doubled, so tickets must cost more."
    batch = miner.label([other, NEWS, other, NEWS])
    for doc in batch[1::2]:
        assert [u.to_dict() for u in doc.units] == [u.to_dict() for u in labelled.units]
        assert [r.to_dict() for r in doc.relations] == [r.to_dict() for r in labelled.relations]
    assert [u.to_dict() for u in batch[0].units] == [u.to_dict() for u in batch[2].units] == \
        [u.to_dict() for u in miner(other).units]


def test_batches_close_on_characters_or_on_count():
    from mining.label.batches import MAX_BATCH_ITEMS, char_batches

    assert [len(b) for b in char_batches(["x" * 30_000] * 3 + ["y"], len, 50_000)] == [2, 2]
    empty = [len(b) for b in char_batches([""] * (2 * MAX_BATCH_ITEMS + 5), len)]  # no characters, yet bounded
    assert empty == [MAX_BATCH_ITEMS, MAX_BATCH_ITEMS, 5]


def test_a_text_without_line_breaks_is_cut_at_sentence_ends(miner: ArgumentMiner, monkeypatch):
    import mining.label.batches
    from mining.label.batches import split_document
    from mining.schema import Document as Doc_

    monkeypatch.setattr(mining.label.batches, "MAX_PIECE_CHARS", 400)
    text = " ".join([NEWS.replace("\n", " ")] * 3)
    assert "\n" not in text and len(text) > 3 * 400
    pieces = [piece.text for _, _, piece in split_document(Doc_(id="one-line", text=text))]
    assert "".join(pieces) == text and len(pieces) > 3 and all(len(p) <= 400 for p in pieces)
    assert all(p.rstrip()[-1] in ".!?\"'" for p in pieces[:-1]), pieces  # whole sentences, not words cut apart
    seen: list[int] = []
    (doc,) = miner.label([text], ids=["one-line"], progress=seen.append)
    assert len(seen) >= 2 and sum(seen) == len(text)  # progress moves inside the one text
    assert doc.text == text and doc.units and not list(check_document(doc))


def test_the_stance_step_sees_the_holders(miner: ArgumentMiner):
    # A news stance model decides per party (mining/models/sides.py), so holders come first.
    class HolderSpy:
        seen: list = []

        def predict(self, instances):
            self.seen += [inst.unit.holder for inst in instances]
            return ["for"] * len(instances)

    spy = HolderSpy()
    doc = dataclasses.replace(miner, models={**miner.models, "stance": spy})(NEWS)
    claims = [u for u in doc.units if u.label in miner.tasks["stance"].unit_labels]
    assert claims and spy.seen == [u.holder for u in claims] and "Tomas Weber" in spy.seen, spy.seen
    assert all(u.stance == "for" for u in claims)


def test_a_unit_allowance_keeps_the_spans_the_type_model_rejects_narrowly(miner: ArgumentMiner):
    # A type model that rejects every span, by 0.3 over premise and 1.3 over claim: with no allowance nothing
    # is left, nor within 0.2; within 0.5 every span the segmenter found is kept, typed premise.
    class Rejecting:
        classes_ = np.array(["claim", "none", "premise"])

        def predict(self, instances):
            return np.array(["none"] * len(instances))

        def decision_function(self, instances):
            return np.tile([-1.0, 0.3, 0.0], (len(instances), 1))

    assert miner.tasks["components"].reject == "none"
    found = len(miner(NEWS).units)

    def labelled(allowance: float) -> Document:
        task = dataclasses.replace(miner.tasks["components"], unit_allowance=allowance, claim_allowance=0.0,
                                   party_claim=None)  # nothing turns the premises into claims
        return dataclasses.replace(miner, tasks={**miner.tasks, "components": task},
                                   models={**miner.models, "components": Rejecting()})(NEWS)

    assert labelled(0.0).units == [] == labelled(0.2).units
    kept = labelled(0.5).units
    assert len(kept) >= found > 0 and {u.label for u in kept} == {"premise"}
    assert [(u.start, u.end) for u in kept] == [(u.start, u.end) for u in labelled(10.0).units]


def test_in_an_essay_bundle_a_units_own_verb_names_no_holder(miner: ArgumentMiner):
    """The sample bundle is of the essays domain: a unit that states its own cue is the author's claim there
    (mining.label.miner.ONE_VOICE_DOMAINS); read as news, its verb's subject holds it. Only the holders differ."""
    text = ("Students often say that exams are unfair. "
            "Teachers want smaller classes because large classes slow every pupil down.")
    assert miner.domain == "essays"
    essay = miner(text)
    news = dataclasses.replace(miner, domain="news")(text)
    assert [(u.start, u.end, u.label) for u in essay.units] == [(u.start, u.end, u.label) for u in news.units]
    wants = [k for k, u in enumerate(news.units) if u.text.startswith("Teachers want")]
    assert wants and [essay.units[k].holder for k in wants] == ["author"] * len(wants)
    assert [news.units[k].holder for k in wants] == ["teachers"] * len(wants)


def test_a_bundle_whose_model_files_are_of_the_wrong_kind_is_refused(tmp_path: Path):
    import shutil

    import skops.io as sio

    from mining.errors import RunRecordError
    from mining.label.bundle import default_model
    from mining.runs.record import load_model
    from tests.helpers import run_mining

    run = tmp_path / "run"
    shutil.copytree(default_model(), run)
    models = load_model(run)
    sio.dump(models["components"], run / "model.skops")  # one pipeline, as a single-task run records
    with pytest.raises(RunRecordError, match=f"{run}: its model.skops holds a Pipeline, not the steps"):
        ArgumentMiner.from_run(run, check_pipeline=False)
    sio.dump({"segmentation": models["segmentation"]}, run / "model.skops")
    with pytest.raises(RunRecordError, match=f"{run}: its model.skops lacks the step\\(s\\) components"):
        ArgumentMiner.from_run(run, check_pipeline=False)
    sio.dump({"a": 1}, run / "tasks.skops")
    with pytest.raises(RunRecordError, match=f"{run}: its tasks.skops lacks the step\\(s\\) segmentation, components"):
        ArgumentMiner.from_run(run, check_pipeline=False)
    (tmp_path / "text.txt").write_text("Cats are great.\n", encoding="utf-8")
    done = run_mining("label", str(tmp_path / "text.txt"), "--model", str(run))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{run}: its tasks.skops lacks the step(s) segmentation, components" in done.stderr, done.stderr
