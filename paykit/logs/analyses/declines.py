"""Declines: which codes, how often customers retry, and how many payments recover.

A decline is a status row with a decline code, or a return to the initial status (see
``intent_paths``). Recovery means the intent succeeded after at least one decline; retries
are the attempts after the first. All counts come from the per-intent table and the
decline rows of each group of whole intents, and add up across Dask partitions.

Each code is hard or soft, with Stripe's next step, from the one table of decline codes
(``paykit.decline_codes``, https://docs.stripe.com/declines/codes); ``kinds`` adds the
codes up by kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from paykit.decline_codes import DECLINE_CODES, KINDS, decline_kind
from paykit.logs.analyses.additive_counts import Counts
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.partition_counts import Partition, count_log

__all__ = ["Declines", "count_declines", "declines", "declines_from_counts"]


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
    return declines_from_counts(count_log(log, [count_declines], charges=False))


def count_declines(part: Partition) -> Counts:
    """Per code: declines, intents that saw it, and those of them that recovered; per
    number of retries: declined and recovered intents; and the totals. Intents are
    disjoint across partitions, so intents counted per partition add up.

    >>> from paykit.logs import simulate
    >>> counts = count_declines(Partition(simulate(500, seed=4)))
    >>> counts["declines.totals"].loc["all", "intents"]
    np.int64(500)
    """
    table, rows = part.table, part.decline_rows
    declined = table[table["declines"] > 0]
    succeeded = (declined["outcome"] == "succeeded").to_numpy(dtype=bool)
    recovered_ids = pd.Index(declined["intent"].astype(str).to_numpy()[succeeded])
    intents = pd.Index(rows["intent"].astype(str).to_numpy())
    frame = pd.DataFrame({
        "code": rows["decline_code"].to_numpy(dtype=object),
        "intent": pd.factorize(intents)[0],
        "recovered": recovered_ids.get_indexer(intents) >= 0,
    })
    distinct = frame.drop_duplicates(["code", "intent"]).groupby("code", sort=True)
    codes = pd.DataFrame({"declines": frame.groupby("code", sort=True).size(),
                          "intents": distinct.size(),
                          "recovered": distinct["recovered"].sum()}).astype("int64")
    codes.index.name = "decline_code"
    retry_count = (declined["attempts"] - 1).clip(lower=0).to_numpy(dtype="int64")
    retries = (pd.DataFrame({"retries": retry_count, "intents": 1, "recovered": succeeded})
               .groupby("retries", sort=True).sum().astype("int64"))
    totals = pd.DataFrame({
        "intents": [len(table)], "declines": [int(table["declines"].sum())],
        "declined_intents": [len(declined)], "recovered_intents": [int(succeeded.sum())],
        "retries": [int(retry_count.sum())],
    }, index=pd.Index(["all"], name="total"))
    return {"declines.codes": codes, "declines.retries": retries, "declines.totals": totals}


def declines_from_counts(counts: Counts) -> Declines:
    """Declines from their counts (``count_declines``, added up over the log).

    >>> from paykit.logs import simulate
    >>> counts = count_log(simulate(2000, seed=4), [count_declines], charges=False)
    >>> declines_from_counts(counts).codes.index[0]
    'insufficient_funds'
    """
    codes = counts["declines.codes"].copy()
    if len(codes):
        codes["recovery_rate"] = codes["recovered"] / codes["intents"]
        codes["share"] = codes["declines"] / codes["declines"].sum()
        codes = codes.sort_values(["declines", "intents"], ascending=False, kind="stable")
    else:
        codes = pd.DataFrame(
            columns=["declines", "intents", "recovered", "recovery_rate", "share"]
        )
    codes.index.name = "decline_code"
    codes["kind"] = [decline_kind(code) for code in codes.index]
    codes["next_step"] = [DECLINE_CODES[c].next_step if c in DECLINE_CODES else None
                          for c in codes.index]
    kinds = _by_kind(codes)

    retries = counts["declines.retries"].copy()
    retries["recovery_rate"] = retries["recovered"] / retries["intents"]

    totals = counts["declines.totals"].iloc[0]
    n_declined, n_recovered = int(totals["declined_intents"]), int(totals["recovered_intents"])
    summary = pd.Series({
        "intents": int(totals["intents"]),
        "declines": int(totals["declines"]),
        "declined_intents": n_declined,
        "recovered_intents": n_recovered,
        "recovery_rate": n_recovered / n_declined if n_declined else float("nan"),
        "mean_retries": int(totals["retries"]) / n_declined if n_declined else 0.0,
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
