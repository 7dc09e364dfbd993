"""A realistic synthetic payment log, made with numpy in one pass (1M intents in seconds).

Real exports are private, so lessons, tests and benchmarks need payments that behave
like real ones: card declines and retries, 3D Secure, manual capture, bank debits that
settle days later, customers who give up. ``simulate`` draws every random choice for
all intents at once and assembles the rows by concatenating arrays: there is no loop
per intent or per event (the only loop runs over the retry number, at most a few).

Each path follows ``paykit.lifecycle.TRANSITIONS``; ``illegal_rate`` adds one event
after a terminal status to that share of intents, for teaching the conformance check.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from paykit.lifecycle import Status
from paykit.logs.arrays.log_schema import EVENT_DTYPE, STATUS_DTYPE, empty_log, finish_log
from paykit.logs.arrays.row_sort import sort_order
from paykit.logs.arrays.transition_rules import STATUS_CODE, TIE_RANK
from paykit.payment_methods import MODELLED_TYPES

__all__ = ["DEFAULT_MIX", "simulate"]

#: Share of the intents that pay, by how the final payment goes.
DEFAULT_MIX: dict[str, float] = {
    "card": 0.70,
    "card_3ds": 0.12,
    "manual_capture": 0.08,
    "bank_debit": 0.10,
}

_DECLINES = (
    ("insufficient_funds", 0.30),
    ("generic_decline", 0.22),
    ("do_not_honor", 0.15),
    ("try_again_later", 0.08),
    ("expired_card", 0.07),
    ("incorrect_cvc", 0.07),
    ("transaction_not_allowed", 0.05),
    ("lost_card", 0.03),
    ("previously_declined_do_not_retry", 0.03),
)
_AUTH_FAILURE = "payment_intent_authentication_failure"
_DECLINE_CODES = pd.CategoricalDtype([c for c, _ in _DECLINES] + [_AUTH_FAILURE])
_CURRENCIES = (("usd", 0.55, 2), ("eur", 0.25, 2), ("gbp", 0.12, 2), ("jpy", 0.08, 0))
_PM_TYPES = pd.CategoricalDtype(list(MODELLED_TYPES))
_CHANNELS = pd.CategoricalDtype(["web", "ios", "android"])
#: Card attributes of card attempts (brand, issuing country, funding), with weights.
_BRANDS = (("visa", 0.55), ("mastercard", 0.30), ("amex", 0.10), ("discover", 0.05))
_COUNTRIES = (("US", 0.50), ("GB", 0.15), ("DE", 0.10), ("FR", 0.10), ("BR", 0.10),
              ("JP", 0.05))
_FUNDING = (("credit", 0.55), ("debit", 0.40), ("prepaid", 0.05))
#: Dispute reasons (https://docs.stripe.com/api/disputes/object), with weights.
_DISPUTE_REASONS = (("fraudulent", 0.5), ("product_not_received", 0.25),
                    ("subscription_canceled", 0.15), ("duplicate", 0.10))
_HOUR, _DAY = 3_600, 86_400

_STATUS = {status: STATUS_CODE[status] for status in Status}
_EVENT = {name: code for code, name in enumerate(EVENT_DTYPE.categories)}
_RANK = np.array([TIE_RANK[name] for name in EVENT_DTYPE.categories], dtype=np.int64)


class _Rows:
    """Columns of the rows being built, appended as whole arrays."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, intent, t, event, status=-1, decline=-1, attempt=-1) -> None:
        n = len(intent)
        if n == 0:
            return
        full = np.full
        self.parts.append((
            np.asarray(intent, np.int64),
            np.asarray(t, np.int64),
            full(n, _EVENT[event], np.int16),
            np.broadcast_to(np.asarray(status, np.int8), n),
            np.broadcast_to(np.asarray(decline, np.int16), n),
            np.broadcast_to(np.asarray(attempt, np.int16), n),
        ))

    def columns(self) -> list[np.ndarray]:
        return [np.concatenate([p[i] for p in self.parts]) for i in range(6)]


