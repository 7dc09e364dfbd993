"""Dask against one machine, for ``benchmarks/logs.py``: the same lifecycle check (the
conformance + transition counts + time in status trio), or every analysis at once
(``analyse``, compared by the text it prints), on the same Parquet parts.

One machine reads every part with ``pandas.read_parquet`` and runs the trio; Dask reads
the same parts with ``paykit.logs.read_dask`` on a ``distributed.LocalCluster`` of two
worker processes and runs the same code per partition after one shuffle by intent. The
answers are compared. A second run gives each worker a memory limit several times smaller
than the log and reports whether it completes, the log's size against the limit, and the
memory the client allocates meanwhile: the partitions' results are combined on the
workers and one comes back (counts, value counts of stays and at most
``VIOLATION_EXAMPLES`` violations), so it does not grow with the log; the scheduler of a
``LocalCluster`` runs in the client's process, so its tasks (one set per partition) are
counted too.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path
from typing import Any

import pandas as pd

from paykit.logs import analyse, read_dask, simulate, write_parquet_parts
from paykit.logs.analyses.conformance import conformance_from_stats
from paykit.logs.analyses.transition_stats import VIOLATION_EXAMPLES, transition_stats

__all__ = ["CHECKS", "dask_run", "single_run", "write_parts"]


#: What a run checks: the lifecycle trio's summary, or every analysis's printed text.
CHECKS = {
    "lifecycle": lambda log: conformance_from_stats(transition_stats(log)).summary,
    # on Dask the conformance line adds that it lists the first 1,000 violations only
    "analyse": lambda log: analyse(log).summary().replace(
        f" (the first {VIOLATION_EXAMPLES} violations listed)", ""),
}


def write_parts(n: int, folder: Path, parts: int, seed: int = 0) -> float:
    """``n`` simulated intents in ``parts`` Parquet files; returns the log's size in MB."""
    log = simulate(n, seed=seed, illegal_rate=0.02, refund_rate=0.05, dispute_rate=0.01)
    write_parquet_parts(log, folder, parts)
    return float(log.memory_usage(deep=True).sum()) / 2**20


def single_run(folder: Path, what: str = "lifecycle") -> tuple[float, Any]:
    """Seconds to read every part and check it on one machine, and the summary."""
    start = time.perf_counter()
    log = pd.read_parquet(folder)
    summary = CHECKS[what](log)
    return time.perf_counter() - start, summary


def dask_run(folder: Path, memory_limit: str, *, warm: bool = True, what: str = "lifecycle"
             ) -> tuple[float, Any, float] | None:
    """Seconds on a two-worker LocalCluster, the summary, and the memory the client
    allocated while the analysis ran again (MB, tracemalloc: numpy buffers included);
    ``None`` if Dask is not installed. ``warm``: time a second run on the cluster, as
    the single machine's run comes after its own imports."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return None
    def check() -> Any:
        return CHECKS[what](read_dask(folder))

    with (LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       dashboard_address=None, memory_limit=memory_limit) as cluster,
          Client(cluster)):
        if warm:
            check()  # the workers import paykit and pandas once, as a running cluster has
        start = time.perf_counter()
        summary = check()
        seconds = time.perf_counter() - start
        tracemalloc.start()  # a run of its own: tracing slows the client's allocations
        check()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return seconds, summary, peak / 2**20
