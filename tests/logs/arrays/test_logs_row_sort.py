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


def test_plain_string_ids_sort_like_categorical_ids_and_missing_ids_are_left_out():
    import pandas as pd

    from paykit.logs import conformance, simulate
    from paykit.logs.arrays.row_sort import sort_rows

    log = simulate(400, seed=3, illegal_rate=0.05).sample(frac=1.0, random_state=1)
    log = log.reset_index(drop=True)
    plain = log.assign(intent=log["intent"].astype("string"))
    plain.loc[5, "intent"] = pd.NA  # a row without an intent is skipped, not an intent
    a, b = sort_rows(log.drop(index=5), status_only=True), sort_rows(plain, status_only=True)

    def rows(s):  # intents may come in another order; each one's rows may not
        frame = pd.DataFrame({"id": s.ids[s.intent].astype(str), "status": s.status,
                              "time": s.time})
        return frame.sort_values("id", kind="stable").reset_index(drop=True)

    assert rows(a).equals(rows(b))
    assert conformance(log).summary.equals(conformance(log.assign(
        intent=log["intent"].astype(str))).summary)
