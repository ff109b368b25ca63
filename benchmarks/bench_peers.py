"""Our segmenter and component model against peers on one split, in one run: quality, fit time, labelling speed.

Usage: python benchmarks/bench_peers.py [--data aaec] [--path CORPUS] [--cache-dir DIR] [--out FILE.json]

Needs the `bench` extra (`pip install -e .[bench]`: sklearn-crfsuite); spaCy is a core dependency.
On the corpus's official split (AAEC v2: 322 train / 80 test essays), with one seed:

Segmentation (BIO tags on the paragraph tokens of the project's parse; every system is scored by
`mining.experiment.fold_scores` with the segmentation task, so token macro-F1 and span F1 exact / at 50%
overlap are computed by the same code):
- ours: task, features and model of `configs/experiment/aaec_segmentation.yaml`, composed with Hydra;
- CRF: sklearn-crfsuite over Stab & Gurevych-style token features (word, lowercase, POS, punctuation,
  position in sentence and paragraph, neighbouring tokens), one sequence per paragraph; c1 and c2 chosen
  by grouped CV over the training essays (token macro-F1); its tags are repaired as conlleval does;
- spaCy `ner`: a blank pipeline with spaCy's default `ner` model, trained with `nlp.update` on the paragraphs
  of the training essays less a seeded dev split of them (`--spacy-dev`), early stopping on the dev token
  macro-F1 (`--spacy-patience` epochs, capped by `--spacy-max-seconds`); the best epoch's weights are kept.
  Its input is the parse's tokens (no tagger, parser or lemmatizer). `--spacy-labels unit` trains one label
  (ARG, as ours and the CRF are label-agnostic); `types` trains MajorClaim/Claim/Premise and adds span+type F1.

Components on gold units (macro-F1 over major_claim/claim/premise):
- ours: `configs/experiment/aaec_components.yaml`;
- TF-IDF (word 1-2 grams) + LinearSVC, C and class weights chosen by grouped CV, one row per text it reads
  (`--tfidf-views`): the unit's own text, and the unit with the rest of its sentence (the "shell" such as
  "In conclusion, I think that" carries cues to the type; only the parse's sentences give it).

Fit time is the wall time of the final fit (model selection by CV is reported apart). Labelling speed is
characters of the test essays per second, from the parsed essays to predicted tags or types (building the
instances and features included), without the parse; the parse's own speed is measured on the same essays
and the "with parse" column combines the two (for spaCy ner only the tokenizer's cost is added, for TF-IDF
on the unit's text nothing). Ratios are peer / ours. Nothing is tuned on the test essays. BLAS runs one
thread for every system.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

SPACY_LABELS = ("unit", "types")
TYPE_NAMES = {"major_claim": "MajorClaim", "claim": "Claim", "premise": "Premise"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


@dataclass
class Row:
    """One system's line of the table."""

    task: str
    system: str
    quality: dict[str, float]
    fit_s: float
    label_s: float
    chars: int
    selection_s: float = 0.0
    extra_s: float = 0.0  # parse (or tokenizer) seconds on the test essays the system needs before labelling
    notes: list[str] = field(default_factory=list)

    @property
    def speed(self) -> float:
        return self.chars / self.label_s

    @property
    def speed_with_parse(self) -> float:
        return self.chars / (self.label_s + self.extra_s)


# ---------------------------------------------------------------- data and the project's configs


@dataclass
class Corpus:
    docs: list
    parsed: list
    train: frozenset
    test: frozenset
    parse_rate: float  # characters per second of the full parse on the test essays
    tokenize_rate: float  # the same for the tokenizer alone

    def subset(self, ids: frozenset) -> tuple[list, list]:
        pairs = [(d, p) for d, p in zip(self.docs, self.parsed) if d.id in ids]
        return [d for d, _ in pairs], [p for _, p in pairs]

    @property
    def test_chars(self) -> int:
        return sum(len(d.text) for d in self.docs if d.id in self.test)


