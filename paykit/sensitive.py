"""Spot data that must never sit in metadata or a description, and mask secrets on screen.

Stripe's PaymentIntents guide (https://docs.stripe.com/payments/payment-intents) warns:
do not store confidential data (personal information, card data…) as metadata or in the
``description`` of a PaymentIntent, and never log, put in a URL or show to anyone but
the customer the client secret. The widgets warn as the learner types, and the log audit
(``paykit.logs``) checks whole logs with the same rules, so this module is pure standard
library and fast:

- ``scan(text)``: card-number-like digits that pass the Luhn check, e-mail addresses,
  secret and restricted API keys, webhook signing secrets and client secrets, each as a
  ``Finding`` whose ``shown`` text is already masked;
- ``sensitive_key_name(key)``: metadata keys that announce sensitive data (``cvc``…);
- ``redact(value)``: any JSON-like value with every secret masked, which the widgets
  apply to everything they display;
- ``mask_key(key)``: the one mask of an API key or webhook secret, wherever paykit shows
  one (a 401's message, the server's log, a widget);
- ``redact_log(text)``: a line fit for a log: secrets masked even when percent-encoded
  (``pi_1%5Fsecret%5Fabc``, once or twice over), control characters escaped.

>>> [f.kind for f in scan("card 4242 4242 4242 4242, mail ada@example.com")]
['card_number', 'email']
>>> redact({"client_secret": "pi_1_secret_abc"})
{'client_secret': 'pi_1_secret_****'}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from paykit.objects import mask_secret
from paykit.payment_methods import luhn_valid

__all__ = [
    "KINDS",
    "Finding",
    "Kind",
    "mask_key",
    "redact",
    "redact_log",
    "redact_text",
    "scan",
    "scan_metadata",
    "sensitive_key_name",
]


def _mask_card(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"•••• {digits[-4:]}"


def _mask_email(text: str) -> str:
    local, _, domain = text.partition("@")
    return f"{local[:1]}•••@{domain}"


_KEY_PREFIX = re.compile(r"(?:sk|pk|rk)_(?:test|live)_|whsec_")


def mask_key(key: str) -> str:
    """An API key or webhook secret as Stripe shows one: its kind, then ``*`` for every
    hidden character, and the last four (an API answer quoted in
    https://github.com/flutter-stripe/flutter_stripe/issues/2171: "Invalid API Key
    provided: pk_test_****…****fyDZ"). Anything else keeps only its last four.

    >>> mask_key("sk_test_Hrs6SAopgFPF0bZXSN3f6ELN")
    'sk_test_********************6ELN'
    >>> mask_key("whsec_12"), mask_key("not-a-key-at-all")
    ('whsec_**', '************-all')
    """
    prefix = _KEY_PREFIX.match(key)
    head = prefix.group() if prefix else ""
    rest = key[len(head):]
    if len(rest) <= 4:
        return head + "*" * len(rest)
    return head + "*" * (len(rest) - 4) + rest[-4:]


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of sensitive data: how to find it, how to show it, why it matters."""

    name: str
    pattern: re.Pattern[str]
    mask: Callable[[str], str]
    message: str
    accept: Callable[[str], bool] = lambda text: True
    #: A credential (masked everywhere on screen), not merely personal data.
    secret: bool = False


def _is_card_number(text: str) -> bool:
    """13 to 19 digits passing Luhn, not one repeated digit (0000… passes Luhn too)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_valid(digits)


#: Every kind ``scan`` looks for, in the order it reports overlapping matches.
KINDS: tuple[Kind, ...] = (
    Kind("client_secret", re.compile(r"\b(?:pi|seti)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+"),
         lambda text: mask_secret(text) or "",
         "a client secret: it can complete this payment, so never store, log or put it "
         "in a URL", secret=True),
    Kind("secret_key", re.compile(r"\b[sr]k_(?:live|test)_[A-Za-z0-9]{8,}"), mask_key,
         "a secret (or restricted) API key: whoever reads it can act on the account",
         secret=True),
    Kind("webhook_secret", re.compile(r"\bwhsec_[A-Za-z0-9]{8,}"), mask_key,
         "a webhook signing secret: it lets anyone forge events to your endpoint",
         secret=True),
    Kind("card_number", re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])"), _mask_card,
         "looks like a card number (passes the Luhn check): card data must never be "
         "stored in metadata or a description", _is_card_number),
    Kind("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), _mask_email,
         "an e-mail address: personal data stays out of metadata (use the customer or "
         "receipt_email fields)"),
)


#: What ``redact_text`` masks: the credentials of ``KINDS``, matched more widely than
#: ``scan`` matches them (``scan`` avoids false alarms in what a learner types; a mask
#: errs the other way): any length, and wherever they start (``x_sk_test_1``).
_CREDENTIALS = re.compile(
    r"(?P<client_secret>(?:pi|seti)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+)"
    r"|(?P<key>(?:sk|rk)_(?:test|live)_[A-Za-z0-9_]+|whsec_[A-Za-z0-9]+)"
)
#: Publishable keys are no secret (Stripe.js holds them), but a log has no use for them.
_PUBLISHABLE_KEY = re.compile(r"pk_(?:test|live)_[A-Za-z0-9_]+")


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of sensitive data in a text: where it is, what it is, shown masked."""

    kind: str
    start: int
    end: int
    shown: str
    message: str

    def describe(self) -> str:
        """One line for a warning list."""
        return f"{self.shown}: {self.message}"


def scan(text: str) -> list[Finding]:
    """Every sensitive span of ``text``, left to right, never two overlapping."""
    if not isinstance(text, str) or not text:
        return []
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for kind in KINDS:
        for match in kind.pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken) or not kind.accept(match.group()):
                continue
            taken.append((start, end))
            found.append(Finding(kind.name, start, end, kind.mask(match.group()), kind.message))
    return sorted(found, key=lambda f: f.start)


