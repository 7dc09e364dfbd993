"""Form bodies are read the way the Stripe API reads them, and broken ones are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paykit.errors import InvalidRequestError
from paykit.http.forms import MAX_DEPTH, MAX_FIELDS, decode, encode
from paykit.params.coercion import as_list


def test_plain_values_stay_strings_for_the_parameter_rules_to_coerce():
    assert decode("amount=1099&currency=usd&confirm=true") == {
        "amount": "1099", "currency": "usd", "confirm": "true"}


def test_brackets_build_a_hash():
    assert decode("metadata[order_id]=6735") == {"metadata": {"order_id": "6735"}}


def test_nested_brackets_build_nested_hashes():
    body = "shipping[name]=Jenny&shipping[address][line1]=1 Main St&shipping[address][city]=SF"
    assert decode(body) == {"shipping": {"name": "Jenny", "address": {
        "line1": "1 Main St", "city": "SF"}}}


def test_empty_brackets_append_to_an_array_as_curl_writes_it():
    assert decode("payment_method_types[]=card&payment_method_types[]=sepa_debit") == {
        "payment_method_types": ["card", "sepa_debit"]}


def test_indexed_brackets_stay_digit_keys_as_the_sdk_writes_them():
    params = decode("payment_method_types[0]=card&payment_method_types[1]=sepa_debit")
    assert params == {"payment_method_types": {"0": "card", "1": "sepa_debit"}}
    assert as_list(params["payment_method_types"]) == ["card", "sepa_debit"]


def test_a_digit_metadata_key_is_a_key_not_an_index():
    assert decode("metadata[0]=zero") == {"metadata": {"0": "zero"}}


def test_indexes_are_ordered_as_numbers():
    assert as_list({"10": "k", "2": "c", "0": "a"}) == ["a", "c", "k"]


def test_as_list_refuses_what_is_not_an_array():
    assert as_list("card") is None
    assert as_list({"a": "card"}) is None


def test_an_empty_value_is_kept_because_it_unsets():
    assert decode("metadata=&description=") == {"metadata": "", "description": ""}
    assert decode("metadata[order_id]=") == {"metadata": {"order_id": ""}}


def test_percent_encoding_and_plus_are_decoded():
    assert decode("description=caf%C3%A9+cr%C3%A8me&metadata%5Bk%5D=v") == {
        "description": "café crème", "metadata": {"k": "v"}}


def test_raw_utf8_as_curl_sends_it_is_read():
    assert decode("description=café".encode()) == {"description": "café"}


def test_a_repeated_plain_key_keeps_the_last_value():
    assert decode("currency=eur&currency=usd") == {"currency": "usd"}


def test_an_empty_body_is_no_parameters():
    assert decode(b"") == {}


@pytest.mark.parametrize("body", [b"description=\xff\xfe", b"description=%ff%fe"])
def test_a_body_that_is_not_utf8_is_refused(body):
    with pytest.raises(InvalidRequestError, match="UTF-8"):
        decode(body)


@pytest.mark.parametrize("body, param", [
    ("amount=1&amount[x]=2", "amount"),
    ("amount[x]=2&amount=1", "amount"),
    ("types[]=a&types[0]=b", "types"),
    ("types[0]=b&types[]=a", "types"),
    ("a[b]=1&a[b][c]=2", "a[b]"),
])
def test_a_name_used_both_as_value_and_structure_is_refused(body, param):
    with pytest.raises(InvalidRequestError) as caught:
        decode(body)
    assert caught.value.param == param
    assert caught.value.http_status == 400


@pytest.mark.parametrize("name", ["", "[x]", "a]", "a[b", "a[b]c", "a[[b]]"])
def test_a_malformed_name_is_refused(name):
    with pytest.raises(InvalidRequestError, match="invalid parameter name"):
        decode(f"{name}=1")


def test_an_array_of_hashes_written_with_empty_brackets_is_refused():
    with pytest.raises(InvalidRequestError, match="index it instead"):
        decode("items[][price]=1")


def test_nesting_deeper_than_the_limit_is_refused():
    deep = "a" + "[b]" * (MAX_DEPTH + 1)
    with pytest.raises(InvalidRequestError, match="nested"):
        decode(f"{deep}=1")
    assert decode("a" + "[b]" * MAX_DEPTH + "=1")


def test_more_fields_than_the_limit_are_refused():
    with pytest.raises(InvalidRequestError, match=f"more than {MAX_FIELDS}"):
        decode("&".join(f"metadata[k{i}]=v" for i in range(MAX_FIELDS + 1)))


def test_a_nul_character_is_refused():
    with pytest.raises(InvalidRequestError, match="NUL"):
        decode("description=a%00b")


def test_encode_writes_what_the_sdk_writes():
    assert encode({"amount": 1099, "confirm": False, "payment_method_types": ["card"],
                   "metadata": {"order_id": "6735"}, "customer": None}) == (
        "amount=1099&confirm=false&payment_method_types[0]=card&metadata[order_id]=6735")


def test_encode_percent_encodes_values_but_keeps_brackets_readable():
    assert encode({"description": "a&b=c é"}) == "description=a%26b%3Dc%20%C3%A9"


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=12)
_name = st.text(st.characters(blacklist_categories=("Cs",),
                              blacklist_characters="\x00[]"), min_size=1, max_size=8)
_values = st.recursive(
    _text, lambda inner: st.dictionaries(_name, inner, min_size=1, max_size=3), max_leaves=8)


@given(st.dictionaries(_name, _values, max_size=4))
def test_decode_reads_back_whatever_encode_writes(params):
    assert decode(encode(params)) == params


@given(st.binary(max_size=200))
def test_any_bytes_either_decode_or_give_a_stripe_error(body):
    try:
        decoded = decode(body)
    except InvalidRequestError as error:
        assert error.to_dict()["error"]["type"] == "invalid_request_error"
    else:
        assert isinstance(decoded, dict)
