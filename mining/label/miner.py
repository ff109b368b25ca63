"""Label new text with trained runs: units, their types, stances, holders and relations, as Documents."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from mining.evaluation.documents import compare_documents
from mining.instances.units import UnitInstance, build_pair_instances, build_unit_instances
from mining.label.holders import attribute_holders
from mining.nlp.pipeline import MAX_PIECE_CHARS, PipelineInfo, find_pipeline, load_pipeline, split_text
from mining.nlp.sharing import once_per_batch, sharing
from mining.runs.record import MODEL, load_model, load_tasks, read_meta
from mining.schema import Document, Relation, Unit, paragraphs_from_lines, trim_span
from mining.tasks.relations import NONE

T = TypeVar("T")

# What label_stream hands a worker at a time: a few seconds of work, so that the batch's fixed cost
# (tens of milliseconds) is small beside it and two workers get work from a few hundred texts.
STREAM_BATCH_CHARS = 20_000
MAX_BATCH_ITEMS = 1_000  # a batch of empty or tiny texts ends here

# The steps of a bundle, in the order they run; segmentation and components are required.
STEPS = ("segmentation", "components", "stance", "relations")
REQUIRED = ("segmentation", "components")


def document_from_text(text: str, doc_id: str, metadata: dict[str, Any] | None = None) -> Document:
    """An unlabelled Document: every non-blank line is a paragraph, so no unit crosses a line break."""
    return Document(id=doc_id, text=text, paragraphs=paragraphs_from_lines(text), metadata=dict(metadata or {}))


def _pipeline_info(meta: dict[str, Any], run_dir: Path) -> PipelineInfo:
    recorded = meta.get("spacy_pipeline")
    if not recorded:
        raise ValueError(f"{run_dir}/meta.json does not name the spaCy pipeline the run was trained with")
    return PipelineInfo(**{k: tuple(v) if isinstance(v, list) else v for k, v in recorded.items()})


def _check_installed(info: PipelineInfo, run_dir: Path | str) -> None:
    """The recorded pipeline must be the one installed: a model never meets parses of another pipeline."""
    installed = find_pipeline([info.package], exclude=info.exclude)
    if installed.version != info.version:
        raise RuntimeError(f"{run_dir} was trained with {info.package} {info.version}, but {installed.version} is "
                           f"installed; install {info.package}=={info.version} or retrain")


def _check_bundle(run_dir: Path, check_pipeline: bool = True) -> tuple[dict[str, Any], PipelineInfo]:
    """The tasks and pipeline of a run of ``experiment=miner``, read without its (large) model file."""
    if not (run_dir / MODEL).exists():
        raise FileNotFoundError(f"{run_dir} has no {MODEL}: it is not a finished run")
    tasks = load_tasks(run_dir)
    if not isinstance(tasks, dict):
        raise ValueError(f"{run_dir} is a single-task run ({getattr(tasks, 'name', '?')}); label with a run of "
                         "`mining run experiment=miner`, or combine runs with ArgumentMiner.from_runs")
    info = _pipeline_info(read_meta(run_dir), run_dir)
    if check_pipeline:
        _check_installed(info, run_dir)
    return tasks, info


@dataclass
class ArgumentMiner:
    """A bundle of fitted steps that turns raw text into labelled Documents.

    ``tasks`` and ``models`` map step names (``STEPS``) to the task objects and fitted pipelines a
    run recorded. Labelling one text goes: spaCy parse -> BIO segmentation into units inside each
    line (``segmentation``) -> unit types (``components``) -> stance of the units whose type the
    stance task covers (``stance``) -> relations between units of one paragraph (``relations``)
    -> the holder of every unit (``mining.label.holders``: the speaker of a quote or the subject of a
    reporting verb, else ``author``).

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
    uncertainty: bool = False
    max_pair_distance: int | None = 20
    _nlp: Language | None = field(default=None, repr=False)
    _fingerprints: dict = field(default_factory=dict, init=False, repr=False)  # for nlp.sharing.sharing

    def __post_init__(self) -> None:
        missing = [s for s in REQUIRED if s not in self.models]
        if missing:
            raise ValueError(f"an ArgumentMiner needs the steps {list(REQUIRED)}; missing: {missing}")
        unknown = sorted(set(self.models) - set(STEPS))
        if unknown:
            raise ValueError(f"unknown steps {unknown}; the steps are {list(STEPS)}")

    @classmethod
    def from_run(cls, run_dir: str | Path, *, check_pipeline: bool = True, **options) -> ArgumentMiner:
        """The bundle a run of ``experiment=miner`` recorded (its ``model.skops`` and ``tasks.skops``).

        With ``check_pipeline`` (the default) the spaCy package and version the run recorded must be
        the ones installed.
        """
        run_dir = Path(run_dir)
        tasks, info = _check_bundle(run_dir, check_pipeline)
        models = load_model(run_dir)
        return cls(tasks=tasks, models=models, pipeline=info, sources={s: str(run_dir) for s in models}, **options)

    @classmethod
    def from_runs(cls, options: dict[str, Any] | None = None, **runs: str | Path) -> ArgumentMiner:
        """One single-task run per step, e.g. ``from_runs(segmentation=A, components=B, stance=C)``.

        All runs must have parsed with the same spaCy pipeline; ``options`` go to the constructor
        (``holders``, ``uncertainty``, ``max_pair_distance``).
        """
        tasks, models, infos = {}, {}, {}
        for step, run_dir in runs.items():
            run_dir = Path(run_dir)
            tasks[step], models[step] = load_tasks(run_dir), load_model(run_dir)
            infos[step] = _pipeline_info(read_meta(run_dir), run_dir)
        if len({(i.package, i.version) for i in infos.values()}) > 1:
            raise ValueError(f"the runs were parsed with different pipelines: "
                             f"{ {s: f'{i.package} {i.version}' for s, i in infos.items()} }")
        info = next(iter(infos.values()))
        if "ner" in info.exclude:  # holders name parties with the entity recogniser when there is one
            info = find_pipeline([info.package])
        _check_installed(info, next(iter(runs.values())))
        return cls(tasks=tasks, models=models, pipeline=info, sources={s: str(r) for s, r in runs.items()},
                   **(options or {}))

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_pipeline(self.pipeline)
        return self._nlp

    def provenance(self) -> dict[str, Any]:
        return {"runs": dict(self.sources), "pipeline": f"{self.pipeline.package} {self.pipeline.version}"}

    def __call__(self, texts: str | Iterable[str], *, batch_size: int = 16) -> Document | list[Document]:
        """Label one string (returns a Document) or several (returns a list)."""
        if isinstance(texts, str):
            return self.label([texts], batch_size=batch_size)[0]
        return self.label(texts, batch_size=batch_size)

    def label(self, texts: Iterable[str | Document], *, ids: Sequence[str] | None = None,
              batch_size: int = 16) -> list[Document]:
        """Label texts (or unlabelled Documents, whose paragraphs are kept) into new Documents."""
        return list(self.pipe(texts, ids=ids, batch_size=batch_size))

    def pipe(self, texts: Iterable[str | Document], *, ids: Iterable[str] | None = None,
             batch_size: int = 16) -> Iterator[Document]:
        """Label a stream lazily, about ``MAX_PIECE_CHARS`` characters of text at a time: memory stays
        flat for any input size. spaCy parses them ``batch_size`` texts at a time; the steps after it
        take all of them at once, since each of their calls has a fixed cost (some hundredths of a
        second for the AAEC bundle) that a batch of a few short texts would pay over and over.

        A text longer than ``MAX_PIECE_CHARS`` is labelled in pieces cut at line breaks
        (``split_text``), each parsed and labelled on its own, and joined again: units and
        relations never cross a cut, and positions in the text (first paragraph, last
        paragraph) are those of the piece.
        """
        names = iter(ids) if ids is not None else (f"doc-{i}" for i in count())
        docs = (t if isinstance(t, Document) else document_from_text(t, next(names)) for t in texts)
        pieces = ((doc, last, offset, piece) for doc in docs for last, offset, piece in _pieces(doc))
        done: list[tuple[int, Document]] = []
        for batch in char_batches(pieces, lambda item: len(item[-1].text)):
            parsed = self.nlp.pipe([piece.text for *_, piece in batch], batch_size=batch_size)
            for (doc, last, offset, _), labelled in zip(batch, self.label_parsed([p for *_, p in batch], list(parsed))):
                done.append((offset, labelled))
                if last:
                    yield _join(doc, done)
                    done = []

    def label_parsed(self, docs: Sequence[Document], parsed: Sequence[Doc]) -> list[Document]:
        """Label documents whose parses are given; the returned copies hold only predicted annotations."""
        # The steps group by document id: inside, ids are positions, so repeated ids cannot mix texts.
        out = [Document(id=str(i), text=d.text, paragraphs=list(d.paragraphs) or paragraphs_from_lines(d.text),
                        topic=d.topic, split=d.split, metadata={**d.metadata, "labelled_by": self.provenance()})
               for i, d in enumerate(docs)]
        # The steps read the same tokens and markers, and run equal extractors: sharing() computes
        # each once, and pauses the cyclic garbage collector over the batch's short-lived objects.
        with sharing(self._fingerprints, pause_gc=True):
            self._segment(out, parsed)
            self._classify(out, parsed)
            if self.uncertainty:
                self._score_uncertainty(out, parsed)
            self._relate(out, parsed)
            if self.holders:
                self._attribute(out, parsed)
        for labelled, doc in zip(out, docs):
            labelled.id = doc.id
        return out

    def _segment(self, docs: list[Document], parsed: Sequence[Doc]) -> None:
        task, model = self.tasks["segmentation"], self.models["segmentation"]
        instances = task.build_instances(docs, parsed)
        if not instances:
            return
        spans = task.decode_spans(instances, task.predict(model, instances))
        for doc in docs:
            trimmed = [span for a, b in spans.get(doc.id, []) if (span := trim_span(doc.text, a, b))]
            doc.units = [Unit(id=f"T{i}", start=a, end=b, text=doc.text[a:b], label=task.unit_label)
                         for i, (a, b) in enumerate(trimmed, start=1)]

    def _classify(self, docs: list[Document], parsed: Sequence[Doc]) -> None:
        """Unit types, then the stance of the units of the types the stance task covers."""
        instances = [inst for doc, p in zip(docs, parsed) for inst in _unit_instances(doc, p)]
        if not instances:
            return
        task = self.tasks["components"]
        for inst, label in zip(instances, task.predict(self.models["components"], instances)):
            inst.unit.label = label
        rejected = getattr(task, "reject", None)
        if rejected is not None:  # candidates the type model calls no unit are dropped
            for doc in docs:
                kept = [u for u in doc.units if u.label != rejected]
                if len(kept) < len(doc.units):
                    for i, unit in enumerate(kept, start=1):
                        unit.id = f"T{i}"
                    doc.units = kept
        if "stance" not in self.models:
            return
        stance_task = self.tasks["stance"]
        # Rebuilt where typing dropped units: neighbours and positions are what the stance model saw
        # in training.
        claims = [inst for doc, p in zip(docs, parsed) for inst in _unit_instances(doc, p)
                  if inst.unit.label in stance_task.unit_labels]
        if claims:
            for inst, stance in zip(claims, stance_task.predict(self.models["stance"], claims)):
                inst.unit.stance = stance

    def _score_uncertainty(self, docs: list[Document], parsed: Sequence[Doc]) -> None:
        """Mean margin uncertainty of the segmentation tokens and the typed units of each document."""
        per_doc: dict[str, list[float]] = {d.id: [] for d in docs}
        tokens = self.tasks["segmentation"].build_instances(docs, parsed)
        units = [inst for doc, p in zip(docs, parsed) for inst in build_unit_instances(doc, p)]
        for step, instances in (("segmentation", tokens), ("components", units)):
            if instances:
                for inst, value in zip(instances, margin_uncertainty(self.models[step], instances)):
                    per_doc[inst.document.id].append(float(value))
        for doc in docs:
            values = per_doc[doc.id]
            doc.metadata["uncertainty"] = sum(values) / len(values) if values else 0.0

    def _relate(self, docs: list[Document], parsed: Sequence[Doc]) -> None:
        if "relations" not in self.models:
            return
        task = self.tasks["relations"]
        # The task's candidates (ordered pairs within a paragraph), capped in distance so that a
        # paragraph of thousands of units stays linear.
        pairs = [pair for doc, p in zip(docs, parsed)
                 for pair in build_pair_instances(_unit_instances(doc, p), max_distance=self.max_pair_distance)]
        if not pairs:
            return
        by_id = {d.id: d for d in docs}
        for pair, label in zip(pairs, task.predict(self.models["relations"], pairs)):
            if label != NONE:
                doc = by_id[pair.document.id]
                doc.relations.append(Relation(id=f"R{len(doc.relations) + 1}", source=pair.source.unit.id,
                                              target=pair.target.unit.id, label=label))

    def _attribute(self, docs: list[Document], parsed: Sequence[Doc]) -> None:
        for doc, p in zip(docs, parsed):
            if not doc.units:
                continue
            spans = [(u.start, u.end) for u in doc.units]
            for unit, found in zip(doc.units, attribute_holders(p, spans, text=doc.text)):
                unit.holder = found.holder
                unit.attributes["speech"] = found.speech


