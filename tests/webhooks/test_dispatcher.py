"""Deliveries: signed, retried on the clock, counted down, never lost, never blocking."""

from __future__ import annotations

import json
import threading
import time

import pytest
from webhook_helpers import pay

import paykit
from paykit.webhooks.schedule import RETRY_DELAYS

stripe = pytest.importorskip("stripe")


def _collect(sb: paykit.Sandbox, events: list[str] | None = None, answer=lambda n: 200):
    """An endpoint that is a Python function; returns (endpoint, what it got)."""
    got: list[tuple[bytes, dict[str, str]]] = []

    def receiver(body: bytes, headers: dict[str, str]) -> int:
        got.append((body, headers))
        return answer(len(got) - 1)

    endpoint = sb.webhook_endpoints.create(url="https://example.test/webhook",
                                           enabled_events=events or ["*"], receiver=receiver)
    return endpoint, got


def _verified(got, secret: str) -> list:
    return [stripe.Webhook.construct_event(body, headers["Stripe-Signature"], secret)
            for body, headers in got]


# -- signed deliveries -------------------------------------------------------------------


def test_the_official_sdk_verifies_every_in_process_delivery(sb) -> None:
    endpoint, got = _collect(sb)
    pay(sb)
    pay(sb, "pm_card_chargeDeclined")
    assert sb.webhook_endpoints.wait()
    events = _verified(got, endpoint.secret)
    assert [e.id for e in events] == [e.id for e in reversed(sb.events.list().data)]
    assert "payment_intent.payment_failed" in {e.type for e in events}


def test_the_official_sdk_verifies_every_delivery_over_http(sb, endpoint_factory) -> None:
    receiver = endpoint_factory()
    endpoint = sb.webhook_endpoints.create(url=receiver.url, enabled_events=["*"])
    for _ in range(5):
        pay(sb)
    assert sb.webhook_endpoints.wait()
    events = [stripe.Webhook.construct_event(r.body, r.headers["Stripe-Signature"],
                                             endpoint.secret) for r in receiver.received]
    assert len(events) == 15 == len(sb.events.list())
    assert all(r.headers["Content-Type"].startswith("application/json")
               for r in receiver.received)


def test_the_signature_time_is_the_wall_clock_while_created_stays_on_the_sandbox_clock(sb):
    _, got = _collect(sb)
    before = int(time.time())
    pay(sb)
    sb.webhook_endpoints.wait()
    stamp = int(got[0][1]["Stripe-Signature"].split(",")[0].removeprefix("t="))
    assert before <= stamp <= int(time.time())
    assert json.loads(got[0][0])["created"] == sb.now < before - 300
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(got[0][0], got[0][1]["Stripe-Signature"], "whsec_no")


def test_the_body_is_the_event_as_the_api_returns_it(sb) -> None:
    _, got = _collect(sb, ["payment_intent.succeeded"])
    pi = pay(sb)
    sb.webhook_endpoints.wait()
    sent = json.loads(got[0][0])
    stored = sb.events.retrieve(sent["id"]).to_dict()
    assert sent["data"] == stored["data"] and sent["data"]["object"]["id"] == pi.id
    assert sent["pending_webhooks"] == 1 and stored["pending_webhooks"] == 0


def test_only_the_enabled_events_are_sent(sb) -> None:
    _, got = _collect(sb, ["payment_intent.payment_failed"])
    pay(sb)
    pay(sb, "pm_card_chargeDeclined")
    sb.webhook_endpoints.wait()
    assert [json.loads(body)["type"] for body, _ in got] == ["payment_intent.payment_failed"]


def test_a_refused_request_sends_nothing(sb) -> None:
    _, got = _collect(sb)
    with pytest.raises(paykit.InvalidRequestError):
        sb.payment_intents.create(amount=1099, currency="usd", confirm=True,
                                  payment_method="pm_card_visa", capture_method="nonsense")
    sb.webhook_endpoints.wait()
    assert got == [] and len(sb.events.list()) == 0


