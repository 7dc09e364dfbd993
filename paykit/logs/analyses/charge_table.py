"""One row per payment attempt (charge): what the money analyses all start from.

A log holds several rows per charge (``charge.failed`` and the intent's
``payment_intent.payment_failed``; ``charge.succeeded`` then ``charge.refunded``; a
Dashboard row). ``charge_table`` folds them into one row per charge:

- **authorised**: a row shows ``succeeded`` or ``requires_capture``, or a
  ``charge.succeeded`` / ``charge.captured`` / ``charge.refunded`` event;
- **captured** (money taken): ``succeeded``, ``charge.captured`` or ``charge.refunded``, a
  refund, or ``charge.succeeded`` on a charge never seen waiting for capture
  (``charge.succeeded`` fires at authorisation for a manual capture,
  https://docs.stripe.com/payments/place-a-hold-on-a-payment-method);
- **declined**: not authorised, and a decline code or a ``charge.failed`` event;
  attempts neither authorised nor declined (a bank debit still ``processing``) are
  **pending**;
- amounts (``amount``, ``amount_refunded``, ``fee``, converted, disputed) are the largest
  the charge showed (Stripe's ``amount_refunded`` is cumulative); attributes
  (card brand, country, customer, ...) the last one shown, else the intent's;
- **refunded_at**: the export's ``Refunded date (UTC)``, else the first
  ``charge.refunded`` event; **paid_at**: the first row showing the charge authorised.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.intent_partitions import as_log, is_dask
from paykit.logs.arrays.log_schema import COLUMNS
from paykit.logs.arrays.row_sort import time_ns

__all__ = ["ATTRIBUTES", "CHARGE_READS", "charge_table"]

#: Per-charge attributes taken from the charge's rows, else from its intent's.
ATTRIBUTES = ("customer", "currency", "payment_method_type", "card_brand", "card_country",
              "card_funding", "converted_currency", "dispute_status", "dispute_reason")
_AMOUNTS = ("amount", "amount_refunded", "fee", "converted_amount",
            "converted_amount_refunded", "amount_disputed")
_AUTHORISED_EVENTS = ("charge.succeeded", "charge.captured", "charge.refunded")
#: The columns the charge table reads (a Dask shuffle moves only these).
CHARGE_READS = ("intent", "time", "status", "event", "charge", "decline_code", "refunded_at",
           *_AMOUNTS, *ATTRIBUTES)
_DTYPES = {c.name: c.dtype for c in COLUMNS}


def _strings(values: pd.Series) -> np.ndarray:
    """Values as Python strings (object array): from a categorical's categories, taken
    once each, rather than converted row by row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        if len(codes) and codes.min() >= 0:
            return values.cat.categories.astype(str).to_numpy(dtype=object).take(codes)
    return values.astype(str).to_numpy(dtype=object)


def _flag(values: pd.Series, wanted: tuple[str, ...]) -> np.ndarray:
    return values.astype("string").isin(list(wanted)).fillna(False).to_numpy(dtype=bool)


