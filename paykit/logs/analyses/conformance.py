"""Does each intent's observed path follow the lifecycle table?

Every observed transition is looked up in the boolean ``transition_rules.ALLOWED``
matrix, built from ``paykit.lifecycle.TRANSITIONS`` (the statuses and moves of
https://docs.stripe.com/payments/paymentintents/lifecycle): a move that no row of the
table makes is a violation (``illegal_transition``), and so is a first status an intent
cannot be created in (``late_start``: usually a log that begins after the intent's
creation, which ``require_creation=False`` accepts). Nothing here restates a rule.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from paykit.lifecycle import PAYMENT_INTENT
from paykit.logs.analyses.transition_stats import (
    TransitionStats,
    transition_stats,
    violations_frame,
)
from paykit.logs.arrays.transition_rules import NONE, table_arrays
from paykit.machine import Machine

__all__ = ["Conformance", "check_paths", "conformance", "conformance_from_stats"]


@dataclass
class Conformance:
    """Violations per intent (from, to, when, why) and a summary of the whole log.

    ``violations`` holds every violation, or, when ``complete`` is false (a Dask log,
    or ``examples`` given), the first ones in intent order; the summary and
    ``by_transition`` always count them all.
    """

    violations: pd.DataFrame
    summary: pd.Series
    by_transition: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["source", "target", "kind", "count"]))
    complete: bool = True

    @property
    def ok(self) -> bool:
        """Whether every intent follows the table."""
        return not self.summary["violating"]

    def _repr_html_(self) -> str:
        head = self.summary.to_frame("value")._repr_html_()
        shown = self.violations.head(20)
        body = shown._repr_html_() if len(shown) else "<p>No violations.</p>"
        return f"<h4>Conformance</h4>{head}{body}"

    def __str__(self) -> str:
        s = self.summary
        return (
            f"{s['conforming']} of {s['intents']} intents follow the lifecycle "
            f"({s['fitness']:.1%}); {s['illegal_transitions']} illegal transitions, "
            f"{s['late_starts']} late starts"
        )

    def describe(self) -> str:
        """A few lines for a terminal: the summary and the most frequent violations."""
        lines = [str(self)]
        if not self.complete:
            lines[0] += f" (the first {len(self.violations)} violations listed)"
        for row in self.by_transition.head(5).itertuples():
            source = row.source if isinstance(row.source, str) else "(new)"
            lines.append(f"  {row.count:>8} × {source} → {row.target}  [{row.kind}]")
        return "\n".join(lines)

    def to_html(self) -> str:
        """Summary and violations as HTML tables (for the report)."""
        return (
            f"<p>{html.escape(str(self))}</p>"
            + self.by_transition.to_html(index=False)
            + self.violations.head(200).to_html(index=False)
        )


def conformance(log: Any, *, require_creation: bool = True, examples: int | None = None,
                out: str | os.PathLike[str] | None = None) -> Conformance:
    """Check every observed transition against the lifecycle table.

    Returns the violations (intent, time, source, target, event, source_line, kind,
    reason), one row per illegal step, and a summary: intents, conforming intents,
    fitness (their share), counts per kind. ``examples`` lists only the first that
    many violations in intent order (on a Dask log, ``VIOLATION_EXAMPLES`` unless given:
    the client's memory does not grow with the log); the counts stay complete. ``out``
    writes every violation to that folder as Parquet, one file per partition, where
    each partition is checked.

    >>> from paykit.logs import simulate
    >>> result = conformance(simulate(1000, illegal_rate=0.05))
    >>> result.violations.loc[0, ["source", "target"]].tolist()
    ['succeeded', 'requires_payment_method']
    >>> result.violations.loc[0, "reason"]
    'succeeded is terminal: nothing may follow it'
    """
    stats = log if isinstance(log, TransitionStats) else transition_stats(
        log, examples=examples, out=out)
    return conformance_from_stats(stats, require_creation=require_creation)


def conformance_from_stats(
    stats: TransitionStats, *, require_creation: bool = True
) -> Conformance:
    """Build the result from precomputed transition statistics (shared with other analyses).

    >>> from paykit.logs import simulate
    >>> from paykit.logs.analyses.transition_stats import transition_stats
    >>> conformance_from_stats(transition_stats(simulate(100))).ok
    True
    """
    violations = stats.violations
    if not require_creation and len(violations):
        violations = violations[violations["kind"] != "late_start"].reset_index(drop=True)
    # Counted from the complete counts, not from the (perhaps partial) list.
    counts = stats.violation_counts
    violating = stats.violating if require_creation else stats.violating_illegal
    late_starts = int(counts[NONE].sum()) if require_creation else 0
    summary = pd.Series({
        "intents": stats.intents,
        "conforming": stats.intents - violating,
        "violating": violating,
        "fitness": (stats.intents - violating) / stats.intents if stats.intents else 1.0,
        "illegal_transitions": int(counts.sum() - counts[NONE].sum()),
        "late_starts": late_starts,
    }, dtype=object)
    return Conformance(violations=violations, summary=summary,
                       by_transition=violations_frame(counts, require_creation=require_creation),
                       complete=stats.complete)


def check_paths(paths: Mapping[str, Sequence[str]], machine: Machine = PAYMENT_INTENT
                ) -> pd.DataFrame:
    """The moves of each object's path that ``machine``'s table does not allow: any
    object's lifecycle, read the same way as a payment log's (``table_arrays``).

    ``paths`` maps an object id to its statuses in order (wire names). One row per
    problem: the object, the step (0: the first status), source, target and kind
    (``late_start``: the first status is not one creation leads to;
    ``illegal_transition``: no row moves source to target).

    >>> from paykit.setup_lifecycle import SETUP_INTENT
    >>> check_paths({"seti_1": ["requires_payment_method", "succeeded", "processing"]},
    ...             SETUP_INTENT)[["object", "step", "kind"]].values.tolist()
    [['seti_1', 2, 'illegal_transition']]
    """
    arrays = table_arrays(machine)
    found: list[tuple[str, int, str | None, str, str]] = []
    for object_id, statuses in paths.items():
        codes = [arrays.code[machine.parse(status)] for status in statuses]
        for step, code in enumerate(codes):
            if step == 0:
                if not arrays.entry[code]:
                    found.append((object_id, 0, None, statuses[0], "late_start"))
            elif not arrays.allowed[codes[step - 1], code]:
                found.append((object_id, step, statuses[step - 1], statuses[step],
                              "illegal_transition"))
    return pd.DataFrame(found, columns=["object", "step", "source", "target", "kind"])
