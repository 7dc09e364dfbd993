"""Objects are wire-faithful snapshots with a safe repr."""

from __future__ import annotations

import json

import pytest

import paykit
from paykit.objects import mask_secret
from paykit.storage import CHARGE_JSON_FIELDS, PAYMENT_INTENT_FIELDS


def test_to_dict_has_every_field_nulls_included(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    body = pi.to_dict()
    assert tuple(body) == PAYMENT_INTENT_FIELDS
    assert body["customer"] is None and body["latest_charge"] is None
    charge = sb.charges.retrieve(
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa").latest_charge)
    assert tuple(charge.to_dict()) == CHARGE_JSON_FIELDS


def test_str_is_the_indented_json(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    assert json.loads(str(pi)) == pi.to_dict()
    assert "\n  " in str(pi)


def test_repr_never_shows_the_whole_client_secret(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    secret_tail = pi.client_secret.split("_secret_")[1]
    assert secret_tail not in repr(pi)
    assert "_secret_****" in repr(pi)
    assert "0x" not in repr(pi)


def test_mask_secret_keeps_only_the_intent_part():
    assert mask_secret("pi_1_secret_abc") == "pi_1_secret_****"
    assert mask_secret("garbage") == "****"
    assert mask_secret(None) is None


def test_a_snapshot_cannot_be_changed_and_to_dict_is_a_copy(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", metadata={"a": "1"})
    with pytest.raises(AttributeError):
        pi.amount = 5
    body = pi.to_dict()
    body["metadata"]["a"] = "changed"
    assert pi.metadata.a == "1"
    assert sb.payment_intents.retrieve(pi.id).metadata.a == "1"


def test_snapshots_do_not_move_with_the_intent(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    sb.payment_intents.cancel(pi.id)
    assert pi.status == "requires_payment_method"
    assert sb.payment_intents.retrieve(pi.id).status == "canceled"


def test_nested_objects_have_attribute_access(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", confirm=True,
                                   payment_method="pm_card_authenticationRequired")
    assert pi.next_action.type == "use_stripe_sdk"
    assert pi["next_action"]["type"] == "use_stripe_sdk"
    with pytest.raises(AttributeError):
        _ = pi.not_a_field


def test_the_notebook_text_view_is_stable(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    bundle = pi._repr_mimebundle_()
    assert bundle["text/plain"] == repr(pi)


def test_a_payment_method_is_minted_from_a_test_token(sb):
    pm = sb.payment_methods.retrieve("pm_card_visa")
    assert pm.id.startswith("pm_") and pm.id != "pm_card_visa"
    assert pm.card.last4 == "4242" and pm.card.brand == "visa"
    assert sb.payment_methods.retrieve(pm.id) == pm


def test_wire_json_is_the_api_json_without_keeping_it_on_the_snapshot(sb):
    """The HTTP layer reads ``_wire()``: the idempotency store keeps that same response,
    and it should stay compact (its field values) rather than hold a built dict."""
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    wire = pi._wire()
    with pytest.raises(AttributeError):
        object.__getattribute__(pi, "_data")
    assert wire == pi.to_dict()
    assert pi.status == "requires_payment_method"  # reading builds it, as before
    assert object.__getattribute__(pi, "_data") is pi._wire()


def _snapshots_of_every_kind():
    """Intents in every status and with every nested field filled at least once."""
    sb = paykit.Sandbox(seed=0)
    intents = sb.payment_intents
    made = [
        intents.create(amount=1099, currency="eur", metadata={"ville": "Orléans"},
                       shipping={"name": "Zoë", "address": {"line1": "1 rue \"Haute\""}},
                       description="tab\tand \\ backslash, café ☕ 😀"),
        intents.create(amount=500, currency="usd", payment_method="pm_card_visa",
                       confirm=True),
        intents.create(amount=500, currency="usd", payment_method="pm_card_threeDSecure2Required",
                       confirm=True, return_url="https://example.com/done"),
        intents.create(amount=500, currency="usd", capture_method="manual",
                       payment_method="pm_card_visa", confirm=True),
        intents.create(amount=500, currency="eur", payment_method="pm_sepaDebit", confirm=True),
        intents.cancel(intents.create(amount=500, currency="usd").id,
                       cancellation_reason="duplicate"),
    ]
    with pytest.raises(paykit.CardError) as declined:
        intents.create(amount=500, currency="usd", payment_method="pm_card_chargeDeclined",
                       confirm=True)
    made.append(intents.retrieve(declined.value.payment_intent["id"]))
    return made, sb


def test_the_compact_text_of_a_stored_intent_is_the_encoded_api_json():
    made, _ = _snapshots_of_every_kind()
    encode = json.JSONEncoder(separators=(",", ":")).encode
    assert {pi.status for pi in made} >= {"requires_payment_method", "succeeded",
                                          "requires_action", "requires_capture",
                                          "processing", "canceled"}
    assert any(pi.last_payment_error for pi in made) and any(pi.next_action for pi in made)
    for pi in made:
        text = pi._compact_json()
        assert text == encode(pi.to_dict())
        assert json.loads(text) == pi.to_dict()


def test_expanded_and_legacy_intents_have_no_compact_text():
    made, sb = _snapshots_of_every_kind()
    expanded = sb.payment_intents.retrieve(made[1].id, expand=["latest_charge"])
    assert expanded._compact_json() is None
    legacy = paykit.Sandbox(seed=0, api_version="2018-11-08")
    assert legacy.payment_intents.create(amount=1099, currency="usd")._compact_json() is None