def charge_table(log: Any, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per charge, in order of first appearance, with the flags, amounts, times
    and attributes above; ``extra`` columns (a ``by``) are carried like attributes.

    >>> import pandas as pd
    >>> from paykit.logs.arrays.log_schema import finish_log
    >>> log = finish_log(pd.DataFrame({
    ...     "intent": ["pi_1", "pi_1", "pi_1"], "charge": ["ch_1", "ch_1", "ch_2"],
    ...     "time": pd.to_datetime([1, 1, 60], unit="s", utc=True),
    ...     "event": ["charge.failed", "payment_intent.payment_failed", "charge.succeeded"],
    ...     "decline_code": ["insufficient_funds", "insufficient_funds", None]}))
    >>> charge_table(log)[["charge", "authorised", "declined"]].values.tolist()
    [['ch_1', False, True], ['ch_2', True, False]]
    """
    frame = as_log(log)
    wanted = [c for c in dict.fromkeys((*CHARGE_READS, *extra)) if c in frame.columns]
    if is_dask(frame):
        frame = frame[wanted].compute()
    frame = frame[wanted]
    for name in CHARGE_READS:
        if name not in frame.columns:
            frame = frame.assign(**{name: pd.Series(pd.NA, index=frame.index,
                                                    dtype=_DTYPES[name])})
    rows = frame[frame["charge"].notna()]
    status = rows["status"].astype("string")
    event = rows["event"].astype("string")
    authorised = (_flag(status, ("succeeded", "requires_capture"))
                  | _flag(event, _AUTHORISED_EVENTS))
    held = _flag(status, ("requires_capture",))
    refunded_row = rows["amount_refunded"].fillna(0).gt(0).to_numpy(dtype=bool)
    taken = (_flag(status, ("succeeded",)) | _flag(event, ("charge.captured", "charge.refunded"))
             | refunded_row)
    refund_event_time = rows["time"].where(_flag(event, ("charge.refunded",)))
    work = pd.DataFrame({
        "charge": _strings(rows["charge"]),
        "intent": _strings(rows["intent"]),
        "time": time_ns(rows["time"]).view("M8[ns]"),
        "authorised": authorised,
        "held": held,
        "taken": taken,
        "succeeded_event": _flag(event, ("charge.succeeded",)),
        "decline_seen": rows["decline_code"].notna().to_numpy() | _flag(event, ("charge.failed",)),
        "decline_code": rows["decline_code"].astype(object).to_numpy(),
        "paid_time": time_ns(rows["time"].where(authorised)).view("M8[ns]"),
        "refunded_at": time_ns(rows["refunded_at"].fillna(refund_event_time)).view("M8[ns]"),
    })
    for name in _AMOUNTS:
        work[name] = rows[name].astype("Int64").to_numpy()
    carried = [*ATTRIBUTES, *(c for c in extra if c not in ATTRIBUTES)]
    for name in carried:
        work[name] = rows[name].astype(object).to_numpy()
    # a charge belongs to one intent (``charge.payment_intent``): grouping by both keeps
    # a charge id shown under two intents apart, so a group of whole intents (a Dask
    # partition) holds whole charges
    grouped = work.groupby(["charge", "intent"], sort=False)
    out = grouped.agg(
        first_seen=("time", "min"),
        authorised=("authorised", "any"), held=("held", "any"), taken=("taken", "any"),
        succeeded_event=("succeeded_event", "any"), decline_seen=("decline_seen", "any"),
        decline_code=("decline_code", "last"), paid_at=("paid_time", "min"),
        refunded_at=("refunded_at", "min"),
    )
    for name in _AMOUNTS:
        out[name] = grouped[name].max()
    if carried:
        out[carried] = grouped[carried].last()
        out = _fill_from_intent(out, frame, carried)
    out["captured"] = out["taken"] | (out["succeeded_event"] & ~out["held"])
    out["declined"] = ~out["authorised"] & out["decline_seen"]
    out["pending"] = ~out["authorised"] & ~out["declined"]
    out = out.drop(columns=["taken", "succeeded_event", "decline_seen", "held"])
    for name in ("first_seen", "paid_at", "refunded_at"):
        out[name] = pd.to_datetime(out[name], utc=True)
    return out.reset_index()


def _fill_from_intent(out: pd.DataFrame, frame: pd.DataFrame, carried: list[str]
                      ) -> pd.DataFrame:
    """An attribute the charge's rows did not show, from its intent's last value."""
    gaps = [c for c in carried if out[c].isna().any()]
    if not gaps:
        return out
    per_intent = pd.DataFrame({c: frame[c].astype(object).to_numpy() for c in gaps})
    per_intent = per_intent.groupby(_strings(frame["intent"]), sort=False).last()
    # each charge's intent's row in ``per_intent``, found once for every column
    at = per_intent.index.get_indexer(out.index.get_level_values("intent"))
    for name in gaps:
        values = per_intent[name].to_numpy(dtype=object)
        of_intent = pd.Series(np.where(at >= 0, values.take(np.maximum(at, 0)) if len(values)
                                       else None, None), index=out.index)
        out[name] = out[name].fillna(of_intent)
    return out
