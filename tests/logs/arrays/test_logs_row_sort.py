"""The one sort: (intent, time, tie rank), ties kept in row order, any key size."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from paykit.logs.arrays.row_sort import sort_order


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4), st.integers(0, 4)),
                min_size=1, max_size=60))
def test_sort_order_equals_a_stable_lexicographic_sort(rows):
    codes, ns, rank = (np.array(col, dtype=np.int64) for col in zip(*rows, strict=True))
    expected = sorted(range(len(rows)), key=lambda i: (rows[i][0], rows[i][1], rows[i][2], i))
    assert sort_order(codes, ns * 1_000_000_000, rank).tolist() == expected


def test_keys_too_wide_to_pack_fall_back_to_lexsort():
    codes = np.array([1, 0, 1], dtype=np.int64)
    ns = np.array([2**61, 5, 3], dtype=np.int64) + 1  # not whole seconds, huge span
    assert sort_order(codes, ns, np.zeros(3, np.int64)).tolist() == [1, 2, 0]
