"""``paykit.params.metadata``: the limits on metadata and how updates merge."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from params_helpers import BASE, codes, only

from paykit.errors import InvalidRequestError
from paykit.params import (
    Problem,
    merge_metadata,
    metadata_problems,
    validate,
)


def test_metadata_values_are_stored_as_strings() -> None:
    coerced = validate("create", {**BASE, "metadata": {"order_id": 6735, "ratio": 0.5}})
    assert coerced["metadata"] == {"order_id": "6735", "ratio": "0.5"}


def test_metadata_keys_are_at_most_40_characters() -> None:
    assert metadata_problems({"k" * 40: "v"}) == []
    problem = only(metadata_problems({"k" * 41: "v"}))
    assert (problem.param, problem.code) == ("metadata", "payment_intent_invalid_parameter")
    assert problem.message.startswith("Invalid key: ")
    assert "at most 40 characters" in problem.message


def test_metadata_keys_cannot_contain_square_brackets() -> None:
    for key in ("order[1]", "a]", "[b"):
        problem = only(metadata_problems({key: "v"}))
        assert (problem.param, problem.code) == ("metadata", "invalid_characters")
        assert "square brackets" in problem.message


def test_metadata_values_are_at_most_500_characters() -> None:
    assert metadata_problems({"k": "v" * 500}) == []
    problem = only(metadata_problems({"k": "v" * 501}))
    assert problem.message.startswith("Invalid val: ")
    assert "at most 500 characters" in problem.message


@pytest.mark.parametrize("value", [None, True, ["a"], {"a": "b"}])
def test_metadata_values_are_strings_or_numbers(value: object) -> None:
    assert only(metadata_problems({"k": value})).message.startswith("Invalid val: ")


@pytest.mark.parametrize("key", [1, None, ""])
def test_metadata_keys_are_non_empty_strings(key: object) -> None:
    assert only(metadata_problems({key: "v"})).message.startswith("Invalid key: ")


def test_metadata_has_at_most_50_keys() -> None:
    assert metadata_problems({f"k{i}": "v" for i in range(50)}) == []
    problem = only(metadata_problems({f"k{i}": "v" for i in range(51)}))
    assert problem == Problem("metadata", "payment_intent_invalid_parameter",
                              "Metadata can have up to 50 keys, but you've set 51.")


def test_keys_being_unset_do_not_count_towards_50() -> None:
    update = {f"k{i}": "v" for i in range(50)} | {"gone": ""}
    assert metadata_problems(update) == []


def test_metadata_must_be_an_object_and_empty_means_unset_all() -> None:
    assert metadata_problems("") == []
    assert only(metadata_problems("order=1")).message.startswith("Invalid object")
    assert only(metadata_problems(["a"])).param == "metadata"


def test_merge_metadata_adds_replaces_and_unsets_keys() -> None:
    current = {"a": "1", "b": "2"}
    assert merge_metadata(current, {"b": "", "c": 3, "a": "one"}) == {"a": "one", "c": "3"}
    assert current == {"a": "1", "b": "2"}


def test_merge_metadata_with_an_empty_string_unsets_everything() -> None:
    assert merge_metadata({"a": "1"}, "") == {}


def test_merge_metadata_refuses_a_result_above_50_keys() -> None:
    current = {f"k{i}": "v" for i in range(30)}
    with pytest.raises(InvalidRequestError) as err:
        merge_metadata(current, {f"n{i}": "v" for i in range(21)})
    assert err.value.param == "metadata"
    assert err.value.message == "Metadata can have up to 50 keys, but you've set 51."
    assert len(merge_metadata(current, {f"n{i}": "v" for i in range(20)})) == 50


def test_merge_metadata_refuses_a_bad_update() -> None:
    with pytest.raises(InvalidRequestError) as err:
        merge_metadata({}, {"a[b]": "v"})
    assert err.value.code == "invalid_characters"


_KEYS = st.text(alphabet=st.characters(blacklist_characters="[]"), min_size=1, max_size=40)


_VALUES = st.one_of(st.text(min_size=1, max_size=500), st.integers(),
                    st.floats(allow_nan=False, allow_infinity=False))


@given(st.dictionaries(_KEYS, _VALUES, max_size=50))
def test_metadata_within_the_limits_passes(metadata: dict[str, object]) -> None:
    assert metadata_problems(metadata) == []
    coerced = validate("create", {**BASE, "metadata": metadata})["metadata"]
    assert all(isinstance(v, str) for v in coerced.values())
    assert coerced.keys() == metadata.keys()


@settings(max_examples=25)  # 51-key dictionaries are slow to draw; a few suffice
@given(st.dictionaries(_KEYS, st.text(min_size=1, max_size=5), min_size=51, max_size=51))
def test_metadata_with_51_keys_fails(metadata: dict[str, str]) -> None:
    assert codes(metadata_problems(metadata)) == ["payment_intent_invalid_parameter"]
