"""Experiments: replications x policies x scenario variations, on any executor (DESIGN 4).

* Seeds: one root seed; replication ``i`` gets child ``i`` of ``SeedSequence(root).spawn(R)``,
  turned into a recorded integer seed, so ``simulate_period(scenario, seed=row.seed)`` reproduces
  any row on its own.
* Common random numbers: within a replication every policy scores the *same* evidence.
* Executors: in-process (``local``), local processes (``processes``) and Dask distributed
  (``dask``: a ``LocalCluster`` or a scheduler address). Results are identical bit for bit
  whatever the executor or the number of workers: each replication is a pure function of its
  seed, and results are written in replication order.
* Results stream to Parquet as replications finish (a bounded reorder buffer keeps the order),
  so a sweep larger than memory works. Beside them, ``distribution.parquet`` holds each arm
  against the status quo by group (:mod:`simulate.metrics.distribution`), streamed the same way.
"""

from __future__ import annotations

import heapq
import itertools
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Sequence
from typing import Any, Callable, Iterable, Iterator, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from scipy import stats

from simulate.errors import UserError
from simulate.evidence import frame_html
from simulate.memory import tune_for_large_arrays
from simulate.metrics.distribution import DISTRIBUTION_SCHEMA, DistributionCollector, distribution_summary
from simulate.replication import run_arms
from simulate.seeds import MANIFEST_SEEDS, ReplicationSeeds, manifest_seeds, replication_seed, replication_seeds  # noqa: F401
from simulate.assemble import scenario_from_dict
from simulate.scenario.schema import Scenario
from simulate.yamlio import deep_merge

__all__ = [
    "RESULT_COLUMNS", "Executor", "replication_seeds", "run_replication", "run_replication_frames", "run_experiment",
    "summarise", "ExperimentResult", "check_executor", "distribution_path", "check_scheduler_address", "machine_cores",
    "ReplicationSeeds", "replication_seed", "manifest_seeds",
]

RESULT_COLUMNS = ("scenario", "variant", "policy", "replication", "seed", "period", "metric", "value")
_SCHEMA = pa.schema([
    ("scenario", pa.string()), ("variant", pa.string()), ("policy", pa.string()),
    ("replication", pa.int64()), ("seed", pa.int64()), ("period", pa.int64()),
    ("metric", pa.string()), ("value", pa.float64()),
])
Executor = Literal["local", "processes", "dask"]
#: Rows per Parquet row group when streaming results.
ROW_GROUP_ROWS = 100_000


def run_replication(scenario: Scenario, replication: int, seed: int, variant: str = "",
                    periods: int | None = None) -> pd.DataFrame:
    """One replication of ``scenario``: every policy on the same evidence, metrics against the truth.

    With more than one period (``periods`` or ``scenario.dynamics.periods``) each policy arm runs
    its own trajectory (:mod:`simulate.replication`) on the same random streams.
    """
    return _replicate(scenario, replication, seed, variant, periods)


