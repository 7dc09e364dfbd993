"""The benchmark scripts still run and print their figures (tiny sizes; no timings checked).

The figures themselves are measured by hand and reported, never asserted: a test
machine's speed says nothing about paykit's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_engine_benchmark_prints_its_rate_goal_and_memory():
    out = _run("engine.py", "--intents", "300", "--rounds", "1")
    for line in ("create + confirm (2 calls)", "ratio engine / floor", "goal 20,000/s met",
                 "save card, then charge off session", "pay, then refund in full",
                 "memory per 100k intents"):
        assert line in out, out


@pytest.mark.slow
def test_the_sandbox_benchmark_prints_every_path_and_the_split():
    pytest.importorskip("stripe")
    out = _run("sandbox.py", "--intents", "20", "--repeat", "1")
    for line in ("SDK in-process", "SDK over HTTP (loopback)", "SDK against canned (ceiling)",
                 "SDK against a 3-field stub", "of which paykit", "goal >= 1,000 intents/s"):
        assert line in out, out


@pytest.mark.slow
def test_the_logs_benchmark_prints_every_figure():
    pytest.importorskip("pandas")
    out = _run("logs.py", "--intents", "500", "--pm4py-intents", "100", "--repeat", "1",
               "--dask-big-intents", "600", "--memory-mb", "1")
    for line in ("simulate", "ratio to numpy.argsort", "read_events (JSON Lines)",
                 "read_dashboard_csv", "pm4py comparison", "plain-string intent ids",
                 "DuckDB", "Polars", "Dask LocalCluster: read_dask + lifecycle check",
                 "Dask, log larger than a worker's memory", "read events JSON Lines",
                 "read Dashboard CSV", "read PaymentIntent dump (JSON)",
                 "client memory, larger log against the smaller"):
        assert line in out, out


@pytest.mark.slow
def test_the_ab_benchmark_compares_two_trees_in_one_run():
    pytest.importorskip("stripe")
    out = _run("ab.py", "--base", "HEAD", "--rounds", "1", "--intents", "200",
               "--sdk-intents", "20")
    for line in ("A/B: HEAD against HEAD", "create + confirm (intents/s)",
                 "memory per 100k intents (MiB)", "SDK in-process (intents/s)",
                 "HEAD in-process / SDK ceiling"):
        assert line in out, out


@pytest.mark.slow
def test_the_server_benchmark_sets_this_server_beside_the_one_before_issue_17():
    out = _run("server.py", "--requests", "64", "--objects", "50", "200", "--retrieves", "10",
               "--timeout", "2", "--rounds", "1")
    for line in ("paykit serve: HEAD against 1593e0a", "64        head", "64        base",
                 "retrieve beside a client listing", "200       head", "200       base",
                 "no request above 2 s at 64 clients", "retrieve p50 at 200 / at 50 objects",
                 "req/s at 64 clients / at 8", "server CPU us/req"):
        assert line in out, out


def test_the_webhooks_benchmark_prints_deliveries_raw_posts_and_their_ratio():
    out = _run("webhooks.py", "--payments", "20", "--rounds", "1")
    for line in ("signed deliveries to a local endpoint", "raw POSTs of the same bodies",
                 "ratio deliveries / raw POSTs", "payments with one endpoint (API side)",
                 "payments with no endpoint", "(60 deliveries)"):
        assert line in out, out
