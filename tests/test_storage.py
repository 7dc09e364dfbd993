"""Nested JSON values stored as text: lossless, and invisible to the garbage collector."""

from __future__ import annotations

import gc

from hypothesis import given
from hypothesis import strategies as st

import paykit
from paykit.storage import (
    EMPTY_OBJECT,
    PAYMENT_INTENT_FIELDS,
    PAYMENT_INTENT_NESTED_FIELDS,
    freeze,
    thaw,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_thaw_gives_back_exactly_what_was_frozen(value):
    text = freeze(value)
    assert value is None or isinstance(text, str)
    assert (None if text is None else thaw(text)) == value


def test_null_stays_null_and_the_empty_object_is_named():
    assert freeze(None) is None
    assert thaw(EMPTY_OBJECT) == {} and freeze({}) == EMPTY_OBJECT


def test_text_is_ascii_like_the_apis_json_and_thaws_to_the_same_characters():
    text = freeze({"ville": "Orléans"})
    assert text.isascii() and thaw(text) == {"ville": "Orléans"}


def test_thawed_values_are_shared_between_readers():
    text = freeze({"card": {"request_three_d_secure": "automatic"}})
    assert thaw(text) is thaw(text)


def _intent_record(sb, intent_id):
    return sb._account.intents[intent_id]


def test_an_intent_stores_its_nested_fields_as_text():
    sb = paykit.Sandbox(seed=0)
    pi = sb.payment_intents.create(amount=1099, currency="usd", metadata={"order": "1"},
                                   shipping={"name": "Jenny Rosen",
                                             "address": {"line1": "1 Main St"}})
    data = _intent_record(sb, pi.id).data
    for name in PAYMENT_INTENT_NESTED_FIELDS:
        assert data[name] is None or isinstance(data[name], str), name
    assert pi.to_dict()["metadata"] == {"order": "1"}
    assert pi.to_dict()["shipping"]["address"] == {"line1": "1 Main St"}


def test_stored_intents_and_event_snapshots_are_not_tracked_by_the_collector():
    sb = paykit.Sandbox(seed=0)
    pi = sb.payment_intents.create(amount=1099, currency="usd", metadata={"order": "1"},
                                   payment_method="pm_card_visa", confirm=True)
    gc.collect()
    record = _intent_record(sb, pi.id)
    assert not gc.is_tracked(record.data)
    snapshots = sb._account.events._values
    assert snapshots and not any(gc.is_tracked(values) for values in snapshots)
    assert len(snapshots[0]) == len(PAYMENT_INTENT_FIELDS)
