"""Stripe's decline codes as one table: what each means, what to do next, hard or soft.

The codes, their meanings and their next steps are Stripe's card decline codes
(https://docs.stripe.com/declines/codes), written here in short; a few error ``code``
values that a log carries where the issuer gave no decline code come from
https://docs.stripe.com/error-codes. The log analyses (``paykit.logs``), the HTML report
and the tests read this table; nothing restates it.

**Hard or soft is paykit's choice, not Stripe's.** Stripe's codes page gives next steps
but does not sort the codes into "hard" and "soft" (it says "soft decline" only of
``authentication_required``). paykit calls a decline **hard** when retrying the same
payment method cannot succeed without something new: the page tells you to stop
(``do_not_try_again``, lost or stolen cards, fraud), or the card's details are wrong,
expired or unsupported, so the customer must give other ones. Every other decline is
**soft**: the same card may succeed later or after the customer acts (funds, limits,
authentication, an issuer that is unavailable or gives no reason). ``do_not_honor`` and
``generic_decline`` are soft here because the page sends the customer to the issuer,
not to another card; a code the table does not know is ``unknown``.

>>> DECLINE_CODES["insufficient_funds"].kind, decline_kind("lost_card"), decline_kind("x")
('soft', 'hard', 'unknown')
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = ["DECLINE_CODES", "DOCS_URL", "KINDS", "DeclineCode", "Kind", "decline_kind"]

DOCS_URL = "https://docs.stripe.com/declines/codes"
_ERRORS_URL = "https://docs.stripe.com/error-codes"

Kind = Literal["hard", "soft"]
#: The kinds a decline can be, in the order reports show them.
KINDS = ("hard", "soft", "unknown")


class DeclineCode(NamedTuple):
    """One row of the table: the code, its meaning, the next step, hard or soft."""

    code: str
    meaning: str
    next_step: str
    kind: Kind
    source: str = DOCS_URL


_ASK_ISSUER = "The customer should contact their card issuer."
_OTHER_CARD = "Ask the customer for another card or payment method."
_RETRY = "Try the payment again; if it still fails, the customer should contact their issuer."
_FIX_DETAILS = "The customer should enter the details again, correctly, or use another card."
_GENERIC = "Give the customer a generic decline message; do not reveal the reason."

_ROWS: tuple[DeclineCode, ...] = (
    DeclineCode("authentication_required", "The issuer requires authentication (3D Secure).",
                "Have the customer authenticate (bring them back on session), then confirm "
                "again.", "soft"),
    DeclineCode("approve_with_id", "The payment cannot be authorised.", _RETRY, "soft"),
    DeclineCode("call_issuer", "Declined for an unknown reason.", _ASK_ISSUER, "soft"),
    DeclineCode("card_not_supported", "The card does not support this kind of purchase.",
                _OTHER_CARD, "hard"),
    DeclineCode("card_velocity_exceeded", "The customer exceeded the card's balance, credit "
                "limit or transaction amount limit.", _ASK_ISSUER, "soft"),
    DeclineCode("currency_not_supported", "The card does not support the currency.",
                _OTHER_CARD, "hard"),
    DeclineCode("do_not_honor", "Declined for an unknown reason.", _ASK_ISSUER, "soft"),
    DeclineCode("do_not_try_again", "Declined for an unknown reason; the issuer asks not "
                "to retry.", "Do not retry the card; " + _ASK_ISSUER.lower(), "hard"),
    DeclineCode("duplicate_transaction", "A payment with the same amount and card was "
                "submitted very recently.", "Check whether a recent payment already exists.",
                "soft"),
    DeclineCode("expired_card", "The card has expired.", _OTHER_CARD, "hard"),
    DeclineCode("fraudulent", "Stripe suspects fraud.", _GENERIC, "hard"),
    DeclineCode("generic_decline", "Declined for an unknown reason, or by a blocked "
                "payment rule.", _ASK_ISSUER, "soft"),
    DeclineCode("incorrect_number", "The card number is incorrect.", _FIX_DETAILS, "hard"),
    DeclineCode("incorrect_cvc", "The CVC number is incorrect.", _FIX_DETAILS, "hard"),
    DeclineCode("incorrect_pin", "The PIN is incorrect (card readers).", _FIX_DETAILS, "hard"),
    DeclineCode("incorrect_zip", "The postal code is incorrect.", _FIX_DETAILS, "hard"),
    DeclineCode("insufficient_funds", "The card has insufficient funds.",
                "The customer should use another method, or retry once funds are there.",
                "soft"),
    DeclineCode("invalid_account", "The card, or its account, is invalid.", _ASK_ISSUER,
                "hard"),
    DeclineCode("invalid_amount", "The amount is invalid or above what is allowed.",
                "If the amount looks right, " + _ASK_ISSUER.lower(), "soft"),
    DeclineCode("invalid_cvc", "The CVC number is incorrect.", _FIX_DETAILS, "hard"),
    DeclineCode("invalid_expiry_month", "The expiry month is invalid.", _FIX_DETAILS, "hard"),
    DeclineCode("invalid_expiry_year", "The expiry year is invalid.", _FIX_DETAILS, "hard"),
    DeclineCode("invalid_number", "The card number is incorrect.", _FIX_DETAILS, "hard"),
    DeclineCode("invalid_pin", "The PIN is incorrect (card readers).", _FIX_DETAILS, "hard"),
    DeclineCode("issuer_not_available", "The issuer could not be reached.", _RETRY, "soft"),
    DeclineCode("lost_card", "The card was reported lost.", _GENERIC, "hard"),
    DeclineCode("merchant_blacklist", "The payment matches a value on the account's block "
                "list.", _GENERIC, "hard"),
    DeclineCode("new_account_information_available", "The card or its account is invalid.",
                _ASK_ISSUER, "hard"),
    DeclineCode("no_action_taken", "Declined for an unknown reason.", _ASK_ISSUER, "soft"),
    DeclineCode("not_permitted", "The payment is not permitted.", _ASK_ISSUER, "soft"),
    DeclineCode("offline_pin_required", "The card requires a PIN.",
                "Retry by inserting the card and entering the PIN.", "soft"),
    DeclineCode("online_or_offline_pin_required", "The card requires a PIN.",
                "Retry by inserting the card and entering the PIN.", "soft"),
    DeclineCode("pickup_card", "The card cannot be used (possibly lost or stolen).",
                _ASK_ISSUER, "hard"),
    DeclineCode("pin_try_exceeded", "Too many PIN attempts.", _OTHER_CARD, "hard"),
    DeclineCode("processing_error", "An error occurred while processing the card.", _RETRY,
                "soft"),
    DeclineCode("reenter_transaction", "The issuer could not process the payment.", _RETRY,
                "soft"),
    DeclineCode("restricted_card", "The card cannot be used (possibly lost or stolen).",
                _ASK_ISSUER, "hard"),
    DeclineCode("revocation_of_all_authorizations", "The customer stopped all payments.",
                _ASK_ISSUER, "hard"),
    DeclineCode("revocation_of_authorization", "The customer stopped this payment.",
                _ASK_ISSUER, "hard"),
    DeclineCode("security_violation", "Declined for an unknown reason.", _ASK_ISSUER, "soft"),
    DeclineCode("service_not_allowed", "Declined for an unknown reason.", _ASK_ISSUER, "soft"),
    DeclineCode("stolen_card", "The card was reported stolen.", _GENERIC, "hard"),
    DeclineCode("stop_payment_order", "The customer stopped all payments.", _ASK_ISSUER,
                "hard"),
    DeclineCode("testmode_decline", "A Stripe test card number was used in live mode.",
                "Use a real card.", "hard"),
    DeclineCode("transaction_not_allowed", "Declined for an unknown reason.", _ASK_ISSUER,
                "soft"),
    DeclineCode("try_again_later", "Declined for an unknown reason.", _RETRY, "soft"),
    DeclineCode("withdrawal_count_limit_exceeded", "The customer exceeded the card's "
                "balance or credit limit.", _OTHER_CARD, "soft"),
    # Seen in real Dashboard exports' "Decline Reason" (payment_logs.md §1a), not on the
    # codes page: by its name a "do not retry", so hard.
    DeclineCode("previously_declined_do_not_retry", "The issuer declined this card before "
                "and asks not to retry it.", "Do not retry the card; " + _OTHER_CARD.lower(),
                "hard", "https://docs.stripe.com/declines/card"),
    # Error codes a log keeps where the issuer gave no decline code.
    DeclineCode("card_declined", "The card was declined (no decline code given).",
                _ASK_ISSUER, "soft", _ERRORS_URL),
    DeclineCode("payment_intent_authentication_failure", "Authentication (3D Secure) "
                "failed.", "Ask the customer to authenticate again or use another method.",
                "soft", _ERRORS_URL),
)

#: Every code in the table, by code.
DECLINE_CODES: dict[str, DeclineCode] = {row.code: row for row in _ROWS}
if len(DECLINE_CODES) != len(_ROWS):  # checked on import: one row per code
    raise RuntimeError("paykit.decline_codes lists a code twice")


def decline_kind(code: str | None) -> str:
    """``hard``, ``soft`` or ``unknown`` for a decline code (see the module docstring).

    >>> decline_kind("expired_card"), decline_kind(None)
    ('hard', 'unknown')
    """
    row = DECLINE_CODES.get(code) if isinstance(code, str) else None
    return row.kind if row is not None else "unknown"
