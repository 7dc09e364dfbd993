"""The PaymentIntent endpoints behave as Stripe documents them."""

from __future__ import annotations

import pytest

import paykit
from paykit import CardError, InvalidRequestError
from paykit.intents import CAPTURE_WINDOW_SECONDS, CONFIRMATION_LIMIT


def _types(sb, intent_id=None):
    events = sb.events.list(object_id=intent_id) if intent_id else sb.events.list()
    return [e.type for e in reversed(events.data)]


# -- create --------------------------------------------------------------------


def test_create_starts_in_requires_payment_method(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    assert pi.status == "requires_payment_method"
    assert pi.amount == 1099 and pi.currency == "usd"
    assert pi.id.startswith("pi_") and len(pi.id) == 27
    assert pi.object == "payment_intent" and pi.livemode is False
    assert _types(sb) == ["payment_intent.created"]


def test_create_with_a_payment_method_waits_in_requires_confirmation(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", payment_method="pm_card_visa")
    assert pi.status == "requires_confirmation"
    assert pi.payment_method.startswith("pm_") and pi.payment_method != "pm_card_visa"
    assert pi.history == ("requires_payment_method", "requires_confirmation")
    created = sb.events.list(type="payment_intent.created").data[0]
    assert created.data.object.status == "requires_confirmation"


def test_create_with_confirm_true_is_create_then_confirm(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd",
                                   payment_method="pm_card_visa", confirm=True)
    assert pi.status == "succeeded"
    assert pi.amount_received == 1099
    assert _types(sb) == ["payment_intent.created", "charge.succeeded",
                          "payment_intent.succeeded"]


def test_the_client_secret_is_the_intent_id_then_secret(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    head, sep, tail = pi.client_secret.partition("_secret_")
    assert head == pi.id and sep and len(tail) >= 20 and tail.isalnum()


def test_the_same_seed_gives_the_same_ids_and_timestamps():
    def run():
        sb = paykit.Sandbox(seed=42)
        pi = sb.payment_intents.create(amount=500, currency="eur",
                                       payment_method="pm_card_visa", confirm=True)
        return pi.to_dict(), [e.to_dict() for e in sb.events.list()]

    assert run() == run()
    assert paykit.Sandbox(seed=1).payment_intents.create(amount=500, currency="eur").id != \
        paykit.Sandbox(seed=2).payment_intents.create(amount=500, currency="eur").id


def test_a_bad_parameter_is_a_stripe_error_naming_it(sb):
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.create(amount=10, currency="usd")
    assert caught.value.code == "amount_too_small"
    assert caught.value.param == "amount"
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.create(amount=1099, currency="usd", colour="red")
    assert caught.value.code == "parameter_unknown"
    assert len(sb.payment_intents.list().data) == 0


def test_an_unknown_intent_is_a_404(sb):
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.retrieve("pi_nope")
    assert caught.value.http_status == 404 and caught.value.code == "resource_missing"


# -- confirm outcomes ----------------------------------------------------------


def test_pm_card_visa_succeeds_with_one_charge(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd")
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    assert pi.status == "succeeded"
    charge = sb.charges.retrieve(pi.latest_charge)
    assert charge.status == "succeeded" and charge.paid and charge.captured
    assert charge.amount == 2000 and charge.payment_intent == pi.id


@pytest.mark.parametrize(
    ("token", "code", "decline_code"),
    [
        ("pm_card_chargeDeclined", "card_declined", "generic_decline"),
        ("pm_card_visa_chargeDeclined", "card_declined", "generic_decline"),
        ("pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"),
        ("pm_card_chargeDeclinedLostCard", "card_declined", "lost_card"),
        ("pm_card_chargeDeclinedStolenCard", "card_declined", "stolen_card"),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card"),
        ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc"),
        ("pm_card_chargeDeclinedProcessingError", "processing_error", "processing_error"),
    ],
)
def test_a_decline_raises_card_error_and_returns_to_requires_payment_method(
    sb, token, code, decline_code
):
    pi = sb.payment_intents.create(amount=2000, currency="usd")
    with pytest.raises(CardError) as caught:
        sb.payment_intents.confirm(pi.id, payment_method=token)
    err = caught.value
    assert err.http_status == 402 and err.code == code and err.decline_code == decline_code
    assert err.payment_intent["status"] == "requires_payment_method"
    pi = sb.payment_intents.retrieve(pi.id)
    assert pi.status == "requires_payment_method"
    assert pi.last_payment_error.code == code
    assert pi.last_payment_error.decline_code == decline_code
    assert pi.last_payment_error.type == "card_error"
    assert pi.payment_method is None
    charge = sb.charges.retrieve(pi.latest_charge)
    assert charge.status == "failed" and charge.failure_code == code
    assert err.to_dict()["error"]["charge"] == charge.id


def test_a_retry_after_a_decline_makes_a_second_charge(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd")
    with pytest.raises(CardError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined")
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    assert pi.status == "succeeded" and pi.last_payment_error is None
    charges = sb.charges.list(payment_intent=pi.id).data
    assert [c.status for c in charges] == ["succeeded", "failed"]
    assert pi.latest_charge == charges[0].id
    assert pi.history == ("requires_payment_method", "requires_payment_method", "succeeded")


@pytest.mark.parametrize("token", ["pm_card_authenticationRequired",
                                   "pm_card_threeDSecure2Required"])
def test_a_card_needing_3ds_goes_to_requires_action_with_next_action(sb, token):
    pi = sb.payment_intents.create(amount=2000, currency="usd", payment_method=token,
                                   confirm=True)
    assert pi.status == "requires_action"
    assert pi.next_action.type == "use_stripe_sdk"
    assert _types(sb)[-1] == "payment_intent.requires_action"
    assert sb.charges.list(payment_intent=pi.id).data == []


def test_a_return_url_makes_next_action_a_redirect(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                   payment_method="pm_card_authenticationRequired",
                                   return_url="https://example.com/done")
    assert pi.next_action.type == "redirect_to_url"
    assert pi.next_action.redirect_to_url.return_url == "https://example.com/done"


def test_completing_authentication_succeeds(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                   payment_method="pm_card_authenticationRequired")
    pi = sb.payment_intents.authenticate(pi.id, success=True)
    assert pi.status == "succeeded" and pi.next_action is None
    assert pi.history[-2:] == ("requires_action", "succeeded")


def test_completing_authentication_with_manual_capture_waits_for_capture(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                   capture_method="manual",
                                   payment_method="pm_card_threeDSecure2Required")
    pi = sb.payment_intents.authenticate(pi.id)
    assert pi.status == "requires_capture" and pi.amount_capturable == 2000


def test_manual_confirmation_returns_to_requires_confirmation_after_authentication(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                   confirmation_method="manual",
                                   payment_method="pm_card_authenticationRequired")
    pi = sb.payment_intents.authenticate(pi.id)
    assert pi.status == "requires_confirmation"
    pi = sb.payment_intents.confirm(pi.id)
    assert pi.status == "succeeded"


def test_failing_authentication_returns_to_requires_payment_method(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                   payment_method="pm_card_authenticationRequired")
    pi = sb.payment_intents.authenticate(pi.id, success=False)
    assert pi.status == "requires_payment_method"
    assert pi.last_payment_error.code == "payment_intent_authentication_failure"
    assert _types(sb)[-1] == "payment_intent.payment_failed"


def test_authentication_then_decline_shows_the_decline(sb):
    pi = sb.payment_intents.create(
        amount=2000, currency="usd", confirm=True,
        payment_method="pm_card_authenticationRequiredChargeDeclinedInsufficientFunds")
    pi = sb.payment_intents.authenticate(pi.id)
    assert pi.status == "requires_payment_method"
    assert pi.last_payment_error.decline_code == "insufficient_funds"


def test_authenticate_is_refused_when_nothing_is_asked(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd")
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.authenticate(pi.id)
    assert caught.value.code == "payment_intent_unexpected_state"


def test_error_on_requires_action_fails_instead_of_asking(sb):
    with pytest.raises(CardError) as caught:
        sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                  error_on_requires_action=True,
                                  payment_method="pm_card_authenticationRequired")
    assert caught.value.code == "authentication_required"


# -- off-session (seed 000: setup_future_usage) ------------------------------------------


def test_off_session_with_a_card_needing_authentication_is_declined(sb):
    with pytest.raises(CardError) as caught:
        sb.payment_intents.create(amount=2000, currency="usd", confirm=True, off_session=True,
                                  payment_method="pm_card_authenticationRequired")
    assert caught.value.decline_code == "authentication_required"


def test_a_card_set_up_off_session_pays_off_session_without_authentication(sb):
    customer = sb.customers.create().id
    first = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                      customer=customer, setup_future_usage="off_session",
                                      payment_method="pm_card_authenticationRequiredOnSetup")
    assert first.status == "requires_action"
    first = sb.payment_intents.authenticate(first.id)
    assert first.status == "succeeded"
    assert sb.payment_methods.retrieve(first.payment_method).customer == customer
    later = sb.payment_intents.create(amount=3000, currency="usd", confirm=True,
                                      customer=customer, off_session=True,
                                      payment_method=first.payment_method)
    assert later.status == "succeeded"


def test_a_method_saved_without_a_customer_cannot_be_used_again(sb):
    # https://docs.stripe.com/payments/save-and-reuse: attach it to a Customer first
    first = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                      setup_future_usage="off_session",
                                      payment_method="pm_card_visa")
    assert first.status == "succeeded"
    events = len(sb.events.list(limit=None).data)
    with pytest.raises(InvalidRequestError, match="may not be used again") as refused:
        sb.payment_intents.create(amount=3000, currency="usd", confirm=True,
                                  off_session=True, payment_method=first.payment_method)
    assert refused.value.code is None and refused.value.http_status == 400
    assert len(sb.payment_intents.list(limit=None).data) == 1  # the refused create is gone
    assert len(sb.events.list(limit=None).data) == events


def test_a_card_set_up_on_session_is_declined_off_session(sb):
    customer = sb.customers.create().id
    first = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                      customer=customer, setup_future_usage="on_session",
                                      payment_method="pm_card_authenticationRequiredOnSetup")
    sb.payment_intents.authenticate(first.id)
    pm = sb.payment_intents.retrieve(first.id).payment_method
    with pytest.raises(CardError) as caught:
        sb.payment_intents.create(amount=3000, currency="usd", confirm=True,
                                  customer=customer, off_session=True, payment_method=pm)
    assert caught.value.decline_code == "authentication_required"


# -- bank debits ---------------------------------------------------------------


@pytest.mark.parametrize(("token", "currency"), [("pm_sepaDebit", "eur"),
                                                 ("pm_usBankAccount", "usd")])
def test_a_bank_debit_processes_then_settles_when_the_clock_moves(sb, token, currency):
    pi = sb.payment_intents.create(amount=1000, currency=currency, payment_method=token,
                                   confirm=True)
    assert pi.status == "processing"
    assert sb.charges.retrieve(pi.latest_charge).status == "pending"
    assert _types(sb)[-2:] == ["charge.pending", "payment_intent.processing"]
    sb.advance(hours=1)
    assert sb.payment_intents.retrieve(pi.id).status == "processing"
    sb.advance(days=7)
    pi = sb.payment_intents.retrieve(pi.id)
    assert pi.status == "succeeded" and pi.amount_received == 1000
    assert sb.charges.retrieve(pi.latest_charge).status == "succeeded"
    assert _types(sb)[-2:] == ["charge.succeeded", "payment_intent.succeeded"]


@pytest.mark.parametrize(("token", "currency"), [("pm_sepaDebit_chargeDeclined", "eur"),
                                                 ("pm_usBankAccount_chargeDeclined", "usd")])
def test_a_failing_bank_debit_returns_to_requires_payment_method(sb, token, currency):
    pi = sb.payment_intents.create(amount=1000, currency=currency, payment_method=token,
                                   confirm=True)
    sb.advance(days=7)
    pi = sb.payment_intents.retrieve(pi.id)
    assert pi.status == "requires_payment_method"
    assert pi.last_payment_error is not None
    assert len(sb.charges.list(payment_intent=pi.id).data) == 1  # one attempt, one charge
    assert sb.charges.retrieve(pi.latest_charge).status == "failed"
    assert _types(sb)[-2:] == ["charge.failed", "payment_intent.payment_failed"]


def test_settled_events_carry_the_time_they_happened(sb):
    start = sb.now
    pi = sb.payment_intents.create(amount=1000, currency="eur", payment_method="pm_sepaDebit",
                                   confirm=True)
    sb.advance(days=30)
    succeeded = sb.events.list(type="payment_intent.succeeded").data[0]
    assert succeeded.created == start + 5 * 86_400
    assert succeeded.request.id is None  # Stripe did it, no API request
    assert sb.now == start + 30 * 86_400
    assert pi.created == start


def test_sepa_debit_is_refused_for_a_usd_intent(sb):
    pi = sb.payment_intents.create(amount=1000, currency="usd")
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.confirm(pi.id, payment_method="pm_sepaDebit")
    assert caught.value.code == "payment_intent_incompatible_payment_method"


def test_cancel_in_processing_is_allowed_for_bank_debits(sb):
    pi = sb.payment_intents.create(amount=1000, currency="usd",
                                   payment_method="pm_usBankAccount", confirm=True)
    pi = sb.payment_intents.cancel(pi.id)
    assert pi.status == "canceled"
    sb.advance(days=10)  # the pending settlement must not resurrect it
    assert sb.payment_intents.retrieve(pi.id).status == "canceled"


# -- manual capture ------------------------------------------------------------


def _authorised(sb, amount=2000):
    return sb.payment_intents.create(amount=amount, currency="usd", capture_method="manual",
                                     payment_method="pm_card_visa", confirm=True)


def test_manual_capture_waits_in_requires_capture(sb):
    pi = _authorised(sb)
    assert pi.status == "requires_capture"
    assert pi.amount_capturable == 2000 and pi.amount_received == 0
    assert _types(sb)[-1] == "payment_intent.amount_capturable_updated"
    charge = sb.charges.retrieve(pi.latest_charge)
    assert charge.status == "succeeded" and not charge.captured


def test_a_full_capture_succeeds(sb):
    pi = sb.payment_intents.capture(_authorised(sb).id)
    assert pi.status == "succeeded" and pi.amount_received == 2000
    assert pi.amount_capturable == 0
    assert _types(sb)[-2:] == ["charge.captured", "payment_intent.succeeded"]
    assert sb.charges.retrieve(pi.latest_charge).captured


def test_a_partial_capture_releases_the_rest(sb):
    pi = sb.payment_intents.capture(_authorised(sb).id, amount_to_capture=1500)
    assert pi.amount_received == 1500
    charge = sb.charges.retrieve(pi.latest_charge)
    # released, not refunded, since 2025-03-31.basil (refunded before: test_api_versions)
    assert charge.amount_captured == 1500 and charge.amount_refunded == 0


def test_capturing_more_than_capturable_is_refused(sb):
    pi = _authorised(sb)
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.capture(pi.id, amount_to_capture=2001)
    assert caught.value.param == "amount_to_capture"
    assert sb.payment_intents.retrieve(pi.id).status == "requires_capture"


def test_an_uncaptured_intent_is_canceled_after_seven_days(sb):
    pi = _authorised(sb)
    sb.advance(seconds=CAPTURE_WINDOW_SECONDS - 1)
    assert sb.payment_intents.retrieve(pi.id).status == "requires_capture"
    sb.advance(seconds=1)
    pi = sb.payment_intents.retrieve(pi.id)
    assert pi.status == "canceled" and pi.cancellation_reason == "expired"
    assert pi.canceled_at == pi.created + CAPTURE_WINDOW_SECONDS
    assert _types(sb)[-2:] == ["charge.expired", "payment_intent.canceled"]


def test_capture_is_refused_outside_requires_capture(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd")
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.capture(pi.id)
    assert caught.value.code == "payment_intent_unexpected_state"
    assert "requires_payment_method" in caught.value.message


def test_increment_authorization_raises_the_capturable_amount(sb):
    pi = sb.payment_intents.increment_authorization(_authorised(sb).id, amount=2500)
    assert pi.status == "requires_capture"
    assert pi.amount == 2500 and pi.amount_capturable == 2500
    assert _types(sb)[-1] == "payment_intent.amount_capturable_updated"


def test_increment_authorization_needs_a_higher_amount(sb):
    pi = _authorised(sb)
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.increment_authorization(pi.id, amount=2000)
    assert caught.value.param == "amount"


def test_increment_authorization_allows_at_most_ten_attempts(sb):
    pi = _authorised(sb)
    for step in range(10):
        sb.payment_intents.increment_authorization(pi.id, amount=2001 + step)
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.increment_authorization(pi.id, amount=5000)
    assert "10 incremental authorization" in caught.value.message


def test_increment_authorization_only_in_requires_capture(sb):
    pi = sb.payment_intents.capture(_authorised(sb).id)
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.increment_authorization(pi.id, amount=5000)
    assert caught.value.code == "payment_intent_unexpected_state"


# -- cancel --------------------------------------------------------------------


@pytest.mark.parametrize("setup", ["rpm", "rc", "ra", "capture"])
def test_cancel_is_allowed_before_processing_or_success(sb, setup):
    make = {
        "rpm": lambda: sb.payment_intents.create(amount=2000, currency="usd"),
        "rc": lambda: sb.payment_intents.create(amount=2000, currency="usd",
                                                payment_method="pm_card_visa"),
        "ra": lambda: sb.payment_intents.create(
            amount=2000, currency="usd", confirm=True,
            payment_method="pm_card_authenticationRequired"),
        "capture": lambda: _authorised(sb),
    }
    pi = sb.payment_intents.cancel(make[setup]().id, cancellation_reason="abandoned")
    assert pi.status == "canceled"
    assert pi.cancellation_reason == "abandoned" and pi.canceled_at == sb.now
    assert _types(sb)[-1] == "payment_intent.canceled"


def test_canceling_an_authorisation_releases_the_funds(sb):
    pi = sb.payment_intents.cancel(_authorised(sb).id)
    assert pi.amount_capturable == 0
    charge = sb.charges.retrieve(pi.latest_charge)
    # since 2025-03-31.basil: no refund, nothing captured (before: test_api_versions)
    assert not charge.refunded and (charge.amount_refunded, charge.amount_captured) == (0, 0)
    assert [e.type for e in sb.events.list(limit=1)] == ["payment_intent.canceled"]


def test_cancel_is_refused_once_the_intent_succeeded(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd",
                                   payment_method="pm_card_visa", confirm=True)
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.cancel(pi.id)
    err = caught.value
    assert err.code == "payment_intent_unexpected_state"
    assert "it has a status of succeeded" in err.message
    assert err.payment_intent["status"] == "succeeded"


def test_cancel_in_processing_is_refused_for_cards(sb):
    # no card reaches processing in paykit, so this is the table speaking: bank debits only
    pi = sb.payment_intents.create(amount=1000, currency="eur",
                                   payment_method="pm_sepaDebit", confirm=True)
    assert sb.payment_intents.cancel(pi.id).status == "canceled"


def test_canceling_is_final_every_later_action_fails(sb):
    pi = sb.payment_intents.cancel(sb.payment_intents.create(amount=2000, currency="usd").id)
    calls = [
        lambda: sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa"),
        lambda: sb.payment_intents.cancel(pi.id),
        lambda: sb.payment_intents.capture(pi.id),
        lambda: sb.payment_intents.update(pi.id, amount=5000),
        lambda: sb.payment_intents.update(pi.id, payment_method="pm_card_visa"),
        lambda: sb.payment_intents.increment_authorization(pi.id, amount=5000),
        lambda: sb.payment_intents.authenticate(pi.id),
    ]
    for call in calls:
        with pytest.raises(InvalidRequestError) as caught:
            call()
        assert caught.value.code == "payment_intent_unexpected_state"
    assert sb.payment_intents.retrieve(pi.id).status == "canceled"


def test_an_invalid_cancellation_reason_is_refused(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd")
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.cancel(pi.id, cancellation_reason="bored")
    assert caught.value.param == "cancellation_reason"
    assert sb.payment_intents.retrieve(pi.id).status == "requires_payment_method"


# -- the confirmation limit ----------------------------------------------------


def test_the_failed_tenth_confirmation_cancels_the_intent(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd")
    for attempt in range(1, CONFIRMATION_LIMIT + 1):
        with pytest.raises(CardError) as caught:
            sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined")
        expected = "canceled" if attempt == CONFIRMATION_LIMIT else "requires_payment_method"
        assert caught.value.payment_intent["status"] == expected
    pi = sb.payment_intents.retrieve(pi.id)
    assert pi.cancellation_reason == "automatic"
    assert len(sb.charges.list(payment_intent=pi.id).data) == CONFIRMATION_LIMIT
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")


def test_the_confirmation_limit_is_a_sandbox_setting():
    sb = paykit.Sandbox(seed=0, confirmation_limit=2)
    pi = sb.payment_intents.create(amount=2000, currency="usd")
    with pytest.raises(CardError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined")
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_authenticationRequired")
    pi = sb.payment_intents.authenticate(pi.id, success=False)
    assert pi.status == "canceled"


# -- update --------------------------------------------------------------------


def test_update_changes_the_amount_when_the_cart_changes(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    pi = sb.payment_intents.update(pi.id, amount=2599, description="2 items")
    assert pi.amount == 2599 and pi.description == "2 items"
    assert pi.status == "requires_payment_method"
    assert _types(sb) == ["payment_intent.created"]  # there is no payment_intent.updated


def test_update_clears_the_last_payment_error(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    with pytest.raises(CardError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined")
    pi = sb.payment_intents.update(pi.id, description="retry")
    assert pi.last_payment_error is None


def test_a_new_payment_method_needs_a_new_confirm(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", confirm=True,
                                   payment_method="pm_card_authenticationRequired")
    pi = sb.payment_intents.update(pi.id, payment_method="pm_card_visa")
    assert pi.status == "requires_confirmation" and pi.next_action is None
    assert sb.payment_intents.confirm(pi.id).status == "succeeded"


def test_amount_cannot_change_after_success_but_metadata_can(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd",
                                   payment_method="pm_card_visa", confirm=True)
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.update(pi.id, amount=5000)
    assert caught.value.param == "amount"
    pi = sb.payment_intents.update(pi.id, metadata={"order_id": "6735"})
    assert pi.metadata.to_dict() == {"order_id": "6735"}


def test_a_currency_change_checks_the_amount_against_the_new_minimum(sb):
    pi = sb.payment_intents.create(amount=60, currency="usd")
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.update(pi.id, currency="gbp", amount=20)
    assert caught.value.code == "amount_too_small"
    assert sb.payment_intents.update(pi.id, currency="eur").currency == "eur"


def test_setup_future_usage_can_be_unset_with_an_empty_string(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd",
                                   setup_future_usage="off_session")
    assert pi.setup_future_usage == "off_session"
    assert sb.payment_intents.update(pi.id, setup_future_usage="").setup_future_usage is None


# -- metadata and charges (seed 000) -------------------------------------------


def test_metadata_is_copied_to_the_charge_and_independent_afterwards(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd",
                                   metadata={"order_id": 6735})
    assert pi.metadata.order_id == "6735"  # stored as a string
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    charge = sb.charges.retrieve(pi.latest_charge)
    assert charge.metadata.to_dict() == {"order_id": "6735"}
    pi = sb.payment_intents.update(pi.id, metadata={"order_id": "9999", "note": "x"})
    assert sb.charges.retrieve(charge.id).metadata.to_dict() == {"order_id": "6735"}
    assert pi.metadata.to_dict() == {"order_id": "9999", "note": "x"}


def test_metadata_keys_are_unset_one_by_one_or_all_at_once(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd",
                                   metadata={"a": "1", "b": "2"})
    pi = sb.payment_intents.update(pi.id, metadata={"a": ""})
    assert pi.metadata.to_dict() == {"b": "2"}
    pi = sb.payment_intents.update(pi.id, metadata="")
    assert pi.metadata.to_dict() == {}


# -- statement descriptors (seed 000) ------------------------------------------


def test_the_charge_shows_prefix_star_space_suffix(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", confirm=True,
                                   payment_method="pm_card_visa",
                                   statement_descriptor_suffix="ORDER 42")
    charge = sb.charges.retrieve(pi.latest_charge)
    assert charge.calculated_statement_descriptor == "PAYKIT* ORDER 42"


def test_statement_descriptor_on_a_card_payment_is_refused_by_the_current_api(sb):
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.create(amount=1099, currency="usd",
                                  allowed_payment_method_types=["card"],
                                  statement_descriptor="Custom descriptor")
    assert caught.value.param == "statement_descriptor"


def test_the_seeds_older_example_sets_statement_descriptor_on_a_card_payment():
    # the seed's example predates Stripe's platform change of 2 January 2024
    sb = paykit.Sandbox(seed=0, api_version="2019-02-11", start=1_704_024_000)
    pi = sb.payment_intents.create(amount=1099, currency="usd", payment_method_types=["card"],
                                   statement_descriptor="Custom descriptor")
    assert pi.statement_descriptor == "Custom descriptor"
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    assert sb.charges.retrieve(pi.latest_charge).calculated_statement_descriptor == \
        "Custom descriptor"


def test_statement_descriptor_works_for_a_bank_debit_on_the_current_api(sb):
    pi = sb.payment_intents.create(amount=1000, currency="eur", confirm=True,
                                   payment_method="pm_sepaDebit",
                                   allowed_payment_method_types=["sepa_debit"],
                                   statement_descriptor="PAYKIT ORDER 42")
    assert sb.charges.retrieve(pi.latest_charge).calculated_statement_descriptor == \
        "PAYKIT ORDER 42"


# -- legacy API versions -------------------------------------------------------


def test_legacy_api_versions_show_the_old_status_names():
    sb = paykit.Sandbox(seed=0, api_version="2018-11-08")
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    assert pi.status == "requires_source"
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_authenticationRequired")
    assert pi.status == "requires_source_action"
    assert "next_source_action" in pi.to_dict() and "next_action" not in pi.to_dict()
    event = sb.events.list(type="payment_intent.requires_action").data[0]
    assert event.data.object.status == "requires_source_action"
    assert event.api_version == "2018-11-08"


# -- listing -------------------------------------------------------------------


def test_list_is_newest_first_and_paginates(sb):
    ids = [sb.payment_intents.create(amount=1000 + i, currency="usd").id for i in range(12)]
    first = sb.payment_intents.list()
    assert [pi.id for pi in first] == ids[::-1][:10] and first.has_more
    rest = sb.payment_intents.list(starting_after=first.data[-1].id)
    assert [pi.id for pi in rest] == ids[::-1][10:] and not rest.has_more
    assert sb.payment_intents.list(limit=3).to_dict()["url"] == "/v1/payment_intents"
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.list(limit=0)


# -- a refused request changes nothing --------------------------------------------------


def test_a_refused_confirm_leaves_the_intent_as_it_was(sb):
    pi = sb.payment_intents.create(amount=1000, currency="usd", receipt_email="a@b.test")
    before = sb.payment_intents.retrieve(pi.id).to_dict()
    events = len(sb.events.list().data)
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_sepaDebit",
                                   receipt_email="c@d.test", setup_future_usage="on_session")
    assert sb.payment_intents.retrieve(pi.id).to_dict() == before
    assert len(sb.events.list().data) == events


def test_a_refused_create_with_confirm_creates_nothing(sb):
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.create(amount=1000, currency="usd", confirm=True,
                                  payment_method="pm_sepaDebit")
    assert sb.payment_intents.list().data == []
    assert sb.events.list().data == []


def test_confirm_with_the_client_secret_of_another_intent_is_refused(sb):
    one = sb.payment_intents.create(amount=1000, currency="usd")
    other = sb.payment_intents.create(amount=1000, currency="usd")
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.confirm(one.id, payment_method="pm_card_visa",
                                   client_secret=other.client_secret)
    assert caught.value.param == "client_secret"
    pi = sb.payment_intents.confirm(one.id, payment_method="pm_card_visa",
                                    client_secret=one.client_secret)
    assert pi.status == "succeeded"


def test_the_account_descriptor_settings_are_public():
    sb = paykit.Sandbox(statement_descriptor_prefix="RUNCLUB")
    assert sb.statement_descriptor_prefix == "RUNCLUB"
    assert sb.statement_descriptor == "PAYKIT SANDBOX"


def test_create_with_confirm_true_skips_requires_confirmation(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd",
                                   payment_method="pm_card_visa", confirm=True)
    assert pi.history == ("requires_payment_method", "succeeded")


def test_a_suffix_given_at_capture_reaches_the_charge(sb):
    pi = sb.payment_intents.create(amount=2000, currency="usd", capture_method="manual",
                                   payment_method="pm_card_visa", confirm=True)
    pi = sb.payment_intents.capture(pi.id, statement_descriptor_suffix="SHIPPED 42")
    charge = sb.charges.retrieve(pi.latest_charge)
    assert charge.calculated_statement_descriptor == "PAYKIT* SHIPPED 42"
    assert charge.statement_descriptor_suffix == "SHIPPED 42"


# -- payment_method_data: a new payment method from its details ----------------------------


SEPA_DATA = {"type": "sepa_debit", "sepa_debit": {"iban": "AT321904300235473204"}}


def test_create_with_payment_method_data_mints_and_attaches_a_method(sb):
    pi = sb.payment_intents.create(amount=1099, currency="eur", payment_method_data=SEPA_DATA)
    assert pi.status == "requires_confirmation"
    assert pi.payment_method.startswith("pm_") and pi.payment_method != "pm_sepaDebit"
    assert sb.payment_methods.retrieve(pi.payment_method).type == "sepa_debit"
    assert sb.payment_intents.confirm(pi.id).status == "processing"


def test_confirm_with_payment_method_data_behaves_as_its_test_card(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    card = {"type": "card", "card": {"number": "4000002760003184"}}  # needs 3D Secure
    pi = sb.payment_intents.confirm(pi.id, payment_method_data=card)
    assert pi.status == "requires_action"


def test_update_with_payment_method_data_needs_a_new_confirm(sb):
    pi = sb.payment_intents.create(amount=1099, currency="eur")
    pi = sb.payment_intents.update(pi.id, payment_method_data=SEPA_DATA)
    assert pi.status == "requires_confirmation"


def test_payment_method_and_payment_method_data_together_are_refused(sb):
    with pytest.raises(InvalidRequestError) as refused:
        sb.payment_intents.create(amount=1099, currency="eur", payment_method="pm_sepaDebit",
                                  payment_method_data=SEPA_DATA)
    assert (refused.value.code, refused.value.param) == (
        "payment_intent_invalid_parameter", "payment_method_data")
    assert len(sb.payment_intents.list()) == 0


def test_bad_payment_method_data_names_the_nested_parameter_and_changes_nothing(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    with pytest.raises(InvalidRequestError) as refused:
        sb.payment_intents.confirm(pi.id, payment_method_data={"type": "ideal"})
    assert refused.value.param == "payment_method_data[type]"
    with pytest.raises(CardError) as declined:
        sb.payment_intents.confirm(pi.id, payment_method_data={
            "type": "card", "card": {"number": "4242424242424241"}})
    assert (declined.value.code, declined.value.param) == ("incorrect_number", "number")
    after = sb.payment_intents.retrieve(pi.id)
    assert (after.status, after.payment_method, after.latest_charge) == (
        "requires_payment_method", None, None)


# -- choosing the payment method types on today's API (dahlia and endive) ----------------------


def test_allowed_types_keep_those_that_suit_the_currency(sb):
    pi = sb.payment_intents.create(amount=1000, currency="usd",
                                   allowed_payment_method_types=["sepa_debit", "card"])
    assert pi.payment_method_types == ["card"]
    assert pi.allowed_payment_method_types == ["sepa_debit", "card"]
    assert pi.automatic_payment_methods is None
    with pytest.raises(InvalidRequestError) as caught:  # a method outside them
        sb.payment_intents.confirm(pi.id, payment_method="pm_usBankAccount")
    assert caught.value.code == "payment_intent_incompatible_payment_method"


def test_allowed_types_that_cannot_pay_in_the_currency_are_refused(sb):
    before = len(sb.events.list(limit=None))
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.create(amount=1000, currency="usd",
                                  allowed_payment_method_types=["sepa_debit"])
    assert (caught.value.param, caught.value.code) == (
        "allowed_payment_method_types", "payment_intent_invalid_parameter")
    assert len(sb.events.list(limit=None)) == before


@pytest.mark.parametrize("other", [{"excluded_payment_method_types": ["card"]},
                                   {"automatic_payment_methods": {"enabled": True}}])
def test_allowed_types_stand_alone(sb, other):
    with pytest.raises(InvalidRequestError) as caught:
        sb.payment_intents.create(amount=1000, currency="usd",
                                  allowed_payment_method_types=["card"], **other)
    assert caught.value.param == "allowed_payment_method_types"
    assert next(iter(other)) in str(caught.value)


def test_excluded_types_narrow_the_automatic_ones(sb):
    pi = sb.payment_intents.create(amount=1000, currency="usd",
                                   excluded_payment_method_types=["us_bank_account"])
    assert pi.payment_method_types == ["card"]
    assert pi.automatic_payment_methods["enabled"] is True
    assert pi.excluded_payment_method_types == ["us_bank_account"]
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_usBankAccount")


def test_an_update_changes_the_types_and_their_options(sb):
    pi = sb.payment_intents.create(amount=1000, currency="eur")
    assert pi.payment_method_types == ["card", "sepa_debit"]
    pi = sb.payment_intents.update(pi.id, excluded_payment_method_types=["card"])
    assert pi.payment_method_types == ["sepa_debit"]
    assert list(pi.payment_method_options.to_dict()) == ["sepa_debit"]
    pi = sb.payment_intents.update(pi.id, excluded_payment_method_types="")
    assert (pi.payment_method_types, pi.excluded_payment_method_types) == (
        ["card", "sepa_debit"], None)
    pi = sb.payment_intents.update(pi.id, allowed_payment_method_types=["card"])
    assert (pi.payment_method_types, pi.automatic_payment_methods) == (["card"], None)


def test_confirm_may_name_the_allowed_types(sb):
    pi = sb.payment_intents.create(amount=1000, currency="eur")
    pi = sb.payment_intents.confirm(pi.id, allowed_payment_method_types=["sepa_debit"],
                                    payment_method="pm_sepaDebit",
                                    mandate_data={"customer_acceptance": {"type": "offline"}})
    assert (pi.status, pi.payment_method_types) == ("processing", ["sepa_debit"])


def test_a_refused_confirm_keeps_the_types_it_named(sb):
    pi = sb.payment_intents.create(amount=1000, currency="eur")
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.confirm(pi.id, allowed_payment_method_types=["card"],
                                   payment_method="pm_sepaDebit")
    assert sb.payment_intents.retrieve(pi.id).payment_method_types == ["card", "sepa_debit"]


def test_todays_version_refuses_payment_method_types_and_older_ones_take_it():
    today = paykit.Sandbox(seed=0)
    with pytest.raises(InvalidRequestError) as caught:
        today.payment_intents.create(amount=1000, currency="usd", payment_method_types=["card"])
    assert (caught.value.code, caught.value.param, caught.value.http_status) == (
        "payment_method_types_no_longer_supported", "payment_method_types", 400)
    assert today.payment_intents.list().data == []
    older = paykit.Sandbox(seed=0, api_version="2026-07-29.dahlia")
    assert older.payment_intents.create(amount=1000, currency="usd",
                                        payment_method_types=["card"]).payment_method_types \
        == ["card"]
