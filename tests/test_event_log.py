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
        sb.payment_intents.create(amount=1099, currency="eur",
                                  allowed_payment_method_types=["card"],
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
    # since 2025-03-31.basil the uncaptured rest is released, not refunded
    assert sb.charges.retrieve(captured.id).amount_refunded == 0


def test_events_list_filters_by_created_like_the_api(sb):
    sb.payment_intents.create(amount=1099, currency="usd")
    start = sb.advance(hours=1)
    later = sb.payment_intents.create(amount=2000, currency="usd")
    window = sb.events.list(created={"gte": start})
    assert [e.data.object.id for e in window] == [later.id]
    assert len(sb.events.list(created={"lt": start})) == 1
    assert [e.id for e in sb.events.list(created=start)] == [e.id for e in window]


# -- bounded work: a list costs its page --------------------------------------------------


def _paid(sb, count):
    for _ in range(count):
        sb.payment_intents.create(amount=1099, currency="usd", payment_method="pm_card_visa",
                                  confirm=True)


def test_a_page_renders_only_its_own_events(sb, monkeypatch):
    from paykit.event_log import EventLog

    _paid(sb, 200)  # 600 events
    rendered = []
    render = EventLog.render
    monkeypatch.setattr(EventLog, "render",
                        lambda self, record: rendered.append(record.id) or render(self, record))
    page = sb.events.list(type="charge.*", limit=3)
    assert [e.type for e in page] == ["charge.succeeded"] * 3 and page.has_more
    assert rendered == [e.id for e in page]


def test_the_type_filter_takes_star_as_its_only_wildcard(sb):
    _paid(sb, 1)
    assert [e.type for e in sb.events.list(type="*.succeeded")] == [
        "payment_intent.succeeded", "charge.succeeded"]
    assert [e.type for e in sb.events.list(type="payment_intent.*ed")] == [
        "payment_intent.succeeded", "payment_intent.created"]
    assert len(sb.events.list(type="*")) == 3
    assert len(sb.events.list(type="[pc]harge.*")) == 0  # not fnmatch: [ is a character
    assert len(sb.events.list(type="charge.succeeded?")) == 0


def test_a_type_pattern_longer_than_stripe_allows_is_refused_naming_type(sb):
    with pytest.raises(InvalidRequestError) as caught:
        sb.events.list(type="[" * 20_000)
    assert caught.value.param == "type" and "5000" in caught.value.message
    assert len(sb.events.list(type="[" * 5000)) == 0  # at the cap: read, matches nothing


def test_more_than_twenty_types_are_refused_as_stripe_does(sb):
    with pytest.raises(InvalidRequestError) as caught:
        sb.events.list(types=[f"charge.t{n}" for n in range(21)])
    assert caught.value.param == "types"


def test_type_and_types_narrow_together_and_pages_follow_the_cursor(sb):
    _paid(sb, 4)
    both = sb.events.list(type="charge.*", types=["charge.succeeded",
                                                   "payment_intent.created"])
    assert [e.type for e in both] == ["charge.succeeded"] * 4
    first = sb.events.list(types=["charge.succeeded", "payment_intent.created"], limit=3)
    rest = sb.events.list(types=["charge.succeeded", "payment_intent.created"], limit=10,
                          starting_after=first.data[-1].id)
    every = sb.events.list(types=["charge.succeeded", "payment_intent.created"])
    assert [e.id for e in first] + [e.id for e in rest] == [e.id for e in every]
    back = sb.events.list(types=["charge.succeeded", "payment_intent.created"], limit=2,
                          ending_before=rest.data[0].id)
    assert [e.id for e in back] == [e.id for e in first][-2:] and back.has_more


def test_a_cursor_outside_the_filter_is_not_found(sb):
    _paid(sb, 1)
    created = sb.events.list(type="payment_intent.created").data[0]
    with pytest.raises(InvalidRequestError) as caught:
        sb.events.list(type="charge.*", starting_after=created.id)
    assert (caught.value.http_status, caught.value.param) == (404, "starting_after")


def test_events_of_a_refused_request_leave_the_index_too(sb):
    _paid(sb, 1)
    assert len(sb.events.list()) == 3  # the index now covers three events
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.capture(pi.id)  # refused: its events are forgotten
    _paid(sb, 1)
    events = sb.events.list()
    assert len(events) == 7 and len({e.id for e in events}) == 7
    assert all(sb.events.retrieve(e.id) == e for e in events)


def test_truncate_forgets_indexed_events_and_new_ones_are_found():
    from paykit.event_log import EventLog

    log = EventLog("2026-09-30.endive")
    for n in range(3):
        log.append(f"evt_{n}", f"charge.t{n}", 100 + n, (None, None), "charge", (f"ch_{n}",))
    assert [r.id for r in log.select()[0]] == ["evt_2", "evt_1", "evt_0"]  # indexed
    log.truncate(1)
    log.append("evt_9", "charge.t1", 105, (None, None), "charge", ("ch_9",))
    assert [r.id for r in log.select()[0]] == ["evt_9", "evt_0"]
    assert [r.id for r in log.select(type="charge.t1")[0]] == ["evt_9"]
    assert [r.id for r in log.select(created={"gte": 101})[0]] == ["evt_9"]
    with pytest.raises(InvalidRequestError):
        log.get("evt_2")


def test_the_object_filter_reads_that_objects_events_only(sb):
    ids = [sb.payment_intents.create(amount=1000 + n, currency="usd",
                                     payment_method="pm_card_visa", confirm=True).id
           for n in range(30)]
    mine = sb.events.list(object_id=ids[3], limit=None).data
    assert [e.type for e in mine] == ["payment_intent.succeeded", "payment_intent.created"]
    assert {e.data.object.id for e in mine} == {ids[3]}
    page = sb.events.list(object_id=ids[3], limit=1)
    assert page.has_more
    rest = sb.events.list(object_id=ids[3], starting_after=page.data[0].id)
    assert [e.type for e in rest.data] == ["payment_intent.created"]
    only = sb.events.list(object_id=ids[3], type="payment_intent.created").data
    assert [e.type for e in only] == ["payment_intent.created"]
    with pytest.raises(InvalidRequestError):  # an event of another object
        sb.events.list(object_id=ids[3], starting_after=sb.events.list(
            object_id=ids[4]).data[0].id)
