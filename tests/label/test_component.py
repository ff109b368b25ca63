"""The spaCy factory ``argument_miner``: its config, what it declares it assigns, and its extensions.

A stub stands in for the trained bundle, so these run without training; the real bundle is tested
in tests/label/test_miner.py.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Doc, Span

from mining.label.component import DEFAULT_SPANS_KEY, FACTORY, RELATIONS, SPAN_EXTENSIONS, register_extensions
from mining.nlp.pipeline import PipelineInfo
from mining.schema import Document, Relation, Unit

TEXT = "Trams are good. They cut traffic."


class StubMiner:
    """Labels every text with two units and one relation, like a trained bundle would."""

    pipeline = PipelineInfo(package="en_stub", version="0.0.0", spacy_version=spacy.__version__, lang="en",
                            exclude=(), components=())

    def label_parsed(self, docs, parsed):
        return [Document(id=d.id, text=d.text,
                         units=[Unit(id="T1", start=0, end=15, text=d.text[:15], label="claim", stance="for",
                                     holder="author", attributes={"speech": "author"}),
                                Unit(id="T2", start=16, end=33, text=d.text[16:33], label="premise")],
                         relations=[Relation(id="R1", source="T2", target="T1", label="supports")])
                for d in docs]


@pytest.fixture
def stub_run(monkeypatch) -> str:
    from mining.label.miner import ArgumentMiner

    monkeypatch.setattr(ArgumentMiner, "from_run", classmethod(lambda cls, run, check_pipeline=True: StubMiner()))
    return "stub-run"


def test_default_config_names_the_spans_key():
    meta = spacy.Language.get_factory_meta(FACTORY)
    assert meta.default_config == {"run": None, "strict_pipeline": True, "spans_key": "arguments"}
    assert DEFAULT_SPANS_KEY == "arguments"


def test_the_units_go_to_the_default_spans_key(stub_run: str):
    nlp = spacy.blank("en")
    nlp.add_pipe(FACTORY, config={"run": stub_run, "strict_pipeline": False})
    doc = nlp(TEXT)
    assert [(s.text, s.label_, s._.stance, s._.holder, s._.speech, s._.unit_id) for s in doc.spans["arguments"]] \
        == [("Trams are good.", "claim", "for", "author", "author", "T1"),
            ("They cut traffic.", "premise", None, None, None, "T2")]
    assert doc._.argument_relations == [("T2", "T1", "supports")]


def test_a_custom_spans_key(stub_run: str):
    nlp = spacy.blank("en")
    nlp.add_pipe(FACTORY, config={"run": stub_run, "strict_pipeline": False, "spans_key": "units"})
    doc = nlp(TEXT)
    assert "arguments" not in doc.spans
    assert [s.label_ for s in doc.spans["units"]] == ["claim", "premise"]
    assert nlp.get_pipe_config(FACTORY)["spans_key"] == "units"


def test_the_pipe_meta_lists_what_the_component_assigns(stub_run: str):
    nlp = spacy.blank("en")
    nlp.add_pipe(FACTORY, config={"run": stub_run, "strict_pipeline": False})
    assigns = nlp.get_pipe_meta(FACTORY).assigns
    assert assigns == ["doc.spans", "span._.stance", "span._.holder", "span._.unit_id", "span._.speech",
                       "doc._.argument_relations"]
    assert nlp.get_pipe_meta(FACTORY).requires == ["token.dep", "token.head", "doc.ents"]


def test_snapshot_of_factory_and_extension_names():
    """Renaming the factory or an extension breaks users' code: make it a deliberate change here."""
    assert FACTORY == "argument_miner"
    assert SPAN_EXTENSIONS == ("stance", "holder", "unit_id", "speech") and RELATIONS == "argument_relations"
    assert "argument_miner" in spacy.registry.factories.get_all()


def test_register_extensions_is_idempotent():
    register_extensions()
    register_extensions()
    assert all(Span.has_extension(name) for name in SPAN_EXTENSIONS) and Doc.has_extension(RELATIONS)


def test_importing_the_module_registers_no_extension():
    code = ("import mining.label.component; from spacy.tokens import Doc, Span; "
            f"print(any(Span.has_extension(n) for n in {SPAN_EXTENSIONS!r}) or Doc.has_extension({RELATIONS!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
