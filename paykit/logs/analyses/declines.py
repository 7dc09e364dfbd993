"""Declines: which codes, how often customers retry, and how many payments recover.

A decline is a status row with a decline code, or a return to the initial status (see
``intent_paths``). Recovery means the intent succeeded after at least one decline; retries
are the attempts after the first. All counts come from the per-intent table and the
decline rows, so they add up across Dask partitions.

Each code is hard or soft, with Stripe's next step, from the one table of decline codes
(``paykit.decline_codes``, https://docs.stripe.com/declines/codes); ``kinds`` adds the
codes up by kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from paykit.decline_codes import DECLINE_CODES, KINDS, decline_kind
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.intent_paths import intent_table

__all__ = ["Declines", "declines", "declines_from_table"]


@dataclass
class Declines(Drawable):
    """Decline codes (with kind and next step), retries per declined intent, declines by
    kind (hard, soft, unknown), and a summary."""

    codes: pd.DataFrame
    retries: pd.DataFrame
    summary: pd.Series
    kinds: pd.DataFrame

    def _repr_html_(self) -> str:
        return (
            self.summary.to_frame("value")._repr_html_()
            + self.kinds._repr_html_()
            + self.codes._repr_html_()
            + self.retries._repr_html_()
        )

    def __str__(self) -> str:
        s = self.summary
        if not s["declined_intents"]:
            return f"no declines on {s['intents']} intents"
        return (
            f"{s['declines']} declines on {s['declined_intents']} intents; "
            f"{s['recovered_intents']} recovered ({s['recovery_rate']:.1%}), "
            f"{s['mean_retries']:.2f} retries per declined intent"
        )


def declines(log: Any) -> Declines:
    """Decline codes with recovery, retries per declined intent, and a summary.

    ``codes``: per decline code, the declines, the intents that saw it, how many of them
    later succeeded, the recovery rate, and the code's ``kind`` (hard or soft) and Stripe's
    ``next_step`` (``paykit.decline_codes``). ``kinds``: the same counts per kind.
    ``retries``: per number of retries after the first attempt, how many declined intents
    and how many recovered.

    >>> from paykit.logs import simulate
    >>> d = declines(simulate(2000, seed=4))
    >>> d.codes.index[0], 0 < d.summary["recovery_rate"] < 1
    ('insufficient_funds', True)
    """
    return declines_from_table(*intent_table(log))


def declines_from_table(table: pd.DataFrame, rows: pd.DataFrame) -> Declines:
    """Declines from a per-intent table and its decline rows (``intent_paths.intent_table``).

    >>> from paykit.logs import simulate
    >>> from paykit.logs.analyses.intent_paths import intent_table
    >>> declines_from_table(*intent_table(simulate(2000, seed=4))).codes.index[0]
    'insufficient_funds'
    """
    declined = table[table["declines"] > 0]
    recovered_ids = pd.Index(
        declined.loc[declined["outcome"] == "succeeded", "intent"].astype(str).to_numpy()
    )
    if len(rows):
        intents = pd.Index(rows["intent"].astype(str).to_numpy())
        frame = pd.DataFrame({
            "code": rows["decline_code"].to_numpy(),
            "intent": pd.factorize(intents)[0],
            "recovered": recovered_ids.get_indexer(intents) >= 0,
        })
        per_code = frame.groupby("code", sort=False)
        codes = pd.DataFrame({"declines": per_code.size()})
        distinct = frame.drop_duplicates(["code", "intent"]).groupby("code", sort=False)
        codes["intents"] = distinct.size()
        codes["recovered"] = distinct["recovered"].sum().astype("int64")
        codes["recovery_rate"] = codes["recovered"] / codes["intents"]
        codes["share"] = codes["declines"] / codes["declines"].sum()
        codes = codes.sort_index().sort_values(["declines", "intents"], ascending=False,
                                               kind="stable")
    else:
        codes = pd.DataFrame(
            columns=["declines", "intents", "recovered", "recovery_rate", "share"]
        )
    codes.index.name = "decline_code"
    codes["kind"] = [decline_kind(code) for code in codes.index]
    codes["next_step"] = [DECLINE_CODES[c].next_step if c in DECLINE_CODES else None
                          for c in codes.index]
    kinds = _by_kind(codes)

    retry_count = (declined["attempts"] - 1).clip(lower=0)
    retries = (
        pd.DataFrame({"retries": retry_count, "recovered": declined["outcome"] == "succeeded"})
        .groupby("retries")
        .agg(intents=("recovered", "size"), recovered=("recovered", "sum"))
    )
    retries["recovery_rate"] = retries["recovered"] / retries["intents"]

    n_declined = len(declined)
    n_recovered = int((declined["outcome"] == "succeeded").sum())
    summary = pd.Series({
        "intents": len(table),
        "declines": int(table["declines"].sum()),
        "declined_intents": n_declined,
        "recovered_intents": n_recovered,
        "recovery_rate": n_recovered / n_declined if n_declined else float("nan"),
        "mean_retries": float(retry_count.mean()) if n_declined else 0.0,
    }, dtype=object)
    summary["hard_declines"] = int(kinds.loc["hard", "declines"])
    summary["soft_declines"] = int(kinds.loc["soft", "declines"])
    return Declines(codes=codes, retries=retries, summary=summary, kinds=kinds)


def _by_kind(codes: pd.DataFrame) -> pd.DataFrame:
    """Declines, intents and recovered intents per kind (every kind, even with none).

    An intent declined twice with codes of one kind counts once in that kind's intents
    (as in ``codes``, it counts once per distinct code).
    """
    counts = (codes[["declines", "intents", "recovered"]].astype("int64")
              .groupby(codes["kind"]).sum().reindex(list(KINDS), fill_value=0))
    counts["recovery_rate"] = (counts["recovered"] / counts["intents"].where(counts["intents"] > 0)
                               ).astype(float)
    counts["share"] = (counts["declines"] / max(int(counts["declines"].sum()), 1)).astype(float)
    counts.index.name = "kind"
    return counts
