"""Retries per customer, across intents: who comes back after a failed payment.

Retries *within* an intent are ``declines(log).retries``. Customers also retry by
starting a new PaymentIntent after one that failed (an invoice retried a few days
later, a new checkout): such an intent is a **retry across intents** when an earlier
intent of the same customer was declined and had not succeeded. A customer **recovered**
when an intent of theirs succeeded after such a failure. Intents without a customer
cannot be linked and are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.additive_counts import Counts
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.intent_partitions import as_log, is_dask
from paykit.logs.analyses.partition_counts import (
    Partition,
    count_log,
    customer_frame,
    customer_rows,
    no_customer_rows,
)

#: The customer rows retries across intents read: one per intent (no charge table).
_ROLES = ("intent",)

__all__ = ["CustomerRetries", "count_customer_retries", "count_unlinked", "customer_retries",
           "customer_retries_from_counts", "per_customer", "per_customer_rows",
           "retry_counts"]


@dataclass
class CustomerRetries(Drawable):
    """Per customer: intents, attempts, declines, retries across intents, recovered; how
    many customers made each number of retries; a summary."""

    per_customer: pd.DataFrame
    distribution: pd.DataFrame
    summary: pd.Series

    def _repr_html_(self) -> str:
        return (self.summary.to_frame("value")._repr_html_()
                + self.distribution._repr_html_())

    def __str__(self) -> str:
        s = self.summary
        if not s["customers"]:
            return f"no customer ids in the log ({s['intents_without_customer']} intents)"
        return (f"{s['customers']} customers; {s['retrying_customers']} retried with a new "
                f"intent after a failed one, {s['recovered_customers']} of them then paid")


def _two_intents_log() -> pd.DataFrame:
    """A customer declined on one intent who then pays with a new one (for the examples).

    >>> _two_intents_log()["intent"].nunique()
    2
    """
    from paykit.logs.arrays.log_schema import finish_log

    return finish_log(pd.DataFrame({
        "intent": ["pi_1", "pi_1", "pi_2", "pi_2", "pi_2"],
        "time": pd.to_datetime([0, 1, 100, 101, 102], unit="s", utc=True),
        "customer": ["cus_1"] * 5,
        "status": ["requires_payment_method", "requires_payment_method",
                   "requires_payment_method", "processing", "succeeded"],
        "decline_code": [None, "insufficient_funds", None, None, None]}))


def customer_retries(log: Any) -> CustomerRetries:
    """Retries per customer across their intents (see the module docstring).

    On a Dask log, ``per_customer`` (one row per customer) is a Dask DataFrame left on
    the cluster; the distribution and the summary are counted on the workers.

    >>> print(customer_retries(_two_intents_log()))
    1 customers; 1 retried with a new intent after a failed one, 1 of them then paid
    """
    log = as_log(log)
    if is_dask(log):
        counts = count_log(log, [count_unlinked], customer_counters=[count_customer_retries],
                           customer_roles=_ROLES, charges=False)
        return customer_retries_from_counts(counts, per_customer_rows(log))
    part = Partition(log, customer=True)
    table = per_customer(customer_rows(part, _ROLES))
    return customer_retries_from_counts({**count_unlinked(part), **retry_counts(table)}, table)


def per_customer_rows(log: Any) -> Any:
    """One row per customer: a pandas frame, or for a Dask log a Dask DataFrame (not
    computed), one partition per group of whole customers.

    >>> per_customer_rows(_two_intents_log()).index.tolist()
    ['cus_1']
    """
    log = as_log(log)
    if is_dask(log):
        return customer_frame(log, per_customer, _ROLES)
    return per_customer(customer_rows(Partition(log, customer=True), _ROLES))


def count_unlinked(part: Partition) -> Counts:
    """Intents without a customer (they cannot be linked to others).

    >>> count_unlinked(Partition(_two_intents_log(), customer=True))["retries.unlinked"].sum()
    intents    0
    dtype: int64
    """
    return {"retries.unlinked": pd.DataFrame(
        {"intents": [int(part.table["customer"].isna().sum())]},
        index=pd.Index(["all"], name="total"))}


def per_customer(rows: pd.DataFrame) -> pd.DataFrame:
    """Per customer of the rows of whole customers (``partition_counts.customer_rows``):
    intents, attempts, declines, failed and succeeded intents, retries across intents,
    and whether they recovered.

    >>> from paykit.logs.analyses.partition_counts import customer_rows
    >>> rows = customer_rows(Partition(_two_intents_log(), customer=True))
    >>> per_customer(rows).loc["cus_1", ["intents", "failed_intents", "recovered"]].tolist()
    [np.int64(2), np.int64(1), np.True_]
    """
    intents = rows[rows["role"].to_numpy() == 0]
    intents = intents.sort_values(["time", "intent"], kind="stable")
    frame = pd.DataFrame({"customer": intents["customer"].to_numpy(),
                          "failed": intents["failed"].to_numpy(dtype=np.int64),
                          "succeeded": intents["succeeded"].to_numpy(dtype=bool)})
    # failures of this customer strictly before this intent
    failed_before = frame.groupby("customer", sort=False)["failed"].cumsum() - frame["failed"]
    frame["retry"] = failed_before.to_numpy() > 0
    frame["recovering"] = frame["retry"] & frame["succeeded"]
    frame["attempts"] = intents["attempts"].to_numpy()
    frame["declines"] = intents["declines"].to_numpy()
    table = frame.groupby("customer", sort=True).agg(
        intents=("failed", "size"), attempts=("attempts", "sum"), declines=("declines", "sum"),
        failed_intents=("failed", "sum"), succeeded_intents=("succeeded", "sum"),
        retries_across_intents=("retry", "sum"), recovered=("recovering", "any"))
    return table.astype({c: "int64" for c in table.columns if c != "recovered"}
                        | {"recovered": bool})


def count_customer_retries(rows: pd.DataFrame) -> Counts:
    """Per number of retries across intents: customers, and those who recovered; the
    totals.

    >>> from paykit.logs.analyses.partition_counts import customer_rows
    >>> rows = customer_rows(Partition(_two_intents_log(), customer=True))
    >>> count_customer_retries(rows)["retries.totals"]["retrying_customers"].tolist()
    [1]
    """
    return retry_counts(per_customer(rows))


def retry_counts(table: pd.DataFrame) -> Counts:
    """``count_customer_retries`` from the table of one row per customer it counts.

    >>> from paykit.logs.analyses.partition_counts import customer_rows
    >>> table = per_customer(customer_rows(Partition(_two_intents_log(), customer=True)))
    >>> retry_counts(table)["retries.distribution"]["customers"].tolist()
    [1]
    """
    distribution = (pd.DataFrame({"retries_across_intents": table["retries_across_intents"],
                                  "customers": 1,
                                  "recovered": table["recovered"].astype("int64")})
                    .groupby("retries_across_intents", sort=True).sum().astype("int64"))
    totals = pd.DataFrame({
        "customers": [len(table)],
        "customers_with_failed_intent": [int((table["failed_intents"] > 0).sum())],
        "retrying_customers": [int((table["retries_across_intents"] > 0).sum())],
        "recovered_customers": [int(table["recovered"].sum())],
        "retries_across_intents": [int(table["retries_across_intents"].sum())],
        "intents": [int(table["intents"].sum())],
    }, index=pd.Index(["all"], name="total"))
    return {"retries.distribution": distribution, "retries.totals": totals}


def customer_retries_from_counts(counts: Counts, per_customer_table: Any = None
                                 ) -> CustomerRetries:
    """``customer_retries`` from its counts (``count_customer_retries`` and
    ``count_unlinked``) and, when given, the table of one row per customer.

    >>> counts = count_log(_two_intents_log(), [count_unlinked],
    ...                    customer_counters=[count_customer_retries])
    >>> customer_retries_from_counts(counts).summary["recovered_customers"]
    1
    """
    totals = counts["retries.totals"].iloc[0].astype(int)
    customers = int(totals["customers"])
    summary = pd.Series({
        "customers": customers,
        "intents_without_customer": int(counts["retries.unlinked"]["intents"].sum()),
        "customers_with_failed_intent": int(totals["customers_with_failed_intent"]),
        "retrying_customers": int(totals["retrying_customers"]),
        "recovered_customers": int(totals["recovered_customers"]),
        "retries_across_intents": int(totals["retries_across_intents"]),
        "mean_intents_per_customer": (int(totals["intents"]) / customers if customers
                                      else 0.0),
    }, dtype=object)
    table = (per_customer(no_customer_rows()) if per_customer_table is None
             else per_customer_table)
    return CustomerRetries(table, counts["retries.distribution"], summary)
