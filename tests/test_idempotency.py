"""Idempotency keys behave as Stripe documents them.

https://docs.stripe.com/api/idempotent_requests, https://docs.stripe.com/idempotency.
"""

from __future__ import annotations

import threading

import pytest

import paykit
from paykit import CardError, IdempotencyError, InvalidRequestError


def test_same_key_same_parameters_returns_the_same_response_and_no_new_event(sb):
    first = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="cart-42")
    events = len(sb.events.list().data)
    again = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="cart-42")
    assert again.to_dict() == first.to_dict()
    assert len(sb.payment_intents.list().data) == 1
    assert len(sb.events.list().data) == events


def test_parameter_order_does_not_matter(sb):
    first = sb.payment_intents.create(amount=1099, currency="usd", metadata={"a": "1", "b": "2"},
                                      idempotency_key="k")
    again = sb.payment_intents.create(metadata={"b": "2", "a": "1"}, currency="usd",
                                      amount=1099, idempotency_key="k")
    assert again.id == first.id


def test_same_key_different_parameters_is_an_idempotency_error(sb):
    sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="cart-42")
    with pytest.raises(IdempotencyError) as caught:
        sb.payment_intents.create(amount=2000, currency="usd", idempotency_key="cart-42")
    assert caught.value.to_dict()["error"]["type"] == "idempotency_error"
    assert len(sb.payment_intents.list().data) == 1


def test_a_key_used_on_another_endpoint_is_an_idempotency_error(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k")
    with pytest.raises(IdempotencyError):
        sb.payment_intents.cancel(pi.id, idempotency_key="k")


def test_a_replayed_decline_is_the_same_error_without_a_second_attempt(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    with pytest.raises(CardError) as first:
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined",
                                   idempotency_key="try-1")
    with pytest.raises(CardError) as again:
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined",
                                   idempotency_key="try-1")
    assert again.value.to_dict() == first.value.to_dict()
    assert len(sb.charges.list(payment_intent=pi.id).data) == 1


def test_a_validation_error_is_not_saved_so_the_key_can_be_retried(sb):
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.create(amount=10, currency="usd", idempotency_key="k")
    pi = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k")
    assert pi.amount == 1099


def test_keys_expire_after_24_hours_of_sandbox_clock(sb):
    first = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k")
    sb.advance(hours=23, minutes=59)
    assert sb.payment_intents.create(amount=1099, currency="usd",
                                     idempotency_key="k").id == first.id
    sb.advance(minutes=1)
    assert sb.payment_intents.create(amount=1099, currency="usd",
                                     idempotency_key="k").id != first.id


def test_a_replay_returns_the_saved_snapshot_not_the_current_state(sb):
    first = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k")
    sb.payment_intents.cancel(first.id)
    assert sb.payment_intents.create(amount=1099, currency="usd",
                                     idempotency_key="k").status == "requires_payment_method"


def test_a_key_longer_than_255_characters_is_refused(sb):
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k" * 256)


def test_concurrent_creates_with_one_key_make_exactly_one_intent():
    sb = paykit.Sandbox(seed=0)
    results: list[str] = []
    barrier = threading.Barrier(8)

    def create() -> None:
        barrier.wait()
        pi = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="same")
        results.append(pi.id)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and len(results) == 8
    assert len(sb.payment_intents.list().data) == 1
    assert len(sb.events.list(type="payment_intent.created").data) == 1


def test_expired_keys_are_dropped_from_the_store_not_only_ignored(sb):
    """The SDK sends a new key with every POST: a long session must not keep them all."""
    store = sb._account.idempotency
    for number in range(5):
        sb.payment_intents.create(amount=1099, currency="usd", idempotency_key=f"k{number}")
    assert len(store) == 5
    sb.advance(hours=24)
    sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="fresh")
    assert len(store) == 1


def test_a_key_reused_after_it_expired_is_kept_for_its_new_24_hours(sb):
    first = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k")
    sb.advance(hours=25)
    second = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k")
    sb.advance(hours=12)  # the old entry's age is 37 h, the new one's 12 h
    sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="other")
    again = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k")
    assert second.id != first.id
    assert again.id == second.id


def test_a_replay_reports_the_first_request_id_and_that_it_replayed(sb):
    with sb.tracing() as trace:
        sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k")
    first_id, first_replayed = trace.request_id, trace.replayed
    with sb.tracing() as trace:
        sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k")
    assert (trace.request_id, trace.replayed) == (first_id, True)
    assert first_replayed is False
    assert sb.events.list()[0].request.id == first_id


def test_each_thread_traces_its_own_calls():
    sb = paykit.Sandbox(seed=0)
    seen: dict[str, tuple[str, str]] = {}

    def work(name: str) -> None:
        with sb.tracing() as trace:
            pi = sb.payment_intents.create(amount=1099, currency="usd")
        seen[name] = (pi.id, trace.request_id)

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = {e.data.object.id: e.request.id
               for e in sb.events.list(type="payment_intent.created")}
    assert {intent: created[intent] for intent, _ in seen.values()} == dict(seen.values())
