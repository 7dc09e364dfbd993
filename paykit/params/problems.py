"""What a broken parameter rule reports: a ``Problem``, and how its message shows values.

Every module of ``paykit.params`` answers with ``Problem``s, never by raising:
``validate`` raises the first one as the ``InvalidRequestError`` the API would send.

>>> Problem("amount", "parameter_missing", "Missing required param: amount.").to_error().param
'amount'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from paykit.errors import InvalidRequestError

__all__ = ["INVALID", "Problem", "empty_string", "one_of", "show_value"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: the parameter, Stripe's error code and a Stripe-like message."""

    param: str
    code: str
    message: str

    def to_error(self) -> InvalidRequestError:
        """The exception the API would answer with (HTTP 400); an empty ``code`` is an
        answer without one."""
        return InvalidRequestError(self.message, code=self.code or None, param=self.param)


#: Stripe answers some refusals without any ``code`` (observed: "Invalid boolean: YES"
#: for ``automatic_payment_methods[enabled]``,
#: https://github.com/jcberquist/stripe-cfml/issues/49; "Invalid capture_method: must be
#: one of …"; metadata limits). paykit always gives one, and picks a real code from the
#: API's enum (https://docs.stripe.com/error-codes/payment-intent-invalid-parameter):
#: "one or more provided parameters was not allowed for the given operation on the
#: PaymentIntent".
INVALID = "payment_intent_invalid_parameter"


def show_value(value: object, limit: int = 80) -> str:
    """A value as an error message echoes it, shortened; never raises.

    >>> show_value("x" * 100, 10)
    'xxxxxxxxx…'
    """
    try:
        text = value if isinstance(value, str) else repr(value)
    except Exception:  # an object whose repr fails still gets a message
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def one_of(values: Iterable[str]) -> str:
    """``a, b, or c`` / ``a or b``, as Stripe lists enum values.

    >>> one_of(["a", "b", "c"]), one_of(["a", "b"])
    ('a, b, or c', 'a or b')
    """
    items = list(values)
    if len(items) < 3:
        return " or ".join(items)
    return f"{', '.join(items[:-1])}, or {items[-1]}"


def empty_string(name: str) -> Problem:
    """``name=""`` where ``""`` cannot unset it (``parameter_invalid_empty``)."""
    return Problem(
        name, "parameter_invalid_empty",
        f"You passed an empty string for '{name}'. We assume empty values are an attempt "
        f"to unset a parameter; however '{name}' cannot be unset. You should remove "
        f"'{name}' from your request or supply a non-empty value.",
    )