def load(args) -> Corpus:
    from mining.cli.experiment import compose_experiment, pipeline_of
    from mining.corpora import load_corpus
    from mining.evaluation.splits import OfficialSplit
    from mining.nlp.cache import parse_documents
    from mining.nlp.pipeline import load_pipeline, pipe_texts

    docs = load_corpus(args.data, args.path)
    cfg = compose_experiment([f"experiment={args.segmentation_experiment}"])
    info = pipeline_of(cfg.nlp)
    parsed, hit = parse_documents(docs, info, cache_dir=args.cache_dir, progress=False)
    fold = next(OfficialSplit().folds(docs, args.seed))
    log(f"{args.data}: {len(docs)} documents, {len(fold.train)} train / {len(fold.test)} test; "
        f"parse {info.package} {info.version} (cache {'hit' if hit else 'miss'})")
    nlp = load_pipeline(info)
    texts = [d.text for d in docs if d.id in fold.test]
    chars = sum(map(len, texts))
    list(pipe_texts(nlp, texts[:2]))  # warm-up
    _, parse_s = timed(lambda: list(pipe_texts(nlp, texts)))
    _, tokenize_s = timed(lambda: [nlp.make_doc(t) for t in texts])
    log(f"parse of the test essays: {parse_s:.1f} s ({chars / parse_s:,.0f} chars/s); "
        f"tokenizer alone {tokenize_s:.2f} s")
    return Corpus(docs, parsed, fold.train, fold.test, chars / parse_s, chars / tokenize_s)


def build(experiment: str, seed: int):
    """The task and ``Pipeline([features, model])`` of an experiment, as `mining run` builds them."""
    from mining.cli.experiment import build_part, compose_experiment

    return build_part(compose_experiment([f"experiment={experiment}", f"seed={seed}"]))


def split_instances(task, corpus: Corpus, ids: frozenset):
    docs, parsed = corpus.subset(ids)
    instances = task.build_instances(docs, parsed)
    return instances, task.gold_labels(instances)


def score(task, instances, gold, predicted) -> dict[str, float]:
    from mining.experiment import fold_scores

    return fold_scores(task, instances, gold, predicted)


# ---------------------------------------------------------------- segmentation: ours


def fit_and_label(experiment: str, corpus: Corpus, seed: int):
    """Our model of ``experiment`` fitted on the training essays and run over the test essays, timed."""
    task, estimator = build(experiment, seed)
    train, train_gold = split_instances(task, corpus, corpus.train)
    _, fit_s = timed(lambda: estimator.fit(train, train_gold))

    def label():
        instances, gold = split_instances(task, corpus, corpus.test)
        return instances, gold, task.predict(estimator, instances)

    (test, gold, predicted), label_s = timed(label)
    return task, test, gold, predicted, fit_s, label_s


def segmentation_ours(corpus: Corpus, args) -> tuple[Row, object]:
    task, test, gold, predicted, fit_s, label_s = fit_and_label(args.segmentation_experiment, corpus, args.seed)
    row = Row("segmentation", "ours (features + LinearSVC, Viterbi)", seg_quality(score(task, test, gold, predicted)),
              fit_s, label_s, corpus.test_chars, extra_s=corpus.test_chars / corpus.parse_rate)
    return row, task


def seg_quality(scores: dict[str, float]) -> dict[str, float]:
    return {"macro_f1": scores["macro_f1"], "span_exact_f1": scores["span.exact.f1"],
            "span_50_f1": scores["span.overlap50.f1"]}


# ---------------------------------------------------------------- segmentation: CRF


def sentence_bounds(parsed) -> tuple[np.ndarray, np.ndarray]:
    """Each token's sentence start and end (token offsets)."""
    start = np.zeros(len(parsed), dtype=int)
    end = np.zeros(len(parsed), dtype=int)
    for sent in parsed.sents:
        start[sent.start:sent.end] = sent.start
        end[sent.start:sent.end] = sent.end
    return start, end


def _token_features(tok, prefix: str) -> dict:
    return {f"{prefix}lower": tok.lower_, f"{prefix}pos": tok.pos_, f"{prefix}tag": tok.tag_,
            f"{prefix}punct": tok.is_punct}


