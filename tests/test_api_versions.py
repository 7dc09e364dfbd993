"""The table of API version changes: each row shows on one side of its version and not on
the other, in Python and over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest

import paykit
from paykit import api_versions
from paykit.api_versions import CHANGES, PLATFORM_CHANGES, since, starts
from paykit.http.forms import encode
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
    before = paykit.Sandbox(seed=0, api_version="2026-07-29.dahlia", start=day - 1)
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


# -- every response and request change of the table, on both sides of its version ------------

_SECRET = {"Authorization": "Bearer sk_test_versions"}


def _objects(sb: paykit.Sandbox) -> dict[str, tuple[dict[str, Any], str]]:
    """One object of each kind the table changes, as the sandbox answers it, and the
    path that retrieves it over HTTP."""
    customer = sb.customers.create(email="jenny@example.com")
    pi = sb.payment_intents.create(amount=2000, currency="usd", customer=customer.id,
                                   payment_method="pm_card_visa", confirm=True)
    refund = sb.refunds.create(payment_intent=pi.id, amount=500)
    seti = sb.setup_intents.create(customer=customer.id)
    method = sb.payment_methods.retrieve(pi.payment_method)
    charge = sb.charges.retrieve(pi.latest_charge)
    # a status that has an older name (statuses_renamed)
    waiting = sb.payment_intents.create(amount=2000, currency="usd")
    return {
        "payment_intent": (waiting.to_dict(), f"/v1/payment_intents/{waiting.id}"),
        "charge": (charge.to_dict(), f"/v1/charges/{charge.id}"),
        "customer": (customer.to_dict(), f"/v1/customers/{customer.id}"),
        "refund": (refund.to_dict(), f"/v1/refunds/{refund.id}"),
        "setup_intent": (seti.to_dict(), f"/v1/setup_intents/{seti.id}"),
        "payment_method": (method.to_dict(), f"/v1/payment_methods/{method.id}"),
    }


def _has(body: dict[str, Any], path: str) -> bool:
    head, _, rest = path.partition(".")
    if head not in body:
        return False
    return not rest or (isinstance(body[head], dict) and _has(body[head], rest))


def _shows(change: api_versions.VersionChange, response: api_versions.ResponseChange,
           body: dict[str, Any]) -> bool:
    """Whether ``body`` has ``response``'s change: every side of it agrees."""
    sides = [_has(body, path) for path in response.added]
    sides += [not _has(body, name) for name, _ in response.removed]
    sides += [_has(body, later) and not _has(body, earlier)
              for earlier, later in response.renamed]
    if response.status_aliases:
        sides.append(body["status"] in {s.value for s in paykit.lifecycle.Status})
    assert len(set(sides)) == 1, (change.key, body)
    return sides[0]


RESPONSE_ROWS = [(c, r) for c in CHANGES for r in c.responses]


@pytest.mark.parametrize(("change", "response"), RESPONSE_ROWS,
                         ids=[f"{c.key}-{r.object}" for c, r in RESPONSE_ROWS])
def test_each_response_change_shows_from_its_version_in_python(change, response):
    for version, expected in ((_before(change.version), False), (change.version, True)):
        body, _ = _objects(paykit.Sandbox(seed=0, api_version=version))[response.object]
        assert _shows(change, response, body) is expected, (version, body)


@pytest.mark.parametrize(("change", "response"), RESPONSE_ROWS,
                         ids=[f"{c.key}-{r.object}" for c, r in RESPONSE_ROWS])
def test_each_response_change_shows_from_its_version_over_http(change, response):
    sb = paykit.Sandbox(seed=0)
    _, path = _objects(sb)[response.object]
    for version, expected in ((_before(change.version), False), (change.version, True)):
        status, headers, body = handle(sb, "GET", path, "",
                                       {**_SECRET, "Stripe-Version": version}, b"")
        assert status == 200 and headers["Stripe-Version"] == version
        assert _shows(change, response, json.loads(body)) is expected, version


#: A value each versioned parameter accepts, and what else its object's create needs.
_VALUES = {"payment_method_types": ["card"], "allowed_payment_method_types": ["card"],
           "excluded_payment_method_types": ["us_bank_account"],
           "business_name": "Rosen Goods", "individual_name": "Jenny Rosen"}
_CREATE = {"payment_intent": ("payment_intents", {"amount": 1000, "currency": "usd"}),
           "setup_intent": ("setup_intents", {}), "customer": ("customers", {})}
REQUEST_ROWS = [(c, r, name) for c in CHANGES for r in c.requests
                for name in (*r.added, *r.refused)]


