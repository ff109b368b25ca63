"""Label a stream of ``(id, text[, topic])`` items in input order, in this process or in worker processes."""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from mining.label.batches import char_batches
from mining.label.bundle import check_bundle
from mining.label.miner import ArgumentMiner, document_from_text
from mining.schema import Document

# What label_stream hands a worker at a time: a few seconds of work, so that the batch's fixed cost
# (tens of milliseconds) is small beside it and two workers get work from a few hundred texts.
STREAM_BATCH_CHARS = 20_000


def label_stream(run_dir: str | Path, texts: Iterable[tuple[str, str] | tuple[str, str, str | None]], *,
                 n_process: int = 1,
                 batch_size: int = 16, progress: Callable[[int], object] | None = None,
                 **options: Any) -> Iterator[Document]:
    """Label ``(id, text)`` pairs (or ``(id, text, topic)`` triples) with the bundle of ``run_dir``, yielding
    Documents in input order.

    The input is read lazily, in batches of about ``STREAM_BATCH_CHARS`` characters (spaCy parses
    ``batch_size`` texts at a time). With ``n_process > 1`` the batches go to that many worker
    processes, each loading the bundle once, and at most two batches per worker are in flight:
    memory stays flat however long the stream is. ``options`` go to ``ArgumentMiner.from_run``
    (e.g. ``uncertainty=True``). ``progress`` is called with the number of characters labelled: in
    this process after each piece batch (a long text moves it too), with workers after each batch.
    """
    if n_process <= 1:
        yield from label_batches(ArgumentMiner.from_run(run_dir, **options), texts, batch_size, progress)
        return
    # Checked here, not in a worker, so that a bad run directory is a clear error; the workers
    # load the model, the parent does not.
    check_bundle(Path(run_dir), options.get("check_pipeline", True))
    run_dir = str(run_dir)
    with ProcessPoolExecutor(n_process, initializer=_pool_worker, initargs=(run_dir, options)) as pool:
        pending: deque = deque()
        for batch in text_batches(texts):
            pending.append(pool.submit(_label_in_worker, run_dir, options, batch, batch_size))
            if len(pending) >= 2 * n_process:
                yield from _done(pending.popleft().result(), progress)
        while pending:
            yield from _done(pending.popleft().result(), progress)


def _done(docs: list[Document], progress: Callable[[int], object] | None) -> list[Document]:
    if progress is not None:
        progress(sum(len(doc.text) for doc in docs))
    return docs


def text_batches(items: Iterable[tuple]) -> Iterator[list[tuple]]:
    """``(id, text, ...)`` items in batches of about ``STREAM_BATCH_CHARS`` characters, lazily."""
    return char_batches(items, lambda item: len(item[1]), STREAM_BATCH_CHARS)


def label_batches(miner: ArgumentMiner, items: Iterable[tuple], batch_size: int,
                  progress: Callable[[int], object] | None = None) -> Iterator[Document]:
    """Label ``(id, text[, topic])`` items with ``miner`` in this process, batch after batch."""
    for batch in text_batches(items):
        yield from label_items(miner, batch, batch_size, progress)


def label_items(miner: ArgumentMiner, batch: list[tuple], batch_size: int,
                progress: Callable[[int], object] | None = None) -> list[Document]:
    """Label one batch of ``(id, text[, topic])`` items."""
    docs = [document_from_text(text, doc_id, topic=rest[0] if rest else None) for doc_id, text, *rest in batch]
    return miner.label(docs, batch_size=batch_size, progress=progress)


# -- in a worker process (of the pool above, or of a Dask cluster) -----------------------------------

_MINERS: dict[tuple, ArgumentMiner] = {}
_LOADING = threading.Lock()


def worker_miner(run_dir: str, options: dict[str, Any]) -> ArgumentMiner:
    """This process's bundle, loaded from ``run_dir`` the first time it is needed and kept."""
    key = (run_dir, tuple(sorted(options.items())))
    with _LOADING:  # a worker with several threads still loads the model once
        if key not in _MINERS:
            _MINERS[key] = ArgumentMiner.from_run(run_dir, **options)
        return _MINERS[key]


def _pool_worker(run_dir: str, options: dict[str, Any]) -> None:
    """A ``label_stream`` worker process: it ends when the process that started it is gone, then loads the model.

    A pool's workers wait on their task queue and never learn that the parent was killed (SIGKILL, the OOM
    killer): each one, holding a model in memory, would wait there for ever.
    """
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="exit-with-parent", daemon=True).start()
    worker_miner(run_dir, options)


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """End this process once its parent ``parent`` has gone (it is then another process's child)."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _label_in_worker(run_dir: str, options: dict[str, Any], batch: list[tuple], batch_size: int) -> list[Document]:
    return label_items(worker_miner(run_dir, options), batch, batch_size)
