"""How long intents stay in each status: median and 90th percentile.

A stay is measured from the row that shows a status to the next status row of the
same intent. The last status of an intent that is still open has no end yet: it is
counted in ``still_in`` and left out of the times (it would bias them low). Terminal
statuses have no stay. A stay is only measured between rows that carry their own time:
a CSV export or an object dump has none per status, and a log where no intent shows
two statuses has no stay at all; then the result says time in status is not
available, rather than showing zero. One pass over sorted arrays, one selection per
status.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pandas as pd

from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.transition_stats import (
    TransitionStats,
    stay_figures,
    transition_stats,
)
from paykit.logs.arrays.transition_rules import STATUSES

__all__ = ["TimeInStatus", "time_in_status", "time_in_status_from_stats"]


@dataclass
class TimeInStatus(Drawable):
    """One row per non-terminal status: stays, median, p90, mean, and intents still in it.

    ``note`` says what the log could not tell: with no stay measured at all, time in
    status is not available (shown as missing, never as zero).
    """

    table: pd.DataFrame
    note: str | None = None

    @property
    def available(self) -> bool:
        """Whether the log measured any stay."""
        return bool(self.table["stays"].sum())

    def _repr_html_(self) -> str:
        note = f"<p>{html.escape(self.note)}</p>" if self.note else ""
        return note + self.table._repr_html_()

    def __str__(self) -> str:
        return (self.note + "\n" if self.note else "") + self.table.to_string()


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
    rows: list[dict[str, Any]] = []
    for code, figures in stay_figures(stats).items():
        rows.append({
            "status": STATUSES[code].value,
            "stays": figures.stays,
            "median": figures.median,
            "p90": figures.p90,
            "mean": figures.mean,
            "still_in": int(stats.open_status[code]),
        })
    table = pd.DataFrame(rows).set_index("status")
    for name in ("median", "p90", "mean"):  # float ns (NaN: no stay) to rounded durations
        table[name] = pd.to_timedelta(table[name].astype("float64"), unit="ns").dt.round("s")
    return TimeInStatus(table=table, note=_note(int(table["stays"].sum()), stats.unmeasured))


def _note(stays: int, unmeasured: int) -> str | None:
    """What the log could not tell about time in status, or ``None``."""
    if stays:
        return None
    if unmeasured:
        return (f"time in status not available: none of the {unmeasured:,} status changes "
                "has its own timestamp (a CSV or object dump dates only creation and "
                "attempts)")
    return "time in status not available: no intent shows two statuses in this log"
