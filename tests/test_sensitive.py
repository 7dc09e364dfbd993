"""Sensitive data: what the widgets warn about, and what they never show."""

from __future__ import annotations

import pytest

from paykit.sensitive import (
    mask_key,
    redact,
    redact_log,
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


# -- one mask everywhere: logs (also encoded), reprs, str() of errors --------------------------


@pytest.mark.parametrize("target", [
    "/v1/payment_intents/pi_x?client_secret=pi_x_secret_abcDEF123",
    "/v1/payment_intents/pi_x?client_secret=pi_x%5Fsecret%5FabcDEF123",
    "/v1/payment_intents/pi_x?client_secret=pi_x%5fsecret%5fabcDEF123",
    "/v1/payment_intents/pi_x?client_secret=pi_x%255Fsecret%255FabcDEF123",
    "/v1/payment_intents/pi_x?client_secret=%70i_x_secret_%61bcDEF123",
    "/v1/payment_intents/pi_x?client%5Fsecret=x_pi_x_secret_abcDEF123",
])
def test_a_log_line_never_shows_a_client_secret_however_it_is_encoded(target):
    shown = redact_log(target)
    assert "abcDEF123" not in shown and "secret_****" in shown


def test_a_log_line_masks_keys_of_any_length_with_the_key_mask():
    assert redact_log("k=sk_test_1&p=pk_test_abcdefgh&w=whsec_abcdefgh") == (
        f"k={mask_key('sk_test_1')}&p={mask_key('pk_test_abcdefgh')}"
        f"&w={mask_key('whsec_abcdefgh')}")
    assert redact_log("/v1/x?key=sk%5Ftest%5FHrs6SAopgFPF0bZXSN3f6ELN").endswith(
        mask_key("sk_test_Hrs6SAopgFPF0bZXSN3f6ELN"))


def test_a_decoded_line_break_cannot_forge_a_log_line():
    shown = redact_log("/v1/x?c=pi_1%5Fsecret%5Fab%0D%0A200 OK fake")
    assert "\r" not in shown and "\n" not in shown and "\\x0d\\x0a" in shown


def test_a_line_without_secrets_is_logged_as_it_came():
    assert redact_log("/v1/events?type=charge.%2A&limit=3") == (
        "/v1/events?type=charge.%2A&limit=3")


def test_an_api_keys_repr_shows_it_masked():
    from paykit.http.auth import ApiKey

    key = ApiKey("sk_test_Hrs6SAopgFPF0bZXSN3f6ELN", "secret")
    assert "Hrs6SAop" not in repr(key) and mask_key(key.value) in repr(key)
    assert key.value == "sk_test_Hrs6SAopgFPF0bZXSN3f6ELN"  # the value itself is kept


def test_str_and_repr_of_an_error_mask_its_secrets_and_to_dict_keeps_the_body():
    import paykit
    from paykit import CardError

    sb = paykit.Sandbox(seed=0)
    with pytest.raises(CardError) as caught:
        sb.payment_intents.create(amount=1099, currency="usd", confirm=True,
                                  payment_method="pm_card_chargeDeclined")
    secret = caught.value.payment_intent["client_secret"]
    assert secret not in str(caught.value) and "_secret_****" in str(caught.value)
    assert caught.value.to_dict()["error"]["payment_intent"]["client_secret"] == secret
    error = paykit.InvalidRequestError(f"No such key sk_test_abcdefghijk or {secret}")
    assert "abcdefg" not in repr(error) and secret not in repr(error)
    assert secret not in str(error)
