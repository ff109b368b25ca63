"""Label a large input on a Dask cluster into a folder of JSONL shards: each worker loads the bundle once.

Why Dask: the job is a stream of independent shards, each a few seconds of CPU, to workers that keep
one model in memory. Dask's ``Client.submit`` with ``as_completed`` does exactly that, a local
cluster starts in a second or two, ``distributed`` installs in about twenty (70 MB) beside our
cloudpickle 3, and research clusters run it on SLURM, PBS or Kubernetes (``dask-jobqueue``,
``dask-kubernetes``) behind one scheduler address. Ray Data's actor pools would fit as well, but
Ray takes minutes to install and some seconds to import, and its Hydra launcher pins cloudpickle < 3.
"""

from __future__ import annotations

import contextlib
import logging
import resource
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mining.corpora.jsonl import dump_document
from mining.errors import CorpusError, SetupError, UsageError
from mining.files import input_folders_holding
from mining.label import shards as folder
from mining.label.bundle import check_bundle
from mining.label.streams import Item, iter_dataset, iter_items, unique_ids, with_topic
from mining.label.workers import label_items, text_batches, worker_miner

ON_ERROR = ("stop", "continue")
INSTALL = "pip install 'mining[dask]' (or 'dask[distributed]')"


@dataclass
class LabelReport:
    """What a job did: shards labelled now and found done, documents, failures, and each worker's peak memory and
    CPU time."""

    output: Path
    shards: int
    labelled: int
    resumed: int
    documents: int
    characters: int
    failures: list[dict[str, Any]] = field(default_factory=list)
    workers: dict[str, dict[str, float]] = field(default_factory=dict)  # per worker address: ``usage()``


def label_to_folder(run_dir: str | Path, source: Any, output: str | Path, *, scheduler: str | None = None,
                    client: Any = None, n_workers: int = 2, shard_chars: int = folder.SHARD_CHARS,
                    batch_size: int = 16, on_error: str = "stop", overwrite: bool = False,
                    progress: Callable[[int, int], object] | None = None, encoding: str = "utf-8",
                    topic: str | None = None, **options: Any) -> LabelReport:
    """Label ``source`` with the bundle of ``run_dir`` on a Dask cluster, into JSONL shards in ``output``.

    Parameters
    ----------
    run_dir : path
        A run of ``experiment=miner``. Workers load it from this path, so on a cluster it must be
        on a file system they share; the model travels as a path, never pickled.
    source : datasets.Dataset or sequence of paths
        A dataset (``text`` column, ``id`` optional), or files and folders as ``mining label`` reads
        them (text, JSONL, Parquet, ``save_to_disk`` folders). It is read twice: once to plan the
        shards and fingerprint the input, once to send the texts.
    output : path
        The folder of ``part-NNNNN.jsonl`` shards and ``manifest.json``. A folder holding a stopped
        run of the same job is resumed; other labels are refused unless ``overwrite``.
    scheduler, client, n_workers
        A running cluster's scheduler address, or a ``distributed.Client``; without either a local
        cluster of ``n_workers`` processes (one thread each) is started for the job.
    on_error : "stop" or "continue"
        On a document that cannot be labelled, stop with an error naming it (the shards done are
        kept for the next run), or leave it out, go on, and list it in the manifest and the report.
    progress : callable, optional
        Called with ``(characters just done, characters of the whole job)`` as shards finish.
    topic : str, optional
        The topic of every text that does not give its own (a JSONL line's ``"topic"``), as
        ``mining label --topic``; it is part of the input's fingerprint.
    options
        For ``ArgumentMiner.from_run`` (e.g. ``uncertainty=True``).
    """
    if on_error not in ON_ERROR:
        raise UsageError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
    run_dir, output = str(run_dir), _outside_inputs(source, Path(output))
    _, info, _ = check_bundle(Path(run_dir), options.get("check_pipeline", True))
    read = _reader(source, encoding, topic)
    plan, fingerprint = folder.plan_shards(read(), shard_chars)
    job = folder.Job(sources=_describe(source), fingerprint=fingerprint, shards=plan,
                     model=folder.model_identity(run_dir, f"{info.package} {info.version}"),
                     options={"shard_chars": shard_chars, **{k: v for k, v in sorted(options.items())}})
    done = folder.open_output(output, job, overwrite=overwrite)
    resumed = len(done)
    if progress is not None:
        progress(sum(job.shards[i].characters for i in done), job.characters)
    workers = {}
    if len(done) < len(plan):  # a finished job is not started again, nor is a cluster for it
        with dask_client(scheduler, client, n_workers) as dask:
            todo = ((i, part) for i, part in enumerate(folder.cut_shards(read(), shard_chars)) if i not in done)
            for index, entry in _run_shards(dask, todo, run_dir, options, batch_size, on_error, output):
                done[index] = entry
                if progress is not None:
                    progress(job.shards[index].characters, job.characters)
            workers = dask.run(usage)
    folder.finish(output, job, done)
    failures = [f for i in sorted(done) for f in done[i]["failures"]]
    return LabelReport(output=output, shards=len(plan), labelled=len(plan) - resumed, resumed=resumed,
                       documents=job.documents, characters=job.characters, failures=failures,
                       workers=workers)


