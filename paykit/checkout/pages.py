"""The checkout's pages: what "your server" answers beside the API.

Every path is relative (``v3/``, ``secret``, ``return``), so the same pages work at
``http://127.0.0.1:4242/`` and behind Jupyter's proxy at ``/proxy/4242/``. A page that
holds a client secret is never cached (``Cache-Control: no-store``): the guide's caution
(https://docs.stripe.com/payments/payment-intents) about storing it.

>>> import paykit
>>> checkout = Checkout(paykit.Sandbox(seed=0))
>>> status, headers, body = checkout.answer("GET", "/secret", "")
>>> status, body.startswith(b'{"client_secret": "pi_')
(200, True)
>>> checkout.answer("GET", "/v1/payment_intents", "") is None
True
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from paykit.currencies import format_amount
from paykit.sandbox import Sandbox

__all__ = ["PAGES", "PUBLISHABLE_KEY", "Checkout"]

#: The key the pages give ``Stripe(...)``: any ``pk_test_`` key works with the sandbox.
PUBLISHABLE_KEY = "pk_test_paykit"

#: path -> (template file, whether the page creates a PaymentIntent for itself).
PAGES: dict[str, tuple[str, bool]] = {
    "/": ("index.html", False),
    "/spa": ("spa.html", False),
    "/server-rendered": ("server_rendered.html", True),
    "/payment-element": ("payment_element.html", True),
    "/return": ("return.html", False),
}

_Response = tuple[int, dict[str, str], bytes]


@dataclass
class Checkout:
    """The pages of one shop selling one thing (``amount`` in ``currency``)."""

    sandbox: Sandbox
    amount: int = 1099
    currency: str = "usd"
    publishable_key: str = PUBLISHABLE_KEY

    def answer(self, method: str, path: str, query: str) -> _Response | None:
        """A page, ``/secret``, or ``None`` (the API and Stripe.js answer the rest)."""
        if method != "GET":
            return None
        if path == "/secret":  # the seed's `get '/secret'`: a new intent, its secret only
            body = json.dumps({"client_secret": self._new_intent()})
            return 200, _headers("application/json"), body.encode()
        page = PAGES.get(path)
        if page is None:
            return None
        template, creates = page
        secret = self._new_intent() if creates else ""
        return 200, _headers("text/html; charset=utf-8"), self.render(template, secret)

    def render(self, template: str, client_secret: str = "") -> bytes:
        """The template with its ``{{name}}`` fields filled in, HTML-escaped."""
        text = files("paykit.checkout").joinpath(template).read_text(encoding="utf-8")
        values: dict[str, Any] = {
            "client_secret": client_secret,
            "publishable_key": self.publishable_key,
            "amount": format_amount(self.amount, self.currency),
            "sandbox": f"seed {self.sandbox.seed!r}",
        }
        for name, value in values.items():
            text = text.replace("{{" + name + "}}", html.escape(str(value)))
        return text.encode()

    def check(self) -> None:
        """Raise the engine's error now if ``amount`` / ``currency`` cannot be charged
        (tried on a scratch sandbox: the shop's own stays untouched)."""
        Sandbox(seed="paykit-checkout-check").payment_intents.create(
            amount=self.amount, currency=self.currency)

    def _new_intent(self) -> str:
        """A PaymentIntent for this checkout (no payment_method_types: the account's
        defaults apply, as the current API version wants)."""
        intent = self.sandbox.payment_intents.create(amount=self.amount, currency=self.currency)
        secret = intent.client_secret
        assert secret is not None
        return secret


def _headers(content_type: str) -> dict[str, str]:
    return {"Content-Type": content_type, "Cache-Control": "no-store"}
