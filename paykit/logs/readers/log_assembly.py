"""Turn the rows a reader collected into the sorted normalised log.

Shared by every reader so the ordering rule is written once:

1. **Chronological input order.** ``GET /v1/events`` and the Dashboard list newest
   first; webhook logs are kept as delivered, oldest first. When the timestamps of
   the input mostly decrease, the input is read from the bottom up.
2. **Sort** by intent, then ``time``, then the tie-break rank of the event type
   (``transition_rules.TIE_RANK``: creation, charge events, other PaymentIntent events, terminal
   events, snapshots), then the chronological input order. Timestamps are whole
   seconds, so several events of one intent often share one: the rank settles what the
   lifecycle makes certain (creation first, a terminal event last), input order the rest.
3. Intent ids become a categorical whose codes follow first appearance in that order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from paykit.logs.arrays.log_schema import finish_log
from paykit.logs.arrays.row_sort import coded, event_ranks, sort_order, time_ns

__all__ = [
    "INTEGER_FIELDS", "ROW_FIELDS", "RowBuffer", "flags", "is_newest_first", "log_order",
    "order_rows", "rows_frame",
]


def is_newest_first(ns: np.ndarray) -> bool:
    """Whether timestamps in input order mostly go back in time.

    >>> is_newest_first(np.array([3, 2, 2, 1]))
    True
    """
    if len(ns) < 2:
        return False
    step = np.diff(ns)
    return int((step < 0).sum()) > int((step > 0).sum())


def order_rows(frame: pd.DataFrame, *, newest_first: bool | None = None) -> pd.DataFrame:
    """The collected rows (in input order) as a sorted normalised log.

    >>> rows = pd.DataFrame({"intent": ["pi_b", "pi_a"], "time": [2, 1],
    ...                      "event": ["payment_intent.created"] * 2, "status": [None] * 2})
    >>> order_rows(rows)["intent"].tolist()
    ['pi_a', 'pi_b']
    """
    if len(frame) == 0:
        return finish_log(frame)
    frame = frame.reset_index(drop=True)
    ns = time_ns(frame["time"] if frame["time"].dtype.kind == "M"
                 else pd.to_datetime(frame["time"], unit="s", utc=True))
    positions, codes, ids = log_order(ns, frame["intent"], frame["event"],
                                      newest_first=newest_first)
    frame = frame.iloc[positions].reset_index(drop=True)
    frame["intent"] = coded(codes, ids)
    frame["time"] = pd.DatetimeIndex(ns[positions].view("M8[ns]")).tz_localize("UTC")
    return finish_log(frame)


def log_order(ns: np.ndarray, intent: pd.Series, event: pd.Series, *,
              newest_first: bool | None = None) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Where each row of the log comes from (positions in input order), its intent code
    there, and the ids the codes stand for: the ordering rule above, for a reader that
    builds its columns itself in one take.

    >>> positions, codes, ids = log_order(np.array([5, 1]), pd.Series(["pi_b", "pi_a"]),
    ...                                   pd.Series(["payment_intent.created"] * 2))
    >>> positions.tolist(), codes.tolist(), ids.tolist()
    ([1, 0], [0, 1], ['pi_a', 'pi_b'])
    """
    if newest_first is None:
        newest_first = is_newest_first(ns)
    # Reading order (bottom up when newest first) is applied with the sort: one take.
    reading = np.arange(len(ns))[::-1] if newest_first else np.arange(len(ns))
    codes, uniques = _first_seen(intent, reading)
    order = sort_order(codes, ns[reading], event_ranks(event.iloc[reading]))
    return reading[order], codes[order], pd.Index(uniques, dtype=object)


