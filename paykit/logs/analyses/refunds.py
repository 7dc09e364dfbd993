"""Refunds: how much of what was paid went back, how often, and how many times per intent.

A charge's ``amount_refunded`` is cumulative: "Amount in cents … refunded (can be less
than the amount attribute on the charge if a partial refund was issued)"
(https://docs.stripe.com/api/charges/object), so the last value a log holds for a charge
is what was refunded on it. Event logs also carry one ``charge.refunded`` event per refund
("including partial refunds", https://docs.stripe.com/api/events/types): where they are,
the refunds per intent are counted from them; a Dashboard export has only the total per
charge, so there a refunded charge counts once.

The time to refund runs from the charge's first authorised row to its refund: the
export's ``Refunded date (UTC)``, or the first ``charge.refunded`` event
(``charge_table``). An export that keeps the refund date only (not the first of
several refunds) gives the time to the date it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.additive_counts import Counts, percentiles, value_counts
from paykit.logs.analyses.charge_table import charge_table
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.intent_partitions import as_log, is_dask
from paykit.logs.analyses.partition_counts import Partition, count_log, lazy_rows

__all__ = ["Refunds", "count_refunds", "refund_times", "refunds", "refunds_from_counts",
           "summarise_delays", "time_to_refund_rows"]

#: The quantiles of the time to refund the summary gives: the median and the 90th.
_QUANTILES = (0.5, 0.9)
#: The events that show a charge went through (its money was received).
_PAID_EVENTS = frozenset({"charge.succeeded", "charge.captured", "charge.refunded"})


@dataclass
class Refunds(Drawable):
    """Refunded money per currency, refunds per intent, a summary, and the time from
    payment to refund of each refunded charge."""

    by_currency: pd.DataFrame
    per_intent: pd.DataFrame
    summary: pd.Series
    time_to_refund: pd.DataFrame = field(default_factory=lambda: refund_times(pd.DataFrame()))

    def _repr_html_(self) -> str:
        return (self.summary.to_frame("value")._repr_html_()
                + self.by_currency._repr_html_() + self.per_intent._repr_html_())

    def __str__(self) -> str:
        s = self.summary
        if not s["paid_charges"]:
            return "no paid charges: nothing could be refunded"
        return (f"{s['refunded_charges']} of {s['paid_charges']} paid charges refunded "
                f"({s['refund_rate']:.1%}; {s['fully_refunded']} in full), "
                f"{s['refunds']} refunds")


def refunds(log: Any) -> Refunds:
    """Refunds in a log: per currency the money paid and refunded, per intent how many
    refunds, and a summary (paid and refunded charges, the refund rate, full and partial).

    On a Dask log, ``time_to_refund`` (one row per refunded charge) is a Dask DataFrame
    left on the cluster; the summary's median and 90th percentile are exact all the same.

    >>> import paykit, paykit.logs as pl
    >>> sb = paykit.Sandbox(seed=0)
    >>> pi = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
    ...                                payment_method="pm_card_visa")
    >>> _ = sb.refunds.create(payment_intent=pi.id, amount=500)
    >>> print(refunds(pl.from_sandbox(sb)))
    1 of 1 paid charges refunded (100.0%; 0 in full), 1 refunds
    """
    frame = as_log(log)
    if is_dask(frame):
        counts = count_log(frame, [count_refunds], finish=[summarise_delays])
        return refunds_from_counts(counts, time_to_refund_rows(frame))
    part = Partition(frame)  # one charge table for the counts and the rows
    return refunds_from_counts(summarise_delays(count_refunds(part)), refund_times(part.charges))


def time_to_refund_rows(log: Any) -> Any:
    """One row per refunded charge with both times known: a pandas frame, or a Dask
    DataFrame (not computed) for a Dask log.

    >>> from paykit.logs import simulate
    >>> list(time_to_refund_rows(simulate(100, refund_rate=0.2)).columns)[-2:]
    ['refunded_at', 'time_to_refund']
    """
    log = as_log(log)
    if is_dask(log):
        return lazy_rows(log, _partition_times)
    return refund_times(charge_table(log))


def _partition_times(part: Partition) -> pd.DataFrame:
    return refund_times(part.charges)


def count_refunds(part: Partition) -> Counts:
    """Per currency: paid and refunded charges and money; per number of refunds: the
    intents; the totals; and the value counts of the delays from payment to refund.

    >>> from paykit.logs import simulate
    >>> counts = count_refunds(Partition(simulate(300, refund_rate=0.1)))
    >>> int(counts["refunds.totals"].loc["all", "refunded_charges"]) > 0
    True
    """
    frame = part.frame
    delay = refund_times(part.charges)["time_to_refund"].to_numpy(dtype="m8[ns]").view(np.int64)
    counts = {"refunds.delays": value_counts(delay, "time_to_refund")}
    rows = frame[frame["charge"].notna()]
    event = rows["event"].astype("string")
    paid_row = (rows["status"].astype("string").eq("succeeded").fillna(False)
                | event.isin(list(_PAID_EVENTS)).fillna(False)
                | rows["amount_refunded"].fillna(0).gt(0))
    charges = pd.DataFrame({
        "charge": rows["charge"].astype(str).to_numpy(),
        "intent": rows["intent"].astype(str).to_numpy(),
        "currency": rows["currency"].astype(object).to_numpy(),
        "amount": rows["amount"].astype("Int64").to_numpy(),
        "refunded": rows["amount_refunded"].astype("Int64").to_numpy(),
        "paid": paid_row.to_numpy(dtype=bool),
        "refund_event": event.eq("charge.refunded").fillna(False).to_numpy(dtype=bool),
    })
    # a charge belongs to one intent (as in ``charge_table``)
    per_charge = charges.groupby(["charge", "intent"], sort=False).agg(
        currency=("currency", "first"), amount=("amount", "max"),
        refunded=("refunded", "max"), paid=("paid", "any"),
        refund_events=("refund_event", "sum")).reset_index()
    paid = per_charge[per_charge["paid"]]
    refunded_amount = paid["refunded"].fillna(0).astype("int64")
    refunded = paid[refunded_amount > 0]
    # with refund events, one per refund; without (an export), one per refunded charge
    counted = refunded["refund_events"].where(refunded["refund_events"] > 0, 1).astype("int64")
    is_refunded = (refunded_amount > 0).to_numpy(dtype="int64")
    known = paid["currency"].notna().to_numpy()
    counts["refunds.currency"] = pd.DataFrame({
        "currency": paid["currency"].to_numpy()[known].astype(str),
        "paid_charges": 1,
        "amount_paid": paid["amount"].fillna(0).astype("int64").to_numpy()[known],
        "refunded_charges": is_refunded[known],
        "amount_refunded": refunded_amount.to_numpy()[known],
    }).groupby("currency", sort=True).sum().astype("int64")
    per_intent = counted.groupby(refunded["intent"].to_numpy()).sum()
    counts["refunds.per_intent"] = (pd.DataFrame({"refunds": per_intent.to_numpy(), "intents": 1})
                                    .groupby("refunds", sort=True).sum().astype("int64"))
    full = int((refunded["refunded"] >= refunded["amount"]).fillna(False).sum())
    counts["refunds.totals"] = pd.DataFrame({
        "paid_charges": [len(paid)], "refunded_charges": [len(refunded)],
        "fully_refunded": [full], "refunds": [int(counted.sum())],
        "refunded_intents": [int(refunded["intent"].nunique())],
    }, index=pd.Index(["all"], name="total"))
    return counts


def summarise_delays(counts: Counts) -> Counts:
    """The counts with the delays' value counts (which grow with the log's time span)
    replaced by their median and 90th percentile, in nanoseconds.

    >>> from paykit.logs.analyses.additive_counts import value_counts
    >>> counts = {"refunds.delays": value_counts(np.array([10, 20, 20, 90]), "time_to_refund")}
    >>> summarise_delays(counts)["refunds.delay_figures"]["delay"].tolist()
    [20, 69]
    """
    out = dict(counts)
    delays = out.pop("refunds.delays")
    values = (percentiles(delays.index.to_numpy(), delays["count"].to_numpy(), _QUANTILES)
              if len(delays) else [])
    out["refunds.delay_figures"] = pd.DataFrame(
        {"delay": np.array([round(v) for v in values], dtype=np.int64)},
        index=pd.Index(list(_QUANTILES)[:len(values)], name="quantile"))
    return out


def refunds_from_counts(counts: Counts, time_to_refund: Any = None) -> Refunds:
    """``refunds`` from its counts (``count_refunds``, added up over the log) and the
    rows of ``time_to_refund`` (``time_to_refund_rows``; none when not given).

    >>> from paykit.logs import simulate
    >>> log = simulate(300, refund_rate=0.1)
    >>> counts = count_log(log, [count_refunds], finish=[summarise_delays])
    >>> result = refunds_from_counts(counts, time_to_refund_rows(log))
    >>> len(result.time_to_refund) == result.summary["refunded_charges"]
    True
    """
    times = refund_times(pd.DataFrame()) if time_to_refund is None else time_to_refund
    by_currency = counts["refunds.currency"].copy()
    by_currency["refunded_share"] = (by_currency["amount_refunded"]
                                     / by_currency["amount_paid"]).astype(float)
    per_intent = counts["refunds.per_intent"]
    totals = counts["refunds.totals"].iloc[0].astype(int)
    n_paid, n_refunded = int(totals["paid_charges"]), int(totals["refunded_charges"])
    figures = (counts if "refunds.delay_figures" in counts
               else summarise_delays(counts))["refunds.delay_figures"]
    median, p90 = (pd.Timedelta(int(figures.loc[q, "delay"]), unit="ns") if len(figures)
                   else pd.NaT for q in _QUANTILES)
    summary = pd.Series({
        "paid_charges": n_paid,
        "refunded_charges": n_refunded,
        "refund_rate": n_refunded / n_paid if n_paid else float("nan"),
        "fully_refunded": int(totals["fully_refunded"]),
        "partially_refunded": n_refunded - int(totals["fully_refunded"]),
        "refunds": int(totals["refunds"]),
        "refunded_intents": int(totals["refunded_intents"]),
        "median_time_to_refund": median,
        "p90_time_to_refund": p90,
    }, dtype=object)
    return Refunds(by_currency, per_intent, summary, times)


def refund_times(charges: pd.DataFrame) -> pd.DataFrame:
    """Per refunded charge with both times known: paid at, refunded at, the delay.

    >>> refund_times(pd.DataFrame()).columns.tolist()[-1]
    'time_to_refund'
    """
    columns = ["charge", "intent", "currency", "paid_at", "refunded_at"]
    if charges.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        out["paid_at"] = out["refunded_at"] = pd.Series(dtype="datetime64[ns, UTC]")
    else:
        known = charges["paid_at"].notna() & charges["refunded_at"].notna()
        out = charges.loc[known, columns].reset_index(drop=True)
    out["time_to_refund"] = out["refunded_at"] - out["paid_at"]
    return out
