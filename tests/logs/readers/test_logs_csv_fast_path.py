"""The Dashboard CSV's fast path (pyarrow) against the careful one (record by record).

The fast path is only a faster way to the same answer: on every file, clean or damaged,
``read_dashboard_csv`` gives the same log and the same read report whether the fast path
may be taken or not, and when the fast parser accepts a file its records are the careful
path's, line for line.
"""

from __future__ import annotations

import csv
import io
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paykit.logs import read_dashboard_csv
from paykit.logs.readers import csv_records
from paykit.logs.readers.csv_records import split_records
from tests.logs.readers.test_logs_damaged_files import (
    BASE,
    CSV_CASES,
    HEADER,
    N,
    csv_of,
    lines_of,
    row,
)


def careful(read, *args):
    """``read(*args)`` with the fast path refused, as a damaged file would have it."""
    with mock.patch.object(csv_records, "_fast", return_value=None):
        return read(*args)


def assert_same_read(data: bytes | str) -> None:
    fast_log, fast_report = read_dashboard_csv(data)
    slow_log, slow_report = careful(read_dashboard_csv, data)
    pd.testing.assert_frame_equal(fast_log, slow_log)
    assert fast_report == slow_report


def assert_same_records(text: str) -> bool:
    """The records of both paths agree; returns whether the fast parser took the file."""
    fast = csv_records._fast(text, ",")
    slow = careful(split_records, text, ",")
    if fast is None:
        return False
    assert slow.damaged == []
    assert fast.header == slow.header
    assert fast.lines.tolist() == slow.lines.tolist()
    pd.testing.assert_frame_equal(fast.cells, slow.cells)
    return True


@pytest.mark.parametrize("name", list(CSV_CASES))
def test_both_paths_read_each_damaged_file_alike(name):
    assert_same_read(CSV_CASES[name].data)


def test_a_clean_export_takes_the_fast_path():
    assert csv_records._fast(BASE, ",") is not None
    assert_same_records(BASE)


@pytest.mark.parametrize("damage", [
    "a stray quote opens a cell that never closes", "a short row", "a long row",
    "two overlapping exports joined, with the second header", "NUL bytes in a row",
    "the last row cut off mid-row", "blank lines between rows",
    "a description that holds line breaks",
])
def test_damage_sends_the_file_the_careful_way(damage):
    assert csv_records._fast(CSV_CASES[damage].data.decode(), ",") is None


_CELL = st.text(st.sampled_from('ab ,"\r\n\x00;é'), max_size=6)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.integers(0, N - 1), column=st.integers(0, len(HEADER) - 1), cell=_CELL)
def test_any_cell_written_by_a_csv_writer_reads_alike(k, column, cell):
    rows = [row(j) for j in range(N)]
    rows[k][column] = cell
    text = csv_of(rows)
    taken = assert_same_records(text)
    assert taken or any(c in cell for c in "\r\n\x00")  # well-formed quoting is fast
    assert_same_read(text.encode())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.integers(1, N), position=st.integers(0, 120), text=_CELL,
       crlf=st.booleans(), final_break=st.booleans())
def test_any_raw_damage_reads_alike(k, position, text, crlf, final_break):
    lines = lines_of(BASE)[:-1]
    lines[k] = lines[k][:position] + text + lines[k][position:]
    joined = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n") * final_break
    assert_same_records(joined)
    assert_same_read(joined.encode())


def test_quoted_header_and_semicolons_read_alike():
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADER)
    writer.writerows(row(j) for j in range(N))
    assert csv_records._fast(out.getvalue(), ";") is not None
    assert_same_read(out.getvalue().encode())


@pytest.mark.parametrize("change", [
    lambda lines: [*lines[:3], "", *lines[3:]],  # a blank line inside
    lambda lines: [*lines, "", ""],  # blank lines at the end
    lambda lines: [*lines[:3], "," * (len(HEADER) - 1), *lines[3:]],  # bare delimiters
    lambda lines: lines[:1],  # the header alone
])
@pytest.mark.parametrize("crlf", [False, True])
def test_rows_pyarrow_makes_of_blank_lines_send_the_file_the_careful_way(change, crlf):
    """pyarrow reads a blank line as a row of empty cells: the fast path must refuse it."""
    lines = change(lines_of(BASE)[:-1])
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    assert csv_records._fast(text, ",") is None
    assert_same_read(text.encode())
