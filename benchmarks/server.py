"""``paykit serve`` under load, this tree against the server before issue 17, in one run.

    python benchmarks/server.py [--base 1593e0a] [--requests 2400] [--objects 1000 100000]

The base commit's ``paykit/`` is extracted (``git archive``) into a temporary folder, and
each tree serves from a child process of its own (``PYTHONPATH`` picks the tree), while
this process plays the clients with the same code for both: the two servers run side by
side and are measured in turn, in alternating order, the best round of each counting
(on a shared machine the slow rounds measure the neighbours). Each child holds a
sandbox of N paid PaymentIntents (N intents, N charges, 3N events). Measured per tree:

- clients: 1, 8 and 64 clients released at the same instant, each on a connection of its
  own (connecting is part of its first request), alternating create (POST) and retrieve
  (GET) of a PaymentIntent: requests per second, p50 / p99 / max latency, the CPU
  time the server process spent per request (Linux; other load moves it less than
  requests per second, but still by a tenth or two), and the time the server waited for
  a CPU other load held. The clients are driven by an event loop in each of up to two
  processes (64 client threads would measure their own GIL more than the server). A
  request that gets no answer within ``--timeout`` seconds counts as a failure at that
  latency.
- objects: fresh servers of every N, all serving at once (the client counts' servers
  have grown by then): the latency of retrieving one PaymentIntent while a second client
  (a process of its own) lists ``GET /v1/charges?limit=1`` and ``GET /v1/events?limit=1``
  in a loop (the issue's case: a list that builds every object holds the sandbox's lock
  while a retrieve waits), and the latency of each list alone. This tree's sizes are
  timed together in ``--rounds`` rounds, taking turns 20 retrieves at a time (one server
  and its lister busy at a time): a sub-millisecond retrieve's latency is mostly how soon
  the machine runs the server, so sizes timed apart (even seconds apart) measured the
  neighbours. The base's sizes are timed once, with a tenth as many retrieves (its
  lists take seconds each at 100k, holding a CPU).
  ``/v1/payment_intents?limit=1`` is shown too: its list lives in ``paykit/intents.py``,
  outside this change.

Goals (issue 17): no request above 2 s at 64 clients; retrieve at 100k objects within 2x
of retrieve at 1k; throughput at 64 clients at least that at 8. Timings on a shared VM
swing by tens of per cent from minute to minute: compare the two trees of one run.

Six runs of 2026-12-02 (2 cores shared with other sessions, Python 3.11), ``--pin
--requests 4800 --rounds 6``, 1-minute load average before each 2.4, 3.1, 4.2, 2.8, 2.1,
1.5: max latency at 64 clients 22, 55, 30, 38, 33, 40 ms (base 10 s, requests
given up); retrieve p50 at 100k / at 1k objects, median of the rounds' own ratios,
1.05x, 0.98x, 0.94x, 1.03x, 1.01x, 0.91x (single rounds 0.75x to 1.41x; before the
sizes took turns: 0.68x, 2.41x, 0.81x, 0.74x); req/s at 64 clients / at 8, median of
the rounds' own ratios, 1.02x, 1.31x, 1.19x, 1.17x, 0.90x, 1.08x (single rounds 0.53x
to 4.74x), server CPU per request at 64 / at 8 0.96x, 0.90x, 1.03x, 0.96x, 0.96x,
0.99x. The server is CPU-bound at 8 clients already (req/s times CPU per request 0.93
to 0.98, but 0.73 and 0.63 in the two busiest runs), so 64 can gain no more than the few
per cent it idles at 8; beside these runs the pinned server waited for its CPU up to
1.3 s of a 1 to 2 s run while other load held it, and its CPU per request at 8 clients
ranged from 169 to 223 us between runs: a ratio near 1 whose rounds swing with the
neighbours. Without ``--pin`` the client processes take the server's CPU on a 2-core
machine.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import re
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "1593e0a"  # main before issue 17
AUTH = {"Authorization": "Bearer sk_test_benchmark"}
FORM = {**AUTH, "Content-Type": "application/x-www-form-urlencoded"}
CLIENT_COUNTS = (1, 8, 64)
CLIENT_PROCESSES = 2
GOAL_MAX_SECONDS = 2.0
LISTS = (("charges", "/v1/charges?limit=1"), ("events", "/v1/events?limit=1"),
         ("intents", "/v1/payment_intents?limit=1"))


# -- the child: one tree's server ----------------------------------------------------------


def _pin(cpu: int | None) -> None:
    """Keep this process on one CPU (``--pin``); Linux only, a no-op elsewhere."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


