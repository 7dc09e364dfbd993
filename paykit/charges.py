"""Charges: one per payment attempt, and the payment method objects they point to.

"A PaymentIntent can have several Charge objects if there were several payment
attempts, for example retries" (seed 000). Each charge copies the intent's metadata
when it is created; later metadata updates of the intent leave it alone (seed 000).
"""

from __future__ import annotations

import hashlib
from collections import namedtuple
from functools import cache
from typing import Any, NamedTuple

from paykit.errors import InvalidRequestError
from paykit.frozen import EMPTY_OBJECT, freeze
from paykit.objects import CHARGE_FIELDS, Charge, ListObject, charge_json
from paykit.pagination import CreatedFilter, check_limit, created_matches, page
from paykit.payment_methods import TEST_PAYMENT_METHODS, Decline, TestPaymentMethod

__all__ = [
    "ChargesResource",
    "MintedMethod",
    "charge_value",
    "new_charge",
    "payment_method_json",
    "replace_charge",
]


def _fingerprint(value: str) -> str:
    """Stable per card/account number, like Stripe's ``fingerprint``."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


# Shared between payment methods: never changed in place, and every object handed out
# copies on ``to_dict()``. Charges store nested values as JSON text (``paykit.frozen``).
_BILLING_DETAILS: dict[str, Any] = {
    "address": {"city": None, "country": None, "line1": None, "line2": None,
                "postal_code": None, "state": None},
    "email": None, "name": None, "phone": None,
}


@cache
def _method_details(pm: TestPaymentMethod, exp_year: int) -> dict[str, Any]:
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


class MintedMethod(NamedTuple):
    """A payment method minted from a test token: what its JSON is rebuilt from.

    It names its test token rather than holding it, so that it holds only strings and
    numbers, which Python's garbage collector stops tracking (one per payment attempt).
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


def payment_method_json(pm: TestPaymentMethod, pm_id: str, created: int,
                        exp_year: int) -> dict[str, Any]:
    """The ``payment_method`` object minted when a test token is used."""
    return {
        "id": pm_id,
        "object": "payment_method",
        "billing_details": _BILLING_DETAILS,
        pm.type: _method_details(pm, exp_year),
        "created": created,
        "customer": None,
        "livemode": False,
        "metadata": {},
        "type": pm.type,
    }


@cache
def _charge_method_details(pm: TestPaymentMethod, exp_year: int) -> str:
    """``payment_method_details`` of a charge (stored text): the method as charged."""
    details = dict(_method_details(pm, exp_year))
    if pm.type == "card":
        details.pop("checks", None)
        details.pop("networks", None)
        details.update(network=pm.brand, three_d_secure=None)
    return freeze({pm.type: details, "type": pm.type})


@cache
def _outcome(decline: Decline | None, pending: bool) -> str:
    """``outcome`` of a charge (stored text)."""
    return freeze(_outcome_json(decline, pending))


def _outcome_json(decline: Decline | None, pending: bool) -> dict[str, Any]:
    if pending:
        return {"network_status": "approved_by_network", "reason": None,
                "risk_level": "not_assessed", "seller_message": "Payment pending.",
                "type": "authorized"}
    if decline is None:
        return {"network_status": "approved_by_network", "reason": None,
                "risk_level": "normal", "risk_score": 32,
                "seller_message": "Payment complete.", "type": "authorized"}
    blocked = decline.outcome_type == "blocked"
    return {
        "network_status": decline.network_status,
        "reason": "highest_risk_level" if blocked else decline.decline_code,
        "risk_level": decline.risk_level,
        "risk_score": 95 if blocked else 40,
        "seller_message": "Stripe blocked this payment as too risky." if blocked
        else "The bank did not return any further details with this decline.",
        "type": decline.outcome_type,
    }


#: Where each field sits in a stored charge: ``_AT.amount`` is the index of ``amount``.
_AT = namedtuple("_ChargePositions", CHARGE_FIELDS)(*range(len(CHARGE_FIELDS)))
_POSITION = _AT._asdict()
# What every new charge starts as: the fields no attempt changes (the rest are null).
# ``refunds`` stays null here: ``paykit.objects.charge_json`` builds it from the id.
# Nested values are stored as JSON text (``paykit.frozen``).
_CONSTANT_FIELDS: dict[str, Any] = {
    "object": "charge", "amount_refunded": 0, "billing_details": freeze(_BILLING_DETAILS),
    "disputed": False, "fraud_details": EMPTY_OBJECT, "livemode": False,
    "radar_options": EMPTY_OBJECT, "refunded": False,
}
_NEW_CHARGE: tuple[Any, ...] = tuple(_CONSTANT_FIELDS.get(name) for name in CHARGE_FIELDS)


