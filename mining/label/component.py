"""The spaCy pipeline component ``argument_miner``: a trained bundle's units as ``doc.spans["arguments"]``."""

# No `from __future__ import annotations`: spaCy builds a pydantic model of the factory signature, and
# spaCy 3.8.0 cannot resolve string annotations such as "Language" there.
from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc, Span

from mining.nlp.pipeline import LINE_SENTENCES

DEFAULT_SPANS_KEY = "arguments"
FACTORY = "argument_miner"
# Extension attributes, set on every span of doc.spans[spans_key] and on the Doc.
STANCE, HOLDER, UNIT_ID, SPEECH = "stance", "holder", "unit_id", "speech"
SPAN_EXTENSIONS = (STANCE, HOLDER, UNIT_ID, SPEECH)
RELATIONS = "argument_relations"  # Doc extension: [(source unit id, target unit id, label), ...]
# What the component writes, in spaCy's "assigns" notation (checked by spacy.pipe_analysis.validate_attrs).
ASSIGNS = ["doc.spans", *(f"span._.{name}" for name in SPAN_EXTENSIONS), f"doc._.{RELATIONS}"]
# The units come from the parse (sentences, dependency arcs) and the holders from the entities.
REQUIRES = ["token.dep", "token.head", "doc.ents"]


def register_extensions() -> None:
    """Register the ``Span`` and ``Doc`` extensions the component sets; calling it again does nothing.

    Extensions live in process-wide class-level dicts and ``set_extension`` refuses duplicates, so
    registration checks ``has_extension`` first (as spacy-llm's tasks do) and happens when a component
    is made, never on import.
    """
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension(RELATIONS):
        Doc.set_extension(RELATIONS, default=None)


class ArgumentMinerComponent:
    """Labels each Doc with the bundle of a ``mining run experiment=miner`` run.

    Put it after the parser (and the entity recogniser, which names holders): every unit becomes a
    span of ``doc.spans[spans_key]`` (``"arguments"`` by default) whose ``label_`` is its type
    (major_claim, claim, premise), with ``span._.stance``, ``span._.holder``, ``span._.speech`` and
    ``span._.unit_id``; relations go to ``doc._.argument_relations``. Non-blank lines are paragraphs,
    as in ``mining label``.
    """

    def __init__(self, nlp: Language, name: str, run: str, strict_pipeline: bool = True,
                 spans_key: str = DEFAULT_SPANS_KEY):
        from mining.label.miner import ArgumentMiner

        register_extensions()
        self.name = name
        self.spans_key = spans_key
        self.miner = ArgumentMiner.from_run(run, check_pipeline=strict_pipeline)
        recorded = self.miner.pipeline
        loaded = nlp.meta.get("version")
        if strict_pipeline and (nlp.lang != recorded.lang or loaded != recorded.version):
            raise ValueError(f"the run {run} was trained on parses of {recorded.package} {recorded.version}, but "
                             f"this pipeline is {nlp.lang}_{nlp.meta.get('name')} {loaded}; use that pipeline or "
                             "pass config={'strict_pipeline': False} to accept other parses")
        if strict_pipeline and recorded.line_sentences and LINE_SENTENCES not in nlp.pipe_names:
            raise ValueError(f"the run {run} was trained on parses whose sentences end at line breaks; add "
                             f"nlp.add_pipe({LINE_SENTENCES!r}, before='parser') first (from mining.nlp.pipeline), "
                             "or pass config={'strict_pipeline': False} to accept other parses")

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        from mining.label.miner import document_from_text

        stream = iter(stream)
        while batch := list(islice(stream, batch_size)):
            bare = [document_from_text(doc.text, f"doc-{i}") for i, doc in enumerate(batch)]
            for doc, labelled in zip(batch, self.miner.label_parsed(bare, batch)):
                spans = []
                for unit in labelled.units:
                    span = doc.char_span(unit.start, unit.end, label=unit.label, alignment_mode="expand")
                    span._.set(STANCE, unit.stance)
                    span._.set(HOLDER, unit.holder)
                    span._.set(SPEECH, unit.attributes.get("speech"))
                    span._.set(UNIT_ID, unit.id)
                    spans.append(span)
                doc.spans[self.spans_key] = spans
                doc._.set(RELATIONS, [(r.source, r.target, r.label) for r in labelled.relations])
                yield doc


@Language.factory(FACTORY, assigns=ASSIGNS, requires=REQUIRES,
                  default_config={"run": None, "strict_pipeline": True, "spans_key": DEFAULT_SPANS_KEY})
def make_argument_miner(nlp: Language, name: str, run: str | None, strict_pipeline: bool,
                        spans_key: str) -> ArgumentMinerComponent:
    if run is None:
        raise ValueError(f'{FACTORY} needs config={{"run": RUN_DIR}}, a run of `mining run experiment=miner`')
    return ArgumentMinerComponent(nlp, name, run, strict_pipeline, spans_key)