def _first_seen(intent: pd.Series, reading: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Codes of the intents numbered by first appearance in reading order, and the ids.

    A categorical's codes are renumbered (hashing integers, not ids); arrow strings
    are factorized as they are, anything else as Python objects.
    """
    if isinstance(intent.dtype, pd.CategoricalDtype):
        given = intent.cat.codes.to_numpy()[reading]
        if (given >= 0).all():
            codes, seen = pd.factorize(given)
            return codes, intent.cat.categories.take(seen)
    values = intent.iloc[reading]
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype(object)
    return pd.factorize(values, use_na_sentinel=True)


#: The columns a reader collects row by row (metadata goes aside, key by key).
ROW_FIELDS = (
    "intent", "time", "status", "event", "amount", "currency", "charge", "decline_code",
    "payment_method_type", "amount_refunded", "description", "statement_descriptor",
    "event_id", "source_line", "synthetic", "customer", "card_brand", "card_country",
    "card_funding", "amount_disputed", "dispute_status", "dispute_reason",
)


#: The fields held as 64-bit integers (the rest are text, ``synthetic`` a flag).
INTEGER_FIELDS = frozenset(
    {"time", "source_line", "amount", "amount_refunded", "amount_disputed"})
#: Amounts may be missing: nullable Int64 in the frame.
_AMOUNTS = ("amount", "amount_refunded", "amount_disputed")


def _kind(name: str) -> pa.DataType:
    if name == "synthetic":
        return pa.bool_()
    return pa.int64() if name in INTEGER_FIELDS else pa.string()


class RowBuffer:
    """Rows collected one by one, turned into Arrow columns every ``chunk`` rows (a list
    of Python values costs several times the values themselves, which is what a large
    export would hold otherwise), and into a frame once at the end."""

    def __init__(self, chunk: int = 1 << 16) -> None:
        self.chunk = chunk
        self.columns: dict[str, list[Any]] = {name: [] for name in ROW_FIELDS}
        self.metadata: dict[str, dict[int, str]] = {}  # this chunk's: key -> row -> value
        self.size = 0
        self._chunks: dict[str, list[pa.Array]] = {name: [] for name in ROW_FIELDS}
        self._metadata_chunks: dict[str, dict[int, pa.Array]] = {}
        self._chunk_sizes: list[int] = []

    def add(self, values: Mapping[str, Any], metadata: Mapping[str, Any] | None = None) -> None:
        """Append one row (missing fields are empty); metadata values become strings, a
        null value is no value (not the text "None")."""
        for name, column in self.columns.items():
            column.append(values.get(name))
        if metadata:
            at = len(self.columns["time"]) - 1
            for key, value in metadata.items():
                if value is not None:
                    self.metadata.setdefault(str(key), {})[at] = (
                        value if isinstance(value, str) else str(value)
                    )
        self.size += 1
        if len(self.columns["time"]) >= self.chunk:
            self._flush()

    def _flush(self) -> None:
        rows = len(self.columns["time"])
        if not rows:
            return
        index = len(self._chunk_sizes)
        for name, column in self.columns.items():
            self._chunks[name].append(pa.array(column, type=_kind(name)))
            column.clear()
        for key, values in self.metadata.items():
            cells: list[str | None] = [None] * rows
            for at, value in values.items():
                cells[at] = value
            self._metadata_chunks.setdefault(key, {})[index] = pa.array(cells, pa.string())
        self.metadata = {}
        self._chunk_sizes.append(rows)

    def arrays(self) -> tuple[dict[str, pa.Array], dict[str, pa.Array]]:
        """Every row so far as one Arrow array per field, and per metadata key (null
        where a row has no such key), keys sorted."""
        self._flush()
        columns = {name: pa.concat_arrays(chunks) if chunks else pa.array([], _kind(name))
                   for name, chunks in self._chunks.items()}
        metadata = {
            key: pa.concat_arrays([chunks.get(i, pa.nulls(rows, pa.string()))
                                   for i, rows in enumerate(self._chunk_sizes)])
            for key, chunks in sorted(self._metadata_chunks.items())
        }
        return columns, metadata

    def frame(self) -> pd.DataFrame:
        """The rows as a frame in input order, time in epoch seconds."""
        return rows_frame(*self.arrays())


def rows_frame(columns: Mapping[str, pa.Array], metadata: Mapping[str, pa.Array]
               ) -> pd.DataFrame:
    """The frame of the collected rows: text as pandas infers it from a list, amounts as
    Int64, ``source_line`` 0 and ``synthetic`` false where not given, and one string
    column per metadata key.

    >>> frame = rows_frame({"intent": pa.array(["pi_1"]), "time": pa.array([1])}, {})
    >>> frame["intent"].tolist(), frame["amount"].isna().tolist(), frame["synthetic"].tolist()
    (['pi_1'], [True], [False])
    """
    size = len(columns["time"])
    data: dict[str, Any] = {}
    for name in ROW_FIELDS:
        array = columns.get(name, pa.nulls(size, _kind(name)))
        if name == "synthetic":
            data[name] = flags(array)
        elif name in ("time", "source_line"):
            data[name] = np.asarray(array.fill_null(0).to_numpy(zero_copy_only=False),
                                    dtype=np.int64)
        elif name in _AMOUNTS:
            data[name] = pd.arrays.IntegerArray(
                np.asarray(array.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64),
                flags(array.is_null()))
        else:
            data[name] = _as_listed(array)
    frame = pd.DataFrame(data)
    for key, values in metadata.items():
        frame["metadata." + key] = pd.array(values, dtype="string")
    return frame


def flags(array: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy, null as false.

    >>> flags(pa.array([True, None, False])).tolist()
    [True, False, False]
    """
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _as_listed(array: pa.Array) -> Any:
    """Strings as pandas infers them from a Python list (object when all are None)."""
    if array.null_count == len(array):
        return np.full(len(array), None, dtype=object)
    listed = pd.Series(["x"]).dtype
    if listed == np.dtype(object):
        return array.to_numpy(zero_copy_only=False)
    return pd.array(array, dtype=listed)
