"""``IntentBuilder``: compose ``POST /v1/payment_intents`` field by field, then send it.

As the learner types, each field shows what ``paykit.params.check`` says about it (the
rules the sandbox enforces, never restated here), the amount is shown in its currency
(1099 ``usd`` is $10.99, 1099 ``jpy`` is ¥1099: no decimals), and the request appears
as the official ``stripe`` SDK call and as curl, with the JSON the API would answer. The
Create button sends it to the learner's sandbox; an idempotency key makes a second click
return the same intent, as Stripe's guide recommends
(https://docs.stripe.com/payments/payment-intents, "Best practices").

The logic is ``IntentDraft`` (the form as data), ``field_problems`` and
``preview_response``; ``IntentBuilder`` only wires widgets to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from paykit import currencies
from paykit.errors import StripeError
from paykit.idempotency import KEY_MAX_LENGTH
from paykit.params import RULES, check, customer_statement
from paykit.sandbox import Sandbox
from paykit.sensitive import scan
from paykit.widgets import layout as ui
from paykit.widgets.metadata import MetadataRows
from paykit.widgets.outcome import Outcome, execute
from paykit.widgets.requests import ApiRequest, as_curl, as_python

__all__ = [
    "FIELDS",
    "IntentBuilder",
    "IntentDraft",
    "account_prefix",
    "amount_hint",
    "field_problems",
    "field_warnings",
    "preview_response",
]

#: The fields of the form, in the order shown; problems about others go to ``request``.
FIELDS: tuple[str, ...] = (
    "amount", "currency", "capture_method", "setup_future_usage", "statement_descriptor",
    "statement_descriptor_suffix", "metadata", "idempotency_key",
)


@dataclass(frozen=True)
class IntentDraft:
    """The form as data. An empty text or choice is not sent, as with the SDKs."""

    amount: int | None = 1099
    currency: str = "usd"
    capture_method: str = ""
    setup_future_usage: str = ""
    statement_descriptor: str = ""
    statement_descriptor_suffix: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
    idempotency_key: str = ""

    def params(self) -> dict[str, Any]:
        """The request body: what the learner set, in the form's order."""
        params: dict[str, Any] = {}
        if self.amount is not None:
            params["amount"] = self.amount
        for name in ("currency", "capture_method", "setup_future_usage",
                     "statement_descriptor", "statement_descriptor_suffix"):
            value = getattr(self, name)
            if value:
                params[name] = value
        if self.metadata:
            params["metadata"] = dict(self.metadata)
        return params

    def request(self) -> ApiRequest:
        return ApiRequest("create", params=self.params(),
                          idempotency_key=self.idempotency_key or None)


def field_problems(draft: IntentDraft, api_version: str | None = None,
                   ) -> dict[str, tuple[str, ...]]:
    """The engine's messages grouped by the field at fault (``request`` for the rest)."""
    grouped: dict[str, list[str]] = {}
    for problem in check("create", api_version=api_version, **draft.params()):
        name = problem.param if problem.param in FIELDS else "request"
        grouped.setdefault(name, []).append(problem.message)
    if len(draft.idempotency_key) > KEY_MAX_LENGTH:
        grouped.setdefault("idempotency_key", []).append(
            f"Idempotency keys are at most {KEY_MAX_LENGTH} characters; this one has "
            f"{len(draft.idempotency_key)}.")
    return {name: tuple(dict.fromkeys(found)) for name, found in grouped.items()}


def field_warnings(draft: IntentDraft, api_version: str | None = None,
                   prefix: str = "PAYKIT") -> dict[str, tuple[str, ...]]:
    """What would not stop the request but deserves a look, by field."""
    warnings: dict[str, list[str]] = {}
    if draft.statement_descriptor:
        as_card = check("create", api_version=api_version, payment_method_type="card",
                        **draft.params())
        for problem in as_card:
            if problem.param == "statement_descriptor" and problem.message not in \
                    field_problems(draft, api_version).get("statement_descriptor", ()):
                warnings.setdefault("statement_descriptor", []).append(
                    f"If the customer pays by card: {problem.message}")
    if draft.statement_descriptor_suffix:
        statement = customer_statement(prefix, draft.statement_descriptor_suffix)
        warnings.setdefault("statement_descriptor_suffix", []).extend(
            p.message for p in statement.problems if p.param != "statement_descriptor_prefix")
    for name in ("statement_descriptor", "statement_descriptor_suffix", "idempotency_key"):
        for finding in scan(getattr(draft, name)):
            warnings.setdefault(name, []).append(finding.describe())
    if draft.setup_future_usage == "off_session":
        warnings.setdefault("setup_future_usage", []).append(
            "Set up for off-session payments only if you will charge the saved card "
            "without the customer: it can add friction now.")
    return {name: tuple(dict.fromkeys(found)) for name, found in warnings.items()}


