"""Metadata: your key-value pairs on a PaymentIntent, and the limits Stripe sets on them.

Source: https://docs.stripe.com/metadata (50 keys, keys of at most 40 characters and
without square brackets, values of at most 500 characters); unsetting: "Individual keys
can be unset by posting an empty value to them. All keys can be unset by posting an
empty value to ``metadata``." (https://docs.stripe.com/api/metadata). Values are
stored as strings: a number becomes its text, as it does in a form body.

>>> merge_metadata({"order_id": "6735"}, {"retry": 1})
{'order_id': '6735', 'retry': '1'}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from paykit.params.problems import INVALID, Problem, show_value

__all__ = [
    "METADATA_LIMITS",
    "MetadataLimits",
    "merge_metadata",
    "metadata_problems",
    "metadata_value",
]


@dataclass(frozen=True, slots=True)
class MetadataLimits:
    """Stripe's metadata limits (https://docs.stripe.com/metadata)."""

    max_keys: int = 50
    max_key_length: int = 40
    max_value_length: int = 500
    forbidden_key_characters: str = "[]"


METADATA_LIMITS = MetadataLimits()


def metadata_value(value: object) -> str | None:
    """The stored string, or ``None`` when the API cannot take it (bool, None, dict…).

    >>> metadata_value(42), metadata_value("42"), metadata_value(True)
    ('42', '42', None)
    """
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def metadata_problems(metadata: object, *, param: str = "metadata") -> list[Problem]:
    """Every metadata limit ``metadata`` breaks; ``""`` (unset everything) breaks none.

    Keys set to ``""`` (unset) do not count towards the 50 keys.

    >>> metadata_problems({"order[1]": "x"})[0].code
    'invalid_characters'
    """
    if isinstance(metadata, str) and metadata == "":
        return []
    if not isinstance(metadata, Mapping):
        return [Problem(param, INVALID, f"Invalid object: {show_value(metadata)}")]
    limits = METADATA_LIMITS
    problems: list[Problem] = []
    kept = 0
    for key, value in metadata.items():
        if not isinstance(key, str) or key == "":
            problems.append(Problem(
                param, INVALID,
                f"Invalid key: {show_value(key)}; metadata keys are non-empty strings",
            ))
        elif len(key) > limits.max_key_length:
            problems.append(Problem(
                param, INVALID,
                f"Invalid key: {show_value(key, 60)} must be a string of at most "
                f"{limits.max_key_length} characters",
            ))
        elif any(ch in limits.forbidden_key_characters for ch in key):
            problems.append(Problem(
                param, "invalid_characters",
                f"Invalid key: {show_value(key)}; metadata keys cannot contain square "
                f"brackets ([ or ])",
            ))
        text = metadata_value(value)
        if text is None or len(text) > limits.max_value_length:
            problems.append(Problem(
                param, INVALID,
                f"Invalid val: {show_value(value, 60)} must be a string of at most "
                f"{limits.max_value_length} characters",
            ))
        if text != "":
            kept += 1
    if kept > limits.max_keys:
        problems.append(Problem(
            param, INVALID,
            f"Metadata can have up to {limits.max_keys} keys, but you've set {kept}.",
        ))
    return problems


def merge_metadata(
    current: Mapping[str, str], update: Mapping[str, object] | str
) -> dict[str, str]:
    """The metadata after an update: ``""`` unsets a key, ``metadata=""`` unsets all.

    Raises ``InvalidRequestError`` when the update, or the merged result, breaks a limit.

    >>> merge_metadata({"a": "1", "b": "2"}, {"b": "", "c": 3})
    {'a': '1', 'c': '3'}
    """
    if isinstance(update, str) and update == "":
        return {}
    problems = metadata_problems(update)
    if problems:
        raise problems[0].to_error()
    assert isinstance(update, Mapping)  # metadata_problems refused everything else
    merged = dict(current)
    for key, value in update.items():
        text = metadata_value(value) or ""
        if text == "":
            merged.pop(key, None)
        else:
            merged[key] = text
    problems = metadata_problems(merged)
    if problems:
        raise problems[0].to_error()
    return merged