def _reader(source: Any, encoding: str, topic: str | None = None) -> Callable[[], Iterator[Item]]:
    """A function that reads ``source`` from its start each time it is called, ``topic`` filled in where an
    item has none."""
    read = _items(source, encoding)
    return lambda: with_topic(read(), topic)


def _items(source: Any, encoding: str) -> Callable[[], Iterator[Item]]:
    if isinstance(source, (str, Path)):
        source = [source]
    if hasattr(source, "column_names") and hasattr(source, "num_rows"):
        name = getattr(source, "_fingerprint", None) or "dataset"
        return lambda: unique_ids(iter_dataset(source, "dataset", f"<dataset {name}>"))
    paths = list(source)
    if not paths or any(str(p) == "-" for p in paths):
        raise UsageError("labelling on a cluster reads its input twice: give files or folders, not stdin")
    for path in map(Path, paths):
        if path.exists() and not (path.is_file() or path.is_dir()):  # a pipe (<(command)) is empty the second time
            raise UsageError(f"{path}: labelling on a cluster reads its input twice: give files or folders, not a pipe")
    return lambda: iter_items(paths, encoding=encoding)


def _outside_inputs(source: Any, output: Path) -> Path:
    """``output``, refused when it is inside an input folder, even a new one: its shards are ``.jsonl`` files that
    the input, read again to resume, would then hold (other input, so the job could never be resumed)."""
    if hasattr(source, "column_names"):
        return output
    holders = input_folders_holding(output, [source] if isinstance(source, (str, Path)) else source)
    if holders:
        raise CorpusError(f"the output is inside the input folder {holders[0]}: its shards would become input on a "
                          "resume; write to a folder outside it", file=output)
    return output


def _describe(source: Any) -> list[str]:
    if hasattr(source, "column_names"):
        return [f"datasets.Dataset {getattr(source, '_fingerprint', '')}".rstrip()]
    return [str(p) for p in ([source] if isinstance(source, (str, Path)) else source)]


