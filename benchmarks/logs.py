"""Benchmark of paykit.logs: every figure side by side in one run.

    python benchmarks/logs.py                    # 1M intents (about 3.8M events)
    python benchmarks/logs.py --intents 100000   # smaller
    python benchmarks/logs.py --pm4py-python /tmp/pm4py-venv/bin/python
    python benchmarks/logs.py --intents 5000000  # the DuckDB / Polars goal's size

Figures: ``simulate`` time; conformance + transition counts + time in status on a
shuffled log (so every method must sort) in seconds, events/s and peak memory, and their
ratio to a bare ``numpy.argsort`` of the same packed (intent, time) keys; the other
analyses; reader throughput (MB/s) next to plain ``json.loads`` / ``pandas.read_csv``
on the same files; conformance on plain-string ids next to categorical ids; the lifecycle
check next to the same check in DuckDB and Polars (``benchmarks/log_engines.py``; both
optional, ``pip install "paykit[bench]"``, skipped with a message when missing); and, on a
100k-intent log, the ratio to pm4py's token-based replay against the same state machine;
and Dask on a two-worker LocalCluster next to one machine (``benchmarks/log_dask.py``),
then on a log several times larger than a worker's memory limit.
pm4py is optional: it runs in this interpreter if it is importable, in ``--pm4py-python``
if given, and is skipped with a message otherwise.
Goals: trio <= 2 s and <= 1 GB at 1M intents, <= 2x argsort, >= 50x pm4py; string ids
within 2x of categorical ids; ahead of DuckDB and Polars at 5M intents; events read >= 3x
faster than ``json.loads`` per line; the Dashboard CSV no slower than ``pandas.read_csv``;
Dask within 1.5x of one machine on data that fits, and completing on data larger than a
worker's memory; the Dask client's memory about the same at two sizes.

Parts can be run alone (``--only analyses readers csv memory pm4py dask``; ``csv`` is
the Dashboard CSV reader without the events file; ``memory`` reads a file of about
``--memory-mb`` of each format in a fresh process and prints its peak RSS):

    python benchmarks/logs.py --only readers --reader-intents 200000
    python benchmarks/logs.py --only csv --reader-intents 200000
    python benchmarks/logs.py --only memory
    python benchmarks/logs.py --only dask --dask-intents 200000 --dask-big-intents 1000000

Figures on this machine (2 cores shared with other work, load 1.6-2.7, 2026-12-02): the
Dashboard CSV read 1.33x, 1.51x and 1.51x faster than ``pandas.read_csv(dtype=str)`` in
three runs at 200k intents (27 MB: 0.33-0.38 s against 0.50-0.51 s) and 1.09x, 1.16x,
1.37x, 1.04x and 1.45x in five at 1M (135 MB: 1.93-2.83 s against 2.56-3.06 s); the
reader before issue #16 item 4 ran 0.80-0.91x and 0.61-0.86x in the same runs (cut: the
text's re-encoding and pyarrow's UTF-8 check of every cell, to_datetime on Stripe's own
time format, work on blank columns, repeated hashing of one column). It was 4.9x slower
before pyarrow's fast path (issue #16). Peak RSS reading a 71 MB
export (500k intents): 1.11 GB, 1.74 GB before. Dask (``--only dask``, 2026-12-02,
load 1.6-2.6; the Dask time is a second run on the cluster, the first one importing
paykit in the workers, as a running cluster has): 200k intents, 0.39-0.54 s against
0.35-0.58 s on one machine in three runs (0.68x-1.54x; the first run on a fresh cluster
took 2.50 s); 1M, 1.65 s and 3.80 s against 2.67 s and 7.97 s (0.62x, 0.48x). A 3M log
(1.7 GB, 60 parts) completed in 4.93 s with 1 GiB per worker, a 6M log (3.5 GB, 3.4x a
worker's limit, 120 parts) in 13.44 s; with 500 MiB per worker the 3M log did not (a
worker with pandas, pyarrow and paykit loaded holds about 250 MiB before any data).
The client (with the LocalCluster's scheduler, which runs in its process) allocated
2.8 MB during the analysis at 200k intents, 7.4 MB at 1M, 15.2 MB at 3M and 20.7 MB at
6M while the value counts of stays came back (one entry per distinct duration and
status: bounded by the log's time span, not its intents); since the figures of time in
status are worked out on the worker, 1.2 MB at 200k (8 parts), 1.7 MB at 3M (60 parts)
and 1.7 MB for the 200k log in 60 parts: 1.02x for 15x the intents. The violations are
counted, with at most 1,000 examples (before: every violation came back, 50.4 MB at 3M).
Every analysis at once (``analyse``, compared by the text it prints; Dask's also says it
lists the first 1,000 violations), 2026-12-02, load 1.0-1.4: 200k intents, 4.58-4.88 s on
the cluster against 4.53-5.40 s on one machine in three runs (0.85x-1.08x), the same
text; the client allocated 2.5 MB. (Before the customer rows kept their times as a
DatetimeArray, 4.56-5.38 s against 6.77-7.24 s: one machine gained more.) A 3M log
(1.7x a worker's 1 GiB, 60 parts) took 77.7 s and completed (measured before that
change); before the customer rows were Arrow strings the
workers passed their memory limit and restarted. The client allocated 5.3 MB for it and
5.5 MB for the 200k log in as many parts: 0.97x for 15x the intents (the counts are added
up on the workers; tables of a row per intent stay there as Dask DataFrames). A 6M log
(3.5 GB, 3.4x a worker's limit, 120 parts) took 146.6 s and completed, no worker
restarted; the client allocated 8.7 MB (the scheduler's state for twice the parts).
Conformance on plain-string ids at 1M intents (2026-12-02, load 1.7-2.5): pandas' ``str``
ids 1.27x-1.58x categorical ones in three runs (0.60-0.69 s against 0.38-0.54 s),
object-dtype ids 1.39x-2.29x; side by side in one process, 1.42x-1.89x (str) and
1.81x-2.36x (object) where ``pd.factorize`` of every id took 1.99x-2.39x and 3.05x-4.03x.
Events (``--only readers --reader-intents 200000``, 387 MB of JSON Lines, load 2.0-2.6):
read in 4.44 s against 17.12 s for ``json.loads`` per line, 3.86x (1.44x before the
columnar path; goal 3x); 3.78x at load 0.8 (3.94 s against 14.88 s). Peak RSS
(``--only memory``, fresh process, 116 MB of imports, 2026-12-02): events 302 MB,
0.80 GB (2.7x the file; 6.4x the 108 MB log above the imports; 1.28 GB before pyarrow
parsed 64 MB of lines at a time and the reader let the bytes go once read, 1.6x more
before the text was kept as bytes); Dashboard CSV 300 MB (4.7M rows), 2.83 GB (9.4x the
file; 3.1x the 878 MB log; 4.30 GB while the text, the cells and their stripped copies
were held until the end); PaymentIntent dump 300 MB, 1.92 GB (6.4x the file; 6.6x the
274 MB log; 2.21 GB while ``read`` held the text the walker had finished with, 3.34 GB
while the reader held every parsed object). At 1M intents, conformance on ``str`` ids took
1.41x and on object ids 1.92x the categorical time (0.63 s, 0.86 s, 0.45 s); DuckDB 3.71x
and Polars 2.05x paykit's lifecycle check. At 5M (``--intents 5000000 --repeat 2``,
load 1.7, a helper running): paykit 3.56 s, DuckDB 9.79 s (2.75x), Polars 10.35 s (2.91x);
``str`` ids 2.32x categorical there, 1.95x in a run of that comparison alone.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from paykit.lifecycle import TRANSITIONS, entry_statuses
from paykit.logs import (
    declines,
    funnel,
    paths,
    read_dashboard_csv,
    read_events,
    simulate,
    write_dashboard_csv,
    write_events,
    write_objects,
)
from paykit.logs.analyses.conformance import conformance, conformance_from_stats
from paykit.logs.analyses.time_in_status import time_in_status, time_in_status_from_stats
from paykit.logs.analyses.transition_stats import counts_frame, transition_stats
from paykit.logs.arrays.row_sort import intent_codes, time_ns

sys.path.insert(0, str(Path(__file__).resolve().parent))
from log_dask import dask_run, single_run, write_parts
from log_engines import duckdb_check, engine_frame, polars_check

ROWS: list[tuple[str, str, str]] = []
#: The parts ``--only`` can pick.
PARTS = ("analyses", "readers", "csv", "memory", "pm4py", "dask")  # csv: the CSV reader alone


def row(name: str, value: str, note: str = "") -> None:
    """Record one figure and print it at once (the table is printed again at the end)."""
    ROWS.append((name, value, note))
    print(f"  {name:<52}{value:>16}  {note}", flush=True)


def best(fn, repeat: int = 3) -> tuple[float, object]:
    """Best wall time of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def peak_mb(fn) -> float:
    """Peak memory traced by tracemalloc while ``fn`` runs (numpy buffers included)."""
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def trio(log: pd.DataFrame):
    """Conformance + transition counts + time in status, sharing one sort."""
    stats = transition_stats(log)
    return (conformance_from_stats(stats), counts_frame(stats.counts),
            time_in_status_from_stats(stats))


