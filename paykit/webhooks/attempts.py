"""What happened to each delivery: one ``Delivery`` per event and endpoint, its attempts.

Like the Dashboard's "Event deliveries" tab: each attempt keeps when it was made (the
sandbox clock, as ``created`` fields show it, and the wall-clock time it was signed
with), the status the endpoint answered or why none came, how long it took and the first
bytes of the answer. A delivery ends ``delivered`` (a 2xx), ``failed`` (every attempt of
the schedule failed) or ``canceled`` (its endpoint was disabled or deleted before a
retry); until then it is ``pending``. None is ever dropped: the log is how a test proves
that no event was lost.

``AttemptTable`` shows attempts as a table, in a notebook (HTML) or as text.

>>> attempt = Attempt("evt_1", "we_1", 1, 1700000000, 1780000000, 500, "", None, 3.2,
...                   "automatic", ())
>>> attempt.ok, attempt.outcome
(False, '(500) ERR')
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["COLUMNS", "Attempt", "AttemptTable", "Delivery"]


class Attempt(NamedTuple):
    """One POST (or call) of one event to one endpoint."""

    event: str
    endpoint: str
    number: int  # 1 for the first attempt of this delivery, counting every kind
    at: int  # sandbox clock (epoch seconds)
    signed_at: int  # the wall-clock ``t`` of the signature
    status: int | None  # what the endpoint answered; None: no answer
    body: str  # the first bytes of the answer
    error: str | None  # "Timed out", "Unable to connect (...)"
    latency_ms: float
    kind: str  # "automatic", "retry", "duplicate", "resend"
    faults: tuple[str, ...]  # the faults that touched this attempt

    @property
    def ok(self) -> bool:
        """A 2xx, in time: Stripe counts nothing else as delivered."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def outcome(self) -> str:
        """As the Dashboard shows it: ``(200) OK``, ``(500) ERR``, ``(Timed out) ERR``."""
        if self.ok:
            return f"({self.status}) OK"
        if self.error is not None:
            return f"({self.error.split(' (')[0]}) ERR"
        return f"({self.status}) ERR"


@dataclass(slots=True)
class Delivery:
    """One event to one endpoint: its state and every attempt so far."""

    event: str
    endpoint: str
    event_type: str
    created: int  # sandbox time the event happened
    status: str = "pending"  # pending, delivered, failed, canceled (resent: resends only)
    attempts: list[Attempt] = field(default_factory=list)
    next_retry: int | None = None  # sandbox time of the next automatic attempt
    automatic: int = 0  # automatic attempts made so far (the schedule's count)


#: The columns ``AttemptTable`` shows by default (``latency_ms`` and ``signed_at`` vary
#: from run to run: add them with ``columns=`` when you want them).
COLUMNS: tuple[str, ...] = ("event", "type", "endpoint", "number", "at", "kind", "outcome",
                            "body")


class AttemptTable:
    """Attempts as rows; ``_repr_html_`` in a notebook, ``str()`` as text."""

    def __init__(self, attempts: list[Attempt], types: dict[str, str],
                 columns: tuple[str, ...] = COLUMNS) -> None:
        self.attempts = attempts
        self.columns = columns
        self._types = types

    def rows(self) -> list[dict[str, Any]]:
        """One dict per attempt with the chosen columns."""
        rows = []
        for attempt in self.attempts:
            values = attempt._asdict()
            values.update(type=self._types.get(attempt.event, ""), outcome=attempt.outcome,
                          faults=",".join(attempt.faults), body=attempt.body[:40])
            rows.append({name: values[name] for name in self.columns})
        return rows

    def __len__(self) -> int:
        return len(self.attempts)

    def __str__(self) -> str:
        rows = [[str(row[name]) for name in self.columns] for row in self.rows()]
        widths = [max([len(name), *(len(r[i]) for r in rows)])
                  for i, name in enumerate(self.columns)]
        lines = ["  ".join(name.ljust(w) for name, w in zip(self.columns, widths, strict=True))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
        return "\n".join(line.rstrip() for line in lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(name)}</th>" for name in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(row[name]))}</td>"
                             for name in self.columns) + "</tr>"
            for row in self.rows())
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        return f"<AttemptTable {len(self.attempts)} attempts>\n{self}"
