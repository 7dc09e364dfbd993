"""``paykit serve``: the docs' curl commands run unchanged, bad requests never stop it.

The four curl commands of https://docs.stripe.com/payments/payment-intents are kept here
as the page prints them and checked against the stored copy of that page (its French
translation, /work/shared/seeds/000_*.txt), whitespace aside; only the host changes when
they run.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import paykit
from paykit.http.server import (
    MAX_BODY_BYTES,
    SandboxServer,
    add_serve_parser,
    is_loopback,
    masked_target,
    start,
)

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
DOCS_HOST = "https://api.stripe.com"
SEED_COMMANDS = [
    """curl https://api.stripe.com/v1/payment_intents \\
 -u "sk_test_Hrs6SAopgFPF0bZXSN3f6ELN:" \\
 -d amount=1099 \\
 -d currency=usd""",
    """curl https://api.stripe.com/v1/payment_intents \\
 -u "sk_test_Hrs6SAopgFPF0bZXSN3f6ELN:" \\
 -d amount=1099 \\
 -d currency=usd \\
 -d setup_future_usage=off_session""",
    """curl https://api.stripe.com/v1/payment_intents \\
 -u "sk_test_Hrs6SAopgFPF0bZXSN3f6ELN:" \\
 -d amount=1099 \\
 -d currency=usd \\
 -d "payment_method_types[]"=card \\
 -d statement_descriptor="Custom descriptor\"""",
    """curl https://api.stripe.com/v1/payment_intents \\
 -u "sk_test_Hrs6SAopgFPF0bZXSN3f6ELN:" \\
 -d amount=1099 \\
 -d currency=usd \\
 -d "payment_method_types[]"=card \\
 -d "metadata[order_id]"=6735""",
]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _seed_blocks() -> list[str]:
    files = sorted(SEEDS.glob("000_*.txt"))
    if not files:
        pytest.skip(f"the stored copy of the payment-intents page is not at {SEEDS}")
    text = files[0].read_text(encoding="utf-8")
    blocks = re.findall(r"```\s*\n(.*?)```", text, flags=re.DOTALL)
    return [_squeeze(b) for b in blocks if b.strip().startswith("curl")]


def test_the_commands_here_are_the_seeds_commands_whitespace_aside():
    assert _seed_blocks() == [_squeeze(command) for command in SEED_COMMANDS]


def _run_curl(curl: str, command: str, url: str, tmp_path: Path) -> dict[str, Any]:
    # the shell joins continued lines; only the host changes
    argv = shlex.split(command.replace("\\\n", " ").replace(DOCS_HOST, url))
    assert argv[0] == "curl"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(HOME=str(tmp_path), CURL_HOME=str(tmp_path))  # no ~/.curlrc
    out = subprocess.run([curl, *argv[1:]], capture_output=True, text=True, timeout=20,
                         env=env, check=True)
    return json.loads(out.stdout)


def test_seed_curl_1_creates_an_intent(curl, server, tmp_path):
    pi = _run_curl(curl, SEED_COMMANDS[0], server.url, tmp_path)
    assert (pi["object"], pi["amount"], pi["currency"], pi["status"]) == (
        "payment_intent", 1099, "usd", "requires_payment_method")
    assert pi == server.sandbox.payment_intents.retrieve(pi["id"]).to_dict()


def test_seed_curl_2_sets_up_future_usage(curl, server, tmp_path):
    pi = _run_curl(curl, SEED_COMMANDS[1], server.url, tmp_path)
    assert pi["setup_future_usage"] == "off_session"


#: An API version of the page's time: payment_method_types was still a parameter, and a
#: PaymentIntent listed its charges ("A PaymentIntent can have several Charge objects").
PAGE_VERSION = "2022-08-01"


def _with_version(command: str, version: str) -> str:
    """The command with the header a learner adds: ``-H "Stripe-Version: …"``."""
    return command.replace(" -u ", f' -H "Stripe-Version: {version}" \\\n -u ', 1)


