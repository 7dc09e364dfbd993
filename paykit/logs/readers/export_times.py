"""The Dashboard export's created times, in every spelling it reaches an analyst in.

Stripe writes ``2026-01-31 14:05:09`` (older exports stop at the minute); a spreadsheet
that re-saves the file writes ``31/01/2026 14:05`` (day first in most locales, month
first in the US). Day first is taken unless the file only makes sense month first, and
the read report says which. A time outside ``log_schema.TIME_RANGE`` (``9999-12-31``)
is impossible for a payment: it comes back as ``NaT`` for the reader to quarantine,
checked in whole seconds so that no year overflows nanoseconds on the way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from paykit.logs.arrays.log_schema import TIME_RANGE

__all__ = ["parse_times"]

_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
_SLASH_FORMATS = {
    "dd/mm/yyyy": ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"),
    "mm/dd/yyyy": ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"),
}


def _parse_missing(parsed: pd.Series, text: pd.Series, fmt: str) -> pd.Series:
    missing = parsed.isna()
    if missing.any():
        parsed = parsed.copy()
        parsed[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce", utc=True)
    return parsed


def _slash_dates(parsed: pd.Series, text: pd.Series) -> tuple[pd.Series, str | None]:
    """Dates as Excel re-saves them (``31/01/2026 14:05``): day first unless the file
    only makes sense month first; the report says which was taken."""
    missing = parsed.isna() & text.str.contains("/", regex=False)
    if not missing.any():
        return parsed, None
    results = {}
    for order, formats in _SLASH_FORMATS.items():
        attempt = parsed
        for fmt in formats:
            attempt = _parse_missing(attempt, text.where(missing, ""), fmt)
        results[order] = attempt
    counts = {order: int(result.notna().sum()) for order, result in results.items()}
    order = "dd/mm/yyyy" if counts["dd/mm/yyyy"] >= counts["mm/dd/yyyy"] else "mm/dd/yyyy"
    used = int((results[order].notna() & missing).sum())
    dates = "date" if used == 1 else "dates"
    note = f"{used} {dates} read as {order} (as re-saved by a spreadsheet)" if used else None
    return results[order], note


#: Stripe's ``YYYY-MM-DD HH:MM:SS``, byte by byte: the lowest byte allowed at each place
#: and how far above it a byte may go (a digit, or exactly the separator).
_LAYOUT = "0000-00-00 00:00:00"
_LOWEST = np.frombuffer(_LAYOUT.encode(), np.uint8)
_SPAN = np.array([9 if char.isdigit() else 0 for char in _LAYOUT], np.uint8)


def _stripe_seconds(text: pd.Series) -> np.ndarray | None:
    """Epoch seconds when every value is spelled exactly ``YYYY-MM-DD HH:MM:SS`` with a
    real date and time (the export as Stripe writes it), read from the bytes with array
    arithmetic; ``None`` otherwise, for ``pandas.to_datetime`` to settle, which takes
    about three times as long (40 ms against 15 ms for ``simulate(200_000)``'s 232k rows)."""
    if not (isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow"):
        return None
    array = pa.array(text.array)
    if isinstance(array, pa.ChunkedArray):  # several parse blocks: one buffer
        array = array.combine_chunks()
    n = len(array)
    if not n or array.null_count:
        return None
    wide = pa.types.is_large_string(array.type)
    offsets = np.frombuffer(array.buffers()[1], np.int64 if wide else np.int32)
    offsets = offsets[array.offset:array.offset + n + 1]
    if not (np.diff(offsets) == len(_LOWEST)).all():
        return None
    cells = np.frombuffer(array.buffers()[2], np.uint8)[offsets[0]:offsets[-1]]
    cells = cells.reshape(n, len(_LOWEST))
    if ((cells - _LOWEST) > _SPAN).any():  # below the lowest wraps round, above too
        return None

    def number(first: int, last: int) -> np.ndarray:
        value = np.zeros(n, np.int64)
        for column in range(first, last):
            value = value * 10 + (cells[:, column] - _LOWEST[column])
        return value

    year, month, day = number(0, 4), number(5, 7), number(8, 10)
    hour, minute, second = number(11, 13), number(14, 16), number(17, 19)
    if ((year < 1) | (month < 1) | (month > 12) | (hour > 23) | (minute > 59)
            | (second > 59)).any():
        return None
    # The first day of each month there, from a table over the months spanned (numpy's
    # calendar conversion is slow per element, fast on the few months a file covers).
    months = (year - 1970) * 12 + month - 1
    low = int(months.min())
    firsts = np.arange(low, int(months.max()) + 2).astype("M8[M]").astype("M8[D]")
    firsts = firsts.astype(np.int64)
    at = months - low
    if ((day < 1) | (day > firsts[at + 1] - firsts[at])).any():
        return None
    return (firsts[at] + day - 1) * 86400 + hour * 3600 + minute * 60 + second


def parse_times(values: pd.Series) -> tuple[pd.Series, str | None]:
    """UTC timestamps from second- or minute-resolution text (NaT where impossible), and
    a note when dates had to be read in a spreadsheet's day/month order.

    >>> times, note = parse_times(pd.Series(["2026-01-31 14:05:09", "31/01/2026 14:05",
    ...                                      "9999-12-31 00:00:00"]))
    >>> [str(t) for t in times], note
    (['2026-01-31 14:05:09+00:00', '2026-01-31 14:05:00+00:00', 'NaT'], \
'1 date read as dd/mm/yyyy (as re-saved by a spreadsheet)')
    """
    text = values.str.strip()
    filled = (text != "").to_numpy()
    if not filled.all():  # an empty cell is no time: parse only the others
        times, note = parse_times(text[filled]) if filled.any() else (text[filled], None)
        out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
        out[filled] = times
        return out, note
    seconds = _stripe_seconds(text)
    if seconds is not None:
        outside = (seconds < TIME_RANGE[0]) | (seconds >= TIME_RANGE[1])
        ns = np.where(outside, np.iinfo(np.int64).min, seconds * 1_000_000_000)
        times = pd.Series(ns.view("M8[ns]"), index=text.index, name=text.name)
        return times.dt.tz_localize("UTC"), None
    parsed = pd.to_datetime(text, format=_TIME_FORMATS[0], errors="coerce", utc=True)
    for fmt in _TIME_FORMATS[1:]:
        parsed = _parse_missing(parsed, text, fmt)
    parsed, note = _slash_dates(parsed, text)
    parsed = _parse_missing(parsed, text, "ISO8601")
    parsed = parsed.dt.as_unit("s")  # every year 1-9999 fits, so the range check is safe
    seconds = pd.DatetimeIndex(parsed).asi8  # NaT is the smallest int64: outside too
    outside = parsed.isna().to_numpy() | (seconds < TIME_RANGE[0]) | (seconds >= TIME_RANGE[1])
    return parsed.where(~outside).dt.as_unit("ns"), note
