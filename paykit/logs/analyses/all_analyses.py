"""Every analysis of a log at once, sharing the sorts (for the CLI and the HTML report).

``analyse`` sorts the status rows once for conformance, transition counts and time in
status, all rows once for the per-intent table behind the funnel and declines, and folds
the charges once (``charge_table``) for authorisation, money, disputes, the time series
and the cohorts. Authorisation is sliced by every dimension of ``DIMENSIONS`` the log has
values in, and by ``by`` when given.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import pandas as pd

from paykit.logs.analyses.audit import Audit, audit
from paykit.logs.analyses.authorisation import (
    DIMENSIONS,
    Authorisation,
    authorisation_from_charges,
)
from paykit.logs.analyses.charge_table import charge_table
from paykit.logs.analyses.conformance import Conformance, conformance_from_stats
from paykit.logs.analyses.customer_retries import CustomerRetries, customer_retries
from paykit.logs.analyses.declines import Declines, declines_from_table
from paykit.logs.analyses.disputes import Disputes, disputes_from_charges
from paykit.logs.analyses.funnel import Funnel, funnel_from_table
from paykit.logs.analyses.intent_partitions import as_log
from paykit.logs.analyses.intent_paths import intent_table, resolve_column
from paykit.logs.analyses.money import Money, money_from_charges
from paykit.logs.analyses.refunds import Refunds, refunds
from paykit.logs.analyses.time_in_status import TimeInStatus, time_in_status_from_stats
from paykit.logs.analyses.time_series import Cohorts, TimeSeries, cohorts_from, time_series_from
from paykit.logs.analyses.transition_stats import counts_frame, transition_stats

__all__ = ["Analysis", "analyse"]


@dataclass
class Analysis:
    """The results of every analysis of one log."""

    conformance: Conformance
    transitions: pd.DataFrame
    time_in_status: TimeInStatus
    funnel: Funnel
    declines: Declines
    paths: pd.DataFrame
    audit: Audit
    refunds: Refunds
    #: Authorisation per dimension (card brand, country, funding, method type, ``by``).
    authorisation: dict[str, Authorisation]
    customer_retries: CustomerRetries
    disputes: Disputes
    money: Money
    time_series: TimeSeries
    cohorts: Cohorts

    def summary(self) -> str:
        """The text the command line prints: funnel, declines, conformance, audit."""
        lines = ["Funnel" + (f" by {self.funnel.by}" if self.funnel.by else "")]
        for group, f in self.funnel.table.groupby("group", sort=False):
            if self.funnel.by:
                lines.append(f"  {group}")
            for row in f.itertuples():
                count = "unknown" if pd.isna(row.intents) else f"{int(row.intents):,}"
                share = ("" if pd.isna(row.of_created)
                         else f"  {row.of_created:>7.1%} of created")
                lines.append(f"  {row.step.replace('_', ' '):<24}{count:>10}{share}")
        if self.funnel.note:
            lines.append(_wrap(self.funnel.note))
        lines += ["", "Declines", "  " + str(self.declines)]
        for code, row in self.declines.codes.head(5).iterrows():
            lines.append(f"  {code:<40}{int(row['declines']):>8,}  recovered "
                         f"{row['recovery_rate']:.0%}")
        lines += ["", "Authorisation"]
        for column, result in self.authorisation.items():
            lines.append(f"  by {column}: {result}")
            for group, row in result.table.head(8).iterrows():
                rate = row["authorisation_rate"]
                shown = "-" if pd.isna(rate) else f"{rate:.1%}"
                lines.append(f"    {group!s:<30}{shown:>8} of {int(row['attempts']):,} attempts")
        lines += ["", "Declines by kind (hard: do not retry the same card)"]
        for kind, row in self.declines.kinds.iterrows():
            if row["declines"]:
                lines.append(f"  {kind:<10}{int(row['declines']):>8,}  recovered "
                             f"{row['recovery_rate']:.0%}")
        lines += ["", "Retries across intents", "  " + str(self.customer_retries)]
        lines += ["", "Money", "  " + str(self.money)]
        lines += ["", "Disputes", "  " + str(self.disputes)]
        lines += ["", "Refunds", "  " + str(self.refunds)]
        for currency, row in self.refunds.by_currency.iterrows():
            if row["refunded_charges"]:
                lines.append(f"  {currency:<6}{int(row['amount_refunded']):>12,} of "
                             f"{int(row['amount_paid']):,} refunded "
                             f"({row['refunded_share']:.1%}, smallest units)")
        lines += ["", "Conformance", "  " + self.conformance.describe().replace("\n", "\n  ")]
        lines += ["", "Time in status (median / p90)"]
        if self.time_in_status.note:
            lines.append(_wrap(self.time_in_status.note))
        for status, row in self.time_in_status.table.iterrows():
            if row["stays"]:
                lines.append(f"  {status:<24}{row['median']!s:>20} / {row['p90']!s}")
        lines += ["", "Audit", "  " + str(self.audit)]
        for row in self.audit.findings.head(10).itertuples():
            lines.append(f"  line {row.source_line}: {row.field} {row.code} ({row.excerpt})")
        return "\n".join(lines)


def _wrap(note: str) -> str:
    return textwrap.fill(note, width=90, initial_indent="  ", subsequent_indent="  ")


def analyse(log: Any, *, by: str | None = None) -> Analysis:
    """Run every analysis on a log (pandas or Dask), sharing the sorts.

    >>> from paykit.logs import simulate
    >>> result = analyse(simulate(300, illegal_rate=0.05))
    >>> result.conformance.ok, "Funnel" in result.summary()
    (False, True)
    """
    log = as_log(log)
    stats = transition_stats(log)
    table, decline_rows = intent_table(log, by=by)
    column = resolve_column(log, by) if by is not None else None
    charges = charge_table(log, extra=(column,) if column else ())
    # ``by`` first (the command line's --by), then every dimension the log has values in
    dimensions = [column] if column is not None else []
    dimensions += [d for d in DIMENSIONS if d != column and charges[d].notna().any()]
    return Analysis(
        conformance=conformance_from_stats(stats),
        transitions=counts_frame(stats.counts),
        time_in_status=time_in_status_from_stats(stats),
        funnel=funnel_from_table(table, resolve_column(log, by) if by is not None else None),
        declines=declines_from_table(table, decline_rows),
        paths=table,
        audit=audit(log),
        refunds=refunds(log),
        authorisation=({d: authorisation_from_charges(charges, d) for d in dimensions}
                       or {"all": authorisation_from_charges(charges, None)}),
        customer_retries=customer_retries(log),
        disputes=disputes_from_charges(charges),
        money=money_from_charges(charges),
        time_series=time_series_from(table, charges, "W"),
        cohorts=cohorts_from(table, charges, "M"),
    )
