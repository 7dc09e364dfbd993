"""``expand``: a response shows the object an id names, in place of the id.

``expand=["latest_charge"]`` on any PaymentIntent endpoint turns ``"latest_charge":
"ch_…"`` into the Charge itself (Stripe's own guides use it to read a receipt URL or a
charge's outcome in one call); on a list, ``data.latest_charge`` does the same for each
intent. paykit models charges and payment methods, so it expands ``latest_charge`` and
``payment_method``. Stripe can expand more fields of a PaymentIntent (``customer``,
``invoice``…): paykit refuses those saying it does not model that object, and anything
else with Stripe's "cannot be expanded" error, nested paths
(``latest_charge.balance_transaction``) included. Paths are checked before the request
does anything, so a refused ``expand`` never leaves half a change behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paykit import params as rules
from paykit.errors import InvalidRequestError
from paykit.objects import PaymentIntent

__all__ = ["EXPANDABLE", "NOT_MODELLED", "expand_intent", "expansion_paths"]

#: PaymentIntent fields paykit expands, and the object each id names.
EXPANDABLE: dict[str, str] = {"latest_charge": "charge", "payment_method": "payment_method"}
#: Fields Stripe expands on a PaymentIntent whose objects paykit does not model.
NOT_MODELLED: dict[str, str] = {
    "application": "Application", "customer": "Customer", "invoice": "Invoice",
    "on_behalf_of": "Account", "review": "Review",
}


def expansion_paths(raw: Any, *, in_list: bool = False) -> tuple[str, ...]:
    """The fields to expand, checked before the request does anything.

    ``raw`` is the ``expand`` parameter as sent (a list, or the form-decoded
    ``{"0": …}``); on a list endpoint every path starts with ``data.``.
    """
    if raw is None:
        return ()
    # every operation reads expand alike; update requires nothing else
    paths = rules.validate("update", {"expand": raw}).get("expand", [])
    fields = []
    for path in paths:
        if in_list:  # a list expands its items' fields: data.latest_charge
            field = path.removeprefix("data.") if path.startswith("data.") else ""
        else:
            field = path
        if field in NOT_MODELLED:
            raise InvalidRequestError(
                f"paykit does not model {NOT_MODELLED[field]} objects, so it cannot expand "
                f"{path}.", param="expand",
            )
        if field not in EXPANDABLE:
            raise InvalidRequestError(
                f"This property cannot be expanded ({path}). paykit expands "
                f"{' and '.join(EXPANDABLE)} on a PaymentIntent"
                f"{' (data.latest_charge on a list)' if in_list else ''}.",
                param="expand",
            )
        fields.append(field)
    return tuple(dict.fromkeys(fields))


def expand_intent(intent: PaymentIntent, fields: tuple[str, ...],
                  lookup: Callable[[str, str], dict[str, Any]]) -> PaymentIntent:
    """``intent`` with each of ``fields`` replaced by the JSON of the object it names.

    ``lookup(kind, id)`` returns that JSON (``kind`` is a value of ``EXPANDABLE``).
    """
    if not fields:
        return intent
    data = dict(intent._wire())
    for field in fields:
        value = data.get(field)
        if value is not None:  # a null field stays null, as on Stripe
            data[field] = lookup(EXPANDABLE[field], value)
    return PaymentIntent(data, intent.history, intent._api_version)
