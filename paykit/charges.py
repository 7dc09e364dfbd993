"""Charges: one per payment attempt, made and changed as the attempt goes.

"A PaymentIntent can have several Charge objects if there were several payment
attempts, for example retries" (https://docs.stripe.com/payments/payment-intents).
Each charge copies the intent's metadata when it is created; later metadata updates of
the intent leave it alone (https://docs.stripe.com/payments/payment-intents#storing-information-in-metadata).
A capture, a cancel or a settlement *replaces* the stored charge: the events that showed
the old one keep it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from paykit import storage
from paykit.errors import InvalidRequestError
from paykit.minting import BILLING_DETAILS, method_details
from paykit.objects import Charge, ListObject, SearchResult
from paykit.pagination import CreatedFilter, PositionIndex, check_limit, check_string
from paykit.payment_methods import Decline, TestPaymentMethod
from paykit.search import SEARCHABLE, compile_query, search_page
from paykit.storage import StoredCharge
from paykit.versioned_json import render

if TYPE_CHECKING:
    from paykit.account import Account, IntentRecord

__all__ = [
    "ChargesResource",
    "attempt_charge",
    "latest_charge_amount",
    "new_charge",
    "outcome_json",
    "release_authorization",
    "replace_latest_charge",
]


@cache
def _charge_method_details(pm: TestPaymentMethod, exp_year: int) -> str | None:
    """``payment_method_details`` of a charge: the method as charged (shared)."""
    details = dict(method_details(pm, exp_year))
    if pm.type == "card":
        # the PaymentMethod's card has checks, networks and three_d_secure_usage; a
        # charge's card has the network it went through and three_d_secure instead
        for name in ("checks", "networks", "three_d_secure_usage"):
            details.pop(name, None)
        details.update(network=pm.brand, three_d_secure=None)
    return storage.shared({pm.type: details, "type": pm.type})


@cache
def _outcome(decline: Decline | None, pending: bool) -> str | None:
    """``outcome`` of a charge (shared)."""
    return storage.shared(outcome_json(decline, pending))


_NO_CODES = {"advice_code": None, "network_advice_code": None, "network_decline_code": None}


def outcome_json(decline: Decline | None, pending: bool) -> dict[str, Any]:
    """What the network and Radar said of an attempt (https://docs.stripe.com/api/charges/object#charge_object-outcome)."""
    # advice_code and the network's own codes: Stripe publishes none for its test cards,
    # so paykit shows them null (paykit.api_versions: charge_network_codes, advice_code)
    if pending:
        return {**_NO_CODES, "network_status": "approved_by_network", "reason": None,
                "risk_level": "not_assessed", "seller_message": "Payment pending.",
                "type": "authorized"}
    if decline is None:
        return {**_NO_CODES, "network_status": "approved_by_network", "reason": None,
                "risk_level": "normal", "risk_score": 32,
                "seller_message": "Payment complete.", "type": "authorized"}
    blocked = decline.outcome_type == "blocked"
    return {
        **_NO_CODES,
        "network_status": decline.network_status,
        "reason": "highest_risk_level" if blocked else decline.decline_code,
        "risk_level": decline.risk_level,
        "risk_score": 95 if blocked else 40,
        "seller_message": "Stripe blocked this payment as too risky." if blocked
        else "The bank did not return any further details with this decline.",
        "type": decline.outcome_type,
    }


# What every new charge starts as: the fields no attempt changes (the rest are null).
# ``refunds`` stays null here: it is built when the charge is rendered.
_NEW_CHARGE = storage.charge_template({
    "object": "charge", "amount_refunded": 0, "billing_details": BILLING_DETAILS,
    "disputed": False, "fraud_details": {}, "livemode": False, "radar_options": {},
    "refunded": False,
})
# Fields a new charge copies from its intent, as the intent stores them.
_FROM_INTENT = ("currency", "customer", "description", "metadata", "receipt_email",
                "shipping", "statement_descriptor", "statement_descriptor_suffix")
_copy_from_intent = storage.stored_fields(_FROM_INTENT)
_build = storage.charge_builder(_NEW_CHARGE, (
    *_FROM_INTENT, "id", "amount", "amount_captured", "balance_transaction",
    "calculated_statement_descriptor", "captured", "created", "outcome", "paid",
    "payment_intent", "payment_method", "payment_method_details", "receipt_url", "status",
    "failure_code", "failure_message",
))


def new_charge(
    *,
    charge_id: str,
    intent: IntentRecord,
    pm: TestPaymentMethod,
    pm_id: str,
    exp_year: int,
    created: int,
    status: str,
    captured: bool,
    decline: Decline | None,
    statement_text: str,
    balance_transaction: str | None,
) -> StoredCharge:
    """The stored charge of one attempt of ``intent`` (once per payment attempt)."""
    data = intent.data
    amount = data["amount"]
    succeeded = status == "succeeded"
    return _build(
        *_copy_from_intent(data), charge_id, amount,
        amount if succeeded and captured else 0, balance_transaction, statement_text,
        succeeded and captured, created, _outcome(decline, status == "pending"), succeeded,
        data["id"], pm_id, _charge_method_details(pm, exp_year),
        f"https://pay.stripe.com/receipts/payment/{charge_id}", status,
        decline.code if decline is not None else None,
        decline.message if decline is not None else None,
    )


def attempt_charge(account: Account, intent: IntentRecord, status: str, *, captured: bool,
                   decline: Decline | None, statement_text: str) -> StoredCharge:
    """Make and keep the charge of ``intent``'s attempt; it becomes its latest charge."""
    method = intent.method
    assert method is not None
    pm_id = intent.data["payment_method"]
    charge_id = account.ids.new("ch")
    balance = account.ids.new("txn") if status == "succeeded" and captured else None
    charge = new_charge(
        charge_id=charge_id, intent=intent, pm=method, pm_id=pm_id,
        exp_year=account.payment_methods[pm_id].exp_year, created=account.clock.now,
        status=status, captured=captured, decline=decline, statement_text=statement_text,
        balance_transaction=balance,
    )
    account.charges[charge_id] = charge
    intent.data["latest_charge"] = charge_id
    return charge


def latest_charge_amount(account: Account, intent: IntentRecord) -> int:
    """The amount of ``intent``'s latest charge."""
    return storage.charge_field(account.charges[intent.data["latest_charge"]], "amount")


def replace_latest_charge(account: Account, intent: IntentRecord,
                          **changes: Any) -> StoredCharge:
    """Store ``intent``'s latest charge with ``changes`` (events keep the old one)."""
    charges, charge_id = account.charges, intent.data["latest_charge"]
    charge = charges[charge_id] = storage.charge_with(charges[charge_id], **changes)
    return charge


def release_authorization(account: Account, intent: IntentRecord, *,
                          refund: bool) -> StoredCharge:
    """An uncaptured authorisation given back (cancel, or the capture window ending):
    nothing is capturable any more. Before API version 2025-03-31.basil the whole amount
    was refunded (``refund``); since, the charge captured 0 and refunded nothing
    (``paykit.api_versions``, ``no_refund_on_release``)."""
    intent.data["amount_capturable"] = 0
    if refund:
        return replace_latest_charge(account, intent, refunded=True,
                                     amount_refunded=latest_charge_amount(account, intent))
    return replace_latest_charge(account, intent, amount_captured=0)


class ChargesResource:
    """``sb.charges``: retrieve one, or list them (newest first)."""

    def __init__(self, account: Account) -> None:
        self._acct = account
        self._charges = account.charges
        self._lock = account.lock
        self._listing = PositionIndex()  # list()'s index, caught up when someone lists

    def _show(self, values: StoredCharge) -> Charge:
        """A stored charge as the caller gets it: in the version the call is read in."""
        acct = self._acct
        return Charge(render(storage.charge_json(values), acct.version(), acct.related))

    def retrieve(self, charge_id: str) -> Charge:
        with self._lock:
            values = self._charges.get(charge_id)
            if values is None:
                raise InvalidRequestError(
                    f"No such charge: '{charge_id}'", code="resource_missing", param="id",
                    http_status=404,
                )
            return self._show(values)

    def search(self, query: str, limit: int | None = 10, *,
               page: str | None = None) -> SearchResult:
        """``GET /v1/charges/search``: Stripe's query language over ``status``, ``amount``,
        ``currency``, ``customer``, ``payment_intent``, ``created``, ``metadata['key']``
        and ``payment_method_details.card.last4`` (``paykit.search``), newest first."""
        match = compile_query(query, SEARCHABLE["charge"])
        with self._lock:
            found = search_page((c[0], c) for c in reversed(self._charges.values()))
            charges, has_more, next_page = found(
                lambda c: match(storage.charge_json(c)), check_limit(limit), page)
            return SearchResult(
                [self._show(c) for c in charges], has_more, "/v1/charges/search", next_page)

    def list(
        self,
        payment_intent: str | None = None,
        limit: int | None = None,
        *,
        starting_after: str | None = None,
        ending_before: str | None = None,
        created: CreatedFilter = None,
    ) -> ListObject:
        """Charges newest first, optionally those of one PaymentIntent or time window.

        Costs what the page costs: the index follows the charges stored since the last
        list, and the page is cut from it before any charge is rendered.
        """
        with self._lock:
            field, charges, listing = storage.charge_field, self._charges, self._listing
            listing.follow(charges, lambda c: field(c, "created"),
                           lambda c: field(c, "payment_intent"))
            positions, has_more = listing.page(
                check_limit(limit), check_string(starting_after, "starting_after"),
                check_string(ending_before, "ending_before"), "charge",
                groups=None if payment_intent is None
                else (check_string(payment_intent, "payment_intent"),),
                created=created)
            ids = listing.ids
            return ListObject([self._show(charges[ids[p]]) for p in positions],
                              has_more, "/v1/charges")
