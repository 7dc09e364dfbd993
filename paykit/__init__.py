"""paykit: learn and analyse Stripe PaymentIntents offline.

The core (this package's import) is pure standard library: the sandbox engine, the
lifecycle table, the parameter rules and Stripe-shaped errors. The state graphs
(graphviz), the widgets (ipywidgets) and log analysis (pandas) load only when used.

The namespace is the public API and nothing else (``__all__``, kept exact by
``tests/test_package.py``): the sandbox, its objects and errors, the lifecycle's
``Status`` and ``Action``, and the modules a learner reads (``lifecycle``, ``params``,
``objects``, ``currencies``, ``payment_methods``). The subpackages that need an extra
are imported by name, as any subpackage: ``import paykit.logs as pl``,
``from paykit.widgets import LifecycleExplorer``, ``from paykit.graph import state_graph``.
The engine's own modules (``paykit.intents``, ``paykit.clock``, ...) are not re-exported.
"""

import importlib as _importlib
import sys as _sys
import types as _types
import typing as _typing

from paykit import currencies, lifecycle, objects, params, payment_methods
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
from paykit.objects import (
    Charge,
    Customer,
    Event,
    ListObject,
    PaymentIntent,
    PaymentMethod,
    Refund,
    SetupIntent,
)
from paykit.sandbox import CURRENT_API_VERSION, Sandbox

if _typing.TYPE_CHECKING:
    from paykit.graph import state_graph
    from paykit.http.sdk import stripe_client, use_sandbox

__version__ = "0.1.0"

__all__ = [
    "CURRENT_API_VERSION",
    "APIError",
    "Action",
    "AuthenticationError",
    "CardError",
    "Charge",
    "Customer",
    "Event",
    "IdempotencyError",
    "InvalidRequestError",
    "ListObject",
    "PaymentIntent",
    "PaymentMethod",
    "PermissionError",
    "RateLimitError",
    "Refund",
    "Sandbox",
    "SetupIntent",
    "Status",
    "StripeError",
    "currencies",
    "lifecycle",
    "objects",
    "params",
    "payment_methods",
    "state_graph",
    "stripe_client",
    "use_sandbox",
]

#: Heavy features load on first use, so ``import paykit`` stays light.
_LAZY: dict[str, tuple[str, str]] = {
    "state_graph": ("paykit.graph", "state_graph"),
    "stripe_client": ("paykit.http.sdk", "stripe_client"),
    "use_sandbox": ("paykit.http.sdk", "use_sandbox"),
}


def _drop_internal_modules() -> None:
    """Unbind the submodules the imports above bound as attributes of the package.

    Importing ``paykit.sandbox`` imports the engine (``paykit.intents``,
    ``paykit.clock``, ...), and Python binds each loaded submodule as an attribute of
    its package: without this, ``dir(paykit)`` would list them all.
    """
    namespace = globals()
    for name, value in list(namespace.items()):
        if (isinstance(value, _types.ModuleType) and not name.startswith("_")
                and name not in __all__):
            del namespace[name]


_drop_internal_modules()


def __dir__() -> list[str]:
    """The namespace, with the lazily loaded names."""
    return sorted({*globals(), *_LAZY})


if not _typing.TYPE_CHECKING:  # type checkers see the imports above, not a catch-all

    def __getattr__(name: str) -> object:
        """Load a lazy name on first use; reach a submodule that is already imported.

        ``import paykit.clock`` then ``paykit.clock`` still works: the module was
        unbound from the namespace, not unloaded.
        """
        if name in _LAZY:
            module, attr = _LAZY[name]
            return getattr(_importlib.import_module(module), attr)
        submodule = _sys.modules.get(f"{__name__}.{name}")
        if submodule is not None:
            return submodule
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
