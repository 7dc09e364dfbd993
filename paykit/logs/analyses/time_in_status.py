"""How long intents stay in each status: median and 90th percentile.

A stay is measured from the row that shows a status to the next status row of the
same intent. The last status of an intent that is still open has no end yet: it is
counted in ``still_in`` and left out of the times (it would bias them low). Terminal
statuses have no stay. One pass over sorted arrays, one selection per status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.transition_stats import TransitionStats, transition_stats
from paykit.logs.arrays.transition_rules import N_STATUSES, STATUSES, TERMINAL

__all__ = ["TimeInStatus", "time_in_status", "time_in_status_from_stats"]


@dataclass
class TimeInStatus(Drawable):
    """One row per non-terminal status: stays, median, p90, mean, and intents still in it."""

    table: pd.DataFrame

    def _repr_html_(self) -> str:
        return self.table._repr_html_()

    def __str__(self) -> str:
        return self.table.to_string()


def time_in_status(log: Any) -> TimeInStatus:
    """Median and p90 time spent in each status before the next one.

    >>> from paykit.logs import simulate
    >>> t = time_in_status(simulate(2000))
    >>> bool(t.table.loc["processing", "median"] > pd.Timedelta(days=2))
    True
    """
    stats = log if isinstance(log, TransitionStats) else transition_stats(log)
    return time_in_status_from_stats(stats)


def time_in_status_from_stats(stats: TransitionStats) -> TimeInStatus:
    """Build the result from precomputed transition statistics (shared with other analyses).

    >>> from paykit.logs import simulate
    >>> from paykit.logs.analyses.transition_stats import transition_stats
    >>> table = time_in_status_from_stats(transition_stats(simulate(100))).table
    >>> int(table["stays"].sum()) > 0
    True
    """
    rows = []
    for code in range(N_STATUSES):
        if TERMINAL[code]:
            continue
        spans = stats.durations[stats.duration_status == code]
        if len(spans):
            median, p90 = np.percentile(spans, [50, 90])
            mean = spans.mean()
        else:
            median = p90 = mean = np.nan
        rows.append({
            "status": STATUSES[code].value,
            "stays": len(spans),
            "median": pd.Timedelta(median, unit="ns") if len(spans) else pd.NaT,
            "p90": pd.Timedelta(p90, unit="ns") if len(spans) else pd.NaT,
            "mean": pd.Timedelta(mean, unit="ns") if len(spans) else pd.NaT,
            "still_in": int(stats.open_status[code]),
        })
    table = pd.DataFrame(rows).set_index("status")
    for name in ("median", "p90", "mean"):
        table[name] = pd.to_timedelta(table[name]).dt.round("s")
    return TimeInStatus(table=table)