def test_an_event_taken_back_by_a_refused_request_is_never_sent(sb) -> None:
    # creating a customer emits customer.created, then attaching its method fails: the
    # engine takes the event back before the call returns, and the worker forgets it
    _, got = _collect(sb, ["customer.created"])
    card = sb.payment_methods.create(type="card", card={
        "number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"})
    sb.customers.create(payment_method=card.id)
    with pytest.raises(paykit.InvalidRequestError, match="already been attached"):
        sb.customers.create(payment_method=card.id)
    sb.webhook_endpoints.wait()
    assert len(got) == 1 == len(sb.events.list(type="customer.created"))
    assert [d.status for d in sb.webhook_endpoints.deliveries()] == ["delivered"]


# -- retries on the sandbox clock ----------------------------------------------------------


def test_an_endpoint_answering_500_then_200_gets_the_retry_when_the_clock_passes_it(
        sb, endpoint_factory) -> None:
    receiver = endpoint_factory(answer=lambda n: 500 if n == 0 else 200)
    endpoint = sb.webhook_endpoints.create(url=receiver.url,
                                           enabled_events=["payment_intent.created"])
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.webhook_endpoints.wait()
    (delivery,) = sb.webhook_endpoints.deliveries()
    assert delivery.status == "pending" and delivery.next_retry == sb.now + RETRY_DELAYS[0]
    sb.advance(seconds=RETRY_DELAYS[0] - 1)
    sb.webhook_endpoints.wait()
    assert len(receiver.received) == 1
    sb.advance(seconds=1)
    sb.webhook_endpoints.wait()
    assert [a.outcome for a in delivery.attempts] == ["(500) ERR", "(200) OK"]
    assert [a.kind for a in delivery.attempts] == ["automatic", "retry"]
    assert delivery.status == "delivered" and delivery.attempts[1].at == sb.now
    for got in receiver.received:
        stripe.Webhook.construct_event(got.body, got.headers["Stripe-Signature"],
                                       endpoint.secret)


def test_a_failing_endpoint_gets_three_retries_then_the_delivery_is_failed(sb) -> None:
    _, got = _collect(sb, ["payment_intent.created"], answer=lambda n: 503)
    sb.payment_intents.create(amount=1099, currency="usd")
    start = sb.now
    sb.advance(days=1)  # every retry falls due inside this one move
    assert sb.webhook_endpoints.wait()
    (delivery,) = sb.webhook_endpoints.deliveries()
    assert delivery.status == "failed" and len(got) == 4
    assert [a.at - start for a in delivery.attempts] == [0, 900, 4500, 15300]
    assert sb.events.retrieve(delivery.event).pending_webhooks == 1


def test_pending_webhooks_counts_down_as_endpoints_succeed(sb) -> None:
    _collect(sb, ["payment_intent.created"])
    _collect(sb, ["payment_intent.created"], answer=lambda n: 500 if n == 0 else 200)
    _collect(sb, ["payment_intent.created"], answer=lambda n: 500 if n < 2 else 200)
    sb.payment_intents.create(amount=1099, currency="usd")
    event = sb.events.list()[0].id
    counts = []
    for minutes in (0, 15, 60):
        sb.advance(minutes=minutes)
        sb.webhook_endpoints.wait()
        counts.append(sb.events.retrieve(event).pending_webhooks)
    assert counts == [2, 1, 0]


def test_a_timeout_or_a_refused_connection_is_retried(sb, endpoint_factory) -> None:
    hanging = endpoint_factory(hang=3.0)
    sb.webhook_endpoints.timeout = 0.2
    sb.webhook_endpoints.create(url=hanging.url, enabled_events=["payment_intent.created"])
    sb.webhook_endpoints.create(url="http://127.0.0.1:9/nothing-listens",
                                enabled_events=["payment_intent.created"])
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.webhook_endpoints.wait()
    outcomes = sorted(a.outcome for a in sb.webhook_endpoints.attempts().attempts)
    assert outcomes == ["(Timed out) ERR", "(Unable to connect) ERR"]
    assert all(d.next_retry is not None for d in sb.webhook_endpoints.deliveries())


