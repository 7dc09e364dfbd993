"""Every analysis of a log at once, sharing the sorts (for the CLI and the HTML report).

``analyse`` sorts the status rows once for conformance, transition counts and time in
status, all rows once for the per-intent table behind the funnel and declines, and folds
the charges once (``charge_table``) for authorisation, money, refunds, disputes, the time
series and the cohorts: every analysis's counters (``partition_counts``) run in one
pass. Authorisation is sliced by every dimension of ``DIMENSIONS`` the log has values
in, and by ``by`` when given.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from paykit.logs.analyses.audit import Audit, audit
from paykit.logs.analyses.authorisation import (
    DIMENSIONS,
    Authorisation,
    authorisation_from_counts,
    count_authorisation,
    valued,
)
from paykit.logs.analyses.conformance import Conformance, conformance_from_stats
from paykit.logs.analyses.customer_retries import (
    CustomerRetries,
    count_customer_retries,
    count_unlinked,
    customer_retries_from_counts,
    per_customer,
    per_customer_rows,
    retry_counts,
)
from paykit.logs.analyses.declines import Declines, count_declines, declines_from_counts
from paykit.logs.analyses.disputes import Disputes, count_disputes, disputes_from_counts
from paykit.logs.analyses.funnel import Funnel, count_funnel, funnel_from_counts
from paykit.logs.analyses.intent_partitions import as_log, is_dask
from paykit.logs.analyses.intent_paths import resolve_column, tidy_table
from paykit.logs.analyses.money import Money, count_money, money_from_counts
from paykit.logs.analyses.partition_counts import (
    Counter,
    CustomerCounter,
    Partition,
    count_log,
    count_partition,
    customer_rows,
    lazy_rows,
)
from paykit.logs.analyses.refunds import (
    Refunds,
    count_refunds,
    refund_times,
    refunds_from_counts,
    summarise_delays,
    time_to_refund_rows,
)
from paykit.logs.analyses.time_in_status import TimeInStatus, time_in_status_from_stats
from paykit.logs.analyses.time_series import (
    Cohorts,
    TimeSeries,
    cohorts_from_counts,
    count_cohorts,
    count_last_time,
    count_time_series,
    time_series_from_counts,
)
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

    On Dask, every analysis is counted in one shuffle by intent (and one by customer
    for the questions across intents), and the client receives counts only: the tables
    of one row per intent, refunded charge or customer (``paths``,
    ``refunds.time_to_refund``, ``customer_retries.per_customer``) stay on the cluster
    as Dask DataFrames, computed when asked for.

    >>> from paykit.logs import simulate
    >>> result = analyse(simulate(300, illegal_rate=0.05))
    >>> result.conformance.ok, "Funnel" in result.summary()
    (False, True)
    """
    log = as_log(log)
    stats = transition_stats(log)
    column = resolve_column(log, by) if by is not None else None
    extra = (column,) if column else ()
    dimensions = [column] if column is not None else []
    dimensions += [d for d in DIMENSIONS if d != column]
    counters: list[Counter] = [
        count_funnel, count_declines, count_money, count_disputes, count_refunds,
        partial(count_authorisation, dimensions=(*dimensions, None)),
        partial(count_time_series, freq="W"), count_last_time, count_unlinked]
    if is_dask(log):
        customer_counters: list[CustomerCounter] = [count_customer_retries,
                                                    partial(count_cohorts, freq="M")]
        counts = count_log(log, counters, by=column, extra=extra,
                           customer_counters=customer_counters, finish=[summarise_delays])
        table = lazy_rows(log, _paths_of, by=column, charges=False)
        times, customers = time_to_refund_rows(log), per_customer_rows(log)
    else:
        part = Partition(log, column, extra, customer=True)
        rows = customer_rows(part)  # the customer counters' rows and table, made once
        customers = per_customer(rows)
        counts = summarise_delays({**count_partition(part, counters),
                                   **retry_counts(customers), **count_cohorts(rows, "M")})
        table = _paths_of(part)
        times = refund_times(part.charges)
    # ``by`` first (the command line's --by), then every dimension the log has values in
    sliced = [d for d in dimensions if valued(counts, d)]
    return Analysis(
        conformance=conformance_from_stats(stats),
        transitions=counts_frame(stats.counts),
        time_in_status=time_in_status_from_stats(stats),
        funnel=funnel_from_counts(counts, column),
        declines=declines_from_counts(counts),
        paths=table,
        audit=audit(log),
        refunds=refunds_from_counts(counts, times),
        authorisation=({d: authorisation_from_counts(counts, d) for d in sliced}
                       or {"all": authorisation_from_counts(counts, None)}),
        customer_retries=customer_retries_from_counts(counts, customers),
        disputes=disputes_from_counts(counts),
        money=money_from_counts(counts),
        time_series=time_series_from_counts(counts, "W"),
        cohorts=cohorts_from_counts(counts, "M"),
    )


def _paths_of(part: Partition) -> pd.DataFrame:
    """The paths of a group of whole intents, as ``paths`` gives them."""
    return tidy_table([part.table.drop(columns="customer", errors="ignore")])
