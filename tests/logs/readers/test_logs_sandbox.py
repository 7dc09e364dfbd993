"""from_sandbox: what a notebook just did becomes the same log as an export."""

from __future__ import annotations

import pytest

from paykit.logs import conformance, from_sandbox, funnel, read_events

paykit = pytest.importorskip("paykit")


def _sandbox():
    sb = paykit.Sandbox()
    sb.payment_intents.create(amount=1000, currency="usd", payment_method="pm_card_visa",
                              confirm=True)
    declined = sb.payment_intents.create(amount=2000, currency="eur")
    with pytest.raises(paykit.CardError):
        sb.payment_intents.confirm(declined.id, payment_method="pm_card_chargeDeclined")
    sb.payment_intents.cancel(declined.id)
    return sb


def test_sandbox_events_read_like_an_export():
    sb = _sandbox()
    log, report = from_sandbox(sb)
    oldest_first = [e.to_dict() for e in sb.events.list()][::-1]  # a webhook log's order
    exported, _ = read_events(oldest_first)
    assert report.rows_read == report.rows_parsed == len(sb.events.list())
    assert log.drop(columns="source_line").equals(exported.drop(columns="source_line"))


def test_sandbox_paths_follow_the_lifecycle_and_count_the_decline():
    log, _ = from_sandbox(_sandbox())
    assert conformance(log).ok
    steps = funnel(log).table.set_index("step")["intents"]
    assert (steps["created"], steps["attempted"], steps["succeeded"]) == (2, 2, 1)
    assert log["decline_code"].dropna().iloc[0] == "generic_decline"