def amount_hint(amount: int | None, currency: str) -> str:
    """``$10.99 (usd has 2 decimals: 1099 is in cents)``, or ``""`` when it cannot say."""
    found = currencies.get(currency)
    if found is None or amount is None:
        return ""
    shown = currencies.format_amount(amount, currency)
    if found.exponent == 0:
        why = f"{currency} has no decimals: the amount is in whole units"
    else:
        why = (f"{currency} has {found.exponent} decimals: the amount is in the smallest "
               f"unit, 1/{10 ** found.exponent}")
    return f"{shown} ({why})"


def preview_response(draft: IntentDraft, *, api_version: str | None = None,
                     now: int | None = None) -> dict[str, Any]:
    """The JSON the API would answer: the intent, or the error body.

    Created on a scratch sandbox with a fixed seed, so it is the engine's own answer,
    the same on every run, and the learner's sandbox is untouched (ids will differ).
    """
    scratch = (Sandbox(seed="paykit-preview", api_version=api_version) if now is None else
               Sandbox(seed="paykit-preview", api_version=api_version, start=now))
    try:
        return scratch.payment_intents.create(**draft.params()).to_dict()
    except StripeError as exc:
        return exc.to_dict()


def account_prefix(sandbox: Sandbox) -> str:
    """The card prefix of the sandbox's account: what the suffix is appended to."""
    return sandbox.statement_descriptor_prefix


def _choices(rule_name: str, unset: str) -> list[tuple[str, str]]:
    """Dropdown options from the rule table's enum, with "not sent" first."""
    return [(unset, ""), *((value, value) for value in RULES[rule_name].enum)]