def _answer(change: api_versions.RequestChange, name: str, sb: paykit.Sandbox,
            version: str | None) -> str | None:
    """The error code of a create sending ``name`` (None: accepted), in Python
    (``version`` None: the sandbox's own) or over HTTP (its ``Stripe-Version``)."""
    resource, needed = _CREATE[change.object]
    params = {**needed, name: _VALUES[name]}
    if version is None:
        try:
            getattr(sb, resource).create(**params)
        except paykit.InvalidRequestError as error:
            assert error.param == name
            return error.code
        return None
    status, _, body = handle(sb, "POST", f"/v1/{resource}", "",
                             {**_SECRET, "Stripe-Version": version}, encode(params).encode())
    answer = json.loads(body)
    return None if status == 200 else answer["error"]["code"]


@pytest.mark.parametrize(("change", "request_change", "name"), REQUEST_ROWS,
                         ids=[f"{c.key}-{r.object}-{n}" for c, r, n in REQUEST_ROWS])
def test_each_request_change_applies_from_its_version(change, request_change, name):
    before, after = _before(change.version), change.version
    if name in request_change.added:
        expected = {before: "parameter_unknown", after: None}
    else:
        expected = {before: None, after: request_change.code}
    for version, code in expected.items():
        assert _answer(request_change, name, paykit.Sandbox(seed=0, api_version=version),
                       None) == code, ("python", version)
        assert _answer(request_change, name, paykit.Sandbox(seed=0), version) == code, (
            "http", version)


# -- the behaviour rows (no response or request data: the engine asks ``since``), over HTTP ----

def _post(sb: paykit.Sandbox, path: str, params: dict[str, Any],
          version: str | None = None) -> dict[str, Any]:
    headers = {**_SECRET, **({"Stripe-Version": version} if version else {})}
    status, _, body = handle(sb, "POST", path, "", headers, encode(params).encode())
    assert status == 200, body
    return json.loads(body)


def _get(sb: paykit.Sandbox, path: str, query: str = "") -> dict[str, Any]:
    status, _, body = handle(sb, "GET", path, query, _SECRET, b"")
    assert status == 200, body
    return json.loads(body)


def _request_defaults_over_http(key: str) -> list[Any]:
    """What a create answers with a header before ``key``'s version and from it: these
    defaults follow the request's version."""
    sb = paykit.Sandbox(seed=0)
    seen = []
    for version in (_before(starts(key)), starts(key)):
        pi = _post(sb, "/v1/payment_intents", {"amount": 1000, "currency": "usd"}, version)
        seti = _post(sb, "/v1/setup_intents", {}, version)
        seen.append((pi["capture_method"], pi["automatic_payment_methods"] is not None,
                     seti["automatic_payment_methods"] is not None))
    return seen


def test_automatic_payment_methods_default_over_http():
    assert [s[1:] for s in _request_defaults_over_http(
        "automatic_payment_methods_default")] == [(False, False), (True, True)]


def test_capture_method_default_over_http():
    assert [s[0] for s in _request_defaults_over_http("capture_method_automatic_async")] == [
        "automatic", "automatic_async"]


def test_refund_events_over_http():
    # events follow the account's version: a sandbox on each side, driven over HTTP
    old, new = _pair("refund_events_for_every_refund")
    for sb, expected in ((old, False), (new, True)):
        pi = _post(sb, "/v1/payment_intents", {"amount": 1000, "currency": "usd",
                                               "confirm": True,
                                               "payment_method": "pm_card_visa"})
        _post(sb, "/v1/refunds", {"payment_intent": pi["id"]})
        types = [e["type"] for e in _get(sb, "/v1/events")["data"]]
        assert ("refund.created" in types) is expected and "charge.refunded" in types


def test_no_refund_on_release_over_http():
    old, new = _pair("no_refund_on_release")
    for sb, refunded in ((old, 2000), (new, 0)):
        pi = _post(sb, "/v1/payment_intents", {"amount": 2000, "currency": "usd",
                                               "confirm": True, "capture_method": "manual",
                                               "payment_method": "pm_card_visa"})
        canceled = _post(sb, f"/v1/payment_intents/{pi['id']}/cancel", {})
        charge = _get(sb, f"/v1/charges/{canceled['latest_charge']}")
        assert charge["amount_refunded"] == refunded


#: The rows the engine asks ``since`` about, each with its tests above (Python and HTTP).
BEHAVIOUR_ROWS = {"automatic_payment_methods_default", "capture_method_automatic_async",
                  "refund_events_for_every_refund", "no_refund_on_release"}


def test_every_row_without_data_is_a_behaviour_tested_here():
    assert {c.key for c in CHANGES if not (c.responses or c.requests)} == BEHAVIOUR_ROWS


def test_the_markdown_table_can_keep_the_rows_of_some_objects():
    every = api_versions.markdown_table()
    intents = api_versions.markdown_table(objects=("payment_intent",))
    assert "customer_balance_renamed" in every and "customer_balance_renamed" not in intents
    assert "charges_removed" in intents and "card_statement_descriptor_refused" in intents
    assert intents.count("\n") == sum("payment_intent" in c.objects
                                      for c in (*CHANGES, *PLATFORM_CHANGES)) + 1