def paragraph_features(parsed, paragraph, bounds) -> list[dict]:
    """Stab & Gurevych-style features of each token of one paragraph (a CRF sequence)."""
    s_start, s_end = bounds
    tokens = paragraph.tokens
    where = ("first" if paragraph.index == 0 else "last" if paragraph.index == paragraph.n_paragraphs - 1
             else "body")
    out = []
    for k, i in enumerate(tokens):
        tok = parsed[i]
        length = max(s_end[i] - s_start[i], 1)
        f = {"bias": 1.0, "word": tok.text, "suffix3": tok.lower_[-3:], "shape": tok.shape_,
             "title": tok.is_title, "sent_first": i == s_start[i], "sent_last": i == s_end[i] - 1,
             "sent_pos": int(4 * (i - s_start[i]) / length), "par_first": k == 0, "par_last": k == len(tokens) - 1,
             "par_pos": int(4 * k / len(tokens)), "paragraph": where,
             "sent_in_par_first": s_start[i] <= tokens[0], "sent_in_par_last": s_end[i] > tokens[-1]}
        f.update(_token_features(tok, ""))
        for d in (-2, -1, 1, 2):
            if 0 <= k + d < len(tokens):
                f.update(_token_features(parsed[tokens[k + d]], f"{d:+d}:"))
            else:
                f[f"{d:+d}:edge"] = True
        out.append(f)
    return out


def crf_sequences(task, instances, gold) -> list[tuple[str, list[int], list[dict], list[str]]]:
    """One ``(document id, instance indices, token features, gold tags)`` per paragraph, in reading order."""
    from mining.instances.tokens import paragraphs_of

    bounds: dict[int, tuple] = {}
    out = []
    for members in paragraphs_of(instances):
        members = sorted(members, key=lambda i: instances[i].position)
        first = instances[members[0]]
        if id(first.parsed) not in bounds:
            bounds[id(first.parsed)] = sentence_bounds(first.parsed)
        feats = paragraph_features(first.parsed, first.paragraph, bounds[id(first.parsed)])
        out.append((first.document.id, members, [feats[instances[i].position] for i in members],
                    [gold[i] for i in members] if gold is not None else []))
    return out


def crf_predict(crf, sequences, n: int) -> list[str]:
    tags = ["O"] * n
    for (_, members, _, _), predicted in zip(sequences, crf.predict([s[2] for s in sequences])):
        for i, tag in zip(members, predicted):
            tags[i] = tag
    return tags


def make_crf(c1: float, c2: float, max_iterations: int):
    import sklearn_crfsuite

    return sklearn_crfsuite.CRF(algorithm="lbfgs", c1=c1, c2=c2, max_iterations=max_iterations,
                                all_possible_transitions=True)


def choose_crf(task, corpus: Corpus, instances, gold, sequences, args) -> tuple[tuple[float, float], dict]:
    """(c1, c2) with the best mean token macro-F1 over grouped CV folds of the training essays."""
    from mining.evaluation.splits import GroupedCV

    train_docs, _ = corpus.subset(corpus.train)
    folds = list(GroupedCV(n_splits=args.crf_folds).folds(train_docs, args.seed))
    means = {}
    for c1 in args.crf_c1:
        for c2 in args.crf_c2:
            values = []
            for fold in folds:
                fit = [s for s in sequences if s[0] in fold.train]
                held = [s for s in sequences if s[0] in fold.test]
                crf = make_crf(c1, c2, args.crf_max_iterations)
                crf.fit([s[2] for s in fit], [s[3] for s in fit])
                idx = [i for s in held for i in s[1]]
                predicted = crf_predict(crf, held, len(instances))
                values.append(score(task, [instances[i] for i in idx], [gold[i] for i in idx],
                                    [predicted[i] for i in idx])["macro_f1"])
            means[(c1, c2)] = float(np.mean(values))
            log(f"  CRF c1={c1} c2={c2}: CV token macro-F1 {means[(c1, c2)]:.4f}")
    return max(means, key=means.get), {f"c1={a} c2={b}": v for (a, b), v in means.items()}


def segmentation_crf(task, corpus: Corpus, args) -> Row:
    train, train_gold = split_instances(task, corpus, corpus.train)
    sequences = crf_sequences(task, train, train_gold)
    (best, cv), selection_s = timed(lambda: choose_crf(task, corpus, train, train_gold, sequences, args))
    crf = make_crf(*best, args.crf_max_iterations)
    _, fit_s = timed(lambda: crf.fit([s[2] for s in sequences], [s[3] for s in sequences]))

    def label():
        instances, gold = split_instances(task, corpus, corpus.test)
        return instances, gold, crf_predict(crf, crf_sequences(task, instances, None), len(instances))

    (test, gold, predicted), label_s = timed(label)
    row = Row("segmentation", "CRF (sklearn-crfsuite)", seg_quality(score(task, test, gold, predicted)), fit_s,
              label_s, corpus.test_chars, selection_s=selection_s, extra_s=corpus.test_chars / corpus.parse_rate)
    row.notes.append(f"c1={best[0]} c2={best[1]} by {args.crf_folds}-fold grouped CV on the training essays "
                     f"(token macro-F1: {', '.join(f'{k} {v:.4f}' for k, v in cv.items())}); "
                     f"max_iterations={args.crf_max_iterations}")
    return row