def _serve(objects: int, cpu: int | None) -> None:
    """Runs in a child whose ``sys.path`` starts with one tree; serves until stdin closes."""
    import logging

    _pin(cpu)
    import paykit
    from paykit.http.server import start

    logging.getLogger("paykit.http").setLevel(logging.WARNING)
    sb = paykit.Sandbox(seed=0)
    create = sb.payment_intents.create
    first = None
    for _ in range(objects):
        pi = create(amount=1099, currency="usd", payment_method="pm_card_visa", confirm=True)
        first = first or pi.id
    server = start(sb)
    print(json.dumps({"url": server.url, "intent": first, "file": paykit.__file__}),
          flush=True)
    sys.stdin.read()  # the parent closes it when done
    server.stop()


class _Server:
    """A child process serving one tree with ``objects`` paid intents."""

    def __init__(self, tree: Path, objects: int, cpu: int | None) -> None:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        pin = [] if cpu is None else ["--serve-cpu", str(cpu)]
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--objects", str(objects), *pin],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=tree)
        self.file = self.intent = self.host = ""
        self.port = 0

    def ready(self) -> _Server:
        """Wait until the child has filled its sandbox and listens."""
        assert self.process.stdout is not None
        info = json.loads(self.process.stdout.readline())
        self.file, self.intent = info["file"], info["intent"]
        parts = urlsplit(info["url"])
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 0
        return self

    def cpu_seconds(self) -> float:
        """CPU time the server's process has used (Linux ``/proc``; 0 elsewhere)."""
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:
            return 0.0
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def waited_seconds(self) -> float:
        """Time the server's threads were ready to run but waited for a CPU, summed
        (Linux ``/proc/<pid>/task/*/schedstat``, https://docs.kernel.org/scheduler/
        sched-stats.html; 0 elsewhere): what other load on the machine took from it.
        Meaningful for one serving thread (this tree's loop), not for a thread per
        connection, whose waits overlap and whose ended threads leave no figure.
        """
        total = 0
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                total += int((task / "schedstat").read_text().split()[1])
        return total / 1e9

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- the clients ------------------------------------------------------------------------------


def _request(conn: http.client.HTTPConnection, method: str, path: str,
             body: str | None = None) -> None:
    conn.request(method, path, body=body, headers=FORM if body else AUTH)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{method} {path}: {response.status}")


class _Client:
    """One client connection driven by ``_client_process``'s event loop: it sends its
    requests (written out once) one at a time and times each answer. An event loop
    rather than threads: 64 client threads would measure their own GIL, not the server.
    """

    _LENGTH = re.compile(rb"(?i)content-length: *(\d+)")

    def __init__(self, address: tuple[str, int], requests: tuple[bytes, ...],
                 count: int) -> None:
        self.address, self.requests, self.left = address, requests, count
        self.sent = 0
        self.sock: socket.socket | None = None
        self.received = b""
        self.started = 0.0

    def connect(self, selector: selectors.BaseSelector) -> None:
        self.sock = socket.socket()
        self.sock.setblocking(False)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        self.sock.connect_ex(self.address)
        selector.register(self.sock, selectors.EVENT_WRITE, self)

    def send(self, selector: selectors.BaseSelector) -> None:
        """Send the next request (connecting is part of the first one's time)."""
        assert self.sock is not None
        self.received = b""
        self.sock.send(self.requests[self.sent % len(self.requests)])
        self.sent += 1
        selector.modify(self.sock, selectors.EVENT_READ, self)

    def answered(self) -> bool | None:
        """Whether the whole answer is here: ``None`` if it is not yet, else whether 200."""
        assert self.sock is not None
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("closed by the server")
        self.received += chunk
        head, sep, body = self.received.partition(b"\r\n\r\n")
        length = self._LENGTH.search(head) if sep else None
        if not sep or (length and len(body) < int(length[1])):
            return None
        return head.startswith(b"HTTP/1.1 200")

    def close(self, selector: selectors.BaseSelector) -> None:
        if self.sock is not None:
            with contextlib.suppress(KeyError, ValueError):
                selector.unregister(self.sock)
            self.sock.close()
            self.sock = None


