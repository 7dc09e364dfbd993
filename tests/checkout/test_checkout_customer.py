"""The customer's side in Python (``paykit.checkout.customer``) and the notebook's links
(``paykit.checkout.notebook``)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

import paykit
from paykit.checkout.command import start
from paykit.checkout.customer import Customer
from paykit.checkout.notebook import open_checkout


@pytest.fixture
def shop(sb: paykit.Sandbox):
    with start(sb) as server:
        yield sb, server.url


@pytest.mark.parametrize("number, authenticate, status, steps", [
    ("4242424242424242", True, "succeeded", 2),
    ("4000002760003184", True, "succeeded", 3),
    ("4000002760003184", False, "requires_payment_method", 3),
    ("4000000000000002", True, "requires_payment_method", 2),
])
def test_the_customer_pays_as_the_page_does(shop, number, authenticate, status, steps):
    sb, url = shop
    customer = Customer(url)
    customer.pay(number, authenticate=authenticate)
    (intent,) = sb.payment_intents.list(limit=None).data
    assert intent.status == status and len(customer.steps) == steps
    confirm = customer.steps[1]
    assert confirm.sent["key"].startswith("pk_test_")
    assert confirm.sent["expected_payment_method_type"] == "card"
    assert confirm.sent["payment_method_data"]["card"]["number"] == number


def test_a_failed_challenge_moves_the_intent_as_authenticate_does(shop):
    sb, url = shop
    Customer(url).pay("4000002760003184", authenticate=False)
    (intent,) = sb.payment_intents.list(limit=None).data
    assert intent.history == ("requires_payment_method", "requires_action",
                              "requires_payment_method")
    assert intent.last_payment_error["code"] == "payment_intent_authentication_failure"


def test_a_decline_is_read_from_the_402_answer(shop):
    _, url = shop
    customer = Customer(url)
    answer = customer.pay("4000000000000002")
    assert customer.steps[-1].status == 402 and answer["error"]["code"] == "card_declined"
    assert "error card_declined: Your card was declined." in str(customer.steps[-1])


def test_no_step_shows_a_client_secret(shop):
    _, url = shop
    customer = Customer(url)
    customer.pay("4000002760003184")
    shown = "\n".join(str(step) for step in customer.steps)
    assert "_secret_****" in shown
    assert not re.search(r"_secret_(?!\*)[A-Za-z0-9]{6,}", shown)


def test_the_notebook_links_go_through_the_jupyter_servers_proxy(sb, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/learner-abc/")
    links = open_checkout(sb, port=0)
    try:
        assert links.proxy == f"/user/learner-abc/proxy/{links.port}/"
        assert f'href="/user/learner-abc/proxy/{links.port}/spa"' in links._repr_html_()
        assert repr(links).startswith("<paykit checkout through the Jupyter server")
        with urllib.request.urlopen(links.url + "/spa", timeout=5) as response:
            assert response.status == 200
    finally:
        links.stop()


def test_running_the_cell_again_replaces_the_previous_checkout(sb):
    first = open_checkout(sb, port=0)
    second = open_checkout(sb, port=0)
    try:
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(first.url + "/spa", timeout=2)
        with urllib.request.urlopen(second.url + "/spa", timeout=5) as response:
            assert response.status == 200
    finally:
        second.stop()