@pytest.mark.parametrize("command", [2, 3])
def test_seed_curls_3_and_4_are_refused_by_todays_api(curl, server, tmp_path, command):
    answer = _run_curl(curl, SEED_COMMANDS[command], server.url, tmp_path)
    assert answer["error"]["code"] == "payment_method_types_no_longer_supported"
    assert answer["error"]["param"] == "payment_method_types"


def test_seed_curl_3_on_the_pages_version_meets_the_2024_card_rule(curl, server, tmp_path):
    # the version lets payment_method_types through; the platform change of 2 January
    # 2024 refuses statement_descriptor on a card payment whatever the version
    answer = _run_curl(curl, _with_version(SEED_COMMANDS[2], PAGE_VERSION), server.url,
                       tmp_path)
    assert answer["error"]["param"] == "statement_descriptor"
    assert "statement_descriptor_suffix" in answer["error"]["message"]


def test_seed_curl_3_works_in_the_time_the_docs_were_written_for(curl, tmp_path):
    # Stripe refuses it on card payments since 2 January 2024, whatever the API version:
    # a sandbox whose clock is in 2023 still accepts it (paykit.api_versions)
    with start(paykit.Sandbox(seed=0, api_version="2023-08-16",
                              start=1_704_024_000)) as server:
        pi = _run_curl(curl, SEED_COMMANDS[2], server.url, tmp_path)
    assert pi["statement_descriptor"] == "Custom descriptor"
    assert pi["payment_method_types"] == ["card"]


def test_seed_curl_4_on_the_pages_version_stores_the_order_id(curl, server, tmp_path):
    pi = _run_curl(curl, _with_version(SEED_COMMANDS[3], PAGE_VERSION), server.url, tmp_path)
    assert pi["metadata"] == {"order_id": "6735"}
    assert pi["payment_method_types"] == ["card"]
    # that version's intent: its list of charges, and no capture_method automatic_async
    assert pi["charges"] == {"object": "list", "data": [], "has_more": False,
                             "total_count": 0, "url": f"/v1/charges?payment_intent={pi['id']}"}
    assert pi["capture_method"] == "automatic"


def test_curl_sees_401_and_404_as_stripe_json(curl, server, tmp_path):
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    out = subprocess.run([curl, "-s", "-w", "\n%{http_code}", f"{server.url}/v1/events"],
                         capture_output=True, text=True, timeout=20, env=env, check=True)
    body, status = out.stdout.rsplit("\n", 1)
    assert status == "401" and json.loads(body)["error"]["type"] == "invalid_request_error"


# -- raw HTTP: what curl and the SDK never send, the server still survives -------------------


def _raw(server: SandboxServer, data: bytes) -> tuple[int, bytes]:
    """Send raw bytes, read the answer until the server closes or answers in full."""
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(data)
        answer = b""
        while True:
            try:
                chunk = conn.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
            head, sep, body = answer.partition(b"\r\n\r\n")
            length = re.search(rb"Content-Length: (\d+)", head)
            if sep and length and len(body) >= int(length[1]):
                break
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2]