def _client_process(host: str, port: int, intent: str, connections: int, each: int,
                    timeout: float, barrier: Any, results: Any, cpu: int | None) -> None:
    """``connections`` clients in one process, ``each`` requests on each."""
    _pin(cpu)
    auth = "Authorization: Bearer sk_test_benchmark\r\nHost: paykit\r\n"
    body = "amount=1099&currency=usd"
    requests = (
        (f"POST /v1/payment_intents HTTP/1.1\r\n{auth}Content-Type: "
         f"application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
         f"{body}").encode(),
        f"GET /v1/payment_intents/{intent} HTTP/1.1\r\n{auth}\r\n".encode(),
    )
    selector = selectors.DefaultSelector()
    clients = [_Client((host, port), requests, each) for _ in range(connections)]
    latencies: list[float] = []
    failures = 0
    barrier.wait()  # every process is ready: all clients connect at the same instant
    now = time.perf_counter()
    for client in clients:
        client.started = now
        client.connect(selector)
    busy, next_check = len(clients), 0.0
    while busy:
        for key, events in selector.select(timeout=0.05):
            client = key.data
            try:
                if events & selectors.EVENT_WRITE:
                    client.send(selector)
                    continue
                done = client.answered()
                if done is None:
                    continue
                if not done:
                    failures += 1
            except OSError:
                failures += 1
                client.close(selector)
            now = time.perf_counter()
            latencies.append(now - client.started)
            client.left -= 1
            client.started = now
            if client.left == 0:
                client.close(selector)
                busy -= 1
            elif client.sock is None:
                client.connect(selector)
            else:
                client.send(selector)
        now = time.perf_counter()
        if now < next_check:
            continue
        next_check = now + 0.05
        for client in clients:  # no answer in time: a failure at that latency
            if client.left and now - client.started > timeout:
                failures += 1
                latencies.append(now - client.started)
                client.close(selector)
                client.left -= 1
                client.started = now
                if client.left:
                    client.connect(selector)
                else:
                    busy -= 1
    results.put((latencies, failures, time.perf_counter()))