def _unit_instances(doc: Document, parsed: Doc) -> list[UnitInstance]:
    """``build_unit_instances(doc, parsed)``, built once per list of units in a ``sharing()`` block: the
    stance and relation steps (and typing, where it drops no unit) get the same instances, so the
    extractors they have in common compute each unit's row once."""
    return once_per_batch(("units", *map(id, doc.units)), doc, lambda: build_unit_instances(doc, parsed))


def _pieces(doc: Document) -> Iterator[tuple[bool, int, Document]]:
    """``(is_last, offset, piece)`` for the pieces of ``doc`` (itself when it is short enough)."""
    if len(doc.text) <= MAX_PIECE_CHARS:
        yield True, 0, doc
        return
    parts = split_text(doc.text)
    offset = 0
    for k, text in enumerate(parts):
        end = offset + len(text)
        paragraphs = [(max(a, offset) - offset, min(b, end) - offset) for a, b in doc.paragraphs if a < end and offset < b]
        yield k == len(parts) - 1, offset, Document(id=f"{doc.id}#{k}", text=text, paragraphs=paragraphs,
                                                    topic=doc.topic, split=doc.split, metadata=doc.metadata)
        offset = end


def char_batches(items: Iterable[T], n_chars: Callable[[T], int], limit: int = MAX_PIECE_CHARS,
                 max_items: int = MAX_BATCH_ITEMS) -> Iterator[list[T]]:
    """Consecutive lists of ``items``, each closed once it holds ``limit`` characters (the features of
    a batch take memory in proportion to its tokens) or ``max_items`` items (empty texts have none)."""
    batch, chars = [], 0
    for item in items:
        batch.append(item)
        chars += n_chars(item)
        if chars >= limit or len(batch) >= max_items:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _join(doc: Document, parts: list[tuple[int, Document]]) -> Document:
    """One labelled Document from its labelled pieces (``(offset, piece)``): offsets shifted, ids renumbered."""
    if len(parts) == 1:
        labelled = parts[0][1]
        labelled.id = doc.id
        return labelled
    out = Document(id=doc.id, text=doc.text, paragraphs=list(doc.paragraphs) or paragraphs_from_lines(doc.text),
                   topic=doc.topic, split=doc.split, metadata=dict(parts[0][1].metadata))
    for offset, piece in parts:
        new_id = {}
        for unit in piece.units:
            new_id[unit.id] = unit.id = f"T{len(out.units) + 1}"
            unit.start += offset
            unit.end += offset
            out.units.append(unit)
        for relation in piece.relations:
            relation.id = f"R{len(out.relations) + 1}"
            relation.source, relation.target = new_id[relation.source], new_id[relation.target]
            out.relations.append(relation)
    if "uncertainty" in out.metadata:  # weighted by characters, a stand-in for the tokens and units behind each mean
        out.metadata["uncertainty"] = sum(p.metadata["uncertainty"] * len(p.text) for _, p in parts) / len(doc.text)
    return out


