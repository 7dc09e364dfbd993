"""``ClientSecretFlow``: the server creates, the browser confirms with only the client secret.

Stripe's guide (https://docs.stripe.com/payments/payment-intents, on passing the client
secret to the client): create the PaymentIntent on your server and hand the browser
its client secret, not the whole object, for example from an endpoint the page
``fetch``-es; the browser then confirms with Stripe.js and your publishable key. The
secret can complete the payment of the amount the server set, so: do not store or log
it, do not put it in a URL, show it to no one but the customer, and serve every page
that holds it over TLS.

The two sides are two columns. Every secret on screen is masked
(``paykit.objects.mask_secret``); the full value lives only in ``ClientSecretSession``.
The calls are the sandbox's own: the browser's confirm first retrieves the intent with
the secret (a wrong secret is refused by the engine); what a publishable key may not do
answers with the error Stripe sends for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from paykit import currencies
from paykit.errors import AuthenticationError
from paykit.lifecycle import Action, allowed_actions, parse_status
from paykit.objects import mask_secret
from paykit.payment_methods import TEST_PAYMENT_METHODS
from paykit.sandbox import Sandbox
from paykit.widgets import layout as ui
from paykit.widgets.outcome import Outcome, execute, observe
from paykit.widgets.requests import ApiRequest, as_python

__all__ = [
    "CAUTIONS",
    "PUBLISHABLE_KEY_MESSAGE",
    "PUBLISHABLE_KEY_RULES",
    "ClientSecretFlow",
    "ClientSecretSession",
    "KeyRule",
]

#: What Stripe answers a publishable key that calls a secret-key endpoint (HTTP 401).
PUBLISHABLE_KEY_MESSAGE = (
    "This API call cannot be made with a publishable API key. Please use a secret API key. "
    "You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."
)

#: The guide's cautions about the client secret (https://docs.stripe.com/payments/payment-intents).
CAUTIONS: tuple[str, ...] = (
    "It can complete the payment of the amount the intent holds: treat it as a secret.",
    "Do not store it and do not log it (server logs, analytics, error reports).",
    "Do not put it in a URL: URLs end up in histories, logs and Referer headers.",
    "Reveal it to no one but the customer paying.",
    "Serve every page that holds it over TLS (https).",
)


@dataclass(frozen=True, slots=True)
class KeyRule:
    """Whether the browser (publishable key + client secret) may make a call, and why."""

    operation: str
    publishable: bool
    why: str


#: What a publishable key with the client secret may and may not do.
PUBLISHABLE_KEY_RULES: tuple[KeyRule, ...] = (
    KeyRule("retrieve", True, "read this intent's status to show the customer "
            "(stripe.retrievePaymentIntent, with the secret)"),
    KeyRule("confirm", True, "pay the amount the server set (stripe.confirmCardPayment)"),
    KeyRule("authenticate", True, "complete 3D Secure (next_action, stripe.handleCardAction)"),
    KeyRule("create", False, "what to charge is the server's decision: the secret key only"),
    KeyRule("update", False, "changing the amount or metadata is the server's job"),
    KeyRule("capture", False, "moving the money needs the secret key"),
    KeyRule("cancel", False, "canceling needs the secret key"),
    KeyRule("list", False, "a list would show other customers' payments"),
)


class ClientSecretSession:
    """The two sides of the flow. The server holds the intent; the client only its secret."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.intent_id: str | None = None
        self._server_secret: str | None = None
        self._client_secret: str | None = None
        self.outcomes: list[Outcome] = []

    # -- the server (secret key) ---------------------------------------------------------------

    def server_create(self, amount: int = 1099, currency: str = "usd") -> Outcome:
        """``POST /v1/payment_intents`` with the secret key; the client forgets any old secret."""
        request = ApiRequest("create", params={"amount": amount, "currency": currency})
        outcome = execute(self.sandbox, request, label="server: create the PaymentIntent")
        if outcome.result is not None:
            self.intent_id = str(outcome.result["id"])
            self._server_secret = str(outcome.result["client_secret"])
            self._client_secret = None
        self.outcomes.append(outcome)
        return outcome

    def endpoint_response(self) -> dict[str, str]:
        """What ``GET /secret`` returns: the client secret and nothing else."""
        if self._server_secret is None:
            raise ValueError("the server has not created an intent yet")
        return {"client_secret": self._server_secret}

    # -- the client (publishable key + client secret) --------------------------------------------

    def client_fetch(self) -> str:
        """``fetch('/secret')``: the browser now holds the secret; returns it masked."""
        self._client_secret = self.endpoint_response()["client_secret"]
        return self.masked_secret or ""

    @property
    def client_has_secret(self) -> bool:
        return self._client_secret is not None

    @property
    def masked_secret(self) -> str | None:
        """The secret as the screen may show it."""
        return mask_secret(self._client_secret or self._server_secret)

    @staticmethod
    def intent_of(secret: str) -> str:
        """The intent id a client secret belongs to (what Stripe.js reads from it)."""
        return secret.partition("_secret_")[0]

    def _require_secret(self) -> str:
        if self._client_secret is None:
            raise ValueError("the client has no secret yet: fetch it from the server")
        return self._client_secret

    def client_retrieve(self, secret: str | None = None) -> Outcome:
        """Read the intent with a client secret; a wrong secret is refused."""
        secret = secret or self._require_secret()
        intents = self.sandbox.payment_intents
        outcome = observe(self.sandbox, "client: retrieve with the client secret",
                          lambda: intents.retrieve(self.intent_of(secret), client_secret=secret))
        self.outcomes.append(outcome)
        return outcome

    def client_confirm(self, payment_method: str = "pm_card_visa") -> Outcome:
        """Confirm with the client secret, as Stripe.js does (it checks the secret first)."""
        secret = self._require_secret()
        intent = self.intent_of(secret)
        intents = self.sandbox.payment_intents

        def confirm() -> object:
            intents.retrieve(intent, client_secret=secret)
            return intents.confirm(intent, payment_method=payment_method, client_secret=secret)

        before = str(intents.retrieve(intent).status)
        outcome = observe(self.sandbox, f"client: confirm with {payment_method}", confirm,
                          status_before=before, status_of=lambda: self._status(intent))
        self.outcomes.append(outcome)
        return outcome

    def client_authenticate(self, success: bool = True) -> Outcome:
        """The customer completes (or fails) 3D Secure in the browser."""
        intent = self.intent_of(self._require_secret())
        intents = self.sandbox.payment_intents
        label = "customer: " + ("completes" if success else "fails") + " 3D Secure"
        outcome = observe(self.sandbox, label,
                          lambda: intents.authenticate(intent, success=success),
                          status_before=self._status(intent),
                          status_of=lambda: self._status(intent))
        self.outcomes.append(outcome)
        return outcome

    def client_attempt(self, operation: str) -> Outcome:
        """Try ``operation`` from the browser. Those a publishable key may not make fail
        as Stripe fails them, before reaching the intent."""
        rule = next((r for r in PUBLISHABLE_KEY_RULES if r.operation == operation), None)
        if rule is None:
            raise ValueError(f"unknown operation {operation!r}")
        if rule.publishable:
            if operation == "confirm":
                return self.client_confirm()
            if operation == "authenticate":
                return self.client_authenticate()
            return self.client_retrieve()

        def refused() -> None:
            raise AuthenticationError(PUBLISHABLE_KEY_MESSAGE, http_status=401)

        outcome = observe(self.sandbox, f"client: {operation} with the publishable key", refused)
        self.outcomes.append(outcome)
        return outcome

    def client_tamper(self) -> Outcome:
        """Use an altered secret: the engine refuses a secret that is not this intent's."""
        secret = self._require_secret()
        last = "A" if secret[-1] != "A" else "B"
        return self.client_retrieve(secret[:-1] + last)

    def _status(self, intent: str) -> str:
        return str(self.sandbox.payment_intents.retrieve(intent).status)

    def status(self) -> str | None:
        return None if self.intent_id is None else self._status(self.intent_id)


