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

from paykit.logs.arrays.log_schema import finish_log
from paykit.logs.arrays.row_sort import coded, event_ranks, sort_order, time_ns

__all__ = ["ROW_FIELDS", "RowBuffer", "is_newest_first", "log_order", "order_rows"]


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


class RowBuffer:
    """Rows collected one by one as plain lists, turned into a frame once at the end."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in ROW_FIELDS}
        self.metadata: dict[str, dict[int, str]] = {}
        self.size = 0

    def add(self, values: Mapping[str, Any], metadata: Mapping[str, Any] | None = None) -> None:
        """Append one row (missing fields are empty); metadata values become strings, a
        null value is no value (not the text "None")."""
        for name, column in self.columns.items():
            column.append(values.get(name))
        if metadata:
            for key, value in metadata.items():
                if value is not None:
                    self.metadata.setdefault(str(key), {})[self.size] = (
                        value if isinstance(value, str) else str(value)
                    )
        self.size += 1

    def frame(self) -> pd.DataFrame:
        """The rows as a frame in input order, time in epoch seconds."""
        data: dict[str, object] = dict(self.columns)
        data["synthetic"] = [bool(v) for v in self.columns["synthetic"]]
        data["source_line"] = np.array(
            [v or 0 for v in self.columns["source_line"]], dtype=np.int64
        )
        frame = pd.DataFrame(data)
        for name in ("amount", "amount_refunded", "amount_disputed"):
            frame[name] = pd.array(self.columns[name], dtype="Int64")
        for key in sorted(self.metadata):
            values = pd.Series(self.metadata[key], dtype="string")
            frame["metadata." + key] = values.reindex(range(self.size))
        return frame