def test_a_deleted_endpoint_gets_no_more_retries(sb) -> None:
    endpoint, got = _collect(sb, ["payment_intent.created"], answer=lambda n: 500)
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.webhook_endpoints.wait()
    sb.webhook_endpoints.delete(endpoint.id)
    sb.advance(days=1)
    sb.webhook_endpoints.wait()
    (delivery,) = sb.webhook_endpoints.deliveries()
    assert len(got) == 1 and delivery.status == "canceled"


def test_a_disabled_endpoint_is_skipped_and_its_retries_stop(sb) -> None:
    endpoint, got = _collect(sb, ["payment_intent.created"], answer=lambda n: 500)
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.webhook_endpoints.wait()
    sb.webhook_endpoints.update(endpoint.id, disabled=True)
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.advance(days=1)
    sb.webhook_endpoints.wait()
    assert len(got) == 1
    assert [d.status for d in sb.webhook_endpoints.deliveries()] == ["canceled"]


def test_a_resend_makes_one_more_attempt_and_keeps_the_schedule(sb) -> None:
    endpoint, _ = _collect(sb, ["payment_intent.created"],
                           answer=lambda n: 500 if n == 0 else 200)
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.webhook_endpoints.wait()
    event = sb.events.list()[0].id
    sb.webhook_endpoints.resend(event, endpoint.id)
    sb.webhook_endpoints.wait()
    (delivery,) = sb.webhook_endpoints.deliveries()
    assert [a.kind for a in delivery.attempts] == ["automatic", "resend"]
    assert delivery.status == "delivered" and delivery.next_retry is not None
    sb.advance(minutes=15)
    sb.webhook_endpoints.wait()
    assert [a.kind for a in delivery.attempts] == ["automatic", "resend", "retry"]


# -- never blocking, never losing --------------------------------------------------------


def test_a_hanging_endpoint_delays_neither_the_api_nor_the_other_endpoints(
        sb, endpoint_factory) -> None:
    hanging = endpoint_factory(hang=2.0)
    quick = endpoint_factory()
    sb.webhook_endpoints.timeout = 2.0
    sb.webhook_endpoints.create(url=hanging.url, enabled_events=["*"])
    sb.webhook_endpoints.create(url=quick.url, enabled_events=["*"])
    started = time.monotonic()
    for _ in range(10):
        pay(sb)
    api_time = time.monotonic() - started
    quick.wait_for(30, timeout=1.5)
    quick_time = time.monotonic() - started
    assert api_time < 0.5, api_time
    assert len(quick.received) == 30 and quick_time < 1.5, quick_time
    assert len(hanging.received) == 1  # still on its first delivery


def test_every_event_is_delivered_or_recorded_failed_over_thousands(sb) -> None:
    _collect(sb, answer=lambda n: 500 if n % 7 == 3 else 200)
    for _ in range(1000):
        pay(sb)
    sb.webhook_endpoints.wait(60)
    sb.advance(days=1)
    assert sb.webhook_endpoints.wait(60)
    deliveries = sb.webhook_endpoints.deliveries()
    events = {e.id for e in sb.events.list().data}
    assert len(events) == 3000 and {d.event for d in deliveries} == events
    assert {d.status for d in deliveries} <= {"delivered", "failed"}
    for d in deliveries:
        assert d.attempts and (d.status == "delivered") == d.attempts[-1].ok
        assert d.status == "delivered" or len(d.attempts) == 4


