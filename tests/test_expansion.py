"""``expand``: an id in a PaymentIntent response becomes the object it names."""

from __future__ import annotations

import pytest

from paykit import InvalidRequestError
from paykit.expansion import EXPANDABLE, NOT_MODELLED, expansion_paths
from paykit.storage import CHARGE_JSON_FIELDS


def _paid(sb, **params):
    return sb.payment_intents.create(amount=1099, currency="usd", payment_method="pm_card_visa",
                                     confirm=True, **params)


def test_expand_latest_charge_shows_the_charge_in_the_response(sb):
    pi = _paid(sb, expand=["latest_charge"])
    charge = pi.to_dict()["latest_charge"]
    assert tuple(charge) == CHARGE_JSON_FIELDS
    assert charge == sb.charges.retrieve(charge["id"]).to_dict()
    assert pi.latest_charge.receipt_url.endswith(charge["id"])


def test_expand_payment_method_shows_the_minted_method(sb):
    pi = _paid(sb)
    expanded = sb.payment_intents.retrieve(pi.id, expand=["payment_method"])
    assert expanded.payment_method.id == pi.payment_method
    assert expanded.payment_method.card.last4 == "4242"


def test_a_null_field_stays_null_when_expanded(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", expand=["latest_charge"])
    assert pi.latest_charge is None


def test_every_action_expands_what_it_returns(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", capture_method="manual")
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa",
                                    expand=["latest_charge"])
    assert pi.latest_charge.captured is False
    pi = sb.payment_intents.capture(pi.id, expand=["latest_charge"])
    assert pi.latest_charge.captured is True


def test_a_list_expands_with_the_data_prefix(sb):
    first, second = _paid(sb), _paid(sb)
    page = sb.payment_intents.list(expand=["data.latest_charge"])
    assert [p.latest_charge.id for p in page] == [second.latest_charge, first.latest_charge]
    with pytest.raises(InvalidRequestError, match=r"cannot be expanded \(latest_charge\)"):
        sb.payment_intents.list(expand=["latest_charge"])


@pytest.mark.parametrize("path, message", [
    ("customer", "does not model Customer objects"),
    ("latest_charge.balance_transaction", "cannot be expanded"),
    ("amount", "cannot be expanded"),
])
def test_what_paykit_cannot_expand_is_refused_naming_expand(sb, path, message):
    pi = _paid(sb)
    with pytest.raises(InvalidRequestError, match=message) as refused:
        sb.payment_intents.retrieve(pi.id, expand=[path])
    assert refused.value.param == "expand"


def test_a_refused_expand_is_checked_before_the_request_does_anything(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    events = len(sb.events.list())
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.cancel(pi.id, expand=["nope"])
    assert sb.payment_intents.retrieve(pi.id).status == "requires_payment_method"
    assert len(sb.events.list()) == events
    with pytest.raises(InvalidRequestError):
        sb.payment_intents.create(amount=1099, currency="usd", expand=["customer"])
    assert len(sb.payment_intents.list()) == 1


def test_an_idempotent_replay_returns_the_expanded_response_saved_then(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", capture_method="manual",
                                   payment_method="pm_card_visa", confirm=True,
                                   expand=["latest_charge"], idempotency_key="k")
    sb.payment_intents.capture(pi.id)
    again = sb.payment_intents.create(amount=1099, currency="usd", capture_method="manual",
                                      payment_method="pm_card_visa", confirm=True,
                                      expand=["latest_charge"], idempotency_key="k")
    assert again.latest_charge.captured is False


def test_paths_are_read_as_the_form_body_sends_them():
    assert expansion_paths({"0": "latest_charge", "1": "payment_method"}) == (
        "latest_charge", "payment_method")
    assert expansion_paths(None) == ()
    assert not set(EXPANDABLE) & set(NOT_MODELLED)
