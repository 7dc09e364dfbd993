"""``sb.payment_methods``: create, retrieve, update, list, attach and detach PaymentMethods.

What a method may still do is the PaymentMethod table's answer
(``paykit.payment_method_lifecycle``): attach it to a Customer to reuse it; used once
without one, or detached, it is spent. :class:`SavedMethods` is what the other resources
ask before they use a method (a payment, a setup) and after one succeeds (saving it).

Most methods never leave their first state, so only the few with a saved state (attached,
detached, given billing details or metadata) have an entry in ``Account.method_states``.
A method a payment spends is known by its charge: a method with a charge and no saved
state has been used without a Customer. The payments that make no charge yet (3D Secure
pending) and setups mark the method by its class (``minting.SpentMethod``). So the
common payment, a new test method charged at once, pays nothing for the rule; the index
of charged methods is caught up only when an older method is used again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal

from paykit import storage
from paykit.customers import require_live_customer
from paykit.errors import CardError, InvalidRequestError
from paykit.machine import MoveRefused, Row
from paykit.minting import BILLING_DETAILS, MintedMethod, SpentMethod, mint
from paykit.objects import ListObject, PaymentMethod
from paykit.pagination import check_limit, page
from paykit.params import merge_metadata, validate_object
from paykit.params.payment_method_rules import PAYMENT_METHOD_RULES
from paykit.payment_method_lifecycle import (
    PAYMENT_METHOD,
    MethodAction,
    MethodFacts,
    MethodStatus,
)
from paykit.payment_methods import TEST_PAYMENT_METHODS, find_test_method
from paykit.versioned_json import render

if TYPE_CHECKING:
    from paykit.account import Account, Request

__all__ = ["MethodState", "PaymentMethodsResource", "SavedMethods"]

_UNUSED, _CONSUMED = MethodStatus.UNUSED, MethodStatus.CONSUMED
#: Whether each test token is a card that simulates an issuer decline (read per payment).
_ISSUER_DECLINE = {token: method.simulates_issuer_decline
                   for token, method in TEST_PAYMENT_METHODS.items()}
# ``tuple.__new__`` builds a NamedTuple without its Python-level constructor (3x faster).
_new_facts = tuple.__new__


@dataclass(slots=True)
class MethodState:
    """What a method has beyond its test token: its table status and saved fields."""

    status: MethodStatus
    customer: str | None = None
    billing_details: dict[str, Any] | None = None  # None: all fields null
    metadata: dict[str, str] = field(default_factory=dict)
    allow_redisplay: str = "unspecified"


class SavedMethods:
    """The PaymentMethod table asked on behalf of every resource that uses a method."""

    def __init__(self, account: Account) -> None:
        self._acct = account
        self._charged: set[str] = set()  # methods with a charge, as far as scanned
        self._scanned = 0  # how many of the account's charges ``_charged`` covers

    def status(self, minted: MintedMethod) -> MethodStatus:
        state = self._acct.method_states.get(minted.id)
        if state is not None:
            return state.status
        if type(minted) is SpentMethod or self._was_charged(minted.id):
            return _CONSUMED
        return _UNUSED

    def _was_charged(self, pm_id: str) -> bool:
        """Whether any charge was made with ``pm_id`` (the index catches up with the
        charges made since it last looked, newest first: no full scan)."""
        charges = self._acct.charges
        if len(charges) < self._scanned:  # a refused request took charges back
            self._charged.clear()
            self._scanned = 0
        if len(charges) > self._scanned:
            field = storage.charge_field
            self._charged.update(field(c, "payment_method") for c in
                                 islice(reversed(charges.values()),
                                        len(charges) - self._scanned))
            self._scanned = len(charges)
        return pm_id in self._charged

    def spend(self, minted: MintedMethod) -> None:
        """Mark a method used without being saved, before any charge shows it (a payment
        waiting for 3D Secure)."""
        if minted.id not in self._acct.method_states and type(minted) is not SpentMethod:
            self._acct.payment_methods[minted.id] = _new_facts(SpentMethod, minted)

    def owner(self, pm_id: str) -> str | None:
        """The customer a method is attached to, if any."""
        state = self._acct.method_states.get(pm_id)
        return state.customer if state is not None else None

    def _facts(self, minted: MintedMethod, customer: str | None,
               saves: bool = False) -> MethodFacts:
        owner = self.owner(minted.id)
        relation: Literal["none", "same", "other"] = (
            "none" if customer is None
            else "same" if owner is None or owner == customer else "other")
        return MethodFacts(relation, minted.test_method.simulates_issuer_decline,
                           saves and customer is not None)

    def _decide(self, minted: MintedMethod, action: MethodAction, facts: MethodFacts) -> Row:
        return self._decide_in(self.status(minted), action, facts)

    def _decide_in(self, status: MethodStatus, action: MethodAction,
                   facts: MethodFacts) -> Row:
        """The table's row, or its refusal as Stripe's error."""
        try:
            return PAYMENT_METHOD.decide(status, action, facts)
        except MoveRefused as refused:
            refusal = refused.refusal
            assert refusal is not None, f"the PaymentMethod table answers every {action}"
            if refusal.code == "card_declined":
                raise CardError(refusal.message, code="card_declined",
                                decline_code="generic_decline", param=refusal.param) from None
            raise InvalidRequestError(refusal.message, code=refusal.code or None,
                                      param=refusal.param) from None

    def use(self, minted: MintedMethod, customer: str | None, saves: bool) -> None:
        """A payment or setup is about to use ``minted`` for ``customer``: refused if the
        method is spent, detached or someone else's; spent by it unless it saves it.

        A payment with a method minted in the same request need not ask (nothing can
        have used it yet); a setup always asks. The facts are built without the
        NamedTuple constructor (``_facts`` is the same, written for clarity).
        """
        state = self._acct.method_states.get(minted.id)
        if state is None:
            status = (_CONSUMED if type(minted) is SpentMethod or self._was_charged(minted.id)
                      else _UNUSED)
            relation = "none" if customer is None else "same"
        else:
            status, owner = state.status, state.customer
            relation = ("none" if customer is None
                        else "same" if owner is None or owner == customer else "other")
        facts = _new_facts(MethodFacts, (relation, _ISSUER_DECLINE[minted.token],
                                         saves and customer is not None))
        row = self._decide_in(status, MethodAction.USE, facts)
        if row.target is _CONSUMED:
            if state is None:  # the class marks it: no memory spent (module docstring)
                self._acct.payment_methods[minted.id] = _new_facts(SpentMethod, minted)
            else:
                state.status = _CONSUMED

    def attach(self, minted: MintedMethod, customer: str | None, request: Request, *,
               saving: bool = False) -> None:
        """Save ``minted`` to ``customer``: ``attach``, or (``saving``) the payment or
        setup that used it to save it, whose own charge does not count as a past use."""
        status = self.status(minted) if not saving else (
            self._acct.method_states[minted.id].status
            if minted.id in self._acct.method_states
            else _CONSUMED if type(minted) is SpentMethod else _UNUSED)
        row = self._decide_in(status, MethodAction.ATTACH, self._facts(minted, customer))
        if row.target is MethodStatus.ATTACHED and row.events:
            state = self._state(minted)
            state.status, state.customer = MethodStatus.ATTACHED, customer
            self._emit(row, minted, request)

    def detach(self, minted: MintedMethod, request: Request) -> None:
        row = self._decide(minted, MethodAction.DETACH, MethodFacts())
        state = self._state(minted)
        state.status, state.customer = row.target, None
        self._emit(row, minted, request)

    def json(self, minted: MintedMethod) -> dict[str, Any]:
        """The method's JSON: its token's details, and what was saved on it."""
        data = minted.to_json()
        state = self._acct.method_states.get(minted.id)
        if state is not None:
            data.update(customer=state.customer, metadata=dict(state.metadata),
                        allow_redisplay=state.allow_redisplay,
                        billing_details=state.billing_details or BILLING_DETAILS)
        return data

    def _state(self, minted: MintedMethod) -> MethodState:
        states = self._acct.method_states
        if minted.id not in states:
            states[minted.id] = MethodState(self.status(minted))
        return states[minted.id]

    def _emit(self, row: Row, minted: MintedMethod, request: Request) -> None:
        acct = self._acct
        snapshot = self.json(acct.payment_methods[minted.id])
        for event_type in row.events:
            acct.events.append_object(acct.ids.new("evt"), event_type, acct.clock.now,
                                      request, "payment_method", snapshot)


class PaymentMethodsResource:
    """``sb.payment_methods``: the PaymentMethods API over the account's methods."""

    def __init__(self, account: Account, saved: SavedMethods) -> None:
        self._acct = account
        self._saved = saved

    def _show(self, data: dict[str, Any]) -> PaymentMethod:
        """A method's JSON (today's form) in the version the call is read in."""
        return PaymentMethod(render(data, self._acct.version(), self._acct.related))

    def create(self, *, idempotency_key: str | None = None, **params: Any) -> PaymentMethod:
        """``POST /v1/payment_methods`` from a test card number, IBAN or account number
        (``type`` and its hash), with ``billing_details``, ``metadata`` and
        ``allow_redisplay``. A new method is attached to no one."""
        acct = self._acct
        with acct.lock:
            def work() -> PaymentMethod:
                valid = validate_object(PAYMENT_METHOD_RULES, acct.version(), "create", params)
                kind = valid["type"]
                details = valid.get(kind) or {}
                token = find_test_method(kind, {kind: details} if details else {})
                minted = mint(acct, token)
                if kind == "card" and "exp_year" in details:  # the card's own expiry
                    minted = acct.payment_methods[minted.id] = minted._replace(
                        exp_year=details["exp_year"])
                self._save_fields(minted, valid)
                return self._show(self._saved.json(minted))

            return acct.idempotency.run(idempotency_key, "POST /v1/payment_methods", params,
                                        acct.clock.now, work)

    def create_from_test(self, token: str) -> PaymentMethod:
        """Mint a new payment method that behaves like test token ``token``."""
        with self._acct.lock:
            if token not in TEST_PAYMENT_METHODS:
                raise InvalidRequestError(
                    f"No such test payment method: '{token}'", code="resource_missing",
                    param="payment_method",
                )
            return self._show(mint(self._acct, TEST_PAYMENT_METHODS[token]).to_json())

    def retrieve(self, payment_method: str) -> PaymentMethod:
        """``GET /v1/payment_methods/{id}``; a test token mints a new method."""
        with self._acct.lock:
            return self._show(self._saved.json(self._find(payment_method)))

    def update(self, payment_method: str, **params: Any) -> PaymentMethod:
        """``POST /v1/payment_methods/{id}``: "A PaymentMethod must be attached to a
        customer to be updated" (billing_details, metadata, allow_redisplay, card expiry)."""
        acct = self._acct
        with acct.lock:
            minted = self._find(payment_method)
            valid = validate_object(PAYMENT_METHOD_RULES, self._acct.version(), "update", params)
            if self._saved.status(minted) is not MethodStatus.ATTACHED:
                # paykit's wording: Stripe documents the rule, not its error body
                raise InvalidRequestError(
                    "You must save this PaymentMethod to a customer before you can update "
                    "it.", param="payment_method")
            previous = self._save_fields(minted, valid)
            snapshot = self._saved.json(minted)
            acct.events.append_object(acct.ids.new("evt"), "payment_method.updated",
                                      acct.clock.now, acct.new_request(None),
                                      "payment_method", snapshot, previous)
            return self._show(snapshot)

    def attach(self, payment_method: str, *, customer: str | None = None,
               idempotency_key: str | None = None, **params: Any) -> PaymentMethod:
        """``POST /v1/payment_methods/{id}/attach``: save it to ``customer``."""
        acct = self._acct
        with acct.lock:
            def work() -> PaymentMethod:
                validate_object(PAYMENT_METHOD_RULES, self._acct.version(), "attach",
                                {"customer": customer, **params} if customer else params)
                minted = self._find(payment_method)
                if customer is not None:
                    require_live_customer(acct, customer)
                self._saved.attach(minted, customer, acct.new_request(idempotency_key))
                return self._show(self._saved.json(minted))

            return acct.idempotency.run(
                idempotency_key, f"POST /v1/payment_methods/{payment_method}/attach",
                {"customer": customer, **params}, acct.clock.now, work)

    def detach(self, payment_method: str, *, idempotency_key: str | None = None,
               **params: Any) -> PaymentMethod:
        """``POST /v1/payment_methods/{id}/detach``: permanent and irreversible."""
        acct = self._acct
        with acct.lock:
            def work() -> PaymentMethod:
                validate_object(PAYMENT_METHOD_RULES, self._acct.version(), "detach", params)
                minted = self._find(payment_method)
                self._saved.detach(minted, acct.new_request(idempotency_key))
                return self._show(self._saved.json(minted))

            return acct.idempotency.run(
                idempotency_key, f"POST /v1/payment_methods/{payment_method}/detach",
                params, acct.clock.now, work)

    def list(self, limit: int | None = 10, *, customer: str | None = None,
             type: str | None = None, starting_after: str | None = None,
             ending_before: str | None = None) -> ListObject:
        """``GET /v1/payment_methods`` (and a customer's methods): newest first; only
        saved methods are listed, those of ``customer`` when it is given."""
        acct = self._acct
        with acct.lock:
            if customer is not None:
                require_live_customer(acct, customer)
            methods = acct.payment_methods
            chosen = [methods[pm_id] for pm_id, state in reversed(acct.method_states.items())
                      if state.status is MethodStatus.ATTACHED
                      and (customer is None or state.customer == customer)
                      and (type is None or methods[pm_id].test_method.type == type)]
            chosen.sort(key=lambda m: m.created, reverse=True)
            items, has_more = page(chosen, check_limit(limit), starting_after, ending_before,
                                   "payment_method")
            url = (f"/v1/customers/{customer}/payment_methods" if customer
                   else "/v1/payment_methods")
            return ListObject([self._show(self._saved.json(m)) for m in items], has_more,
                              url)

    # -- plumbing -------------------------------------------------------------------------

    def _find(self, payment_method: Any) -> MintedMethod:
        acct = self._acct
        minted = (acct.payment_methods.get(payment_method)
                  if isinstance(payment_method, str) else None)
        if minted is None and isinstance(payment_method, str) \
                and payment_method in TEST_PAYMENT_METHODS:
            minted = mint(acct, TEST_PAYMENT_METHODS[payment_method])
        if minted is None:
            raise InvalidRequestError(
                f"No such PaymentMethod: '{payment_method}'", code="resource_missing",
                param="payment_method", http_status=404)
        return minted

    def _save_fields(self, minted: MintedMethod, valid: dict[str, Any]) -> dict[str, Any]:
        """Store what a create or update sets; returns the values it replaced."""
        if not {"billing_details", "metadata", "allow_redisplay", "card"} & set(valid):
            return {}
        state = self._saved._state(minted)
        previous: dict[str, Any] = {}
        if "billing_details" in valid:
            previous["billing_details"] = state.billing_details or BILLING_DETAILS
            current = state.billing_details or BILLING_DETAILS
            given = valid["billing_details"] or {}
            state.billing_details = {
                **current, **{k: (v or None) for k, v in given.items() if k != "address"},
                "address": {**current["address"],
                            **{k: (v or None) for k, v in (given.get("address") or {}).items()}},
            }
        if "metadata" in valid:
            previous["metadata"] = dict(state.metadata)
            state.metadata = merge_metadata(state.metadata, valid["metadata"])
        if "allow_redisplay" in valid:
            previous["allow_redisplay"] = state.allow_redisplay
            state.allow_redisplay = valid["allow_redisplay"]
        return previous
