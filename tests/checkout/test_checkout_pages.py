"""``paykit checkout``: the pages your server answers, and the command that serves them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import paykit
from paykit.checkout import command
from paykit.checkout.pages import PAGES, PUBLISHABLE_KEY, Checkout
from paykit.cli import build_parser


@pytest.fixture
def checkout(sb: paykit.Sandbox) -> Checkout:
    return Checkout(sb)


def test_secret_creates_an_intent_and_answers_only_its_client_secret(sb, checkout):
    status, headers, body = checkout.answer("GET", "/secret", "")
    answer = json.loads(body)
    assert status == 200 and list(answer) == ["client_secret"]
    intent = sb.payment_intents.list(limit=None).data[0]
    assert answer["client_secret"] == intent.client_secret
    assert (intent.amount, intent.currency) == (1099, "usd")
    assert headers["Cache-Control"] == "no-store"


def test_the_server_rendered_page_carries_the_secret_in_data_secret(sb, checkout):
    _, headers, body = checkout.answer("GET", "/server-rendered", "")
    intent = sb.payment_intents.list(limit=None).data[0]
    assert f'data-secret="{intent.client_secret}"'.encode() in body
    assert headers["Content-Type"].startswith("text/html")


def test_the_single_page_app_holds_no_secret_until_it_fetches_one(sb, checkout):
    _, _, body = checkout.answer("GET", "/spa", "")
    assert b"_secret_" not in body and b"fetch('secret')" in body
    assert sb.payment_intents.list(limit=None).data == []


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_loads_the_stand_in_relatively_and_is_labelled(checkout, path):
    _, _, body = checkout.answer("GET", path, "")
    assert b"paykit learning checkout" in body and b"{{" not in body
    if path != "/":
        assert b'<script src="v3/"></script>' in body
        assert f"Stripe('{PUBLISHABLE_KEY}')".encode() in body


def test_the_api_and_other_methods_are_left_to_the_api(checkout):
    assert checkout.answer("GET", "/v1/payment_intents", "") is None
    assert checkout.answer("POST", "/secret", "") is None
    assert checkout.answer("GET", "/v3/", "") is None


def test_one_server_answers_the_pages_the_api_and_the_script(sb):
    with command.start(sb, amount=500, currency="eur") as server:
        with urllib.request.urlopen(f"{server.url}/secret", timeout=5) as response:
            secret = json.loads(response.read())["client_secret"]
        intent_id = secret.split("_secret_")[0]
        url = f"{server.url}/v1/payment_intents/{intent_id}?key=pk_test_1&client_secret={secret}"
        with urllib.request.urlopen(url, timeout=5) as response:
            seen = json.loads(response.read())
        with urllib.request.urlopen(f"{server.url}/v3/", timeout=5) as response:
            script = response.read()
    assert (seen["amount"], seen["currency"]) == (500, "eur")
    assert b"LEARNING STAND-IN" in script


def test_paykit_checkout_is_a_command_with_the_samples_port():
    args = build_parser().parse_args(["checkout"])
    assert args.port == command.DEFAULT_PORT == 4242 and args.handler is command.run


def test_paykit_checkout_refuses_a_non_loopback_address(capsys):
    args = build_parser().parse_args(["checkout", "--host", "0.0.0.0"])
    assert command.run(args) == 2
    assert "loopback" in capsys.readouterr().err


def test_paykit_checkout_refuses_an_unknown_currency_in_one_line(capsys):
    args = build_parser().parse_args(["checkout", "--currency", "zzz", "--port", "0",
                                      "--quiet"])
    assert command.run(args) == 1
    assert capsys.readouterr().err.startswith("paykit checkout: ")


def test_paykit_checkout_serves_until_stopped_and_prints_its_pages():
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from paykit.cli import main; "
         "sys.exit(main(['checkout', '--port', '0', '--quiet']))"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(root)})
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("paykit checkout on http://127.0.0.1:")
        url = first.split()[3].rstrip("/")
        lines = [process.stdout.readline() for _ in range(4)]
        assert any(line.strip().endswith(f"{url}/spa") for line in lines)
        with urllib.request.urlopen(f"{url}/server-rendered", timeout=5) as response:
            assert b"data-secret=\"pi_" in response.read()
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=10)
    assert process.returncode == 0 and "paykit checkout stopped" in out
