"""Statement descriptors: the text on the customer's bank statement, and its rules.

Sources: https://docs.stripe.com/get-started/account/statement-descriptors (Latin
characters only, 5 to 22 characters, at least one letter, none of ``< > \\ ' " *``; a
card prefix of 2 to 10 characters) and https://docs.stripe.com/payments/payment-intents
("Dynamic statement descriptor": 22 characters at most, never only digits, and the
``*`` and space between prefix and suffix count in the 22).

>>> customer_statement("RUNCLUB", "ORDER 42").text
'RUNCLUB* ORDER 42'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from paykit.api_versions import PLATFORM_CHANGES, in_effect_from
from paykit.params.problems import INVALID, Problem, show_value
from paykit.params.rules import RULES

__all__ = [
    "CARD_STATEMENT_DESCRIPTOR_CUTOFF",
    "COMPLETE_MIN_LENGTH",
    "DESCRIPTOR_RULES",
    "FORBIDDEN_DESCRIPTOR_CHARACTERS",
    "PREFIX_LENGTH",
    "DescriptorRule",
    "StatementPreview",
    "customer_statement",
    "descriptor_problems",
    "refuses_card_descriptor",
    "statement_descriptor_problems",
]

#: From this day on, ``statement_descriptor`` is refused on card payments, whatever the API
#: version: "As of 02/01/2024, Stripe no longer supports the statement_descriptor
#: parameter on the PaymentIntent API for PaymentIntents in which one of the supported
#: payment_method_types is card" (Stripe support; newer specs: "Setting this value for a
#: card charge returns an error"). A dated platform change, not an API version
#: (``paykit.api_versions.PLATFORM_CHANGES``): paykit reads it on the sandbox clock.
CARD_STATEMENT_DESCRIPTOR_CUTOFF = next(
    p.day for p in PLATFORM_CHANGES if p.key == "card_statement_descriptor_refused")
_CARD_CUTOFF_TIMESTAMP = in_effect_from("card_statement_descriptor_refused")

#: Characters no statement descriptor may contain
#: (https://docs.stripe.com/get-started/account/statement-descriptors).
FORBIDDEN_DESCRIPTOR_CHARACTERS = "<>\\'\"*"


def _is_latin(ch: str) -> bool:
    """ASCII printable, or a letter whose Unicode name says LATIN (é, ß, ø…)."""
    if " " <= ch <= "~":
        return True
    try:
        return unicodedata.name(ch).startswith("LATIN ")
    except ValueError:  # unnamed code points (controls, unassigned)
        return False


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() and _is_latin(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class DescriptorRule:
    """A rule every statement descriptor text keeps
    (https://docs.stripe.com/get-started/account/statement-descriptors)."""

    name: str
    code: str
    doc: str
    broken: Callable[[str], bool]
    message: str  # formatted with label (e.g. "statement descriptor") and found


DESCRIPTOR_RULES: tuple[DescriptorRule, ...] = (
    DescriptorRule(
        "latin_only", "invalid_characters", "Latin characters only",
        lambda text: not all(_is_latin(ch) for ch in text),
        "The {label} can only contain Latin characters; it contains {found}.",
    ),
    DescriptorRule(
        "no_forbidden_characters", "invalid_characters",
        "none of < > \\ ' \" * (the payment-intents guide lists < > ' \" *; the "
        "statement-descriptors page adds \\)",
        lambda text: any(ch in FORBIDDEN_DESCRIPTOR_CHARACTERS for ch in text),
        "The {label} cannot include {found}.",
    ),
    DescriptorRule(
        "has_a_letter", INVALID,
        "at least one Latin letter: so never only digits",
        lambda text: not _has_letter(text),
        "The {label} must contain at least one letter and cannot consist only of "
        "digits: {found}.",
    ),
)


def _found(rule: DescriptorRule, text: str) -> str:
    """What broke the rule, for the message."""
    if rule.name == "latin_only":
        chars = [ch for ch in dict.fromkeys(text) if not _is_latin(ch)]
    elif rule.name == "no_forbidden_characters":
        chars = [ch for ch in dict.fromkeys(text) if ch in FORBIDDEN_DESCRIPTOR_CHARACTERS]
    else:
        return repr(text)
    return " ".join(chars)


def _text_problems(text: str, param: str) -> list[Problem]:
    label = param.replace("_", " ")
    return [
        Problem(param, rule.code, rule.message.format(label=label, found=_found(rule, text)))
        for rule in DESCRIPTOR_RULES
        if rule.broken(text)
    ]


def _limit(param: str = "statement_descriptor") -> int:
    """The 22 characters, read from the table (the prefix and total use the same)."""
    limit = RULES.get(param, RULES["statement_descriptor"]).max_length
    assert limit is not None, "descriptor rules carry their max_length"
    return limit


def statement_descriptor_problems(
    value: str, *, param: str = "statement_descriptor"
) -> list[Problem]:
    """Every descriptor rule ``value`` breaks: length, characters, a letter.

    The length limit is the parameter's ``max_length`` in ``RULES`` (22).

    >>> [p.code for p in statement_descriptor_problems("RUNCLUB*")]
    ['invalid_characters']
    """
    return descriptor_problems(value, param)


def descriptor_problems(value: object, param: str) -> list[Problem]:
    """``statement_descriptor_problems`` for any value: a non-string is an invalid string."""
    if not isinstance(value, str):
        return [Problem(param, INVALID, f"Invalid string: {show_value(value)}")]
    limit = _limit(param)
    problems = []
    if len(value) > limit:
        problems.append(Problem(
            param, INVALID,
            f"The {param.replace('_', ' ')} must be at most {limit} characters; "
            f"{show_value(value, 40)} has {len(value)}.",
        ))
    return problems + _text_problems(value, param)


#: A card statement shows ``PREFIX* SUFFIX``: these two characters join them.
_JOINER = "* "
#: The shortened descriptor (the card prefix) is 2 to 10 characters
#: (https://docs.stripe.com/get-started/account/statement-descriptors).
PREFIX_LENGTH = (2, 10)
#: A complete descriptor is at least 5 characters (the same page).
COMPLETE_MIN_LENGTH = 5


@dataclass(frozen=True)
class StatementPreview:
    """What the customer's card statement shows, and every rule it breaks."""

    text: str
    length: int
    budget: int
    remaining: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def customer_statement(prefix: str, suffix: str | None) -> StatementPreview:
    """The descriptor a card statement shows: ``RUNCLUB* ORDER 42``, or just the prefix.

    The ``*`` and the space count in the 22 characters
    (https://docs.stripe.com/payments/payment-intents, "Dynamic statement descriptor"),
    so a 7-character prefix leaves 13 for the suffix. ``problems`` lists every broken
    rule: the prefix is 2–10 characters, prefix and suffix each need a letter and
    allowed characters, and the whole is 5–22 characters.

    >>> preview = customer_statement("RUNCLUB", "ORDER 42")
    >>> preview.text, preview.length, preview.remaining
    ('RUNCLUB* ORDER 42', 17, 5)
    """
    budget = _limit("statement_descriptor_suffix")
    prefix_text = prefix if isinstance(prefix, str) else show_value(prefix)
    suffix_text = suffix if isinstance(suffix, str) else None
    text = f"{prefix_text}{_JOINER}{suffix_text}" if suffix_text else prefix_text
    problems: list[Problem] = []
    low, high = PREFIX_LENGTH
    if not low <= len(prefix_text) <= high:
        problems.append(Problem(
            "statement_descriptor_prefix", INVALID,
            f"The statement descriptor prefix must be {low} to {high} characters; "
            f"{show_value(prefix_text, 40)} has {len(prefix_text)}.",
        ))
    problems += _text_problems(prefix_text, "statement_descriptor_prefix")
    if suffix_text:
        problems += _text_problems(suffix_text, "statement_descriptor_suffix")
    last = "statement_descriptor_suffix" if suffix_text else "statement_descriptor_prefix"
    if len(text) > budget:
        room = budget - len(prefix_text) - len(_JOINER)
        advice = (
            f", counting the '{_JOINER.strip()}' and the space after the prefix. Shorten the "
            f"suffix to at most {max(room, 0)} characters." if suffix_text else "."
        )
        problems.append(Problem(
            last, INVALID,
            f"The complete statement descriptor {text!r} is {len(text)} characters; at most "
            f"{budget} fit{advice}",
        ))
    if len(text) < COMPLETE_MIN_LENGTH:
        problems.append(Problem(
            last, INVALID,
            f"The complete statement descriptor {text!r} must be at least "
            f"{COMPLETE_MIN_LENGTH} characters.",
        ))
    return StatementPreview(text, len(text), budget, budget - len(text), problems)


def refuses_card_descriptor(now: int | None) -> bool:
    """Whether ``statement_descriptor`` is refused on a card charge at the instant ``now``
    (the sandbox clock; ``None``: today, which refuses it).

    >>> refuses_card_descriptor(1_700_000_000), refuses_card_descriptor(None)
    (False, True)
    """
    return now is None or now >= _CARD_CUTOFF_TIMESTAMP