# ---------------------------------------------------------------- segmentation: spaCy ner


def paragraph_docs(vocab, instances) -> list[tuple[list[int], object]]:
    """``(instance indices, Doc of the paragraph's tokens)`` per paragraph: the parse's tokens, nothing else."""
    from spacy.tokens import Doc

    from mining.instances.tokens import paragraphs_of

    out = []
    for members in paragraphs_of(instances):
        members = sorted(members, key=lambda i: instances[i].position)
        parsed = instances[members[0]].parsed
        words, spaces = [], []
        for i in members:
            j = instances[i].token_index
            words.append(parsed[j].text)
            spaces.append(bool(parsed[j].whitespace_) or (j + 1 < len(parsed) and parsed[j + 1].is_space))
        out.append((members, Doc(vocab, words=words, spaces=spaces)))
    return out


def unit_type(instance, start: int, end: int) -> str:
    """The type of the gold unit that overlaps the characters ``[start, end)`` most."""
    best = max(instance.document.units, key=lambda u: min(u.end, end) - max(u.start, start))
    return TYPE_NAMES.get(best.label, best.label)


def typed_spans(instances, members, tags) -> list[tuple[int, int, str]]:
    """Token spans (positions in ``members``) of ``tags`` with their gold unit type."""
    from mining.instances.bio import bio_spans
    from mining.tasks.segmentation import token_spans

    first = instances[members[0]]
    chars = token_spans([instances[i].token_index for i in members], first.parsed)
    return [(a, b, unit_type(first, chars[a][0], chars[b - 1][1])) for a, b in bio_spans(tags)]


def gold_examples(pairs, instances, gold, labels: str) -> list:
    from spacy.tokens import Span
    from spacy.training import Example

    examples = []
    for members, doc in pairs:
        reference = doc.copy()
        spans = typed_spans(instances, members, [gold[i] for i in members])
        reference.ents = [Span(reference, a, b, label=t if labels == "types" else "ARG") for a, b, t in spans]
        examples.append(Example(doc, reference))
    return examples


def ner_tags(nlp, pairs, n: int) -> tuple[list[str], list[list[tuple[int, int, str]]]]:
    """BIO tags of the entities ``nlp`` finds (aligned with the instances), and each paragraph's entities as
    ``(start, end, label)`` in paragraph positions."""
    tags = ["O"] * n
    found = []
    # Copies: `ner` writes its entities into the Docs it is given and respects entities already there, so a
    # Doc labelled once would hold the next model's output to this one's (the dev Docs are labelled every epoch).
    for (members, _), doc in zip(pairs, nlp.pipe((d.copy() for _, d in pairs), batch_size=64)):
        for ent in doc.ents:
            for k in range(ent.start, ent.end):
                tags[members[k]] = "B" if k == ent.start else "I"
        found.append([(ent.start, ent.end, ent.label_) for ent in doc.ents])
    return tags, found


def train_ner(nlp, train_examples, dev, task, args) -> dict:
    """``nlp.update`` epochs until the dev token macro-F1 has not improved for ``patience`` epochs (or the
    time cap); the best epoch's averaged weights are loaded at the end. Returns what happened."""
    from spacy.util import minibatch
    from thinc.api import compounding

    optimizer = nlp.initialize(get_examples=lambda: train_examples)
    rng = random.Random(args.seed)
    dev_instances, dev_gold, dev_pairs = dev
    best, best_epoch, best_bytes, history = -1.0, 0, None, []
    start = time.perf_counter()
    epoch, stop = 0, ""
    while not stop:
        epoch += 1
        rng.shuffle(train_examples)
        losses: dict = {}
        for batch in minibatch(train_examples, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages):
            predicted, _ = ner_tags(nlp, dev_pairs, len(dev_instances))
            value = score(task, dev_instances, dev_gold, predicted)["macro_f1"]
            if value > best:
                best, best_epoch, best_bytes = value, epoch, nlp.to_bytes()
        history.append(round(value, 4))
        elapsed = time.perf_counter() - start
        log(f"  spaCy ner epoch {epoch}: loss {losses.get('ner', 0.0):.0f}, dev token macro-F1 {value:.4f} "
            f"({elapsed:.0f} s)")
        if epoch - best_epoch >= args.spacy_patience:
            stop = "patience"
        elif elapsed >= args.spacy_max_seconds:
            stop = "time cap"
        elif epoch >= args.spacy_max_epochs:
            stop = "epoch cap"
    nlp.from_bytes(best_bytes)
    restored = score(task, dev_instances, dev_gold, ner_tags(nlp, dev_pairs, len(dev_instances))[0])["macro_f1"]
    if abs(restored - best) > 1e-9:  # the weights kept are not the ones that scored best
        raise RuntimeError(f"spaCy ner: the restored weights score {restored:.4f} on dev, the best epoch {best:.4f}")
    return {"epochs": epoch, "best_epoch": best_epoch, "best_dev": best, "stopped_by": stop, "dev_history": history}