def _clients(server: _Server, clients: int, total: int, timeout: float,
             cpu: int | None = None) -> dict[str, Any]:
    """``clients`` connections released at once, ``total`` requests between them.

    The clients run in up to ``CLIENT_PROCESSES`` processes, an event loop in each (all
    on CPU ``cpu`` when given: ``--pin``).
    """
    processes = min(clients, CLIENT_PROCESSES)
    each = max(2, total // clients)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes + 1)
    results = context.Queue()
    children = [context.Process(target=_client_process, args=(
        server.host, server.port, server.intent, clients // processes, each, timeout,
        barrier, results, cpu)) for _ in range(processes)]
    for child in children:
        child.start()
    barrier.wait()
    started, cpu, waited = time.perf_counter(), server.cpu_seconds(), server.waited_seconds()
    finished = [results.get() for _ in children]
    cpu, waited = server.cpu_seconds() - cpu, server.waited_seconds() - waited
    for child in children:
        child.join()
    wall = max(done for _, _, done in finished) - started
    latencies = [latency for mine, _, _ in finished for latency in mine]
    return {"rate": len(latencies) / wall, "own": len(latencies) / max(wall - waited, 1e-9),
            **_spread(latencies),
            "failures": sum(failed for _, failed, _ in finished),
            "cpu": cpu / len(latencies)}


def _spread(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {"p50": statistics.median(ordered),
            "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
            "max": ordered[-1]}


def _alone(server: _Server, path: str, count: int, timeout: float) -> float:
    """Median latency of ``path``, one request at a time."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    _request(conn, "GET", path)  # warm: the first list catches its index up
    times = []
    for _ in range(count):
        started = time.perf_counter()
        _request(conn, "GET", path)
        times.append(time.perf_counter() - started)
    conn.close()
    return statistics.median(times)


def _lister(host: str, port: int, timeout: float, go: Any, stop: Any,
            cpu: int | None) -> None:
    """Lists charges and events (limit=1) in a loop while ``go`` is set, until ``stop``
    is (a process of its own: a thread beside the timed retrieves would share their GIL)."""
    _pin(cpu)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    while not stop.is_set():
        if go.wait(0.05):
            _request(conn, "GET", "/v1/charges?limit=1")
            _request(conn, "GET", "/v1/events?limit=1")
    conn.close()


def _retrieve_beside_lists(servers: list[_Server], count: int, timeout: float,
                           cpu: int | None, block: int = 20) -> list[list[float]]:
    """Retrieve latencies while another client lists charges and events in a loop, for
    each server: the servers take turns ``block`` retrieves at a time (in alternating
    order), one server and its lister busy at a time, so that a busy moment on the
    machine falls on every server alike.
    """
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    goes = [context.Event() for _ in servers]
    listers = [context.Process(target=_lister, args=(server.host, server.port, timeout, go,
                                                     stop, cpu))
               for server, go in zip(servers, goes, strict=True)]
    for lister in listers:
        lister.start()
    try:
        conns = [http.client.HTTPConnection(server.host, server.port, timeout=timeout)
                 for server in servers]
        paths = [f"/v1/payment_intents/{server.intent}" for server in servers]
        times: list[list[float]] = [[] for _ in servers]
        order = list(range(len(servers)))
        for done in range(0, count, block):
            order.reverse()
            for index in order:
                goes[index].set()
                _request(conns[index], "GET", paths[index])  # the lister has started
                for _ in range(min(block, count - done)):
                    started = time.perf_counter()
                    _request(conns[index], "GET", paths[index])
                    times[index].append(time.perf_counter() - started)
                goes[index].clear()
        for conn in conns:
            conn.close()
    finally:
        stop.set()
        for lister in listers:
            lister.join()
    return times


def _measure_clients(trees: dict[str, Path], args: argparse.Namespace,
                     runs: dict[str, dict[str, Any]]) -> None:
    """The client counts against servers of ``--objects``' first size, best round kept."""
    cpu = args.cpus[1] if args.pin else None
    starting = {name: _Server(tree, args.objects[0], args.cpus[0] if args.pin else None)
                for name, tree in trees.items()}
    try:
        servers = {name: server.ready() for name, server in starting.items()}
        for index in range(args.rounds):
            # the trees and the client counts in alternating orders: a sandbox grows with
            # each step, and its later steps must not always be 64's
            step = 1 if index % 2 == 0 else -1
            for clients in CLIENT_COUNTS[::step]:
                for name in list(servers)[::step]:
                    run = _clients(servers[name], clients, args.requests, args.timeout, cpu)
                    runs[name]["rounds"].setdefault(clients, []).append(run["rate"])
                    runs[name]["own"].setdefault(clients, []).append(run["own"])
                    best = runs[name]["clients"].get(clients)
                    if best is None or run["rate"] > best["rate"]:
                        runs[name]["clients"][clients] = run
    finally:
        for server in starting.values():
            server.close()


def _measure_objects(trees: dict[str, Path], args: argparse.Namespace,
                     runs: dict[str, dict[str, Any]]) -> None:
    """Retrieve and list latencies at each size, on fresh servers of every size serving
    at once; this tree's sizes timed together in rounds (see the module docstring)."""
    cpu = args.cpus[1] if args.pin else None
    starting = {(name, objects): _Server(tree, objects, args.cpus[0] if args.pin else None)
                for objects in args.objects for name, tree in trees.items()}
    try:
        servers = {key: server.ready() for key, server in starting.items()}
        _pin(cpu)  # this process times the retrieves: beside the clients, off the servers'
        for (name, objects), server in servers.items():
            runs[name]["file"] = server.file
            runs[name]["objects"][objects] = {what: _alone(server, path, 20, args.timeout)
                                              for what, path in LISTS}  # warms the indexes
            runs[name]["objects"][objects]["retrieves"] = []
        for objects in args.objects:  # the base once, a tenth as many: each waits a list
            times = _retrieve_beside_lists([servers["base", objects]],
                                           max(1, args.retrieves // 10), args.timeout, cpu)
            runs["base"]["objects"][objects]["retrieves"].extend(times)
        for index in range(args.rounds):
            sizes = args.objects[::1 if index % 2 == 0 else -1]
            times = _retrieve_beside_lists([servers["head", objects] for objects in sizes],
                                           args.retrieves, args.timeout, cpu)
            for objects, mine in zip(sizes, times, strict=True):
                runs["head"]["objects"][objects]["retrieves"].append(mine)
    finally:
        for server in starting.values():
            server.close()


def _measure(trees: dict[str, Path], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Both trees served side by side: the client counts, then the sandbox sizes."""
    runs: dict[str, dict[str, Any]] = {
        name: {"clients": {}, "rounds": {}, "own": {}, "objects": {}} for name in trees}
    _measure_clients(trees, args, runs)
    _measure_objects(trees, args, runs)
    return runs


# -- the report ----------------------------------------------------------------------------


def _extract(rev: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "paykit"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def _listed(ratios: list[float]) -> str:
    return " ".join(f"{ratio:.2f}" for ratio in ratios)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f}"


def _report(runs: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    print(f"paykit serve: HEAD against {args.base}, {args.requests:,} requests per client "
          f"count, best of {args.rounds} rounds, timeout {args.timeout:g} s"
          + (f", servers on CPU {args.cpus[0]}, clients on CPU {args.cpus[1]}" if args.pin
             else ""))
    print(f"{'clients':<10}{'tree':<6}{'req/s':>9}{'p50 ms':>10}{'p99 ms':>10}"
          f"{'max ms':>11}{'failed':>8}{'server CPU us/req':>19}")
    for clients in CLIENT_COUNTS:
        for name in ("head", "base"):
            r = runs[name]["clients"][clients]
            print(f"{clients:<10}{name:<6}{r['rate']:>9,.0f}{_ms(r['p50']):>10}"
                  f"{_ms(r['p99']):>10}{_ms(r['max']):>11}{r['failures']:>8}"
                  f"{r['cpu'] * 1e6:>19,.0f}")
    print(f"\nretrieve beside a client listing charges and events (limit=1), head: "
          f"{args.rounds} rounds of {args.retrieves}, base: 1 of "
          f"{max(1, args.retrieves // 10)}; lists alone")
    print(f"{'objects':<10}{'tree':<6}{'retrieve p50':>13}{'p99':>9}{'max':>10}"
          f"{'charges':>10}{'events':>9}{'intents':>9}   (ms)")
    for objects in args.objects:
        for name in ("head", "base"):
            r = runs[name]["objects"][objects]
            retrieve = _spread([t for times in r["retrieves"] for t in times])
            print(f"{objects:<10,}{name:<6}{_ms(retrieve['p50']):>13}"
                  f"{_ms(retrieve['p99']):>9}{_ms(retrieve['max']):>10}"
                  f"{_ms(r['charges']):>10}{_ms(r['events']):>9}{_ms(r['intents']):>9}")
    head = runs["head"]
    small, large = args.objects[0], args.objects[-1]
    worst = head["clients"][64]["max"]
    # each round's large against the same round's small, as for the client counts
    sizes = [statistics.median(a) / statistics.median(b) for a, b in zip(
        head["objects"][large]["retrieves"], head["objects"][small]["retrieves"], strict=True)]
    ratio = statistics.median(sizes)
    rates = head["clients"][64]["rate"] / head["clients"][8]["rate"]
    # each round's 64 against the same round's 8: what the neighbours move, they move for both
    rounds = [a / b for a, b in zip(head["rounds"][64], head["rounds"][8], strict=True)]
    paired = statistics.median(rounds)
    # the same with the time the loop waited for a CPU (other load) taken out of each run
    owns = [a / b for a, b in zip(head["own"][64], head["own"][8], strict=True)]
    own = statistics.median(owns)
    print("\ngoals (HEAD):")
    print(f"  no request above {GOAL_MAX_SECONDS:g} s at 64 clients: max {worst:.3f} s "
          f"({'met' if worst <= GOAL_MAX_SECONDS else 'NOT met'})")
    print(f"  retrieve p50 at {large:,} / at {small:,} objects: {ratio:.2f}x "
          f"({'met' if ratio <= 2 else 'NOT met'}, goal <= 2x), median of the rounds' own "
          f"ratios: {_listed(sizes)}")
    # the process CPU clock ticks coarsely: a short run may read 0 s at 8 clients
    at_8 = head["clients"][8]["cpu"]
    cpu = (f"{head['clients'][64]['cpu'] / at_8:.2f}x" if at_8 > 0
           else "not measurable (too short a run)")
    print(f"  req/s at 64 clients / at 8: best rounds {rates:.2f}x, median of the rounds' "
          f"own ratios {paired:.2f}x ({'met' if paired >= 1 else 'NOT met'}, goal >= 1x; "
          f"{_listed(rounds)}); server CPU per request at 64 / at 8: {cpu}")
    print(f"  the same with the time the server waited for a CPU taken out of each run: "
          f"{own:.2f}x ({'met' if own >= 1 else 'NOT met'}; {_listed(owns)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--base", default=DEFAULT_BASE, help="the commit to compare with")
    parser.add_argument("--requests", type=int, default=2400,
                        help="requests per client count, shared by its clients")
    parser.add_argument("--objects", type=int, nargs="+", default=[1000, 100_000],
                        help="sandbox sizes for the retrieve and list latencies")
    parser.add_argument("--retrieves", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the client counts, alternating the trees' order; "
                             "the best round of each tree counts")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds a client waits for an answer before it gives up")
    parser.add_argument("--pin", action="store_true",
                        help="servers on one CPU, every client process on another (Linux, "
                             "2+ CPUs): the clients no longer take the server's CPU, so "
                             "the rate at 64 against 8 clients measures the server alone")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-cpu", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.objects[0], args.serve_cpu)
        return
    args.cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if args.pin and len(args.cpus) < 2:
        parser.error("--pin needs Linux and at least 2 CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        _extract(args.base, base)
        runs = _measure({"head": ROOT, "base": base}, args)
    assert str(ROOT) in runs["head"]["file"], runs["head"]["file"]
    assert str(ROOT) not in runs["base"]["file"], runs["base"]["file"]
    _report(runs, args)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