def bare_argsort(log: pd.DataFrame) -> np.ndarray:
    codes, _ = intent_codes(log["intent"])
    ns = time_ns(log["time"])
    rel = (ns - ns.min()) // 1_000_000_000
    key = codes.astype(np.int64) << int(rel.max()).bit_length()
    key |= rel
    return np.argsort(key)


def bench_analyses(n: int, repeat: int) -> pd.DataFrame:
    print(f"\n== analyses on {n:,} simulated intents ==")
    start = time.perf_counter()
    log = simulate(n, seed=0, illegal_rate=0.02)
    row("simulate", f"{time.perf_counter() - start:.2f} s", f"{len(log):,} events "
        f"({len(log) / n:.2f} per intent); goal <= 10 s at 1M")
    shuffled = log.sample(frac=1.0, random_state=0).reset_index(drop=True)
    events = len(shuffled)

    t_sort, _ = best(lambda: bare_argsort(shuffled), repeat)
    row("numpy.argsort of packed (intent, time) keys", f"{t_sort:.3f} s",
        f"all {events:,} rows, the baseline")
    t_trio, (conf, counts, _tis) = best(lambda: trio(shuffled), repeat)
    row("conformance + counts + time_in_status (shared)", f"{t_trio:.3f} s",
        f"{events / t_trio / 1e6:.2f} M events/s; goal <= 2 s at 1M")
    row("  ratio to numpy.argsort", f"{t_trio / t_sort:.2f}x", "goal <= 2x")
    t_sep, _ = best(lambda: (conformance(shuffled), time_in_status(shuffled),
                             counts_frame(transition_stats(shuffled).counts)), 1)
    row("  the three as separate calls (three sorts)", f"{t_sep:.3f} s")
    t_sorted, _ = best(lambda: trio(log), repeat)
    row("  same, log as a reader returns it (sorted)", f"{t_sorted:.3f} s")
    row("  peak memory (tracemalloc)", f"{peak_mb(lambda: trio(shuffled)):.0f} MB",
        "goal <= 1 GB")
    row("  violating intents found", f"{conf.summary['violating']:,}",
        f"{len(counts)} distinct transitions")
    for name, fn in (("paths", paths), ("funnel", funnel), ("declines", declines)):
        t, _ = best(lambda fn=fn: fn(shuffled), 1)
        row(name, f"{t:.3f} s")
    bench_string_ids(shuffled, repeat)
    bench_engines(shuffled, repeat)
    return log