def segmentation_ner(task, corpus: Corpus, args) -> Row:
    import spacy

    from mining.evaluation.splits import HoldoutSplit

    spacy.util.fix_random_seed(args.seed)
    train_docs, _ = corpus.subset(corpus.train)
    fold = next(HoldoutSplit(test_size=args.spacy_dev, split_seed=args.seed).folds(train_docs, args.seed))
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    fit_instances, fit_gold = split_instances(task, corpus, fold.train)
    dev_instances, dev_gold = split_instances(task, corpus, fold.test)
    examples = gold_examples(paragraph_docs(nlp.vocab, fit_instances), fit_instances, fit_gold, args.spacy_labels)
    dev = (dev_instances, dev_gold, paragraph_docs(nlp.vocab, dev_instances))
    info, fit_s = timed(lambda: train_ner(nlp, examples, dev, task, args))

    def label():
        instances, gold = split_instances(task, corpus, corpus.test)
        pairs = paragraph_docs(nlp.vocab, instances)
        return instances, gold, pairs, *ner_tags(nlp, pairs, len(instances))

    (test, gold, pairs, predicted, labels), label_s = timed(label)
    quality = seg_quality(score(task, test, gold, predicted))
    if args.spacy_labels == "types":
        quality.update(typed_quality(test, gold, pairs, labels))
    row = Row("segmentation", f"spaCy ner ({args.spacy_labels})", quality, fit_s, label_s, corpus.test_chars,
              extra_s=corpus.test_chars / corpus.tokenize_rate)
    row.notes.append(f"trained on {len(fold.train)} essays, dev {len(fold.test)}; {info['epochs']} epochs, best "
                     f"{info['best_epoch']} (dev token macro-F1 {info['best_dev']:.4f}), "
                     f"stopped by {info['stopped_by']}"
                     f" (patience {args.spacy_patience}, cap {args.spacy_max_seconds:.0f} s); dev per epoch "
                     f"{info['dev_history']}")
    return row


def typed_quality(instances, gold, pairs, found) -> dict[str, float]:
    """Span+type F1: spans match only with the same type, paragraph by paragraph (``span_scores``)."""
    from mining.evaluation.spans import span_scores

    groups = []
    for (members, _), predicted in zip(pairs, found):
        gold_spans = typed_spans(instances, members, [gold[i] for i in members])
        for label in {t for *_, t in gold_spans} | {t for *_, t in predicted}:
            groups.append(([(a, b) for a, b, t in gold_spans if t == label],
                           [(a, b) for a, b, t in predicted if t == label]))
    scores = span_scores(groups)
    return {"span_type_exact_f1": scores["span.exact.f1"], "span_type_50_f1": scores["span.overlap50.f1"]}


# ---------------------------------------------------------------- components


def components_ours(corpus: Corpus, args) -> tuple[Row, object]:
    task, test, gold, predicted, fit_s, label_s = fit_and_label(args.components_experiment, corpus, args.seed)
    quality = {"macro_f1": score(task, test, gold, predicted)["macro_f1"]}
    return Row("components", "ours (features + LinearSVC)", quality,
               fit_s, label_s, corpus.test_chars, extra_s=corpus.test_chars / corpus.parse_rate), task