def _still_serving(server: SandboxServer) -> None:
    request = urllib.request.Request(f"{server.url}/v1/test_helpers/clock",
                                     headers={"Authorization": "Bearer sk_test_1"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["object"] == "sandbox_clock"


@pytest.mark.parametrize("data, status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /v1/events HTTP/9.9\r\n\r\n", 505),
    (b"BREW /v1/events HTTP/1.1\r\nHost: x\r\n\r\n", 501),
    (b"GET /v1/events HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    (b"POST /v1/payment_intents HTTP/1.1\r\nContent-Length: ten\r\n\r\n", 400),
    (b"POST /v1/payment_intents HTTP/1.1\r\nContent-Length: %d\r\n\r\n"
     % (MAX_BODY_BYTES + 1), 413),
])
def test_protocol_errors_are_stripe_json_and_the_server_keeps_serving(server, data, status):
    answered, body = _raw(server, data)
    assert answered == status
    assert json.loads(body)["error"]["type"] == "invalid_request_error"
    _still_serving(server)


def test_a_client_that_vanishes_mid_body_does_not_stop_the_server(server):
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(b"POST /v1/payment_intents HTTP/1.1\r\nContent-Length: 100\r\n\r\nam")
    _still_serving(server)


def test_a_body_at_the_limit_is_read_and_judged_by_the_rules(server):
    padding = "x" * (MAX_BODY_BYTES - 100)
    body = f"amount=1099&currency=usd&description={padding}".encode()[:MAX_BODY_BYTES]
    request = urllib.request.Request(f"{server.url}/v1/payment_intents", data=body,
                                     headers={"Authorization": "Bearer sk_test_1"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=20)
    assert caught.value.code == 400
    assert json.loads(caught.value.read())["error"]["param"] == "description"
    caught.value.close()
    _still_serving(server)


def test_keep_alive_serves_many_requests_on_one_connection(server):
    import http.client

    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        for _ in range(5):
            conn.request("POST", "/v1/payment_intents", body="amount=1099&currency=usd",
                         headers={"Authorization": "Bearer sk_test_1",
                                  "Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            assert response.status == 200
            response.read()
    finally:
        conn.close()
    assert len(server.sandbox.payment_intents.list()) == 5


def test_head_answers_as_get_without_the_body(server):
    auth = b"Authorization: Bearer sk_test_1\r\n"
    status, get_body = _raw(server, b"GET /v1/events HTTP/1.1\r\nHost: x\r\n" + auth +
                            b"Connection: close\r\n\r\n")
    head = _exchange(server, b"HEAD /v1/events HTTP/1.1\r\nHost: x\r\n" + auth +
                     b"Connection: close\r\n\r\n")
    assert status == head.status == 200 and head.body == b""
    assert int(head.headers["content-length"]) == len(get_body)


# -- hostile HTTP: each answered with Stripe's error JSON and a Request-Id --------------------


class _Answer:
    def __init__(self, raw: bytes) -> None:
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("iso-8859-1").split("\r\n")
        self.status_line = lines[0]
        self.status = int(lines[0].split(" ", 2)[1])
        self.headers = {k.lower(): v.strip() for k, _, v in
                        (line.partition(":") for line in lines[1:])}
        self.raw = raw


def _exchange(server: SandboxServer, data: bytes) -> _Answer:
    """Send raw bytes; the whole answer, read until the server closes the connection."""
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(data)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return _Answer(answer)


_AUTH = b"Authorization: Bearer sk_test_1\r\nConnection: close\r\n"
_FORM = b"amount=1099&currency=usd"


@pytest.mark.parametrize("data, status, words", [
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nContent-Length: \xb2\r\n\r\nx",
                 400, "Content-Length", id="content-length-superscript-two"),
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nContent-Length: 24\r\n"
                 b"Content-Length: 3\r\n\r\n" + _FORM, 400, "Content-Length",
                 id="two-different-content-lengths"),
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nContent-Length: 24, 3\r\n\r\n" +
                 _FORM, 400, "Content-Length", id="a-content-length-list"),
    pytest.param(b"GET /v1/events\r\n\r\n", 400, "HTTP version", id="no-http-version"),
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nContent-Length: 24\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n" + _FORM, 400, "Transfer-Encoding",
                 id="content-length-and-chunked"),
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
                 501, "chunked", id="an-unknown-transfer-coding"),
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"zz\r\nabc\r\n0\r\n\r\n", 400, "chunk size", id="a-bad-chunk-size"),
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"3\r\nabcXY0\r\n\r\n", 400, "CRLF", id="a-chunk-longer-than-its-size"),
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                 + b"%x\r\n" % (MAX_BODY_BYTES + 1), 413, "bytes", id="a-chunk-too-large"),
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nIdempotency-Key: abc\r\n"
                 b" \r\nX-Evil: 1\r\nContent-Length: 24\r\n\r\n" + _FORM, 400, "folded",
                 id="a-folded-idempotency-key"),
    pytest.param(b"GET /v1/events HTTP/1.1\r\nHost : x\r\n\r\n", 400, "header line",
                 id="a-space-before-the-colon"),
    pytest.param(b"GET /v1/events HTTP/1.1\r\nno colon here\r\nHost: x\r\n\r\n", 400,
                 "header line", id="a-header-line-without-a-colon"),
    pytest.param(b"GARBAGE\r\n\r\n", 400, "request", id="one-word"),
    pytest.param(b"POST /v1/payment_intents HTTP/1.1\r\nContent-Length: %d\r\n\r\n"
                 % (MAX_BODY_BYTES + 1), 413, "bytes", id="too-large"),
])
def test_a_hostile_request_gets_stripe_json_a_request_id_and_the_server_goes_on(
        server, data, status, words):
    answer = _exchange(server, data)
    assert answer.status_line.startswith("HTTP/1.") and answer.status == status
    assert answer.headers["request-id"].startswith("req_")
    assert answer.headers["connection"] == "close"
    error = json.loads(answer.body)["error"]
    assert error["type"] == "invalid_request_error" and words in error["message"]
    _still_serving(server)


