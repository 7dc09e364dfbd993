"""What the lifecycle table implies for a log, derived once as small numpy tables.

Nothing here restates a rule: every array and mapping is computed from a lifecycle table
(``table_arrays(machine)`` reads any ``paykit.machine.Machine`` the same way; the module's
constants are the PaymentIntent's, read when this module is imported), so the log
checker and the sandbox engine can never disagree. Statuses become small integer codes
(their order in ``Status``); the creation "source" (``None`` in the table) gets the
extra code ``NONE``. The analyses then check millions of transitions with one
fancy-indexing lookup instead of a Python loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple, cast

import numpy as np

from paykit.event_types import CHARGE_EVENT_TYPES, EVENT_TYPES, PAYMENT_INTENT_EVENT_TYPES
from paykit.lifecycle import (
    INITIAL_STATUS,
    PAYMENT_INTENT,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Action,
    Status,
)
from paykit.machine import Machine

__all__ = [
    "ALLOWED",
    "ATTEMPT_IF_DECLINED",
    "ATTEMPT_ONLY",
    "AUTHENTICATION_CODE",
    "ENTRY",
    "FAILURE_EVENT_TYPES",
    "INITIAL_CODE",
    "NONE",
    "N_STATUSES",
    "SNAPSHOT_EVENT",
    "STATUSES",
    "STATUS_CODE",
    "STATUS_EVENT_TYPES",
    "TERMINAL",
    "TIE_RANK",
    "TableArrays",
    "status_event_target",
    "table_arrays",
]


class TableArrays(NamedTuple):
    """A lifecycle table as arrays over status codes (positions in ``statuses``; the code
    ``len(statuses)`` is "no status yet", the source of the creation rows)."""

    statuses: tuple[Any, ...]
    code: dict[Any, int]
    allowed: np.ndarray  # allowed[source, target]
    entry: np.ndarray  # the statuses an object may show first
    terminal: np.ndarray


def table_arrays(machine: Machine) -> TableArrays:
    """Any machine's table as the arrays the log checker reads.

    >>> from paykit.refund_lifecycle import REFUND
    >>> arrays = table_arrays(REFUND)
    >>> bool(arrays.allowed[arrays.code[REFUND.statuses("pending")],
    ...                     arrays.code[REFUND.statuses("succeeded")]])
    True
    """
    statuses: tuple[Any, ...] = tuple(cast(Iterable[Any], machine.statuses))
    code = {status: position for position, status in enumerate(statuses)}
    allowed = np.zeros((len(statuses) + 1, len(statuses)), dtype=bool)
    for row in machine.rows:
        allowed[len(statuses) if row.source is None else code[row.source],
                code[row.target]] = True
    entries = machine.entry_statuses()
    return TableArrays(statuses, code, allowed,
                       np.array([s in entries for s in statuses], dtype=bool),
                       np.array([s in machine.terminal for s in statuses], dtype=bool))


_PAYMENT_INTENT = table_arrays(PAYMENT_INTENT)

#: Status codes are positions in this tuple (the order of ``Status``).
STATUSES: tuple[Status, ...] = _PAYMENT_INTENT.statuses
STATUS_CODE: dict[Status, int] = _PAYMENT_INTENT.code
N_STATUSES = len(STATUSES)
#: The code standing for "no status yet" (the source of the creation row).
NONE = N_STATUSES
INITIAL_CODE = STATUS_CODE[INITIAL_STATUS]

#: Not a Stripe event: a row that shows the latest state of an intent, as read from an
#: object dump or a Dashboard PaymentIntent row.
SNAPSHOT_EVENT = "payment_intent.snapshot"


def _code(status: Status | None) -> int:
    return NONE if status is None else STATUS_CODE[status]


def _pair_matrix(rows) -> np.ndarray:
    matrix = np.zeros((N_STATUSES + 1, N_STATUSES), dtype=bool)
    for row in rows:
        matrix[_code(row.source), _code(row.target)] = True
    return matrix


#: ``ALLOWED[source, target]``: some row of the table moves an intent from source to target.
ALLOWED: np.ndarray = _PAYMENT_INTENT.allowed

_CONFIRM = _pair_matrix(t for t in TRANSITIONS if t.action is Action.CONFIRM)
_OTHER = _pair_matrix(t for t in TRANSITIONS if t.action is not Action.CONFIRM)
#: Pairs only a confirmation makes: each one observed is a payment attempt.
ATTEMPT_ONLY: np.ndarray = _CONFIRM & ~_OTHER
#: Pairs a confirmation or another action makes (e.g. -> canceled by request or at the
#: confirmation limit): an attempt only when the row carries a decline.
ATTEMPT_IF_DECLINED: np.ndarray = _CONFIRM & _OTHER

#: Statuses an intent may show first (creation, then rows that emit no event).
ENTRY: np.ndarray = _PAYMENT_INTENT.entry
TERMINAL: np.ndarray = _PAYMENT_INTENT.terminal

#: Where the customer authenticates: the source of the table's ``authenticate`` rows.
_AUTH_SOURCES = {t.source for t in TRANSITIONS if t.action is Action.AUTHENTICATE}
assert len(_AUTH_SOURCES) == 1, _AUTH_SOURCES
AUTHENTICATION_CODE: int = _code(next(iter(_AUTH_SOURCES)))


def _closing_targets() -> dict[str, set[Status]]:
    """Each event type that closes a row (is its last event), with the targets it closes."""
    targets: dict[str, set[Status]] = {}
    for row in TRANSITIONS:
        if row.events:
            targets.setdefault(row.events[-1], set()).add(row.target)
    return targets


#: Event types that report a status: the last event of some table row. Value: the
#: status the table says it reports (``None`` if several), used when the event carries no
#: PaymentIntent object; a PaymentIntent object's own ``status`` always wins.
STATUS_EVENT_TYPES: dict[str, Status | None] = {
    event: (next(iter(found)) if len(found) == 1 else None)
    for event, found in _closing_targets().items()
}
assert set(STATUS_EVENT_TYPES) <= PAYMENT_INTENT_EVENT_TYPES, STATUS_EVENT_TYPES

#: Events of the rows that send a started attempt back to the initial status (declines):
#: only these carry a decline code worth counting.
FAILURE_EVENT_TYPES: frozenset[str] = frozenset(
    event
    for t in TRANSITIONS
    if t.source is not None and t.target is INITIAL_STATUS and t.action is not Action.CREATE
    for event in t.events
)


def _tie_ranks() -> dict[str, int]:
    """Order of events of one intent within the same second, from the table.

    0: the creation row's events; 1: charge events (every row that lists a charge event
    lists it before the PaymentIntent event); 3: PaymentIntent events that only ever close
    a row into a terminal status (nothing can follow them); 2: every other event;
    4: snapshots, which show the state after everything else.
    """
    creation = {e for t in TRANSITIONS if t.source is None for e in t.events}
    targets: dict[str, set[Status]] = {}
    for t in TRANSITIONS:
        for event in t.events:
            targets.setdefault(event, set()).add(t.target)
        kinds = [e.split(".")[0] for e in t.events]
        assert kinds == sorted(kinds), f"charge events must come first in {t}"
    ranks: dict[str, int] = {}
    for event in sorted(EVENT_TYPES):
        if event in creation:
            ranks[event] = 0
        elif event in CHARGE_EVENT_TYPES:
            ranks[event] = 1
        elif targets.get(event) and targets[event] <= TERMINAL_STATUSES:
            ranks[event] = 3
        else:
            ranks[event] = 2
    ranks[SNAPSHOT_EVENT] = 4
    return ranks


#: Tie-break rank of each event type (see ``_tie_ranks``).
TIE_RANK: dict[str, int] = _tie_ranks()


def status_event_target(event_type: str) -> Status | None:
    """The status an event type reports by itself, or ``None`` when it reports none.

    >>> status_event_target("payment_intent.succeeded")
    <Status.SUCCEEDED: 'succeeded'>
    >>> status_event_target("charge.succeeded") is None
    True
    """
    return STATUS_EVENT_TYPES.get(event_type)
