"""Observed status transitions: counts, violations and time spent, in one sorted pass.

Conformance, the process map and time-in-status all read the same thing: each status
row next to the previous status row of the same intent. ``transition_stats`` computes
them together from one sort (``row_sort.sort_rows``) with array operations only:
``np.bincount`` of ``source * 7 + target`` codes for the counts, a lookup in the
boolean ``transition_rules.ALLOWED`` matrix for the violations, time differences for
durations.

On Dask the partitions' results are combined on the workers and one comes back to
the client, bounded whatever the number of intents: counts, the figures of time in
status (worked out on the worker from the exact value counts of stays, which stay
there: their number grows with the log's time span), counts of violations per (source,
target) pair and of violating intents, and at most ``examples`` violations (the first
in intent order). The full list of violations is
written where it is found, one Parquet file per partition, when ``out`` names a folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from paykit.logs.analyses.additive_counts import percentiles
from paykit.logs.analyses.intent_partitions import as_log, is_dask, map_intents
from paykit.logs.arrays.row_sort import sort_rows
from paykit.logs.arrays.transition_rules import (
    ALLOWED,
    ENTRY,
    INITIAL_CODE,
    N_STATUSES,
    NONE,
    SNAPSHOT_EVENT,
    STATUSES,
    TERMINAL,
)

__all__ = [
    "STAY_QUANTILES",
    "VIOLATION_EXAMPLES",
    "StayFigures",
    "TransitionStats",
    "counts_frame",
    "stay_figures",
    "transition_counts",
    "transition_stats",
    "violations_frame",
]

#: How many violations a Dask analysis brings back to the client by default (the first
#: in intent order); the counts are always complete, and ``out=`` writes them all.
VIOLATION_EXAMPLES = 1000

_NAMES = np.array([s.value for s in STATUSES] + [None], dtype=object)
_ENTRY_NAMES = ", ".join(s.value for s, ok in zip(STATUSES, ENTRY, strict=True) if ok)
_VIOLATION_COLUMNS = [
    "intent", "time", "source", "target", "event", "source_line", "kind", "reason",
]


def _reason_table() -> np.ndarray:
    """The "why" of every (source, target) code pair, computed once."""
    table = np.empty((N_STATUSES + 1, N_STATUSES), dtype=object)
    for src in range(N_STATUSES + 1):
        for dst in range(N_STATUSES):
            if src == NONE:
                table[src, dst] = (
                    f"first status {_NAMES[dst]} is not one an intent starts in "
                    f"({_ENTRY_NAMES}): the log may begin after its creation"
                )
            elif TERMINAL[src]:
                table[src, dst] = f"{_NAMES[src]} is terminal: nothing may follow it"
            else:
                table[src, dst] = f"no lifecycle row leads from {_NAMES[src]} to {_NAMES[dst]}"
    return table


_REASONS = _reason_table()


@dataclass
class TransitionStats:
    """What one pass over the sorted status rows found (combinable across partitions).

    ``counts[source, target]`` counts observed moves (row ``transition_rules.NONE``: an
    intent's first status); ``durations`` are distinct nanosecond stays in
    ``duration_status`` before the next status, each seen ``duration_counts`` times
    (value counts, not one entry per stay: Stripe's times are whole seconds, so their
    number is bounded by the log's time span, not by its intents, and a Dask client
    receives as much for a billion intents as for a million); ``open_status`` counts
    intents whose last status is not terminal; ``unmeasured`` counts stays left out
    because a row's time is not the time its status was entered (a reader's synthetic
    creation row, a snapshot).

    ``violations`` holds every violation, or only the first ``examples`` (sorted by
    intent, then time) when ``complete`` is false; ``violation_counts[source, target]``
    and ``violating`` / ``violating_illegal`` (intents with any violation / with an
    illegal transition) always count them all.
    """

    counts: np.ndarray
    durations: np.ndarray
    duration_status: np.ndarray
    duration_counts: np.ndarray
    open_status: np.ndarray
    violations: pd.DataFrame
    intents: int
    violation_counts: np.ndarray
    violating: int
    violating_illegal: int
    unmeasured: int = 0
    complete: bool = True
    #: ``stay_figures`` of the value counts, where they were worked out (on a Dask
    #: worker: the value counts themselves are then left there, and empty here).
    figures: dict[int, StayFigures] | None = None

    def summarised(self) -> TransitionStats:
        """These statistics with the stays reduced to their figures (what the client of
        a Dask analysis receives: its size does not depend on the log's)."""
        empty = np.zeros(0, dtype=np.int64)
        return replace(self, durations=empty, duration_status=empty.astype(np.int8),
                       duration_counts=empty, figures=stay_figures(self))

    @classmethod
    def combine(cls, parts: list[TransitionStats], examples: int | None = None
                ) -> TransitionStats:
        """Add up partial results (one per Dask partition), keeping at most ``examples``
        violations: the first in intent order, as each part kept its own first ones."""
        if len(parts) == 1:
            return parts[0]
        if any(p.figures is not None for p in parts):
            raise ValueError("summarised statistics cannot be combined: their stays are gone")
        frames = [p.violations for p in parts if len(p.violations)]
        violations = _sort_violations(
            pd.concat(frames, ignore_index=True) if frames else parts[0].violations
        )
        complete = all(p.complete for p in parts)
        if examples is not None and len(violations) > examples:
            violations, complete = violations.head(examples), False
        durations, duration_status, duration_counts = _value_counts(
            np.concatenate([p.durations for p in parts]),
            np.concatenate([p.duration_status for p in parts]),
            np.concatenate([p.duration_counts for p in parts]))
        return cls(
            counts=sum((p.counts for p in parts[1:]), parts[0].counts.copy()),
            durations=durations,
            duration_status=duration_status,
            duration_counts=duration_counts,
            open_status=sum((p.open_status for p in parts[1:]), parts[0].open_status.copy()),
            violations=violations,
            intents=sum(p.intents for p in parts),
            violation_counts=sum((p.violation_counts for p in parts[1:]),
                                 parts[0].violation_counts.copy()),
            violating=sum(p.violating for p in parts),
            violating_illegal=sum(p.violating_illegal for p in parts),
            unmeasured=sum(p.unmeasured for p in parts),
            complete=complete,
        )


#: The quantiles time in status reports: the median and the 90th percentile.
STAY_QUANTILES = (0.5, 0.9)


class StayFigures(NamedTuple):
    """The stays in one status: how many, and their quantiles and mean (nanoseconds)."""

    stays: int
    median: float
    p90: float
    mean: float


def stay_figures(stats: TransitionStats) -> dict[int, StayFigures]:
    """The figures of the stays in each non-terminal status (NaN where there is none).

    >>> from paykit.logs import simulate
    >>> figures = stay_figures(transition_stats(simulate(200)))
    >>> sorted(figures) == [c for c in range(N_STATUSES) if not TERMINAL[c]]
    True
    """
    if stats.figures is not None:
        return stats.figures
    figures = {}
    for code in range(N_STATUSES):
        if TERMINAL[code]:
            continue
        here = stats.duration_status == code
        spans, weights = stats.durations[here], stats.duration_counts[here]
        stays = int(weights.sum())
        if stays:
            median, p90 = percentiles(spans, weights, STAY_QUANTILES)
            mean = float(np.dot(spans.astype(np.float64), weights)) / stays
        else:
            median = p90 = mean = np.nan
        figures[code] = StayFigures(stays, median, p90, mean)
    return figures


def _value_counts(durations: np.ndarray, status: np.ndarray, weights: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (status, duration) pairs, sorted, with their added-up counts."""
    if not len(durations):
        return durations, status, weights
    order = np.lexsort((durations, status))
    durations, status, weights = durations[order], status[order], weights[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (durations[1:] != durations[:-1]) | (status[1:] != status[:-1])
    starts = np.flatnonzero(new)
    return durations[starts], status[starts], np.add.reduceat(weights, starts)


def _sort_violations(frame: pd.DataFrame) -> pd.DataFrame:
    if not len(frame):
        return frame
    key = frame["intent"].astype(str)
    order = np.lexsort((frame["time"].to_numpy(dtype="int64"), key.to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


def _partition_stats(log: pd.DataFrame, number: int = 0, *, examples: int | None = None,
                     out: str | None = None) -> TransitionStats:
    """Transition statistics of a frame that holds whole intents (partition ``number``)."""
    s = sort_rows(log, status_only=True)
    n = len(s)
    status = s.status
    prev = s.previous_status()
    counts = np.bincount(prev * N_STATUSES + status, minlength=(N_STATUSES + 1) * N_STATUSES)
    counts = counts.reshape(N_STATUSES + 1, N_STATUSES)

    later = ~s.first
    bad = np.where(s.first, ~ENTRY[status], ~ALLOWED[prev, status])
    idx = np.flatnonzero(bad)
    if len(idx):
        rows = s.row[idx]
        violations = pd.DataFrame({
            "intent": np.asarray(s.ids[s.intent[idx]], dtype=object),
            "time": log["time"].iloc[rows].to_numpy(),
            "source": pd.Series(_NAMES[prev[idx]], dtype=object),
            "target": pd.Series(_NAMES[status[idx]], dtype=object),
            "event": log["event"].iloc[rows].astype(object).to_numpy(),
            "source_line": log["source_line"].iloc[rows].to_numpy(),
            "kind": np.where(prev[idx] == NONE, "late_start", "illegal_transition"),
            "reason": _REASONS[prev[idx], status[idx]],
        })
        violations["time"] = pd.to_datetime(violations["time"], utc=True)
    else:
        violations = _empty_violations()
    if out is not None and len(violations):
        _write_part(violations, out, number)
    violation_counts = np.bincount(prev[idx] * N_STATUSES + status[idx],
                                   minlength=(N_STATUSES + 1) * N_STATUSES)
    illegal = idx[prev[idx] != NONE]  # the kind "illegal_transition"
    complete = examples is None or len(violations) <= examples
    if not complete:
        violations = _sort_violations(violations).head(examples)

    # Time in a status: from the row that enters it to the next status row of the intent,
    # when both rows carry their own time (see ``_own_times``).
    if n > 1:
        own_start, own_end = _own_times(log, s.row)
        step = later[1:]
        measured = step & own_start[:-1] & own_end[1:]
        durations = (s.time[1:] - s.time[:-1])[measured]
        duration_status = status[:-1][measured].astype(np.int8)
        unmeasured = int((step & ~measured).sum())
    else:
        durations = np.zeros(0, dtype=np.int64)
        duration_status = np.zeros(0, dtype=np.int8)
        unmeasured = 0
    last = np.ones(n, dtype=bool)
    last[:-1] = s.first[1:]
    last_status = status[last]
    open_status = np.bincount(last_status[~TERMINAL[last_status]], minlength=N_STATUSES)
    durations, duration_status, duration_counts = _value_counts(
        durations, duration_status, np.ones(len(durations), dtype=np.int64))
    return TransitionStats(
        counts=counts,
        durations=durations,
        duration_status=duration_status,
        duration_counts=duration_counts,
        open_status=open_status,
        violations=violations,
        intents=int(s.first.sum()),
        violation_counts=violation_counts.reshape(N_STATUSES + 1, N_STATUSES),
        violating=len(np.unique(s.intent[idx])),
        violating_illegal=len(np.unique(s.intent[illegal])),
        unmeasured=unmeasured,
        complete=complete,
    )


def _write_part(violations: pd.DataFrame, out: str, number: int) -> None:
    """One partition's violations as ``out/part-<number>.parquet`` (a local folder or
    any fsspec URL pandas can write to)."""
    if "://" not in out:
        os.makedirs(out, exist_ok=True)
    violations.to_parquet(f"{out.rstrip('/')}/part-{number:05d}.parquet", index=False)


def _own_times(log: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per sorted row: may a stay start here, may one end here?

    A reader's ``synthetic`` creation row is dated by the first thing seen of the
    intent, not by its creation, so no stay starts there; a snapshot row (object dump,
    CSV PaymentIntent row) shows a status without saying when it was entered, so no
    stay starts or ends there. Otherwise a CSV or object dump would report stays of
    exactly zero.
    """
    synthetic = (log["synthetic"].to_numpy(dtype=bool)[rows] if "synthetic" in log.columns
                 else np.zeros(len(rows), dtype=bool))
    event = log["event"]
    if isinstance(event.dtype, pd.CategoricalDtype):  # compare codes, not strings
        categories = event.cat.categories
        code = categories.get_loc(SNAPSHOT_EVENT) if SNAPSHOT_EVENT in categories else -2
        snapshot = np.asarray(event.cat.codes)[rows] == code
    else:
        snapshot = (event.iloc[rows] == SNAPSHOT_EVENT).to_numpy(dtype=bool)
    return ~synthetic & ~snapshot, ~snapshot


#: The columns ``_partition_stats`` reads (only they are shuffled on Dask).
_READS = ("intent", "time", "status", "event", "source_line", "synthetic")


def _empty_violations() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in _VIOLATION_COLUMNS})
    frame["time"] = pd.Series(dtype="datetime64[ns, UTC]")
    frame["source_line"] = pd.Series(dtype="int64")
    return frame


