"""``paykit listen`` as a real process, a real local endpoint, Ctrl-C; and ``events resend``."""

from __future__ import annotations

import contextlib
import json
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from typing import IO

import pytest

from paykit.webhooks.listen import delivery_lines

stripe = pytest.importorskip("stripe")

CLI = [sys.executable, "-m", "paykit.cli"]


def _lines(stream: IO[str]) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _next(lines: queue.Queue[str], pattern: str, timeout: float = 10.0) -> re.Match[str]:
    while True:
        line = lines.get(timeout=timeout)
        found = re.search(pattern, line)
        if found:
            return found


def _post(url: str, fields: dict[str, str]) -> dict:
    request = urllib.request.Request(
        url, data="&".join(f"{k}={v}" for k, v in fields.items()).encode(),
        headers={"Authorization": "Bearer sk_test_123"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@contextlib.contextmanager
def _listening(*args: str) -> Iterator[tuple[subprocess.Popen[str], queue.Queue[str]]]:
    """``paykit listen ARGS --port 0`` as a process; killed if the test did not stop it."""
    process = subprocess.Popen([*CLI, "listen", *args, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield process, _lines(process.stdout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_listen_forwards_signed_events_prints_each_delivery_and_stops_on_ctrl_c(
        endpoint_factory) -> None:
    endpoint = endpoint_factory()
    with _listening("--forward-to", endpoint.url,
                    "--events", "payment_intent.created,payment_intent.succeeded"
                    ) as (process, lines):
        banner = _next(lines, r"paykit sandbox on (\S+) .*webhook endpoint (we_\w+)")
        api, endpoint_id = banner.group(1), banner.group(2)
        secret = _next(lines, r"Ready! .*signing secret is (whsec_\w+) \(\^C to quit\)").group(1)
        intent = _post(f"{api}/v1/payment_intents", {
            "amount": "1099", "currency": "usd", "payment_method": "pm_card_visa",
            "confirm": "true"})
        assert intent["status"] == "succeeded"
        sent = _next(lines, r"   --> (payment_intent\.\w+) \[(evt_\w+)\]")
        answered = _next(lines, r"  <--  \[200\] POST (\S+) \[(evt_\w+)\]")
        assert sent.group(1) == "payment_intent.created"
        assert answered.group(1) == endpoint.url and answered.group(2) == sent.group(2)
        received = endpoint.wait_for(2)
        events = [stripe.Webhook.construct_event(r.body, r.headers["Stripe-Signature"],
                                                 secret) for r in received]
        assert [e.type for e in events] == ["payment_intent.created",
                                            "payment_intent.succeeded"]  # no charge.*

        resent = subprocess.run(
            [*CLI, "events", "resend", events[1].id, "--webhook-endpoint", endpoint_id,
             "--api-base", api], capture_output=True, text=True, timeout=30, check=False)
        assert resent.returncode == 0, resent.stderr
        assert f"resent payment_intent.succeeded [{events[1].id}]" in resent.stdout
        again = endpoint.wait_for(3)[2]
        assert stripe.Webhook.construct_event(again.body, again.headers["Stripe-Signature"],
                                              secret).id == events[1].id

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        _next(lines, r"^paykit listen stopped$")


def test_resend_reports_an_unknown_event_and_exits_1(endpoint_factory) -> None:
    endpoint = endpoint_factory()
    with _listening("--forward-to", endpoint.url) as (process, lines):
        found = _next(lines, r"paykit sandbox on (\S+) .*webhook endpoint (we_\w+)")
        done = subprocess.run(
            [*CLI, "events", "resend", "evt_missing", "--webhook-endpoint", found.group(2),
             "--api-base", found.group(1)], capture_output=True, text=True, timeout=30,
            check=False)
        assert done.returncode == 1 and "No such event" in done.stderr
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_listen_refuses_a_forward_to_that_is_not_http() -> None:
    done = subprocess.run([*CLI, "listen", "--forward-to", "ftp://x", "--port", "0"],
                          capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 2 and "http(s) URL" in done.stderr


def test_a_failed_post_prints_stripe_clis_error_line() -> None:
    from paykit.webhooks.attempts import Attempt

    attempt = Attempt("evt_1", "we_1", 1, 0, 0, None, "", "Unable to connect (refused)", 1.0,
                      "automatic", ())
    lines = delivery_lines(attempt, "charge.failed", "http://x")
    assert lines[1].endswith("            [ERROR] Failed to POST: Unable to connect (refused)")


def test_listen_attaches_to_a_running_sandbox_and_removes_its_endpoint_on_exit(
        endpoint_factory) -> None:
    endpoint = endpoint_factory()
    serve = subprocess.Popen([*CLI, "serve", "--port", "0", "--quiet"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        api = _next(_lines(serve.stdout), r"listening on (\S+) ").group(1)
        with _listening("--forward-to", endpoint.url, "--api-base", api,
                        "--events", "charge.succeeded") as (process, lines):
            endpoint_id = _next(lines, r"webhook endpoint (we_\w+)").group(1)
            secret = _next(lines, r"signing secret is (whsec_\w+)").group(1)
            _post(f"{api}/v1/payment_intents", {
                "amount": "1099", "currency": "usd", "payment_method": "pm_card_visa",
                "confirm": "true"})
            sent = _next(lines, r"   --> charge\.succeeded \[(evt_\w+)\]").group(1)
            _next(lines, r"  <--  \[200\] POST ")
            (got,) = endpoint.wait_for(1)
            assert stripe.Webhook.construct_event(
                got.body, got.headers["Stripe-Signature"], secret).id == sent
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
        request = urllib.request.Request(f"{api}/v1/webhook_endpoints",
                                         headers={"Authorization": "Bearer sk_test_123"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert endpoint_id not in response.read().decode()
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=10)
        serve.stdout.close()
        serve.stderr.close()