def make_tfidf_svc(c: float, class_weight: str | None, seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    return Pipeline([("tfidf", TfidfVectorizer(ngram_range=(1, 2))),
                     ("svc", LinearSVC(C=c, class_weight=class_weight, dual=True, max_iter=5000, random_state=seed))])


TFIDF_VIEWS = ("unit", "sentence")


def view_texts(view: str, docs, parsed) -> tuple[list[str], list[str], list[str]]:
    """The gold units of ``docs`` as ``(texts, labels, document ids)``: each unit's own text (``unit``: no parse
    needed), or the unit with the rest of the sentence it starts in (``sentence``: the parse's sentences)."""
    if view == "unit":
        units = [(u.text, u.label, d.id) for d in docs for u in d.units]
    else:
        from mining.instances.units import build_unit_instances

        units = [(i.preceding + i.text + i.following, i.unit.label, d.id)
                 for d, p in zip(docs, parsed) for i in build_unit_instances(d, p)]
    return [t for t, _, _ in units], [lab for _, lab, _ in units], [d for _, _, d in units]


def choose_svc(task, corpus: Corpus, texts, gold, doc_of, args) -> tuple[tuple[float, str | None], dict]:
    """(C, class_weight) with the best mean macro-F1 over grouped CV folds of the training essays."""
    from mining.evaluation.splits import GroupedCV

    train_docs, _ = corpus.subset(corpus.train)
    texts, gold, doc_of = (np.array(x, dtype=object) for x in (texts, gold, doc_of))
    means = {}
    for c in args.svc_c:
        for weight in ("balanced", None):
            values = []
            for fold in GroupedCV(n_splits=args.crf_folds).folds(train_docs, args.seed):
                fit, held = np.isin(doc_of, list(fold.train)), np.isin(doc_of, list(fold.test))
                model = make_tfidf_svc(c, weight, args.seed).fit(list(texts[fit]), list(gold[fit]))
                values.append(score(task, [], list(gold[held]), list(model.predict(list(texts[held]))))["macro_f1"])
            means[(c, weight)] = float(np.mean(values))
    return max(means, key=means.get), means


def components_tfidf(task, corpus: Corpus, args, view: str) -> Row:
    texts, gold, doc_of = view_texts(view, *corpus.subset(corpus.train))
    ((c, weight), means), selection_s = timed(lambda: choose_svc(task, corpus, texts, gold, doc_of, args))
    model = make_tfidf_svc(c, weight, args.seed)
    _, fit_s = timed(lambda: model.fit(texts, gold))

    def label():
        test_texts, test_gold, _ = view_texts(view, *corpus.subset(corpus.test))
        return test_gold, [str(p) for p in model.predict(test_texts)]

    (test_gold, predicted), label_s = timed(label)
    row = Row("components", f"TF-IDF 1-2 grams + LinearSVC ({view})",
              {"macro_f1": score(task, [], test_gold, predicted)["macro_f1"]}, fit_s, label_s, corpus.test_chars,
              selection_s=selection_s, extra_s=corpus.test_chars / corpus.parse_rate if view == "sentence" else 0.0)
    row.notes.append(f"C={c} class_weight={weight} by {args.crf_folds}-fold grouped CV on the training essays "
                     f"(best CV macro-F1 {means[(c, weight)]:.4f} of {len(means)} settings)")
    return row


# ---------------------------------------------------------------- the table


# Segmentation's macro-F1 is over the B/I/O tags of the tokens, components' over the three unit types.
QUALITY_COLUMNS = (("macro_f1", "macro-F1"), ("span_exact_f1", "span F1 exact"),
                   ("span_50_f1", "span F1 50%"), ("span_type_exact_f1", "span+type F1 exact"),
                   ("span_type_50_f1", "span+type F1 50%"))


def primary(row: Row) -> float:
    return row.quality["macro_f1"]


def table(rows: Sequence[Row]) -> str:
    shown = [(k, name) for k, name in QUALITY_COLUMNS if any(k in r.quality for r in rows)]
    head = (["task", "system", *(name for _, name in shown), "fit s", "selection s", "labelling chars/s",
             "with parse chars/s", "quality ratio", "fit ratio", "speed ratio", "speed ratio with parse"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ours = {r.task: r for r in rows if r.system.startswith("ours")}
    for r in rows:
        base = ours[r.task]
        cells = [r.task, r.system, *(f"{r.quality[k]:.3f}" if k in r.quality else "" for k, _ in shown),
                 f"{r.fit_s:.1f}", f"{r.selection_s:.0f}" if r.selection_s else "", f"{r.speed:,.0f}",
                 f"{r.speed_with_parse:,.0f}", f"{primary(r) / primary(base):.3f}", f"{r.fit_s / base.fit_s:.2f}",
                 f"{r.speed / base.speed:.2f}", f"{r.speed_with_parse / base.speed_with_parse:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="aaec", help="corpus loader name (aaec; sample for a smoke test)")
    parser.add_argument("--path", default=None, help="corpus folder (default: where `mining run` looks)")
    parser.add_argument("--cache-dir", default=None, help="the parse cache (default: none, parse every time)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--segmentation-experiment", default="aaec_segmentation")
    parser.add_argument("--components-experiment", default="aaec_components")
    parser.add_argument("--crf-c1", type=float, nargs="+", default=[0.05, 0.2, 0.5, 1.0, 2.0])
    parser.add_argument("--crf-c2", type=float, nargs="+", default=[0.01, 0.1, 0.5, 2.0])
    parser.add_argument("--crf-folds", type=int, default=3, help="grouped CV folds for the CRF and TF-IDF choices")
    parser.add_argument("--crf-max-iterations", type=int, default=100)
    parser.add_argument("--svc-c", type=float, nargs="+", default=[0.1, 0.3, 1.0, 3.0])
    parser.add_argument("--spacy-labels", choices=SPACY_LABELS, default="unit")
    parser.add_argument("--spacy-dev", type=float, default=0.1, help="share of the training essays for the dev split")
    parser.add_argument("--spacy-patience", type=int, default=5, help="epochs without a better dev score")
    parser.add_argument("--spacy-max-seconds", type=float, default=1200.0, help="training time cap")
    parser.add_argument("--spacy-max-epochs", type=int, default=100)
    parser.add_argument("--tfidf-views", nargs="+", choices=TFIDF_VIEWS, default=list(TFIDF_VIEWS),
                        help="the text of each TF-IDF row: the unit's own, or its sentence (one row each)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["crf", "ner", "tfidf"])
    parser.add_argument("--out", type=Path, default=None, help="also write the rows to this JSON file")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    args = parser.parse_args(argv)
    if args.path is None and args.data == "aaec":
        from mining.corpora import corpus_path

        args.path = corpus_path("aaec")
    if args.out is not None and args.out.exists() and not args.force:
        parser.error(f"{args.out} exists: pass --force to replace it")
    return args


def main(argv: Sequence[str] | None = None) -> list[Row]:
    args = parse_args(argv)
    from mining.experiment import fixed_blas_threads

    started, load_before = time.perf_counter(), os.getloadavg()
    corpus = load(args)
    rows = []
    with fixed_blas_threads():
        for name, run in (("ours segmentation", None), ("crf", segmentation_crf), ("ner", segmentation_ner),
                          ("ours components", None),
                          *((f"tfidf {view}", partial(components_tfidf, view=view)) for view in args.tfidf_views)):
            if name.split()[0] in args.skip:
                continue
            log(f"{name} ...")
            if run is None:
                row, task = (segmentation_ours if name == "ours segmentation" else components_ours)(corpus, args)
            else:
                row = run(task, corpus, args)
            rows.append(row)
            log(f"{name}: {', '.join(f'{k} {v:.4f}' for k, v in row.quality.items())}; fit {row.fit_s:.1f} s, "
                f"labelling {row.label_s:.2f} s")
    machine = (f"cores={os.cpu_count()} load average {'/'.join(f'{x:.2f}' for x in load_before)} at the start, "
               f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())} at the end; "
               f"{time.perf_counter() - started:.0f} s in all")
    print(f"data={args.data} train={len(corpus.train)} test={len(corpus.test)} test chars={corpus.test_chars} "
          f"seed={args.seed} parse of the test essays {corpus.parse_rate:,.0f} chars/s, tokenizer alone "
          f"{corpus.tokenize_rate:,.0f} chars/s; ratios are system / ours of the same task\n{machine}")
    print(table(rows))
    for r in rows:
        for note_ in r.notes:
            print(f"- {r.system}: {note_}")
    if args.out is not None:
        payload = {"args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                   "machine": machine, "parse_chars_per_s": corpus.parse_rate,
                   "tokenize_chars_per_s": corpus.tokenize_rate,
                   "rows": [{**r.__dict__, "speed": r.speed, "speed_with_parse": r.speed_with_parse} for r in rows]}
        args.out.write_text(json.dumps(payload, indent=2) + "\n")
    return rows


if __name__ == "__main__":
    main()
