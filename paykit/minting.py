"""Payment methods minted from Stripe's test tokens, card numbers, IBANs and accounts.

In test mode, ``payment_method="pm_card_visa"`` does not reuse one object: each use
creates a new ``pm_…`` that behaves like the token
(https://docs.stripe.com/testing#cards). The same happens to ``payment_method_data``
(the details Stripe.js sends) and to ``POST /v1/payment_methods``. Every resource that
takes a payment method resolves it here.
"""

from __future__ import annotations

import hashlib
import time
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from paykit.errors import InvalidRequestError
from paykit.payment_methods import TEST_PAYMENT_METHODS, TestPaymentMethod, find_test_method

if TYPE_CHECKING:
    from paykit.account import Account

__all__ = [
    "BILLING_DETAILS",
    "MintedMethod",
    "SpentMethod",
    "method_details",
    "method_in",
    "mint",
    "payment_method_json",
    "resolve_method",
]


class MintedMethod(NamedTuple):
    """A minted payment method: what its JSON is rebuilt from.

    It names its test token rather than holding it, and holds only strings and numbers
    (one per payment attempt).
    """

    token: str  # a key of TEST_PAYMENT_METHODS
    id: str
    created: int
    exp_year: int

    @property
    def test_method(self) -> TestPaymentMethod:
        return TEST_PAYMENT_METHODS[self.token]

    def to_json(self) -> dict[str, Any]:
        return payment_method_json(self.test_method, self.id, self.created, self.exp_year)


class SpentMethod(MintedMethod):
    """A minted method used once without a Customer: it "may not be used again"
    (``paykit.payment_method_lifecycle``). The class is the mark, so that spending the
    method of every payment costs no memory."""

    __slots__ = ()


def mint(account: Account, token: TestPaymentMethod) -> MintedMethod:
    """A new payment method behaving like test token ``token`` (a new ``pm_…`` id)."""
    now = account.clock.now
    minted = MintedMethod(token.id, account.ids.new("pm"), now, _expiry_year(now))
    account.payment_methods[minted.id] = minted
    return minted


def resolve_method(account: Account, pm_id: Any) -> MintedMethod:
    """A payment method of the account; a test token (``pm_card_visa``) mints a new one."""
    if isinstance(pm_id, str) and pm_id in account.payment_methods:
        return account.payment_methods[pm_id]
    token = TEST_PAYMENT_METHODS.get(pm_id) if isinstance(pm_id, str) else None
    if token is None:
        raise InvalidRequestError(
            f"No such PaymentMethod: '{pm_id}'", code="resource_missing",
            param="payment_method", http_status=400,
        )
    return mint(account, token)


def method_in(account: Account, params: dict[str, Any]) -> tuple[MintedMethod | None, bool]:
    """The payment method a request names (``payment_method``) or describes
    (``payment_method_data``, from which a new one is minted), if any; and whether this
    request minted it (a test token or details: nothing else can have used it yet)."""
    data = params.get("payment_method_data")
    named = params.get("payment_method")
    if named:
        if data:
            raise InvalidRequestError(
                "You cannot provide both payment_method and payment_method_data: pass "
                "an existing PaymentMethod, or the details to create one.",
                code="payment_intent_invalid_parameter", param="payment_method_data",
            )
        if isinstance(named, str) and named in account.payment_methods:
            return account.payment_methods[named], False
        return resolve_method(account, named), True
    if data:
        return mint(account, find_test_method(data.get("type"), data,
                                              prefix="payment_method_data")), True
    return None, False


@lru_cache(maxsize=64)
def _expiry_year(now: int) -> int:
    """Test cards minted at ``now`` expire three years later (the year only)."""
    return time.gmtime(now).tm_year + 3


def _fingerprint(value: str) -> str:
    """Stable per card/account number, like Stripe's ``fingerprint``."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


# Shared between payment methods: never changed in place, and every object handed out
# copies on ``to_dict()``.
BILLING_DETAILS: dict[str, Any] = {
    "address": {"city": None, "country": None, "line1": None, "line2": None,
                "postal_code": None, "state": None},
    "email": None, "name": None, "phone": None,
}


@cache
def method_details(pm: TestPaymentMethod, exp_year: int) -> dict[str, Any]:
    """The type-specific part of a payment method (``card``, ``sepa_debit``, …)."""
    if pm.type == "card":
        return {
            "brand": pm.brand,
            "checks": {"address_line1_check": None, "address_postal_code_check": None,
                       "cvc_check": "pass"},
            "country": pm.country,
            "exp_month": 12,
            "exp_year": exp_year,
            "fingerprint": _fingerprint(pm.card_number or pm.id),
            "funding": pm.funding,
            "last4": pm.last4,
            "networks": {"available": [pm.brand], "preferred": None},
            "three_d_secure_usage": {"supported": True},
            "wallet": None,
        }
    if pm.type == "sepa_debit":
        return {"bank_code": "19043", "branch_code": "", "country": pm.country,
                "fingerprint": _fingerprint(pm.iban or pm.id), "last4": pm.last4}
    return {"account_holder_type": "individual", "account_type": "checking",
            "bank_name": "STRIPE TEST BANK",
            "fingerprint": _fingerprint(pm.account_number or pm.id),
            "last4": pm.last4, "routing_number": "110000000"}


def payment_method_json(pm: TestPaymentMethod, pm_id: str, created: int,
                        exp_year: int) -> dict[str, Any]:
    """The ``payment_method`` object minted when a test token is used."""
    return {
        "id": pm_id,
        "object": "payment_method",
        "billing_details": BILLING_DETAILS,
        pm.type: method_details(pm, exp_year),
        "created": created,
        "customer": None,
        "customer_account": None,
        "livemode": False,
        "metadata": {},
        "allow_redisplay": "unspecified",
        "type": pm.type,
    }
