"""Builders for small hand-made Stripe exports, shared by the log tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import matplotlib
import pytest

matplotlib.use("Agg")

#: 2026-01-01 00:00:00 UTC: every hand-made event is dated from here.
T0 = 1_767_225_600


def _pi(intent: str, status: str | None, **fields: Any) -> dict[str, Any]:
    obj = {
        "id": intent, "object": "payment_intent", "amount": fields.pop("amount", 1000),
        "currency": fields.pop("currency", "usd"), "status": status,
        "created": fields.pop("intent_created", T0), "latest_charge": fields.pop("charge", None),
        "last_payment_error": None, "payment_method_types": [fields.pop("pm_type", "card")],
        "metadata": fields.pop("metadata", {}), "description": fields.pop("description", None),
        "statement_descriptor": fields.pop("statement_descriptor", None),
    }
    decline = fields.pop("decline", None)
    if decline:
        obj["last_payment_error"] = {"type": "card_error", "code": "card_declined",
                                     "decline_code": decline}
    obj.update(fields)
    return obj


def _event(etype: str, created: int, obj: dict[str, Any], event_id: str | None) -> dict:
    return {
        "id": event_id or f"evt_{obj['id']}_{etype}_{created}", "object": "event",
        "api_version": "2024-06-20", "created": created, "data": {"object": obj},
        "livemode": False, "pending_webhooks": 0,
        "request": {"id": None, "idempotency_key": None}, "type": etype,
    }


@pytest.fixture
def pi_event() -> Callable[..., dict]:
    """``pi_event("pi_A", "payment_intent.succeeded", T0 + 5, "succeeded", decline=...)``."""

    def make(intent: str, etype: str, created: int, status: str | None, *,
             event_id: str | None = None, **fields: Any) -> dict:
        return _event(etype, created, _pi(intent, status, **fields), event_id)

    return make


@pytest.fixture
def charge_event() -> Callable[..., dict]:
    """``charge_event("pi_A", "charge.failed", T0 + 5, "ch_1", decline="insufficient_funds")``."""

    def make(intent: str | None, etype: str, created: int, charge: str, *,
             decline: str | None = None, event_id: str | None = None, pm_type: str = "card",
             **fields: Any) -> dict:
        obj = {"id": charge, "object": "charge", "payment_intent": intent,
               "amount": fields.pop("amount", 1000), "currency": fields.pop("currency", "usd"),
               "status": "failed" if decline else "succeeded",
               "failure_code": "card_declined" if decline else None,
               "outcome": {"reason": decline, "type": "issuer_declined" if decline else
                           "authorized"},
               "payment_method_details": {"type": pm_type}, "amount_refunded": 0,
               "metadata": {}, **fields}
        return _event(etype, created, obj, event_id)

    return make


@pytest.fixture
def scenario(pi_event, charge_event) -> list[dict]:
    """Six intents with known answers (oldest event first).

    A succeeds at once; B is declined twice, then succeeds; C needs 3D Secure, then
    succeeds; D is declined, then canceled; E is never attempted; F is a bank debit that
    settles after four days.
    """
    e, c = pi_event, charge_event
    return [
        e("pi_A", "payment_intent.created", T0, "requires_payment_method"),
        c("pi_A", "charge.succeeded", T0 + 60, "ch_A1"),
        e("pi_A", "payment_intent.succeeded", T0 + 60, "succeeded", charge="ch_A1"),
        e("pi_B", "payment_intent.created", T0, "requires_payment_method"),
        c("pi_B", "charge.failed", T0 + 100, "ch_B1", decline="insufficient_funds"),
        e("pi_B", "payment_intent.payment_failed", T0 + 100, "requires_payment_method",
          decline="insufficient_funds", charge="ch_B1"),
        c("pi_B", "charge.failed", T0 + 200, "ch_B2", decline="do_not_honor"),
        e("pi_B", "payment_intent.payment_failed", T0 + 200, "requires_payment_method",
          decline="do_not_honor", charge="ch_B2"),
        c("pi_B", "charge.succeeded", T0 + 400, "ch_B3"),
        e("pi_B", "payment_intent.succeeded", T0 + 400, "succeeded", charge="ch_B3"),
        e("pi_C", "payment_intent.created", T0, "requires_payment_method", currency="eur",
          amount=2500),
        e("pi_C", "payment_intent.requires_action", T0 + 10, "requires_action", currency="eur",
          amount=2500),
        c("pi_C", "charge.succeeded", T0 + 70, "ch_C1", currency="eur", amount=2500),
        e("pi_C", "payment_intent.succeeded", T0 + 70, "succeeded", charge="ch_C1",
          currency="eur", amount=2500),
        e("pi_D", "payment_intent.created", T0, "requires_payment_method"),
        c("pi_D", "charge.failed", T0 + 30, "ch_D1", decline="generic_decline"),
        e("pi_D", "payment_intent.payment_failed", T0 + 30, "requires_payment_method",
          decline="generic_decline", charge="ch_D1"),
        e("pi_D", "payment_intent.canceled", T0 + 1000, "canceled", charge="ch_D1"),
        e("pi_E", "payment_intent.created", T0, "requires_payment_method"),
        e("pi_F", "payment_intent.created", T0, "requires_payment_method",
          pm_type="us_bank_account"),
        c("pi_F", "charge.pending", T0 + 5, "ch_F1", pm_type="us_bank_account"),
        e("pi_F", "payment_intent.processing", T0 + 5, "processing", charge="ch_F1",
          pm_type="us_bank_account"),
        c("pi_F", "charge.succeeded", T0 + 5 + 4 * 86_400, "ch_F1", pm_type="us_bank_account"),
        e("pi_F", "payment_intent.succeeded", T0 + 5 + 4 * 86_400, "succeeded",
          charge="ch_F1", pm_type="us_bank_account"),
    ]


@pytest.fixture
def scenario_log(scenario):
    """The scenario read through ``read_events`` (a JSON list)."""
    from paykit.logs import read_events

    return read_events(json.dumps(scenario).encode()).log


def jsonl(events: list[dict]) -> bytes:
    """Events as JSON Lines bytes."""
    return ("\n".join(json.dumps(e) for e in events) + "\n").encode()


@pytest.fixture
def to_jsonl() -> Callable[[list[dict]], bytes]:
    return jsonl
