"""IntentBuilder: fields checked as you type, the request as code, Create in the sandbox."""

from __future__ import annotations

import ast
import html
import json
import shlex

import pytest

import paykit
from paykit.http.forms import encode, form_pairs
from paykit.http.routes import handle
from paykit.widgets import IntentBuilder
from paykit.widgets.builder import IntentDraft, amount_hint, field_problems, preview_response


@pytest.fixture
def builder(sb: paykit.Sandbox) -> IntentBuilder:
    return IntentBuilder(sb)


def test_the_amount_is_shown_in_its_currency() -> None:
    assert amount_hint(1099, "usd").startswith("$10.99")
    jpy = amount_hint(1099, "jpy")
    assert jpy.startswith("¥1099") and "no decimals" in jpy
    assert amount_hint(1099, "xxx") == ""


def test_changing_the_currency_updates_the_amount_shown(builder: IntentBuilder) -> None:
    assert "$10.99" in builder.messages["amount"].value
    builder.currency.value = "jpy"
    assert "¥1099" in builder.messages["amount"].value


def test_a_23_character_descriptor_is_refused_next_to_its_field(builder: IntentBuilder) -> None:
    builder.statement_descriptor.value = "A" * 23
    message = builder.messages["statement_descriptor"].value
    assert "at most 22 characters" in message and "paykit-error" in message
    assert builder.messages["amount"].value.count("paykit-error") == 0
    assert "error" in builder.response.value  # the preview is Stripe's error body


def test_problems_are_grouped_under_the_field_at_fault() -> None:
    problems = field_problems(IntentDraft(amount=10, statement_descriptor_suffix="ORDER*1",
                                          metadata={"a[1]": "x"}, idempotency_key="k" * 256))
    assert set(problems) == {"amount", "statement_descriptor_suffix", "metadata",
                             "idempotency_key"}
    assert "at least $0.50" in problems["amount"][0]


def test_a_card_payment_would_refuse_statement_descriptor_so_it_warns(
        builder: IntentBuilder) -> None:
    builder.statement_descriptor.value = "Custom descriptor"
    message = builder.messages["statement_descriptor"].value
    assert "paykit-warning" in message and "statement_descriptor_suffix" in message


def test_the_suffix_shows_the_card_statement_with_the_account_prefix(
        builder: IntentBuilder) -> None:
    builder.statement_descriptor_suffix.value = "ORDER 42"
    assert "PAYKIT* ORDER 42" in builder.messages["statement_descriptor_suffix"].value


def test_the_request_is_shown_as_python_and_curl_as_you_type(builder: IntentBuilder) -> None:
    builder.amount.value = 2000
    builder.metadata.rows[0].key.value = "order_id"
    builder.metadata.rows[0].value.value = "6735"
    assert "&quot;amount&quot;: 2000" in builder.python.value
    assert "metadata[order_id]=6735" in builder.curl.value
    assert builder.draft.params() == {"amount": 2000, "currency": "usd",
                                      "metadata": {"order_id": "6735"}}


def test_the_preview_is_the_engines_answer_with_the_secret_masked(
        builder: IntentBuilder) -> None:
    preview = preview_response(IntentDraft(), api_version=builder.sandbox.api_version)
    assert preview["status"] == "requires_payment_method" and preview["amount"] == 1099
    assert preview["client_secret"] not in builder.response.value
    assert "_secret_****" in builder.response.value


def test_create_makes_the_intent_in_the_sandbox_with_those_params(
        sb: paykit.Sandbox, builder: IntentBuilder) -> None:
    builder.amount.value = 5000
    builder.currency.value = "eur"
    builder.capture_method.value = "manual"
    builder.setup_future_usage.value = "off_session"
    builder.statement_descriptor_suffix.value = "ORDER 42"
    builder.metadata.rows[0].key.value = "order_id"
    builder.metadata.rows[0].value.value = "6735"
    builder.create_button.click()
    [intent] = sb.payment_intents.list()
    assert builder.intent_id == intent.id
    assert (intent.amount, intent.currency, intent.capture_method) == (5000, "eur", "manual")
    assert intent.setup_future_usage == "off_session"
    assert intent.statement_descriptor_suffix == "ORDER 42"
    assert intent.metadata == {"order_id": "6735"}
    assert "payment_intent.created" in builder.result.value
    assert intent.client_secret not in builder.result.value
    assert "off-session" in builder.messages["setup_future_usage"].value


def test_the_same_idempotency_key_replays_the_first_intent(
        sb: paykit.Sandbox, builder: IntentBuilder) -> None:
    builder.idempotency_key.value = "cart-42"
    first = builder.create()
    again = builder.create()
    assert again.result == first.result and again.events == ()
    assert len(sb.payment_intents.list()) == 1
    assert "replays the first response" in builder.result.value
    builder.amount.value = 2000  # same key, other parameters
    refused = builder.create()
    assert refused.error is not None and refused.error["error"]["type"] == "idempotency_error"
    assert "idempotency_error" in builder.result.value


def test_without_a_key_a_second_click_makes_a_second_intent(
        sb: paykit.Sandbox, builder: IntentBuilder) -> None:
    builder.create_button.click()
    builder.create_button.click()
    assert len(sb.payment_intents.list()) == 2
    assert "without an Idempotency-Key" in builder.result.value


def test_an_invalid_request_shows_stripes_error_and_creates_nothing(
        sb: paykit.Sandbox, builder: IntentBuilder) -> None:
    builder.amount.value = 10
    outcome = builder.create()
    assert outcome.error_code == "amount_too_small"
    assert "Stripe error (JSON)" in builder.result.value
    assert len(sb.payment_intents.list()) == 0


def test_on_create_hands_the_new_id_to_a_callback(builder: IntentBuilder) -> None:
    seen: list[str] = []
    builder.on_create(seen.append)
    builder.create()
    assert seen == [builder.intent_id]


def test_the_python_tab_is_code_that_parses(builder: IntentBuilder) -> None:
    import html
    import re

    code = html.unescape(re.sub(r"<[^>]+>", "", builder.python.value))
    ast.parse(code)


def test_the_curl_body_sent_over_http_makes_the_intent_create_makes(
        sb: paykit.Sandbox, builder: IntentBuilder) -> None:
    builder.amount.value = 5000
    builder.currency.value = "eur"
    builder.capture_method.value = "manual"
    builder.metadata.rows[0].key.value = "order_id"
    builder.metadata.rows[0].value.value = "6735"
    pairs = form_pairs(builder.draft.params())
    for name, value in pairs:  # the curl tab shows exactly the one encoder's body
        assert html.escape(shlex.quote(f"{name}={value}")) in builder.curl.value
    builder.create_button.click()
    [created] = sb.payment_intents.list()
    status, _, body = handle(paykit.Sandbox(seed=0), "POST", "/v1/payment_intents", "",
                             {"Authorization": "Bearer sk_test_123"}, encode(
                                 builder.draft.params()).encode())
    assert status == 200 and json.loads(body) == created.to_dict()
