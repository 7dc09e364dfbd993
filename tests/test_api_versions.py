"""The table of API version changes: each row shows on one side of its version and not on
the other, in Python and over HTTP."""

from __future__ import annotations

import pytest

import paykit
from paykit import api_versions
from paykit.api_versions import CHANGES, PLATFORM_CHANGES, since, starts
from paykit.http.routes import handle

KEY = {"Authorization": "Bearer sk_test_versions"}


def _before(version: str) -> str:
    """An API version before ``version``: the day before it."""
    year, month, day = (int(x) for x in version[:10].split("-"))
    return f"{year}-{month:02d}-{day - 1:02d}" if day > 1 else f"{year - 1}-12-31"


def test_every_row_is_well_formed_and_in_order():
    keys = [c.key for c in CHANGES]
    assert len(keys) == len(set(keys))
    assert [c.version[:10] for c in CHANGES] == sorted(c.version[:10] for c in CHANGES)
    for change in (*CHANGES, *PLATFORM_CHANGES):
        assert change.url.startswith("https://docs.stripe.com/")
        assert change.objects and change.what
    assert "statuses_renamed" in api_versions.markdown_table()


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.key)
def test_since_splits_at_the_rows_version(change):
    assert since(change.key, change.version)
    assert since(change.key, "2026-09-30.endive")
    assert not since(change.key, _before(change.version))
    assert starts(change.key) == change.version[:10]


# -- each row, seen from the API ---------------------------------------------------------------


def _pair(key: str) -> tuple[paykit.Sandbox, paykit.Sandbox]:
    version = starts(key)
    return (paykit.Sandbox(seed=0, api_version=_before(version)),
            paykit.Sandbox(seed=0, api_version=version))


def test_statuses_renamed_shows_on_each_side_in_python_and_over_http():
    old, new = _pair("statuses_renamed")
    assert old.payment_intents.create(amount=1000, currency="usd").status == "requires_source"
    assert new.payment_intents.create(amount=1000, currency="usd").status == \
        "requires_payment_method"
    sb = paykit.Sandbox(seed=0)
    pi = sb.payment_intents.create(amount=1000, currency="usd")
    _, _, body = handle(sb, "GET", f"/v1/payment_intents/{pi.id}", "",
                        {**KEY, "Stripe-Version": _before(starts("statuses_renamed"))}, b"")
    assert b'"status": "requires_source"' in body


def test_automatic_payment_methods_default_shows_on_each_side():
    old, new = _pair("automatic_payment_methods_default")
    before = old.payment_intents.create(amount=1000, currency="usd")
    after = new.payment_intents.create(amount=1000, currency="usd")
    assert (before.payment_method_types, before.automatic_payment_methods) == (["card"], None)
    assert after.automatic_payment_methods["enabled"] is True
    assert old.setup_intents.create().automatic_payment_methods is None
    assert new.setup_intents.create().automatic_payment_methods["enabled"] is True


def test_capture_method_default_shows_on_each_side():
    old, new = _pair("capture_method_automatic_async")
    assert old.payment_intents.create(amount=1000, currency="usd").capture_method == \
        "automatic"
    assert new.payment_intents.create(amount=1000, currency="usd").capture_method == \
        "automatic_async"


def test_refund_events_show_on_each_side():
    old, new = _pair("refund_events_for_every_refund")
    for sb, expected in ((old, ["charge.refunded"]),
                         (new, ["charge.refunded", "refund.created"])):
        pi = sb.payment_intents.create(amount=1000, currency="usd", confirm=True,
                                       payment_method="pm_card_visa")
        sb.refunds.create(payment_intent=pi.id)
        assert [e.type for e in sb.events.list(limit=2)
                if e.type.startswith(("charge.refund", "refund."))] == expected


def test_the_card_descriptor_platform_change_reads_the_sandbox_clock():
    day = api_versions.in_effect_from("card_statement_descriptor_refused")
    params = {"amount": 1000, "currency": "usd", "payment_method_types": ["card"],
              "statement_descriptor": "Custom descriptor"}
    before = paykit.Sandbox(seed=0, api_version="2026-09-30.endive", start=day - 1)
    assert before.payment_intents.create(**params).statement_descriptor == "Custom descriptor"
    after = paykit.Sandbox(seed=0, api_version="2019-02-11", start=day)
    with pytest.raises(paykit.InvalidRequestError):
        after.payment_intents.create(**params)


def test_invoice_removed_shows_on_each_side_in_python_and_over_http():
    old, new = _pair("invoice_removed")
    for sb, has_invoice in ((old, True), (new, False)):
        pi = sb.payment_intents.create(amount=1000, currency="usd", confirm=True,
                                       payment_method="pm_card_visa")
        assert ("invoice" in pi.to_dict()) is has_invoice
        assert ("invoice" in sb.charges.retrieve(pi.latest_charge).to_dict()) is has_invoice
        event = sb.events.list(limit=1).data[0]
        assert ("invoice" in event.data.object.to_dict()) is has_invoice
    # one sandbox, two headers
    sb = paykit.Sandbox(seed=0)
    pi = sb.payment_intents.create(amount=1000, currency="usd", confirm=True,
                                   payment_method="pm_card_visa")
    for version, has_invoice in ((_before(starts("invoice_removed")), True),
                                 (starts("invoice_removed"), False)):
        headers = {**KEY, "Stripe-Version": version}
        for path in (f"/v1/payment_intents/{pi.id}", f"/v1/charges/{pi.latest_charge}"):
            _, _, body = handle(sb, "GET", path, "", headers, b"")
            assert (b'"invoice"' in body) is has_invoice, (version, path)


def test_no_refund_on_release_shows_on_each_side():
    old, new = _pair("no_refund_on_release")
    outcomes = {}
    for name, sb in (("old", old), ("new", new)):
        held = [sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                          capture_method="manual",
                                          payment_method="pm_card_visa") for _ in range(3)]
        canceled = sb.payment_intents.cancel(held[0].id)
        cancel_events = [e.type for e in sb.events.list(limit=2)]
        captured = sb.payment_intents.capture(held[1].id, amount_to_capture=1500)
        sb.advance(days=8)  # the third expires
        expired = sb.payment_intents.retrieve(held[2].id)
        charge = sb.charges.retrieve
        outcomes[name] = (
            charge(canceled.latest_charge).amount_refunded,
            charge(canceled.latest_charge).refunded,
            cancel_events[0],
            charge(captured.latest_charge).amount_refunded,
            expired.cancellation_reason,
        )
    assert outcomes["old"] == (2000, True, "payment_intent.canceled", 500, "automatic")
    assert outcomes["new"] == (0, False, "payment_intent.canceled", 0, "expired")
    assert "charge.refunded" in [e.type for e in old.events.list(limit=None)]
    assert "charge.refunded" not in [e.type for e in new.events.list(limit=None)]
