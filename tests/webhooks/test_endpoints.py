"""The Webhook Endpoints API, in Python and through the official SDK (in-process)."""

from __future__ import annotations

import json

import pytest

import paykit
from paykit.http import handle
from paykit.webhooks.endpoints import MAX_ENDPOINTS

URL = "https://example.com/webhook"


def test_create_returns_every_field_and_the_secret_only_then(sb) -> None:
    we = sb.webhook_endpoints.create(url=URL, enabled_events=["*"], description="orders",
                                     metadata={"team": "payments"})
    assert we.id.startswith("we_") and we.secret.startswith("whsec_")
    assert sorted(we.keys()) == sorted([
        "id", "object", "api_version", "application", "created", "description",
        "enabled_events", "livemode", "metadata", "secret", "status", "url"])
    assert (we.object, we.status, we.url, we.enabled_events, we.api_version) == (
        "webhook_endpoint", "enabled", URL, ["*"], None)
    assert we.created == sb.now and we.metadata == {"team": "payments"}
    assert "secret" not in sb.webhook_endpoints.retrieve(we.id)
    assert all("secret" not in e for e in sb.webhook_endpoints.list().data)


def test_each_endpoint_has_its_own_secret_and_the_seed_decides_them() -> None:
    def secrets(seed: int) -> list[str]:
        sb = paykit.Sandbox(seed=seed)
        return [sb.webhook_endpoints.create(url=URL, enabled_events=["*"]).secret
                for _ in range(2)]

    assert secrets(0) == secrets(0) != secrets(1)
    assert len(set(secrets(0))) == 2


def test_url_and_enabled_events_are_required(sb) -> None:
    with pytest.raises(paykit.InvalidRequestError) as missing:
        sb.webhook_endpoints.create(url=URL)
    assert missing.value.param == "enabled_events"
    with pytest.raises(paykit.InvalidRequestError) as no_url:
        sb.webhook_endpoints.create(enabled_events=["*"])
    assert no_url.value.param == "url"


def test_an_unknown_event_type_or_a_bad_url_is_refused(sb) -> None:
    with pytest.raises(paykit.InvalidRequestError) as unknown:
        sb.webhook_endpoints.create(url=URL, enabled_events=["charge.succeeded", "pi.paid"])
    assert unknown.value.param == "enabled_events[1]"
    with pytest.raises(paykit.InvalidRequestError):
        sb.webhook_endpoints.create(url="not a url", enabled_events=["*"])
    with pytest.raises(paykit.InvalidRequestError) as version:
        sb.webhook_endpoints.create(url=URL, enabled_events=["*"], api_version="latest")
    assert version.value.param == "api_version"


def test_event_types_stripe_lists_are_accepted_even_those_paykit_never_emits(sb) -> None:
    we = sb.webhook_endpoints.create(url=URL, enabled_events=["invoice.paid", "refund.failed"])
    assert we.enabled_events == ["invoice.paid", "refund.failed"]


def test_update_changes_url_events_description_metadata_and_status(sb) -> None:
    we = sb.webhook_endpoints.create(url=URL, enabled_events=["*"], metadata={"a": "1"})
    updated = sb.webhook_endpoints.update(
        we.id, url="https://example.com/v2", enabled_events=["charge.failed"],
        description="v2", metadata={"a": "", "b": "2"}, disabled=True)
    assert (updated.url, updated.enabled_events, updated.description, updated.metadata,
            updated.status) == ("https://example.com/v2", ["charge.failed"], "v2",
                                {"b": "2"}, "disabled")
    assert sb.webhook_endpoints.update(we.id, disabled=False).status == "enabled"
    assert sb.webhook_endpoints.update(we.id, description="").description is None


def test_api_version_is_set_on_create_only(sb) -> None:
    we = sb.webhook_endpoints.create(url=URL, enabled_events=["*"],
                                     api_version="2024-04-10")
    assert we.api_version == "2024-04-10"
    with pytest.raises(paykit.InvalidRequestError) as refused:
        sb.webhook_endpoints.update(we.id, api_version="2025-01-27.acacia")
    assert refused.value.code == "parameter_unknown"


def test_delete_answers_the_deleted_form_and_the_endpoint_is_gone(sb) -> None:
    we = sb.webhook_endpoints.create(url=URL, enabled_events=["*"])
    assert sb.webhook_endpoints.delete(we.id).to_dict() == {
        "id": we.id, "object": "webhook_endpoint", "deleted": True}
    with pytest.raises(paykit.InvalidRequestError) as missing:
        sb.webhook_endpoints.retrieve(we.id)
    assert missing.value.http_status == 404 and missing.value.code == "resource_missing"


def test_the_list_is_newest_first_and_pages(sb) -> None:
    ids = [sb.webhook_endpoints.create(url=URL, enabled_events=["*"]).id for _ in range(3)]
    page = sb.webhook_endpoints.list(limit=2)
    assert [e.id for e in page.data] == ids[::-1][:2] and page.has_more
    rest = sb.webhook_endpoints.list(starting_after=page.data[-1].id)
    assert [e.id for e in rest.data] == [ids[0]] and not rest.has_more


def test_at_most_sixteen_endpoints(sb) -> None:
    for _ in range(MAX_ENDPOINTS):
        sb.webhook_endpoints.create(url=URL, enabled_events=["*"])
    with pytest.raises(paykit.InvalidRequestError, match="maximum of 16"):
        sb.webhook_endpoints.create(url=URL, enabled_events=["*"])


