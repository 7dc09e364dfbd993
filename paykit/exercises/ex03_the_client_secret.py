"""Exercises of notebook 03, *The client secret*: what is safe to do with it.

The server hands the client only the client secret, and never stores it, logs it or puts
it in a URL: https://docs.stripe.com/payments/payment-intents?locale=fr-FR,
section "Transmettre la clé secrète du client côté client".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "PRACTICES", "q1", "q2"]

NOTEBOOK = "03_the_client_secret.ipynb"


#: q1's practices, and whether each is safe, with the reason the checker explains.
PRACTICES: dict[str, tuple[bool, str]] = {
    "send it in the JSON response of an HTTPS endpoint": (
        True, "a TLS-protected response to the customer's own browser is the intended way"),
    "render it into the checkout page served over HTTPS": (
        True, "server-side rendering over TLS is the other documented way"),
    "pass it to stripe.confirmCardPayment in the browser": (
        True, "Stripe.js needs it to finish the payment"),
    "write it to the application log to debug checkout": (
        False, "logs are kept, copied and read by many people: never log it"),
    "put it in the redirect URL (?client_secret=...)": (
        False, "URLs end up in browser history, server logs and Referer headers: never "
               "in a URL"),
    "save it in the orders table next to the order": (
        False, "never store it: keep the PaymentIntent id and retrieve the intent instead"),
    "serve the checkout page over plain http:// on the shop's domain": (
        False, "every page that contains the client secret must use TLS (https)"),
}


def _check_practices(answers: Any) -> None:
    """q1: each practice judged as ``PRACTICES`` says, with its reason."""
    expect(isinstance(answers, Mapping), f"`safe` should be a dict, got {show(answers)}.")
    missing = set(PRACTICES) - set(answers)
    expect(not missing, f"Answer every practice; missing: {sorted(missing)}.")
    for practice, (safe, why) in PRACTICES.items():
        given = answers[practice]
        expect(isinstance(given, bool), f"Answer True or False for {practice!r}.")
        expect(given == safe, f"{practice!r}: {'safe' if safe else 'not safe'}, {why}.")


q1 = Exercise(
    name="q1",
    title="Safe or not?",
    answer="safe",
    checker=_check_practices,
    hints=(
        "The client secret can complete the payment: treat it like a password that only "
        "the paying customer may see.",
        "Three rules from the guide: never store it, never log it or put it in a URL, "
        "always TLS.",
    ),
    solution="safe = {\n"
             + "".join(f"    {p!r}: {ok},\n" for p, (ok, _) in PRACTICES.items())
             + "}",
    wrong={practice: (True if "URL" in practice else ok)
           for practice, (ok, _) in PRACTICES.items()},
    says='never in a URL',
    correct_message="Correct: the secret travels once, over TLS, to the customer's browser "
                    "and to Stripe.js, and goes nowhere else.",
)


def _check_log_line(log_line: Any) -> None:
    """q2: id and status in the line, no part of the client secret."""
    sb = paykit.Sandbox(seed=5)
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    line = call(log_line, pi)
    expect(isinstance(line, str), f"`log_line` should return a string, got {show(line)}.")
    secret = pi.client_secret
    random_part = secret.split("_secret_", 1)[1]
    expect(random_part not in line,
           "The line contains the client secret. `str(pi)` prints the whole JSON, "
           "client secret included; `repr(pi)` masks it.")
    expect(pi.id in line, "Keep the intent id in the line: it is how you find the payment.")
    expect(pi.status in line, "Keep the status in the line.")


q2 = Exercise(
    name="q2",
    title="A log line without the secret",
    answer="log_line",
    checker=_check_log_line,
    hints=(
        "Pick the fields you need (id, status, amount) instead of printing the object.",
        "`repr(pi)` already masks the client secret.",
    ),
    scaffold='''
def log_line(pi):
    # what support needs (id, status, amount, currency), and never the client secret
    return ____
''',
    solution='''
def log_line(pi):
    return f"payment_intent={pi.id} status={pi.status} amount={pi.amount} {pi.currency}"
''',
    wrong=lambda pi: f"checkout: {pi}",
    says='contains the client secret',
    correct_message="Correct: the id and status are all support needs; the client secret "
                    "stays out of your logs.",
)

EXERCISES = (q1, q2)
