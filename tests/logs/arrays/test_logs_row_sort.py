"""The one sort: (intent, time, tie rank), ties kept in row order, any key size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from paykit.logs import conformance, paths, simulate
from paykit.logs.arrays import row_sort
from paykit.logs.arrays.row_sort import intent_codes, sort_order, sort_rows


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


#: What a frame built by hand or read from Parquet may hold as ids.
_PLAIN_DTYPES = [object, "str", "string[pyarrow]", "string[python]",
                 pd.ArrowDtype(pa.string()), pd.ArrowDtype(pa.large_string())]


def _assert_codes_like_factorize(ids):
    codes, uniques = intent_codes(ids)
    expected, expected_uniques = pd.factorize(ids, use_na_sentinel=True)
    assert codes.dtype == expected.dtype
    assert codes.tolist() == expected.tolist()
    assert uniques.dtype == pd.Index(expected_uniques).dtype
    assert uniques.equals(pd.Index(expected_uniques))


@settings(max_examples=80, deadline=None)
@given(st.integers(6, 17), st.data())
def test_intent_codes_are_factorize_codes_for_every_string_dtype(width, data):
    """Ids of one length take the word-hashing path; others (several lengths, multi-byte
    characters, shorter than 8 bytes) fall back to ``pd.factorize``: same answer."""
    letters = data.draw(st.sampled_from(["ab_", "ab_é"]))
    pool = data.draw(st.lists(st.text(letters, min_size=width, max_size=width),
                              min_size=1, max_size=6, unique=True))
    ids = data.draw(st.lists(st.one_of(st.none(), st.sampled_from(pool)), max_size=40))
    start = data.draw(st.integers(0, 2))  # a slice: Arrow arrays with an offset
    for dtype in _PLAIN_DTYPES:
        _assert_codes_like_factorize(pd.Series(ids, dtype=dtype).iloc[start:])


def test_intent_codes_fall_back_when_two_ids_mix_to_one_key(monkeypatch):
    monkeypatch.setattr(row_sort, "_MIX", np.uint64(0))  # the key is the last word alone
    ids = pd.Series(["aaaaaaaa12345678", "bbbbbbbb12345678", "aaaaaaaa87654321"], dtype="str")
    assert row_sort._word_codes(ids) is None
    _assert_codes_like_factorize(ids)


def test_intent_codes_of_long_arrow_ids_take_the_word_path_across_chunks():
    one = pd.Series([f"pi_3Mtw{i:021d}" for i in (5, 7, 5)], dtype="string[pyarrow]")
    ids = pd.concat([one, one.iloc[::-1], pd.Series([None], dtype="string[pyarrow]")],
                    ignore_index=True)  # two Arrow chunks, 27-character ids
    found = row_sort._word_codes(ids)
    assert found is not None
    assert found[0].tolist() == [0, 1, 0, 0, 1, 0, -1]
    assert found[1].tolist() == [0, 1]
    _assert_codes_like_factorize(ids)


def test_conformance_and_paths_are_the_same_for_every_plain_id_dtype():
    """Plain ids are coded in order of first appearance whatever holds them, so every
    answer, row order included, is the same; categorical ids give the same rows."""
    log = simulate(600, seed=4, illegal_rate=0.05).sample(frac=1.0, random_state=2)
    log = log.reset_index(drop=True)
    log["intent"] = log["intent"].astype(str).astype(object)
    log.loc[[3, 40], "intent"] = None

    def path_rows(frame):  # the intent column's categories keep the ids' dtype
        found = paths(frame)
        return found.assign(intent=found["intent"].astype(object))

    first = conformance(log)
    first_paths = path_rows(log)
    assert len(first.violations)
    for dtype in _PLAIN_DTYPES:
        frame = log.assign(intent=log["intent"].astype(dtype))
        result = conformance(frame)
        assert result.violations.equals(first.violations)
        assert result.summary.equals(first.summary)
        assert result.by_transition.equals(first.by_transition)
        assert path_rows(frame).equals(first_paths)
    categorical = conformance(log.assign(intent=log["intent"].astype("category")))
    key = ["intent", "time", "source", "target"]
    assert categorical.violations.sort_values(key).reset_index(drop=True).equals(
        first.violations.sort_values(key).reset_index(drop=True))
