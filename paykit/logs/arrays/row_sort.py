"""The one sort every analysis needs: rows by (intent, time, tie-break), as numpy arrays.

Analyses never loop over intents or events in Python. They turn the log into integer
arrays (intent codes, int64 nanoseconds, status codes), sort once on a single packed
int64 key, and then compare each row with the previous one: ``same intent`` masks,
``np.bincount`` of ``source * K + target`` pairs, differences of times. Packing the key
lets ``numpy.argsort`` (the fast unstable sort) do the work; rows left tied on the
whole key (same intent, same second, same tie rank) are then put back in their row
order, which readers make chronological, so the result is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.arrays.log_schema import EVENT_DTYPE, STATUS_DTYPE
from paykit.logs.arrays.transition_rules import NONE, TIE_RANK

__all__ = [
    "Sorted",
    "coded",
    "event_ranks",
    "intent_codes",
    "sort_order",
    "sort_rows",
    "status_codes",
    "time_ns",
    "utc",
]

_RANK_BITS = 3
_RANK_BY_EVENT_CODE = np.array(
    [TIE_RANK.get(name, 2) for name in EVENT_DTYPE.categories] + [2], dtype=np.int64
)


def coded(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    """A categorical from codes and categories known to be distinct (``factorize``'s).

    pandas checks categories for duplicates by hashing every one, a cost per distinct
    intent id paid twice per read otherwise; the check is skipped where pandas offers
    its own fast path for it.

    >>> coded(np.array([1, 0, 1]), pd.Index(["pi_a", "pi_b"])).tolist()
    ['pi_b', 'pi_a', 'pi_b']
    """
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    dtype = fast(categories, ordered=False) if fast else pd.CategoricalDtype(categories)
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def status_codes(status: pd.Series) -> np.ndarray:
    """Status codes (``Status`` order) as int8, -1 where the row shows no status.

    >>> status_codes(pd.Series(["succeeded", None])).tolist()
    [6, -1]
    """
    if status.dtype != STATUS_DTYPE:
        status = status.astype(STATUS_DTYPE)
    return np.asarray(status.array.codes)


def event_ranks(event: pd.Series) -> np.ndarray:
    """Tie-break rank of each row from its event type (``transition_rules.TIE_RANK``);
    2 if unknown.

    >>> event_ranks(pd.Series(["payment_intent.created", "payment_intent.succeeded"])).tolist()
    [0, 3]
    """
    if event.dtype != EVENT_DTYPE:
        event = event.astype(EVENT_DTYPE)
    return _RANK_BY_EVENT_CODE[np.asarray(event.array.codes)]


def intent_codes(intent: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes for the intent ids, and the ids they stand for (-1: missing).

    Codes follow the order of first appearance, as ``pd.factorize``'s; string ids of one
    length are coded by ``_word_codes`` (the same codes, about 3x faster).

    >>> codes, ids = intent_codes(pd.Series(["pi_b", None, "pi_a", "pi_b"]))
    >>> codes.tolist(), ids.tolist()
    ([0, -1, 1, 0], ['pi_b', 'pi_a'])
    """
    if isinstance(intent.dtype, pd.CategoricalDtype):
        return np.asarray(intent.array.codes), intent.cat.categories
    found = _word_codes(intent)
    if found is not None:
        codes, first = found
        return codes, pd.Index(intent.array.take(first), dtype=intent.dtype)
    codes, uniques = pd.factorize(intent, use_na_sentinel=True)
    return codes, pd.Index(uniques)


#: Odd, so mixing a word in by ``key * _MIX + word`` keeps every value of that word apart.
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _arrow_strings(intent: pd.Series) -> Any:
    """The ids as one Arrow string array: pandas' own (no copy), or object-dtype strings
    converted (a tenth of what ``pd.factorize`` takes on them); ``None`` otherwise."""
    import pyarrow as pa

    dtype = intent.dtype
    if isinstance(dtype, pd.ArrowDtype) or (
            isinstance(dtype, pd.StringDtype) and str(dtype.storage).startswith("pyarrow")):
        data = intent.array.__arrow_array__()
        return data.combine_chunks() if isinstance(data, pa.ChunkedArray) else data
    if pd.api.types.is_object_dtype(dtype) and pd.api.types.infer_dtype(
            intent, skipna=True) == "string":
        try:
            return pa.array(intent.to_numpy(), type=pa.large_string(), from_pandas=True)
        except (pa.ArrowException, UnicodeError):  # e.g. a lone surrogate
            return None
    return None


def _word_codes(intent: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """``pd.factorize``'s codes for string ids of one length, and each id's first row.

    The costly step on plain-string ids is hashing a string per row; hashing one uint64
    per row (the id's 8-byte words that vary, mixed) is about 3x faster, and Arrow codes
    in order of first appearance as pandas does. A row whose words differ from those of
    its code's first row (two ids mixed to one number) sends the caller back to
    ``pd.factorize``, as do ids of several lengths or shorter than 8 bytes (``None``).
    """
    data = _arrow_strings(intent)
    if data is None:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    large = pa.types.is_large_string(data.type)
    if not (large or pa.types.is_string(data.type)):
        return None
    valid = np.flatnonzero(np.asarray(data.is_valid())) if data.null_count else None
    if valid is not None:
        data = data.take(valid)
    n = len(data)
    offsets = np.frombuffer(data.buffers()[1], np.int64 if large else np.int32,
                            n + 1, data.offset * (8 if large else 4))
    width = int(offsets[-1] - offsets[0]) // n if n else 0
    if width < 8 or (np.diff(offsets) != width).any():
        return None
    words = [np.ndarray((n,), "<u8", data.buffers()[2], int(offsets[0]) + start, (width,))
             for start in sorted({*range(0, width - 8, 8), width - 8})]
    varying = [w for w in words if (w != w[0]).any()] or words[:1]
    key = varying[0].copy()
    for word in varying[1:]:
        key *= _MIX
        key += word
    codes = np.asarray(pc.dictionary_encode(pa.array(key)).indices, dtype=np.intp)
    seen = np.maximum.accumulate(codes)
    new = np.ones(n, dtype=bool)
    new[1:] = seen[1:] != seen[:-1]
    first = np.flatnonzero(new)
    if len(varying) > 1 and any((w[first][codes] != w).any() for w in varying):
        return None
    if valid is None:
        return codes, first
    every = np.full(len(intent), -1, dtype=np.intp)
    every[valid] = codes
    return every, valid[first]


def time_ns(time: pd.Series) -> np.ndarray:
    """Int64 nanoseconds since the epoch (no object array, even on pandas 3).

    >>> time_ns(pd.Series(pd.to_datetime(["1970-01-01 00:00:01"], utc=True))).tolist()
    [1000000000]
    """
    if time.dtype.kind != "M":
        time = pd.to_datetime(time, utc=True)
    index = pd.DatetimeIndex(time)
    if index.unit != "ns":
        index = index.as_unit("ns")
    return index.asi8


def utc(ns: np.ndarray) -> pd.DatetimeIndex:
    """UTC timestamps from int64 nanoseconds, without going through Python objects.

    >>> utc(np.array([0]))[0]
    Timestamp('1970-01-01 00:00:00+0000', tz='UTC')
    """
    return pd.DatetimeIndex(np.asarray(ns, dtype=np.int64).view("M8[ns]")).tz_localize("UTC")


def _bits(value: int) -> int:
    return max(int(value).bit_length(), 1)


def sort_order(codes: np.ndarray, ns: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Positions that sort rows by (code, time, rank), ties kept in row order.

    >>> sort_order(np.array([1, 0, 0]), np.array([5, 9, 9]), np.array([0, 2, 1])).tolist()
    [2, 1, 0]
    """
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    t0 = int(ns.min())
    rel = ns - t0
    span = int(rel.max())
    code_bits = _bits(int(codes.max()))
    scale = 1
    if code_bits + _bits(span) + _RANK_BITS > 62 and not (rel % 1_000_000_000).any():
        scale = 1_000_000_000
    time_bits = _bits(span // scale)
    if code_bits + time_bits + _RANK_BITS > 62:
        return np.lexsort((np.arange(n), rank, ns, codes))
    key = codes.astype(np.int64) << (time_bits + _RANK_BITS)
    key |= (rel // scale if scale > 1 else rel) << _RANK_BITS
    key |= rank
    order = np.argsort(key)
    ordered = key[order]
    tied = ordered[1:] == ordered[:-1]
    if tied.any():
        # Equal packed keys: put those rows back in row order (a small lexsort).
        member = np.zeros(n, dtype=bool)
        member[1:] |= tied
        member[:-1] |= tied
        where = np.flatnonzero(member)
        starts = np.ones(len(where), dtype=bool)
        starts[1:] = ordered[where[1:]] != ordered[where[:-1]]
        group = np.cumsum(starts)
        order[where] = order[where][np.lexsort((order[where], group))]
    return order


@dataclass(frozen=True)
class Sorted:
    """Rows of a log sorted by (intent, time, tie rank, row order), as arrays.

    ``row`` maps each sorted position back to the frame's row position; ``first`` marks
    the first row of each intent; ``ids`` turns intent codes back into ``pi_…`` ids.
    """

    intent: np.ndarray
    time: np.ndarray
    status: np.ndarray
    row: np.ndarray
    first: np.ndarray
    ids: pd.Index

    def __len__(self) -> int:
        return len(self.row)

    @property
    def starts(self) -> np.ndarray:
        """Sorted positions where each intent's rows begin."""
        return np.flatnonzero(self.first)

    def previous_status(self) -> np.ndarray:
        """The status before each row in its intent (``transition_rules.NONE`` on the first)."""
        prev = np.empty(len(self.status), dtype=np.int64)
        prev[0:1] = NONE
        prev[1:] = self.status[:-1]
        prev[self.first] = NONE
        return prev


def sort_rows(log: pd.DataFrame, *, status_only: bool) -> Sorted:
    """Sort a log's rows (only those showing a status, if asked) by intent and time.

    >>> from paykit.logs import simulate
    >>> s = sort_rows(simulate(10), status_only=True)
    >>> bool((s.intent[1:] >= s.intent[:-1]).all())
    True
    """
    status = status_codes(log["status"])
    ns = time_ns(log["time"])
    keep = ns != np.iinfo(np.int64).min
    if status_only:
        keep &= status >= 0
    intent = log["intent"]
    if isinstance(intent.dtype, pd.CategoricalDtype):
        codes, ids = intent_codes(intent)
    else:  # plain ids: hash only the rows kept (the costly step on string ids)
        codes = np.full(len(keep), -1, dtype=np.int64)
        where = np.flatnonzero(keep)
        codes[where], ids = intent_codes(intent.iloc[where] if len(where) < len(keep)
                                         else intent)
    keep &= codes >= 0
    rows = np.flatnonzero(keep) if not keep.all() else np.arange(len(keep))
    codes, status, ns = codes[rows], status[rows], ns[rows]
    rank = event_ranks(log["event"])[rows] if len(rows) else np.zeros(0, np.int64)
    order = sort_order(codes, ns, rank)
    intent = codes[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = intent[1:] != intent[:-1]
    return Sorted(
        intent=intent,
        time=ns[order],
        status=status[order].astype(np.int64),
        row=rows[order],
        first=first,
        ids=ids,
    )
