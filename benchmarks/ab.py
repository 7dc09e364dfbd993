"""A/B: this tree's engine against an earlier commit's, interleaved, on the same machine.

    python benchmarks/ab.py [--base REV] [--rounds R] [--intents N]

The base commit's ``paykit/`` is extracted (``git archive``) into a temporary folder and
both trees are timed in alternating child processes, so both see the same machine
minute by minute. Each child measures, for its tree:

- create + confirm with pm_card_visa through the Python API (intents/s, best of 3);
- memory held per 100k intents (tracemalloc, create with confirm=true);
- the official SDK in-process (``paykit.stripe_client``), create + confirm, and the
  SDK's own ceiling against a canned full-size PaymentIntent in the same child.

It prints each tree's medians and the ratios HEAD / base. Timings on a shared VM swing
by 30-40 % from minute to minute, so ``--instructions`` also counts, with valgrind's
callgrind, the instructions each tree spends per create + confirm (the count of a run
of N intents minus that of a run of one): repeatable to the last digit, whatever else
the machine is doing. The Engine 2.0 issue's goals:
create + confirm >= 0.9x the base, memory no higher, in-process >= 0.8x of the SDK's
ceiling.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "8bcb40d"  # main before the Engine 2.0 issue


def _child(n: int, sdk_intents: int) -> dict[str, float]:
    """Runs inside a child process whose ``sys.path`` starts with one tree."""
    import paykit

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import engine  # benchmarks/engine.py: the engine's timings, written once

    def engine_rate() -> float:
        return n / engine.create_and_confirm(n)

    def memory() -> float:
        return engine.memory_per_100k(min(n, 20_000))

    result = {"file": paykit.__file__, "engine": max(engine_rate() for _ in range(3)),
              "memory": memory()}
    try:
        import stripe  # noqa: F401
    except ImportError:
        return result
    import sandbox as bench  # benchmarks/sandbox.py: the SDK paths, written once

    result["in_process"] = sdk_intents / min(bench.in_process(sdk_intents) for _ in range(2))
    result["ceiling"] = sdk_intents / min(bench.canned(sdk_intents) for _ in range(2))
    return result


_COUNTED = """
import sys, paykit
sb = paykit.Sandbox(seed=0)
create, confirm = sb.payment_intents.create, sb.payment_intents.confirm
for _ in range(int(sys.argv[1])):
    confirm(create(amount=1099, currency="usd").id, payment_method="pm_card_visa")
"""


def _instructions(tree: Path, intents: int) -> int:
    """Instructions a run of ``intents`` create + confirm takes (callgrind's count)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", _COUNTED, str(intents)],
        check=True, capture_output=True, text=True, env=env, cwd=tree)
    counted = [line for line in done.stderr.splitlines() if "Collected" in line]
    return int(counted[-1].rsplit(":", 1)[1])


def _instructions_per_intent(tree: Path, intents: int) -> float:
    return (_instructions(tree, intents + 1) - _instructions(tree, 1)) / intents


def _extract(rev: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "paykit"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def _run_child(tree: Path, n: int, sdk_intents: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--intents", str(n),
         "--sdk-intents", str(sdk_intents)],
        check=True, capture_output=True, text=True, env=env, cwd=tree)
    return json.loads(out.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=DEFAULT_BASE, help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=5, help="A/B pairs (default 5)")
    parser.add_argument("--intents", type=int, default=20_000)
    parser.add_argument("--sdk-intents", type=int, default=1_000)
    parser.add_argument("--instructions", type=int, default=0, metavar="N",
                        help="also count instructions per intent over N intents "
                             "(valgrind callgrind; e.g. 3000)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.intents, args.sdk_intents)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        _extract(args.base, base)
        runs: dict[str, list[dict[str, float]]] = {"head": [], "base": []}
        for index in range(args.rounds):
            order = ("head", "base") if index % 2 == 0 else ("base", "head")
            for name in order:
                tree = ROOT if name == "head" else base
                runs[name].append(_run_child(tree, args.intents, args.sdk_intents))
        counts = ({name: _instructions_per_intent(ROOT if name == "head" else base,
                                                  args.instructions)
                   for name in ("head", "base")} if args.instructions else {})
    for name, tree in (("head", ROOT), ("base", None)):
        shown = runs[name][0]["file"]
        assert tree is None or str(tree) in shown, f"{name} imported {shown}"

    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name] if key in r)

    print(f"A/B: HEAD against {args.base}, {args.rounds} interleaved pairs, "
          f"{args.intents:,} intents per engine round")
    rows = [("create + confirm (intents/s)", "engine", "{:,.0f}"),
            ("memory per 100k intents (MiB)", "memory", "{:,.1f}")]
    if all("in_process" in r for r in runs["head"] + runs["base"]):
        rows += [("SDK in-process (intents/s)", "in_process", "{:,.0f}"),
                 ("SDK canned ceiling (intents/s)", "ceiling", "{:,.0f}")]
    print(f"{'':<34}{'HEAD':>12}{'base':>12}{'HEAD/base':>11}")
    for label, key, fmt in rows:
        head, base_value = median("head", key), median("base", key)
        print(f"{label:<34}{fmt.format(head):>12}{fmt.format(base_value):>12}"
              f"{head / base_value:>10.3f}x")
    if counts:
        print(f"{'instructions per intent (callgrind)':<34}{counts['head']:>12,.0f}"
              f"{counts['base']:>12,.0f}{counts['base'] / counts['head']:>10.3f}x"
              "  (base/HEAD: a speed ratio)")
    if "in_process" in runs["head"][0]:
        share = statistics.median(r["in_process"] / r["ceiling"] for r in runs["head"])
        print(f"{'HEAD in-process / SDK ceiling':<34}{share:>12.1%}")


if __name__ == "__main__":
    main()
