"""Sensitive data: what the widgets warn about, and what they never show."""

from __future__ import annotations

import pytest

from paykit.sensitive import (
    mask_key,
    redact,
    redact_text,
    scan,
    scan_metadata,
    sensitive_key_name,
)


@pytest.mark.parametrize("text", [
    "4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242", "378282246310005",
    "card: 5555555555554444.",
])
def test_a_luhn_valid_card_number_is_found_however_it_is_spaced(text: str) -> None:
    [finding] = scan(text)
    assert finding.kind == "card_number"
    assert finding.shown.endswith(text.replace(" ", "").replace("-", "").rstrip(".")[-4:])
    assert "4242 4242" not in finding.shown


@pytest.mark.parametrize("text", [
    "4242424242424241",  # fails Luhn
    "0000000000000000",  # passes Luhn, but is one repeated digit
    "order 123456789012",  # 12 digits: too short for a card
    "12345678901234567890",  # 20 digits: too long
])
def test_digits_that_cannot_be_a_card_number_are_not_flagged(text: str) -> None:
    assert [f.kind for f in scan(text)] == []


def test_emails_keys_webhook_and_client_secrets_are_found_and_masked() -> None:
    text = ("mail ada@example.com key sk_test_abcdefghijkl rk_live_abcdefghijkl "
            "hook whsec_abcdefghijkl secret pi_123_secret_abcdef")
    findings = scan(text)
    assert [f.kind for f in findings] == [
        "email", "secret_key", "secret_key", "webhook_secret", "client_secret"]
    shown = " ".join(f.shown for f in findings)
    for whole in ("ada@example.com", "abcdefghijkl", "pi_123_secret_abcdef"):
        assert whole not in shown


def test_findings_do_not_overlap_a_client_secret_is_not_also_an_api_key() -> None:
    assert [f.kind for f in scan("pi_3Mabc_secret_sk_test_1234567890")] == ["client_secret"]


def test_metadata_keys_and_values_are_both_scanned() -> None:
    found = scan_metadata({"email": "ada@example.com", "4242424242424242": "x"})
    assert [(key, where, f.kind) for key, where, f in found] == [
        ("email", "value", "email"), ("4242424242424242", "key", "card_number")]


@pytest.mark.parametrize("key", ["cvc", "customer_CVV", "card_number", "password", "ssn"])
def test_a_key_that_names_sensitive_data_is_flagged(key: str) -> None:
    assert sensitive_key_name(key) is not None


@pytest.mark.parametrize("key", ["order_id", "company", "pink_shirts", "span"])
def test_ordinary_keys_are_not_flagged(key: str) -> None:
    assert sensitive_key_name(key) is None


def test_redact_masks_secrets_anywhere_in_a_json_value_and_leaves_the_input_alone() -> None:
    value = {"client_secret": "pi_1_secret_abc", "error": {"message": "used sk_live_12345678xyz"},
             "list": ["whsec_12345678abc", 4], "email": "ada@example.com"}
    shown = redact(value)
    assert shown == {"client_secret": "pi_1_secret_****",
                     "error": {"message": "used sk_live_*******8xyz"},
                     "list": ["whsec_*******8abc", 4], "email": "ada@example.com"}
    assert value["client_secret"] == "pi_1_secret_abc"
    assert redact_text("no secret here") == "no secret here"


def test_a_key_is_masked_as_stripe_masks_it_its_kind_and_last_four() -> None:
    assert mask_key("sk_test_Hrs6SAopgFPF0bZXSN3f6ELN") == "sk_test_" + "*" * 20 + "6ELN"
    assert mask_key("rk_live_abcdefgh") == "rk_live_****efgh"
    assert mask_key("whsec_abcdefghijkl") == "whsec_********ijkl"
    assert mask_key("sk_test_12") == "sk_test_**"


def test_the_key_found_in_a_text_is_shown_with_the_one_key_mask() -> None:
    [finding] = scan("key sk_test_abcdefghijkl")
    assert finding.shown == mask_key("sk_test_abcdefghijkl")
    assert redact_text("key sk_test_abcdefghijkl") == f"key {mask_key('sk_test_abcdefghijkl')}"