def margin_uncertainty(estimator: Any, instances: Sequence[Any]) -> np.ndarray:
    """``1 / (1 + margin)`` per instance, the margin being the gap between its two best class scores
    (probabilities when the estimator has ``predict_proba``, else decision values): 1 for a tie."""
    if hasattr(estimator, "predict_proba"):
        scores = np.asarray(estimator.predict_proba(list(instances)))
    else:
        scores = np.asarray(estimator.decision_function(list(instances)))
        if scores.ndim == 1:  # binary: one signed distance
            scores = np.stack([-scores, scores], axis=1)
    best_two = np.sort(scores, axis=1)[:, -2:]
    return 1.0 / (1.0 + best_two[:, 1] - best_two[:, 0])


def evaluate_end_to_end(miner: ArgumentMiner, docs: Sequence[Document], parsed: Sequence[Doc],
                        test_ids: Iterable[str]) -> tuple[dict[str, float], list[Document]]:
    """Label the raw text of the test documents (their paragraphs and topic kept, no unit given)
    and score the result against their gold units, positions and relations.

    Returns the flat scores of ``mining.evaluation.documents.compare_documents`` and the labelled
    documents.
    """
    test_ids = set(test_ids)
    pairs = [(d, p) for d, p in zip(docs, parsed) if d.id in test_ids]
    gold = [d for d, _ in pairs]
    bare = [Document(id=d.id, text=d.text, paragraphs=list(d.paragraphs), topic=d.topic, split=d.split,
                     metadata=dict(d.metadata)) for d in gold]
    labelled = miner.label_parsed(bare, [p for _, p in pairs])
    return compare_documents(gold, labelled), labelled


