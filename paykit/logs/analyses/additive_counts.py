"""Counts that add up: how an analysis crosses Dask partitions with a bounded answer.

Each analysis is split in two: the **counts** of one group of whole intents (the whole
pandas log, or one Dask partition after the shuffle by intent) and a **builder** that
makes the result from counts. Counts are pandas frames whose rows add up by their index
(per currency, per decline code, per week...). Intents, and so their charges, are
disjoint across partitions, so the sum of the partitions' counts is the whole log's
counts: the builder gives the single-machine answer exactly, and what reaches a Dask
client grows with the number of currencies, codes or weeks, never with the intents.

What is not a sum travels as a value count: a median from the number of times each
distinct delay was seen (Stripe's times are whole seconds, so there are at most as many
as the log spans seconds), the latest time from the index of a one-row count.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["Counts", "add_up", "latest", "percentiles", "value_counts"]

#: Named frames of counts, each adding up by its index.
Counts = dict[str, pd.DataFrame]


def add_up(parts: Sequence[Counts]) -> Counts:
    """The counts of several disjoint groups of intents, added up frame by frame.

    Every frame's rows are summed by index, sorted; a frame a group has no rows in adds
    nothing.

    >>> a = {"n": pd.DataFrame({"intents": [1, 2]}, index=["eur", "usd"])}
    >>> b = {"n": pd.DataFrame({"intents": [5]}, index=["eur"])}
    >>> add_up([a, b])["n"]["intents"].tolist()
    [6, 2]
    """
    if len(parts) == 1:
        return parts[0]
    names = dict.fromkeys(name for part in parts for name in part)
    return {name: _add([part[name] for part in parts if name in part]) for name in names}


def _add(frames: list[pd.DataFrame]) -> pd.DataFrame:
    filled = [frame for frame in frames if len(frame)]
    if len(filled) <= 1:
        return filled[0] if filled else frames[0]
    joined = pd.concat(filled)
    names = joined.index.names
    out = joined.groupby(level=list(range(joined.index.nlevels)), sort=True).sum()
    out.index.names = names
    return out


def value_counts(values: np.ndarray, name: str) -> pd.DataFrame:
    """How many times each distinct value occurs, sorted, as counts that add up.

    >>> value_counts(np.array([3, 1, 3]), "delay")["count"].tolist()
    [1, 2]
    """
    distinct, count = np.unique(values, return_counts=True)
    return pd.DataFrame({"count": count.astype(np.int64)}, index=pd.Index(distinct, name=name))


def latest(counts: pd.DataFrame) -> float:
    """The largest value of a ``value_counts`` frame, NaN when it is empty.

    >>> latest(value_counts(np.array([3, 1]), "time")), latest(value_counts(np.array([]), "t"))
    (3.0, nan)
    """
    return float(counts.index.max()) if len(counts) else float("nan")


def percentiles(values: np.ndarray, counts: np.ndarray, quantiles: tuple[float, ...]
                ) -> list[float]:
    """``numpy.percentile``'s default (linear) from sorted distinct values and counts.

    >>> values, counts = np.array([1, 5]), np.array([3, 1])  # 1, 1, 1, 5
    >>> [round(p, 9) for p in percentiles(values, counts, (0.5, 0.9))]
    [1.0, 3.8]
    """
    cumulative = np.cumsum(counts)
    out = []
    for q in quantiles:
        h = (int(cumulative[-1]) - 1) * q
        low, high = int(np.floor(h)), int(np.ceil(h))
        v_low = float(values[np.searchsorted(cumulative, low, side="right")])
        v_high = float(values[np.searchsorted(cumulative, high, side="right")])
        out.append(v_low + (h - low) * (v_high - v_low))
    return out
