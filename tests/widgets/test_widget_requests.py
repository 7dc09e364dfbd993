"""A request written as the stripe SDK call and as curl."""

from __future__ import annotations

import ast
import shlex

import pytest

from paykit.widgets.requests import ApiRequest, as_curl, as_python, form_pairs

PARAMS = {
    "amount": 1099, "currency": "usd", "confirm": True,
    "metadata": {"order_id": "6735", "note": "it's \"quoted\""},
    "payment_method_types": ["card", "us_bank_account"], "description": None,
}


def test_each_operation_has_the_path_the_api_uses() -> None:
    assert ApiRequest("create").path == "/v1/payment_intents"
    assert ApiRequest("update", "pi_1").path == "/v1/payment_intents/pi_1"
    assert ApiRequest("confirm", "pi_1").path == "/v1/payment_intents/pi_1/confirm"
    assert ApiRequest("cancel", "pi_1").describe() == "POST /v1/payment_intents/pi_1/cancel"


@pytest.mark.parametrize("operation, intent", [("create", "pi_1"), ("confirm", None),
                                                ("refund", "pi_1")])
def test_a_request_that_cannot_exist_is_refused(operation: str, intent: str | None) -> None:
    with pytest.raises(ValueError):
        ApiRequest(operation, intent)


def test_form_pairs_flatten_nested_values_and_drop_none() -> None:
    assert form_pairs(PARAMS) == [
        ("amount", "1099"), ("currency", "usd"), ("confirm", "true"),
        ("metadata[order_id]", "6735"), ("metadata[note]", "it's \"quoted\""),
        ("payment_method_types[0]", "card"), ("payment_method_types[1]", "us_bank_account"),
    ]


def test_form_pairs_match_what_stripe_python_sends() -> None:
    encode = pytest.importorskip("stripe._encode")._api_encode
    assert form_pairs(PARAMS) == [(k, str(v)) for k, v in encode(PARAMS)]


def test_the_python_snippet_is_valid_code_calling_the_sdk_with_the_same_values() -> None:
    request = ApiRequest("create", params=PARAMS, idempotency_key="cart-42")
    tree = ast.parse(as_python(request))
    call = tree.body[-1].value
    assert ast.unparse(call.func) == "client.v1.payment_intents.create"
    params, options = (ast.literal_eval(arg) for arg in call.args)
    assert params == PARAMS
    assert options == {"idempotency_key": "cart-42"}
    assert 'os.environ["STRIPE_SECRET_KEY"]' in as_python(request)


def test_the_python_snippet_passes_the_intent_first_and_no_params_when_there_are_none() -> None:
    assert as_python(ApiRequest("cancel", "pi_1"), setup=False) == (
        'intent = client.v1.payment_intents.cancel("pi_1")')
    call = ast.parse(as_python(ApiRequest("confirm", "pi_1", {"payment_method": "pm_x"}),
                               setup=False)).body[0].value
    assert [ast.literal_eval(a) for a in call.args] == ["pi_1", {"payment_method": "pm_x"}]


def test_curl_reads_the_key_from_the_environment_and_quotes_every_value() -> None:
    text = as_curl(ApiRequest("create", params=PARAMS, idempotency_key="cart 42"))
    words = shlex.split(text.replace("\\\n", " "))
    assert words[:2] == ["curl", "https://api.stripe.com/v1/payment_intents"]
    assert words[words.index("-u") + 1] == "$STRIPE_SECRET_KEY:"
    assert words[words.index("-H") + 1] == "Idempotency-Key: cart 42"
    data = [words[i + 1] for i, w in enumerate(words) if w == "-d"]
    assert data == [f"{k}={v}" for k, v in form_pairs(PARAMS)]


def test_curl_without_a_body_still_posts() -> None:
    assert "-X POST" in as_curl(ApiRequest("capture", "pi_1"))
