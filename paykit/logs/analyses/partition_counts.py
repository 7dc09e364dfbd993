"""Every analysis's counts from one pass over groups of whole intents, pandas or Dask.

An analysis hands ``count_log`` its **counters**: functions from a ``Partition`` (one
group of whole intents, with its per-intent table and its charge table, each built once
and only if a counter asks) to ``additive_counts.Counts``. On pandas the whole log is
one partition. On Dask the log is shuffled by intent once, the counters run where each
partition is, and the counts are added up on the workers: the client receives one set
of counts (``intent_partitions.map_intents``), whose size does not depend on the number
of intents.

Questions about customers across their intents (retries across intents, cohorts) need
every intent of a customer together: each partition gives a few rows per intent
(``customer_rows``), a second shuffle brings each customer's rows together, and the
**customer counters** count those. Tables of one row per intent, charge or customer
(what the analyses call ``paths``, ``time_to_refund``, ``per_customer``) are results in
themselves: on Dask, ``lazy_rows`` keeps them on the cluster as a Dask DataFrame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.additive_counts import Counts, add_up
from paykit.logs.analyses.charge_table import CHARGE_READS, charge_table
from paykit.logs.analyses.intent_partitions import (
    as_log,
    combined,
    intent_tasks,
    is_dask,
)
from paykit.logs.analyses.intent_paths import INTENT_READS, intent_partition

__all__ = ["CUSTOMER_ROLES", "Counter", "CustomerCounter", "Finisher", "Partition", "count_log",
           "count_partition", "customer_frame", "customer_rows", "lazy_rows",
           "no_customer_rows", "reads"]

#: What a customer row stands for: an intent of the customer (``intent``: retries),
#: the first sight of an intent paid for by the customer (``seen``: the cohort's start),
#: a captured charge of the customer (``paid``).
CUSTOMER_ROLES = ("intent", "seen", "paid")


@dataclass
class Partition:
    """One group of whole intents, and the tables counters read, each built on first use.

    ``by`` is the column the per-intent table's ``group`` is taken from, ``extra`` the
    columns the charge table carries besides its own.
    """

    frame: pd.DataFrame
    by: str | None = None
    extra: tuple[str, ...] = ()
    customer: bool = False

    @cached_property
    def _intents(self) -> dict[str, Any]:
        return intent_partition(self.frame, self.by, customer=self.customer)

    @property
    def table(self) -> pd.DataFrame:
        """One row per intent (``intent_paths.intent_table``'s columns)."""
        return self._intents["table"]

    @property
    def decline_rows(self) -> pd.DataFrame:
        """One row per decline: its intent and code."""
        return self._intents["declines"]

    @cached_property
    def charges(self) -> pd.DataFrame:
        """One row per charge (``charge_table``)."""
        return charge_table(self.frame, extra=self.extra)


#: What a counter is: the counts of one group of whole intents.
Counter = Callable[[Partition], Counts]
#: What a customer counter is: the counts of the rows of a group of whole customers.
CustomerCounter = Callable[[pd.DataFrame], Counts]
#: What a finisher is: added-up counts reduced to what an analysis shows.
Finisher = Callable[[Counts], Counts]


def customer_rows(part: Partition, roles: Sequence[str] = CUSTOMER_ROLES) -> pd.DataFrame:
    """The rows the customer counters need, for the intents of ``part`` that have a
    customer: one per intent (``intent``), one per intent paid for by a customer
    (``seen``, the charge table's customer), one per captured charge (``paid``); only
    those of ``roles`` (the intents' rows need no charge table).

    >>> from paykit.logs import simulate
    >>> rows = customer_rows(Partition(simulate(20), customer=True))
    >>> sorted(set(rows["role"])), list(rows.columns[:4])
    ([0, 1, 2], ['customer', 'intent', 'time', 'role'])
    """
    table = part.table
    known = table[table["customer"].notna()]
    failed = (known["declines"] > 0) & (known["outcome"] != "succeeded")
    intents = pd.DataFrame({
        "customer": known["customer"].astype(_ID).array,
        "intent": known["intent"].astype(_ID).array,
        "time": known["first_seen"].array,  # not to_numpy: a Timestamp per row
        "role": 0, "failed": failed.to_numpy(dtype=bool),
        "succeeded": (known["outcome"] == "succeeded").to_numpy(dtype=bool),
        "attempts": known["attempts"].to_numpy(dtype=np.int64),
        "declines": known["declines"].to_numpy(dtype=np.int64),
    })
    if not _reads_charges(roles):
        return _customer_dtypes(intents) if "intent" in roles else no_customer_rows()
    charges = part.charges
    customer_of = charges.groupby("intent")["customer"].last()
    seen = pd.DataFrame({"intent": table["intent"].astype(_ID).array,
                         "time": table["first_seen"].array})
    seen["customer"] = seen["intent"].map(customer_of)
    seen = seen[seen["customer"].notna()].assign(role=1)
    paid = charges[charges["captured"] & charges["customer"].notna()]
    paid = pd.DataFrame({"customer": paid["customer"].to_numpy(dtype=object),
                         "intent": paid["intent"].to_numpy(dtype=object),
                         "time": paid["paid_at"].fillna(paid["first_seen"]).array,
                         "role": 2})
    chosen = [rows for role, rows in zip(CUSTOMER_ROLES, (intents, seen, paid), strict=True)
              if role in roles]
    return _customer_dtypes(pd.concat(chosen, ignore_index=True))


#: Customer rows' ids: Arrow strings (compact, hashed without a Python string each),
#: since every intent sends a few of them through the shuffle by customer.
_ID = pd.StringDtype("pyarrow")
_CUSTOMER_DTYPES = {
    "customer": _ID, "intent": _ID,
    "time": "datetime64[ns, UTC]", "role": np.int8, "failed": bool, "succeeded": bool,
    "attempts": np.int64, "declines": np.int64,
}


def _reads_charges(roles: Sequence[str]) -> bool:
    """Whether customer rows of these roles come from the charge table."""
    return bool({"seen", "paid"} & set(roles))


def _customer_dtypes(rows: pd.DataFrame) -> pd.DataFrame:
    """Customer rows with their flags filled and their dtypes."""
    if not len(rows):
        return pd.DataFrame({name: pd.Series(dtype=kind)
                             for name, kind in _CUSTOMER_DTYPES.items()})
    rows = _fill_flags(rows).reindex(columns=list(_CUSTOMER_DTYPES))
    return rows.astype(_CUSTOMER_DTYPES)


def no_customer_rows() -> pd.DataFrame:
    """Customer rows of no customer, with their dtypes (a Dask frame's ``meta``).

    >>> no_customer_rows().dtypes["time"]
    datetime64[ns, UTC]
    """
    return _customer_dtypes(pd.DataFrame())


def _fill_flags(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that are not intents carry no flags or counts: false and zero, not missing."""
    rows = rows.copy()
    for name, value in (("failed", False), ("succeeded", False), ("attempts", 0),
                        ("declines", 0)):
        if name not in rows.columns:
            rows[name] = value
        elif rows[name].isna().any():
            rows[name] = rows[name].astype(object).where(rows[name].notna(), value)
    return rows


def reads(by: str | None = None, extra: Sequence[str] = (), *, charges: bool = True,
          customers: bool = False) -> tuple[str, ...]:
    """The columns a pass reads (all a Dask shuffle moves).

    >>> reads(charges=False)[:3]
    ('intent', 'time', 'status')
    """
    names = [*INTENT_READS, *(CHARGE_READS if charges else ()), *extra]
    if by is not None:
        names.append(by)
    if customers:
        names.append("customer")
    return tuple(dict.fromkeys(names))


def _count_partition(frame: pd.DataFrame, counters: Sequence[Counter], by: str | None,
                     extra: tuple[str, ...], roles: tuple[str, ...]) -> Any:
    """A Dask partition's counts and, for the customer counters, its customer rows."""
    part = Partition(frame, by, extra, customer=bool(roles))
    counts = count_partition(part, counters)
    return (counts, customer_rows(part, roles)) if roles else counts


def _merged(parts: list[Counts]) -> Counts:
    """Counts of different counters (distinct names) as one."""
    out: Counts = {}
    for part in parts:
        out.update(part)
    return out


def count_partition(part: Partition, counters: Sequence[Counter],
                    customer_counters: Sequence[CustomerCounter] = (),
                    customer_roles: Sequence[str] = CUSTOMER_ROLES) -> Counts:
    """``count_log`` on a pandas log already made a ``Partition`` (``customer=True``
    when there are customer counters), so its caller can read the same tables.

    >>> from paykit.logs import simulate
    >>> def intents(part): return {"n": pd.DataFrame({"intents": [len(part.table)]})}
    >>> count_partition(Partition(simulate(12)), [intents])["n"]["intents"].tolist()
    [12]
    """
    counts = _merged([counter(part) for counter in counters])
    if customer_counters:
        counts.update(_count_customers(customer_rows(part, customer_roles),
                                       tuple(customer_counters)))
    return counts


def _count_customers(rows: pd.DataFrame, counters: Sequence[CustomerCounter]) -> Counts:
    rows = _customer_dtypes(rows).reset_index(drop=True)
    return _merged([counter(rows) for counter in counters])


def count_log(log: Any, counters: Sequence[Counter], *, by: str | None = None,
              extra: Sequence[str] = (), customer_counters: Sequence[CustomerCounter] = (),
              charges: bool = True, finish: Sequence[Finisher] = (),
              customer_roles: Sequence[str] = CUSTOMER_ROLES) -> Counts:
    """The counts of ``counters`` (and ``customer_counters``) over a whole log.

    ``by`` and ``extra`` are resolved column names; ``charges=False`` says no counter
    reads the charge table, so a Dask shuffle need not move its columns;
    ``customer_roles`` are the kinds of customer rows the customer counters read. Each of
    ``finish`` then runs on the added-up counts where they were added up (on Dask, a
    worker): it turns counts that grow with the log's time span (value counts) into
    the figures the analysis shows, so only those reach the client.

    >>> from paykit.logs import simulate
    >>> def intents(part): return {"n": pd.DataFrame({"intents": [len(part.table)]})}
    >>> count_log(simulate(30), [intents], charges=False)["n"]["intents"].tolist()
    [30]
    """
    log = as_log(log)
    extra = tuple(extra)
    customers = bool(customer_counters)
    roles = tuple(customer_roles) if customers else ()
    work = partial(_count_partition, counters=tuple(counters), by=by, extra=extra, roles=roles)
    done = partial(_finished, finish=tuple(finish))
    if not is_dask(log):
        return done(count_partition(Partition(log, by, extra, customer=customers), counters,
                                    customer_counters, roles))
    import dask

    columns = reads(by, extra, charges=charges or _reads_charges(roles), customers=customers)
    tasks = intent_tasks(log, work, columns=columns)
    if not customers:
        return dask.compute(dask.delayed(done)(combined(tasks, add_up)))[0]
    counted = [dask.delayed(itemgetter(0))(task) for task in tasks]
    by_customer = _by_customer([dask.delayed(itemgetter(1))(task) for task in tasks])
    counted += [dask.delayed(_count_customers)(part, tuple(customer_counters))
                for part in by_customer]
    return dask.compute(dask.delayed(done)(combined(counted, add_up)))[0]


def _by_customer(row_tasks: list[Any]) -> list[Any]:
    """The customer rows of every group of whole intents (Dask tasks), shuffled into
    groups of whole customers (Dask tasks)."""
    import dask.dataframe as dd

    rows = dd.from_delayed(row_tasks, meta=no_customer_rows(), verify_meta=False)
    return rows.shuffle(on="customer").to_delayed()


def _finished(counts: Counts, finish: tuple[Finisher, ...]) -> Counts:
    for step in finish:
        counts = step(counts)
    return counts


def lazy_rows(log: Any, rows: Callable[[Partition], pd.DataFrame], *, by: str | None = None,
              extra: Sequence[str] = (), charges: bool = True) -> Any:
    """A Dask DataFrame of ``rows`` of each group of whole intents, not computed: a
    table of one row per intent or charge stays on the cluster until asked for.

    >>> import dask.dataframe as dd
    >>> from paykit.logs import simulate
    >>> log = dd.from_pandas(simulate(30), npartitions=3)
    >>> len(lazy_rows(log, lambda part: part.table, charges=False).compute(scheduler="sync"))
    30
    """
    import dask.dataframe as dd

    log = as_log(log)
    extra = tuple(extra)

    def one(frame: pd.DataFrame) -> pd.DataFrame:
        return rows(Partition(frame.reset_index(drop=True), by, extra))

    columns = reads(by, extra, charges=charges)
    meta = one(log._meta[[c for c in dict.fromkeys(("intent", *columns)) if c in log.columns]])
    return dd.from_delayed(intent_tasks(log, one, columns=columns), meta=meta,
                           verify_meta=False)


def customer_frame(log: Any, customer_counter: Callable[[pd.DataFrame], pd.DataFrame],
                   roles: Sequence[str] = CUSTOMER_ROLES) -> Any:
    """A Dask DataFrame of ``customer_counter``'s rows per group of whole customers (a
    table of one row per customer) from the customer rows of ``roles``, not computed.

    >>> import dask.dataframe as dd
    >>> from paykit.logs import simulate
    >>> log = dd.from_pandas(simulate(30), npartitions=3)
    >>> rows = customer_frame(log, lambda rows: rows).compute(scheduler="sync")
    >>> bool(rows["customer"].notna().all())
    True
    """
    import dask
    import dask.dataframe as dd

    log = as_log(log)
    roles = tuple(roles)
    tasks = intent_tasks(log, lambda frame: customer_rows(Partition(frame, customer=True), roles),
                         columns=reads(charges=_reads_charges(roles), customers=True))

    def one(part: pd.DataFrame) -> pd.DataFrame:
        return customer_counter(_customer_dtypes(part).reset_index(drop=True))

    meta = one(no_customer_rows())
    parts = [dask.delayed(one)(p) for p in _by_customer(tasks)]
    return dd.from_delayed(parts, meta=meta, verify_meta=False)
