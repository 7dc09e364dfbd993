"""Each intent's story: its ordered status path, attempts, declines and outcome.

One sort of all rows by (intent, time, tie-break), then per-intent figures come from
segment reductions (``np.add.reduceat`` and friends) over the sorted arrays. A path is
packed into integers, 3 bits per status and 21 statuses per int64 block, so identical
paths are found with ``np.unique`` and each distinct path (variant) is spelled out
once, not once per intent.

Definitions, all read from the lifecycle table (``transition_rules``):

- an **attempt** is a move only a confirmation makes (``ATTEMPT_ONLY``), or a move a
  confirmation shares with another action (``ATTEMPT_IF_DECLINED``: to ``canceled``)
  when the row carries a decline or a charge the intent had not shown before;
- a **decline** is a status row with a decline code, or a return to the initial status;
- the **outcome** is the terminal status reached, or ``open``;
- the **creation is seen** when the intent's first status is one it can be created in,
  shown without a decline; otherwise the log began after it (a webhook log).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.intent_partitions import as_log, is_dask, map_intents
from paykit.logs.arrays.log_schema import COLUMNS, EXPORT_PREFIX, METADATA_PREFIX, STATUS_DTYPE
from paykit.logs.arrays.row_sort import Sorted, sort_rows, utc
from paykit.logs.arrays.transition_rules import (
    ATTEMPT_IF_DECLINED,
    ATTEMPT_ONLY,
    AUTHENTICATION_CODE,
    ENTRY,
    INITIAL_CODE,
    NONE,
    STATUSES,
    TERMINAL,
)

#: Outcome of an intent: the terminal status it reached, ``open``, or ``unknown``
#: (no row of the intent shows a status).
OUTCOME_DTYPE = pd.CategoricalDtype(
    [s.value for s, end in zip(STATUSES, TERMINAL, strict=True) if end] + ["open", "unknown"]
)
_OPEN, _UNKNOWN = len(OUTCOME_DTYPE.categories) - 2, len(OUTCOME_DTYPE.categories) - 1
_OUTCOME_OF = np.array(
    [OUTCOME_DTYPE.categories.get_loc(s.value) if end else _OPEN
     for s, end in zip(STATUSES, TERMINAL, strict=True)] + [_UNKNOWN]
)

__all__ = ["ARROW", "INTENT_READS", "OUTCOME_DTYPE", "intent_partition", "intent_table", "paths",
           "resolve_column", "tidy_table"]

#: How a path is spelled: statuses joined by this arrow.
ARROW = " → "
_BLOCK = 21
_NAMES = [s.value for s in STATUSES]
_ATTRIBUTES = ("amount", "currency", "payment_method_type")
#: The columns the per-intent table reads (a Dask shuffle moves only these).
INTENT_READS = ("intent", "time", "status", "event", "charge", "decline_code", *_ATTRIBUTES)
_EXPORT_NAMES = {c.export: c.name for c in COLUMNS if c.export}
#: Columns no one groups intents by (ids, times, line numbers), left out of the list
#: an unknown ``by`` shows.
_NOT_GROUPS = frozenset({"intent", "time", "charge", "event_id", "source_line", "amount", "fee",
                         "amount_refunded", "description", "synthetic", "intent_inferred"})


def resolve_column(log: Any, name: str) -> str:
    """The log column a user means: itself, ``metadata.<name>`` for a metadata key,
    ``export.<name>`` for a Dashboard column, or the column a Dashboard name is kept as
    (``Card Brand`` is ``card_brand``).

    Any other name, or a column this log leaves empty, is a ``ValueError`` that lists
    the columns the log has values in.

    >>> resolve_column(pd.DataFrame(columns=["intent", "metadata.plan"]), "plan")
    'metadata.plan'
    """
    log = as_log(log)
    columns = list(log.columns)

    def filled(column: str) -> bool:  # a Dask log is not computed just to check
        return is_dask(log) or not len(log) or bool(log[column].notna().any())

    kept_as = _EXPORT_NAMES.get(name, name)
    for candidate in (name, METADATA_PREFIX + name, EXPORT_PREFIX + name, kept_as):
        if candidate in columns:
            if filled(candidate):
                return candidate
            problem = f"column {name!r} is empty in this log (the export did not carry it)"
            break
    else:
        problem = f"no column {name!r} in the log (nor a metadata key or export column)"
    choices = [c for c in columns if c not in _NOT_GROUPS and filled(c)]
    raise ValueError(
        f"{problem}; it has: "
        + ", ".join(str(c).removeprefix(METADATA_PREFIX).removeprefix(EXPORT_PREFIX)
                    for c in choices)
    )


def _last_valid(s: Sorted, values: pd.Series) -> np.ndarray:
    """Per intent, the position (in ``values``) of its last non-missing value, or -1."""
    valid = values.notna().to_numpy()[s.row]
    pos = np.where(valid, np.arange(len(s.row)), -1)
    return np.maximum.reduceat(pos, s.starts) if len(pos) else pos


def _gather(s: Sorted, values: pd.Series) -> pd.Series:
    last = _last_valid(s, values)
    taken = values.iloc[s.row[np.maximum(last, 0)]].reset_index(drop=True)
    return taken.where(pd.Series(last >= 0), other=None) if (last < 0).any() else taken


def _path_codes(intent_pos: np.ndarray, status: np.ndarray, n_intents: int) -> np.ndarray:
    """One row of int64 blocks per intent that spells its status path exactly."""
    if len(status) == 0:
        return np.zeros((n_intents, 1), dtype=np.int64)
    start = np.zeros(len(status), dtype=bool)
    start[0] = True
    start[1:] = intent_pos[1:] != intent_pos[:-1]
    first_at = np.maximum.accumulate(np.where(start, np.arange(len(status)), 0))
    position = np.arange(len(status)) - first_at
    block = position // _BLOCK
    digit = (status.astype(np.int64) + 1) << (3 * (position % _BLOCK))
    n_blocks = int(block.max()) + 1
    out = np.zeros((n_intents, n_blocks), dtype=np.int64)
    if n_blocks == 1:
        out[intent_pos[start], 0] = np.add.reduceat(digit, np.flatnonzero(start))
    else:  # some path is longer than one block: rare, so the slower scatter is fine
        np.add.at(out, (intent_pos, block), digit)
    return out


def _spell(blocks: np.ndarray) -> str:
    statuses = []
    for value in blocks.tolist():
        while value:
            statuses.append(_NAMES[(value & 7) - 1])
            value >>= 3
    return ARROW.join(statuses)


def intent_partition(log: pd.DataFrame, by: str | None = None, *, customer: bool = False
                     ) -> dict[str, Any]:
    """Per-intent table and decline rows for a frame that holds whole intents; with
    ``customer``, the table also gives each intent's last ``customer`` (or ``None``).

    >>> from paykit.logs import simulate
    >>> part = intent_partition(simulate(20), customer=True)
    >>> len(part["table"]), "customer" in part["table"]
    (20, True)
    """
    s = sort_rows(log, status_only=False)
    n_intents = int(s.first.sum())
    starts = s.starts
    intent_pos = np.cumsum(s.first) - 1  # 0..n_intents-1 along the sorted rows
    status = s.status
    has_status = status >= 0

    decline_col = log["decline_code"]
    has_code = decline_col.notna().to_numpy()[s.row]

    # Status rows only, in order.
    si = np.flatnonzero(has_status)
    st_intent = intent_pos[si]
    st = status[si]
    st_code = has_code[si]
    st_first = np.ones(len(si), dtype=bool)
    st_first[1:] = st_intent[1:] != st_intent[:-1]
    prev = np.empty(len(si), dtype=np.int64)
    prev[1:] = st[:-1]
    # First status: from creation if it is an entry status shown without a decline,
    # otherwise (a log that starts later) as if from the initial status.
    prev[st_first] = np.where(ENTRY[st[st_first]] & ~st_code[st_first], NONE, INITIAL_CODE)
    # A charge the intent had not shown before also proves a confirmation happened.
    charge_code = np.asarray(log["charge"].factorize()[0])[s.row[si]]
    prev_charge = np.empty(len(si), dtype=np.int64)
    prev_charge[1:] = charge_code[:-1]
    prev_charge[st_first] = -1
    new_charge = (charge_code >= 0) & (charge_code != prev_charge)
    attempt = ATTEMPT_ONLY[prev, st] | (ATTEMPT_IF_DECLINED[prev, st] & (st_code | new_charge))
    declined = st_code | ((st == INITIAL_CODE) & ~(st_first & (prev == NONE)))
    auth = st == AUTHENTICATION_CODE

    def per_intent(flags: np.ndarray) -> np.ndarray:
        return np.bincount(st_intent, weights=flags, minlength=n_intents).astype(np.int64)

    creation_seen = np.zeros(n_intents, dtype=bool)
    creation_seen[st_intent[st_first]] = prev[st_first] == NONE
    n_status = np.bincount(st_intent, minlength=n_intents)
    last_status = np.full(n_intents, -1, dtype=np.int64)
    if len(si):
        st_last = np.ones(len(si), dtype=bool)
        st_last[:-1] = st_first[1:]
        last_status[st_intent[st_last]] = st[st_last]
    outcome_code = np.where(last_status < 0, _UNKNOWN, _OUTCOME_OF[last_status])
    blocks = _path_codes(st_intent, st, n_intents)
    if blocks.shape[1] == 1:
        uniq, inverse = np.unique(blocks[:, 0], return_inverse=True)
        uniq = uniq[:, None]
    else:
        uniq, inverse = np.unique(blocks, axis=0, return_inverse=True)
    path = pd.Categorical.from_codes(
        inverse.reshape(-1), categories=pd.Index([_spell(row) for row in uniq], dtype=object)
    )

    ends = np.append(starts[1:], len(s.row))[: len(starts)] - 1
    table = pd.DataFrame({
        "intent": pd.Categorical.from_codes(s.intent[starts], categories=s.ids),
        "path": path,
        "statuses": n_status,
        "attempts": per_intent(attempt),
        "declines": per_intent(declined),
        "needed_authentication": per_intent(auth) > 0,
        "creation_seen": creation_seen,
        "outcome": pd.Categorical.from_codes(outcome_code, dtype=OUTCOME_DTYPE),
        "last_status": pd.Categorical.from_codes(last_status, dtype=STATUS_DTYPE),
        "first_seen": utc(s.time[starts]),
        "last_seen": utc(s.time[ends]),
    })
    for name in _ATTRIBUTES:
        table[name] = _gather(s, log[name]).array if n_intents else log[name].iloc[:0].array
    if by is not None:  # the funnel's group: the intent's last value of that column
        table["group"] = _gather(s, log[by]).astype(object).to_numpy() if n_intents else []
    if customer:  # who retries across intents, and in which cohort
        values = log["customer"] if "customer" in log.columns else pd.Series(None, index=log.index)
        table["customer"] = _gather(s, values).astype(object).to_numpy() if n_intents else []

    rows = si[declined]
    codes = log["decline_code"].iloc[s.row[rows]].astype(object).to_numpy()
    decline_rows = pd.DataFrame({
        "intent": np.asarray(s.ids[s.intent[rows]], dtype=object),
        # str(): a hand-built log may hold numbers or other objects as codes
        "decline_code": np.where(pd.isna(codes), "(none)", codes).astype(str).astype(object),
    })
    return {"table": table, "declines": decline_rows}


def intent_table(log: Any, by: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-intent figures and the decline rows, on pandas or Dask (used by the analyses).

    >>> from paykit.logs import simulate
    >>> table, decline_rows = intent_table(simulate(20), by="currency")
    >>> len(table), "group" in table
    (20, True)
    """
    log = as_log(log)
    column = resolve_column(log, by) if by is not None else None
    reads = (*INTENT_READS, *([column] if column else []))
    parts = map_intents(log, lambda frame: intent_partition(frame, column), columns=reads)
    declines = [p["declines"] for p in parts]
    decline_rows = pd.concat(declines, ignore_index=True) if len(declines) > 1 else declines[0]
    return tidy_table([p["table"] for p in parts]), decline_rows


