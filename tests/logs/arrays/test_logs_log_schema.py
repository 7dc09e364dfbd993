"""Every reader returns the documented schema, with the documented dtypes."""

from __future__ import annotations

import pytest

from paykit.logs import COLUMNS, read_sample, schema_table, simulate
from paykit.logs.arrays.log_schema import EVENT_DTYPE, STATUS_DTYPE, TIME_DTYPE, empty_log


@pytest.mark.parametrize("source", ["events", "objects", "payments", "simulate", "empty"])
def test_every_log_has_the_schema_columns_and_dtypes(source):
    if source == "simulate":
        log = simulate(20)
    elif source == "empty":
        log = empty_log()
    else:
        log = read_sample(source).log
    names = [c.name for c in COLUMNS]
    assert list(log.columns)[: len(names)] == names
    assert log["status"].dtype == STATUS_DTYPE
    assert log["event"].dtype == EVENT_DTYPE
    assert str(log["time"].dtype) == TIME_DTYPE
    assert log["intent"].dtype == "category"
    assert str(log["amount"].dtype) == "Int64"
    assert all(c.startswith(("metadata.", "export.")) for c in log.columns[len(names):])


def test_the_schema_is_documented_as_a_table():
    table = schema_table()
    assert table["column"].tolist() == [c.name for c in COLUMNS]
    assert table["meaning"].str.len().min() > 5