def transition_stats(log: Any, *, examples: int | None = None,
                     out: str | os.PathLike[str] | None = None) -> TransitionStats:
    """Counts, violations and durations of a log's status transitions, in one pass.

    ``examples`` caps the violations kept (the first in intent order; on a Dask log
    ``VIOLATION_EXAMPLES`` unless given, so the client's memory does not grow with the
    log); ``out`` writes every violation to that folder, one Parquet file per partition
    that has any, where the partition is analysed.

    >>> from paykit.logs import simulate
    >>> transition_stats(simulate(100)).intents
    100
    """
    if examples is None and is_dask(as_log(log)):
        examples = VIOLATION_EXAMPLES
    if out is not None and "://" not in os.fspath(out):
        os.makedirs(out, exist_ok=True)  # there even when no partition has violations
    work = partial(_partition_stats, examples=examples,
                   out=None if out is None else os.fspath(out))
    combine = partial(TransitionStats.combine, examples=examples)
    return combine(map_intents(log, work, columns=_READS, status_only=True, numbered=True,
                               combine=combine, finish=TransitionStats.summarised))


def violations_frame(counts: np.ndarray, *, require_creation: bool = True) -> pd.DataFrame:
    """How often each (source, target) violation occurs, most frequent first, from the
    counts (``TransitionStats.violation_counts``): complete even when the examples are not.

    >>> counts = np.zeros((N_STATUSES + 1, N_STATUSES), dtype=np.int64)
    >>> counts[list(_NAMES).index("succeeded"), INITIAL_CODE] = 3
    >>> violations_frame(counts).values.tolist()
    [['succeeded', 'requires_payment_method', 'illegal_transition', 3]]
    """
    src, dst = np.nonzero(counts)
    if not require_creation:
        keep = src != NONE
        src, dst = src[keep], dst[keep]
    if not len(src):
        return pd.DataFrame(columns=["source", "target", "kind", "count"])
    pairs = pd.DataFrame({
        "source": pd.Series(_NAMES[src], dtype=object),
        "target": pd.Series(_NAMES[dst], dtype=object),
        "kind": np.where(src == NONE, "late_start", "illegal_transition").astype(object),
        "count": counts[src, dst].astype(np.int64),
    })
    # grouped and sorted as a groupby of the violations themselves would be
    return (pairs.groupby(["source", "target", "kind"], dropna=False)["count"].sum()
            .sort_values(ascending=False).reset_index())


