"""RowBuffer: rows collected in Arrow chunks give the frame of the rows as they came
(amounts within the readers' range, text, flags, metadata by key)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from paykit.logs.readers.log_assembly import ROW_FIELDS, RowBuffer

_TEXT = st.one_of(st.none(), st.sampled_from(["", "pi_1", "é", "succeeded"]))
_ROW = st.fixed_dictionaries(
    {"time": st.integers(0, 2**40)},
    optional={"intent": _TEXT, "status": _TEXT,
              "amount": st.one_of(st.none(), st.integers(-(10**15), 10**15)),
              "source_line": st.integers(1, 99), "synthetic": st.booleans()},
)
_METADATA = st.one_of(st.none(), st.dictionaries(
    st.sampled_from(["order", "channel", "n"]), st.one_of(st.none(), st.text(max_size=3),
                                                          st.integers(-5, 5)), max_size=2))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(_ROW, _METADATA), min_size=1, max_size=12),
       chunk=st.integers(1, 5))
def test_chunks_give_the_frame_of_one_buffer(rows, chunk):
    small, whole = RowBuffer(chunk), RowBuffer(10**6)
    for values, metadata in rows:
        small.add(values, metadata)
        whole.add(values, metadata)
    pd.testing.assert_frame_equal(small.frame(), whole.frame())
    frame = whole.frame()
    assert frame["time"].tolist() == [values["time"] for values, _ in rows]
    assert frame["synthetic"].tolist() == [bool(values.get("synthetic")) for values, _ in rows]
    assert frame["source_line"].tolist() == [values.get("source_line") or 0 for values, _ in rows]
    amounts = [None if pd.isna(v) else int(v) for v in frame["amount"]]
    assert amounts == [values.get("amount") for values, _ in rows]
    keys = sorted({k for _, m in rows if m for k, v in m.items() if v is not None})
    named = [c for c in frame.columns if c.startswith("metadata.")]
    assert named == [f"metadata.{k}" for k in keys]
    for key in keys:
        cells = [None if pd.isna(v) else v for v in frame[f"metadata.{key}"]]
        assert cells == [None if not m or m.get(key) is None else str(m[key]) for _, m in rows]


def test_an_empty_buffer_gives_an_empty_frame():
    frame = RowBuffer().frame()
    assert len(frame) == 0 and list(frame.columns) == list(ROW_FIELDS)
