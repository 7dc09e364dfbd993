"""API keys: basic or bearer, test keys only, 401s shaped like Stripe's."""

from __future__ import annotations

import base64
import json

import pytest

from paykit.errors import AuthenticationError
from paykit.http.auth import Keys, key_for_log
from paykit.http.routes import handle
from paykit.sensitive import mask_key, redact_text

DOCS_KEY = "sk_test_Hrs6SAopgFPF0bZXSN3f6ELN"


def basic(key: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{key}:{password}".encode()).decode()


def status_of(sb, authorization: str | None, keys: Keys | None = None) -> tuple[int, dict]:
    headers = {} if authorization is None else {"Authorization": authorization}
    status, _, body = handle(sb, "GET", "/v1/payment_intents", "", headers, b"",
                             keys=keys)
    return status, json.loads(body)


def test_the_docs_key_works_by_basic_auth_as_curl_u_sends_it(sb):
    assert status_of(sb, basic(DOCS_KEY))[0] == 200


def test_a_secret_key_works_as_a_bearer_token_as_the_sdk_sends_it(sb):
    assert status_of(sb, f"Bearer {DOCS_KEY}")[0] == 200


def test_the_header_scheme_is_case_insensitive(sb):
    assert status_of(sb, f"bearer {DOCS_KEY}")[0] == 200


@pytest.mark.parametrize("authorization", [None, "", "Bearer ", basic(""), "Bearer    "])
def test_no_key_is_a_401_saying_how_to_give_one(sb, authorization):
    status, body = status_of(sb, authorization)
    assert status == 401
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["message"].startswith("You did not provide an API key")


@pytest.mark.parametrize("authorization", [
    "Bearer sk_test_", "Bearer sk_foo", "Bearer not-a-key", "Bearer sk_test_abc def",
    "Bearer sk_test_ab\u00e9", basic("pk_other_123"),
])
def test_a_malformed_key_is_a_401_that_masks_it(sb, authorization):
    status, body = status_of(sb, authorization)
    assert status == 401 and body["error"]["message"].startswith("Invalid API Key provided")


@pytest.mark.parametrize("authorization", ["Basic !!!notbase64", "Digest abc", "sk_test_123"])
def test_a_malformed_header_is_a_401(sb, authorization):
    status, body = status_of(sb, authorization)
    assert status == 401 and "authorization header" in body["error"]["message"]


@pytest.mark.parametrize("key", ["sk_live_abc123", "pk_live_abc123", "rk_live_abc123"])
def test_live_keys_are_refused_and_never_echoed_whole(sb, key):
    status, body = status_of(sb, f"Bearer {key}")
    assert status == 401
    assert "live keys" in body["error"]["message"]
    assert key not in body["error"]["message"]


def test_restricted_keys_are_not_modelled(sb):
    status, body = status_of(sb, "Bearer rk_test_abc123")
    assert status == 401 and "Restricted keys" in body["error"]["message"]


def test_a_fixed_key_set_refuses_every_other_key(sb):
    keys = Keys.only([DOCS_KEY, "pk_test_mine"])
    assert status_of(sb, f"Bearer {DOCS_KEY}", keys)[0] == 200
    status, body = status_of(sb, "Bearer sk_test_someone_else", keys)
    assert status == 401 and "sk_test_someone_else" not in body["error"]["message"]


def test_a_fixed_key_set_may_not_hold_live_or_malformed_keys():
    for key in ("sk_live_abc", "nope", "rk_test_abc"):
        with pytest.raises(ValueError):
            Keys.only([key])


def test_the_kind_of_key_is_told_apart():
    assert Keys().authenticate({"authorization": "Bearer pk_test_1"}).kind == "publishable"
    assert Keys().authenticate({"authorization": basic("sk_test_1")}).kind == "secret"


def test_a_401_carries_www_authenticate(sb):
    _, headers, _ = handle(sb, "GET", "/v1/events", "", {}, b"")
    assert headers["WWW-Authenticate"] == 'Basic realm="Stripe"'


def test_masking_keeps_the_kind_and_the_last_four():
    assert mask_key(DOCS_KEY) == "sk_test_" + "*" * 20 + "6ELN"
    assert mask_key("sk_test_12") == "sk_test_**"
    assert mask_key("whatever-secret") == "*" * 11 + "cret"


def test_a_refused_key_is_shown_with_the_one_key_mask_the_widgets_use_too(sb):
    live = "sk_live_abcdefgh1234"
    status, body = status_of(sb, f"Bearer {live}")
    assert status == 401 and mask_key(live) in body["error"]["message"]
    assert live not in body["error"]["message"]
    assert redact_text(live) == mask_key(live)


def test_the_log_shows_only_a_masked_key():
    assert key_for_log(basic(DOCS_KEY)) == mask_key(DOCS_KEY)
    assert key_for_log(None) == "-"
    assert key_for_log("Basic ???") == "-"


def test_authenticate_raises_the_engines_authentication_error():
    with pytest.raises(AuthenticationError) as caught:
        Keys().authenticate({})
    assert caught.value.http_status == 401
