"""The stand-in script at the paths a page or ``loadStripe`` loads Stripe.js from.

Pages load ``https://js.stripe.com/v3/``; ``@stripe/stripe-js`` loads
``https://js.stripe.com/<release train>/stripe.js`` (``clover`` in 8.11, ``dahlia`` in
current docs snippets) unless ``window.Stripe`` already exists, in which case it uses that
(``loadStripe`` in @stripe/stripe-js ``dist/index.mjs``). So a page needs only its script
URL pointed at the sandbox: ``http://127.0.0.1:12111/v3/``. ``routes.handle`` answers
these paths before the API's, so ``paykit serve``, the checkout and the in-process client
serve the same bytes.

>>> status, headers, body = script_response("/v3/")
>>> status, headers["Content-Type"], b"learning stand-in" in body
(200, 'application/javascript; charset=utf-8', True)
>>> script_response("/v1/payment_intents") is None
True
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from paykit.stripejs.card_checks import rules_json

__all__ = ["SCRIPT_PATH", "script_response", "stand_in_source"]

#: ``/v3``, ``/v3/`` and ``/<train>/stripe.js`` (a release train's name is lower-case letters).
SCRIPT_PATH = re.compile(r"/(v3/?|[a-z]+/stripe\.js)")
_PLACEHOLDER = "/*PAYKIT_CARD_RULES*/null"


@cache
def stand_in_source() -> bytes:
    """The script, with the card checks' table spliced in (``card_checks.RULES``)."""
    text = files("paykit.stripejs").joinpath("stripe.js").read_text(encoding="utf-8")
    if _PLACEHOLDER not in text:
        raise RuntimeError("paykit/stripejs/stripe.js lost its card-rules placeholder")
    return text.replace(_PLACEHOLDER, rules_json()).encode()


def script_response(path: str) -> tuple[int, dict[str, str], bytes] | None:
    """``(status, headers, body)`` for a Stripe.js path; ``None`` for any other path."""
    if not SCRIPT_PATH.fullmatch(path):
        return None
    headers = {
        "Content-Type": "application/javascript; charset=utf-8",
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "no-cache",
        "X-Paykit": "learning stand-in for Stripe.js; not Stripe.js",
    }
    return 200, headers, stand_in_source()
