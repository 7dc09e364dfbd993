"""The payment-method types paykit models, and Stripe's test payment methods.

Two tables, read by the engine (what a confirm does), the widgets (which methods to
offer), the HTTP layer (card numbers → methods), the parameter rules and the docs:

- ``METHOD_TYPES``: one row per modelled type (``card``, ``sepa_debit``,
  ``us_bank_account``): is it a bank debit, how long it stays in ``processing``, the
  currencies it pays in, and its ``payment_method_options`` as the API shows them;
- ``TEST_PAYMENT_METHODS``: the ``pm_…`` test tokens and what each does when a payment
  is attempted (https://docs.stripe.com/testing, and the stripe-cli fixtures at
  https://github.com/stripe/stripe-cli/tree/master/pkg/fixtures/triggers).

The bank-debit failure methods are paykit's own names, in the style of Stripe's
``pm_card_visa_chargeDeclined`` (Stripe documents failing IBANs / account numbers,
not ``pm_`` shortcuts for them):

- ``pm_sepaDebit_chargeDeclined``: IBAN ``AT861904300235473202``, fails after processing.
- ``pm_usBankAccount_chargeDeclined``: account ``000222222227``, fails with
  ``insufficient_funds`` after processing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Any

from paykit.errors import CardError, InvalidRequestError

__all__ = [
    "BANK_DEBIT_TYPES",
    "METHOD_TYPES",
    "MODELLED_TYPES",
    "SETTLEMENT_DELAY_SECONDS",
    "TEST_PAYMENT_METHODS",
    "TYPE_PARAMS",
    "Authentication",
    "Decline",
    "MethodType",
    "RefundBehaviour",
    "TestPaymentMethod",
    "compatible_types",
    "debit_types",
    "find_by_account_number",
    "find_by_card_number",
    "find_by_iban",
    "find_test_method",
    "luhn_valid",
    "method_options",
    "retyped",
    "types_for",
]


# -- the modelled types --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MethodType:
    """One payment-method type paykit models, and how a payment with it behaves.

    ``settlement_delay_seconds`` is how long a confirmed payment stays in
    ``processing`` (0: it settles at confirm, as a card does); ``currencies`` is
    ``None`` when any currency works; ``options`` is the type's entry of the
    intent's ``payment_method_options`` as the API shows it when nothing was asked.
    """

    name: str
    bank_debit: bool
    settlement_delay_seconds: int
    currencies: frozenset[str] | None
    options: Mapping[str, Any]
    source: str


def _options(**fields: Any) -> Mapping[str, Any]:
    return MappingProxyType(fields)


#: The types paykit models, in the order the API lists them. Settlement delays are
#: paykit's round numbers, faster than real life so that learners see time pass: SEPA
#: "can take up to 14 business days …, though the average is five business days"
#: (https://docs.stripe.com/payments/sepa-debit); ACH settles in "4 business days for
#: users on the PaymentIntents API"
#: (https://support.stripe.com/questions/ach-direct-debit-payment-settlement-time).
#: The option defaults are those of the PaymentIntent object
#: (https://docs.stripe.com/api/payment_intents/object#payment_intent_object-payment_method_options).
METHOD_TYPES: Mapping[str, MethodType] = MappingProxyType({
    row.name: row for row in (
        MethodType("card", False, 0, None,
                   _options(installments=None, mandate_options=None, network=None,
                            request_three_d_secure="automatic"),
                   "https://docs.stripe.com/payments/cards"),
        MethodType("sepa_debit", True, 5 * 86_400, frozenset({"eur"}), _options(),
                   "https://docs.stripe.com/payments/sepa-debit"),
        MethodType("us_bank_account", True, 4 * 86_400, frozenset({"usd"}),
                   _options(verification_method="automatic"),
                   "https://docs.stripe.com/payments/ach-direct-debit"),
    )
})

#: The modelled type names, in table order.
MODELLED_TYPES: tuple[str, ...] = tuple(METHOD_TYPES)

#: Asynchronous methods: confirm → processing, then they settle (or fail) later.
BANK_DEBIT_TYPES: frozenset[str] = frozenset(
    name for name, row in METHOD_TYPES.items() if row.bank_debit)

#: How long the sandbox keeps a bank debit in ``processing`` before it settles.
SETTLEMENT_DELAY_SECONDS: Mapping[str, int] = MappingProxyType({
    name: row.settlement_delay_seconds for name, row in METHOD_TYPES.items()
    if row.bank_debit
})


@cache
def debit_types(currency: str) -> tuple[str, ...]:
    """The bank-debit types that can pay in ``currency``, in table order.

    >>> debit_types("eur"), debit_types("usd"), debit_types("jpy")
    (('sepa_debit',), ('us_bank_account',), ())
    """
    return tuple(name for name, row in METHOD_TYPES.items()
                 if row.bank_debit and row.currencies and currency in row.currencies)


def compatible_types(types: Iterable[str], currency: str) -> tuple[str, ...]:
    """The ``types`` that can pay in ``currency``: what ``allowed_payment_method_types``
    keeps ("silently filters out incompatible methods",
    https://docs.stripe.com/changelog/dahlia/2026-07-29/allowed-payment-method-types-parameter).
    paykit knows the currencies of the types it models; a type it does not model is kept
    (paykit cannot tell, and accepts it in ``payment_method_types`` alike).

    >>> compatible_types(["card", "sepa_debit", "us_bank_account"], "usd")
    ('card', 'us_bank_account')
    """
    def fits(name: str) -> bool:
        row = METHOD_TYPES.get(name)
        return row is None or row.currencies is None or currency in row.currencies
    return tuple(dict.fromkeys(name for name in types if fits(name)))


#: The request parameters that choose an intent's payment method types.
TYPE_PARAMS: frozenset[str] = frozenset({"payment_method_types", "allowed_payment_method_types",
                                         "excluded_payment_method_types"})


def types_for(explicit: Iterable[str] | None, allowed: Iterable[str] | None,
              excluded: Iterable[str] | None, automatic: bool,
              currency: str | None) -> tuple[str, ...]:
    """The ``payment_method_types`` an intent shows, from what its requests chose:
    ``payment_method_types`` as given; else the ``allowed_payment_method_types`` that can
    pay in ``currency`` (a SetupIntent has none: all of them); else, with automatic
    payment methods, cards and the bank debits of the currency (every modelled type for
    a SetupIntent) less the ``excluded_payment_method_types``; else cards, the default
    before 2023-08-16 (https://docs.stripe.com/changelog/2023-08-16/automatic-payment-methods).

    >>> types_for(None, None, ["us_bank_account"], True, "usd")
    ('card',)
    """
    if explicit:
        return tuple(explicit)
    if allowed:
        return compatible_types(allowed, currency) if currency else tuple(dict.fromkeys(allowed))
    if not automatic:
        return ("card",)
    base = ("card", *debit_types(currency)) if currency else MODELLED_TYPES
    left_out = set(excluded or ())
    return tuple(name for name in base if name not in left_out)


def retyped(types: Iterable[str], automatic: bool, params: Mapping[str, Any],
            currency: str | None) -> tuple[tuple[str, ...], bool]:
    """An update or confirm that names the types: the intent's types after it, and
    whether automatic payment methods stay on. ``allowed_payment_method_types`` turns
    them off; ``excluded_payment_method_types`` narrows the automatic ones (or, with
    explicit types, removes those).

    >>> retyped(["card", "sepa_debit"], False, {"excluded_payment_method_types": ["card"]},
    ...         "eur")
    (('sepa_debit',), False)
    """
    if params.get("allowed_payment_method_types"):
        return types_for(None, params["allowed_payment_method_types"], None, False,
                         currency), False
    if params.get("payment_method_types"):
        return tuple(params["payment_method_types"]), automatic
    excluded = params.get("excluded_payment_method_types") or ()  # "" unsets
    if automatic:
        return types_for(None, None, excluded, True, currency), True
    return tuple(name for name in types if name not in excluded), False


def method_options(types: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``payment_method_options`` as the API shows it for these types (a new dict).

    >>> method_options(["sepa_debit", "card"])["card"]["request_three_d_secure"]
    'automatic'
    """
    wanted = set(types)
    return {name: dict(row.options) for name, row in METHOD_TYPES.items() if name in wanted}


class Authentication(StrEnum):
    """When a card asks the customer to authenticate (3D Secure)."""

    NEVER = "never"
    #: on-session payments need 3DS; off-session ones are declined (authentication_required)
    ALWAYS = "always"
    #: like ALWAYS, but off-session succeeds once the card was set up for off_session
    UNLESS_SET_UP_OFF_SESSION = "unless_set_up_off_session"
    #: on-session needs 3DS; off-session always succeeds ("already set up")
    ON_SESSION_ONLY = "on_session_only"


class RefundBehaviour(StrEnum):
    """What a refund of a payment by this method does over time
    (https://docs.stripe.com/testing#refunds)."""

    #: "refunds succeed immediately and don't change status after that" (most cards)
    IMMEDIATE = "immediate"
    #: starts ``pending``, later ``succeeded`` (4000000000007726; bank debits: paykit's
    #: choice, see ``paykit.refund_lifecycle``)
    PENDING = "pending"
    #: starts ``succeeded``, later ``failed`` (4000000000005126)
    FAILS_LATER = "fails_later"


@dataclass(frozen=True, slots=True)
class Decline:
    """How an attempt fails: the ``code``, ``decline_code`` and message Stripe returns."""

    code: str
    decline_code: str | None
    message: str
    outcome_type: str = "issuer_declined"
    network_status: str = "declined_by_network"
    risk_level: str = "normal"


_GENERIC = Decline("card_declined", "generic_decline", "Your card was declined.")
_INSUFFICIENT = Decline(
    "card_declined", "insufficient_funds", "Your card has insufficient funds."
)


@dataclass(frozen=True, slots=True, eq=False)
class TestPaymentMethod:
    """A ``pm_…`` test token and the behaviour Stripe gives it.

    Each token is one row of ``TEST_PAYMENT_METHODS``, so identity is equality (and
    hashing is cheap: the engine caches per-method JSON by it on every charge).
    """

    id: str
    type: str  # a key of METHOD_TYPES
    description: str
    card_number: str | None = None
    brand: str | None = None
    funding: str = "credit"
    country: str = "US"
    iban: str | None = None
    account_number: str | None = None
    authentication: Authentication = Authentication.NEVER
    decline: Decline | None = None
    refund: RefundBehaviour = RefundBehaviour.IMMEDIATE
    #: attaching to a Customer succeeds although every charge is declined
    #: (4000000000000341, "Decline after attaching")
    declines_after_attach: bool = False

    @property
    def last4(self) -> str:
        number = self.card_number or self.iban or self.account_number or "0000"
        return number[-4:]

    @property
    def is_bank_debit(self) -> bool:
        return self.type in BANK_DEBIT_TYPES

    @property
    def simulates_issuer_decline(self) -> bool:
        """A card the bank declines outright: "You can't attach cards that simulate issuer
        declines to a Customer object" (https://docs.stripe.com/testing#declined-payments).
        Cards declined only after 3D Secure can be set up, so they attach."""
        return (self.type == "card" and self.decline is not None
                and self.authentication is Authentication.NEVER
                and not self.declines_after_attach)

    @property
    def currencies(self) -> frozenset[str] | None:
        """The currencies it pays in (its type's); ``None``: any currency."""
        return METHOD_TYPES[self.type].currencies


# Bank-debit refunds start pending and succeed later: paykit's choice. Stripe says
# "refunds are asynchronous" in general (https://docs.stripe.com/refunds) but the
# per-method timing is not on the pages paykit's facts come from; the pending period
# is the method's settlement delay (``SETTLEMENT_DELAY_SECONDS``).
_BANK_REFUND = RefundBehaviour.PENDING


def _card(pm_id: str, number: str, description: str, brand: str = "visa", **kw: Any):
    return TestPaymentMethod(pm_id, "card", description, card_number=number, brand=brand, **kw)


_TABLE: tuple[TestPaymentMethod, ...] = (
    _card("pm_card_visa", "4242424242424242", "Succeeds."),
    _card("pm_card_visa_debit", "4000056655665556", "Succeeds (debit).", funding="debit"),
    _card("pm_card_mastercard", "5555555555554444", "Succeeds.", brand="mastercard"),
    _card("pm_card_amex", "378282246310005", "Succeeds.", brand="amex"),
    _card("pm_card_chargeDeclined", "4000000000000002", "Declined: generic_decline.",
          decline=_GENERIC),
    _card("pm_card_visa_chargeDeclined", "4000000000000002", "Declined: generic_decline.",
          decline=_GENERIC),
    _card("pm_card_chargeDeclinedInsufficientFunds", "4000000000009995",
          "Declined: insufficient_funds.", decline=_INSUFFICIENT),
    _card("pm_card_visa_chargeDeclinedInsufficientFunds", "4000000000009995",
          "Declined: insufficient_funds.", decline=_INSUFFICIENT),
    _card("pm_card_chargeDeclinedLostCard", "4000000000009987", "Declined: lost_card.",
          decline=Decline("card_declined", "lost_card", "Your card was declined.")),
    _card("pm_card_visa_chargeDeclinedLostCard", "4000000000009987", "Declined: lost_card.",
          decline=Decline("card_declined", "lost_card", "Your card was declined.")),
    _card("pm_card_chargeDeclinedStolenCard", "4000000000009979", "Declined: stolen_card.",
          decline=Decline("card_declined", "stolen_card", "Your card was declined.")),
    _card("pm_card_visa_chargeDeclinedStolenCard", "4000000000009979",
          "Declined: stolen_card.",
          decline=Decline("card_declined", "stolen_card", "Your card was declined.")),
    _card("pm_card_chargeDeclinedExpiredCard", "4000000000000069", "Declined: expired_card.",
          decline=Decline("expired_card", "expired_card", "Your card has expired.")),
    _card("pm_card_chargeDeclinedIncorrectCvc", "4000000000000127",
          "Declined: incorrect_cvc.",
          decline=Decline("incorrect_cvc", "incorrect_cvc",
                          "Your card's security code is incorrect.")),
    _card("pm_card_chargeDeclinedProcessingError", "4000000000000119",
          "Declined: processing_error.",
          decline=Decline("processing_error", "processing_error",
                          "An error occurred while processing your card. "
                          "Try again in a little bit.")),
    _card("pm_card_chargeCustomerFail", "4000000000000341",
          "Attaches to a customer; every charge is declined.", decline=_GENERIC,
          declines_after_attach=True),
    # The number is on https://docs.stripe.com/testing; its pm_ name is not confirmed there.
    _card("pm_card_radarBlock", "4100000000000019",
          "Blocked by Radar as fraudulent (pm_ name unconfirmed).",
          decline=Decline("card_declined", "fraudulent", "Your card was declined.",
                          outcome_type="blocked", network_status="not_sent_to_network",
                          risk_level="highest")),
    _card("pm_card_pendingRefund", "4000000000007726",
          "Succeeds; a refund stays pending, then succeeds.",
          refund=RefundBehaviour.PENDING),
    _card("pm_card_refundFail", "4000000000005126",
          "Succeeds; a refund succeeds, then fails.", refund=RefundBehaviour.FAILS_LATER),
    _card("pm_card_authenticationRequired", "4000002760003184",
          "Always asks for 3D Secure; off-session payments are declined.",
          authentication=Authentication.ALWAYS),
    _card("pm_card_threeDSecure2Required", "4000000000003220",
          "3D Secure 2 required, then succeeds.", authentication=Authentication.ALWAYS),
    _card("pm_card_authenticationRequiredOnSetup", "4000002500003155",
          "3D Secure on-session; off-session succeeds once set up for off_session.",
          authentication=Authentication.UNLESS_SET_UP_OFF_SESSION),
    _card("pm_card_authenticationRequiredSetupForOffSession", "4000003800000446",
          "3D Secure on-session; off-session always succeeds (already set up).",
          authentication=Authentication.ON_SESSION_ONLY),
    # "declined with an insufficient_funds failure code even after being successfully
    # authenticated or previously set up": once set up off session, no 3D Secure, and the
    # bank declines (https://docs.stripe.com/testing#authentication-and-setup)
    _card("pm_card_authenticationRequiredChargeDeclinedInsufficientFunds",
          "4000008260003178", "3D Secure, then declined: insufficient_funds.",
          authentication=Authentication.UNLESS_SET_UP_OFF_SESSION, decline=_INSUFFICIENT),
    TestPaymentMethod("pm_sepaDebit", "sepa_debit", "Processing, then succeeds.",
                      iban="AT321904300235473204", country="AT", refund=_BANK_REFUND),
    TestPaymentMethod("pm_sepaDebit_chargeDeclined", "sepa_debit",
                      "Processing, then fails (paykit name).", iban="AT861904300235473202",
                      country="AT", refund=_BANK_REFUND,
                      decline=Decline("charge_declined", "generic_decline",
                                      "The bank declined the SEPA Direct Debit.")),
    # More of https://docs.stripe.com/testing#sepa-direct-debit (tokens
    # pm_sepaDebit_<outcome>_<country>): Stripe's documented German IBAN among them.
    TestPaymentMethod("pm_sepaDebit_success_at", "sepa_debit", "Processing, then succeeds.",
                      iban="AT611904300234573201", country="AT", refund=_BANK_REFUND),
    TestPaymentMethod("pm_sepaDebit_success_de", "sepa_debit", "Processing, then succeeds.",
                      iban="DE89370400440532013000", country="DE", refund=_BANK_REFUND),
    TestPaymentMethod("pm_sepaDebit_failed_de", "sepa_debit",
                      "Processing, then fails.", iban="DE62370400440532013001", country="DE",
                      decline=Decline("charge_declined", "generic_decline",
                                      "The bank declined the SEPA Direct Debit."),
                      refund=_BANK_REFUND),
    TestPaymentMethod("pm_usBankAccount", "us_bank_account", "Processing, then succeeds.",
                      account_number="000123456789", refund=_BANK_REFUND),
    TestPaymentMethod("pm_usBankAccount_chargeDeclined", "us_bank_account",
                      "Processing, then fails: insufficient_funds (paykit name).",
                      account_number="000222222227", refund=_BANK_REFUND,
                      decline=Decline("insufficient_funds", "insufficient_funds",
                                      "The customer's bank account has insufficient funds.")),
)

#: Every test token by id.
TEST_PAYMENT_METHODS: dict[str, TestPaymentMethod] = {pm.id: pm for pm in _TABLE}


def luhn_valid(number: str) -> bool:
    """The Luhn checksum every real card number passes.

    >>> luhn_valid("4242 4242 4242 4242"), luhn_valid("4242424242424241")
    (True, False)
    """
    digits = [int(ch) for ch in str(number) if ch.isdigit()]
    if len(digits) < 12:
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def find_by_card_number(number: str) -> TestPaymentMethod | None:
    """The first test method with this card number (the HTTP layer's card create)."""
    digits = "".join(ch for ch in str(number) if ch.isdigit())
    return next((pm for pm in _TABLE if pm.card_number == digits), None)


def find_by_iban(iban: str) -> TestPaymentMethod | None:
    """The test method for a SEPA test IBAN."""
    compact = str(iban).replace(" ", "").upper()
    return next((pm for pm in _TABLE if pm.iban == compact), None)


def find_by_account_number(number: str) -> TestPaymentMethod | None:
    """The test method for a US bank test account number."""
    return next((pm for pm in _TABLE if pm.account_number == number), None)


def find_test_method(kind: object, details: Mapping[str, Any], *,
                     prefix: str = "") -> TestPaymentMethod:
    """The test method a card number, IBAN or account number stands for, as Stripe's
    test mode reads ``POST /v1/payment_methods`` or ``payment_method_data``.

    ``details`` maps each type to its hash (``{"card": {"number": "4242…"}}``);
    ``prefix`` names where they came from in the request (``payment_method_data``), so
    an error names the exact parameter. Anything else is a Stripe-shaped error.

    >>> find_test_method("sepa_debit", {"sepa_debit": {"iban": "AT321904300235473204"}}).id
    'pm_sepaDebit'
    """
    def param(name: str) -> str:  # card[number] -> payment_method_data[card][number]
        head, bracket, rest = name.partition("[")
        return f"{prefix}[{head}]{bracket}{rest}" if prefix else name

    def field(hash_name: str, key: str) -> str:
        value = details.get(hash_name)
        return str(value.get(key, "")) if isinstance(value, Mapping) else ""

    if kind == "card":
        number = field("card", "number")
        if not number:
            raise InvalidRequestError(f"Missing required param: {param('card[number]')}.",
                                      code="parameter_missing", param=param("card[number]"))
        if not luhn_valid(number):  # card errors name the card's own field: "number"
            raise CardError("Your card number is incorrect.", code="incorrect_number",
                            param="number")
        found = find_by_card_number(number)
        if found is None:
            raise CardError(
                "Your request was in test mode, but used a non test card. For a list "
                "of valid test cards, visit: https://stripe.com/docs/testing.",
                code="card_declined", decline_code="test_mode_live_card",
            )
        return found
    if kind == "sepa_debit":
        found = find_by_iban(field("sepa_debit", "iban"))
        if found is None:
            raise InvalidRequestError("Invalid IBAN: use a SEPA test IBAN.",
                                      code="invalid_bank_account_iban",
                                      param=param("sepa_debit[iban]"))
        return found
    if kind == "us_bank_account":
        found = find_by_account_number(field("us_bank_account", "account_number"))
        if found is None:
            raise InvalidRequestError("Invalid account number: use a test account.",
                                      code="account_number_invalid",
                                      param=param("us_bank_account[account_number]"))
        return found
    *others, last = MODELLED_TYPES
    raise InvalidRequestError(
        f"Invalid type: paykit models {', '.join(others)} and {last}, not {kind!r}.",
        code="parameter_invalid_string", param=param("type"),
    )
