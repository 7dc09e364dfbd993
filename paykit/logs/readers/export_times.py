"""The Dashboard export's created times, in every spelling it reaches an analyst in.

Stripe writes ``2026-01-31 14:05:09`` (older exports stop at the minute); a spreadsheet
that re-saves the file writes ``31/01/2026 14:05`` (day first in most locales, month
first in the US). Day first is taken unless the file only makes sense month first, and
the read report says which. A time outside ``log_schema.TIME_RANGE`` (``9999-12-31``)
is impossible for a payment: it comes back as ``NaT`` for the reader to quarantine,
checked in whole seconds so that no year overflows nanoseconds on the way.
"""

from __future__ import annotations

import pandas as pd

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
    parsed = pd.to_datetime(text, format=_TIME_FORMATS[0], errors="coerce", utc=True)
    for fmt in _TIME_FORMATS[1:]:
        parsed = _parse_missing(parsed, text, fmt)
    parsed, note = _slash_dates(parsed, text)
    parsed = _parse_missing(parsed, text, "ISO8601")
    parsed = parsed.dt.as_unit("s")  # every year 1-9999 fits, so the range check is safe
    seconds = pd.DatetimeIndex(parsed).asi8  # NaT is the smallest int64: outside too
    outside = parsed.isna().to_numpy() | (seconds < TIME_RANGE[0]) | (seconds >= TIME_RANGE[1])
    return parsed.where(~outside).dt.as_unit("ns"), note
