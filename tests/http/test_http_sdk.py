"""The official stripe SDK runs every lifecycle flow, in-process and over loopback HTTP.

Each flow is written once against a ``stripe.StripeClient`` and run twice: through
``paykit.stripe_client`` (no socket) and through the SDK's own HTTP client (requests)
against ``paykit serve`` on 127.0.0.1. The same answers prove the one implementation.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

stripe = pytest.importorskip("stripe")

import paykit  # noqa: E402
from paykit.http.sdk import SANDBOX_BASE, SandboxHTTPClient  # noqa: E402
from tests.http.conftest import SECRET_KEY as KEY  # noqa: E402
from tests.http.conftest import Transport, as_json  # noqa: E402


def _new(sdk: Transport, **params: Any) -> Any:
    return sdk.intents.create(params={"amount": 1099, "currency": "usd", **params})


# -- the lifecycle flows of the engine issue ------------------------------------------------


def test_create_starts_in_requires_payment_method(sdk):
    pi = _new(sdk, metadata={"order_id": "6735"})
    assert isinstance(pi, stripe.PaymentIntent)
    assert pi.status == "requires_payment_method"
    assert as_json(pi.metadata) == {"order_id": "6735"}
    assert pi.client_secret.startswith(f"{pi.id}_secret_")
    # the sandbox's own object, read in the version the SDK pinned (its header)
    with paykit.api_versions.requested(pi.last_response.headers["Stripe-Version"]):
        assert as_json(pi) == sdk.sandbox.payment_intents.retrieve(pi.id).to_dict()


def test_create_with_a_method_then_confirm_succeeds_with_one_charge(sdk):
    pi = _new(sdk, payment_method="pm_card_visa")
    assert pi.status == "requires_confirmation"
    pi = sdk.intents.confirm(pi.id)
    assert (pi.status, pi.amount_received) == ("succeeded", 1099)
    charges = sdk.v1.charges.list(params={"payment_intent": pi.id})
    assert [c.id for c in charges.data] == [pi.latest_charge]
    assert sdk.v1.charges.retrieve(pi.latest_charge).status == "succeeded"


def test_create_with_confirm_true_is_one_call(sdk):
    pi = _new(sdk, payment_method="pm_card_visa", confirm=True)
    assert pi.status == "succeeded"


def test_a_decline_raises_card_error_and_a_retry_makes_a_second_charge(sdk):
    pi = _new(sdk)
    with pytest.raises(stripe.CardError) as caught:
        sdk.intents.confirm(pi.id, params={"payment_method": "pm_card_chargeDeclined"})
    error = caught.value
    assert (error.http_status, error.code, error.error.decline_code) == (
        402, "card_declined", "generic_decline")
    assert error.error.payment_intent.status == "requires_payment_method"
    pi = sdk.intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    assert pi.status == "succeeded"
    assert len(sdk.v1.charges.list(params={"payment_intent": pi.id}).data) == 2


def test_3ds_asks_for_action_then_the_customer_completes_it(sdk):
    pi = _new(sdk, payment_method="pm_card_authenticationRequired", confirm=True)
    assert pi.status == "requires_action" and pi.next_action.type == "use_stripe_sdk"
    done = sdk.authenticate(pi.id)
    assert isinstance(done, stripe.PaymentIntent) and done.status == "succeeded"


def test_3ds_with_a_return_url_is_a_redirect(sdk):
    pi = _new(sdk, payment_method="pm_card_threeDSecure2Required", confirm=True,
              return_url="https://example.com/return")
    assert pi.next_action.type == "redirect_to_url"
    assert pi.next_action.redirect_to_url.return_url == "https://example.com/return"


def test_failing_3ds_returns_to_requires_payment_method(sdk):
    pi = _new(sdk, payment_method="pm_card_authenticationRequired", confirm=True)
    failed = sdk.authenticate(pi.id, success=False)
    assert failed.status == "requires_payment_method"
    assert failed.last_payment_error.code == "payment_intent_authentication_failure"


def test_manual_confirmation_waits_for_the_server_after_3ds(sdk):
    pi = _new(sdk, payment_method="pm_card_authenticationRequired",
              confirmation_method="manual", confirm=True)
    assert sdk.authenticate(pi.id).status == "requires_confirmation"
    assert sdk.intents.confirm(pi.id).status == "succeeded"


def test_off_session_with_a_card_needing_authentication_is_declined(sdk):
    with pytest.raises(stripe.CardError) as caught:
        _new(sdk, payment_method="pm_card_authenticationRequired", confirm=True,
             off_session=True)
    assert caught.value.code == "authentication_required"


def test_error_on_requires_action_fails_instead_of_asking(sdk):
    with pytest.raises(stripe.CardError):
        _new(sdk, payment_method="pm_card_authenticationRequired", confirm=True,
             error_on_requires_action=True)


def test_manual_capture_increment_and_partial_capture(sdk):
    pi = _new(sdk, payment_method="pm_card_visa", capture_method="manual", confirm=True)
    assert (pi.status, pi.amount_capturable) == ("requires_capture", 1099)
    pi = sdk.intents.increment_authorization(pi.id, params={"amount": 1500})
    assert pi.amount_capturable == 1500
    pi = sdk.intents.capture(pi.id, params={"amount_to_capture": 1200})
    assert (pi.status, pi.amount_received) == ("succeeded", 1200)


def test_capturing_more_than_capturable_is_an_invalid_request(sdk):
    pi = _new(sdk, payment_method="pm_card_visa", capture_method="manual", confirm=True)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sdk.intents.capture(pi.id, params={"amount_to_capture": 5000})
    assert caught.value.code == "amount_too_large" and caught.value.http_status == 400


def test_an_uncaptured_authorisation_expires_after_seven_days(sdk):
    pi = _new(sdk, payment_method="pm_card_visa", capture_method="manual", confirm=True)
    clock = sdk.advance(days=7, seconds=1)
    assert clock["now"] == sdk.sandbox.now
    pi = sdk.intents.retrieve(pi.id)
    assert (pi.status, pi.cancellation_reason) == ("canceled", "expired")


def test_canceling_an_authorisation_then_cancel_is_refused_once_final(sdk):
    pi = _new(sdk, payment_method="pm_card_visa", capture_method="manual", confirm=True)
    pi = sdk.intents.cancel(pi.id, params={"cancellation_reason": "requested_by_customer"})
    assert pi.status == "canceled"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sdk.intents.cancel(pi.id)
    assert caught.value.code == "payment_intent_unexpected_state"


@pytest.mark.parametrize("token, currency, outcome", [
    ("pm_sepaDebit", "eur", "succeeded"),
    ("pm_sepaDebit_chargeDeclined", "eur", "requires_payment_method"),
    ("pm_usBankAccount", "usd", "succeeded"),
])
def test_a_bank_debit_processes_then_settles_when_the_clock_moves(sdk, token, currency,
                                                                   outcome):
    pi = _new(sdk, currency=currency, payment_method=token, confirm=True)
    assert pi.status == "processing"
    sdk.advance(days=10)
    assert sdk.intents.retrieve(pi.id).status == outcome


def test_update_changes_the_amount_and_unsets_metadata(sdk):
    pi = _new(sdk, metadata={"a": "1", "b": "2"})
    pi = sdk.intents.update(pi.id, params={"amount": 2000, "metadata": {"a": ""}})
    assert pi.amount == 2000 and as_json(pi.metadata) == {"b": "2"}
    pi = sdk.intents.update(pi.id, params={"metadata": ""})
    assert as_json(pi.metadata) == {}


def test_setup_future_usage_is_set_and_unset(sdk):
    pi = _new(sdk, setup_future_usage="off_session")
    assert pi.setup_future_usage == "off_session"
    assert sdk.intents.update(pi.id, params={"setup_future_usage": ""}).setup_future_usage \
        is None


def test_a_card_set_up_off_session_pays_off_session(sdk):
    customer = sdk.v1.customers.create().id
    first = _new(sdk, payment_method="pm_card_authenticationRequiredSetupForOffSession",
                 customer=customer, setup_future_usage="off_session", confirm=True)
    first = sdk.authenticate(first.id)
    assert first.status == "succeeded"
    again = _new(sdk, payment_method=first.payment_method, customer=customer,
                 off_session=True, confirm=True)
    assert again.status == "succeeded"


def test_the_failed_tenth_confirmation_cancels_the_intent(sdk):
    pi = _new(sdk)
    for _ in range(10):
        with pytest.raises(stripe.CardError):
            sdk.intents.confirm(pi.id, params={"payment_method": "pm_card_chargeDeclined"})
    pi = sdk.intents.retrieve(pi.id)
    assert (pi.status, pi.cancellation_reason) == ("canceled", "automatic")


def test_payment_methods_are_created_from_a_test_number_and_retrieved(sdk):
    pm = sdk.v1.payment_methods.create(params={
        "type": "card", "card": {"number": "4000000000000002", "exp_month": 12,
                                 "exp_year": 2034, "cvc": "123"}})
    assert pm.card.last4 == "0002"
    assert sdk.v1.payment_methods.retrieve(pm.id).id == pm.id
    with pytest.raises(stripe.CardError):
        _new(sdk, payment_method=pm.id, confirm=True)


def test_the_sdk_pages_through_lists_with_starting_after(sdk):
    ids = {_new(sdk).id for _ in range(5)}
    page = sdk.intents.list(params={"limit": 2})
    assert len(page.data) == 2 and page.has_more
    assert {pi.id for pi in page.auto_paging_iter()} == ids


def test_events_are_listed_by_type_and_retrieved(sdk):
    pi = _new(sdk, payment_method="pm_card_visa", confirm=True)
    events = sdk.v1.events.list(params={"type": "payment_intent.succeeded"})
    assert [e.data.object.id for e in events.data] == [pi.id]
    event = sdk.v1.events.retrieve(events.data[0].id)
    assert event.type == "payment_intent.succeeded"
    every = list(sdk.v1.events.list(params={"limit": 3}).auto_paging_iter())
    assert len(every) == len(sdk.sandbox.events.list())


def test_the_sdk_idempotency_key_replays_and_guards(sdk):
    first = sdk.intents.create(params={"amount": 1099, "currency": "usd"},
                               options={"idempotency_key": "cart-1"})
    again = sdk.intents.create(params={"amount": 1099, "currency": "usd"},
                               options={"idempotency_key": "cart-1"})
    assert first.id == again.id
    # a replay: the first request's id, and the header that says it was replayed
    assert again.last_response.request_id == first.last_response.request_id
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.last_response.headers
    with pytest.raises(stripe.IdempotencyError):
        sdk.intents.create(params={"amount": 2000, "currency": "usd"},
                           options={"idempotency_key": "cart-1"})
    assert len(sdk.sandbox.payment_intents.list()) == 1


def test_an_unknown_intent_is_a_404_invalid_request(sdk):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sdk.intents.retrieve("pi_missing")
    assert caught.value.http_status == 404 and caught.value.code == "resource_missing"


def test_a_bad_parameter_is_an_invalid_request_naming_it(sdk):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        _new(sdk, amount=10)
    assert (caught.value.code, caught.value.param) == ("amount_too_small", "amount")


def test_the_publishable_key_flow_of_stripe_js(sdk):
    pi = _new(sdk, metadata={"order_id": "6735"})
    with _client_like(sdk, "pk_test_paykit") as public:
        intents = public.v1.payment_intents
        seen = intents.retrieve(pi.id, params={"client_secret": pi.client_secret})
        assert seen.status == "requires_payment_method" and "metadata" not in seen
        done = intents.confirm(pi.id, params={"client_secret": pi.client_secret,
                                              "payment_method": "pm_card_visa"})
        assert done.status == "succeeded"
        with pytest.raises(stripe.AuthenticationError):
            intents.list()


@contextlib.contextmanager
def _client_like(sdk: Transport, key: str) -> Iterator[Any]:
    """Another client on the same transport as ``sdk``, with another key."""
    if sdk.base == SANDBOX_BASE:
        yield paykit.stripe_client(sdk.sandbox, key)
        return
    http = stripe.RequestsClient(timeout=10)
    try:
        yield stripe.StripeClient(key, base_addresses={"api": sdk.base},
                                  max_network_retries=0, http_client=http)
    finally:
        http.close()


def test_a_wrong_key_is_an_authentication_error(sdk):
    for key in ("sk_live_abc", "sk_test_"):
        with _client_like(sdk, key) as client, pytest.raises(stripe.AuthenticationError):
            client.v1.payment_intents.list()


# -- the in-process client itself ------------------------------------------------------------


def test_the_in_process_client_speaks_the_sandboxs_version_legacy_included():
    sb = paykit.Sandbox(seed=0, api_version="2018-11-08")
    pi = paykit.stripe_client(sb).v1.payment_intents.create(
        params={"amount": 1099, "currency": "usd"})
    assert pi.status == "requires_source"
    current = paykit.stripe_client(sb, stripe_version="2026-09-30.endive")
    assert current.v1.payment_intents.retrieve(pi.id).status == "requires_payment_method"


def test_the_in_process_client_never_retries(sandbox, monkeypatch):
    calls: list[str] = []
    client = SandboxHTTPClient(sandbox)
    original = client.request

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(client, "request", counting)
    sdk = stripe.StripeClient(KEY, http_client=client, max_network_retries=5,
                              base_addresses={"api": SANDBOX_BASE})
    pi = sdk.v1.payment_intents.create(params={"amount": 1099, "currency": "usd"})
    monkeypatch.setattr("paykit.http.sdk.handle",
                        lambda *a, **k: (500, {}, b'{"error": {"type": "api_error"}}'))
    with pytest.raises(stripe.APIError):
        sdk.v1.payment_intents.retrieve(pi.id)
    assert len(calls) == 2


def test_the_in_process_client_opens_no_socket(sandbox, monkeypatch):
    import socket

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the in-process client opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    client = paykit.stripe_client(sandbox)
    assert client.v1.payment_intents.create(
        params={"amount": 1099, "currency": "usd"}).amount == 1099


def test_the_response_headers_answer_in_any_case(sandbox):
    _, status, headers = SandboxHTTPClient(sandbox).request(
        "post", f"{SANDBOX_BASE}/v1/payment_intents",
        {"Authorization": f"Bearer {KEY}", "Idempotency-Key": "k1"}, "amount=1099&currency=usd")
    assert status == 200
    assert headers["content-type"] == headers["Content-Type"] == "application/json"
    assert headers["idempotency-key"] == "k1"
    assert "stripe-version" in {name.lower() for name in headers}


def test_async_calls_work_in_process(sandbox):
    import asyncio

    client = paykit.stripe_client(sandbox)

    async def flow() -> str:
        pi = await client.v1.payment_intents.create_async(
            params={"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa",
                    "confirm": True})
        return pi.status

    assert asyncio.run(flow()) == "succeeded"


# -- the module-level style -----------------------------------------------------------------


def test_use_sandbox_runs_the_module_level_style_and_restores_settings(sandbox):
    before = {name: getattr(stripe, name) for name in
              ("api_key", "api_base", "api_version", "default_http_client",
               "max_network_retries", "enable_telemetry")}
    with paykit.use_sandbox(sandbox) as sb:
        assert sb is sandbox
        pi = stripe.PaymentIntent.create(amount=1099, currency="usd",
                                         payment_method="pm_card_visa")
        pi = stripe.PaymentIntent.confirm(pi.id)
        assert pi.status == "succeeded"
        assert stripe.PaymentIntent.retrieve(pi.id).latest_charge == pi.latest_charge
        with pytest.raises(stripe.CardError):
            stripe.PaymentIntent.create(amount=1099, currency="usd", confirm=True,
                                        payment_method="pm_card_chargeDeclined")
    after = {name: getattr(stripe, name) for name in before}
    assert after == before
    assert sandbox.payment_intents.retrieve(pi.id).status == "succeeded"


def test_use_sandbox_restores_settings_after_an_error(sandbox):
    before = stripe.api_key, stripe.default_http_client
    with pytest.raises(RuntimeError), paykit.use_sandbox(sandbox):
        raise RuntimeError("learner's bug")
    assert (stripe.api_key, stripe.default_http_client) == before


def test_import_paykit_and_paykit_http_do_not_import_stripe():
    code = ("import sys, paykit, paykit.http, paykit.http.server; "
            "print('stripe' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "False"


def test_the_lazy_names_are_the_sdk_functions():
    from paykit.http import sdk

    assert paykit.stripe_client is sdk.stripe_client
    assert paykit.use_sandbox is sdk.use_sandbox


def test_stripe_client_turns_the_sdks_telemetry_off(sandbox, monkeypatch, tmp_path):
    monkeypatch.setattr(stripe, "enable_telemetry", True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    client = paykit.stripe_client(sandbox)
    client.v1.payment_intents.create(params={"amount": 1099, "currency": "usd"})
    assert stripe.enable_telemetry is False
    assert not (tmp_path / "stripe" / "telemetry_id").exists()


# -- request ids and idempotent replays, as the SDK reports them ------------------------------


def test_last_response_request_id_is_the_events_request_id(sdk):
    pi = _new(sdk)
    created = sdk.sandbox.events.list(type="payment_intent.created")[0]
    assert pi.last_response.request_id == created.request.id
    assert pi.last_response.request_id.startswith("req_")


def test_a_decline_carries_the_request_id_of_its_attempt(sdk):
    pi = _new(sdk)
    with pytest.raises(stripe.CardError) as declined:
        sdk.intents.confirm(pi.id, params={"payment_method": "pm_card_chargeDeclined"})
    failed = sdk.sandbox.events.list(type="payment_intent.payment_failed")[0]
    assert declined.value.request_id == failed.request.id


def test_the_sdk_reads_an_expanded_charge_as_a_charge(sdk):
    pi = sdk.intents.create(params={"amount": 1099, "currency": "usd",
                                    "payment_method": "pm_card_visa", "confirm": True,
                                    "expand": ["latest_charge"]})
    assert isinstance(pi.latest_charge, stripe.Charge)
    assert pi.latest_charge.receipt_url.endswith(pi.latest_charge.id)
    again = sdk.intents.retrieve(pi.id, params={"expand": ["latest_charge", "payment_method"]})
    assert again.payment_method.card.last4 == "4242"
    page = sdk.intents.list(params={"expand": ["data.latest_charge"]})
    assert page.data[0].latest_charge.id == pi.latest_charge.id
