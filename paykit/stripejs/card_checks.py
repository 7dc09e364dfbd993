"""What the card fields check before anything is sent: ONE table, read by Python and the JS.

Stripe.js validates the card number, expiry and CVC in the browser and reports problems as
``validation_error`` s with a ``code`` ("Errors triggered by our client-side libraries when
failing to validate fields (e.g., when a card number or expiration date is invalid or
incomplete)", @stripe/stripe-js ``StripeError.type``; https://docs.stripe.com/js/element/events/on_change).
The codes and messages below are the ones integrations switch on (``incomplete_number``,
``invalid_expiry_year_past``...); UNCONFIRMED officially: Stripe publishes no list of them,
they are read from public integrations that map each code to its field.

``RULES`` is served to the browser as JSON (``rules_json()``, spliced into the stand-in's
``stripe.js``); the stand-in's ``cardChecks`` reads it, and the browser test checks that the
JS and ``check_number`` / ``check_expiry`` / ``check_cvc`` agree on every example, so the
two readings of the table cannot drift apart.

>>> check_number("4242 4242 4242 4241").code
'invalid_number'
>>> check_expiry("12 / 20", today=(2026, 1)).code
'invalid_expiry_year_past'
>>> check_cvc("12", "amex").message
"Your card's security code is incomplete."
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BRANDS",
    "EXAMPLES",
    "EXAMPLES_TODAY",
    "MESSAGES",
    "RULES",
    "YEARS_AHEAD",
    "Brand",
    "Problem",
    "brand_of",
    "check_cvc",
    "check_expiry",
    "check_number",
    "luhn",
    "rules_json",
]


@dataclass(frozen=True, slots=True)
class Brand:
    """A card network as the number field sees it: which prefixes, how long, its CVC."""

    name: str
    prefixes: tuple[tuple[int, int], ...]  # inclusive ranges of the leading digits
    lengths: tuple[int, ...]
    cvc_length: int


#: Prefix ranges and lengths of the brands Stripe's test cards use
#: (https://docs.stripe.com/testing#cards). Order matters: the first match wins.
BRANDS: tuple[Brand, ...] = (
    Brand("amex", ((34, 34), (37, 37)), (15,), 4),
    Brand("diners", ((300, 305), (36, 36), (38, 39)), (14, 16), 3),
    Brand("discover", ((6011, 6011), (644, 649), (65, 65)), (16,), 3),
    Brand("jcb", ((3528, 3589),), (16,), 3),
    Brand("unionpay", ((62, 62),), (16, 17, 18, 19), 3),
    Brand("mastercard", ((51, 55), (2221, 2720)), (16,), 3),
    Brand("visa", ((4, 4),), (16,), 3),
)
_UNKNOWN = Brand("unknown", (), (16,), 3)

#: code -> message, what the ``change`` event's ``error`` and ``{error}`` carry.
MESSAGES: dict[str, str] = {
    "incomplete_number": "Your card number is incomplete.",
    "invalid_number": "Your card number is invalid.",
    "incomplete_expiry": "Your card's expiration date is incomplete.",
    "invalid_expiry_month": "Your card's expiration month is invalid.",
    "invalid_expiry_month_past": "Your card's expiration date is in the past.",
    "invalid_expiry_year": "Your card's expiration year is invalid.",
    "invalid_expiry_year_past": "Your card's expiration year is in the past.",
    "incomplete_cvc": "Your card's security code is incomplete.",
}
#: How far ahead an expiry year may be (paykit's bound; UNCONFIRMED).
YEARS_AHEAD = 50

#: Everything the browser needs, as one JSON-able value.
RULES: dict[str, Any] = {
    "brands": [{"name": b.name, "prefixes": [list(p) for p in b.prefixes],
                "lengths": list(b.lengths), "cvc_length": b.cvc_length} for b in BRANDS],
    "unknown": {"name": _UNKNOWN.name, "prefixes": [], "lengths": list(_UNKNOWN.lengths),
                "cvc_length": _UNKNOWN.cvc_length},
    "messages": MESSAGES,
    "years_ahead": YEARS_AHEAD,
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One field's problem, shaped as Stripe.js reports it (``validation_error``)."""

    code: str
    param: str

    @property
    def message(self) -> str:
        return MESSAGES[self.code]

    def to_dict(self) -> dict[str, str]:
        return {"type": "validation_error", "code": self.code, "message": self.message,
                "param": self.param}


def rules_json() -> str:
    """``RULES`` as compact JSON, for the stand-in script."""
    return json.dumps(RULES, separators=(",", ":"), sort_keys=True)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def luhn(digits: str) -> bool:
    """The Luhn checksum every card number carries in its last digit."""
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return bool(digits) and total % 10 == 0