def test_a_folded_idempotency_key_is_never_echoed_raw(server):
    answer = _exchange(server, b"POST /v1/payment_intents HTTP/1.1\r\n" + _AUTH +
                       b"Idempotency-Key: abc\r\n X-Evil: 1\r\nContent-Length: 24\r\n\r\n" +
                       _FORM)
    assert answer.status == 400 and b"X-Evil" not in answer.raw.partition(b"\r\n\r\n")[0]
    assert len(server.sandbox.payment_intents.list()) == 0


def test_an_unprintable_idempotency_key_is_not_echoed_by_the_route_table(sandbox):
    from paykit.http.routes import handle

    status, headers, _ = handle(sandbox, "POST", "/v1/payment_intents", "",
                                {"Authorization": "Bearer sk_test_1",
                                 "Idempotency-Key": "abc\r\nX-Evil: 1"}, _FORM)
    assert status == 200 and "Idempotency-Key" not in headers
    status, headers, _ = handle(sandbox, "POST", "/v1/payment_intents", "",
                                {"Authorization": "Bearer sk_test_1",
                                 "Idempotency-Key": "order-6735"}, _FORM)
    assert headers["Idempotency-Key"] == "order-6735"


def test_a_chunked_body_is_decoded_and_the_connection_kept(server):
    import http.client

    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        for _ in range(2):
            conn.request("POST", "/v1/payment_intents", body=iter([b"amount=10", b"99&",
                                                                   b"currency=usd"]),
                         headers={"Authorization": "Bearer sk_test_1"}, encode_chunked=True)
            response = conn.getresponse()
            assert response.status == 200 and response.headers["Request-Id"]
            assert json.loads(response.read())["amount"] == 1099
    finally:
        conn.close()
    assert len(server.sandbox.payment_intents.list()) == 2


def test_a_chunked_body_with_extensions_and_trailers_is_read(server):
    answer = _exchange(server, b"POST /v1/payment_intents HTTP/1.1\r\n" + _AUTH +
                       b"Transfer-Encoding: chunked\r\n\r\n"
                       b"c;name=value\r\namount=1099&\r\nc\r\ncurrency=usd\r\n0\r\n"
                       b"X-Trailer: 1\r\n\r\n")
    assert answer.status == 200 and json.loads(answer.body)["currency"] == "usd"


def test_the_same_content_length_twice_is_one_length(server):
    answer = _exchange(server, b"POST /v1/payment_intents HTTP/1.1\r\n" + _AUTH +
                       b"Content-Length: 24\r\nContent-Length: 24\r\n\r\n" + _FORM)
    assert answer.status == 200


def test_a_limit_in_unicode_digits_is_a_400_naming_limit(server):
    answer = _exchange(server, b"GET /v1/events?limit=%C2%B2 HTTP/1.1\r\n" + _AUTH +
                       b"\r\n")
    assert answer.status == 400 and json.loads(answer.body)["error"]["param"] == "limit"


# -- logging, binding, stopping ---------------------------------------------------------------


