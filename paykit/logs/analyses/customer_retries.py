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

from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.intent_paths import intent_table

__all__ = ["CustomerRetries", "customer_retries"]


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


def customer_retries(log: Any) -> CustomerRetries:
    """Retries per customer across their intents (see the module docstring).

    >>> from paykit.logs.arrays.log_schema import finish_log
    >>> t = pd.to_datetime([0, 1, 100, 101, 102], unit="s", utc=True)
    >>> log = finish_log(pd.DataFrame({"intent": ["pi_1", "pi_1", "pi_2", "pi_2", "pi_2"],
    ...     "time": t, "customer": ["cus_1"] * 5,
    ...     "status": ["requires_payment_method", "requires_payment_method",
    ...                "requires_payment_method", "processing", "succeeded"],
    ...     "decline_code": [None, "insufficient_funds", None, None, None]}))
    >>> print(customer_retries(log))
    1 customers; 1 retried with a new intent after a failed one, 1 of them then paid
    """
    try:
        table, _ = intent_table(log, by="customer")
    except ValueError:  # no customer column with values: nothing can be linked
        table, _ = intent_table(log)
        table["group"] = None
    known = table["group"].notna().to_numpy()
    rows = table[known].sort_values(["first_seen", "intent"], kind="stable")
    customer = rows["group"].astype(str).to_numpy()
    failed = ((rows["declines"] > 0) & (rows["outcome"] != "succeeded")).to_numpy()
    succeeded = (rows["outcome"] == "succeeded").to_numpy()
    frame = pd.DataFrame({"customer": customer, "failed": failed.astype(np.int64),
                          "succeeded": succeeded})
    # failures of this customer strictly before this intent
    failed_before = frame.groupby("customer", sort=False)["failed"].cumsum() - frame["failed"]
    frame["retry"] = failed_before.to_numpy() > 0
    frame["recovering"] = frame["retry"] & frame["succeeded"]
    frame["attempts"] = rows["attempts"].to_numpy()
    frame["declines"] = rows["declines"].to_numpy()
    per_customer = frame.groupby("customer", sort=True).agg(
        intents=("failed", "size"), attempts=("attempts", "sum"), declines=("declines", "sum"),
        failed_intents=("failed", "sum"), succeeded_intents=("succeeded", "sum"),
        retries_across_intents=("retry", "sum"), recovered=("recovering", "any"))
    per_customer = per_customer.astype({c: "int64" for c in per_customer.columns
                                        if c != "recovered"})
    distribution = (per_customer.groupby("retries_across_intents")
                    .agg(customers=("intents", "size"), recovered=("recovered", "sum")))
    n_retrying = int((per_customer["retries_across_intents"] > 0).sum())
    summary = pd.Series({
        "customers": len(per_customer),
        "intents_without_customer": int((~known).sum()),
        "customers_with_failed_intent": int((per_customer["failed_intents"] > 0).sum()),
        "retrying_customers": n_retrying,
        "recovered_customers": int(per_customer["recovered"].sum()),
        "retries_across_intents": int(per_customer["retries_across_intents"].sum()),
        "mean_intents_per_customer": (float(per_customer["intents"].mean())
                                      if len(per_customer) else 0.0),
    }, dtype=object)
    return CustomerRetries(per_customer, distribution, summary)
