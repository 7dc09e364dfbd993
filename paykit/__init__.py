"""paykit: learn and analyse Stripe PaymentIntents offline.

The core (this package's import) is pure standard library: the sandbox engine, the
lifecycle table, the parameter rules and Stripe-shaped errors. The state graphs
(graphviz), the widgets (ipywidgets) and log analysis (pandas) load only when used.
"""

from __future__ import annotations

from typing import Any

from paykit import lifecycle, params
from paykit.errors import (
    APIError,
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    PermissionError,
    RateLimitError,
    StripeError,
)
from paykit.lifecycle import Action, Status
from paykit.objects import Charge, Event, ListObject, PaymentIntent, PaymentMethod
from paykit.sandbox import CURRENT_API_VERSION, Sandbox

__version__ = "0.1.0"

__all__ = [
    "CURRENT_API_VERSION",
    "APIError",
    "Action",
    "AuthenticationError",
    "CardError",
    "Charge",
    "Event",
    "IdempotencyError",
    "InvalidRequestError",
    "ListObject",
    "PaymentIntent",
    "PaymentMethod",
    "PermissionError",
    "RateLimitError",
    "Sandbox",
    "Status",
    "StripeError",
    "lifecycle",
    "params",
    "state_graph",
    "stripe_client",
    "use_sandbox",
]

_LAZY = {
    "state_graph": ("paykit.graph", "state_graph"),
    "stripe_client": ("paykit.http.sdk", "stripe_client"),
    "use_sandbox": ("paykit.http.sdk", "use_sandbox"),
}


def __getattr__(name: str) -> Any:
    """Heavy features load on first use, so ``import paykit`` stays light."""
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'paykit' has no attribute {name!r}")
