"""Checks on the fields of one JSON record, and the loop that quarantines the rest.

Shared by the JSON readers (``event_records`` and ``intent_dumps``): a check returns the
value in the log's terms or raises ``Rejected`` with the quarantine reason, and
``accepted`` runs a record parser over every record, counting each one read and each
one parsed, and setting aside with its line every record that fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from paykit.currencies import CURRENCIES
from paykit.lifecycle import parse_status
from paykit.logs.arrays.log_schema import TIME_RANGE
from paykit.logs.readers.json_records import Broken
from paykit.logs.readers.read_report import ReadReport

__all__ = [
    "MAX_AMOUNT",
    "OutOfScope",
    "Rejected",
    "accepted",
    "check_amount",
    "check_currency",
    "check_id",
    "check_status",
    "check_text",
    "check_time",
    "metadata_of",
]

_T = TypeVar("_T")

#: The largest amount a row may hold, in the smallest unit. paykit's choice: Stripe's
#: own ceiling is 8 to 12 digits depending on the currency, so 15 digits only refuses
#: what cannot be a payment, and keeps sums of millions of rows inside int64.
MAX_AMOUNT = 10**15 - 1


class Rejected(ValueError):
    """A record that cannot become a row; the message is the quarantine reason."""


class OutOfScope(Exception):
    """A sound record about something else; the message is its kind (the event type)."""


def check_time(value: Any) -> int:
    """Epoch seconds, or ``Rejected`` for a timestamp no payment can have.

    >>> check_time(1767225600)
    1767225600
    >>> check_time(-1)
    Traceback (most recent call last):
    ...
    paykit.logs.readers.record_checks.Rejected: impossible timestamp '-1'
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected(f"impossible timestamp '{_shown(value)}'")
    if not TIME_RANGE[0] <= value < TIME_RANGE[1] or value != int(value):
        raise Rejected(f"impossible timestamp '{value}'")
    return int(value)


def check_currency(value: Any) -> str | None:
    """A known lowercase currency code, ``None`` if absent, ``Rejected`` otherwise.

    >>> check_currency("EUR"), check_currency(None)
    ('eur', None)
    """
    if value is None:
        return None
    if not isinstance(value, str) or value.lower() not in CURRENCIES:
        raise Rejected(f"unknown currency '{_shown(value)}'")
    return value.lower()


def check_amount(value: Any, field: str = "amount") -> int | None:
    """An integer amount in the smallest unit, ``None`` if absent.

    >>> check_amount(1099), check_amount(None)
    (1099, None)
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Rejected(f"{field} is not an integer in the smallest unit '{value}'")
    if not -MAX_AMOUNT <= value <= MAX_AMOUNT:
        raise Rejected(f"{field} out of range '{value}'")
    return value


def check_text(value: Any, field: str) -> str | None:
    """A text field as a string (numbers spelled out), ``None`` if absent or empty.

    A list or object where text belongs is damage, not something to guess at.

    >>> check_text("card_declined", "decline_code"), check_text(51, "decline_code")
    ('card_declined', '51')
    """
    if value.__class__ is str:  # the usual case first: readers call this per field
        return (value if value.isascii() else _unicode(value, field)) or None
    if value is None:
        return None
    if isinstance(value, str):
        return _unicode(str(value), field) or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise Rejected(f"{field} is not text '{_shown(value)}'")


def check_id(value: Any, field: str = "id") -> str | None:
    """An object's id from an id field, which may hold the object expanded.

    >>> check_id("cus_1"), check_id({"id": "cus_1", "object": "customer"}), check_id(7)
    ('cus_1', 'cus_1', None)
    """
    if isinstance(value, Mapping):
        value = value.get("id")
    return check_text(value, field) if isinstance(value, str) else None


def _unicode(value: str, field: str) -> str:
    """Text as it came, unless it holds a lone surrogate (a JSON escape such as
    ``\\ud800`` without its pair): no file or frame can hold one, so the row is set aside."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Rejected(f"{field} is not valid Unicode (a lone surrogate escape)") from None
    return value


def check_status(value: Any) -> str:
    """A current status name from a current or legacy wire name.

    >>> check_status("requires_source")
    'requires_payment_method'
    """
    try:
        return parse_status(value).value
    except (ValueError, TypeError):
        raise Rejected(f"unknown status '{_shown(value)}'") from None


def metadata_of(obj: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """An object's ``metadata`` if it holds any keys, else ``None``.

    >>> metadata_of({"metadata": {"order_id": "6735"}}), metadata_of({"metadata": {}})
    ({'order_id': '6735'}, None)
    """
    metadata = obj.get("metadata")
    if not isinstance(metadata, Mapping) or not metadata:
        return None
    for key, value in metadata.items():
        _unicode(str(key), "metadata")
        if isinstance(value, str):
            _unicode(value, "metadata")
    return metadata


def accepted(
    records: Iterable[tuple[int, Any] | Broken],
    report: ReadReport,
    parse: Callable[[Any], _T],
) -> Iterator[tuple[int, _T]]:
    """``(line, parse(record))`` for each good record; every other one is quarantined.

    Counts each record read, each parsed and each out of scope, so that read ==
    parsed + quarantined + out of scope.

    >>> report = ReadReport()
    >>> list(accepted([(1, "usd"), (2, "zzz")], report, check_currency))
    [(1, 'usd')]
    >>> report.rows_read, report.rows_parsed, report.quarantined[0].reason
    (2, 1, "unknown currency 'zzz'")
    """
    for record in records:
        report.rows_read += 1
        if isinstance(record, Broken):
            report.quarantine(record.line, record.reason, record.raw)
            continue
        line, item = record
        try:
            parsed = parse(item)
        except Rejected as why:
            report.quarantine(line, str(why), _excerpt(item))
            continue
        except OutOfScope as kind:
            report.out_of_scope[str(kind)] += 1
            continue
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError,
                RecursionError) as error:  # a shape no check foresaw: still only this row
            report.quarantine(line, f"unreadable record ({type(error).__name__})",
                              _excerpt(item))
            continue
        report.rows_parsed += 1
        yield line, parsed


def _excerpt(value: Any) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), default=str)[:200]
    except (TypeError, ValueError, RecursionError):
        try:
            return repr(value)[:200]
        except RecursionError:
            return "(nested too deeply to show)"


def _shown(value: Any) -> str:
    """A value as it goes into a reason: text as is, anything else short and as JSON."""
    return value[:40] if isinstance(value, str) else _excerpt(value)[:40]
