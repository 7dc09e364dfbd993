"""Charts for the results people would rather look at than read (matplotlib).

Each function takes a result (``Funnel``, ``Declines``, ``TimeInStatus``) or a log,
draws on ``ax`` (a new figure if none) and returns the ``Axes``. This module registers
each ``plot_…`` as the chart of its result class, so the results' own ``.plot()``
(``paykit.logs.analyses.drawable``) draws with it; the analyses never import this
module. ``view_…`` are the pm4py-style one-call versions. Colours are named once, here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.declines import Declines, declines
from paykit.logs.analyses.drawable import register_chart
from paykit.logs.analyses.funnel import STEPS, Funnel, funnel
from paykit.logs.analyses.time_in_status import TimeInStatus, time_in_status

__all__ = [
    "COLORS",
    "plot_declines",
    "plot_funnel",
    "plot_time_in_status",
    "view_declines",
    "view_funnel",
    "view_time_in_status",
]

#: The palette every chart uses.
COLORS = {
    "bar": "#3b82f6",
    "good": "#10b981",
    "bad": "#ef4444",
    "muted": "#9aa5b1",
    "text": "#1f2933",
}


def _axes(ax: Any, size: tuple[float, float] = (7, 3.6)) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def plot_funnel(result: Funnel, ax: Any = None) -> Any:
    """Bars per funnel step (grouped if the funnel has groups), labelled with % of created
    (a step the log cannot count is labelled "unknown", and has no bar).

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import funnel, simulate
    >>> plot_funnel(funnel(simulate(200))).get_title()
    'Payment funnel'
    """
    ax = _axes(ax)
    wide = result.wide("intents")
    share = result.wide("of_created")
    groups = list(wide.columns)
    width = 0.8 / len(groups)
    x = np.arange(len(STEPS))
    for i, group in enumerate(groups):
        heights = pd.to_numeric(wide[group], errors="coerce").astype(float)
        bars = ax.bar(x + i * width - 0.4 + width / 2, heights.fillna(0).to_numpy(), width,
                      label=str(group), color=None if len(groups) > 1 else COLORS["bar"])
        labels = ["unknown" if pd.isna(n) else ("" if pd.isna(v) else f"{v:.0%}")
                  for n, v in zip(heights, share[group], strict=True)]
        ax.bar_label(bars, labels=labels, fontsize=8)
    ax.set_xticks(x, [s.replace("_", " ") for s in STEPS])
    ax.set_ylabel("intents")
    ax.set_title("Payment funnel")
    if len(groups) > 1:
        ax.legend(title=result.by, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_declines(result: Declines, ax: Any = None, top: int = 10) -> Any:
    """Decline codes (most frequent first) split into recovered and lost intents, each
    labelled hard or soft (``paykit.decline_codes``).

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import declines, simulate
    >>> plot_declines(declines(simulate(500))).get_title()
    'Declines by code'
    """
    ax = _axes(ax, (7, 0.4 + 0.35 * min(top, max(len(result.codes), 1))))
    codes = result.codes.head(top).iloc[::-1]
    y = np.arange(len(codes))
    recovered = codes["recovered"].to_numpy(dtype=float)
    lost = codes["intents"].to_numpy(dtype=float) - recovered
    ax.barh(y, recovered, color=COLORS["good"], label="recovered")
    ax.barh(y, lost, left=recovered, color=COLORS["bad"], label="not recovered")
    kinds = codes["kind"] if "kind" in codes else pd.Series("unknown", index=codes.index)
    ax.set_yticks(y, [f"{c} ({k})" for c, k in zip(codes.index, kinds, strict=True)])
    ax.set_xlabel("intents declined")
    ax.set_title("Declines by code")
    ax.legend(fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_time_in_status(result: TimeInStatus, ax: Any = None) -> Any:
    """Median time in each status as bars, with a line out to the 90th percentile.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import simulate, time_in_status
    >>> plot_time_in_status(time_in_status(simulate(500))).get_xscale()
    'log'
    """
    ax = _axes(ax)
    table = result.table[result.table["stays"] > 0].iloc[::-1]
    hours = table["median"].dt.total_seconds().to_numpy() / 3600
    p90 = table["p90"].dt.total_seconds().to_numpy() / 3600
    y = np.arange(len(table))
    ax.barh(y, hours, color=COLORS["bar"], label="median")
    ax.hlines(y, hours, p90, color=COLORS["muted"], linewidth=2, label="to p90")
    ax.plot(p90, y, "|", color=COLORS["text"], markersize=10)
    ax.set_yticks(y, list(table.index))
    ax.set_xscale("log")
    ax.set_xlabel("hours (log scale)")
    ax.set_title("Time in status")
    ax.legend(fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def view_funnel(log: Any, by: str | None = None, ax: Any = None) -> Any:
    """Compute and draw the funnel of a log in one call.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import simulate
    >>> view_funnel(simulate(100), by="currency").get_legend() is not None
    True
    """
    return plot_funnel(funnel(log, by=by), ax=ax)


def view_declines(log: Any, ax: Any = None) -> Any:
    """Compute and draw the declines of a log in one call.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import simulate
    >>> view_declines(simulate(300)).get_xlabel()
    'intents declined'
    """
    return plot_declines(declines(log), ax=ax)


def view_time_in_status(log: Any, ax: Any = None) -> Any:
    """Compute and draw the time in each status of a log in one call.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import simulate
    >>> view_time_in_status(simulate(300)).get_title()
    'Time in status'
    """
    return plot_time_in_status(time_in_status(log), ax=ax)


register_chart(Funnel, plot_funnel)
register_chart(Declines, plot_declines)
register_chart(TimeInStatus, plot_time_in_status)