def _choice(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return np.searchsorted(np.cumsum(p / p.sum()), rng.random(n), side="right")


def simulate(
    n_intents: int,
    seed: int = 0,
    *,
    start: str = "2026-01-01",
    days: float = 30.0,
    mix: Mapping[str, float] | None = None,
    decline_rate: float = 0.2,
    retry_rate: float = 0.7,
    max_retries: int = 3,
    abandon_rate: float = 0.08,
    three_ds_failure_rate: float = 0.10,
    capture_expiry_rate: float = 0.05,
    bank_failure_rate: float = 0.05,
    illegal_rate: float = 0.0,
    refund_rate: float = 0.0,
    dispute_rate: float = 0.0,
) -> pd.DataFrame:
    """A normalised log of ``n_intents`` synthetic PaymentIntents (about 3.8 rows each).

    ``mix`` weighs how intents that pay finish: ``card``, ``card_3ds``,
    ``manual_capture``, ``bank_debit``. Each attempt declines with ``decline_rate``; after
    a decline the customer retries with ``retry_rate``, at most ``max_retries`` times.
    ``abandon_rate`` of intents are never attempted (half of them canceled later).
    ``refund_rate`` of succeeded intents get a ``charge.refunded`` (a third of them
    partial) and ``dispute_rate`` a ``charge.dispute.created``. Every intent has a
    customer (about three intents each) and card attempts a card brand, issuing country
    and funding; those are drawn from their own random stream, so adding them left every
    earlier figure of a seed unchanged.

    >>> log = simulate(1000, seed=1)
    >>> log["intent"].nunique(), sorted(log["status"].dropna().unique())[:2]
    (1000, ['canceled', 'processing'])
    """
    rng = np.random.default_rng(seed)
    n = int(n_intents)
    if n <= 0:
        return empty_log()  # no intent, no row (the log's columns all the same)
    weights = {**DEFAULT_MIX, **(mix or {})}
    flows = list(DEFAULT_MIX)
    flow = _choice(rng, [weights[f] for f in flows], n)
    ids = np.arange(n, dtype=np.int64)
    t0 = int(pd.Timestamp(start, tz="UTC").timestamp()) + (rng.random(n) * days * _DAY).astype(
        np.int64
    )
    rows = _Rows()
    rows.add(ids, t0, "payment_intent.created", _STATUS[Status.REQUIRES_PAYMENT_METHOD])

    abandoned = rng.random(n) < abandon_rate
    cancel_later = abandoned & (rng.random(n) < 0.5)
    later = rng.integers(_HOUR, 2 * _DAY, cancel_later.sum())
    rows.add(ids[cancel_later], t0[cancel_later] + later, "payment_intent.canceled",
             _STATUS[Status.CANCELED])

    # Card attempts that decline, retry by retry: each step handles every intent at once.
    is_bank = flow == flows.index("bank_debit")
    trying = ~abandoned
    t = t0 + np.where(rng.random(n) < 0.3, 0, rng.integers(5, 600, n))
    attempt = np.zeros(n, dtype=np.int16)
    gave_up = np.zeros(n, dtype=bool)
    for _ in range(max_retries + 1):
        declines = trying & ~is_bank & (rng.random(n) < decline_rate)
        who = ids[declines]
        code = _choice(rng, [w for _, w in _DECLINES], len(who)).astype(np.int16)
        rows.add(who, t[who], "charge.failed", decline=code, attempt=attempt[who])
        rows.add(who, t[who], "payment_intent.payment_failed",
                 _STATUS[Status.REQUIRES_PAYMENT_METHOD], decline=code, attempt=attempt[who])
        retry = declines & (rng.random(n) < retry_rate) & (attempt < max_retries)
        gave_up |= declines & ~retry
        trying = retry
        t = np.where(retry, t + rng.integers(30, 3 * _HOUR, n), t)
        attempt = np.where(retry, attempt + 1, attempt).astype(np.int16)
        if not retry.any():
            break
    paying = ~abandoned & ~gave_up
    cancel_gave_up = gave_up & (rng.random(n) < 0.4)
    later = rng.integers(_HOUR, _DAY, cancel_gave_up.sum())
    rows.add(ids[cancel_gave_up], t[cancel_gave_up] + later, "payment_intent.canceled",
             _STATUS[Status.CANCELED])

    succeeded = np.zeros(n, dtype=bool)
    t_end = t.copy()

    def succeed(who: np.ndarray, when: np.ndarray) -> None:
        rows.add(who, when, "charge.succeeded", attempt=attempt[who])
        rows.add(who, when, "payment_intent.succeeded", _STATUS[Status.SUCCEEDED],
                 attempt=attempt[who])
        succeeded[who] = True
        t_end[who] = when

    card = ids[paying & (flow == flows.index("card"))]
    succeed(card, t[card])

    three_ds = ids[paying & (flow == flows.index("card_3ds"))]
    rows.add(three_ds, t[three_ds], "payment_intent.requires_action",
             _STATUS[Status.REQUIRES_ACTION])
    outcome = rng.random(len(three_ds))
    later = t[three_ds] + rng.integers(10, 600, len(three_ds))
    ok = outcome >= three_ds_failure_rate + 0.05
    succeed(three_ds[ok], later[ok])
    failed = (outcome < three_ds_failure_rate)
    auth_code = np.int16(_DECLINE_CODES.categories.get_loc(_AUTH_FAILURE))
    rows.add(three_ds[failed], later[failed], "payment_intent.payment_failed",
             _STATUS[Status.REQUIRES_PAYMENT_METHOD], decline=auth_code)
    t_end[three_ds[failed]] = later[failed]

    manual = ids[paying & (flow == flows.index("manual_capture"))]
    rows.add(manual, t[manual], "charge.succeeded", attempt=attempt[manual])
    rows.add(manual, t[manual], "payment_intent.amount_capturable_updated",
             _STATUS[Status.REQUIRES_CAPTURE], attempt=attempt[manual])
    expire = rng.random(len(manual)) < capture_expiry_rate
    captured_at = t[manual] + rng.integers(_HOUR, 3 * _DAY, len(manual))
    cap = manual[~expire]
    rows.add(cap, captured_at[~expire], "charge.captured", attempt=attempt[cap])
    rows.add(cap, captured_at[~expire], "payment_intent.succeeded", _STATUS[Status.SUCCEEDED],
             attempt=attempt[cap])
    succeeded[cap] = True
    t_end[cap] = captured_at[~expire]
    gone = manual[expire]
    rows.add(gone, t0[gone] + 7 * _DAY, "charge.expired", attempt=attempt[gone])
    rows.add(gone, t0[gone] + 7 * _DAY, "payment_intent.canceled", _STATUS[Status.CANCELED])
    t_end[gone] = t0[gone] + 7 * _DAY

    bank = ids[paying & is_bank]
    rows.add(bank, t[bank], "charge.pending", attempt=attempt[bank])
    rows.add(bank, t[bank], "payment_intent.processing", _STATUS[Status.PROCESSING],
             attempt=attempt[bank])
    settle = t[bank] + rng.integers(3 * _DAY, 6 * _DAY, len(bank))
    bad = rng.random(len(bank)) < bank_failure_rate
    succeed(bank[~bad], settle[~bad])
    nsf = np.int16(_DECLINE_CODES.categories.get_loc("insufficient_funds"))
    rows.add(bank[bad], settle[bad], "charge.failed", decline=nsf, attempt=attempt[bank[bad]])
    rows.add(bank[bad], settle[bad], "payment_intent.payment_failed",
             _STATUS[Status.REQUIRES_PAYMENT_METHOD], decline=nsf, attempt=attempt[bank[bad]])
    t_end[bank[bad]] = settle[bad]

    if illegal_rate > 0:
        share = max(succeeded.mean(), 1e-9)
        wrong = ids[succeeded & (rng.random(n) < illegal_rate / share)]
        rows.add(wrong, t_end[wrong] + _HOUR, "payment_intent.payment_failed",
                 _STATUS[Status.REQUIRES_PAYMENT_METHOD], decline=np.int16(1))

    extra = np.random.default_rng([seed, 16])  # its own stream: see the docstring
    for event_type, rate, delay in (("charge.refunded", refund_rate, 20 * _DAY),
                                    ("charge.dispute.created", dispute_rate, 60 * _DAY)):
        if rate > 0:
            chosen = ids[succeeded & (extra.random(n) < rate)]
            rows.add(chosen, t_end[chosen] + extra.integers(_HOUR, delay, len(chosen)),
                     event_type, attempt=attempt[chosen])

    intent, when, event, status, decline, attempt_no = rows.columns()
    order = sort_order(intent, when, _RANK[event])
    intent, when, event = intent[order], when[order], event[order]
    status, decline, attempt_no = status[order], decline[order], attempt_no[order]
    frame = _frame(rng, n, flow, flows, is_bank, intent, when, event, status, decline,
                   attempt_no)
    return finish_log(_attributes(extra, n, frame))


def _attributes(rng: np.random.Generator, n: int, frame: pd.DataFrame) -> pd.DataFrame:
    """Customers, card details on card attempts, refunded and disputed amounts."""
    intent = frame["intent"].cat.codes.to_numpy()
    customer_of = rng.integers(0, max(n // 3, 1), n)
    customers = pd.Index([f"cus_sim{k:08d}" for k in range(max(n // 3, 1))], dtype="string")
    frame["customer"] = pd.array(customers.take(customer_of[intent]), dtype="string")
    card = (frame["payment_method_type"] == "card").to_numpy() & frame["charge"].notna().to_numpy()
    for name, table in (("card_brand", _BRANDS), ("card_country", _COUNTRIES),
                        ("card_funding", _FUNDING)):
        code = _choice(rng, [w for _, w in table], n)[intent]
        frame[name] = pd.Categorical.from_codes(np.where(card, code, -1),
                                                categories=[v for v, _ in table])
    amount = frame["amount"].to_numpy(dtype=np.int64, na_value=0)
    refund = (frame["event"] == "charge.refunded").to_numpy()
    partial = rng.random(len(frame)) < 1 / 3
    refunded = np.where(partial, amount // 2, amount)
    frame["amount_refunded"] = pd.arrays.IntegerArray(np.where(refund, refunded, 0), ~refund)
    dispute = (frame["event"] == "charge.dispute.created").to_numpy()
    frame["amount_disputed"] = pd.arrays.IntegerArray(np.where(dispute, amount, 0), ~dispute)
    reason = _choice(rng, [w for _, w in _DISPUTE_REASONS], len(frame))
    frame["dispute_reason"] = pd.Categorical.from_codes(
        np.where(dispute, reason, -1), categories=[r for r, _ in _DISPUTE_REASONS])
    frame["dispute_status"] = pd.Categorical.from_codes(
        np.where(dispute, 0, -1), categories=["needs_response"])
    return frame


def _frame(rng, n, flow, flows, is_bank, intent, when, event, status, decline, attempt_no):
    """Per-row columns from the row arrays, per-intent attributes gathered by code."""
    currency = _choice(rng, [w for _, w, _ in _CURRENCIES], n)
    currency[is_bank] = np.where(rng.random(is_bank.sum()) < 0.5, 0, 1)  # usd or eur
    exponent = np.array([e for _, _, e in _CURRENCIES])[currency]
    amount = np.round(np.exp(rng.normal(np.log(30.0), 0.9, n)), 2)
    amount = np.maximum((amount * 10.0**exponent).astype(np.int64), 100)
    pm = np.zeros(n, dtype=np.int8)
    pm[is_bank] = np.where(currency[is_bank] == 1, 1, 2)  # eur: sepa_debit, usd: ACH
    channel = _choice(rng, [0.6, 0.25, 0.15], n).astype(np.int8)
    del flow, flows

    ids = pd.Index([f"pi_sim{i:010d}" for i in range(n)], dtype="string")
    has_charge = attempt_no >= 0
    charge_key = intent[has_charge] * 8 + attempt_no[has_charge]
    unique_keys, charge_code = np.unique(charge_key, return_inverse=True)
    names = np.array([f"ch_sim{k:011d}" for k in unique_keys.tolist()], dtype=object)
    charge = np.full(len(intent), None, dtype=object)
    charge[has_charge] = names[charge_code]
    no_amount = np.zeros(len(intent), dtype=bool)

    frame = pd.DataFrame({
        "intent": pd.Categorical.from_codes(intent, dtype=pd.CategoricalDtype(ids)),
        "time": pd.DatetimeIndex((when * 1_000_000_000).view("M8[ns]")).tz_localize("UTC"),
        "status": pd.Categorical.from_codes(status, dtype=STATUS_DTYPE),
        "event": pd.Categorical.from_codes(event, dtype=EVENT_DTYPE),
        "amount": pd.arrays.IntegerArray(amount[intent], no_amount),
        "currency": pd.Categorical.from_codes(
            currency[intent], categories=[c for c, _, _ in _CURRENCIES]
        ),
        "charge": pd.array(charge, dtype="string"),
        "decline_code": pd.Categorical.from_codes(decline, dtype=_DECLINE_CODES),
        "payment_method_type": pd.Categorical.from_codes(pm[intent], dtype=_PM_TYPES),
        "metadata.channel": pd.Categorical.from_codes(channel[intent], dtype=_CHANNELS),
    })
    return finish_log(frame)