def _run_shards(dask: Any, todo: Iterable[tuple[int, list[Item]]], run_dir: str, options: dict[str, Any],
                batch_size: int, on_error: str, output: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Send shards to the workers, at most two per worker in flight (memory stays flat); write each as it
    comes back and yield ``(index, journal entry)``. On a failure with ``on_error="stop"`` the shards
    still running are cancelled and the failing document is named."""
    from distributed import as_completed

    limit = 2 * max(1, len(dask.scheduler_info(n_workers=-1)["workers"]))
    todo = iter(todo)
    running = as_completed()

    def submit() -> None:
        """The next shard to a worker, if one is left."""
        for index, part in todo:
            pairs = [(item.id, item.text, item.source, item.topic) for item in part]
            running.add(dask.submit(label_shard, run_dir, options, index, pairs, batch_size, on_error, pure=False))
            return

    for _ in range(limit):
        submit()
    for future in running:
        index, text, failures = future.result()
        if failures and on_error == "stop":
            for pending in list(running.futures):
                pending.cancel()
            raise _stopped(failures[0], output)
        yield index, folder.record_shard(output, index, folder.write_atomic(output / folder.PART.format(index), text),
                                         failures)
        submit()


def _stopped(failure: dict[str, Any], output: Path) -> CorpusError:
    return CorpusError(f"labelling failed: {failure['error']}. The shards finished so far are kept in {output}: "
                       "run the same command again to resume, or pass --on-error continue to leave failing "
                       "documents out and list them at the end", file=failure["source"], item=failure["id"])


# -- on the workers -------------------------------------------------------------------------------

def label_shard(run_dir: str, options: dict[str, Any], index: int, pairs: Sequence[tuple[str, str, str, str | None]],
                batch_size: int, on_error: str) -> tuple[int, str, list[dict[str, Any]]]:
    """Label one shard on a worker: ``(index, its JSONL text, failures)``.

    Batches of about ``STREAM_BATCH_CHARS`` characters, as ``label_stream`` cuts them. When a batch
    fails, its documents are labelled one at a time to find the one that fails; each failure is
    ``{"shard", "id", "source", "error"}``, and with ``on_error="stop"`` the first ends the shard.
    ``pairs`` are ``(id, text, source, topic)``.
    """
    miner = worker_miner(run_dir, options)
    lines: list[str] = []
    failures: list[dict[str, Any]] = []
    for batch in text_batches(pairs):
        try:
            docs = label_items(miner, [(i, t, topic) for i, t, _, topic in batch], batch_size)
        except Exception:  # noqa: BLE001 - any error of a document is reported by document below
            docs = []
            for doc_id, text, source, topic in batch:
                try:
                    docs += label_items(miner, [(doc_id, text, topic)], batch_size)
                except Exception as e:  # noqa: BLE001
                    failures.append({"shard": index, "id": doc_id, "source": source,
                                     "error": f"{type(e).__name__}: {e}"})
                    if on_error == "stop":
                        return index, "", failures
        lines.extend(dump_document(doc) + "\n" for doc in docs)
    return index, "".join(lines), failures


def usage() -> dict[str, float]:
    """This process's peak resident memory in bytes (Linux reports kilobytes) and CPU seconds, over its life."""
    self = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss": self.ru_maxrss * 1024, "cpu_seconds": self.ru_utime + self.ru_stime}


# -- the cluster ------------------------------------------------------------------------------------

@contextlib.contextmanager
def dask_client(scheduler: str | None = None, client: Any = None, n_workers: int = 2) -> Iterator[Any]:
    """A ``distributed.Client``: ``client`` itself, one connected to ``scheduler``, or one on a local
    cluster of ``n_workers`` single-threaded processes that is shut down afterwards."""
    if client is not None:
        yield client
        return
    try:
        from distributed import Client
    except ImportError:
        raise SetupError(f"labelling on a cluster needs Dask: {INSTALL}") from None
    if scheduler is not None:
        try:
            connected = Client(scheduler, timeout="20s")
        except OSError as e:
            raise UsageError(f"--scheduler {scheduler}: cannot connect ({e}); start one with `dask scheduler` "
                             "and workers with `dask worker ADDRESS`, or leave --scheduler out for a local "
                             "cluster") from None
        with connected:
            yield connected
        return
    with local_cluster(n_workers) as cluster, Client(cluster) as local:
        yield local


# Two Dask defaults that cost a labelling worker CPU and give it nothing (bench_scale.py, docs/labelling.md):
# the profiler samples every worker thread's stack each 10 ms, for a dashboard no one opens during a
# labelling job; and MALLOC_TRIM_THRESHOLD_=65536 makes glibc hand memory back after every large free,
# which spaCy and scikit-learn, allocating and freeing arrays batch after batch, pay for again and again.
# Without either, a worker spends about the CPU of the local path; memory stays flat all the same.
LEAN_WORKERS = {"distributed.worker.profile.enabled": False,
                "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


def local_cluster(n_workers: int) -> Any:
    """A ``distributed.LocalCluster`` of ``n_workers`` single-threaded processes, with ``LEAN_WORKERS``.

    Workers started elsewhere get the same with ``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False``
    and ``MALLOC_TRIM_THRESHOLD_`` unset in their environment.
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set(LEAN_WORKERS):  # the nannies read it when they start their workers
        return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                            silence_logs=logging.ERROR)
