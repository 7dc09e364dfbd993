"""The payment funnel: created → attempted → needed authentication → succeeded.

Counted from the per-intent table of ``intent_paths`` (one sort, no loop per intent), overall
or per group: currency, payment method type, or any metadata key. Each step gives
its count, its share of created intents and its conversion from the step it follows.
``needed_authentication`` is a side branch of ``attempted`` (3D Secure), so
``succeeded`` converts from ``attempted``, not from it.

What a step can see depends on the export: a Dashboard CSV has no 3D Secure status,
and object dumps only show each intent's latest state. A log that starts after some
intents were created (a webhook log of ``succeeded`` and ``payment_failed`` events)
cannot say how many intents were created: the funnel then says so (``note``) and
leaves the created step unknown instead of showing a share that is too high.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pandas as pd

from paykit.logs.analyses.additive_counts import Counts
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.intent_paths import resolve_column
from paykit.logs.analyses.partition_counts import Partition, count_log

__all__ = ["STEPS", "Funnel", "count_funnel", "funnel", "funnel_from_counts"]

#: The steps and the step each one converts from.
STEPS: dict[str, str | None] = {
    "created": None,
    "attempted": "created",
    "needed_authentication": "attempted",
    "succeeded": "attempted",
}


@dataclass
class Funnel(Drawable):
    """Funnel counts and rates, one row per (group, step).

    ``note`` says what the log cannot tell: when some intents were first seen after
    their creation, how many were created is unknown, so the ``created`` step is
    ``<NA>`` and the shares of created are ``NaN`` (rather than a biased figure).
    """

    table: pd.DataFrame
    by: str | None
    note: str | None = None

    def wide(self, value: str = "intents") -> pd.DataFrame:
        """Steps as rows, groups as columns: handy to compare groups.

        >>> from paykit.logs import simulate
        >>> funnel(simulate(300), by="currency").wide().loc["created"].sum()
        np.int64(300)
        """
        wide = self.table.pivot(index="step", columns="group", values=value)
        return wide.loc[list(STEPS)]

    def _repr_html_(self) -> str:
        note = f"<p>{html.escape(self.note)}</p>" if self.note else ""
        return note + self.table._repr_html_()

    def __str__(self) -> str:
        return (self.note + "\n" if self.note else "") + self.table.to_string(index=False)


def funnel(log: Any, by: str | None = None) -> Funnel:
    """Count intents at each funnel step, overall or per ``by`` group.

    ``by`` is a log column (``currency``, ``payment_method_type``) or a metadata key
    (``plan`` or ``metadata.plan``); an intent's group is its last non-empty value.

    >>> from paykit.logs import simulate
    >>> f = funnel(simulate(1000, seed=2))
    >>> f.table.set_index("step").loc["created", "intents"]
    np.int64(1000)
    """
    column = resolve_column(log, by) if by is not None else None
    return funnel_from_counts(count_log(log, [count_funnel], by=column, charges=False), column)


def count_funnel(part: Partition) -> Counts:
    """Per group (``all`` without a ``by``): intents at each step, and those first seen
    after their creation (``late``).

    >>> from paykit.logs import simulate
    >>> count_funnel(Partition(simulate(10)))["funnel"].loc["all", "created"]
    np.int64(10)
    """
    table = part.table
    group = (table["group"].where(table["group"].notna(), "(none)")
             if part.by is not None else pd.Series("all", index=table.index, dtype=object))
    flags = pd.DataFrame({
        "group": group,
        "created": True,
        "attempted": table["attempts"] > 0,
        "needed_authentication": table["needed_authentication"],
        "succeeded": table["outcome"] == "succeeded",
        "late": ~table["creation_seen"].astype(bool),
    })
    return {"funnel": flags.groupby("group", sort=True)[[*STEPS, "late"]].sum().astype("int64")}


def funnel_from_counts(counts: Counts, by: str | None = None) -> Funnel:
    """The funnel from its counts (``count_funnel``, added up over the log).

    >>> from paykit.logs import simulate
    >>> counts = count_log(simulate(100), [count_funnel], charges=False)
    >>> funnel_from_counts(counts).table.set_index("step").loc["created", "intents"]
    np.int64(100)
    """
    steps = counts["funnel"]
    if steps.empty:  # no intent at all: every step counts zero
        steps = pd.DataFrame(0, index=pd.Index(["all"], name="group"), columns=steps.columns)
    rows = []
    for name, row in steps.iterrows():
        # Some intents were first seen after creation: how many were created is unknown.
        created = float("nan") if row["late"] else row["created"]
        for step, previous in STEPS.items():
            base = created if previous == "created" else row.get(previous, float("nan"))
            rows.append({
                "group": name,
                "step": step,
                "intents": pd.NA if step == "created" and row["late"] else row[step],
                "of_created": _share(row[step], created),
                "conversion": _share(row[step], created if previous is None else base),
            })
    frame = pd.DataFrame(rows, columns=["group", "step", "intents", "of_created", "conversion"])
    if frame["intents"].isna().any():
        frame["intents"] = frame["intents"].astype("Int64")
    late_total = int(steps["late"].sum())
    note = None
    if late_total:
        note = (f"{late_total:,} of {int(steps['created'].sum()):,} intents were first seen "
                "after their creation (the log starts later, as a webhook log does): how many "
                "intents were created is unknown, so the created step and the shares of "
                "created are not shown")
    return Funnel(table=frame, by=by, note=note)


def _share(count: float, of: float) -> float:
    """``count / of``, or NaN when ``of`` is unknown or zero.

    >>> _share(3, 4), _share(3, float("nan"))
    (0.75, nan)
    """
    return count / of if of and not pd.isna(of) else float("nan")
