"""The customer's browser, played in Python: the requests the Stripe.js stand-in sends.

A notebook cannot click in the other tab, but it can send what the page sends, in the same
order and shape, and show each step: ``fetch('secret')`` to your server, then the confirm
Stripe.js makes with the publishable key and the client secret (``key``,
``client_secret``, ``payment_method_data[card][…]``, ``expected_payment_method_type``,
``use_stripe_sdk``), then, when the card asks for 3D Secure, the customer's answer to the
challenge (paykit's ``/v1/test_helpers/payment_intents/{id}/authenticate``, the engine path
of ``sb.payment_intents.authenticate``). Client secrets are masked wherever a step shows.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from paykit.checkout.pages import PUBLISHABLE_KEY
from paykit.http import forms
from paykit.sensitive import redact_text

__all__ = ["Customer", "Step"]


@dataclass(frozen=True, slots=True)
class Step:
    """One request the customer's browser made, and what came back."""

    what: str
    method: str
    path: str
    sent: dict[str, Any]
    status: int
    received: dict[str, Any]

    def __str__(self) -> str:
        sent = forms.encode(self.sent).replace("&", " ") if self.sent else ""
        answer = self.received
        if "error" in answer:
            error = answer["error"]
            shown = f"error {error.get('code')}: {error.get('message')}"
        elif answer.get("object") in ("payment_intent", "setup_intent"):
            action = (answer.get("next_action") or {}).get("type")
            failure = (answer.get("last_payment_error") or {}).get("code")
            shown = f"{answer['id']} {answer['status']}"
            if action:
                shown += f" (next_action: {action})"
            if failure:
                shown += f" (last_payment_error: {failure})"
        else:
            shown = json.dumps(answer)
        return redact_text(f"{self.what}\n  sent     {self.method} {self.path} {sent}\n"
                           f"  received {self.status} {shown}")


@dataclass
class Customer:
    """A customer at the checkout served at ``base_url`` (``paykit checkout``)."""

    base_url: str
    publishable_key: str = PUBLISHABLE_KEY
    steps: list[Step] = field(default_factory=list)

    def pay(self, number: str, *, authenticate: bool = True, exp_month: int = 12,
            exp_year: int = 2034, cvc: str = "123") -> dict[str, Any]:
        """Pay on the single-page checkout with card ``number``; answer a 3D Secure
        challenge with Complete (``authenticate=True``) or Fail. Returns the last answer."""
        secret = self._send("fetch('secret')", "GET", "/secret", {})["client_secret"]
        intent_id = secret.split("_secret_")[0]
        answer = self._send("stripe.confirmCardPayment(clientSecret, {payment_method: "
                            "{card}})", "POST", f"/v1/payment_intents/{intent_id}/confirm", {
                                "key": self.publishable_key, "client_secret": secret,
                                "payment_method_data": {
                                    "type": "card",
                                    "card": {"number": number, "exp_month": exp_month,
                                             "exp_year": exp_year, "cvc": cvc}},
                                "expected_payment_method_type": "card",
                                "use_stripe_sdk": True})
        if answer.get("status") == "requires_action":
            button = "Complete" if authenticate else "Fail"
            answer = self._send(
                f"3D Secure challenge: the customer clicks '{button} authentication'", "POST",
                f"/v1/test_helpers/payment_intents/{intent_id}/authenticate",
                {"key": self.publishable_key, "client_secret": secret,
                 "success": authenticate})
        return answer

    def _send(self, what: str, method: str, path: str, params: dict[str, Any]) -> Any:
        body = forms.encode(params).encode() if params else None
        request = urllib.request.Request(self.base_url + path, data=body, method=method)
        if body is not None:
            request.add_header("Content-Type", forms.FORM_CONTENT_TYPE)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:  # a decline is 402, with the error's JSON
            status, payload = error.code, error.read()
        received = json.loads(payload)
        self.steps.append(Step(what, method, path, params, status, received))
        return received