def transition_counts(log: Any) -> pd.DataFrame:
    """Each observed (source, target) move with its count and whether the table allows it.

    ``source`` is ``None`` for an intent's first status. An intent first seen in a status
    it reaches silently from creation (``requires_confirmation``) is counted as created,
    then moved there, as the lifecycle table says happened.

    >>> from paykit.logs import simulate
    >>> counts = transition_counts(simulate(200))
    >>> counts.loc[0, "source"] is None, counts.loc[0, "target"], int(counts.loc[0, "count"])
    (True, 'requires_payment_method', 200)
    """
    stats = log if isinstance(log, TransitionStats) else transition_stats(log)
    return counts_frame(stats.counts)


def counts_frame(counts: np.ndarray) -> pd.DataFrame:
    """The count matrix as rows (source, target, count, allowed), creation first.

    >>> from paykit.logs import simulate
    >>> first = counts_frame(transition_stats(simulate(10)).counts).iloc[0]
    >>> first["source"] is None, first["target"], int(first["count"])
    (True, 'requires_payment_method', 10)
    """
    counts = counts.copy()
    for target in range(N_STATUSES):
        if target != INITIAL_CODE and ENTRY[target] and ALLOWED[INITIAL_CODE, target]:
            moved = counts[NONE, target]
            counts[NONE, target] = 0
            counts[NONE, INITIAL_CODE] += moved
            counts[INITIAL_CODE, target] += moved
    src, dst = np.nonzero(counts)
    order = np.lexsort((dst, src, -counts[src, dst], src != NONE))
    src, dst = src[order], dst[order]
    return pd.DataFrame({
        "source": pd.Series(_NAMES[src], dtype=object),
        "target": pd.Series(_NAMES[dst], dtype=object),
        "count": counts[src, dst].astype(np.int64),
        "allowed": ALLOWED[src, dst],
    })