def tidy_table(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """The per-intent tables of groups of whole intents as one table, in order of first
    appearance (then intent id), amounts as nullable integers.

    >>> from paykit.logs import simulate
    >>> tidy_table([intent_partition(simulate(5))["table"]])["amount"].dtype
    Int64Dtype()
    """
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0].copy()
    if len(tables) > 1:
        for name in ("intent", "path", "currency", "payment_method_type"):
            if not isinstance(table[name].dtype, pd.CategoricalDtype):
                table[name] = table[name].astype("category")
        order = np.lexsort((table["intent"].astype(str).to_numpy(), table["first_seen"].to_numpy()))
        table = table.iloc[order].reset_index(drop=True)
        table["intent"] = table["intent"].cat.remove_unused_categories()
    table["amount"] = table["amount"].astype("Int64")
    return table


def paths(log: Any) -> pd.DataFrame:
    """Each intent's ordered status path, number of attempts, declines and outcome.

    One row per intent (in order of first appearance), with ``path`` (statuses joined by
    " → "), ``attempts``, ``declines``, ``needed_authentication``, ``outcome``
    (``succeeded``, ``canceled`` or ``open``), first and last time seen, amount, currency
    and payment method type.

    >>> from paykit.logs import simulate
    >>> p = paths(simulate(50, seed=3))
    >>> p.loc[0, ["intent", "outcome"]].tolist()
    ['pi_sim0000000000', 'succeeded']
    """
    return intent_table(log)[0]