#: Key words that say a metadata key is meant to hold sensitive data.
_SENSITIVE_KEY_WORDS = frozenset({
    "cvc", "cvv", "cvv2", "pan", "password", "passwd", "pwd", "ssn", "pin", "secret",
})
_SENSITIVE_KEY_PHRASES = ("card_number", "cardnumber", "credit_card", "creditcard", "api_key")


def sensitive_key_name(key: str) -> str | None:
    """Why a metadata *key* names sensitive data (``cvc``, ``card_number``…), or ``None``.

    >>> sensitive_key_name("customer_cvc")
    "the key 'customer_cvc' suggests sensitive data (cvc)"
    """
    if not isinstance(key, str):
        return None
    lowered = key.lower()
    words = set(re.split(r"[^a-z0-9]+", lowered))
    hits = sorted(words & _SENSITIVE_KEY_WORDS) + [
        p for p in _SENSITIVE_KEY_PHRASES if p in lowered.replace("-", "_")
    ]
    if not hits:
        return None
    return f"the key {key!r} suggests sensitive data ({', '.join(hits)})"


def scan_metadata(metadata: Mapping[str, Any]) -> list[tuple[str, str, Finding]]:
    """``(key, "key" or "value", finding)`` for every sensitive span in keys and values."""
    results: list[tuple[str, str, Finding]] = []
    for key, value in metadata.items():
        for where, text in (("key", key), ("value", value)):
            for finding in scan(text if isinstance(text, str) else str(text)):
                results.append((key, where, finding))
    return results


def redact_text(text: str) -> str:
    """``text`` with every secret (client secret, API key, webhook secret) masked.

    Card numbers and e-mails are left alone: a learner typed them and sees the warning.
    """
    if "_" not in text:  # every credential has one: most texts need no regex at all
        return text
    return _CREDENTIALS.sub(_masked, text)


def _masked(match: re.Match[str]) -> str:
    found = match.group()
    return mask_key(found) if match.lastgroup == "key" else mask_secret(found) or ""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Percent-decoding rounds a log line gets: a secret encoded twice (``%255F``) shows too.
_DECODE_ROUNDS = 3


def redact_log(text: str) -> str:
    """``text`` fit for one log line: secrets masked, also percent-encoded ones.

    A client secret sent as ``pi_1%5Fsecret%5Fabc`` (or encoded twice) is the same secret:
    when decoding reveals one, the line shows the decoded text, masked. Control characters
    (a decoded ``%0d%0a`` could forge a log line) are shown escaped.

    >>> redact_log("/v1/x?client_secret=pi_1%5Fsecret%5Fabc&key=sk_test_1")
    '/v1/x?client_secret=pi_1_secret_****&key=sk_test_*'
    """
    masked = redact_text(text)
    decoded = masked
    for _ in range(_DECODE_ROUNDS):
        if "%" not in decoded:
            break
        decoded = unquote(decoded, errors="replace")
    if decoded != masked and redact_text(decoded) != decoded:
        masked = redact_text(decoded)
    if "pk_" in masked:
        masked = _PUBLISHABLE_KEY.sub(lambda m: mask_key(m.group()), masked)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", masked)


def redact(value: Any) -> Any:
    """A JSON-like value with every secret masked (a new value; the input is unchanged)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {key: redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value
