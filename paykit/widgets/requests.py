"""A PaymentIntents (or SetupIntents) request, written out the two ways a learner will
send it for real.

The widgets build an ``ApiRequest`` (operation, intent, parameters, idempotency key) and
show it as the official ``stripe`` SDK call (``as_python``) and as ``curl`` (``as_curl``),
so what was clicked in the sandbox can be pasted into a real integration. Both read the
secret key from the ``STRIPE_SECRET_KEY`` environment variable: a key never belongs in
code, a notebook or a shell history.

The curl form body is written by the one form encoder, ``paykit.http.forms.form_pairs``:
what stripe-python sends (``metadata[order_id]``, ``payment_method_types[0]``, booleans
as ``true``/``false``, ``None`` left out), and what the sandbox's HTTP surface reads.

>>> request = ApiRequest("create", params={"amount": 1099, "currency": "usd"})
>>> print(as_curl(request))
curl https://api.stripe.com/v1/payment_intents \\
  -u "$STRIPE_SECRET_KEY:" \\
  -d amount=1099 \\
  -d currency=usd
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from paykit.http.forms import form_pairs
from paykit.params import OPERATIONS
from paykit.params.setup_intent_rules import SETUP_INTENT_OPERATIONS

__all__ = [
    "API_BASE",
    "RESOURCE_OPERATIONS",
    "SECRET_KEY_VARIABLE",
    "ApiRequest",
    "as_curl",
    "as_python",
]

#: Where the real API lives.
API_BASE = "https://api.stripe.com"
#: The environment variable both snippets read the secret key from.
SECRET_KEY_VARIABLE = "STRIPE_SECRET_KEY"


#: The resources a request may name, with their operations (``paykit.params`` names).
RESOURCE_OPERATIONS: Mapping[str, tuple[str, ...]] = {
    "payment_intents": OPERATIONS,
    "setup_intents": SETUP_INTENT_OPERATIONS,
}


@dataclass(frozen=True)
class ApiRequest:
    """One call to a PaymentIntents (or, with ``resource="setup_intents"``, SetupIntents)
    endpoint: ``operation`` is a ``paykit.params`` name."""

    operation: str
    intent: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None
    resource: str = "payment_intents"

    def __post_init__(self) -> None:
        if self.resource not in RESOURCE_OPERATIONS:
            raise ValueError(f"unknown resource {self.resource!r}; one of "
                             f"{tuple(RESOURCE_OPERATIONS)}")
        operations = RESOURCE_OPERATIONS[self.resource]
        if self.operation not in operations:
            raise ValueError(f"unknown operation {self.operation!r}; one of {operations}")
        if (self.operation == "create") != (self.intent is None):
            raise ValueError("create takes no intent id; every other operation needs one")

    @property
    def path(self) -> str:
        """``/v1/payment_intents``, ``…/{id}`` (update) or ``…/{id}/{operation}``."""
        if self.operation == "create":
            return f"/v1/{self.resource}"
        if self.operation == "update":
            return f"/v1/{self.resource}/{self.intent}"
        return f"/v1/{self.resource}/{self.intent}/{self.operation}"

    def describe(self) -> str:
        """``POST /v1/payment_intents/pi_…/confirm``: the line an API log shows."""
        return f"POST {self.path}"


def _literal(value: Any, indent: int) -> str:
    """A Python literal, one item per line for containers (how ruff formats them)."""
    pad = " " * indent
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [f"{pad}    {_literal(str(k), 0)}: {_literal(v, indent + 4)}," for k, v in
                 value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = [f"{pad}    {_literal(v, indent + 4)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)  # bool, None, int, float print as Python literals


def as_python(request: ApiRequest, *, setup: bool = True) -> str:
    """The call with the official ``stripe`` SDK (``StripeClient``, stripe-python ≥ 12).

    ``setup`` adds the imports and the client, read from ``STRIPE_SECRET_KEY``.
    """
    args: list[str] = []
    if request.intent is not None:
        args.append(_literal(request.intent, 4))
    if request.params:
        args.append(_literal(dict(request.params), 4))
    if request.idempotency_key:
        if not request.params:
            args.append("{}")
        args.append(f'{{"idempotency_key": {_literal(request.idempotency_key, 0)}}}')
    call = f"client.v1.{request.resource}.{request.operation}"
    name = "intent" if request.resource == "payment_intents" else "setup_intent"
    if len(args) == 1 and "\n" not in args[0]:
        line = f"{name} = {call}({args[0]})"
    elif not args:
        line = f"{name} = {call}()"
    else:
        line = f"{name} = {call}(\n" + "".join(f"    {arg},\n" for arg in args) + ")"
    if not setup:
        return line
    return (
        "import os\n\n"
        "from stripe import StripeClient\n\n"
        f'client = StripeClient(os.environ["{SECRET_KEY_VARIABLE}"])\n'
        f"{line}"
    )


def as_curl(request: ApiRequest) -> str:
    """The same request with ``curl``: form-encoded, the key from the environment."""
    lines = [f"curl {API_BASE}{request.path}", f'-u "${SECRET_KEY_VARIABLE}:"']
    if request.idempotency_key:
        lines.append(f"-H {shlex.quote(f'Idempotency-Key: {request.idempotency_key}')}")
    pairs = form_pairs(request.params)
    if not pairs:
        lines.append("-X POST")
    lines.extend(f"-d {shlex.quote(f'{key}={value}')}" for key, value in pairs)
    return " \\\n  ".join(lines)