def new_charge(
    *,
    charge_id: str,
    intent: dict[str, Any],
    pm: TestPaymentMethod,
    pm_id: str,
    exp_year: int,
    created: int,
    status: str,
    captured: bool,
    decline: Decline | None,
    statement_text: str,
    balance_transaction: str | None,
) -> tuple[Any, ...]:
    """A charge for one attempt: its field values in ``CHARGE_FIELDS`` order.

    ``intent`` is the intent's stored data (``IntentRecord.data``). The account keeps
    charges as value tuples, nested values as JSON text, replaced (never changed) when
    a capture, cancel or settlement changes them, so an event can share the tuple it
    shows. Built by position from a template rather than as a 46-key dict: this runs
    once per payment attempt, on the engine's hot path.
    """
    amount = intent["amount"]
    succeeded = status == "succeeded"
    at = _AT
    values = list(_NEW_CHARGE)  # the constant fields; the attempt's own ones follow
    values[at.id] = charge_id
    values[at.amount] = amount
    values[at.amount_captured] = amount if succeeded and captured else 0
    values[at.balance_transaction] = balance_transaction
    values[at.calculated_statement_descriptor] = statement_text
    values[at.captured] = succeeded and captured
    values[at.created] = created
    values[at.currency] = intent["currency"]
    values[at.customer] = intent["customer"]
    values[at.description] = intent["description"]
    if decline is not None:
        values[at.failure_code] = decline.code
        values[at.failure_message] = decline.message
    values[at.metadata] = intent["metadata"]  # text: an update gives the intent new text
    values[at.outcome] = _outcome(decline, status == "pending")
    values[at.paid] = succeeded
    values[at.payment_intent] = intent["id"]
    values[at.payment_method] = pm_id
    values[at.payment_method_details] = _charge_method_details(pm, exp_year)
    values[at.receipt_email] = intent["receipt_email"]
    values[at.receipt_url] = f"https://pay.stripe.com/receipts/payment/{charge_id}"
    values[at.shipping] = intent["shipping"]
    values[at.statement_descriptor] = intent["statement_descriptor"]
    values[at.statement_descriptor_suffix] = intent["statement_descriptor_suffix"]
    values[at.status] = status
    return tuple(values)


def charge_value(charge: tuple[Any, ...], name: str) -> Any:
    """One field of a stored charge."""
    return charge[_POSITION[name]]


def replace_charge(charge: tuple[Any, ...], **changes: Any) -> tuple[Any, ...]:
    """A stored charge with some fields changed (the old tuple stays as events saw it)."""
    values = list(charge)
    for name, value in changes.items():
        values[_POSITION[name]] = value
    return tuple(values)


class ChargesResource:
    """``sb.charges``: retrieve one, or list them (newest first)."""

    def __init__(self, charges: dict[str, tuple[Any, ...]], lock: Any) -> None:
        self._charges = charges
        self._lock = lock

    def retrieve(self, charge_id: str) -> Charge:
        with self._lock:
            values = self._charges.get(charge_id)
            if values is None:
                raise InvalidRequestError(
                    f"No such charge: '{charge_id}'", code="resource_missing", param="id",
                    http_status=404,
                )
            return Charge(charge_json(values))

    def list(
        self,
        payment_intent: str | None = None,
        limit: int | None = None,
        *,
        starting_after: str | None = None,
        ending_before: str | None = None,
        created: CreatedFilter = None,
    ) -> ListObject:
        """Charges newest first, optionally those of one PaymentIntent or time window."""
        with self._lock:
            of_intent, at = _POSITION["payment_intent"], _POSITION["created"]
            items = [
                Charge(charge_json(c)) for c in reversed(self._charges.values())
                if (payment_intent is None or c[of_intent] == payment_intent)
                and created_matches(c[at], created)
            ]
            page_items, has_more = page(items, check_limit(limit), starting_after,
                                   ending_before, "charge")
            return ListObject(page_items, has_more, "/v1/charges")
