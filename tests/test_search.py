"""Search: Stripe's query language over the fields paykit stores, newest first, paged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paykit
from paykit.http.routes import handle
from paykit.search import MAX_CLAUSES, SEARCHABLE, compile_query


@pytest.fixture
def shop(sb):
    made = []
    for n, (amount, currency, confirm) in enumerate(
            [(1000, "usd", True), (2500, "usd", False), (4000, "eur", True),
             (1200, "usd", True)]):
        made.append(sb.payment_intents.create(
            amount=amount, currency=currency, metadata={"order_id": f"o{n}"},
            payment_method="pm_card_visa", confirm=confirm))
    return sb, made


def _amounts(result):
    return [p.amount for p in result.data]


def test_field_clauses_and_comparisons(shop):
    sb, _ = shop
    search = sb.payment_intents.search
    assert _amounts(search(query="status:'succeeded'")) == [1200, 4000, 1000]
    assert _amounts(search(query="status:'succeeded' AND currency:'usd'")) == [1200, 1000]
    assert _amounts(search(query='amount>1000 AND amount<=2500')) == [1200, 2500]
    assert _amounts(search(query="currency:'eur' OR amount:2500")) == [4000, 2500]
    assert _amounts(search(query="-status:'succeeded'")) == [2500]
    assert _amounts(search(query="metadata['order_id']:'o2'")) == [4000]
    result = search(query="amount>0")
    assert result.object == "search_result" and result.url == "/v1/payment_intents/search"


def test_pages_follow_next_page(shop):
    sb, made = shop
    first = sb.payment_intents.search(query="amount>0", limit=3)
    assert len(first.data) == 3 and first.has_more and first.next_page
    rest = sb.payment_intents.search(query="amount>0", limit=3, page=first.next_page)
    assert [p.id for p in rest.data] == [made[0].id] and not rest.has_more
    assert rest.next_page is None
    with pytest.raises(paykit.InvalidRequestError) as bad:
        sb.payment_intents.search(query="amount>0", page="nonsense")
    assert bad.value.param == "page"


@pytest.mark.parametrize(("query", "says"), [
    ("", "Missing required param: query"),
    ("description:'x'", "not a field paykit can search"),
    ("status:'a' AND currency:'b' OR amount:1", "cannot be used together"),
    ("currency>'usd'", "cannot be compared"),
    ("metadata:'x'", "takes a key"),
    ("status~'ab'", "at least 3 characters"),
    ("status = succeeded", "could not parse"),
    (" AND ".join(["amount>1"] * (MAX_CLAUSES + 1)), f"at most {MAX_CLAUSES}"),
])
def test_a_query_paykit_cannot_read_is_stripes_error_naming_query(sb, query, says):
    with pytest.raises(paykit.InvalidRequestError) as error:
        sb.payment_intents.search(query=query)
    assert says in error.value.message and error.value.param == "query"


def test_charges_search_by_intent_and_last4(shop):
    sb, made = shop
    charges = sb.charges.search(query=f"payment_intent:'{made[2].id}'").data
    assert [c.payment_intent for c in charges] == [made[2].id]
    assert len(sb.charges.search(query="payment_method_details.card.last4:'4242'").data) == 3


def test_search_is_routed_over_http_not_read_as_an_id(shop):
    sb, _ = shop
    headers = {"Authorization": "Bearer sk_test_search"}
    for path in ("/v1/payment_intents/search", "/v1/charges/search"):
        status, _, body = handle(sb, "GET", path, "query=amount%3E1100", headers, b"")
        assert status == 200 and b'"search_result"' in body, body[:200]
    status, _, body = handle(sb, "GET", "/v1/payment_intents/search", "", headers, b"")
    assert status == 400 and b'"query"' in body


@settings(max_examples=80)
@given(st.text(max_size=40))
def test_any_query_text_parses_or_is_refused_cleanly(text):
    try:
        match = compile_query(text, SEARCHABLE["payment_intent"])
    except paykit.InvalidRequestError as error:
        assert error.param == "query"
    else:
        assert match({"status": "succeeded", "amount": 5, "metadata": {}}) in (True, False)
