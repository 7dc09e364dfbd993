"""Pagination: ``PositionIndex`` pages exactly as cutting the filtered list would."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paykit import InvalidRequestError
from paykit.pagination import PositionIndex, check_limit, created_matches, page


@st.composite
def _listings(draw):
    steps = draw(st.lists(st.integers(0, 2), min_size=0, max_size=40))
    groups = draw(st.lists(st.sampled_from("abc"), min_size=len(steps),
                           max_size=len(steps)))
    stamps, now = [], 100
    for step in steps:  # the clock never goes back: stamps never decrease
        now += step
        stamps.append(now)
    return stamps, groups


@settings(max_examples=300, deadline=None)
@given(listing=_listings(), data=st.data())
def test_a_page_from_the_index_is_the_page_of_the_filtered_list(listing, data):
    stamps, groups = listing
    index = PositionIndex()
    for n, (stamp, group) in enumerate(zip(stamps, groups, strict=True)):
        index.add(f"obj_{n}", stamp, group)
    wanted = data.draw(st.none() | st.sets(st.sampled_from("abcz")))
    created = data.draw(st.none() | st.integers(99, 200) | st.dictionaries(
        st.sampled_from(["gt", "gte", "lt", "lte"]), st.integers(99, 200)))
    limit = data.draw(st.none() | st.integers(1, 5))
    ids = [f"obj_{n}" for n in range(len(stamps))] + ["obj_missing"]
    after = data.draw(st.none() | st.sampled_from(ids))
    before = data.draw(st.none() | st.sampled_from(ids))

    newest_first = [n for n in range(len(stamps) - 1, -1, -1)
                    if (wanted is None or groups[n] in wanted)
                    and created_matches(stamps[n], created)]

    class _Item:
        def __init__(self, n: int) -> None:
            self.id = f"obj_{n}"

    try:
        expected = page([_Item(n) for n in newest_first], limit, after, before, "thing")
    except InvalidRequestError as error:
        with pytest.raises(InvalidRequestError) as caught:
            index.page(limit, after, before, "thing", groups=wanted, created=created)
        assert (caught.value.param, caught.value.http_status) == (error.param, 404)
        return
    positions, has_more = index.page(limit, after, before, "thing", groups=wanted,
                                     created=created)
    assert ([index.ids[p] for p in positions], has_more) == (
        [item.id for item in expected[0]], expected[1])


def test_follow_catches_up_with_a_dict_and_rebuilds_after_a_rollback():
    objects = {f"ch_{n}": (100 + n, "pi_a" if n % 2 else "pi_b") for n in range(4)}
    index = PositionIndex()
    index.follow(objects, lambda v: v[0], lambda v: v[1])
    assert index.ids == ["ch_0", "ch_1", "ch_2", "ch_3"]
    objects["ch_1"] = (101, "pi_a")  # replaced in place: keeps its position
    objects["ch_4"] = (104, "pi_b")
    index.follow(objects, lambda v: v[0], lambda v: v[1])
    assert index.ids[-1] == "ch_4" and index.groups["pi_b"] == [0, 2, 4]
    del objects["ch_4"]  # a rolled-back request
    objects["ch_5"] = (105, "pi_a")
    index.follow(objects, lambda v: v[0], lambda v: v[1])
    assert index.ids == ["ch_0", "ch_1", "ch_2", "ch_3", "ch_5"]
    assert index.groups["pi_a"] == [1, 3, 4]


@pytest.mark.parametrize("limit", ["²", "0", "101", "1" * 5000, "-1", 1.5, True])
def test_a_limit_is_one_to_a_hundred_in_ascii_digits(limit):
    with pytest.raises(InvalidRequestError) as caught:
        check_limit(limit)
    assert caught.value.param == "limit"


def test_a_created_bound_that_is_not_a_number_is_refused_naming_it():
    index = PositionIndex()
    index.add("obj_0", 100, "a")
    with pytest.raises(InvalidRequestError) as caught:
        index.page(None, None, None, "thing", created={"gte": "soon"})
    assert caught.value.param == "created[gte]"
