"""ClientSecretFlow: the server creates, the browser confirms, the secret never shows."""

from __future__ import annotations

import pytest

import paykit
from paykit.widgets import ClientSecretFlow
from paykit.widgets.client_secret import PUBLISHABLE_KEY_RULES, ClientSecretSession


def shows_whole(flow: ClientSecretFlow, secret: str) -> bool:
    """Whether any text of the widget, or its notebook text, holds the whole secret."""
    texts = [*flow.texts(), flow._repr_mimebundle_()["text/plain"], repr(flow)]
    return any(secret in text for text in texts)


def test_the_whole_flow_never_displays_the_whole_secret(sb: paykit.Sandbox) -> None:
    flow = ClientSecretFlow(sb)
    assert flow.fetch_button.disabled and flow.confirm_button.disabled
    flow.create_button.click()
    secret = flow.session.endpoint_response()["client_secret"]
    assert secret.startswith(flow.session.intent_id + "_secret_")
    assert not flow.fetch_button.disabled and flow.confirm_button.disabled
    assert "_secret_****" in flow.server.value and not shows_whole(flow, secret)
    flow.fetch_button.click()
    assert not flow.confirm_button.disabled and not shows_whole(flow, secret)
    flow.payment_method.value = "pm_card_threeDSecure2Required"
    flow.confirm_button.click()
    assert flow.session.status() == "requires_action"
    assert flow.authenticate_button.layout.display is None  # shown: the table allows it
    assert not shows_whole(flow, secret)
    flow.authenticate_button.click()
    assert flow.session.status() == "succeeded"
    assert flow.authenticate_button.layout.display == "none"
    for button in [*flow.try_buttons.values(), flow.tamper_button]:
        button.click()
        assert not shows_whole(flow, secret)
    assert sb.payment_intents.retrieve(flow.session.intent_id).status == "succeeded"


def test_the_endpoint_returns_the_secret_and_nothing_else(sb: paykit.Sandbox) -> None:
    session = ClientSecretSession(sb)
    with pytest.raises(ValueError):
        session.endpoint_response()
    session.server_create(2000, "eur")
    assert list(session.endpoint_response()) == ["client_secret"]


def test_the_client_confirms_with_only_the_secret(sb: paykit.Sandbox) -> None:
    session = ClientSecretSession(sb)
    with pytest.raises(ValueError):
        session.client_fetch()
    session.server_create()
    with pytest.raises(ValueError):
        session.client_confirm()
    session.client_fetch()
    outcome = session.client_confirm("pm_card_visa")
    assert outcome.ok and outcome.status_after == "succeeded"
    assert "payment_intent.succeeded" in outcome.event_types


def test_an_altered_secret_is_refused_by_the_engine(sb: paykit.Sandbox) -> None:
    session = ClientSecretSession(sb)
    session.server_create()
    session.client_fetch()
    outcome = session.client_tamper()
    assert outcome.error is not None and outcome.error["error"]["param"] == "client_secret"


@pytest.mark.parametrize("rule", PUBLISHABLE_KEY_RULES, ids=lambda r: r.operation)
def test_a_publishable_key_may_only_do_what_the_table_says(
        sb: paykit.Sandbox, rule) -> None:
    session = ClientSecretSession(sb)
    session.server_create()
    session.client_fetch()
    if rule.operation == "authenticate":
        session.client_confirm("pm_card_threeDSecure2Required")
    outcome = session.client_attempt(rule.operation)
    if rule.publishable:
        assert outcome.ok
    else:
        assert outcome.error is not None
        assert "publishable API key" in outcome.error["error"]["message"]
        assert outcome.events == ()


def test_the_cautions_of_the_guide_are_on_screen(sb: paykit.Sandbox) -> None:
    text = " ".join(ClientSecretFlow(sb).texts())
    for word in ("log", "URL", "TLS", "customer"):
        assert word in text
