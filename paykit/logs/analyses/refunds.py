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

import pandas as pd

from paykit.logs.analyses.charge_table import charge_table
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.intent_partitions import as_log, is_dask

__all__ = ["Refunds", "refunds"]

#: The events that show a charge went through (its money was received).
_PAID_EVENTS = frozenset({"charge.succeeded", "charge.captured", "charge.refunded"})


@dataclass
class Refunds(Drawable):
    """Refunded money per currency, refunds per intent, a summary, and the time from
    payment to refund of each refunded charge."""

    by_currency: pd.DataFrame
    per_intent: pd.DataFrame
    summary: pd.Series
    time_to_refund: pd.DataFrame = field(default_factory=lambda: _times(pd.DataFrame()))

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

    >>> import paykit, paykit.logs as pl
    >>> sb = paykit.Sandbox(seed=0)
    >>> pi = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
    ...                                payment_method="pm_card_visa")
    >>> _ = sb.refunds.create(payment_intent=pi.id, amount=500)
    >>> print(refunds(pl.from_sandbox(sb)))
    1 of 1 paid charges refunded (100.0%; 0 in full), 1 refunds
    """
    frame = as_log(log)
    times = _times(charge_table(frame))
    if is_dask(frame):
        frame = frame[["intent", "charge", "event", "status", "amount", "amount_refunded",
                       "currency"]].compute()
    rows = frame[frame["charge"].notna()]
    if rows.empty:
        return _empty(times)
    event = rows["event"].astype("string")
    paid_row = (rows["status"].astype("string").eq("succeeded").fillna(False)
                | event.isin(list(_PAID_EVENTS)).fillna(False)
                | rows["amount_refunded"].fillna(0).gt(0))
    charges = pd.DataFrame({
        "charge": rows["charge"].astype(str).to_numpy(),
        "intent": rows["intent"].astype(str).to_numpy(),
        "currency": rows["currency"].astype("string").to_numpy(),
        "amount": rows["amount"].astype("Int64").to_numpy(),
        "refunded": rows["amount_refunded"].astype("Int64").to_numpy(),
        "paid": paid_row.to_numpy(dtype=bool),
        "refund_event": event.eq("charge.refunded").fillna(False).to_numpy(dtype=bool),
    })
    per_charge = charges.groupby("charge", sort=False).agg(
        intent=("intent", "first"), currency=("currency", "first"),
        amount=("amount", "max"), refunded=("refunded", "max"), paid=("paid", "any"),
        refund_events=("refund_event", "sum"))
    paid = per_charge[per_charge["paid"]].copy()
    paid["refunded"] = paid["refunded"].fillna(0)
    refunded = paid[paid["refunded"] > 0]
    # with refund events, one per refund; without (an export), one per refunded charge
    counted = refunded["refund_events"].where(refunded["refund_events"] > 0, 1)

    by_currency = paid.groupby("currency").agg(
        paid_charges=("amount", "size"), amount_paid=("amount", "sum"),
        refunded_charges=("refunded", lambda r: int((r > 0).sum())),
        amount_refunded=("refunded", "sum"))
    by_currency = by_currency.astype({"amount_paid": "int64", "amount_refunded": "int64"})
    by_currency["refunded_share"] = (by_currency["amount_refunded"]
                                     / by_currency["amount_paid"]).astype(float)
    per_intent = (counted.groupby(refunded["intent"]).sum().value_counts().sort_index()
                  .rename_axis("refunds").to_frame("intents"))
    full = int((refunded["refunded"] >= refunded["amount"]).sum())
    summary = pd.Series({
        "paid_charges": len(paid),
        "refunded_charges": len(refunded),
        "refund_rate": len(refunded) / len(paid) if len(paid) else float("nan"),
        "fully_refunded": full,
        "partially_refunded": len(refunded) - full,
        "refunds": int(counted.sum()),
        "refunded_intents": int(refunded["intent"].nunique()),
    }, dtype=object)
    return Refunds(by_currency, per_intent, _with_times(summary, times), times)


def _times(charges: pd.DataFrame) -> pd.DataFrame:
    """Per refunded charge with both times known: paid at, refunded at, the delay."""
    columns = ["charge", "intent", "currency", "paid_at", "refunded_at"]
    if charges.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        out["paid_at"] = out["refunded_at"] = pd.Series(dtype="datetime64[ns, UTC]")
    else:
        known = charges["paid_at"].notna() & charges["refunded_at"].notna()
        out = charges.loc[known, columns].reset_index(drop=True)
    out["time_to_refund"] = out["refunded_at"] - out["paid_at"]
    return out


def _with_times(summary: pd.Series, times: pd.DataFrame) -> pd.Series:
    delay = times["time_to_refund"]
    summary["median_time_to_refund"] = delay.median() if len(delay) else pd.NaT
    summary["p90_time_to_refund"] = delay.quantile(0.9) if len(delay) else pd.NaT
    return summary


def _empty(times: pd.DataFrame | None = None) -> Refunds:
    times = _times(pd.DataFrame()) if times is None else times
    return Refunds(
        pd.DataFrame(columns=["paid_charges", "amount_paid", "refunded_charges",
                              "amount_refunded", "refunded_share"]),
        pd.DataFrame(columns=["intents"]).rename_axis("refunds"),
        pd.Series({"paid_charges": 0, "refunded_charges": 0, "refund_rate": float("nan"),
                   "fully_refunded": 0, "partially_refunded": 0, "refunds": 0,
                   "refunded_intents": 0, "median_time_to_refund": pd.NaT,
                   "p90_time_to_refund": pd.NaT}, dtype=object), times)
