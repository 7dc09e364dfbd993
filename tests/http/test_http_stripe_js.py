"""The API as Stripe.js calls it: the script's paths, ``key=`` in the body or query, the
parameters Stripe.js adds, and one answer (401) for a publishable key where it may not go."""

from __future__ import annotations

import json
from typing import Any

import pytest

import paykit
from paykit.http.forms import encode
from paykit.http.routes import STRIPE_JS_PARAMS, handle

PK = "pk_test_paykit"


def raw(sb: paykit.Sandbox, method: str, path: str, params: dict[str, Any] | None = None,
        *, query: str = "", headers: dict[str, str] | None = None) -> tuple[int, Any]:
    body = encode(params).encode() if params else b""
    status, _, payload = handle(sb, method, path, query, headers or {}, body)
    return status, json.loads(payload)


def new_intent(sb: paykit.Sandbox) -> paykit.PaymentIntent:
    return sb.payment_intents.create(amount=1099, currency="usd")


CARD = {"type": "card", "card": {"number": "4242424242424242", "exp_month": "12",
                                 "exp_year": "2034", "cvc": "123"}}


@pytest.mark.parametrize("path", ["/v3", "/v3/", "/clover/stripe.js", "/dahlia/stripe.js"])
def test_the_stand_in_is_served_where_pages_and_load_stripe_look_for_stripe_js(sb, path):
    status, headers, body = handle(sb, "GET", path, "", {}, b"")
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert b"LEARNING STAND-IN for Stripe.js" in body
    assert b"/*PAYKIT_CARD_RULES*/" not in body and b'"incomplete_number"' in body


def test_a_post_to_the_script_path_is_not_the_script(sb):
    status, error = raw(sb, "POST", "/v3/")
    assert status == 404 and "Unrecognized request URL" in error["error"]["message"]


def test_stripe_js_confirms_with_key_and_client_secret_in_the_body(sb):
    pi = new_intent(sb)
    status, seen = raw(sb, "POST", f"/v1/payment_intents/{pi.id}/confirm", {
        "key": PK, "client_secret": pi.client_secret, "payment_method_data": CARD,
        "expected_payment_method_type": "card", "use_stripe_sdk": "true"})
    assert status == 200 and seen["status"] == "succeeded"
    assert "metadata" not in seen  # answered as to a publishable key


def test_stripe_js_retrieves_with_key_and_client_secret_in_the_query(sb):
    pi = new_intent(sb)
    query = f"key={PK}&client_secret={pi.client_secret}"
    status, seen = raw(sb, "GET", f"/v1/payment_intents/{pi.id}", query=query)
    assert status == 200 and seen["id"] == pi.id and "metadata" not in seen


def test_stripe_js_creates_a_payment_method_with_the_key_in_the_body(sb):
    status, pm = raw(sb, "POST", "/v1/payment_methods", {"key": PK, **CARD})
    assert status == 200 and pm["card"]["last4"] == "4242"


def test_the_telemetry_stripe_js_adds_is_read_and_dropped(sb):
    pi = new_intent(sb)
    data = {**CARD, "guid": "g", "muid": "m", "sid": "s", "payment_user_agent": "stripe.js",
            "time_on_page": "1200", "referrer": "http://127.0.0.1", "pasted_fields": "number"}
    status, seen = raw(sb, "POST", f"/v1/payment_intents/{pi.id}/confirm", {
        "key": PK, "client_secret": pi.client_secret, "payment_method_data": data,
        "client_attribution_metadata": {"client_session_id": "x"}})
    assert status == 200 and seen["status"] == "succeeded"
    assert {"expected_payment_method_type", "muid"} <= STRIPE_JS_PARAMS


def test_an_expected_type_that_contradicts_the_data_is_refused(sb):
    pi = new_intent(sb)
    status, error = raw(sb, "POST", f"/v1/payment_intents/{pi.id}/confirm", {
        "key": PK, "client_secret": pi.client_secret, "payment_method_data": CARD,
        "expected_payment_method_type": "sepa_debit"})
    assert status == 400 and error["error"]["param"] == "expected_payment_method_type"
    assert sb.payment_intents.retrieve(pi.id).status == "requires_payment_method"


def test_the_stripe_js_parameters_stay_unknown_to_a_secret_key(sb):
    pi = new_intent(sb)
    status, error = raw(sb, "POST", f"/v1/payment_intents/{pi.id}/confirm",
                        {"payment_method": "pm_card_visa",
                         "expected_payment_method_type": "card"},
                        headers={"Authorization": "Bearer sk_test_1"})
    assert status == 400 and error["error"]["param"] == "expected_payment_method_type"


def test_a_secret_key_is_never_taken_from_the_body_or_query(sb):
    status, error = raw(sb, "GET", "/v1/payment_intents", query="key=sk_test_123")
    assert status == 401 and "Authorization header" in error["error"]["message"]


def test_the_authorization_header_wins_over_a_key_parameter(sb):
    status, seen = raw(sb, "GET", "/v1/payment_intents", query="key=pk_test_1",
                       headers={"Authorization": "Bearer sk_test_1"})
    assert status == 200 and seen["object"] == "list"


@pytest.mark.parametrize("method, path, params", [
    ("GET", "/v1/payment_intents", None),                       # a secret-key endpoint
    ("POST", "/v1/customers", {"email": "a@example.com"}),      # another one
    ("GET", "/v1/payment_intents/{pi}", None),                  # no client secret
    ("POST", "/v1/payment_intents/{pi}/confirm", {"payment_method": "pm_card_visa"}),
    ("POST", "/v1/test_helpers/payment_intents/{pi}/authenticate", None),
    ("GET", "/v1/setup_intents/{si}", None),
    ("POST", "/v1/setup_intents/{si}/confirm", {"payment_method": "pm_card_visa"}),
    ("POST", "/v1/test_helpers/setup_intents/{si}/authenticate", None),
])
@pytest.mark.parametrize("where", ["header", "key parameter"])
def test_a_publishable_key_where_it_may_not_go_is_always_401(sb, method, path, params,
                                                              where):
    pi, si = new_intent(sb), sb.setup_intents.create()
    path = path.format(pi=pi.id, si=si.id)
    headers = {"Authorization": f"Bearer {PK}"} if where == "header" else {}
    if where == "key parameter":
        params = {**(params or {}), "key": PK} if method == "POST" else params
    query = f"key={PK}" if where == "key parameter" and method == "GET" else ""
    status, error = raw(sb, method, path, params, query=query, headers=headers)
    assert status == 401, error
    assert error["error"]["type"] == "invalid_request_error"
