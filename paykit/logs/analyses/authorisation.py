"""Authorisation rate: of the attempts the issuer decided, the share it approved.

The rate counts charges (payment attempts, ``charge_table``), not intents: a customer
who is declined twice and then approved is three decisions. Attempts still pending (a
bank debit in ``processing``) are counted apart and left out of the rate, since nobody
has decided them yet. ``by`` slices the attempts by any column: ``card_brand``,
``card_country``, ``card_funding``, ``payment_method_type``, a metadata key or an export
column (``"Card Brand"`` finds ``card_brand``); an unknown name says which columns the
log has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from paykit.logs.analyses.additive_counts import Counts
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.intent_partitions import as_log
from paykit.logs.analyses.intent_paths import resolve_column
from paykit.logs.analyses.partition_counts import Partition, count_log

__all__ = ["DIMENSIONS", "Authorisation", "authorisation", "authorisation_from_counts",
           "count_authorisation", "rates_by", "valued"]


#: The dimensions analysts slice the rate by first, in the order reports show them.
DIMENSIONS = ("card_brand", "card_country", "card_funding", "payment_method_type")


@dataclass
class Authorisation(Drawable):
    """Attempts, authorised, declined, pending and the rate, per group of ``by``."""

    table: pd.DataFrame
    by: str | None

    def _repr_html_(self) -> str:
        return self.table._repr_html_()

    def __str__(self) -> str:
        total = self.table[["attempts", "authorised", "declined"]].sum()
        decided = total["authorised"] + total["declined"]
        if not decided:
            return "no decided attempts"
        return (f"{int(total['authorised'])} of {int(decided)} decided attempts authorised "
                f"({total['authorised'] / decided:.1%})")


def rates_by(charges: pd.DataFrame, group: pd.Series | str) -> pd.DataFrame:
    """Attempts, authorised, declined, pending and ``authorisation_rate`` per group of a
    charge table (groups with no value are ``(none)``), most attempts first.

    >>> charges = pd.DataFrame({"authorised": [True, False, True], "declined": [False, True,
    ...                         False], "pending": [False] * 3, "card_brand": ["visa"] * 3})
    >>> rates_by(charges, "card_brand").loc["visa", "authorisation_rate"]
    np.float64(0.6666666666666666)
    """
    table = _rates(_decisions(charges, group))
    table.index.name = group if isinstance(group, str) else "group"
    return table


def _decisions(charges: pd.DataFrame, group: pd.Series | str) -> pd.DataFrame:
    """Authorised, declined and pending attempts per group, and how many of the attempts
    had a value in the group's column (``valued``)."""
    key = charges[group] if isinstance(group, str) else group
    valued = key.notna()
    key = key.astype(object).where(valued, "(none)").astype(str)
    table = charges[["authorised", "declined", "pending"]].astype("int64")
    table["valued"] = valued.to_numpy(dtype="int64")
    return table.groupby(key.to_numpy(), sort=True).sum()


def _rates(counts: pd.DataFrame) -> pd.DataFrame:
    table = counts[["authorised", "declined", "pending"]].copy()
    table.insert(0, "attempts", table.sum(axis=1))
    decided = table["authorised"] + table["declined"]
    table["authorisation_rate"] = (table["authorised"] / decided.where(decided > 0)).astype(float)
    return table.sort_values("attempts", ascending=False, kind="stable")


def authorisation(log: Any, by: str | None = "card_brand") -> Authorisation:
    """The authorisation rate of payment attempts, overall (``by=None``) or per ``by``.

    >>> from paykit.logs import simulate
    >>> a = authorisation(simulate(500, seed=2), by="payment_method_type")
    >>> sorted(a.table.index)[:2], bool(0 < a.table["authorisation_rate"].min() < 1)
    (['card', 'sepa_debit'], True)
    """
    frame = as_log(log)
    column = resolve_column(frame, by) if by is not None else None
    counts = count_log(frame, [partial(count_authorisation, dimensions=(column,))],
                       extra=(column,) if column else ())
    return authorisation_from_counts(counts, column)


def count_authorisation(part: Partition, dimensions: Sequence[str | None]) -> Counts:
    """Per dimension (``None``: all attempts together), the decisions per group.

    >>> from paykit.logs import simulate
    >>> counts = count_authorisation(Partition(simulate(50)), dimensions=["card_brand", None])
    >>> sorted(counts), counts["authorisation."].index.tolist()
    (['authorisation.', 'authorisation.card_brand'], ['all'])
    """
    charges = part.charges
    return {_key(d): _decisions(charges, d if d is not None
                                else pd.Series("all", index=charges.index, dtype=object))
            for d in dimensions}


def _key(dimension: str | None) -> str:
    return f"authorisation.{dimension or ''}"


def valued(counts: Counts, dimension: str) -> bool:
    """Whether any attempt had a value in ``dimension`` (what ``analyse`` slices by).

    >>> from paykit.logs import simulate
    >>> counts = count_log(simulate(50), [partial(count_authorisation, dimensions=["card_brand"])])
    >>> valued(counts, "card_brand")
    True
    """
    return bool(counts[_key(dimension)]["valued"].sum())


def authorisation_from_counts(counts: Counts, column: str | None) -> Authorisation:
    """The rate from its counts (``count_authorisation`` with ``column`` among its
    dimensions, added up over the log).

    >>> from paykit.logs import simulate
    >>> counts = count_log(simulate(100), [partial(count_authorisation, dimensions=[None])])
    >>> authorisation_from_counts(counts, None).table.index.tolist()
    ['all']
    """
    table = _rates(counts[_key(column)])
    table.index.name = column if column is not None else "all"
    return Authorisation(table=table, by=column)