def test_api_calls_from_many_threads_are_all_delivered(sb) -> None:
    _, got = _collect(sb)
    threads = [threading.Thread(target=lambda: [pay(sb) for _ in range(20)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sb.webhook_endpoints.wait()
    assert len({json.loads(body)["id"] for body, _ in got}) == len(got) == 240


def test_without_endpoints_the_event_log_carries_no_hook(sb) -> None:
    pay(sb)
    assert sb._account.events.webhooks is None
    assert sb.events.list()[0].pending_webhooks == 0


# -- faults, seeded ---------------------------------------------------------------------------


def _types_received(got) -> list[str]:
    return [json.loads(body)["type"] for body, _ in got]


def test_duplicate_sends_the_same_event_twice(sb) -> None:
    sb.webhook_endpoints.faults(duplicate=True)
    endpoint, got = _collect(sb)
    pay(sb)
    sb.webhook_endpoints.wait()
    ids = [e.id for e in _verified(got, endpoint.secret)]
    assert len(ids) == 6 and ids[0] == ids[1] and ids[2] == ids[3] and len(set(ids)) == 3
    assert [a.kind for a in sb.webhook_endpoints.attempts().attempts].count("duplicate") == 3


def test_out_of_order_sends_a_held_event_after_the_next_one(sb) -> None:
    sb.webhook_endpoints.faults(out_of_order=True)
    _, got = _collect(sb)
    pay(sb)
    sb.webhook_endpoints.wait()
    # the first is held until the second overtakes it; the third is held until wait()
    assert _types_received(got) == ["charge.succeeded", "payment_intent.created",
                                    "payment_intent.succeeded"]
    assert [a.faults for a in sb.webhook_endpoints.attempts().attempts] == [
        (), ("out_of_order",), ("out_of_order",)]


def test_out_of_order_with_a_seed_reorders_the_same_events_every_run() -> None:
    orders = []
    for _ in range(2):
        sb = paykit.Sandbox(seed=3)
        sb.webhook_endpoints.faults(out_of_order=0.4, seed=11)
        _, got = _collect(sb)
        for _ in range(10):
            pay(sb)
        sb.webhook_endpoints.wait()
        sb.webhook_endpoints.close()
        orders.append([json.loads(body)["id"] for body, _ in got])
    created = [e.id for e in reversed(sb.events.list().data)]
    assert orders[0] == orders[1] != created and sorted(orders[0]) == sorted(created)


def test_delay_holds_the_first_attempt_until_the_clock_passes_it(sb) -> None:
    sb.webhook_endpoints.faults(delay=True, delay_seconds=300)
    _, got = _collect(sb, ["payment_intent.created"])
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.webhook_endpoints.wait()
    assert got == []
    created = sb.now
    sb.advance(minutes=5)
    sb.webhook_endpoints.wait()
    (delivery,) = sb.webhook_endpoints.deliveries()
    assert len(got) == 1 and delivery.attempts[0].at == created + 300
    assert delivery.attempts[0].faults == ("delay",)


def test_timeout_records_a_late_answer_as_failed_and_retries_it(sb) -> None:
    sb.webhook_endpoints.faults(timeout=True)
    endpoint, got = _collect(sb, ["payment_intent.created"])
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.webhook_endpoints.wait()
    (delivery,) = sb.webhook_endpoints.deliveries()
    assert len(got) == 1 and delivery.attempts[0].outcome == "(Timed out) ERR"
    sb.advance(minutes=15)
    sb.webhook_endpoints.wait()
    assert len(got) == 2 and delivery.status == "delivered"
    assert {e.id for e in _verified(got, endpoint.secret)} == {delivery.event}


def test_a_fixed_seed_picks_the_same_deliveries_every_run() -> None:
    logs = []
    for _ in range(2):
        sb = paykit.Sandbox(seed=0)
        sb.webhook_endpoints.faults(duplicate=0.3, delay=0.3, timeout=0.3, seed=5)
        _collect(sb)
        for _ in range(10):
            pay(sb)
        sb.advance(hours=6)
        sb.webhook_endpoints.wait()
        sb.webhook_endpoints.close()
        logs.append([(a.event, a.kind, a.faults, a.outcome, a.at)
                     for a in sb.webhook_endpoints.attempts().attempts])
    assert logs[0] == logs[1]
    kinds = {fault for row in logs[0] for fault in row[2]}
    assert kinds == {"duplicate", "delay", "timeout"}