def brand_of(number: str) -> Brand:
    """The brand the leading digits name (``unknown`` when none does)."""
    digits = _digits(number)
    for brand in BRANDS:
        for low, high in brand.prefixes:
            width = len(str(low))
            if len(digits) >= width and low <= int(digits[:width]) <= high:
                return brand
    return _UNKNOWN


def check_number(number: str) -> Problem | None:
    """Incomplete while shorter than the brand's shortest length; invalid when too long
    for the brand, or when the checksum fails at a length the brand has."""
    digits = _digits(number)
    brand = brand_of(digits)
    if len(digits) < min(brand.lengths):
        return Problem("incomplete_number", "number")
    if len(digits) > max(brand.lengths):
        return Problem("invalid_number", "number")
    if len(digits) not in brand.lengths:
        return Problem("incomplete_number", "number")
    if not luhn(digits):
        return Problem("invalid_number", "number")
    return None


def check_expiry(expiry: str, *, today: tuple[int, int]) -> Problem | None:
    """``MM / YY`` (as typed); ``today`` is ``(year, month)`` of the customer's clock."""
    digits = _digits(expiry)
    if len(digits) < 4:
        return Problem("incomplete_expiry", "exp_month")
    month, year = int(digits[:2]), 2000 + int(digits[2:4])
    if not 1 <= month <= 12:
        return Problem("invalid_expiry_month", "exp_month")
    this_year, this_month = today
    if year < this_year:
        return Problem("invalid_expiry_year_past", "exp_year")
    if year == this_year and month < this_month:
        return Problem("invalid_expiry_month_past", "exp_month")
    if year > this_year + YEARS_AHEAD:
        return Problem("invalid_expiry_year", "exp_year")
    return None


def check_cvc(cvc: str, brand: str) -> Problem | None:
    """Incomplete while shorter than the brand's CVC (four digits for amex, else three)."""
    wanted = next((b.cvc_length for b in BRANDS if b.name == brand), _UNKNOWN.cvc_length)
    if len(_digits(cvc)) < wanted:
        return Problem("incomplete_cvc", "cvc")
    return None


#: ``(field, typed, brand or today, expected code)``: the table's worked examples. The unit
#: tests check them against the functions above and the browser test against the JS, so
#: both readings of ``RULES`` answer the same. ``today`` is ``(2026, 3)`` for expiries.
EXAMPLES: tuple[tuple[str, str, str, str | None], ...] = (
    ("number", "", "", "incomplete_number"),
    ("number", "4242 4242", "", "incomplete_number"),
    ("number", "4242 4242 4242 4242", "", None),
    ("number", "4242424242424241", "", "invalid_number"),
    ("number", "4000 0027 6000 3184", "", None),
    ("number", "4000000000000002", "", None),
    ("number", "3782 822463 10005", "", None),            # amex, 15 digits
    ("number", "3782 8224 6310 0051", "", "invalid_number"),  # amex has no 16th digit
    ("number", "5555 5555 5555 4444", "", None),
    ("number", "2223 0031 2200 3222", "", None),
    ("number", "3056 9300 0902 0004", "", None),          # diners, 16 digits
    ("number", "3622 720627 1667", "", None),              # diners, 14 digits
    ("number", "3056 9300 0902 000", "", "incomplete_number"),
    ("number", "6200 0000 0000 0005", "", None),
    ("number", "1234 5678 9012 3456", "", "invalid_number"),
    ("expiry", "", "", "incomplete_expiry"),
    ("expiry", "1 / 2", "", "incomplete_expiry"),
    ("expiry", "12 / 34", "", None),
    ("expiry", "13 / 30", "", "invalid_expiry_month"),
    ("expiry", "00 / 30", "", "invalid_expiry_month"),
    ("expiry", "12 / 25", "", "invalid_expiry_year_past"),
    ("expiry", "02 / 26", "", "invalid_expiry_month_past"),
    ("expiry", "03 / 26", "", None),
    ("expiry", "12 / 99", "", "invalid_expiry_year"),
    ("cvc", "", "visa", "incomplete_cvc"),
    ("cvc", "12", "visa", "incomplete_cvc"),
    ("cvc", "123", "visa", None),
    ("cvc", "123", "amex", "incomplete_cvc"),
    ("cvc", "1234", "amex", None),
    ("cvc", "123", "unknown", None),
)
#: The customer's ``(year, month)`` the expiry examples assume.
EXAMPLES_TODAY = (2026, 3)