class IntentBuilder(ui.WidgetView):
    """Build a create request field by field, see it as code, and create it.

    Controls: ``amount``, ``currency``, ``capture_method``, ``setup_future_usage``,
    ``statement_descriptor``, ``statement_descriptor_suffix``, ``metadata``
    (``MetadataRows``), ``idempotency_key``, ``create_button``. Next to each field,
    ``messages[name]`` (an ``HTML``). Output: ``python``, ``curl``, ``response`` (the
    preview) and ``result`` (what Create did). ``outcomes`` lists every create sent.
    """

    def __init__(self, sandbox: Sandbox, draft: IntentDraft | None = None) -> None:
        self.sandbox = sandbox
        draft = draft or IntentDraft()
        self.outcomes: list[Outcome] = []
        self._callbacks: list[Callable[[str], None]] = []
        style, layout = ui.DESCRIPTION_STYLE, ui.control_layout
        self.amount = widgets.IntText(value=draft.amount or 0, description="amount",
                                      style=style, layout=layout())
        codes = sorted(currencies.CURRENCIES)
        self.currency = widgets.Dropdown(
            options=[(f"{code} — {currencies.CURRENCIES[code].name}", code) for code in codes],
            value=draft.currency, description="currency", style=style, layout=layout())
        self.capture_method = widgets.Dropdown(
            options=_choices("capture_method", "not sent (API default)"),
            value=draft.capture_method, description="capture_method", style=style,
            layout=layout())
        self.setup_future_usage = widgets.Dropdown(
            options=_choices("setup_future_usage", "not sent"), value=draft.setup_future_usage,
            description="setup_future_usage", style=style, layout=layout())
        self.statement_descriptor = widgets.Text(
            value=draft.statement_descriptor, description="statement_descriptor",
            placeholder="non-card payments, ≤ 22", style=style, layout=layout())
        self.statement_descriptor_suffix = widgets.Text(
            value=draft.statement_descriptor_suffix, description="…_suffix",
            placeholder="after the card prefix", style=style, layout=layout())
        self.metadata = MetadataRows(draft.metadata)
        self.idempotency_key = widgets.Text(
            value=draft.idempotency_key, description="Idempotency-Key",
            placeholder="e.g. the cart id", style=style, layout=layout())
        self.create_button = widgets.Button(description="Create", icon="paper-plane",
                                            button_style="primary",
                                            tooltip="POST /v1/payment_intents to the sandbox")
        self.create_button.add_class("paykit-create")
        self.statement_descriptor.add_class("paykit-statement-descriptor")
        self.messages = {name: widgets.HTML() for name in (*FIELDS, "request")}
        self.messages["amount"].add_class("paykit-amount-hint")

        self.python = ui.pane()
        self.curl = ui.pane()
        self.response = ui.pane()
        self.result = ui.pane(css_class="paykit-result")
        tabs = widgets.Tab(children=[self.python, self.curl, self.response],
                           titles=["Python (stripe)", "curl", "Response"])

        controls = {
            "amount": self.amount, "currency": self.currency,
            "capture_method": self.capture_method,
            "setup_future_usage": self.setup_future_usage,
            "statement_descriptor": self.statement_descriptor,
            "statement_descriptor_suffix": self.statement_descriptor_suffix,
            "metadata": self.metadata.box, "idempotency_key": self.idempotency_key,
        }
        left: list[widgets.Widget] = [ui.section_title("Create a PaymentIntent")]
        for name in FIELDS:
            if name == "metadata":
                left.append(widgets.HTML('<div class="paykit-subtitle">metadata</div>'))
            left += [controls[name], self.messages[name]]
        left += [self.messages["request"], self.create_button]
        self.root = ui.columns(
            left,
            [widgets.HTML('<div class="paykit-subtitle">The request</div>'), tabs,
             widgets.HTML('<div class="paykit-subtitle">Sent to the sandbox</div>'),
             self.result],
            css_class="paykit-intent-builder",
        )
        for control in (self.amount, self.currency, self.capture_method,
                        self.setup_future_usage, self.statement_descriptor,
                        self.statement_descriptor_suffix, self.idempotency_key):
            control.observe(self.refresh, names="value")
        self.metadata.on_change(self.refresh)
        self.create_button.on_click(lambda _: self.create())
        self.result.value = ('<div class="paykit-note">Nothing sent yet. Without an '
                             "idempotency key, each click creates a new intent.</div>")
        self.refresh()

    @property
    def draft(self) -> IntentDraft:
        """The form as it is now."""
        return IntentDraft(
            amount=self.amount.value, currency=self.currency.value,
            capture_method=self.capture_method.value,
            setup_future_usage=self.setup_future_usage.value,
            statement_descriptor=self.statement_descriptor.value,
            statement_descriptor_suffix=self.statement_descriptor_suffix.value,
            metadata=self.metadata.check().metadata,
            idempotency_key=self.idempotency_key.value,
        )

    @property
    def intent_id(self) -> str | None:
        """The id of the last intent created (``None`` before any)."""
        for outcome in reversed(self.outcomes):
            if outcome.result is not None:
                return str(outcome.result["id"])
        return None

    def on_create(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(intent_id)`` after each successful create (link an explorer)."""
        self._callbacks.append(callback)

    def refresh(self, _change: object = None) -> dict[str, tuple[str, ...]]:
        """Recheck every field and redraw the request and its preview."""
        draft = self.draft
        version = self.sandbox.api_version
        problems = field_problems(draft, version)
        warnings = field_warnings(draft, version, account_prefix(self.sandbox))
        for name, widget in self.messages.items():
            html = ui.messages(problems.get(name, ())) + ui.messages(warnings.get(name, ()),
                                                                     "warning")
            if name == "amount":
                hint = amount_hint(draft.amount, draft.currency)
                html = (f'<div class="paykit-msg paykit-note">= {ui.esc(hint)}</div>'
                        if hint else "") + html
            if name == "statement_descriptor_suffix" and draft.statement_descriptor_suffix:
                line = customer_statement(account_prefix(self.sandbox),
                                          draft.statement_descriptor_suffix).text
                html = (f'<div class="paykit-msg paykit-note">card statement: '
                        f"<code>{ui.esc(line)}</code></div>") + html
            widget.value = html
        request = draft.request()
        self.python.value = ui.code_block(as_python(request))
        self.curl.value = ui.code_block(as_curl(request))
        preview = preview_response(draft, api_version=version, now=self.sandbox.now)
        self.response.value = (
            '<div class="paykit-note">What the API answers (ids and secret will differ; '
            "the client secret is masked).</div>"
            + ui.json_block(preview, error="error" in preview)
        )
        return problems

    def create(self) -> Outcome:
        """Send the request to the sandbox and show the intent, or Stripe's error."""
        before = self.intent_id
        outcome = execute(self.sandbox, self.draft.request(), label="create")
        self.outcomes.append(outcome)
        note = ""
        if outcome.ok and outcome.result is not None and not outcome.events:
            note = ('<div class="paykit-msg paykit-ok">Same Idempotency-Key, same parameters: '
                    "Stripe replays the first response, no new intent and no event.</div>")
        elif outcome.ok and before is not None and self.draft.idempotency_key == "":
            note = ('<div class="paykit-msg paykit-warning">A second intent: without an '
                    "Idempotency-Key a retry creates another one.</div>")
        self.result.value = note + ui.outcome_html(outcome, len(self.outcomes),
                                                   show_request=False)
        if outcome.result is not None:
            for callback in self._callbacks:
                callback(str(outcome.result["id"]))
        return outcome

    def __repr__(self) -> str:
        draft, version = self.draft, self.sandbox.api_version
        return (f"<IntentBuilder amount={draft.amount} currency={draft.currency} "
                f"problems={sum(map(len, field_problems(draft, version).values()))} "
                f"created={sum(1 for o in self.outcomes if o.ok)}>")
