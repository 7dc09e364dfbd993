"""The checkout opened through the Jupyter server, as a learner opens it in JupyterLab or
on Binder: ``<jupyter>/proxy/<port>/`` (jupyter-server-proxy, the ``notebooks`` extra).

The checkout runs over a sandbox this test holds; Chromium logs in to JupyterLab with its
token, opens the single-page checkout at the proxy path, pays with 3D Secure, and the
sandbox shows the payment. Every URL the page uses is relative, so the script, the
``secret`` endpoint and the API calls all go through the proxy too.
"""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest
from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS
from jupyter_support import Lab

import paykit
from paykit.checkout.command import start

pytestmark = pytest.mark.browser


def test_the_checkout_pays_through_the_jupyter_servers_proxy(jupyterlab: Lab) -> None:
    from playwright.sync_api import sync_playwright

    shots = ARTIFACTS / "checkout"
    shots.mkdir(parents=True, exist_ok=True)
    sb = paykit.Sandbox(seed=0)
    with start(sb) as server, sync_playwright() as playwright:
        port = server.server_address[1]
        base = f"{jupyterlab.url}/proxy/{port}"
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_FLAGS, timeout=60_000)
        try:
            page: Any = browser.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{base}/spa?token={jupyterlab.token}")  # the token sets the cookie
            page.locator("input[name=cardnumber]").fill("4000002760003184")
            page.locator("input[name=exp-date]").fill("12 / 34")
            page.locator("input[name=cvc]").fill("123")
            page.locator("#submit").click()
            page.locator("#test-source-authorize-3ds").click()
            page.locator("#result[data-outcome=succeeded]").wait_for()
            page.screenshot(path=str(shots / "proxy-spa-3ds-complete.png"))
            api_base = page.evaluate("() => Stripe.paykit.apiBase")
        finally:
            browser.close()
    assert api_base == base  # the stand-in talked to the API through the proxy
    intents = sb.payment_intents.list(limit=None).data
    assert [i.status for i in intents] == ["succeeded"]
    assert "payment_intent.succeeded" in [e.type for e in sb.events.list(limit=None).data]


def test_the_proxy_needs_the_jupyter_login(jupyterlab: Lab) -> None:
    """Without the token the proxy refuses: the checkout is not open to anyone else."""
    sb = paykit.Sandbox(seed=0)
    with start(sb) as server:
        url = f"{jupyterlab.url}/proxy/{server.server_address[1]}/secret"
        with urllib.request.urlopen(url, timeout=10) as response:  # follows to the login
            landed, body = response.url, response.read()
    assert "/login" in landed and b"client_secret" not in body
    assert sb.payment_intents.list(limit=None).data == []
