"""Events: one per row event, Stripe's JSON, newest first."""

from __future__ import annotations

import pytest

from paykit import InvalidRequestError
from paykit.event_types import EVENT_TYPES


def test_an_event_has_stripes_shape(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", idempotency_key="k1")
    event = sb.events.list().data[0]
    body = event.to_dict()
    assert set(body) == {"id", "object", "api_version", "created", "data", "livemode",
                         "pending_webhooks", "request", "type"}
    assert body["id"].startswith("evt_") and body["object"] == "event"
    assert body["type"] == "payment_intent.created"
    assert body["data"]["object"] == pi.to_dict()
    assert body["request"]["idempotency_key"] == "k1"
    assert body["request"]["id"].startswith("req_")


def test_data_object_is_the_snapshot_at_that_moment(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", metadata={"step": "1"})
    sb.payment_intents.update(pi.id, metadata={"step": "2"})
    created = sb.events.list(type="payment_intent.created").data[0]
    assert created.data.object.metadata.step == "1"


def test_events_list_newest_first_and_filter_by_wildcard(sb):
    sb.payment_intents.create(amount=1099, currency="usd", payment_method="pm_card_visa",
                              confirm=True)
    types = [e.type for e in sb.events.list()]
    assert types == ["payment_intent.succeeded", "charge.succeeded", "payment_intent.created"]
    assert [e.type for e in sb.events.list(type="charge.*")] == ["charge.succeeded"]
    page = sb.events.list(limit=1)
    assert len(page) == 1 and page.has_more
    assert sb.events.retrieve(page.data[0].id) == page.data[0]
    with pytest.raises(InvalidRequestError):
        sb.events.retrieve("evt_missing")


def test_every_event_emitted_is_a_real_stripe_type(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", capture_method="manual",
                                   payment_method="pm_card_visa", confirm=True)
    sb.payment_intents.capture(pi.id)
    assert {e.type for e in sb.events.list()} <= EVENT_TYPES


def test_retrieve_finds_events_emitted_after_an_earlier_lookup(sb):
    """The id index catches up lazily: a lookup, more events, another lookup."""
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    created = sb.events.list()[0]
    assert sb.events.retrieve(created.id).type == "payment_intent.created"
    sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    newest = sb.events.list()[0]
    assert sb.events.retrieve(newest.id).type == "payment_intent.succeeded"


def test_a_refused_request_leaves_no_event_to_retrieve(sb):
    """create(confirm=true) emits payment_intent.created, then the confirm is refused:
    the created event goes too, from the list and from retrieve's index."""
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.events.retrieve(sb.events.list()[0].id)  # the index now covers every event
    before = [event.id for event in sb.events.list()]
    with pytest.raises(InvalidRequestError) as refused:
        sb.payment_intents.create(amount=1099, currency="eur", payment_method_types=["card"],
                                  payment_method="pm_sepaDebit", confirm=True)
    assert refused.value.code == "payment_intent_incompatible_payment_method"
    assert [event.id for event in sb.events.list()] == before
    later = sb.payment_intents.create(amount=1099, currency="usd")
    newest = sb.events.list()[0]
    assert sb.events.retrieve(newest.id).data.object.id == later.id


def test_an_event_keeps_the_charge_as_it_was_when_the_charge_changes_later(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", capture_method="manual",
                                   payment_method="pm_card_visa", confirm=True)
    sb.payment_intents.capture(pi.id, amount_to_capture=500)
    authorised = sb.events.list(type="charge.succeeded")[0].data.object
    captured = sb.events.list(type="charge.captured")[0].data.object
    assert (authorised.captured, authorised.amount_captured) == (False, 0)
    assert (captured.captured, captured.amount_captured) == (True, 500)
    assert sb.charges.retrieve(captured.id).amount_refunded == 599


def test_events_list_filters_by_created_like_the_api(sb):
    sb.payment_intents.create(amount=1099, currency="usd")
    start = sb.advance(hours=1)
    later = sb.payment_intents.create(amount=2000, currency="usd")
    window = sb.events.list(created={"gte": start})
    assert [e.data.object.id for e in window] == [later.id]
    assert len(sb.events.list(created={"lt": start})) == 1
    assert [e.id for e in sb.events.list(created=start)] == [e.id for e in window]
