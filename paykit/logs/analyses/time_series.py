"""Time series and cohorts: the same questions per day, week or month.

``time_series`` puts every intent in the period it was first seen and every attempt in
the period it was made, then counts per period: intents and how many succeeded, attempts
authorised and declined (the authorisation rate), captured, refunded and disputed
charges. ``cohorts`` groups customers by the period of their first intent and counts,
for each later period, how many of them paid (a captured charge) in it: the retention
table analysts draw as a triangle (a period after that of the log's last payment attempt
or payment is ``<NA>``, not 0: nobody could have paid in it yet). Periods are UTC calendar
periods: ``D``, ``W`` (weeks ending Sunday, pandas' ``W``) or ``M`` (months).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from paykit.logs.analyses.additive_counts import Counts, latest, value_counts
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.partition_counts import Partition, count_log
from paykit.logs.arrays.row_sort import time_ns

__all__ = ["FREQUENCIES", "Cohorts", "TimeSeries", "cohorts", "cohorts_from_counts",
           "count_cohorts", "count_last_time", "count_time_series", "time_series",
           "time_series_from_counts"]

#: The periods accepted, with their names.
FREQUENCIES = {"D": "day", "W": "week", "M": "month"}


def _check_freq(freq: str) -> None:
    if freq not in FREQUENCIES:
        raise ValueError(f"freq {freq!r} is not one of {', '.join(FREQUENCIES)} "
                         "(day, week, month)")


def _period(times: pd.Series, freq: str) -> pd.Series:
    _check_freq(freq)
    naive = pd.to_datetime(times, utc=True).dt.tz_localize(None)
    return naive.dt.to_period(freq)


@dataclass
class TimeSeries(Drawable):
    """One row per period: intents, succeeded, attempts, authorisation rate, money events."""

    table: pd.DataFrame
    freq: str

    def _repr_html_(self) -> str:
        return self.table._repr_html_()

    def __str__(self) -> str:
        return f"{len(self.table)} {FREQUENCIES[self.freq]}s"


@dataclass
class Cohorts(Drawable):
    """Customers by first period (rows) and periods since (columns) who paid in it."""

    table: pd.DataFrame
    sizes: pd.Series
    freq: str

    def _repr_html_(self) -> str:
        return self.table._repr_html_()

    def retention(self) -> pd.DataFrame:
        """The table as shares of each cohort's size.

        >>> cohorts(_example_log()).retention().iloc[0, 0]
        np.float64(1.0)
        """
        return self.table.div(self.sizes, axis=0)


def _example_log() -> pd.DataFrame:
    """A tiny hand-built log for the examples: two customers paying over three months.

    >>> _example_log()["customer"].nunique()
    2
    """
    from paykit.logs.arrays.log_schema import finish_log

    rows = [("pi_1", "2026-01-05", "cus_a"), ("pi_2", "2026-02-07", "cus_a"),
            ("pi_3", "2026-01-20", "cus_b"), ("pi_4", "2026-03-02", "cus_b")]
    return finish_log(pd.DataFrame({
        "intent": [r[0] for r in rows], "time": pd.to_datetime([r[1] for r in rows], utc=True),
        "customer": [r[2] for r in rows], "status": ["succeeded"] * 4,
        "charge": ["ch" + r[0][2:] for r in rows], "currency": ["usd"] * 4,
        "amount": [1000] * 4}))


def time_series(log: Any, freq: str = "W") -> TimeSeries:
    """Per day, week or month: intents, succeeded, attempts, authorised, declined, the
    authorisation rate, captured, refunded and disputed charges.

    >>> ts = time_series(_example_log(), freq="M")
    >>> ts.table["intents"].tolist(), str(ts.table.index[0])
    ([2, 1, 1], '2026-01')
    """
    _check_freq(freq)  # before any work
    return time_series_from_counts(count_log(log, [partial(count_time_series, freq=freq)]), freq)


def count_time_series(part: Partition, freq: str) -> Counts:
    """Per period: intents first seen and succeeded; attempts made, authorised, declined,
    captured, refunded and disputed.

    >>> counts = count_time_series(Partition(_example_log()), "M")
    >>> counts["time_series.intents.M"]["intents"].tolist()
    [2, 1, 1]
    """
    table, charges = part.table, part.charges
    per_intent = pd.DataFrame({
        "period": _period(table["first_seen"], freq),
        "intents": 1, "succeeded": (table["outcome"] == "succeeded").astype("int64")})
    disputed = (charges["amount_disputed"].notna() | charges["dispute_status"].notna()
                | charges["dispute_reason"].notna())
    per_charge = pd.DataFrame({
        "period": _period(charges["first_seen"], freq),
        "attempts": 1, "authorised": charges["authorised"].astype("int64"),
        "declined": charges["declined"].astype("int64"),
        "captured": charges["captured"].astype("int64"),
        "refunded": (charges["captured"] & charges["amount_refunded"].fillna(0).gt(0))
        .astype("int64"),
        "disputed": (charges["captured"] & disputed).astype("int64")})
    return {f"time_series.intents.{freq}": per_intent.groupby("period", sort=True).sum()
            .astype("int64"),
            f"time_series.charges.{freq}": per_charge.groupby("period", sort=True).sum()
            .astype("int64")}


def time_series_from_counts(counts: Counts, freq: str = "W") -> TimeSeries:
    """``time_series`` from its counts (``count_time_series``, added up over the log).

    >>> log = _example_log()
    >>> counts = count_log(log, [partial(count_time_series, freq="D")])
    >>> len(time_series_from_counts(counts, "D").table)
    57
    """
    out = counts[f"time_series.intents.{freq}"].join(
        counts[f"time_series.charges.{freq}"], how="outer").fillna(0).astype("int64")
    if len(out):
        full = pd.period_range(out.index.min(), out.index.max(), freq=out.index.freq)
        out = out.reindex(full, fill_value=0)
    decided = out["authorised"] + out["declined"]
    out["authorisation_rate"] = (out["authorised"] / decided.where(decided > 0)).astype(float)
    out.index.name = FREQUENCIES[freq]
    return TimeSeries(out, freq)


def cohorts(log: Any, freq: str = "M") -> Cohorts:
    """Customers grouped by the period of their first intent; per later period, how many
    paid in it (a captured charge). Customers are those named on payment attempts;
    intents without a customer are left out.

    >>> c = cohorts(_example_log(), freq="M")
    >>> c.table.values.tolist(), c.sizes.tolist()
    ([[2, 1, 1]], [2])
    """
    _check_freq(freq)  # before any work
    counts = count_log(log, [count_last_time],
                       customer_counters=[partial(count_cohorts, freq=freq)],
                       customer_roles=("seen", "paid"))
    return cohorts_from_counts(counts, freq)


def count_last_time(part: Partition) -> Counts:
    """The latest time an attempt was made or paid (where the cohorts' knowledge ends).

    >>> count_last_time(Partition(_example_log()))["cohorts.last"].index.tolist()
    [1772409600000000000]
    """
    charges = part.charges
    seen = pd.concat([charges["first_seen"], charges["paid_at"]]).dropna()
    times = time_ns(seen)
    return {"cohorts.last": value_counts(times.max(keepdims=True) if len(times) else times,
                                         "time")}


def count_cohorts(rows: pd.DataFrame, freq: str) -> Counts:
    """From the rows of whole customers (``partition_counts.customer_rows``): customers
    per cohort, and per (cohort, periods since) those who paid in that period.

    >>> from paykit.logs.analyses.partition_counts import customer_rows
    >>> rows = customer_rows(Partition(_example_log(), customer=True))
    >>> count_cohorts(rows, "M")["cohorts.sizes.M"]["customers"].tolist()
    [2]
    """
    role = rows["role"].to_numpy()
    first = rows[role == 1]
    start = first.groupby("customer", sort=True)["time"].min()
    cohort_of = _period(start, freq)
    paid = rows[role == 2]
    paid_period = _period(paid["time"], freq)
    cohort = pd.PeriodIndex(cohort_of.reindex(paid["customer"].to_numpy()).array, freq=freq)
    offset = pd.PeriodIndex(paid_period, freq=freq).asi8 - cohort.asi8  # whole periods
    active = pd.DataFrame({"cohort": cohort, "offset": offset,
                           "customer": paid["customer"].to_numpy()}).drop_duplicates()
    sizes = pd.DataFrame({"cohort": pd.PeriodIndex(cohort_of.array, freq=freq),
                          "customers": 1}).groupby("cohort", sort=True).sum().astype("int64")
    grid = active.assign(customers=1).groupby(["cohort", "offset"], sort=True)[["customers"]]
    return {f"cohorts.sizes.{freq}": sizes,
            f"cohorts.grid.{freq}": grid.sum().astype("int64")}


def cohorts_from_counts(counts: Counts, freq: str = "M") -> Cohorts:
    """``cohorts`` from its counts (``count_cohorts`` and ``count_last_time``).

    >>> counts = count_log(_example_log(), [count_last_time],
    ...                    customer_counters=[partial(count_cohorts, freq="M")])
    >>> cohorts_from_counts(counts, "M").table.values.tolist()
    [[2, 1, 1]]
    """
    sizes = counts[f"cohorts.sizes.{freq}"]["customers"]
    sizes.index = pd.PeriodIndex(sizes.index, freq=freq)
    active = counts[f"cohorts.grid.{freq}"]["customers"]
    grid = (active.unstack("offset", fill_value=0) if len(active)
            else pd.DataFrame({0: 0}, index=sizes.index))
    grid.columns = [int(c) for c in grid.columns]
    grid = grid.reindex(sizes.index, fill_value=0).astype("Int64")
    last_time = latest(counts["cohorts.last"])
    if len(grid) and last_time == last_time:  # periods after the log's last one: unknown
        last = _period(pd.Series([pd.Timestamp(int(last_time), unit="ns", tz="UTC")]),
                       freq).iloc[0].ordinal
        room = pd.Series(last - pd.PeriodIndex(grid.index, freq=freq).asi8, index=grid.index)
        grid = grid.mask(pd.DataFrame({o: room < o for o in grid.columns}, index=grid.index))
    grid.index.name = f"first {FREQUENCIES[freq]}"
    grid.columns.name = f"{FREQUENCIES[freq]}s since"
    sizes = sizes.copy()
    sizes.index.name = grid.index.name
    return Cohorts(grid, sizes.rename("customers"), freq)
