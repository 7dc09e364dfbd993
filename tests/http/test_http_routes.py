"""``routes.handle``: every endpoint, the key rules, versions and Stripe-shaped errors.

These call ``handle`` directly (no socket): it is the one implementation the server
and the in-process SDK client share.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paykit
from paykit.http import routes
from paykit.http.forms import encode
from paykit.http.routes import PUBLISHABLE_PAYMENT_INTENT_FIELDS, ROUTES, handle

SECRET = "sk_test_123"
PUBLISHABLE = "pk_test_123"


def call(sb: paykit.Sandbox, method: str, path: str, params: dict[str, Any] | None = None,
         *, key: str | None = SECRET, query: str = "", body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, Any, dict[str, str]]:
    sent = {"Authorization": f"Bearer {key}"} if key else {}
    sent.update(headers or {})
    if body is None:
        body = encode(params).encode() if params else b""
    status, answered, payload = handle(sb, method, path, query, sent, body)
    return status, json.loads(payload) if payload else None, answered


def create(sb: paykit.Sandbox, **params: Any) -> dict[str, Any]:
    status, pi, _ = call(sb, "POST", "/v1/payment_intents",
                         {"amount": 1099, "currency": "usd", **params})
    assert status == 200, pi
    return pi


# -- the routes --------------------------------------------------------------------------


def test_create_answers_the_intent_as_json_with_the_version_header(sb):
    status, pi, headers = call(sb, "POST", "/v1/payment_intents",
                               {"amount": 1099, "currency": "usd"})
    assert status == 200
    assert pi["object"] == "payment_intent" and pi["status"] == "requires_payment_method"
    assert headers["Content-Type"] == "application/json"
    assert headers["Stripe-Version"] == sb.api_version
    assert pi == sb.payment_intents.retrieve(pi["id"]).to_dict()


def test_the_seed_metadata_and_types_arrive_as_the_docs_write_them(sb):
    body = b"amount=1099&currency=usd&payment_method_types[]=card&metadata[order_id]=6735"
    # on an API version of the page's time; today's refuses payment_method_types
    status, pi, _ = call(sb, "POST", "/v1/payment_intents", body=body,
                         headers={"Stripe-Version": "2022-08-01"})
    assert status == 200
    assert pi["metadata"] == {"order_id": "6735"}
    assert pi["payment_method_types"] == ["card"]
    status, refused, _ = call(sb, "POST", "/v1/payment_intents", body=body)
    assert (status, refused["error"]["code"], refused["error"]["param"]) == (
        400, "payment_method_types_no_longer_supported", "payment_method_types")


def test_indexed_arrays_as_the_sdk_sends_them_work_too(sb):
    body = b"amount=1099&currency=usd&allowed_payment_method_types[0]=card"
    assert call(sb, "POST", "/v1/payment_intents", body=body)[1]["payment_method_types"] == [
        "card"]


def test_retrieve_update_confirm_capture_cancel_and_increment(sb):
    pi = create(sb, capture_method="manual")
    path = f"/v1/payment_intents/{pi['id']}"
    assert call(sb, "GET", path)[1]["id"] == pi["id"]
    assert call(sb, "POST", path, {"description": "cart 42"})[1]["description"] == "cart 42"
    confirmed = call(sb, "POST", f"{path}/confirm", {"payment_method": "pm_card_visa"})[1]
    assert confirmed["status"] == "requires_capture"
    raised = call(sb, "POST", f"{path}/increment_authorization", {"amount": 1500})[1]
    assert raised["amount_capturable"] == 1500
    captured = call(sb, "POST", f"{path}/capture", {"amount_to_capture": 1200})[1]
    assert (captured["status"], captured["amount_received"]) == ("succeeded", 1200)
    other = create(sb)
    canceled = call(sb, "POST", f"/v1/payment_intents/{other['id']}/cancel",
                    {"cancellation_reason": "abandoned"})[1]
    assert (canceled["status"], canceled["cancellation_reason"]) == ("canceled", "abandoned")


def test_list_pages_newest_first_with_limit_and_cursors(sb):
    ids = [create(sb)["id"] for _ in range(4)]
    status, page, _ = call(sb, "GET", "/v1/payment_intents", query="limit=2")
    assert status == 200
    assert [p["id"] for p in page["data"]] == ids[::-1][:2] and page["has_more"] is True
    rest = call(sb, "GET", "/v1/payment_intents",
                query=f"limit=2&starting_after={page['data'][-1]['id']}")[1]
    assert [p["id"] for p in rest["data"]] == ids[::-1][2:] and rest["has_more"] is False
    back = call(sb, "GET", "/v1/payment_intents", query=f"ending_before={ids[0]}&limit=1")[1]
    assert [p["id"] for p in back["data"]] == [ids[1]]


def test_list_filters_by_created_with_bracket_operators(sb):
    early = create(sb)
    sb.advance(hours=1)
    late = create(sb)
    query = f"created[gt]={early['created']}"
    assert [p["id"] for p in call(sb, "GET", "/v1/payment_intents", query=query)[1]["data"]
            ] == [late["id"]]
    query = f"created={early['created']}"
    assert [p["id"] for p in call(sb, "GET", "/v1/payment_intents", query=query)[1]["data"]
            ] == [early["id"]]


@pytest.mark.parametrize("query, param", [
    ("created[after]=1", "created[after]"),
    ("created[gt]=soon", "created[gt]"),
    ("limit=0", "limit"),
    ("limit=abc", "limit"),
    ("colour=blue", "colour"),
    ("customer[x]=1", "customer"),
])
def test_bad_list_parameters_are_named_in_a_400(sb, query, param):
    status, error, _ = call(sb, "GET", "/v1/payment_intents", query=query)
    assert status == 400 and error["error"]["param"] == param


def test_payment_methods_are_created_from_test_numbers_and_retrieved(sb):
    status, pm, _ = call(sb, "POST", "/v1/payment_methods",
                         {"type": "card", "card": {"number": "4242424242424242",
                                                   "exp_month": 12, "exp_year": 2034},
                          "billing_details": {"name": "Jenny Rosen"}})
    assert status == 200 and pm["card"]["last4"] == "4242"
    assert call(sb, "GET", f"/v1/payment_methods/{pm['id']}")[1] == pm


@pytest.mark.parametrize("params, status, param", [
    ({}, 400, "type"),
    ({"type": "card", "card": "4242424242424242"}, 400, "card"),
    ({"type": "card", "card": {"number": "4242424242424241"}}, 402, "number"),
    ({"type": "card", "colour": "blue"}, 400, "colour"),
])
def test_bad_payment_method_requests_are_stripe_errors(sb, params, status, param):
    answered, error, _ = call(sb, "POST", "/v1/payment_methods", params)
    assert answered == status and error["error"]["param"] == param


def test_charges_are_retrieved_and_listed_by_payment_intent(sb):
    pi = create(sb, payment_method="pm_card_visa", confirm=True)
    create(sb, payment_method="pm_card_visa", confirm=True)
    charges = call(sb, "GET", "/v1/charges", query=f"payment_intent={pi['id']}")[1]
    assert [c["id"] for c in charges["data"]] == [pi["latest_charge"]]
    assert call(sb, "GET", f"/v1/charges/{pi['latest_charge']}")[1]["payment_intent"] == pi["id"]
    assert len(call(sb, "GET", "/v1/charges")[1]["data"]) == 2


def test_events_list_ten_by_default_like_the_api(sb):
    for _ in range(4):
        create(sb, payment_method="pm_card_visa", confirm=True)
    assert len(sb.events.list()) > 10
    page = call(sb, "GET", "/v1/events")[1]
    assert len(page["data"]) == 10 and page["has_more"] is True


def test_events_filter_by_type_wildcard_and_types_array(sb):
    create(sb, payment_method="pm_card_visa", confirm=True)
    by_type = call(sb, "GET", "/v1/events", query="type=charge.*")[1]["data"]
    assert {e["type"] for e in by_type} == {"charge.succeeded"}
    by_types = call(sb, "GET", "/v1/events",
                    query="types[]=payment_intent.created&types[]=charge.succeeded")[1]["data"]
    assert {e["type"] for e in by_types} == {"payment_intent.created", "charge.succeeded"}
    indexed = call(sb, "GET", "/v1/events", query="types[0]=charge.succeeded")[1]["data"]
    assert [e["type"] for e in indexed] == ["charge.succeeded"]
    event = by_type[0]
    assert call(sb, "GET", f"/v1/events/{event['id']}")[1] == event


def test_an_unknown_object_is_a_404_naming_it(sb):
    for path in ("/v1/payment_intents/pi_missing", "/v1/charges/ch_missing",
                 "/v1/events/evt_missing", "/v1/payment_methods/pm_missing"):
        status, error, _ = call(sb, "GET", path)
        assert status == 404 and error["error"]["code"] == "resource_missing", path


@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", "/v1/invoices"), ("DELETE", "/v1/payment_intents"),
    ("GET", "/v1/payment_intents/pi_1/confirm"), ("POST", "/v1/payment_intents/"),
    ("PUT", "/v1/payment_intents"), ("GET", "/v2/core/events"),
])
def test_an_unknown_route_is_stripes_unrecognized_url_404(sb, method, path):
    status, error, _ = call(sb, method, path)
    assert status == 404
    assert error["error"]["type"] == "invalid_request_error"
    assert error["error"]["message"].startswith(f"Unrecognized request URL ({method}: {path})")


def test_a_cors_preflight_is_answered_for_browser_clients(sb):
    status, body, headers = call(sb, "OPTIONS", "/v1/payment_intents/pi_1", key=None)
    assert status == 204 and body is None
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in headers["Access-Control-Allow-Headers"]


# -- errors ----------------------------------------------------------------------------


def test_a_decline_is_a_402_card_error_with_the_intent(sb):
    pi = create(sb)
    status, error, _ = call(sb, "POST", f"/v1/payment_intents/{pi['id']}/confirm",
                            {"payment_method": "pm_card_chargeDeclined"})
    assert status == 402
    body = error["error"]
    assert (body["type"], body["code"], body["decline_code"]) == (
        "card_error", "card_declined", "generic_decline")
    assert body["payment_intent"]["status"] == "requires_payment_method"


def test_a_refused_move_is_a_400_unexpected_state(sb):
    pi = create(sb, payment_method="pm_card_visa", confirm=True)
    status, error, _ = call(sb, "POST", f"/v1/payment_intents/{pi['id']}/cancel")
    assert status == 400 and error["error"]["code"] == "payment_intent_unexpected_state"


@pytest.mark.parametrize("params, param", [
    ({"amount": "ten", "currency": "usd"}, "amount"),
    ({"amount": {"value": "10"}, "currency": "usd"}, "amount"),
    ({"amount": 1099, "currency": "usd", "confirm": "yes"}, "confirm"),
    ({"amount": 1099, "currency": "usd", "metadata": "not a hash"}, "metadata"),
    ({"amount": 1099}, "currency"),
    ({"amount": 1099, "currency": "usd", "colour": "blue"}, "colour"),
    ({"amount": 1099, "currency": "usd", "payment_method_types": {"a": "card"}},
     "payment_method_types"),
])
def test_wrong_types_are_400s_naming_the_parameter(sb, params, param):
    status, error, _ = call(sb, "POST", "/v1/payment_intents", params)
    assert status == 400 and error["error"]["param"] == param


@pytest.mark.parametrize("params, param", [
    ({"amount": "9" * 40, "currency": "usd"}, "amount"),
    ({"amount": "9" * 10_000, "currency": "usd"}, "amount"),
    ({"amount": 2**63, "currency": "usd"}, "amount"),
    ({"amount": 1099, "currency": "usd", "description": "x" * 500_000}, "description"),
    ({"amount": 1099, "currency": "usd", "metadata": {"k": "v" * 501}}, "metadata"),
    ({"amount": 1099, "currency": "usd", "metadata": {f"k{i}": "v" for i in range(51)}},
     "metadata"),
    ({"amount": 1099, "currency": "usd", "statement_descriptor_suffix": "S" * 5000},
     "statement_descriptor_suffix"),
])
def test_huge_values_are_refused_with_a_short_message(sb, params, param):
    status, error, _ = call(sb, "POST", "/v1/payment_intents", params)
    assert status == 400 and error["error"]["param"] == param
    assert len(error["error"]["message"]) < 400


@pytest.mark.parametrize("body", [
    b"amount=1099&currency=usd&description=\xff", b"amount=%zz&currency=usd%ff",
    b"amount[=1", b"amount=1&amount[x]=2", b"=&=&&&",
])
def test_a_broken_body_is_a_400_without_touching_the_sandbox(sb, body):
    status, error, _ = call(sb, "POST", "/v1/payment_intents", body=body)
    assert status == 400 and error["error"]["type"] == "invalid_request_error"
    assert len(sb.payment_intents.list()) == 0


def test_a_json_body_is_refused_with_stripes_content_type_hint(sb):
    status, error, _ = call(sb, "POST", "/v1/payment_intents", body=b'{"amount": 1099}',
                            headers={"Content-Type": "application/json"})
    assert status == 400 and "application/x-www-form-urlencoded" in error["error"]["message"]


def test_python_level_argument_names_are_unknown_parameters(sb):
    pi = create(sb)
    for name in ("intent", "idempotency_key"):
        status, error, _ = call(sb, "POST", f"/v1/payment_intents/{pi['id']}/confirm",
                                {name: "x"})
        assert status == 400 and error["error"]["code"] == "parameter_unknown", name


def test_a_bug_in_paykit_is_a_500_api_error_and_not_an_exception(sb, monkeypatch, caplog):
    def broken(call: routes.Call) -> None:
        raise RuntimeError("boom")

    route = ROUTES[0]
    monkeypatch.setattr(routes, "_BY_METHOD", {"POST": (routes.Route(
        route.method, route.path, route.name, broken, route.doc),)})
    status, error, _ = call(sb, "POST", "/v1/payment_intents", {"amount": 1})
    assert status == 500 and error["error"]["type"] == "api_error"
    assert "bug in paykit" in error["error"]["message"]
    assert "boom" in caplog.text


# -- idempotency and versions -----------------------------------------------------------


def test_the_idempotency_key_header_replays_the_first_answer(sb):
    key = {"Idempotency-Key": "order-6735"}
    params = {"amount": 1099, "currency": "usd"}
    first = call(sb, "POST", "/v1/payment_intents", params, headers=key)
    again = call(sb, "POST", "/v1/payment_intents", params, headers=key)
    assert first[1]["id"] == again[1]["id"]
    assert again[2]["Idempotency-Key"] == "order-6735"
    assert len(sb.payment_intents.list()) == 1
    status, error, _ = call(sb, "POST", "/v1/payment_intents", {**params, "amount": 2000},
                            headers=key)
    assert status == 400 and error["error"]["type"] == "idempotency_error"


def test_an_idempotency_key_on_a_get_has_no_effect(sb):
    pi = create(sb)
    status, _, headers = call(sb, "GET", f"/v1/payment_intents/{pi['id']}",
                                headers={"Idempotency-Key": "x" * 300})
    assert status == 200 and "Idempotency-Key" not in headers


def test_a_legacy_stripe_version_header_shows_the_old_status_names(sb):
    pi = create(sb)
    legacy = {"Stripe-Version": "2018-11-08"}
    status, old, headers = call(sb, "GET", f"/v1/payment_intents/{pi['id']}", headers=legacy)
    assert status == 200 and old["status"] == "requires_source"
    assert "next_source_action" in old and "next_action" not in old
    assert headers["Stripe-Version"] == "2018-11-08"
    listed = call(sb, "GET", "/v1/payment_intents", headers=legacy)[1]
    assert listed["data"][0]["status"] == "requires_source"
    assert call(sb, "GET", f"/v1/payment_intents/{pi['id']}")[1]["status"] == (
        "requires_payment_method")


def test_a_legacy_sandbox_answers_current_names_to_a_current_header():
    sb = paykit.Sandbox(seed=0, api_version="2018-11-08")
    pi = create(sb)
    assert pi["status"] == "requires_source"
    current = call(sb, "GET", f"/v1/payment_intents/{pi['id']}",
                   headers={"Stripe-Version": "2026-09-30.endive"})[1]
    assert current["status"] == "requires_payment_method" and "next_action" in current
    # the fields of an intent created in a sandbox of today's version
    today = create(paykit.Sandbox(seed=0))
    assert list(current) == list(today)


def test_the_legacy_names_reach_the_intent_inside_an_error(sb):
    pi = create(sb)
    status, error, _ = call(sb, "POST", f"/v1/payment_intents/{pi['id']}/confirm",
                            {"payment_method": "pm_card_chargeDeclined"},
                            headers={"Stripe-Version": "2018-11-08"})
    assert status == 402 and error["error"]["payment_intent"]["status"] == "requires_source"


def test_a_malformed_stripe_version_is_a_400(sb):
    status, error, _ = call(sb, "GET", "/v1/payment_intents",
                            headers={"Stripe-Version": "yesterday"})
    assert status == 400 and "Invalid Stripe API version" in error["error"]["message"]


# -- publishable keys and client secrets --------------------------------------------------


def test_a_publishable_key_retrieves_a_subset_with_the_client_secret(sb):
    pi = create(sb, metadata={"order_id": "6735"}, customer=sb.customers.create().id)
    status, seen, _ = call(sb, "GET", f"/v1/payment_intents/{pi['id']}", key=PUBLISHABLE,
                           query=f"client_secret={pi['client_secret']}")
    assert status == 200
    assert set(seen) == PUBLISHABLE_PAYMENT_INTENT_FIELDS - {"next_source_action"}
    assert "metadata" not in seen and "customer" not in seen
    assert {k: pi[k] for k in seen} == seen


def test_a_publishable_key_without_the_client_secret_is_refused(sb):
    pi = create(sb)
    status, error, _ = call(sb, "GET", f"/v1/payment_intents/{pi['id']}", key=PUBLISHABLE)
    assert status == 401 and "client_secret" in error["error"]["message"]


def test_a_client_secret_never_opens_another_intent(sb):
    mine, other = create(sb), create(sb)
    for key in (PUBLISHABLE, SECRET):
        status, error, _ = call(sb, "GET", f"/v1/payment_intents/{other['id']}", key=key,
                                query=f"client_secret={mine['client_secret']}")
        assert status == 400 and error["error"]["param"] == "client_secret", key
        status, error, _ = call(sb, "POST", f"/v1/payment_intents/{other['id']}/confirm",
                                {"client_secret": mine["client_secret"],
                                 "payment_method": "pm_card_visa"}, key=key)
        assert status == 400 and error["error"]["param"] == "client_secret", key
    assert sb.payment_intents.retrieve(other["id"]).status == "requires_payment_method"


def test_a_publishable_key_confirms_with_the_client_secret_like_stripe_js(sb):
    pi = create(sb)
    status, seen, _ = call(sb, "POST", f"/v1/payment_intents/{pi['id']}/confirm",
                           {"client_secret": pi["client_secret"],
                            "payment_method": "pm_card_visa"}, key=PUBLISHABLE)
    assert status == 200 and seen["status"] == "succeeded" and "metadata" not in seen


def test_a_publishable_key_cannot_confirm_a_manual_confirmation_intent(sb):
    pi = create(sb, confirmation_method="manual", payment_method="pm_card_visa")
    status, error, _ = call(sb, "POST", f"/v1/payment_intents/{pi['id']}/confirm",
                            {"client_secret": pi["client_secret"]}, key=PUBLISHABLE)
    assert status == 400 and "confirmation_method=manual" in error["error"]["message"]


def test_a_publishable_decline_shows_only_the_subset_of_the_intent(sb):
    pi = create(sb, metadata={"secret_note": "x"})
    status, error, _ = call(sb, "POST", f"/v1/payment_intents/{pi['id']}/confirm",
                            {"client_secret": pi["client_secret"],
                             "payment_method": "pm_card_chargeDeclined"}, key=PUBLISHABLE)
    assert status == 402 and "metadata" not in error["error"]["payment_intent"]


def test_a_publishable_key_creates_payment_methods_as_stripe_js_does(sb):
    status, pm, _ = call(sb, "POST", "/v1/payment_methods",
                         {"type": "card", "card": {"number": "4242424242424242"}},
                         key=PUBLISHABLE)
    assert status == 200 and pm["type"] == "card"


@pytest.mark.parametrize("method, path, params", [
    ("POST", "/v1/payment_intents", {"amount": 1099, "currency": "usd"}),
    ("GET", "/v1/payment_intents", None),
    ("POST", "/v1/payment_intents/{id}", {"description": "x"}),
    ("POST", "/v1/payment_intents/{id}/cancel", None),
    ("GET", "/v1/charges", None),
    ("GET", "/v1/events", None),
    ("POST", "/v1/test_helpers/clock/advance", {"days": 1}),
])
def test_a_publishable_key_may_do_nothing_else(sb, method, path, params):
    pi = create(sb)
    status, error, _ = call(sb, method, path.format(id=pi["id"]), params, key=PUBLISHABLE)
    assert status == 401
    assert "publishable API key" in error["error"]["message"]


# -- the paykit test helpers ---------------------------------------------------------------


def test_the_authenticate_helper_completes_next_action(sb):
    pi = create(sb, payment_method="pm_card_authenticationRequired", confirm=True)
    assert pi["status"] == "requires_action" and pi["next_action"]["type"] == "use_stripe_sdk"
    path = f"/v1/test_helpers/payment_intents/{pi['id']}/authenticate"
    status, done, _ = call(sb, "POST", path)
    assert status == 200 and done["status"] == "succeeded"


def test_the_authenticate_helper_fails_next_action_with_success_false(sb):
    pi = create(sb, payment_method="pm_card_authenticationRequired", confirm=True)
    path = f"/v1/test_helpers/payment_intents/{pi['id']}/authenticate"
    status, failed, _ = call(sb, "POST", path, {"success": False})
    assert status == 200 and failed["status"] == "requires_payment_method"
    assert failed["last_payment_error"]["code"] == "payment_intent_authentication_failure"


def test_the_authenticate_helper_reads_success_as_every_boolean_is_read(sb):
    pi = create(sb, payment_method="pm_card_authenticationRequired", confirm=True)
    path = f"/v1/test_helpers/payment_intents/{pi['id']}/authenticate"
    status, error, _ = call(sb, "POST", path, body=b"success=yes")
    assert status == 400 and error["error"]["param"] == "success"
    assert error["error"]["message"] == "Invalid boolean: yes"
    status, failed, _ = call(sb, "POST", path, body=b"success=False")
    assert status == 200 and failed["status"] == "requires_payment_method"


def test_the_customer_completes_next_action_with_the_publishable_key(sb):
    pi = create(sb, payment_method="pm_card_authenticationRequired", confirm=True)
    path = f"/v1/test_helpers/payment_intents/{pi['id']}/authenticate"
    assert call(sb, "POST", path, key=PUBLISHABLE)[0] == 401
    status, done, _ = call(sb, "POST", path, {"client_secret": pi["client_secret"]},
                           key=PUBLISHABLE)
    assert status == 200 and done["status"] == "succeeded" and "metadata" not in done


def test_the_authenticate_helper_refuses_an_intent_asking_nothing(sb):
    pi = create(sb)
    status, error, _ = call(sb, "POST",
                            f"/v1/test_helpers/payment_intents/{pi['id']}/authenticate")
    assert status == 400 and error["error"]["code"] == "payment_intent_unexpected_state"


def test_the_clock_helpers_show_and_move_the_sandbox_clock(sb):
    start = call(sb, "GET", "/v1/test_helpers/clock")[1]
    assert start["object"] == "sandbox_clock" and start["now"] == sb.now
    moved = call(sb, "POST", "/v1/test_helpers/clock/advance", {"days": 1, "hours": 1.5})[1]
    assert moved["now"] == start["now"] + 86_400 + 5_400 == sb.now
    assert moved["iso"].endswith("Z")


def test_moving_the_clock_settles_a_bank_debit(sb):
    pi = create(sb, currency="eur", payment_method="pm_sepaDebit", confirm=True,
                allowed_payment_method_types=["sepa_debit"])
    assert pi["status"] == "processing"
    call(sb, "POST", "/v1/test_helpers/clock/advance", {"days": 7})
    assert call(sb, "GET", f"/v1/payment_intents/{pi['id']}")[1]["status"] == "succeeded"


@pytest.mark.parametrize("params", [{"days": -1}, {"days": "soon"}, {"days": "inf"},
                                    {"days": "nan"}, {"years": 1}, {"days": 1e9}])
def test_the_clock_refuses_bad_moves(sb, params):
    before = sb.now
    status, error, _ = call(sb, "POST", "/v1/test_helpers/clock/advance", params)
    assert status == 400 and error["error"]["type"] == "invalid_request_error"
    assert sb.now == before


def test_the_routes_table_prints_every_route_and_marks_paykit_additions():
    table = routes.markdown_table()
    for route in ROUTES:
        assert f"`{route.path}`" in table
    assert table.count("(paykit addition)") == sum(r.paykit_addition for r in ROUTES) == 5


def test_compact_json_for_the_in_process_client_holds_the_same_values(sb):
    pi = create(sb, metadata={"order_id": "6735"})
    headers = {"Authorization": f"Bearer {SECRET}"}
    path = f"/v1/payment_intents/{pi['id']}"
    _, _, pretty = handle(sb, "GET", path, "", headers, b"")
    _, _, compact = handle(sb, "GET", path, "", headers, b"", pretty=False)
    assert pretty.startswith(b'{\n  "id": ') and b"\n" not in compact
    assert json.loads(pretty) == json.loads(compact) == pi


def test_answers_never_share_state_with_the_sandbox(sb):
    pi = create(sb, metadata={"order_id": "6735"})
    legacy = call(sb, "GET", f"/v1/payment_intents/{pi['id']}",
                  headers={"Stripe-Version": "2018-11-08"})[1]
    public = call(sb, "GET", f"/v1/payment_intents/{pi['id']}", key=PUBLISHABLE,
                  query=f"client_secret={pi['client_secret']}")[1]
    assert legacy["status"] == "requires_source" and "metadata" not in public
    assert sb.payment_intents.retrieve(pi["id"]).to_dict() == pi


def test_capitalised_booleans_from_older_sdks_are_read_as_the_v1_api_reads_them(sb):
    body = b"amount=1099&currency=usd&payment_method=pm_card_visa&confirm=True"
    status, pi, _ = call(sb, "POST", "/v1/payment_intents", body=body)
    assert status == 200 and pi["status"] == "succeeded"
    body = b"amount=1099&currency=usd&confirm=False"
    assert call(sb, "POST", "/v1/payment_intents", body=body)[1]["status"] == (
        "requires_payment_method")


def test_automatic_payment_methods_enabled_is_a_boolean_in_the_answer(sb):
    body = b"amount=1099&currency=usd&automatic_payment_methods[enabled]=true"
    pi = call(sb, "POST", "/v1/payment_intents", body=body)[1]
    assert pi["automatic_payment_methods"]["enabled"] is True


@pytest.mark.parametrize("text", ["false", "False"])
def test_automatic_payment_methods_disabled_is_stored_as_false_not_as_text(sb, text):
    body = f"amount=1099&currency=usd&automatic_payment_methods[enabled]={text}".encode()
    pi = call(sb, "POST", "/v1/payment_intents", body=body)[1]
    assert pi["automatic_payment_methods"]["enabled"] is False
    assert sb.payment_intents.retrieve(pi["id"]).automatic_payment_methods.enabled is False


def test_a_nested_boolean_the_api_cannot_read_is_refused_naming_it(sb):
    body = b"amount=1099&currency=usd&automatic_payment_methods[enabled]=YES"
    status, error, _ = call(sb, "POST", "/v1/payment_intents", body=body)
    assert status == 400 and error["error"]["param"] == "automatic_payment_methods[enabled]"
    assert error["error"]["message"] == "Invalid boolean: YES"


_methods = st.sampled_from(["GET", "POST", "DELETE", "PUT", "OPTIONS", "get", "post"])
_paths = st.one_of(st.sampled_from([r.path.replace("{", "").replace("}", "") for r in ROUTES]),
                   st.text(max_size=40).map(lambda t: "/v1/" + t))


@settings(deadline=None)
@given(method=_methods, path=_paths, query=st.text(max_size=60), body=st.binary(max_size=200),
       key=st.sampled_from([SECRET, PUBLISHABLE, "sk_live_x", ""]),
       version=st.sampled_from([None, "2018-11-08", "2026-09-30.endive", "bogus"]))
def test_handle_never_raises_and_always_answers_stripe_json(method, path, query, body, key,
                                                           version):
    sb = paykit.Sandbox(seed=0)
    headers = {"Authorization": f"Bearer {key}"}
    if version:
        headers["Stripe-Version"] = version
    status, answered, payload = handle(sb, method, path, query, headers, body)
    if status == 204:
        return
    data = json.loads(payload)
    assert answered["Content-Type"] == "application/json"
    if status == 200:
        assert "object" in data
    else:
        assert status in (400, 401, 402, 403, 404) and data["error"]["type"] in (
            "invalid_request_error", "card_error", "idempotency_error")


def test_the_routes_table_is_valid_markdown_with_four_cells_a_row():
    for line in routes.markdown_table().splitlines():
        assert line.count("|") == 5, line


# -- Request-Id and Idempotent-Replayed -------------------------------------------------------


def test_every_answer_has_a_request_id_even_a_refusal():
    sb = paykit.Sandbox(seed=0)
    pi = create(sb)
    answers = [
        call(sb, "GET", f"/v1/payment_intents/{pi['id']}"),
        call(sb, "POST", "/v1/payment_intents", {"amount": 1099}),
        call(sb, "GET", "/v1/payment_intents", key=None),
        call(sb, "GET", "/v1/nowhere"),
    ]
    assert [status for status, _, _ in answers] == [200, 400, 401, 404]
    ids = [headers["Request-Id"] for _, _, headers in answers]
    assert all(i.startswith("req_") for i in ids) and len(set(ids)) == len(ids)


def test_reads_do_not_shift_the_ids_of_later_objects():
    """Request ids for reads come from their own seeded stream."""
    quiet, busy = paykit.Sandbox(seed=7), paykit.Sandbox(seed=7)
    create(quiet)
    first = create(busy)
    for _ in range(3):
        call(busy, "GET", f"/v1/payment_intents/{first['id']}")
    assert create(quiet)["id"] == create(busy)["id"]


def test_a_replayed_post_gives_the_first_request_id_and_says_it_was_replayed():
    sb = paykit.Sandbox(seed=0)
    body = {"amount": 1099, "currency": "usd"}
    _, first, first_headers = call(sb, "POST", "/v1/payment_intents", body,
                                   headers={"Idempotency-Key": "k1"})
    _, again, again_headers = call(sb, "POST", "/v1/payment_intents", body,
                                   headers={"Idempotency-Key": "k1"})
    assert again["id"] == first["id"]
    assert again_headers["Request-Id"] == first_headers["Request-Id"]
    assert again_headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first_headers
    created = sb.events.list(type="payment_intent.created")[0]
    assert created.request.id == first_headers["Request-Id"]


def test_payment_method_data_arrives_form_encoded_as_stripe_js_sends_it():
    sb = paykit.Sandbox(seed=0)
    body = (b"amount=1099&currency=eur&confirm=true"
            b"&payment_method_data[type]=sepa_debit"
            b"&payment_method_data[sepa_debit][iban]=AT321904300235473204"
            b"&payment_method_data[billing_details][name]=Jenny%20Rosen")
    status, pi, _ = call(sb, "POST", "/v1/payment_intents", body=body)
    assert status == 200, pi
    assert pi["status"] == "processing" and pi["payment_method"].startswith("pm_")
    status, error, _ = call(sb, "POST", "/v1/payment_intents", body=(
        b"amount=1099&currency=usd&payment_method_data[type]=card"
        b"&payment_method_data[card][number]=4242424242424241"))
    assert status == 402
    assert error["error"]["code"] == "incorrect_number"


@pytest.mark.parametrize("method, path", [
    ("GET", "/v1/charges"), ("GET", "/v1/events"), ("POST", "/v1/payment_methods"),
])
def test_endpoints_paykit_does_not_expand_say_so(method, path):
    sb = paykit.Sandbox(seed=0)
    if method == "GET":
        status, error, _ = call(sb, method, path, query="expand[]=x")
    else:
        status, error, _ = call(sb, method, path, {"expand": ["x"], "type": "card"})
    assert status == 400
    assert error["error"]["param"] == "expand"
    assert "PaymentIntents only" in error["error"]["message"]


def test_events_and_charges_lists_take_created_filters():
    sb = paykit.Sandbox(seed=0)
    create(sb, payment_method="pm_card_visa", confirm="true")
    start = sb.advance(hours=2)
    later = create(sb, payment_method="pm_card_visa", confirm="true")
    status, events, _ = call(sb, "GET", "/v1/events", query=f"created[gte]={start}")
    assert status == 200
    assert {e["data"]["object"]["id"] for e in events["data"]} == {
        later["id"], later["latest_charge"]}
    status, charges, _ = call(sb, "GET", "/v1/charges", query=f"created[gte]={start}")
    assert [c["id"] for c in charges["data"]] == [later["latest_charge"]]
    status, error, _ = call(sb, "GET", "/v1/events", query="created[soon]=1")
    assert status == 400 and error["error"]["param"] == "created[soon]"


# -- bounded work: parameters checked before use, lists cost their page ---------------------


@pytest.mark.parametrize("query, param", [
    ("type=" + "[" * 20_000, "type"),
    ("types[]=" + "a" * 5001, "types"),
    ("starting_after=" + "evt_" * 2000, "starting_after"),
    ("ending_before=" + "e" * 5001, "ending_before"),
    ("&".join(f"types[]=charge.t{n}" for n in range(21)), "types"),
])
def test_an_oversized_list_parameter_is_refused_naming_it(query, param):
    status, body, headers = call(paykit.Sandbox(seed=0), "GET", "/v1/events", query=query)
    assert status == 400 and body["error"]["param"] == param
    assert body["error"]["type"] == "invalid_request_error"
    assert headers["Request-Id"].startswith("req_")


def test_a_charges_page_renders_only_the_charges_it_shows(monkeypatch):
    from paykit import charges, storage

    sb = paykit.Sandbox(seed=0)
    for _ in range(300):
        sb.payment_intents.create(amount=1099, currency="usd", confirm=True,
                                  payment_method="pm_card_visa")
    rendered: list[str] = []
    render = storage.charge_json
    monkeypatch.setattr(charges.storage, "charge_json",
                        lambda values: rendered.append("x") or render(values))
    status, page, _ = call(sb, "GET", "/v1/charges", query="limit=1")
    assert status == 200 and len(page["data"]) == 1 and page["has_more"]
    assert len(rendered) == 1


def test_charges_of_one_intent_page_through_the_index():
    sb = paykit.Sandbox(seed=0)
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    for method in ("pm_card_chargeDeclined", "pm_card_chargeDeclined", "pm_card_visa"):
        with contextlib.suppress(paykit.CardError):
            sb.payment_intents.confirm(pi.id, payment_method=method)
        sb.payment_intents.create(amount=500, currency="usd", confirm=True,
                                  payment_method="pm_card_visa")  # another intent's charge
    status, first, _ = call(sb, "GET", "/v1/charges", query=f"payment_intent={pi.id}&limit=2")
    assert status == 200 and first["has_more"]
    assert [c["status"] for c in first["data"]] == ["succeeded", "failed"]
    status, rest, _ = call(sb, "GET", "/v1/charges", query=(
        f"payment_intent={pi.id}&starting_after={first['data'][-1]['id']}"))
    assert [c["status"] for c in rest["data"]] == ["failed"] and not rest["has_more"]
    assert {c["payment_intent"] for c in first["data"] + rest["data"]} == {pi.id}
    status, every, _ = call(sb, "GET", "/v1/charges", query="limit=100")
    assert len(every["data"]) == 6

