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

from dataclasses import dataclass
from typing import Any

import pandas as pd

from paykit.logs.analyses.charge_table import charge_table
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.intent_partitions import as_log
from paykit.logs.analyses.intent_paths import resolve_column

__all__ = ["DIMENSIONS", "Authorisation", "authorisation", "authorisation_from_charges", "rates_by"]


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
    key = charges[group] if isinstance(group, str) else group
    key = key.astype(object).where(key.notna(), "(none)").astype(str)
    table = (charges[["authorised", "declined", "pending"]].astype("int64")
             .groupby(key.to_numpy(), sort=True).sum())
    table.insert(0, "attempts", table.sum(axis=1))
    decided = table["authorised"] + table["declined"]
    table["authorisation_rate"] = (table["authorised"] / decided.where(decided > 0)).astype(float)
    table.index.name = group if isinstance(group, str) else "group"
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
    return authorisation_from_charges(charge_table(frame, extra=(column,) if column else ()),
                                      column)


def authorisation_from_charges(charges: pd.DataFrame, column: str | None) -> Authorisation:
    """The rate from a charge table that carries ``column`` (``charge_table(extra=…)``).

    >>> from paykit.logs import simulate
    >>> from paykit.logs.analyses.charge_table import charge_table
    >>> authorisation_from_charges(charge_table(simulate(100)), None).table.index.tolist()
    ['all']
    """
    if column is None:
        table = rates_by(charges, pd.Series("all", index=charges.index))
        table.index.name = "all"
    else:
        table = rates_by(charges, column)
    return Authorisation(table=table, by=column)
