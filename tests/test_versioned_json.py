"""An object's JSON for an API version: each kind of response change undone, nothing else
touched, and the input never changed."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paykit import api_versions
from paykit.versioned_json import render, shape, with_field

TODAY = "2026-09-30.endive"


def _intent(**fields):
    return {"id": "pi_1", "object": "payment_intent", "amount": 1000,
            "excluded_payment_method_types": None, "next_action": None,
            "status": "requires_payment_method", **fields}


def test_todays_version_and_none_return_the_same_dict():
    data = _intent()
    assert render(data, TODAY) is data
    assert render(data, None) is data


def test_an_added_field_leaves_before_its_version():
    before = render(_intent(), "2025-08-26")
    assert "excluded_payment_method_types" not in before
    assert "excluded_payment_method_types" in render(_intent(), "2025-08-27.basil")


def test_a_removed_field_comes_back_null_or_as_a_list():
    old = render(_intent(), "2019-01-01")
    assert old["invoice"] is None
    assert old["charges"] == {"object": "list", "data": [], "has_more": False,
                              "total_count": 0, "url": "/v1/payment_intents/pi_1/charges"}


def test_renamed_fields_and_status_values_take_their_earlier_names():
    old = render(_intent(), "2018-11-08")
    assert old["status"] == "requires_source" and "next_source_action" in old
    assert "next_action" not in old


def test_fields_come_back_in_the_apis_order():
    old = render(_intent(), "2018-11-08")
    keys = list(old)
    assert keys[:2] == ["id", "object"] and keys[2:] == sorted(keys[2:])


def test_a_nested_added_field_leaves_only_its_parent():
    charge = {"id": "ch_1", "object": "charge",
              "outcome": {"advice_code": None, "network_advice_code": None,
                          "network_decline_code": None, "type": "authorized"}}
    assert render(charge, "2024-12-18.acacia")["outcome"] == {"network_advice_code": None,
                                                             "network_decline_code": None,
                                                             "type": "authorized"}
    assert render(charge, "2024-12-17")["outcome"] == {"type": "authorized"}


def test_the_related_objects_are_rendered_for_the_version_too():
    charge = {"id": "ch_1", "object": "charge", "invoice": None}
    related_calls = []

    def related(kind, object_id, name):
        related_calls.append((kind, object_id, name))
        return ([charge], "/v1/charges?payment_intent=pi_1") if name == "charges" \
            else ([], f"/v1/charges/{object_id}/refunds")

    old = render(_intent(), "2020-01-01", related)
    inner = old["charges"]["data"][0]
    assert old["charges"]["url"] == "/v1/charges?payment_intent=pi_1"
    assert inner["refunds"]["url"] == "/v1/charges/ch_1/refunds"
    assert ("charge", "ch_1", "refunds") in related_calls


def test_lists_are_rendered_item_by_item_and_a_deleted_stub_is_left_alone():
    page = {"object": "list", "data": [_intent()], "has_more": False, "url": "/v1/x"}
    assert render(page, "2018-11-08")["data"][0]["status"] == "requires_source"
    stub = {"id": "cus_1", "object": "customer", "deleted": True}
    assert render(stub, "2019-01-01") is stub


@given(st.sampled_from((*api_versions.MODELLED_VERSIONS, "2011-01-01", TODAY)))
def test_rendering_never_changes_its_input(version):
    data = _intent(next_action={"type": "use_stripe_sdk"})
    kept = copy.deepcopy(data)
    render(data, version)
    assert data == kept


def test_versions_with_the_same_shape_render_alike():
    assert shape("2026-10-28.endive") == shape(TODAY)
    assert shape("2018-11-08") != shape(TODAY)


@pytest.mark.parametrize(("data", "name", "expected"), [
    ({"id": 1, "object": "x", "b": 2}, "a", ["id", "object", "a", "b"]),
    ({"id": 1, "object": "x", "b": 2}, "c", ["id", "object", "b", "c"]),
])
def test_with_field_keeps_the_apis_order(data, name, expected):
    assert list(with_field(data, name, None)) == expected


def test_nested_objects_are_rendered_and_metadata_is_left_alone():
    method = {"id": "pm_1", "object": "payment_method", "customer_account": None}
    intent = _intent(last_payment_error={"code": "card_declined", "payment_method": method},
                     metadata={"object": "payment_intent", "status": "x"})
    old = render(intent, "2025-01-01")
    assert "customer_account" not in old["last_payment_error"]["payment_method"]
    assert old["metadata"] == {"object": "payment_intent", "status": "x"}
    assert intent["last_payment_error"]["payment_method"] is method
