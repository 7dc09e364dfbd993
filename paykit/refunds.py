"""``sb.refunds``: the Refunds API, a thin resource over the Refund table.

Each endpoint validates its parameters (``REFUND_RULES``), asks the table
(``paykit.refund_lifecycle.REFUND``) which row applies, applies it (the row's effect on
the charge, its events) and renders the refund. "You can issue more than one refund
against a charge, but you can't refund a total greater than the original charge amount"
(https://docs.stripe.com/refunds); an uncaptured payment is canceled, not refunded.

Choices where Stripe publishes no answer (each tested in tests/test_refunds.py):

- how long "some time later" is for the asynchronous test cards: one day of sandbox
  clock (``CARD_REFUND_DELAY_SECONDS``); a bank debit's refund takes its settlement delay;
- a failed or canceled refund gives its amount back to the charge's refundable amount
  (``amount_refunded`` goes down): the money is back in your balance;
- the messages for refusals Stripe's docs do not quote (neither ``charge`` nor
  ``payment_intent``; an uncaptured or unsuccessful payment; cancel outside
  ``requires_action``) are paykit's, in Stripe's style, with no ``code``.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from paykit import storage
from paykit.currencies import format_amount
from paykit.errors import InvalidRequestError
from paykit.machine import MoveRefused, Row
from paykit.objects import ListObject, Refund
from paykit.pagination import CreatedFilter
from paykit.params import REFUND_RULES, merge_metadata, validate_object
from paykit.payment_methods import SETTLEMENT_DELAY_SECONDS
from paykit.refund_lifecycle import (
    REFUND,
    RefundAction,
    RefundAttempt,
    RefundKind,
    RefundStatus,
    refund_events,
)
from paykit.resources import JsonRecord, JsonResource

if TYPE_CHECKING:
    from paykit.account import Account, Request
    from paykit.timers import Timer

__all__ = ["CARD_REFUND_DELAY_SECONDS", "RefundRecord", "RefundsResource"]

#: How long an asynchronous test card's refund waits before it moves on (paykit's
#: choice: https://docs.stripe.com/testing#refunds says only "some time later").
CARD_REFUND_DELAY_SECONDS = 86_400

#: What the clock does to a refund of each kind once its delay is over; the table says
#: in which statuses that move exists (a pending refund settles, a succeeded one fails).
_LATER: MappingProxyType[str, RefundAction] = MappingProxyType({
    "pending": RefundAction.SETTLE,
    "fails_later": RefundAction.FAIL,
})


_PAST = MappingProxyType({"cancel": "canceled through the API", "expire": "expired"})


class RefundRecord(JsonRecord):
    """One refund: its JSON fields, its status, and how its payment method refunds."""

    __slots__ = ("behaviour", "delay")

    def __init__(self, data: dict[str, Any], behaviour: RefundKind, delay: int) -> None:
        super().__init__(data, RefundStatus.PENDING)
        self.behaviour = behaviour
        self.delay = delay

    @property
    def facts(self) -> RefundAttempt:
        return RefundAttempt(self.behaviour)


class RefundsResource(JsonResource[RefundRecord]):
    """``sb.refunds``: create, retrieve, update, cancel, list (``GET /v1/refunds``)."""

    kind = "refund"
    url = "/v1/refunds"
    wrap = Refund

    def __init__(self, account: Account) -> None:
        super().__init__(account)
        self._effects = {"refund": self._refund, "return_funds": self._return_funds}

    # -- endpoints ----------------------------------------------------------------------

    def create(self, *, idempotency_key: str | None = None, **params: Any) -> Refund:
        """``POST /v1/refunds`` by ``payment_intent`` or ``charge``; ``amount`` optional
        (all that is left), ``reason`` and ``metadata`` optional."""
        acct = self._acct
        with acct.lock:
            return acct.idempotency.run(idempotency_key, "POST /v1/refunds", params,
                                        acct.clock.now,
                                        lambda: self._create(params, idempotency_key))

    def retrieve(self, refund: str) -> Refund:
        """``GET /v1/refunds/{refund}``."""
        with self._acct.lock:
            return self._show(self._get(refund))

    def update(self, refund: str, *, idempotency_key: str | None = None,
               **params: Any) -> Refund:
        """``POST /v1/refunds/{refund}``: "This request only accepts metadata"."""
        acct = self._acct
        with acct.lock:
            return acct.idempotency.run(
                idempotency_key, f"POST /v1/refunds/{refund}", params, acct.clock.now,
                lambda: self._update(refund, params, idempotency_key))

    def cancel(self, refund: str, *, idempotency_key: str | None = None,
               **params: Any) -> Refund:
        """``POST /v1/refunds/{refund}/cancel``: only a refund in ``requires_action``."""
        return self._move(refund, RefundAction.CANCEL, "cancel", params, idempotency_key)

    def expire(self, refund: str, **params: Any) -> Refund:
        """``POST /v1/test_helpers/refunds/{refund}/expire``: a ``requires_action`` refund
        the customer never answered."""
        return self._move(refund, RefundAction.EXPIRE, "expire", params, None)

    def of_charge(self, charge: str) -> list[dict[str, Any]]:
        """The refunds of ``charge`` in today's form, newest first (the ``refunds`` list
        a Charge embedded before 2022-11-15: ``paykit.embedded_lists``)."""
        return [self._render(r) for r in reversed(self._records.values())
                if r.data["charge"] == charge]

    def list(self, limit: int | None = 10, *, charge: str | None = None,
             payment_intent: str | None = None, starting_after: str | None = None,
             ending_before: str | None = None, created: CreatedFilter = None) -> ListObject:
        """``GET /v1/refunds``: newest first, optionally those of one charge or intent."""
        with self._acct.lock:
            return self._page_where({"charge": charge, "payment_intent": payment_intent},
                                    limit, starting_after, ending_before, created)

    def fire(self, timer: Timer) -> None:
        """The clock reached a pending refund's settlement or a refund's later failure."""
        record = self._records[timer.object_id]
        if self._acct.timers.is_current(timer):
            action = _LATER[record.behaviour]
            self._apply(record, REFUND.decide(record.status, action, record.facts),
                        (None, None))

    # -- create ---------------------------------------------------------------------------

    def _create(self, raw: dict[str, Any], idempotency_key: str | None) -> Refund:
        acct = self._acct
        params = validate_object(REFUND_RULES, self._acct.version(), "create", raw)
        charge_id = self._charge_to_refund(params)
        charge = acct.charges[charge_id]
        field = storage.charge_field
        currency, captured = field(charge, "currency"), field(charge, "amount_captured")
        left = captured - field(charge, "amount_refunded")
        amount = params.get("amount", left)
        if left <= 0:
            raise InvalidRequestError(f"Charge {charge_id} has already been refunded.",
                                      code="charge_already_refunded")
        if amount > captured:
            raise InvalidRequestError(
                f"Refund amount ({format_amount(amount, currency)}) is greater than charge "
                f"amount ({format_amount(captured, currency)})", param="amount")
        if amount > left:
            raise InvalidRequestError(
                f"Refund amount ({format_amount(amount, currency)}) is greater than "
                f"unrefunded amount on charge ({format_amount(left, currency)})",
                param="amount")
        method = acct.payment_methods[field(charge, "payment_method")].test_method
        behaviour: RefundKind = method.refund.value
        delay = (SETTLEMENT_DELAY_SECONDS[method.type] if method.is_bank_debit
                 else CARD_REFUND_DELAY_SECONDS)
        refund_id = acct.ids.new("re")
        record = RefundRecord({
            "id": refund_id, "object": "refund", "amount": amount,
            "balance_transaction": None, "charge": charge_id, "created": acct.clock.now,
            "currency": currency, "customer": field(charge, "customer"),
            "customer_account": None,
            "metadata": merge_metadata({}, params.get("metadata") or {}),
            "payment_intent": field(charge, "payment_intent"),
            "payment_method": field(charge, "payment_method"), "pending_reason": None,
            "reason": params.get("reason"), "receipt_number": None,
            "source_transfer_reversal": None, "status": None, "transfer_reversal": None,
        }, behaviour, delay)
        row = REFUND.decide(None, RefundAction.CREATE, record.facts)
        self._records[refund_id] = record
        self._apply(record, row, acct.new_request(idempotency_key))
        return self._show(record)

    def _charge_to_refund(self, params: dict[str, Any]) -> str:
        """The charge a create names, directly or through its PaymentIntent, if it can be
        refunded at all."""
        acct = self._acct
        charge_id: str | None = params.get("charge")
        intent_id: str | None = params.get("payment_intent")
        if charge_id is None and intent_id is None:
            raise InvalidRequestError(
                "You must pass either charge or payment_intent to create a refund.",
                param="charge", code="parameter_missing")
        if intent_id is not None:
            intent = acct.intents.get(intent_id)
            if intent is None:
                raise InvalidRequestError(f"No such payment_intent: '{intent_id}'",
                                          code="resource_missing", param="payment_intent")
            if intent.data["status"] == "requires_capture":
                raise InvalidRequestError(
                    f"This PaymentIntent ({intent_id}) has not been captured: its charge "
                    "can't be refunded. Cancel the PaymentIntent to release the funds "
                    "instead (https://docs.stripe.com/refunds#uncaptured-payments).",
                    param="payment_intent")
            if intent.data["status"] != "succeeded":
                raise InvalidRequestError(
                    f"This PaymentIntent ({intent_id}) does not have a successful charge "
                    "to refund.", param="payment_intent")
            latest: str = intent.data["latest_charge"]
            if charge_id is not None and charge_id != latest:
                raise InvalidRequestError(
                    f"The charge {charge_id} is not the charge of PaymentIntent "
                    f"{intent_id}.", param="charge")
            charge_id = latest
        assert charge_id is not None  # one of the two was given
        charge = acct.charges.get(charge_id)
        if charge is None:
            raise InvalidRequestError(f"No such charge: '{charge_id}'",
                                      code="resource_missing", param="charge")
        status, captured = (storage.charge_field(charge, "status"),
                            storage.charge_field(charge, "captured"))
        if status == "succeeded" and not captured:
            raise InvalidRequestError(
                f"Charge {charge_id} has not been captured: it can't be refunded. Cancel "
                "its PaymentIntent to release the funds instead.", param="charge")
        if status != "succeeded":
            raise InvalidRequestError(
                f"Charge {charge_id} has not succeeded ({status}): there is nothing to "
                "refund.", param="charge")
        return charge_id

    # -- asking the table, applying its answer ------------------------------------------

    def _move(self, refund: str, action: RefundAction, verb: str, params: dict[str, Any],
              idempotency_key: str | None) -> Refund:
        acct = self._acct
        with acct.lock:
            def work() -> Refund:
                validate_object(REFUND_RULES, self._acct.version(), "cancel", params)
                record = self._get(refund)
                try:
                    row = REFUND.decide(record.status, action, record.facts)
                except MoveRefused:
                    raise InvalidRequestError(
                        f"You can't {verb} this refund because it has a status of "
                        f"{record.status.value}. Only refunds with a status of "
                        f"requires_action can be {_PAST[verb]}.",
                        param="refund") from None
                self._apply(record, row, acct.new_request(idempotency_key))
                return self._show(record)

            return acct.idempotency.run(idempotency_key, f"POST /v1/refunds/{refund}/{verb}",
                                        params, acct.clock.now, work)

    def _apply(self, record: RefundRecord, row: Row, request: Request) -> None:
        """The row's effect on the charge, the move, then its events in order."""
        charge = self._effects[row.effect](record) if row.effect else None
        record.status = row.target
        record.data["status"] = row.target.value
        # why a pending refund waits: paykit models only "processing" (UNCONFIRMED which
        # reason Stripe gives its test cards; https://docs.stripe.com/api/refunds/object)
        record.data["pending_reason"] = (
            "processing" if row.target is RefundStatus.PENDING else None)
        record.data.update(row.sets)
        acct = self._acct
        later = _LATER.get(record.behaviour)
        if later is not None and REFUND.allows(record.status, later):
            acct.timers.schedule(acct.clock.now + record.delay, "refund", record.data["id"],
                                 later.value)
        for event_type in refund_events(row.events, acct.api_version):
            if event_type.startswith("charge.") and event_type != "charge.refund.updated":
                assert charge is not None, f"{row} emits {event_type} without a charge"
                acct.events.append(acct.ids.new("evt"), event_type, acct.clock.now, request,
                                   "charge", charge)
            else:
                self._emit((event_type,), request, record)

    def _refund(self, record: RefundRecord) -> storage.StoredCharge:
        """The charge shows the money going back (``amount_refunded``, ``refunded``)."""
        return self._add_to_charge(record, record.data["amount"])

    def _return_funds(self, record: RefundRecord) -> storage.StoredCharge:
        """A failed or canceled refund: the amount is refundable again (paykit's choice)."""
        return self._add_to_charge(record, -record.data["amount"])

    def _add_to_charge(self, record: RefundRecord, amount: int) -> storage.StoredCharge:
        charges = self._acct.charges
        charge_id = record.data["charge"]
        charge = charges[charge_id]
        refunded = storage.charge_field(charge, "amount_refunded") + amount
        charge = charges[charge_id] = storage.charge_with(
            charge, amount_refunded=refunded,
            refunded=refunded >= storage.charge_field(charge, "amount_captured"))
        return charge

    # -- the rest ---------------------------------------------------------------------------

    def _update(self, refund: str, raw: dict[str, Any], idempotency_key: str | None
                ) -> Refund:
        params = validate_object(REFUND_RULES, self._acct.version(), "update", raw)
        record = self._get(refund)
        if "metadata" in params:
            acct = self._acct
            previous = {"metadata": dict(record.data["metadata"])}
            record.data["metadata"] = merge_metadata(record.data["metadata"],
                                                     params["metadata"])
            # refund.updated from acacia on; the deprecated charge.refund.updated always
            self._emit(refund_events(("refund.updated", "charge.refund.updated"),
                                     acct.api_version),
                       acct.new_request(idempotency_key), record, previous)
        return self._show(record)