def bench_string_ids(shuffled: pd.DataFrame, repeat: int) -> None:
    """Conformance when ``intent`` holds plain strings, as a frame built by hand would
    (pandas' ``str`` dtype, Arrow-backed; object dtype on pandas 2 or from a list)."""
    plain = shuffled.assign(intent=shuffled["intent"].astype(str))
    objects = shuffled.assign(intent=plain["intent"].astype(object))
    t_cat, _ = best(lambda: conformance(shuffled), repeat)
    t_str, _ = best(lambda: conformance(plain), repeat)
    t_obj, _ = best(lambda: conformance(objects), repeat)
    row("conformance, categorical intent ids", f"{t_cat:.3f} s")
    row("conformance, plain-string intent ids", f"{t_str:.3f} s",
        f"{t_str / t_cat:.2f}x categorical; goal <= 2x")
    row("conformance, object-dtype intent ids", f"{t_obj:.3f} s",
        f"{t_obj / t_cat:.2f}x categorical")


def bench_engines(shuffled: pd.DataFrame, repeat: int) -> None:
    """The lifecycle check in DuckDB and Polars on the same frame (same answer checked)."""
    frame = engine_frame(shuffled)
    t_ours, ours = best(lambda: conformance(shuffled), repeat)
    expected = int(ours.summary["violating"])
    row("paykit conformance (the lifecycle check)", f"{t_ours:.3f} s",
        f"{expected:,} violating intents")
    engines = (("DuckDB, the same check in SQL (2 threads)", duckdb_check),
               ("Polars, the same check (lazy query)", polars_check))
    for label, check in engines:
        first = check(frame)
        if first is None:
            row(label.split(",")[0], "skipped", 'not installed: pip install "paykit[bench]"')
            continue
        runs = [first, *(check(frame) for _ in range(repeat - 1))]
        took = min(r[1] for r in runs if r is not None)
        agree = "same answer" if first[0] == expected else f"DIFFERENT: {first[0]:,}"
        more = f"; from_pandas {first[2]:.2f} s more" if len(first) > 2 else ""
        row(label, f"{took:.3f} s", f"{took / t_ours:.2f}x paykit's time; {agree}{more}")