def run_replication_frames(scenario: Scenario, replication: int, seed: int, variant: str = "",
                           periods: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`run_replication` and the replication's distribution table (who gains and who loses).

    The second frame has the columns of :data:`simulate.metrics.distribution.DISTRIBUTION_COLUMNS`
    (with ``variant`` first when ``variant`` is given).
    """
    results, dist = _replicate_with_distribution(scenario, replication, seed, variant, periods)
    return results, dist.to_pandas()


def _replicate_with_distribution(scenario: Scenario, replication: int, seed: int, variant: str = "",
                                 periods: int | None = None) -> tuple[pd.DataFrame, pa.Table]:
    collector = DistributionCollector(replication)
    results = _replicate(scenario, replication, seed, variant, periods, collector.observe)
    dist = collector.table()
    if variant:
        dist = dist.add_column(0, pa.field("variant", pa.string()), pa.array([variant] * len(dist), pa.string()))
    return results, dist


def _replicate(scenario: Scenario, replication: int, seed: int, variant: str = "", periods: int | None = None,
               observe=None) -> pd.DataFrame:
    policies, periods_, names, values = [], [], [], []
    for period, policy, metrics in run_arms(scenario, seed, periods, observe=observe):
        policies += [policy] * len(metrics)
        periods_ += [period] * len(metrics)
        names += list(metrics)
        values += metrics.values()
    n = len(names)
    out = pd.DataFrame({
        "scenario": [scenario.name] * n, "variant": [variant] * n, "policy": policies,
        "replication": np.full(n, replication, dtype=np.int64), "seed": np.full(n, seed, dtype=np.int64),
        "period": np.asarray(periods_, dtype=np.int64), "metric": names, "value": np.asarray(values, dtype=float),
    })
    return out


@dataclass(frozen=True)
class _Task:
    index: int
    scenario: Scenario
    replication: int
    seed: int
    variant: str
    periods: int | None
    distribution: bool = False


def _run_task(task: _Task) -> tuple[int, pd.DataFrame, pa.Table | None]:
    """``(index, results, distribution)`` of one task (distribution None when not asked for)."""
    if task.distribution:
        return task.index, *_replicate_with_distribution(task.scenario, task.replication, task.seed, task.variant,
                                                         task.periods)
    return task.index, run_replication(task.scenario, task.replication, task.seed, task.variant, task.periods), None


def machine_cores() -> int:
    """Cores this process may use (its CPU affinity where the platform says, else ``os.cpu_count()``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def check_executor(executor: str, workers: int | None, scheduler: str | None) -> None:
    """Reject impossible executor options before any work starts.

    Local worker processes (``processes``, or ``dask`` without ``--scheduler``) are capped at the
    machine's cores: more only oversubscribe them and multiply the memory.
    """
    if executor not in ("local", "processes", "dask"):
        raise UserError(f"--executor: must be one of local, processes, dask, got {executor!r}")
    if workers is not None and workers < 1:
        raise UserError(f"--workers: must be >= 1, got {workers}")
    if scheduler is not None and executor != "dask":
        raise UserError("--scheduler: only used with --executor dask")
    if workers is not None and executor != "local" and scheduler is None and workers > machine_cores():
        cores = machine_cores()
        raise UserError(f"--workers: at most {cores} on this machine (it has {cores} "
                        f"core{'s' if cores > 1 else ''}), got {workers}")
    if executor == "dask" and scheduler is not None:
        _connect_scheduler(scheduler, timeout=5).close()


def check_scheduler_address(address: str) -> None:
    """Refuse an address Dask could not connect to as a scheduler: ``tcp://`` or ``tls://`` host:port."""
    def refuse(why: str) -> None:
        raise UserError(f"--scheduler: cannot reach a Dask scheduler at {address!r} ({why})")

    text = address.strip()
    if not text:
        refuse("empty address; give one such as tcp://10.0.0.5:8786")
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme not in ("tcp", "tls"):
        refuse(f"the address must start with tcp:// or tls://, not {scheme}://")
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        refuse("expected host:port, e.g. tcp://10.0.0.5:8786")
    if any(c.isspace() or c in "/?#@" for c in host):
        refuse("expected host:port, e.g. tcp://10.0.0.5:8786")


def _connect_scheduler(address: str, timeout: float = 10):
    check_scheduler_address(address)
    from distributed import Client

    try:
        return Client(address, timeout=timeout)
    except Exception as exc:  # OSError, TimeoutError, ValueError from the comm layer: all the user's address
        raise UserError(f"--scheduler: cannot reach a Dask scheduler at {address!r} ({exc.__class__.__name__})") from None


_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _single_threaded_children():
    """Set the BLAS thread variables to 1 for processes started inside, then restore them."""
    saved = {k: os.environ.get(k) for k in _THREAD_VARS}
    try:
        for k in _THREAD_VARS:
            os.environ.setdefault(k, "1")
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _windowed(tasks: Iterable[_Task], submit, window: int, wait_any=None) -> Iterator[tuple]:
    """Keep at most ``window`` tasks in flight; yield results as they finish and let go of them.

    Submitting everything at once would hold every pickled task and every finished result until
    the end: memory would grow with the number of replications.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    queue = iter(tasks)
    pending = {submit(t) for t in itertools.islice(queue, window)}
    while pending:
        if wait_any is None:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
        else:
            done = {wait_any(pending)}
        for fut in done:
            pending.discard(fut)
            yield fut.result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.add(submit(nxt))


def _iterate(tasks: Iterable[_Task], executor: str, workers: int | None, scheduler: str | None,
             total: int | None = None) -> Iterator[tuple]:
    """Yield :func:`_run_task`'s ``(index, results, distribution)`` as tasks finish, in any order
    (``tasks`` is consumed lazily)."""
    if executor == "local" or total == 0:
        for task in tasks:
            yield _run_task(task)
        return
    n_workers = workers or max(1, (os.cpu_count() or 1))
    if executor == "processes":
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # One BLAS thread per worker process (as Dask's nanny does): several workers each
        # running a multi-threaded BLAS oversubscribe the cores.
        from simulate.interrupts import children, stop_children, without_interrupts

        before = children()
        with _single_threaded_children(), ProcessPoolExecutor(max_workers=n_workers, mp_context=mp.get_context("spawn"),
                                                              initializer=tune_for_large_arrays) as pool:
            def submit(task: _Task):
                with without_interrupts():  # a worker started here never sees Ctrl-C: this process stops it
                    return pool.submit(_run_task, task)

            try:
                yield from _windowed(tasks, submit, 4 * n_workers)
            except BaseException:  # an interrupt (or a failed task): stop the workers, not wait for them
                workers = set(getattr(pool, "_processes", None) or ())  # not multiprocessing's resource tracker
                pool.shutdown(wait=False, cancel_futures=True)
                stop_children(before, only=workers)
                raise
        return
    from distributed import Client, LocalCluster, as_completed as dask_completed

    cluster = None
    if scheduler:
        client = _connect_scheduler(scheduler)
    else:
        # Its workers ignore Ctrl-C (simulate.interrupts.dask_setup): closing them is this process's job.
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40, preload=["simulate.interrupts"])
        client = Client(cluster)
    try:
        yield from _windowed(tasks, lambda t: client.submit(_run_task, t, pure=False), 4 * n_workers,
                             wait_any=lambda pending: next(iter(dask_completed(pending))))
    except KeyboardInterrupt:  # closing the cluster early logs cancelled tasks as errors: not the user's
        import logging

        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@dataclass(frozen=True, eq=False)
class ExperimentResult:
    """Where the results went, and their summary.

    ``results()`` / ``to_frame()`` read the tidy long results (one row per replication, policy,
    period and metric); ``summary()`` gives the mean and 95 % interval of each metric;
    ``distribution()`` reads the distribution table when it was written (``distribution_path``).
    """

    results_path: Path
    summary_frame: pd.DataFrame
    seeds: Sequence[int]  #: the replication seeds (a lazy :class:`ReplicationSeeds` from run_experiment)
    seconds: float
    executor: str
    workers: int | None
    rows: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    distribution_path: Path | None = None

    def distribution(self) -> pd.DataFrame:
        """Each arm against the status quo, by group (:mod:`simulate.metrics.distribution`)."""
        if self.distribution_path is None:
            raise ValueError("this experiment wrote no distribution table (run_experiment(distribution=False))")
        return pd.read_parquet(self.distribution_path)

    def distribution_summary(self, period: int | str | None = "last") -> pd.DataFrame:
        """:func:`~simulate.metrics.distribution.distribution_summary` of :meth:`distribution`."""
        return distribution_summary(self.distribution(), period)

    def results(self, columns: list[str] | None = None) -> pd.DataFrame:
        return pd.read_parquet(self.results_path, columns=columns)

    def to_frame(self) -> pd.DataFrame:
        """The tidy long results (:data:`RESULT_COLUMNS`)."""
        return self.results()

    def summary(self) -> pd.DataFrame:
        """Mean, SD and 95 % interval of each metric over the replications (by variant, policy, period)."""
        return self.summary_frame

    def _repr_html_(self) -> str:
        return frame_html(f"Experiment: {len(self.seeds)} replications ({self.executor}, {self.seconds:.1f} s)",
                          self.summary_frame.head(50))


def _variants(scenario: Scenario, variants: list[tuple[str, dict]] | None) -> list[tuple[str, Scenario]]:
    if not variants:
        return [("", scenario)]
    base = scenario.model_dump(mode="json")
    return [(name, scenario_from_dict(deep_merge(base, overrides), source=f"variant {name}")) for name, overrides in variants]


#: Parquet options of the distribution table: dictionary pages for the columns that repeat, min/max
#: statistics for the columns one filters on; with the defaults, writing its ~24,000 rows per
#: baseline replication costs twice as much.
_DISTRIBUTION_OPTIONS = {
    "use_dictionary": ["variant", "arm", "replication", "period", "group_kind", "group", "measure"],
    "write_statistics": ["variant", "arm", "replication", "period", "measure"],
}


def distribution_path(results_path: str | Path) -> Path:
    """Where the distribution table of ``results_path`` goes: ``distribution.parquet`` beside
    ``results.parquet``, ``<stem>_distribution.parquet`` beside any other name."""
    results_path = Path(results_path)
    if results_path.stem == "results":
        return results_path.with_name("distribution.parquet")
    return results_path.with_name(f"{results_path.stem}_distribution.parquet")


class _OrderedWriter:
    """Writes frames (or Arrow tables) to one Parquet file, in row groups of about ROW_GROUP_ROWS rows.

    A row group is closed after the replication that fills it, whatever order replications
    finish in: the file is the same, byte for byte, on every executor.
    """

    def __init__(self, path: Path, schema: pa.Schema, **options: Any) -> None:
        self.schema = schema
        self.columns = list(schema.names)
        self.writer = pq.ParquetWriter(path, schema, compression="zstd", **options)
        self.pending: list[pd.DataFrame | pa.Table] = []
        self.pending_rows = 0
        self.rows = 0

    def add(self, frame: pd.DataFrame | pa.Table) -> None:
        self.pending.append(frame)
        self.pending_rows += len(frame)
        self.rows += len(frame)
        if self.pending_rows >= ROW_GROUP_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.pending and isinstance(self.pending[0], pa.Table):
            table = pa.concat_tables(self.pending).select(self.columns)
            self.writer.write_table(table if table.schema.equals(self.schema) else table.cast(self.schema))
        elif self.pending:
            table = pa.Table.from_pandas(pd.concat(self.pending, ignore_index=True)[self.columns], schema=self.schema,
                                         preserve_index=False)
            self.writer.write_table(table)
        self.pending, self.pending_rows = [], 0

    def close(self) -> None:
        self.writer.close()


def run_experiment(
    scenario: Scenario,
    replications: int,
    out_path: str | Path,
    *,
    seed: int | None = None,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    periods: int | None = None,
    variants: list[tuple[str, dict]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    distribution: bool | None = None,
) -> ExperimentResult:
    """Run ``replications`` of every variant of ``scenario`` and stream results to ``out_path``.

    Variants (grid points, Latin-hypercube or Sobol samples) are ``(name, overrides)`` pairs;
    every variant uses the same replication seeds (common random numbers across variants too).
    ``distribution`` writes each arm against the status quo by group to
    :func:`distribution_path` (``distribution.parquet`` beside ``results.parquet``); None (the
    default) writes it when there are no variants.
    """
    if replications < 1:
        raise UserError(f"--replications: must be >= 1, got {replications}")
    if periods is not None and periods < 1:
        raise UserError(f"--periods: must be >= 1, got {periods}")
    check_executor(executor, workers, scheduler)
    if distribution is None:
        distribution = not variants
    root = scenario.seed if seed is None else seed
    seeds = ReplicationSeeds(root, replications)
    arms = _variants(scenario, variants)
    total = len(arms) * replications

    def tasks() -> Iterator[_Task]:  # made one at a time as workers take them: memory does not grow with R
        for v, (name, sc) in enumerate(arms):
            for r in range(replications):
                yield _Task(v * replications + r, sc, r, seeds[r], name, periods, distribution)

    out_path = Path(out_path)
    schema = _SCHEMA if variants else pa.schema([f for f in _SCHEMA if f.name != "variant"])
    columns = list(schema.names)
    dist_path = distribution_path(out_path) if distribution else None
    dist_schema = pa.schema([pa.field("variant", pa.string()), *DISTRIBUTION_SCHEMA]) if variants else DISTRIBUTION_SCHEMA
    started = time.perf_counter()
    buffer: list[tuple[int, pd.DataFrame, pa.Table | None]] = []
    next_index = 0

    # Finished replications are written in order, in row groups of about ROW_GROUP_ROWS rows:
    # memory stays bounded (a reorder buffer plus one row group) and so does the file's footer.
    writer = _OrderedWriter(out_path, schema)
    dist_writer = _OrderedWriter(dist_path, dist_schema, **_DISTRIBUTION_OPTIONS) if dist_path is not None else None
    try:
        for done, (index, frame, dist) in enumerate(_iterate(tasks(), executor, workers, scheduler, total), start=1):
            heapq.heappush(buffer, (index, frame, dist))
            while buffer and buffer[0][0] == next_index:
                _, ready, ready_dist = heapq.heappop(buffer)
                writer.add(ready)
                if dist_writer is not None:
                    dist_writer.add(ready_dist)
                next_index += 1
            if progress is not None:
                progress(done, total)
        writer.flush()
        if dist_writer is not None:
            dist_writer.flush()
    finally:
        writer.close()
        if dist_writer is not None:
            dist_writer.close()
    summary = summarise(pd.read_parquet(out_path, columns=[c for c in ("variant", "policy", "period", "metric", "value")
                                                           if c in columns]))
    return ExperimentResult(results_path=out_path, summary_frame=summary, seeds=seeds, seconds=time.perf_counter() - started,
                            executor=executor, workers=workers, rows=writer.rows, distribution_path=dist_path)


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% t interval over replications per (variant, policy, period, metric)."""
    keys = [k for k in ("variant", "policy", "period", "metric") if k in results.columns]
    g = results.groupby(keys, sort=False, observed=True)["value"]
    agg = g.agg(["mean", "std", "count"]).reset_index()
    t = stats.t.ppf(0.975, np.maximum(agg["count"] - 1, 1))
    half = np.where(agg["count"] > 1, t * agg["std"] / np.sqrt(agg["count"]), np.nan)
    agg["ci_low"] = agg["mean"] - half
    agg["ci_high"] = agg["mean"] + half
    return agg.drop(columns=["std"]).rename(columns={"count": "replications"})
