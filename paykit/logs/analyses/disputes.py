"""Disputes: how many captured charges were disputed, for how much, why, and how they
ended.

A dispute shows in a log as a ``charge.dispute.*`` event (the Dispute's ``amount``,
``status`` and ``reason``, https://docs.stripe.com/api/disputes/object) or as the
Dashboard export's ``Disputed Amount``, ``Dispute Status`` and ``Dispute Reason``
columns; ``charge_table`` folds them into the charge. The dispute rate is disputed
charges over captured charges, per currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from paykit.logs.analyses.additive_counts import Counts
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.partition_counts import Partition, count_log

__all__ = ["Disputes", "count_disputes", "disputes", "disputes_from_counts"]


@dataclass
class Disputes(Drawable):
    """Per currency: captured and disputed charges and amounts; counts by reason and by
    status; a summary."""

    by_currency: pd.DataFrame
    by_reason: pd.DataFrame
    summary: pd.Series

    def _repr_html_(self) -> str:
        return (self.summary.to_frame("value")._repr_html_() + self.by_currency._repr_html_()
                + self.by_reason._repr_html_())

    def __str__(self) -> str:
        s = self.summary
        if not s["captured_charges"]:
            return "no captured charges: nothing could be disputed"
        return (f"{s['disputed_charges']} of {s['captured_charges']} captured charges disputed "
                f"({s['dispute_rate']:.2%})")


def disputes(log: Any) -> Disputes:
    """Dispute rate and amounts per currency, and disputes by reason and status.

    >>> from paykit.logs.arrays.log_schema import finish_log
    >>> log = finish_log(pd.DataFrame({"intent": ["pi_1", "pi_2", "pi_2"],
    ...     "charge": ["ch_1", "ch_2", "ch_2"], "currency": ["usd"] * 3,
    ...     "time": pd.to_datetime([0, 0, 9], unit="s", utc=True), "amount": [500, 700, None],
    ...     "event": ["charge.succeeded", "charge.succeeded", "charge.dispute.created"],
    ...     "amount_disputed": [None, None, 700], "dispute_reason": [None, None, "fraudulent"]}))
    >>> print(disputes(log))
    1 of 2 captured charges disputed (50.00%)
    """
    return disputes_from_counts(count_log(log, [count_disputes]))


def count_disputes(part: Partition) -> Counts:
    """Per currency: captured and disputed charges and amounts; per (reason, status):
    disputes.

    >>> from paykit.logs import simulate
    >>> counts = count_disputes(Partition(simulate(100, dispute_rate=0.2)))
    >>> counts["disputes.currency"]["disputed_charges"].sum()
    np.int64(24)
    """
    charges = part.charges
    captured = charges[charges["captured"]]
    disputed = (captured["amount_disputed"].notna() | captured["dispute_status"].notna()
                | captured["dispute_reason"].notna())
    currency = captured["currency"].astype(object).where(captured["currency"].notna(), "(none)")
    disputed_amount = captured["amount_disputed"].fillna(0).where(disputed, 0)
    work = pd.DataFrame({"currency": currency.astype(str), "captured_charges": 1,
                         "disputed_charges": disputed,
                         "amount_captured": captured["amount"].fillna(0).astype("int64"),
                         "amount_disputed": disputed_amount.astype("int64")})
    hit = captured[disputed]
    reasons = pd.DataFrame({
        "reason": hit["dispute_reason"].astype(object).fillna("(unknown)").astype(str),
        "status": hit["dispute_status"].astype(object).fillna("(unknown)").astype(str),
        "disputes": 1,
    })
    return {
        "disputes.currency": work.groupby("currency", sort=True).sum().astype("int64"),
        "disputes.reason": reasons.groupby(["reason", "status"], sort=True).sum()
        .astype("int64"),
    }


def disputes_from_counts(counts: Counts) -> Disputes:
    """``disputes`` from its counts (``count_disputes``, added up over the log).

    >>> from paykit.logs import simulate
    >>> print(disputes_from_counts(count_log(simulate(100, dispute_rate=0.2),
    ...                                      [count_disputes])))
    24 of 83 captured charges disputed (28.92%)
    """
    by_currency = counts["disputes.currency"].copy()
    by_currency["dispute_rate"] = (by_currency["disputed_charges"]
                                   / by_currency["captured_charges"]).astype(float)
    by_currency["disputed_share"] = (by_currency["amount_disputed"]
                                     / by_currency["amount_captured"].where(
                                         by_currency["amount_captured"] > 0)).astype(float)
    by_reason = counts["disputes.reason"]
    status = by_reason.index.get_level_values("status")
    n_captured = int(by_currency["captured_charges"].sum())
    n_disputed = int(by_currency["disputed_charges"].sum())
    summary = pd.Series({
        "captured_charges": n_captured,
        "disputed_charges": n_disputed,
        "dispute_rate": n_disputed / n_captured if n_captured else float("nan"),
        "lost": int(by_reason["disputes"][status == "lost"].sum()),
        "won": int(by_reason["disputes"][status == "won"].sum()),
    }, dtype=object)
    return Disputes(by_currency, by_reason, summary)
