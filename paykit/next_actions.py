"""``next_action`` for 3D Secure: what the client does when a card asks the customer to
authenticate, for a PaymentIntent or a SetupIntent alike.

Without a ``return_url`` Stripe.js handles it (``use_stripe_sdk``); with one, the
customer is redirected to the bank's page and back
(https://docs.stripe.com/payments/3d-secure).
"""

from __future__ import annotations

from typing import Any

__all__ = ["three_d_secure"]


def three_d_secure(kind: str, object_id: str, return_url: str | None) -> dict[str, Any]:
    """The ``next_action`` of ``object_id`` (a ``payment_intent`` or ``setup_intent``).

    >>> three_d_secure("setup_intent", "seti_1", None)["type"]
    'use_stripe_sdk'
    """
    if return_url:
        return {
            "redirect_to_url": {
                "return_url": return_url,
                "url": f"https://hooks.stripe.com/3d_secure_2/hosted?{kind}={object_id}",
            },
            "type": "redirect_to_url",
        }
    return {
        "type": "use_stripe_sdk",
        "use_stripe_sdk": {
            "type": "three_d_secure_redirect",
            "stripe_js": f"https://hooks.stripe.com/redirect/authenticate/{object_id}",
        },
    }