_SERVER_CODE = '''from flask import Flask

app = Flask(__name__)

@app.get("/secret")
def secret():
    {create}
    return {{"client_secret": intent.client_secret}}  # the secret only, never the intent
'''

_CLIENT_CODE = """const response = await fetch('/secret');
const {{client_secret: clientSecret}} = await response.json();  // {masked}
const {{error, paymentIntent}} = await stripe.confirmCardPayment(clientSecret, {{
  payment_method: '{payment_method}',
}});"""


def _button(description: str, **kwargs: str) -> widgets.Button:
    """A button as wide as its label (the default width cuts long labels)."""
    return widgets.Button(description=description, layout=widgets.Layout(width="max-content"),
                          **kwargs)


class ClientSecretFlow(ui.WidgetView):
    """The server (secret key) and the browser (publishable key) side by side.

    Server controls: ``amount``, ``currency``, ``create_button``. Client controls:
    ``fetch_button``, ``payment_method``, ``confirm_button``, ``authenticate_button``,
    ``tamper_button``, and ``try_buttons[operation]`` for every row of
    ``PUBLISHABLE_KEY_RULES``. Output: ``server``, ``client``, ``attempts`` (the last
    call's result). The logic and the full secret live in ``session``.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.session = ClientSecretSession(sandbox)
        style, layout = ui.DESCRIPTION_STYLE, ui.control_layout
        self.amount = widgets.IntText(value=1099, description="amount", style=style,
                                      layout=layout())
        self.currency = widgets.Dropdown(options=sorted(currencies.CURRENCIES), value="usd",
                                         description="currency", style=style, layout=layout())
        self.create_button = _button("Create the intent", icon="server", button_style="primary")
        self.create_button.add_class("paykit-server-create")
        self.server = ui.pane(css_class="paykit-server")
        self.fetch_button = _button("fetch('/secret')", icon="download")
        self.fetch_button.add_class("paykit-client-fetch")
        self.payment_method = widgets.Dropdown(
            options=[(f"{pm.id} — {pm.description}", pm.id)
                     for pm in TEST_PAYMENT_METHODS.values() if pm.type == "card"],
            value="pm_card_visa", description="card", style=style, layout=layout())
        self.confirm_button = _button("Confirm with the secret", icon="lock")
        self.confirm_button.add_class("paykit-client-confirm")
        self.authenticate_button = _button("Complete 3D Secure")
        self.tamper_button = _button("Try an altered secret",
                                     tooltip="the engine checks the secret")
        self.client = ui.pane(css_class="paykit-client")
        self.attempts = ui.pane(css_class="paykit-attempts")
        self.try_buttons: dict[str, widgets.Button] = {}
        for rule in PUBLISHABLE_KEY_RULES:
            button = widgets.Button(description=f"try {rule.operation}",
                                    tooltip=rule.why, layout=widgets.Layout(width="130px"))
            button.on_click(lambda _, op=rule.operation: self._show(
                self.session.client_attempt(op)))
            self.try_buttons[rule.operation] = button

        self.create_button.on_click(lambda _: self.create())
        self.fetch_button.on_click(lambda _: self.fetch())
        self.confirm_button.on_click(lambda _: self.confirm())
        self.authenticate_button.on_click(lambda _: self._show(
            self.session.client_authenticate()))
        self.tamper_button.on_click(lambda _: self._show(self.session.client_tamper()))
        for control in (self.payment_method, self.amount, self.currency):
            control.observe(lambda _: self.refresh(), names="value")

        server_box = widgets.VBox([
            widgets.HTML('<div class="paykit-title">Your server · secret key</div>'),
            self.amount, self.currency, self.create_button, self.server,
        ], layout=widgets.Layout(flex="1 1 380px", min_width="320px"))
        client_box = widgets.VBox([
            widgets.HTML('<div class="paykit-title">The customer\'s browser · publishable key'
                         "</div>"),
            self.fetch_button, self.payment_method,
            widgets.HBox([self.confirm_button, self.authenticate_button]), self.client,
        ], layout=widgets.Layout(flex="1 1 380px", min_width="320px"))
        server_box.add_class("paykit-side")
        client_box.add_class("paykit-side")
        rules = ui.table(
            ["call", "publishable key + client secret", "why"],
            [[ui.esc(r.operation), '<span class="paykit-ok">may</span>' if r.publishable
              else '<span class="paykit-error">may not</span>', ui.esc(r.why)]
             for r in PUBLISHABLE_KEY_RULES], mono=(0,))
        cautions = "".join(f"<li>{ui.esc(c)}</li>" for c in CAUTIONS)
        self.root = widgets.VBox([
            ui.stylesheet(),
            ui.section_title("The client secret: server creates, browser confirms"),
            widgets.HBox([server_box, client_box],
                         layout=widgets.Layout(flex_flow="row wrap", width="100%")),
            widgets.HTML(f'<div class="paykit-subtitle">What the browser may do</div>{rules}'),
            widgets.HBox([*self.try_buttons.values(), self.tamper_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.attempts,
            widgets.HTML('<div class="paykit-subtitle">Cautions</div>'
                         f'<ul class="paykit-note">{cautions}</ul>'),
        ], layout=widgets.Layout(width="100%"))
        self.root.add_class("paykit-widget")
        self.root.add_class("paykit-client-secret-flow")
        self.refresh()

    def create(self) -> Outcome:
        outcome = self.session.server_create(self.amount.value, self.currency.value)
        self._show(outcome)
        return outcome

    def fetch(self) -> str:
        shown = self.session.client_fetch()
        self.refresh()
        return shown

    def confirm(self) -> Outcome:
        outcome = self.session.client_confirm(self.payment_method.value)
        self._show(outcome)
        return outcome

    def _show(self, outcome: Outcome) -> None:
        self.attempts.value = ui.outcome_html(outcome, len(self.session.outcomes),
                                              show_request=False)
        self.refresh()

    def refresh(self) -> None:
        """Enable what each side can do now and redraw both columns (secrets masked)."""
        session = self.session
        created = session.intent_id is not None
        has_secret = session.client_has_secret
        status = session.status()
        allowed = allowed_actions(parse_status(status)) if status else ()
        self.fetch_button.disabled = not created
        self.confirm_button.disabled = not has_secret or Action.CONFIRM not in allowed
        self.authenticate_button.layout.display = (
            None if has_secret and Action.AUTHENTICATE in allowed else "none")
        self.tamper_button.disabled = not has_secret
        for button in self.try_buttons.values():
            button.disabled = not has_secret
        params = {"amount": self.amount.value, "currency": self.currency.value}
        create = as_python(ApiRequest("create", params=params), setup=False)
        server = ui.code_block(_SERVER_CODE.format(create=create.replace("\n", "\n    ")))
        if created:
            response = ui.json_block({"client_secret": session.masked_secret},
                                     "GET /secret answers", open=True)
            server += (f'<div class="paykit-note">Created <code>{ui.esc(session.intent_id)}'
                       f"</code> ({ui.esc(status)}).</div>{response}")
        self.server.value = server
        masked = session.masked_secret if has_secret else "the secret, once fetched"
        client = ui.code_block(_CLIENT_CODE.format(masked=masked,
                                                   payment_method=self.payment_method.value))
        holds = (f"holds <code>{ui.esc(masked)}</code> (masked on screen) for intent "
                 f"<code>{ui.esc(session.intent_of(session.masked_secret or ''))}</code>"
                 if has_secret else "holds no secret yet")
        state = f" · status {ui.badge(status, 'paykit-current')}" if status else ""
        self.client.value = f'<div class="paykit-note">The browser {holds}{state}</div>' + client

    def __repr__(self) -> str:
        session = self.session
        return (f"<ClientSecretFlow intent={session.intent_id} status={session.status()} "
                f"client_secret={session.masked_secret}>")