def bench_readers(n: int, folder: Path, repeat: int, *, events: bool = True) -> None:
    print(f"\n== readers ({n:,} intents written as files) ==")
    log = simulate(n, seed=1)
    readers = [("read_dashboard_csv", write_dashboard_csv(log, folder / "unified_payments.csv"),
                read_dashboard_csv, lambda p: pd.read_csv(p, dtype=str, keep_default_na=False))]
    if events:
        readers.insert(0, ("read_events (JSON Lines)", write_events(log, folder / "events.jsonl"),
                           read_events,
                           lambda p: [json.loads(line) for line in p.open(encoding="utf-8")]))
    for label, path, ours, plain in readers:
        size = path.stat().st_size / 2**20
        t_ours, _ = best(lambda path=path, ours=ours: ours(path), repeat)
        t_plain, _ = best(lambda path=path, plain=plain: plain(path), repeat)
        row(label, f"{size / t_ours:.1f} MB/s", f"{size:.0f} MB in {t_ours:.2f} s")
        events = "events" in label
        baseline = "json.loads per line" if events else "pandas.read_csv(dtype=str)"
        row(f"  {baseline}", f"{size / t_plain:.1f} MB/s", f"{t_plain:.2f} s")
        row(f"  speed against {baseline}", f"{t_plain / t_ours:.2f}x",
            "goal >= 3x" if events else "goal >= 1x")


_PEAK_RSS = """
import re, sys
def peak():  # VmHWM: this process's own high-water mark (ru_maxrss survives exec)
    return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1]) / 1024
from paykit.logs import read
before = peak()
log, report = read(sys.argv[1])
print(peak(), before, log.memory_usage(deep=True).sum() / 2**20, len(log))
"""