def label_stream(run_dir: str | Path, texts: Iterable[tuple[str, str]], *, n_process: int = 1,
                 batch_size: int = 16, **options: Any) -> Iterator[Document]:
    """Label ``(id, text)`` pairs with the bundle of ``run_dir``, yielding Documents in input order.

    The input is read lazily, in batches of about ``STREAM_BATCH_CHARS`` characters (spaCy parses
    ``batch_size`` texts at a time). With ``n_process > 1`` the batches go to that many worker
    processes, each loading the bundle once, and at most two batches per worker are in flight:
    memory stays flat however long the stream is. ``options`` go to ``ArgumentMiner.from_run``
    (e.g. ``uncertainty=True``).
    """
    batches = char_batches(texts, lambda pair: len(pair[1]), STREAM_BATCH_CHARS)
    if n_process <= 1:
        miner = ArgumentMiner.from_run(run_dir, **options)
        for batch in batches:
            yield from _label_pairs(miner, batch, batch_size)
        return
    # Checked here, not in a worker, so that a bad run directory is a clear error; the workers
    # load the model, the parent does not.
    _check_bundle(Path(run_dir), options.get("check_pipeline", True))
    with ProcessPoolExecutor(n_process, initializer=_start_worker, initargs=(str(run_dir), options)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(_label_in_worker, batch, batch_size))
            if len(pending) >= 2 * n_process:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _label_pairs(miner: ArgumentMiner, batch: list[tuple[str, str]], batch_size: int) -> list[Document]:
    return miner.label([text for _, text in batch], ids=[doc_id for doc_id, _ in batch], batch_size=batch_size)


_WORKER: dict[str, ArgumentMiner] = {}


def _start_worker(run_dir: str, options: dict[str, Any]) -> None:
    _WORKER["miner"] = ArgumentMiner.from_run(run_dir, **options)


def _label_in_worker(batch: list[tuple[str, str]], batch_size: int) -> list[Document]:
    return _label_pairs(_WORKER["miner"], batch, batch_size)
