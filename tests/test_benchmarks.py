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
    out = _run("logs.py", "--intents", "500", "--pm4py-intents", "100", "--repeat", "1")
    for line in ("simulate", "ratio to numpy.argsort", "read_events (JSON Lines)",
                 "read_dashboard_csv", "pm4py comparison"):
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
