"""The sandbox clock: forward only, and never past what a timestamp can show."""

from __future__ import annotations

import math

import pytest

import paykit
from paykit import InvalidRequestError
from paykit.clock import MAX_TIMESTAMP, Clock
from paykit.http.routes import handle

AUTH = {"Authorization": "Bearer sk_test_1"}


def test_the_last_instant_is_the_end_of_year_9999():
    assert Clock(MAX_TIMESTAMP).isoformat() == "9999-12-31T23:59:59Z"


@pytest.mark.parametrize("start", [MAX_TIMESTAMP + 1, -1, 10**30])
def test_a_sandbox_cannot_start_where_no_timestamp_can_show(start):
    with pytest.raises(InvalidRequestError) as caught:
        paykit.Sandbox(start=start)
    assert caught.value.param == "start"


@pytest.mark.parametrize("move", [{"days": 1e9}, {"seconds": 10.0**300}, {"days": 3_000_000}])
def test_an_advance_past_year_9999_is_refused_before_anything_moves(move):
    sb = paykit.Sandbox(seed=0)
    pi = sb.payment_intents.create(amount=1099, currency="eur", payment_method="pm_sepaDebit",
                                   allowed_payment_method_types=["sepa_debit"], confirm=True,
                                   mandate_data={"customer_acceptance": {"type": "offline"}})
    assert pi.status == "processing"  # settles 5 days later: a timer is waiting
    before, events = sb.now, len(sb.events.list())
    with pytest.raises(InvalidRequestError):
        sb.advance(**move)
    assert sb.now == before and len(sb.events.list()) == events
    assert sb.payment_intents.retrieve(pi.id).status == "processing"
    sb.advance(days=5)  # and the clock still works
    assert sb.payment_intents.retrieve(pi.id).status == "succeeded"


@pytest.mark.parametrize("amount", [math.inf, -math.inf, math.nan])
def test_an_infinite_or_nan_move_is_refused_naming_its_unit(amount):
    sb = paykit.Sandbox(seed=0)
    with pytest.raises(InvalidRequestError) as caught:
        sb.advance(hours=amount)
    assert caught.value.param == "hours" and sb.now == paykit.Sandbox(seed=0).now


def test_a_move_back_is_still_a_value_error():
    with pytest.raises(ValueError, match="forward"):
        paykit.Sandbox(seed=0).advance(days=-1)


def test_the_clock_reaches_its_last_second_and_stops_there():
    sb = paykit.Sandbox(seed=0, start=MAX_TIMESTAMP - 60)
    assert sb.advance(seconds=60) == MAX_TIMESTAMP
    with pytest.raises(InvalidRequestError):
        sb.advance(seconds=1)
    assert sb.now == MAX_TIMESTAMP


def test_over_http_a_refused_advance_is_a_400_and_the_clock_still_reads():
    sb = paykit.Sandbox(seed=0, start=MAX_TIMESTAMP - 86_400)
    status, _, body = handle(sb, "POST", "/v1/test_helpers/clock/advance", "", AUTH,
                             b"days=2")
    assert status == 400 and b'"invalid_request_error"' in body
    status, headers, body = handle(sb, "GET", "/v1/test_helpers/clock", "", AUTH, b"")
    assert status == 200 and b'"9999-12-30T23:59:59Z"' in body
    assert headers["Request-Id"].startswith("req_")
