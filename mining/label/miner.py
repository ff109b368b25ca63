"""Label new text with a trained bundle: units, their types, stances, holders and relations, as Documents."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from mining.errors import UsageError
from mining.label import steps
from mining.label.batches import char_batches, join_pieces, split_document
from mining.label.bundle import check_bundle, check_installed, check_steps, pipeline_info, step_problem
from mining.label.uncertainty import score_uncertainty
from mining.nlp.pipeline import PipelineInfo, find_pipeline, load_pipeline
from mining.nlp.sharing import sharing
from mining.runs.record import MODEL, load_model, load_tasks, read_meta
from mining.schema import Document, paragraphs_from_lines


def document_from_text(text: str, doc_id: str, metadata: dict[str, Any] | None = None,
                       topic: str | None = None) -> Document:
    """An unlabelled Document: every non-blank line is a paragraph, so no unit crosses a line break."""
    return Document(id=doc_id, text=text, paragraphs=paragraphs_from_lines(text), topic=topic,
                    metadata=dict(metadata or {}))


# Genres whose text is one author's argument: a unit that states its own cue ("teachers want X", "students often
# complain about X") is the author's claim there, not a report of its subject's position as in a news report ("[Trump
# has ruled out X]"). Only a quote or a cue outside the unit ("Some people argue that [X]") names another holder.
# Over the gold units of the 322 AAEC training essays (whose loader makes every unit the author's), the news reading
# gave 106 of 4,823 units the holder of a verb inside them (experiments/README.md, "Holders in essays").
ONE_VOICE_DOMAINS = frozenset({"essays"})


@dataclass
class ArgumentMiner:
    """A bundle of fitted steps that turns raw text into labelled Documents.

    ``tasks`` and ``models`` map step names (``STEPS``) to the task objects and fitted pipelines a
    run recorded. Labelling one text goes: spaCy parse -> BIO segmentation into units inside each
    line (``segmentation``; with its ``join_split_quotes``, a statement its frame splits is one unit of two
    fragments) -> unit types (``components``; with the task's ``claim_allowance``, a unit typed
    premise nearly as claim-like as not is a claim; with its ``unit_allowance``, a span the type model
    rejects narrowly is kept, and with its ``position_allowance`` (``verdict_allowance``) a span that states a party's
    position (passes its verdict) is kept within a wider margin) -> the holder of every unit
    (``mining.nlp.holders``: the speaker of a quote or the subject of a reporting verb, else
    ``author``; in a bundle of a domain in ``ONE_VOICE_DOMAINS``, a unit's own verb names no holder; with the
    components task's ``party_claim``, a party without a claim gets one) -> stance
    of the units whose type the stance task covers (``stance``; a news model decides it per holder) ->
    relations between units of one paragraph (``relations``).

    Build one with ``from_run`` (a run of ``experiment=miner``) or ``from_runs`` (one run per
    step). Every labelled document records the runs and the spaCy pipeline in
    ``metadata["labelled_by"]``. With ``uncertainty=True`` it also gets
    ``metadata["uncertainty"]``: the mean over its tokens (segmentation) and units (types) of
    ``1 / (1 + margin)``, the margin being the gap between the two best class scores; higher
    means the model is less sure (``mining data rank`` sorts by it).
    """

    tasks: dict[str, Any]
    models: dict[str, Any]
    pipeline: PipelineInfo
    sources: dict[str, str] = field(default_factory=dict)
    holders: bool = True
    domain: str | None = None  # the genre the bundle was trained for (the run's ``domain``)
    uncertainty: bool = False
    max_pair_distance: int | None = 20
    _nlp: Language | None = field(default=None, repr=False)
    _fingerprints: dict = field(default_factory=dict, init=False, repr=False)  # for nlp.sharing.sharing

    def __post_init__(self) -> None:
        if (problem := step_problem(self.models)) is not None:
            raise ValueError(f"an ArgumentMiner's models {problem}")

    @classmethod
    def from_run(cls, run_dir: str | Path, *, check_pipeline: bool = True, **options) -> ArgumentMiner:
        """The bundle a run of ``experiment=miner`` recorded (its ``model.skops`` and ``tasks.skops``).

        With ``check_pipeline`` (the default) the spaCy package and version the run recorded must be
        the ones installed.
        """
        run_dir = Path(run_dir)
        tasks, info, meta = check_bundle(run_dir, check_pipeline)
        models = load_model(run_dir)
        check_steps(run_dir, MODEL, models, tasks)
        options = {"domain": meta.get("domain"), **options}
        return cls(tasks=tasks, models=models, pipeline=info, sources={s: str(run_dir) for s in models}, **options)

    @classmethod
    def from_runs(cls, options: dict[str, Any] | None = None, **runs: str | Path) -> ArgumentMiner:
        """One single-task run per step, e.g. ``from_runs(segmentation=A, components=B, stance=C)``.

        All runs must have parsed with the same spaCy pipeline; ``options`` go to the constructor
        (``holders``, ``domain``, ``uncertainty``, ``max_pair_distance``). Single-task runs record no domain: pass
        ``options={"domain": "essays"}`` to read holders as in an essay.
        """
        tasks, models, infos = {}, {}, {}
        for step, run_dir in runs.items():
            run_dir = Path(run_dir)
            tasks[step], models[step] = load_tasks(run_dir), load_model(run_dir)
            infos[step] = pipeline_info(read_meta(run_dir), run_dir)
        if len({(i.package, i.version, i.line_sentences) for i in infos.values()}) > 1:
            parses = {s: f"{i.package} {i.version}, line_sentences={i.line_sentences}" for s, i in infos.items()}
            raise UsageError(f"the runs were parsed with different pipelines: {parses}")
        info = next(iter(infos.values()))
        if "ner" in info.exclude:  # holders name parties with the entity recogniser when there is one
            info = find_pipeline([info.package], line_sentences=info.line_sentences)
        check_installed(info, next(iter(runs.values())))
        return cls(tasks=tasks, models=models, pipeline=info, sources={s: str(r) for s, r in runs.items()},
                   **(options or {}))

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_pipeline(self.pipeline)
        return self._nlp

    def provenance(self) -> dict[str, Any]:
        pipeline = f"{self.pipeline.package} {self.pipeline.version}"
        if self.pipeline.line_sentences:
            pipeline += ", a sentence ends at each line break"
        return {"runs": dict(self.sources), "pipeline": pipeline}

    def __call__(self, texts: str | Iterable[str], *, topic: str | None = None,
                 batch_size: int = 16) -> Document | list[Document]:
        """Label one string (returns a Document) or several (returns a list), each with ``topic``."""
        if isinstance(texts, str):
            return self.label([texts], topic=topic, batch_size=batch_size)[0]
        return self.label(texts, topic=topic, batch_size=batch_size)

    def label(self, texts: Iterable[str | Document], *, ids: Sequence[str] | None = None, topic: str | None = None,
              batch_size: int = 16, progress: Callable[[int], object] | None = None) -> list[Document]:
        """Label texts (or unlabelled Documents, whose paragraphs and topic are kept) into new Documents."""
        return list(self.pipe(texts, ids=ids, topic=topic, batch_size=batch_size, progress=progress))

    def pipe(self, texts: Iterable[str | Document], *, ids: Iterable[str] | None = None, topic: str | None = None,
             batch_size: int = 16, progress: Callable[[int], object] | None = None) -> Iterator[Document]:
        """Label a stream lazily, about ``MAX_PIECE_CHARS`` characters of text at a time: memory stays
        flat for any input size. spaCy parses them ``batch_size`` texts at a time; the steps after it
        take all of them at once, since each of their calls has a fixed cost (some hundredths of a
        second for the AAEC bundle) that a batch of a few short texts would pay over and over.

        A text longer than ``MAX_PIECE_CHARS`` is labelled in pieces cut at line breaks
        (``split_text``), each parsed and labelled on its own, and joined again: units and
        relations never cross a cut, and positions in the text (first paragraph, last
        paragraph) are those of the piece. ``progress`` is called with the number of characters
        of each batch once it is labelled, so that a progress bar moves inside one long text too.
        """
        docs = _documents(texts, ids, topic)
        pieces = ((doc, last, offset, piece) for doc in docs for last, offset, piece in split_document(doc))
        done: list[tuple[int, Document]] = []
        for batch in char_batches(pieces, lambda item: len(item[-1].text)):
            parsed = self.nlp.pipe([piece.text for *_, piece in batch], batch_size=batch_size)
            labelled_batch = self.label_parsed([p for *_, p in batch], list(parsed))
            if progress is not None:
                progress(sum(len(piece.text) for *_, piece in batch))
            for (doc, last, offset, _), labelled in zip(batch, labelled_batch):
                done.append((offset, labelled))
                if last:
                    yield join_pieces(doc, done)
                    done = []

    def label_parsed(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[Document]:
        """Label documents whose parses are given; the returned copies hold only predicted annotations."""
        # The steps group by document id: inside, ids are positions, so repeated ids cannot mix texts.
        out = [d.unlabelled(id=str(i), metadata={**d.metadata, "labelled_by": self.provenance()})
               for i, d in enumerate(docs)]
        # The steps read the same tokens and markers, and run equal extractors: sharing() computes
        # each once, and pauses the cyclic garbage collector over the batch's short-lived objects.
        with sharing(self._fingerprints, pause_gc=True):
            tokens = steps.segment(self.tasks["segmentation"], self.models["segmentation"], out, parsed)
            party_claim = getattr(self.tasks["components"], "party_claim", None) if self.holders else None
            claim_allowance = getattr(self.tasks["components"], "claim_allowance", 0.0)
            margins = steps.classify(self.tasks["components"], self.models["components"], out, parsed,
                                     margins=party_claim is not None or claim_allowance > 0)
            if self.holders:
                steps.attribute(out, parsed, own_frames=self.domain not in ONE_VOICE_DOMAINS)
            if claim_allowance > 0:
                steps.prefer_claims(out, margins, claim_allowance)
            if party_claim is not None:
                steps.give_parties_claims(out, margins, party_claim)
            if "stance" in self.models:
                steps.take_sides(self.tasks["stance"], self.models["stance"], out, parsed)
            if self.uncertainty:
                score_uncertainty(self.models, out, parsed, tokens)
            if "relations" in self.models:
                steps.relate(self.tasks["relations"], self.models["relations"], out, parsed, self.max_pair_distance)
        for labelled, doc in zip(out, docs):
            labelled.id = doc.id
        return out


def _documents(texts: Iterable[str | Document], ids: Iterable[str] | None, topic: str | None) -> Iterator[Document]:
    """The documents :meth:`ArgumentMiner.pipe` labels: each text as a Document named by ``ids`` (``doc-N`` without);
    a UsageError for what would be labelled wrong without a word (a single string, one text per character) or fail
    deep in spaCy (a text that is no string, fewer ids than texts, a topic that is no string)."""
    if isinstance(texts, (str, bytes)):
        raise UsageError("label and pipe take a list of texts: a single string would be labelled one character at a "
                         "time; give [text], or call the miner on it: miner(text)")
    if topic is not None and not isinstance(topic, str):
        raise UsageError(f"topic must be a string or None, got {type(topic).__name__}")
    if isinstance(ids, (str, bytes)):
        raise UsageError("ids is a list of ids, one a text: a single string would give each text one character")
    names = iter(ids) if ids is not None else (f"doc-{i}" for i in count())
    end = object()
    for i, text in enumerate(texts):
        if isinstance(text, Document):
            yield text
            continue
        if not isinstance(text, str):
            raise UsageError(f"text {i}: expected a string or a Document, got {type(text).__name__}")
        name = next(names, end)
        if name is end:
            raise UsageError(f"text {i}: no id left for it (ids has fewer items than there are texts)")
        if not isinstance(name, str) or not name:
            raise UsageError(f"text {i}: its id must be a string that is not empty, got {name!r}")
        yield document_from_text(text, name, topic=topic)
