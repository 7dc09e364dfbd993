"""The export's times read from the bytes (Stripe's own spelling) give what pandas gives.

``parse_times`` reads ``YYYY-MM-DD HH:MM:SS`` with array arithmetic when every value is
spelled so and is a real date; anything else goes to ``pandas.to_datetime``. Both
routes must agree on every value, including impossible dates, out-of-range years and
leap days.
"""

from __future__ import annotations

from unittest import mock

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from paykit.logs.readers import export_times
from paykit.logs.readers.export_times import parse_times


def _by_pandas(values: pd.Series) -> tuple[pd.Series, str | None]:
    with mock.patch.object(export_times, "_stripe_seconds", return_value=None):
        return parse_times(values)


def assert_same_times(values: list[str]) -> None:
    series = pd.Series(values, dtype=str, name="Created date (UTC)")
    fast, fast_note = parse_times(series)
    slow, slow_note = _by_pandas(series)
    pd.testing.assert_series_equal(fast, slow)
    assert fast_note == slow_note


_TWO = st.integers(0, 99).map("{:02d}".format)
_STAMP = st.builds(
    "{}-{}-{} {}:{}:{}".format,
    st.sampled_from(["0000", "0001", "1999", "2000", "2024", "2025", "2026", "2099", "2100",
                     "9999"]),
    st.one_of(st.sampled_from(["01", "02", "04", "12", "13", "00"]), _TWO),
    st.one_of(st.sampled_from(["28", "29", "30", "31", "00"]), _TWO),
    st.one_of(st.sampled_from(["00", "23", "24"]), _TWO),
    st.one_of(st.sampled_from(["00", "59", "60"]), _TWO),
    st.one_of(st.sampled_from(["00", "59", "60"]), _TWO),
)
_OTHER = st.sampled_from(["", " 2026-01-31 02:46:01", "2026-01-31 02:46", "31/01/2026 14:05",
                          "2026-01-31T02:46:01", "2026-1-31 02:46:01", "2026-01-31 02:46:0é"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_STAMP, min_size=1, max_size=6))
def test_stripe_spelled_times_read_as_pandas_reads_them(values):
    assert_same_times(values)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_STAMP, _OTHER), min_size=1, max_size=6))
def test_mixed_spellings_read_as_pandas_reads_them(values):
    assert_same_times(values)


def test_a_clean_column_takes_the_byte_route():
    values = ["2026-01-31 02:46:01", "2024-02-29 23:59:59", "2000-01-01 00:00:00"]
    series = pd.Series(values, dtype=str)
    assert export_times._stripe_seconds(series) is not None
    assert_same_times(values)
    assert export_times._stripe_seconds(pd.Series(["2023-02-29 00:00:00"], dtype=str)) is None
