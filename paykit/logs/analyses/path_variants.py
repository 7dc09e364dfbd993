"""Variants: the distinct status paths, with how many intents follow each.

Counted per group of whole intents from the per-intent table (``intent_paths``), so on
Dask only one row per distinct path comes back, however many intents follow it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from paykit.logs.analyses.additive_counts import Counts
from paykit.logs.analyses.partition_counts import Partition, count_log

__all__ = ["count_variants", "variants", "variants_from_counts"]


def variants(log: Any) -> pd.DataFrame:
    """Distinct status paths with how many intents follow each (and how many of them
    succeeded), most frequent first; paths as frequent as each other in path order.

    >>> from paykit.logs import simulate
    >>> variants(simulate(500))["intents"].sum()
    np.int64(500)
    """
    return variants_from_counts(count_log(log, [count_variants], charges=False))


def count_variants(part: Partition) -> Counts:
    """Per path: the intents that follow it, and those of them that succeeded.

    >>> from paykit.logs import simulate
    >>> count_variants(Partition(simulate(40)))["variants"]["intents"].sum()
    np.int64(40)
    """
    table = part.table
    frame = pd.DataFrame({"path": table["path"].astype(str).to_numpy(dtype=object),
                          "intents": 1,
                          "succeeded": (table["outcome"] == "succeeded").to_numpy(dtype=bool)})
    return {"variants": frame.groupby("path", sort=True).sum().astype("int64")}


def variants_from_counts(counts: Counts) -> pd.DataFrame:
    """The variants table from its counts (``count_variants``, added up over the log).

    >>> from paykit.logs import simulate
    >>> table = variants_from_counts(count_log(simulate(40), [count_variants], charges=False))
    >>> float(table["share"].sum())
    1.0
    """
    table = counts["variants"].copy()
    table["share"] = table["intents"] / max(int(table["intents"].sum()), 1)
    return table.sort_values("intents", ascending=False, kind="stable").reset_index()