def test_an_idempotency_key_replays_the_create_with_its_secret(sb) -> None:
    first = sb.webhook_endpoints.create(url=URL, enabled_events=["*"], idempotency_key="k1")
    again = sb.webhook_endpoints.create(url=URL, enabled_events=["*"], idempotency_key="k1")
    assert again == first and len(sb.webhook_endpoints.list().data) == 1


def test_a_faults_switch_out_of_range_is_refused(sb) -> None:
    with pytest.raises(ValueError):
        sb.webhook_endpoints.faults(duplicate=2)
    with pytest.raises(ValueError):
        sb.webhook_endpoints.timeout = 0


# -- over the wire, with the official SDK --------------------------------------------------


def test_the_sdk_creates_updates_lists_and_deletes_endpoints(sb) -> None:
    stripe = pytest.importorskip("stripe")
    client = paykit.stripe_client(sb)
    endpoints = client.v1.webhook_endpoints
    we = endpoints.create(params={"url": URL, "enabled_events": ["payment_intent.succeeded"],
                                  "metadata": {"a": "1"}})
    assert we.secret.startswith("whsec_") and we.enabled_events == ["payment_intent.succeeded"]
    assert "secret" not in endpoints.retrieve(we.id).to_dict()
    assert endpoints.update(we.id, params={"disabled": True}).status == "disabled"
    assert [e.id for e in endpoints.list().data] == [we.id]
    assert endpoints.delete(we.id).deleted is True
    with pytest.raises(stripe.InvalidRequestError):
        endpoints.retrieve(we.id)


def test_receiver_is_not_a_wire_parameter(sb) -> None:
    status, _, body = handle(
        sb, "POST", "/v1/webhook_endpoints", "", {"Authorization": "Bearer sk_test_1"},
        b"url=https://example.com/h&enabled_events[]=*&receiver=x")
    assert status == 400 and b"receiver" in body


def test_events_retry_resends_one_event_to_one_endpoint(sb) -> None:
    got = []
    we = sb.webhook_endpoints.create(url=URL, enabled_events=["*"],
                                     receiver=lambda body, headers: got.append(body))
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.webhook_endpoints.wait()
    event = sb.events.list()[0].id
    status, _, _ = handle(
        sb, "POST", f"/v1/events/{event}/retry", "", {"Authorization": "Bearer sk_test_1"},
        f"webhook_endpoint={we.id}".encode())
    sb.webhook_endpoints.wait()
    first, again = (json.loads(body) for body in got)
    assert status == 200 and first["id"] == again["id"] == event
    # rendered at each attempt: the first delivery is no longer pending by then
    assert (first["pending_webhooks"], again["pending_webhooks"]) == (1, 0)
    status, _, body = handle(
        sb, "POST", f"/v1/events/{event}/retry", "", {"Authorization": "Bearer sk_test_1"},
        b"")
    assert status == 400 and b"webhook_endpoint" in body


def test_endpoints_and_delivered_events_match_stripes_schemas(sb) -> None:
    pytest.importorskip("jsonschema")
    schemas = pytest.importorskip("tests.test_openapi_next_schemas")
    if not schemas.SPEC_FILE.exists():
        pytest.skip(f"needs {schemas.SPEC_FILE}")
    bodies = []
    we = sb.webhook_endpoints.create(url=URL, enabled_events=["*"], description="d",
                                     receiver=lambda body, headers: bodies.append(body))
    schemas._check("webhook_endpoint", we.to_dict())
    schemas._check("webhook_endpoint", sb.webhook_endpoints.update(we.id, disabled=True,
                                                                   metadata={"a": "b"})
                   .to_dict())
    sb.webhook_endpoints.update(we.id, disabled=False)
    sb.payment_intents.create(amount=1099, currency="usd", payment_method="pm_card_visa",
                              confirm=True)
    sb.webhook_endpoints.wait()
    assert len(bodies) == 3
    for body in bodies:
        event = json.loads(body)
        schemas._check("event", event)
    schemas._check("deleted_webhook_endpoint", sb.webhook_endpoints.delete(we.id).to_dict())


def test_each_endpoint_gets_events_in_its_own_api_version(sb) -> None:
    got: dict[str, list[dict]] = {"pinned": [], "default": []}
    sb.webhook_endpoints.create(url=URL, enabled_events=["payment_intent.created"],
                                api_version="2018-11-08",
                                receiver=lambda body, headers: got["pinned"].append(
                                    json.loads(body)))
    sb.webhook_endpoints.create(url=URL, enabled_events=["payment_intent.created"],
                                receiver=lambda body, headers: got["default"].append(
                                    json.loads(body)))
    sb.payment_intents.create(amount=1099, currency="usd")
    sb.webhook_endpoints.wait()
    (pinned,), (default,) = got["pinned"], got["default"]
    assert pinned["id"] == default["id"]
    assert (pinned["api_version"], pinned["data"]["object"]["status"]) == (
        "2018-11-08", "requires_source")
    assert (default["api_version"], default["data"]["object"]["status"]) == (
        sb.api_version, "requires_payment_method")
    # the Events API keeps the account's version
    assert sb.events.retrieve(pinned["id"]).api_version == sb.api_version
