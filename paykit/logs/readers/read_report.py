"""What a reader did with each input row: the read report and its quarantine.

A reader never stops on a bad row and never drops one silently: each row it cannot
use goes to the quarantine with its line number, the reason and an excerpt; a record
that is sound but about something else (a ``customer.created`` event in a webhook log)
is counted as out of scope, by type. So
``rows_read == rows_parsed + rows_quarantined + rows_out_of_scope`` always holds, counted
over the file's own records, and an analyst can see what was left out and why. How
the file was opened (its encoding when it had to be guessed, its compression) goes in
``notes``.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

__all__ = ["QuarantinedRow", "ReadReport", "ReadResult"]

_EXCERPT = 120


class QuarantinedRow(NamedTuple):
    """One input row a reader could not use."""

    line: int
    reason: str
    raw: str


@dataclass
class ReadReport:
    """Counts of what a reader read, parsed and set aside.

    ``duplicates`` counts parsed rows that repeat an earlier one by object id (webhooks
    are delivered more than once, exports overlap): they are parsed, then kept once.
    ``out_of_scope`` counts sound records of other kinds, per event type.
    """

    source: str = ""
    format: str = ""
    rows_read: int = 0
    rows_parsed: int = 0
    quarantined: list[QuarantinedRow] = field(default_factory=list)
    duplicates: int = 0
    out_of_scope: Counter[str] = field(default_factory=Counter)
    encoding: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def rows_quarantined(self) -> int:
        """How many rows went to the quarantine."""
        return len(self.quarantined)

    @property
    def rows_out_of_scope(self) -> int:
        """How many sound records were about something else (customers, invoices, …)."""
        return sum(self.out_of_scope.values())

    @property
    def balanced(self) -> bool:
        """Whether every row read is parsed, quarantined or out of scope.

        >>> ReadReport(rows_read=2, rows_parsed=1, out_of_scope=Counter(x=1)).balanced
        True
        """
        return self.rows_read == (
            self.rows_parsed + self.rows_quarantined + self.rows_out_of_scope
        )

    def opened(self, encoding: str, notes: list[str]) -> None:
        """Record how the file was opened (its encoding, and any guess or decompression)."""
        self.encoding = encoding
        self.notes.extend(notes)

    def quarantine(self, line: int, reason: str, raw: str) -> None:
        """Set a row aside with its line number, the reason and a short excerpt.

        >>> r = ReadReport(); r.quarantine(3, "malformed JSON", "{oops"); r.rows_quarantined
        1
        """
        raw = raw.strip()
        if len(raw) > _EXCERPT:
            raw = raw[: _EXCERPT - 1] + "…"
        self.quarantined.append(QuarantinedRow(int(line), reason, raw))

    def reasons(self) -> pd.Series:
        """How many rows each reason set aside, most frequent first.

        >>> r = ReadReport()
        >>> r.quarantine(2, "unknown currency 'zzz'", "x")
        >>> r.reasons().to_dict()
        {'unknown currency': 1}
        """
        counts = Counter(_reason_kind(q.reason) for q in self.quarantined)
        return pd.Series(dict(counts.most_common()), dtype="int64", name="rows")

    def to_frame(self) -> pd.DataFrame:
        """The quarantine as a table (line, reason, raw).

        >>> ReadReport().to_frame().columns.tolist()
        ['line', 'reason', 'raw']
        """
        return pd.DataFrame(self.quarantined, columns=["line", "reason", "raw"])

    def summary(self) -> str:
        """One line for a terminal.

        >>> ReadReport("x.csv", "dashboard_csv", 3, 2, [QuarantinedRow(4, "bad", "")]).summary()
        'x.csv (dashboard_csv): 3 rows read, 2 parsed, 1 quarantined'
        """
        text = (
            f"{self.source} ({self.format}): {self.rows_read} rows read, "
            f"{self.rows_parsed} parsed, {self.rows_quarantined} quarantined"
        )
        if self.out_of_scope:
            kinds = ", ".join(f"{kind} {n}" for kind, n in self.out_of_scope.most_common(3))
            more = ", …" if len(self.out_of_scope) > 3 else ""
            text += f", {self.rows_out_of_scope} out of scope ({kinds}{more})"
        if self.duplicates:
            text += f", {self.duplicates} duplicates kept once"
        if self.notes:
            text += "; " + "; ".join(self.notes)
        return text

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{q.line}</td><td>{html.escape(q.reason)}</td>"
            f"<td><code>{html.escape(q.raw)}</code></td></tr>"
            for q in self.quarantined[:50]
        )
        more = len(self.quarantined) - 50
        tail = f"<p>… and {more} more</p>" if more > 0 else ""
        table = (
            f"<table><tr><th>line</th><th>reason</th><th>excerpt</th></tr>{rows}</table>"
            if rows
            else ""
        )
        return f"<p>{html.escape(self.summary())}</p>{table}{tail}"


def _reason_kind(reason: str) -> str:
    """Group reasons that differ only in the quoted value (``unknown status 'x'``)."""
    return reason.split(" '", 1)[0].split(":", 1)[0]


class ReadResult(NamedTuple):
    """What a reader returns: the normalised log and its read report.

    Unpack it (``log, report = read_events(path)``) or pass it to any analysis.
    """

    log: pd.DataFrame
    report: ReadReport
