"""sb.refunds: full and partial refunds, Stripe's refusals, the asynchronous test cards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import paykit
from paykit.api_versions import response_changes
from paykit.refunds import CARD_REFUND_DELAY_SECONDS
from paykit.versioned_json import render

SPEC_FILE = Path(__file__).resolve().parents[2] / "shared" / "reference" / \
    "stripe_openapi_next.json"


def _paid(sb: paykit.Sandbox, method: str = "pm_card_visa", amount: int = 2000,
          currency: str = "usd", **params: Any) -> Any:
    return sb.payment_intents.create(amount=amount, currency=currency, payment_method=method,
                                     confirm=True, **params)


def _charge(sb: paykit.Sandbox, pi: Any) -> Any:
    return sb.charges.retrieve(pi.latest_charge)


def test_a_partial_then_a_full_refund(sb):
    pi = _paid(sb)
    first = sb.refunds.create(payment_intent=pi.id, amount=500, reason="requested_by_customer")
    assert (first.status, first.amount, first.charge, first.reason) == (
        "succeeded", 500, pi.latest_charge, "requested_by_customer")
    assert first.id.startswith("re_") and first.currency == "usd"
    charge = _charge(sb, pi)
    assert (charge.amount_refunded, charge.refunded) == (500, False)
    rest = sb.refunds.create(charge=pi.latest_charge)  # no amount: all that is left
    assert rest.amount == 1500
    charge = _charge(sb, pi)
    assert (charge.amount_refunded, charge.refunded) == (2000, True)
    # the intent keeps its status and what it received
    intent = sb.payment_intents.retrieve(pi.id)
    assert (intent.status, intent.amount_received) == ("succeeded", 2000)
    types = [e.type for e in sb.events.list(limit=4)]
    assert types == ["charge.refunded", "refund.created", "charge.refunded", "refund.created"]
    refunded_event = sb.events.list(limit=1).data[0]
    assert refunded_event.data.object.object == "charge"
    assert refunded_event.data.object.amount_refunded == 2000


def test_refusals_name_the_amounts_and_change_nothing(sb):
    pi = _paid(sb)
    sb.refunds.create(payment_intent=pi.id, amount=500)
    events = len(sb.events.list(limit=100).data)
    with pytest.raises(paykit.InvalidRequestError) as too_much:
        sb.refunds.create(payment_intent=pi.id, amount=1600)
    assert too_much.value.param == "amount" and too_much.value.code is None
    assert str(too_much.value.message) == (
        "Refund amount ($16.00) is greater than unrefunded amount on charge ($15.00)")
    with pytest.raises(paykit.InvalidRequestError, match=r"greater than charge amount \(\$20"):
        sb.refunds.create(payment_intent=pi.id, amount=2500)
    assert _charge(sb, pi).amount_refunded == 500
    assert len(sb.events.list(limit=100).data) == events
    assert len(sb.refunds.list().data) == 1


def test_a_fully_refunded_charge_cannot_be_refunded_again(sb):
    pi = _paid(sb)
    sb.refunds.create(payment_intent=pi.id)
    with pytest.raises(paykit.InvalidRequestError) as error:
        sb.refunds.create(payment_intent=pi.id)
    assert error.value.code == "charge_already_refunded"
    assert error.value.message == f"Charge {pi.latest_charge} has already been refunded."


def test_an_uncaptured_or_unpaid_intent_is_refused(sb):
    held = _paid(sb, capture_method="manual")
    with pytest.raises(paykit.InvalidRequestError, match="Cancel the PaymentIntent"):
        sb.refunds.create(payment_intent=held.id)
    with pytest.raises(paykit.InvalidRequestError, match="has not been captured"):
        sb.refunds.create(charge=held.latest_charge)
    unpaid = sb.payment_intents.create(amount=1000, currency="usd")
    with pytest.raises(paykit.InvalidRequestError,
                       match="does not have a successful charge to refund"):
        sb.refunds.create(payment_intent=unpaid.id)
    with pytest.raises(paykit.CardError):
        _paid(sb, "pm_card_chargeDeclined")
    failed = sb.charges.list(limit=1).data[0]
    with pytest.raises(paykit.InvalidRequestError, match="has not succeeded"):
        sb.refunds.create(charge=failed.id)


@pytest.mark.parametrize(("params", "param"), [
    ({}, "charge"),
    ({"payment_intent": "pi_nope"}, "payment_intent"),
    ({"charge": "ch_nope"}, "charge"),
    ({"payment_intent": "x", "amount": 0}, "amount"),
    ({"payment_intent": "x", "reason": "changed_mind"}, "reason"),
    ({"payment_intent": "x", "refund_application_fee": True}, "refund_application_fee"),
])
def test_bad_parameters_name_the_parameter(sb, params, param):
    with pytest.raises(paykit.InvalidRequestError) as error:
        sb.refunds.create(**params)
    assert error.value.param == param


def test_form_text_reads_as_in_every_other_object(sb):
    pi = _paid(sb)
    refund = sb.refunds.create(payment_intent=pi.id, amount="700", metadata={"n": 1})
    assert refund.amount == 700 and refund.metadata == {"n": "1"}


def test_pending_refund_settles_with_the_clock(sb):
    pi = _paid(sb, "pm_card_pendingRefund")
    refund = sb.refunds.create(payment_intent=pi.id)
    assert refund.status == "pending"
    sb.advance(seconds=CARD_REFUND_DELAY_SECONDS - 1)
    assert sb.refunds.retrieve(refund.id).status == "pending"
    sb.advance(seconds=1)
    assert sb.refunds.retrieve(refund.id).status == "succeeded"
    assert [e.type for e in sb.events.list(limit=2)] == ["charge.refund.updated",
                                                         "refund.updated"]


def test_refund_that_fails_later_gives_the_amount_back(sb):
    pi = _paid(sb, "pm_card_refundFail")
    refund = sb.refunds.create(payment_intent=pi.id, amount=800)
    assert refund.status == "succeeded" and _charge(sb, pi).amount_refunded == 800
    sb.advance(days=2)
    failed = sb.refunds.retrieve(refund.id)
    assert (failed.status, failed.failure_reason) == ("failed", "expired_or_canceled_card")
    assert _charge(sb, pi).amount_refunded == 0  # paykit's choice (module docstring)
    assert [e.type for e in sb.events.list(limit=2)] == ["charge.refund.updated",
                                                         "refund.failed"]
    assert sb.refunds.create(payment_intent=pi.id).amount == 2000  # refundable again


def test_most_cards_refund_once_and_stay_succeeded(sb):
    refund = sb.refunds.create(payment_intent=_paid(sb).id)
    sb.advance(days=60)
    assert sb.refunds.retrieve(refund.id).status == "succeeded"


def test_bank_debit_refund_takes_its_settlement_delay(sb):
    pi = _paid(sb, "pm_sepaDebit", currency="eur")
    sb.advance(days=6)  # the debit settles first
    refund = sb.refunds.create(payment_intent=pi.id, amount=300)
    assert refund.status == "pending"
    sb.advance(days=6)
    assert sb.refunds.retrieve(refund.id).status == "succeeded"


def test_cancel_outside_requires_action_is_refused(sb):
    refund = sb.refunds.create(payment_intent=_paid(sb).id)
    with pytest.raises(paykit.InvalidRequestError,
                       match="Only refunds with a status of requires_action can be canceled"):
        sb.refunds.cancel(refund.id)
    with pytest.raises(paykit.InvalidRequestError, match="can be expired"):
        sb.refunds.expire(refund.id)
    assert sb.refunds.retrieve(refund.id).status == "succeeded"


def test_update_takes_only_metadata(sb):
    refund = sb.refunds.create(payment_intent=_paid(sb).id, metadata={"a": "1"})
    updated = sb.refunds.update(refund.id, metadata={"b": "2", "a": ""})
    assert updated.metadata == {"b": "2"}
    assert [e.type for e in sb.events.list(limit=2)] == ["charge.refund.updated",
                                                         "refund.updated"]
    assert sb.events.list(limit=1).data[0].data.previous_attributes == {
        "metadata": {"a": "1"}}
    with pytest.raises(paykit.InvalidRequestError) as error:
        sb.refunds.update(refund.id, amount=5)
    assert error.value.code == "parameter_unknown"
    with pytest.raises(paykit.InvalidRequestError) as missing:
        sb.refunds.retrieve("re_missing")
    assert missing.value.http_status == 404


def test_list_filters_and_pages_newest_first(sb):
    first, second = _paid(sb), _paid(sb)
    a = sb.refunds.create(payment_intent=first.id, amount=100)
    b = sb.refunds.create(payment_intent=first.id, amount=100)
    c = sb.refunds.create(payment_intent=second.id)
    assert [r.id for r in sb.refunds.list().data] == [c.id, b.id, a.id]
    assert [r.id for r in sb.refunds.list(payment_intent=first.id).data] == [b.id, a.id]
    assert [r.id for r in sb.refunds.list(charge=second.latest_charge).data] == [c.id]
    page = sb.refunds.list(limit=1, starting_after=c.id)
    assert [r.id for r in page.data] == [b.id] and page.has_more


def test_idempotent_create_replays(sb):
    pi = _paid(sb)
    one = sb.refunds.create(payment_intent=pi.id, amount=100, idempotency_key="k")
    again = sb.refunds.create(payment_intent=pi.id, amount=100, idempotency_key="k")
    assert one.id == again.id and len(sb.refunds.list().data) == 1
    with pytest.raises(paykit.IdempotencyError):
        sb.refunds.create(payment_intent=pi.id, amount=200, idempotency_key="k")


def test_events_before_acacia_use_the_charge_refund_types():
    sb = paykit.Sandbox(seed=0, api_version="2024-06-20")
    refund = sb.refunds.create(payment_intent=_paid(sb, "pm_card_pendingRefund").id)
    assert sb.events.list(limit=1).data[0].type == "charge.refunded"
    sb.advance(days=1)
    assert sb.events.list(limit=1).data[0].type == "charge.refund.updated"
    assert sb.events.list(limit=1).data[0].data.object.id == refund.id


@pytest.mark.skipif(not SPEC_FILE.exists(), reason=f"needs {SPEC_FILE}")
def test_every_refund_matches_stripes_schema(sb):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SPEC_FILE.read_text())["components"]["schemas"]["refund"]
    refunds = [sb.refunds.create(payment_intent=_paid(sb, m).id, reason="duplicate")
               for m in ("pm_card_visa", "pm_card_pendingRefund", "pm_card_refundFail")]
    sb.advance(days=2)
    today = [sb.refunds.retrieve(r.id).to_dict() for r in refunds]
    today += [e.data.object.to_dict() for e in sb.events.list(limit=100).data
              if e.type.startswith("refund.")]
    # the schema is 2024-04-10's: the refunds as that version shows them, and today's
    # differ from them by the fields the version table adds since, no more
    spec_version = json.loads(SPEC_FILE.read_text())["info"]["version"]
    added = {path for change in response_changes("refund", spec_version)
             for path in change.added}
    for body in today:
        assert set(body) - set(schema["properties"]) == added
    bodies = [render(body, spec_version) for body in today]
    properties = {name: {k: v for k, v in spec.items() if k in ("type", "enum")}
                  for name, spec in schema["properties"].items()}
    for name, spec in schema["properties"].items():
        if spec.get("nullable") and "type" in properties[name]:
            properties[name]["type"] = [properties[name]["type"], "null"]
    validator = jsonschema.Draft7Validator({"type": "object", "properties": properties,
                                            "required": schema["required"]})
    assert len(bodies) >= 6
    for body in bodies:
        assert not list(validator.iter_errors(body)), body
        assert set(body) <= set(schema["properties"]), set(body) - set(schema["properties"])
        for name, value in body.items():  # a field the schema does not make nullable
            assert value is not None or schema["properties"][name].get("nullable"), name
