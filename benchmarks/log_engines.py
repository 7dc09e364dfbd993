"""The lifecycle check written for DuckDB and Polars, for ``benchmarks/logs.py``.

Both answer what ``paykit.logs.conformance`` answers, on the same shuffled frame: the
status rows of each intent in (time, tie rank, row) order, each move checked against
the lifecycle table (the first status must be one an intent can be created in), and the
number of intents with a move the table forbids. The table and the tie ranks are read
from ``paykit.logs.arrays.transition_rules``, so all three engines check the same rules.
Each function returns ``(violating intents, seconds)``; the engines are optional
(``pip install "paykit[bench]"``) and ``None`` says one is not installed.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from paykit.logs.arrays.transition_rules import ALLOWED, ENTRY, STATUSES, TIE_RANK

__all__ = ["allowed_pairs", "duckdb_check", "engine_frame", "polars_check"]

_NAMES = [s.value for s in STATUSES]


def allowed_pairs() -> pd.DataFrame:
    """Every allowed (source, target) move; ``NONE`` is the source of a first status."""
    pairs = [(_NAMES[a], _NAMES[b]) for a, b in zip(*np.nonzero(ALLOWED[: len(_NAMES)]),
                                                     strict=True)]
    pairs += [("NONE", _NAMES[b]) for b in np.flatnonzero(ENTRY)]
    return pd.DataFrame(pairs, columns=["src", "dst"])


def engine_frame(log: pd.DataFrame) -> pd.DataFrame:
    """The columns the engines read, and ``row`` (the row order paykit breaks ties with)."""
    return pd.DataFrame({"intent": log["intent"], "time": log["time"],
                         "status": log["status"], "event": log["event"],
                         "row": np.arange(len(log), dtype=np.int64)})


def _ranks() -> pd.DataFrame:
    return pd.DataFrame({"event": list(TIE_RANK), "rank": list(TIE_RANK.values())})


def duckdb_check(frame: pd.DataFrame, threads: int = 2) -> tuple[int, float] | None:
    """The check as one SQL query (a window ``lag`` per intent, an anti-join on the table)."""
    try:
        import duckdb
    except ImportError:
        return None
    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    con.register("log", frame)
    con.register("ranks", _ranks())
    con.register("allowed", allowed_pairs())
    start = time.perf_counter()
    (violating,) = con.execute("""
        WITH rows AS (
            SELECT l.intent, l.status::VARCHAR AS status, l.time, l.row,
                   coalesce(r.rank, 2) AS rank
            FROM log l LEFT JOIN ranks r ON r.event = l.event::VARCHAR
            WHERE l.status IS NOT NULL),
        moves AS (
            SELECT intent, status,
                   coalesce(lag(status) OVER (PARTITION BY intent ORDER BY time, rank, row),
                            'NONE') AS prev
            FROM rows)
        SELECT count(DISTINCT m.intent) FROM moves m
        ANTI JOIN allowed a ON a.src = m.prev AND a.dst = m.status
    """).fetchone()
    seconds = time.perf_counter() - start
    con.close()
    return int(violating), seconds


def polars_check(frame: pd.DataFrame) -> tuple[int, float, float] | None:
    """The check as a lazy Polars query (sort, shift within the intent, anti-join);
    also returns the seconds ``polars.from_pandas`` took (not in the check's time)."""
    try:
        import polars as pl
    except ImportError:
        return None
    start = time.perf_counter()
    df = pl.from_pandas(frame)
    converted = time.perf_counter() - start
    allowed = pl.from_pandas(allowed_pairs())
    ranks = pl.from_pandas(_ranks())
    start = time.perf_counter()
    status = pl.col("status").cast(pl.String)
    result = (
        df.lazy()
        .filter(pl.col("status").is_not_null())
        .with_columns(status=status, event=pl.col("event").cast(pl.String),
                      intent=pl.col("intent").cast(pl.String))
        .join(ranks.lazy(), on="event", how="left")
        .with_columns(pl.col("rank").fill_null(2))
        .sort(["intent", "time", "rank", "row"])
        .with_columns(prev=pl.when(pl.col("intent") == pl.col("intent").shift(1))
                      .then(pl.col("status").shift(1)).otherwise(pl.lit("NONE")))
        .join(allowed.lazy(), left_on=["prev", "status"], right_on=["src", "dst"], how="anti")
        .select(pl.col("intent").n_unique())
        .collect()
    )
    return int(result.item()), time.perf_counter() - start, converted
