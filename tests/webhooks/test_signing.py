"""The signature header: what stripe-python's ``construct_event`` accepts and refuses."""

from __future__ import annotations

import time

import pytest

from paykit.webhooks.signing import SCHEME, sign, signature_header

stripe = pytest.importorskip("stripe")

BODY = b'{\n  "id": "evt_1",\n  "object": "event",\n  "type": "payment_intent.created"\n}'
SECRET = "whsec_abc123"


def test_the_official_sdk_verifies_a_header_signed_now() -> None:
    header = signature_header(BODY, SECRET, int(time.time()))
    event = stripe.Webhook.construct_event(BODY, header, SECRET)
    assert event.id == "evt_1"


def test_a_wrong_secret_is_refused() -> None:
    header = signature_header(BODY, SECRET, int(time.time()))
    with pytest.raises(stripe.SignatureVerificationError, match="No signatures found matching"):
        stripe.Webhook.construct_event(BODY, header, "whsec_other")


def test_a_timestamp_older_than_five_minutes_is_refused() -> None:
    header = signature_header(BODY, SECRET, int(time.time()) - 301)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance zone"):
        stripe.Webhook.construct_event(BODY, header, SECRET)


def test_a_changed_body_is_refused() -> None:
    header = signature_header(BODY, SECRET, int(time.time()))
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(BODY.replace(b"evt_1", b"evt_2"), header, SECRET)


def test_the_v1_signature_is_the_hmac_of_time_dot_payload_with_the_whole_secret() -> None:
    assert sign(BODY, SECRET, 1700000000) == stripe.WebhookSignature._compute_signature(
        "1700000000." + BODY.decode(), SECRET)


def test_the_header_is_one_line_with_t_v1_and_a_fake_v0() -> None:
    header = signature_header(BODY, SECRET, 1700000000)
    parts = dict(item.split("=", 1) for item in header.split(","))
    assert list(parts) == ["t", SCHEME, "v0"] and "\n" not in header
    assert parts["t"] == "1700000000" and parts["v0"] != parts["v1"]
    only_v0 = f"t={int(time.time())},v0={parts['v0']}"
    with pytest.raises(stripe.SignatureVerificationError, match="expected scheme"):
        stripe.Webhook.construct_event(BODY, only_v0, SECRET)
