"""The payment funnel: created → attempted → needed authentication → succeeded.

Built from the per-intent table of ``intent_paths`` (one sort, no loop per intent), overall
or per group: currency, payment method type, or any metadata key. Each step gives
its count, its share of created intents and its conversion from the step it follows.
``needed_authentication`` is a side branch of ``attempted`` (3D Secure), so
``succeeded`` converts from ``attempted``, not from it.

What a step can see depends on the export: a Dashboard CSV has no 3D Secure status,
and object dumps only show each intent's latest state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.intent_paths import intent_table, resolve_column

__all__ = ["STEPS", "Funnel", "funnel", "funnel_from_table"]

#: The steps and the step each one converts from.
STEPS: dict[str, str | None] = {
    "created": None,
    "attempted": "created",
    "needed_authentication": "attempted",
    "succeeded": "attempted",
}


@dataclass
class Funnel(Drawable):
    """Funnel counts and rates, one row per (group, step)."""

    table: pd.DataFrame
    by: str | None

    def wide(self, value: str = "intents") -> pd.DataFrame:
        """Steps as rows, groups as columns: handy to compare groups.

        >>> from paykit.logs import simulate
        >>> funnel(simulate(300), by="currency").wide().loc["created"].sum()
        np.int64(300)
        """
        wide = self.table.pivot(index="step", columns="group", values=value)
        return wide.loc[list(STEPS)]

    def _repr_html_(self) -> str:
        return self.table._repr_html_()

    def __str__(self) -> str:
        return self.table.to_string(index=False)


def funnel(log: Any, by: str | None = None) -> Funnel:
    """Count intents at each funnel step, overall or per ``by`` group.

    ``by`` is a log column (``currency``, ``payment_method_type``) or a metadata key
    (``plan`` or ``metadata.plan``); an intent's group is its last non-empty value.

    >>> from paykit.logs import simulate
    >>> f = funnel(simulate(1000, seed=2))
    >>> f.table.set_index("step").loc["created", "intents"]
    np.int64(1000)
    """
    table, _ = intent_table(log, by=by)
    return funnel_from_table(table, resolve_column(log, by) if by is not None else None)


def funnel_from_table(table: pd.DataFrame, by: str | None = None) -> Funnel:
    """The funnel from a per-intent table (``intent_paths.intent_table``, with its
    ``group`` column when ``by`` names the column it was built by).

    >>> from paykit.logs import simulate
    >>> from paykit.logs.analyses.intent_paths import intent_table
    >>> table, _ = intent_table(simulate(100))
    >>> funnel_from_table(table).table.set_index("step").loc["created", "intents"]
    np.int64(100)
    """
    flags = pd.DataFrame({
        "group": (table["group"].where(table["group"].notna(), "(none)")
                  if by is not None else "all"),
        "created": True,
        "attempted": table["attempts"] > 0,
        "needed_authentication": table["needed_authentication"],
        "succeeded": table["outcome"] == "succeeded",
    })
    counts = flags.groupby("group", sort=True)[list(STEPS)].sum()
    rows = []
    for group, row in counts.iterrows():
        for step, previous in STEPS.items():
            created = row["created"]
            rows.append({
                "group": group,
                "step": step,
                "intents": row[step],
                "of_created": row[step] / created if created else float("nan"),
                "conversion": (row[step] / row[previous] if previous and row[previous]
                               else (1.0 if previous is None else float("nan"))),
            })
    return Funnel(table=pd.DataFrame(rows), by=by)