def bench_memory(folder: Path, target_mb: int) -> None:
    """Peak RSS of ``paykit.logs.read`` on a file of about ``target_mb`` of each format,
    each in a fresh process (the interpreter and imports are counted and shown apart)."""
    print(f"\n== memory: reading a {target_mb} MB file of each format ==")
    writers = (("events JSON Lines", write_events, "events.jsonl"),
               ("Dashboard CSV", write_dashboard_csv, "payments.csv"),
               ("PaymentIntent dump (JSON)", write_objects, "intents.json"))
    sample = simulate(2000, seed=5)
    for label, write, name in writers:
        per_intent = write(sample, folder / name).stat().st_size / 2000
        path = write(simulate(int(target_mb * 2**20 / per_intent), seed=5), folder / name)
        size = path.stat().st_size / 2**20
        done = subprocess.run([sys.executable, "-c", _PEAK_RSS, str(path)], check=True,
                              capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
        peak, before, log_mb, rows = (float(x) for x in done.stdout.split())
        row(f"read {label}", f"{peak:.0f} MB peak",
            f"{size:.0f} MB file, {rows:,.0f} rows; {peak / size:.1f}x the file, "
            f"{(peak - before) / log_mb:.1f}x the log's {log_mb:.0f} MB above the "
            f"{before:.0f} MB of imports")
        path.unlink()


def state_machine_frame(log: pd.DataFrame) -> pd.DataFrame:
    """The status rows as a pm4py event log: case, activity (the status entered), time.

    Timestamps are whole seconds and pm4py breaks ties by row position, so each row gets
    its position within the intent added in microseconds: pm4py then sees the order
    paykit's tie-break gives, and both check the same sequences.
    """
    rows = log[log["status"].notna()]  # simulate returns rows in paykit's order
    position = rows.groupby("intent", observed=True).cumcount().to_numpy()
    return pd.DataFrame({
        "case:concept:name": rows["intent"].astype(str).to_numpy(),
        "concept:name": rows["status"].astype(str).to_numpy(),
        "time:timestamp": (rows["time"] + pd.to_timedelta(position, unit="us")).array,
    }).sample(frac=1.0, random_state=0).reset_index(drop=True)


def pm4py_replay(frame_path: str) -> dict:
    """Time pm4py token-based replay against the lifecycle as a Petri net (one place per
    status, one transition per table pair labelled with the status it enters)."""
    import pm4py
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils import petri_utils

    frame = pd.read_pickle(frame_path)
    start = time.perf_counter()
    frame = pm4py.format_dataframe(frame, case_id="case:concept:name",
                                   activity_key="concept:name", timestamp_key="time:timestamp")
    t_format = time.perf_counter() - start
    net = PetriNet("lifecycle")
    place = {name: PetriNet.Place(name) for name in ["source", "end"]}
    statuses = {t.target.value for t in TRANSITIONS}
    place.update({s: PetriNet.Place(s) for s in statuses})
    for p in place.values():
        net.places.add(p)

    def arc(src: str, dst: str, label: str | None, name: str) -> None:
        transition = PetriNet.Transition(name, label)
        net.transitions.add(transition)
        petri_utils.add_arc_from_to(place[src], transition, net)
        petri_utils.add_arc_from_to(transition, place[dst], net)

    pairs = {(t.source.value if t.source else "source", t.target.value) for t in TRANSITIONS}
    pairs |= {("source", s.value) for s in entry_statuses()}
    for i, (src, dst) in enumerate(sorted(pairs)):
        arc(src, dst, dst, f"t{i}")
    for s in statuses:
        arc(s, "end", None, f"tau_{s}")
    start = time.perf_counter()
    diagnostics = pm4py.conformance_diagnostics_token_based_replay(
        frame, net, Marking({place["source"]: 1}), Marking({place["end"]: 1}))
    t_replay = time.perf_counter() - start
    return {"format": t_format, "replay": t_replay,
            "non_fitting": sum(1 for d in diagnostics if not d["trace_is_fit"]),
            "version": pm4py.__version__}


def bench_pm4py(n: int, folder: Path, python: str | None) -> None:
    print(f"\n== pm4py token-based replay on {n:,} intents ==")
    log = simulate(n, seed=0, illegal_rate=0.02)
    shuffled = log.sample(frac=1.0, random_state=0).reset_index(drop=True)
    t_ours, ours = best(lambda: conformance(shuffled), 3)
    frame_path = folder / "pm4py_frame.pkl"
    state_machine_frame(log).to_pickle(frame_path)
    try:
        import pm4py  # noqa: F401

        result = pm4py_replay(str(frame_path))
    except ImportError:
        if not python:
            row("pm4py comparison", "skipped",
                "pm4py is not importable here; pass --pm4py-python PATH to a venv that has it")
            return
        done = subprocess.run([python, __file__, "--pm4py-worker", str(frame_path)],
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
        if done.returncode != 0:
            row("pm4py comparison", "skipped", f"worker failed: {done.stderr.strip()[-200:]}")
            return
        result = json.loads(done.stdout.strip().splitlines()[-1])
    row("paykit conformance", f"{t_ours:.3f} s",
        f"{ours.summary['violating']:,} violating intents (incl. sort)")
    row(f"pm4py {result['version']} format_dataframe", f"{result['format']:.2f} s")
    row("pm4py conformance_diagnostics_token_based_replay", f"{result['replay']:.2f} s",
        f"{result['non_fitting']:,} non-fitting traces")
    row("  paykit speed-up over token replay", f"{result['replay'] / t_ours:.0f}x",
        "goal >= 50x")


def bench_dask(n: int, big: int, memory_limit: str, folder: Path) -> None:
    print(f"\n== Dask (2 worker processes) against one machine, {n:,} intents ==")
    size = write_parts(n, folder / "fits", parts=8)
    t_single, expected = single_run(folder / "fits")
    row("one machine: read_parquet + lifecycle check", f"{t_single:.2f} s",
        f"log {size:.0f} MB in memory")
    result = dask_run(folder / "fits", "4GiB")
    if result is None:
        row("Dask", "skipped", 'not installed: pip install "paykit[dask]"')
        return
    t_dask, summary, client_fit = result
    same = "same answer" if summary.equals(expected) else "DIFFERENT ANSWER"
    row("Dask LocalCluster: read_dask + lifecycle check", f"{t_dask:.2f} s",
        f"{t_dask / t_single:.2f}x one machine; {same}; goal <= 1.5x")
    row("  client memory allocated during the analysis", f"{client_fit:.1f} MB",
        f"{n:,} intents")
    t_all, expected_text = single_run(folder / "fits", "analyse")
    row("one machine: read_parquet + analyse (every analysis)", f"{t_all:.2f} s")
    result = dask_run(folder / "fits", "4GiB", what="analyse")
    assert result is not None
    t_dask_all, text, client_all = result
    same = "same text" if text == expected_text else "DIFFERENT TEXT"
    row("Dask LocalCluster: read_dask + analyse", f"{t_dask_all:.2f} s",
        f"{t_dask_all / t_all:.2f}x one machine; {same}")
    row("  client memory allocated during analyse", f"{client_all:.1f} MB", f"{n:,} intents")
    if big <= 0:
        return
    print(f"\n== Dask on {big:,} intents, each worker limited to {memory_limit} ==")
    parts = max(8, big // 50_000)  # parts small enough for a worker's memory
    big_size = write_parts(big, folder / "big", parts=parts, seed=1)
    result = dask_run(folder / "big", memory_limit, warm=False)
    assert result is not None
    t_big, summary, client_mb = result
    from dask.utils import parse_bytes

    limit_mb = parse_bytes(memory_limit) / 2**20
    row("Dask, log larger than a worker's memory", f"{t_big:.2f} s",
        f"log {big_size:.0f} MB = {big_size / limit_mb:.1f}x the {memory_limit} limit; "
        f"{int(summary['violating']):,} violating intents; completed")
    row("  client memory allocated during the analysis", f"{client_mb:.1f} MB",
        f"{big:,} intents, {int(summary['violating']):,} violating (compare the row above)")
    # The scheduler runs in the client's process and keeps a state per task: compare
    # the logs in as many parts, so that only the number of intents differs.
    write_parts(n, folder / "fits_in_parts", parts=parts)
    same = dask_run(folder / "fits_in_parts", memory_limit, warm=False)
    assert same is not None
    row(f"  client memory, the {n:,}-intent log in {parts} parts too", f"{same[2]:.1f} MB")
    row("  client memory, larger log against the smaller", f"{client_mb / same[2]:.2f}x",
        f"{big / n:.1f}x the intents, {parts} parts each; goal: about 1x (independent of "
        "the intents)")
    big_all = dask_run(folder / "big", memory_limit, warm=False, what="analyse")
    small_all = dask_run(folder / "fits_in_parts", memory_limit, warm=False, what="analyse")
    assert big_all is not None and small_all is not None
    row("Dask analyse, log larger than a worker's memory", f"{big_all[0]:.2f} s", "completed")
    row("  client memory during analyse, larger log against the smaller",
        f"{big_all[2] / small_all[2]:.2f}x",
        f"{big_all[2]:.1f} MB against {small_all[2]:.1f} MB; {big / n:.1f}x the intents")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--intents", type=int, default=1_000_000)
    parser.add_argument("--reader-intents", type=int, default=None,
                        help="intents written for the reader test (default: intents / 10)")
    parser.add_argument("--pm4py-intents", type=int, default=100_000)
    parser.add_argument("--pm4py-python", help="a Python that can import pm4py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dask-intents", type=int, default=None,
                        help="intents for Dask against one machine (default: intents)")
    parser.add_argument("--dask-big-intents", type=int, default=None,
                        help="intents for the run beyond a worker's memory "
                             "(default: 3 x dask intents; 0 skips it)")
    parser.add_argument("--dask-memory-limit", default="1GiB")
    parser.add_argument("--memory-mb", type=int, default=300,
                        help="size of the file of each format whose reading is measured")
    parser.add_argument("--pm4py-worker", help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS),
                        help="run only these parts (e.g. --only readers dask)")
    args = parser.parse_args(argv)
    if args.pm4py_worker:
        print(json.dumps(pm4py_replay(args.pm4py_worker)))
        return 0
    print(f"paykit.logs benchmark: numpy {np.__version__}, pandas {pd.__version__}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "analyses" in args.only:
            bench_analyses(args.intents, args.repeat)
        if "readers" in args.only or "csv" in args.only:
            bench_readers(args.reader_intents or max(args.intents // 10, 1000), folder,
                          args.repeat, events="readers" in args.only)
        if "memory" in args.only:
            bench_memory(folder, args.memory_mb)
        if "pm4py" in args.only:
            bench_pm4py(min(args.pm4py_intents, args.intents), folder, args.pm4py_python)
        if "dask" in args.only:
            dask_n = args.dask_intents if args.dask_intents is not None else args.intents
            big = args.dask_big_intents if args.dask_big_intents is not None else 3 * dask_n
            bench_dask(dask_n, big, args.dask_memory_limit, folder)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row("peak RSS of the whole benchmark process", f"{peak_rss:.0f} MB")
    print("\n== all figures ==")
    width = max(len(name) for name, _, _ in ROWS)
    for name, value, note in ROWS:
        print(f"{name:<{width}}  {value:>16}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