def test_each_request_is_logged_with_its_secrets_masked(server, caplog):
    pi = server.sandbox.payment_intents.create(amount=1099, currency="usd")
    key = "sk_test_Hrs6SAopgFPF0bZXSN3f6ELN"
    url = f"{server.url}/v1/payment_intents/{pi.id}?client_secret={pi.client_secret}"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    with caplog.at_level(logging.INFO, logger="paykit.http"), \
            urllib.request.urlopen(request, timeout=10) as response:
        response.read()
        request_id = response.headers["Request-Id"]
    line = next(r.getMessage() for r in caplog.records if pi.id in r.getMessage())
    assert f'"GET /v1/payment_intents/{pi.id}?client_secret={pi.id}_secret_****"' in line
    assert " 200 " in line and "key=sk_test_" in line
    assert line.endswith(f"6ELN {request_id}") and request_id.startswith("req_")
    assert pi.client_secret not in caplog.text and key not in caplog.text


def test_a_percent_encoded_client_secret_is_logged_masked(server, caplog):
    pi = server.sandbox.payment_intents.create(amount=1099, currency="usd")
    encoded = pi.client_secret.replace("_", "%5F")
    url = f"{server.url}/v1/payment_intents/{pi.id}?client_secret={encoded}"
    request = urllib.request.Request(url, headers={"Authorization": "Bearer sk_test_1"})
    with caplog.at_level(logging.DEBUG, logger="paykit.http"), \
            urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    secret_part = pi.client_secret.rpartition("_")[2]
    assert secret_part not in caplog.text and f"{pi.id}_secret_****" in caplog.text


def test_masked_target_hides_client_secrets_and_keys():
    assert masked_target("/v1/x?client_secret=pi_1_secret_abcDEF&k=sk_test_abcdefgh") == (
        "/v1/x?client_secret=pi_1_secret_****&k=sk_test_****efgh")


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("192.168.1.10", False), ("::", False), ("example.com", False),
])
def test_only_loopback_addresses_count_as_local(host, loopback):
    assert is_loopback(host) is loopback


def test_the_server_refuses_a_non_loopback_address_without_allow_remote():
    with pytest.raises(ValueError, match="loopback"):
        SandboxServer(("0.0.0.0", 0), paykit.Sandbox())


def test_allow_remote_binds_any_address():
    server = SandboxServer(("0.0.0.0", 0), paykit.Sandbox(), allow_remote=True)
    server.stop()


def _serve_process(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "paykit.http.server", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_command_refuses_a_non_loopback_host():
    process = _serve_process("--host", "0.0.0.0", "--port", "0")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "--allow-remote" in err


def test_the_command_reports_a_busy_port():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        process = _serve_process("--port", str(busy.getsockname()[1]))
        _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and "paykit serve:" in err


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_command_serves_then_stops_cleanly_on_ctrl_c(curl, stop, tmp_path):
    process = _serve_process("--port", "0", "--seed", "7")
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", banner)
        assert url, banner
        env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
        out = subprocess.run([curl, "-s", f"{url[0]}/v1/payment_intents", "-u",
                              "sk_test_123:", "-d", "amount=1099", "-d", "currency=usd"],
                             capture_output=True, text=True, timeout=20, env=env, check=True)
        assert json.loads(out.stdout)["status"] == "requires_payment_method"
        process.send_signal(stop)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "paykit sandbox stopped" in out
    assert "Traceback" not in err
    assert '"POST /v1/payment_intents" 200' in err


def test_add_serve_parser_plugs_serve_into_a_paykit_command():
    import argparse

    parser = argparse.ArgumentParser(prog="paykit")
    add_serve_parser(parser.add_subparsers(dest="command"))  # as paykit.cli will
    args = parser.parse_args(["serve", "--port", "0", "--key", "sk_test_1"])
    assert (args.command, args.port, args.host, args.key) == ("serve", 0, "127.0.0.1",
                                                             ["sk_test_1"])
    assert args.handler(argparse.Namespace(**{**vars(args), "host": "0.0.0.0",
                                                     "quiet": True})) == 2


def test_stop_frees_the_port_and_joins_connection_threads(sandbox):
    import http.client
    import threading

    server = start(sandbox)
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/v1/events", headers={"Authorization": "Bearer sk_test_1"})
    conn.getresponse().read()  # the connection stays open (keep-alive)
    server.stop()
    conn.close()
    assert not any(t.name.startswith(f"paykit-serve-{port}") and t.is_alive()
                   for t in threading.enumerate())
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind((host, port))
