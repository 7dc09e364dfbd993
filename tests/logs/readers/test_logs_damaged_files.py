"""A corpus of damaged exports, generated here: each case with its exact counts.

Every case is a small Dashboard CSV or events file with one kind of damage, read with
``paykit.logs.read``; the test states how many records were read, parsed, quarantined
(on which lines), out of scope and kept once as duplicates, and then runs every
analysis on the result. The counts are over the file's own records, so a parser that
swallows rows cannot make them balance.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import paykit.logs as pl
from paykit.logs.readers import source_text

HEADER = ["id", "Created date (UTC)", "Amount", "Amount Refunded", "Currency", "Captured",
          "Decline Reason", "Description", "PaymentIntent ID", "Status", "Seller Message",
          "Customer ID"]
N = 20  # data rows; row k sits on line k + 2


def row(k: int, description: str | None = None) -> list[str]:
    failed = k % 4 == 1
    return [
        f"ch_{k:03d}", f"2026-01-{1 + k % 28:02d} 10:{k % 60:02d}:00", f"{10 + k}.00", "0.00",
        "usd", "true" if not failed else "false", "insufficient_funds" if failed else "",
        description if description is not None else f"Order {k}, gift",
        f"pi_{k:03d}", "Failed" if failed else "Paid", "", f"cus_{k % 5}",
    ]


def csv_of(rows: list[list[str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


BASE = csv_of([row(k) for k in range(N)])


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def with_line(text: str, line: int, change: Callable[[str], str]) -> str:
    """``text`` with its 1-based ``line`` changed."""
    lines = lines_of(text)
    lines[line - 1] = change(lines[line - 1])
    return "\n".join(lines)


@dataclass(frozen=True)
class Case:
    data: bytes
    read: int
    parsed: int
    quarantined: tuple[int, ...] = ()
    duplicates: int = 0
    out_of_scope: int = 0
    reason: str = ""  # the first quarantined row's reason starts with this
    encoding: str = "utf-8"
    note: str = ""  # a note the report must carry


def _zip(data: bytes, *names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, data)
    return out.getvalue()


def _overlapping() -> bytes:
    """Two exports joined: rows 0-19, then a header and rows 10-29 (10 repeated)."""
    second = csv_of([row(k) for k in range(10, 30)])
    return (BASE + second).encode()


ACCENTS = "Café déjà vu – 5 €"

CSV_CASES: dict[str, Case] = {
    "clean": Case(BASE.encode(), N, N),
    "a stray quote opens a cell that never closes": Case(
        with_line(BASE, 5, lambda s: s.replace('"Order 3, gift"', '"Order 3 gift')).encode(),
        N, N - 1, (5,), reason="a quote opened here never closes"),
    "a short row": Case(
        with_line(BASE, 7, lambda s: ",".join(s.split(",")[:5])).encode(), N, N - 1, (7,),
        reason="expected 12 fields, found 5"),
    "a long row": Case(with_line(BASE, 8, lambda s: s + ",extra").encode(), N, N - 1, (8,),
                       reason="expected 12 fields, found 13"),
    "two overlapping exports joined, with the second header": Case(
        _overlapping(), 41, 40, (22,), duplicates=10, reason="a repeated header line"),
    "NUL bytes in a row": Case(
        with_line(BASE, 9, lambda s: s.replace("usd", "u\x00\x00sd")).encode(), N, N - 1, (9,),
        reason="NUL byte"),
    "the last row cut off mid-row": Case(BASE[:-8].encode(), N, N - 1, (21,),
                                         reason="cut off: the file ends mid-row"),
    "the last row cut off in its last cell": Case(
        BASE[:-3].encode(), N, N, note="no line break after the last row (line 21)"),
    "the last row cut off inside a quoted cell": Case(
        BASE[: BASE.rindex('"Order 19') + 8].encode(), N, N - 1, (21,),
        reason="a quote opened here never closes"),
    "blank lines between rows": Case(BASE.replace("\nch_004", "\n\n\nch_004").encode(), N, N),
    "a description that holds line breaks": Case(
        csv_of([row(k, "two\nlines" if k == 3 else None) for k in range(N)]).encode(), N, N),
    "a 140 kB cell followed by a blank line": Case(
        csv_of([row(k, "x" * 140_000 if k == 2 else None) for k in range(N)])
        .replace("\nch_003", "\n\nch_003").encode(), N, N),
    "a date of 9999-12-31": Case(
        with_line(BASE, 4, lambda s: s.replace("2026-01-03 10:02:00", "9999-12-31 23:59:59"))
        .encode(), N, N - 1, (4,), reason="impossible timestamp '9999-12-31"),
    "a 20-digit amount": Case(
        with_line(BASE, 6, lambda s: s.replace("14.00", "12345678901234567890.00")).encode(),
        N, N - 1, (6,), reason="amount '12345678901234567890.00' refused: out of range"),
    "Excel re-saved dates (dd/mm/yyyy HH:MM)": Case(
        BASE.replace("2026-01-13 10:12:00", "13/01/2026 10:12").encode(), N, N,
        note="1 date read as dd/mm/yyyy"),
    "UTF-8 with a byte-order mark": Case(b"\xef\xbb\xbf" + BASE.encode(), N, N),
    "UTF-16 LE (Excel 'Unicode text')": Case(BASE.encode("utf-16"), N, N,
                                              encoding="utf-16-le"),
    "UTF-16 BE with a byte-order mark": Case(b"\xfe\xff" + BASE.encode("utf-16-be"), N, N,
                                             encoding="utf-16-be"),
    "UTF-16 LE without a byte-order mark": Case(BASE.encode("utf-16-le"), N, N,
                                                encoding="utf-16-le", note="no byte-order mark"),
    "cp1252 (Windows)": Case(csv_of([row(k, ACCENTS) for k in range(N)]).encode("cp1252"),
                             N, N, encoding="cp1252", note="not UTF-8"),
    "latin-1 with bytes cp1252 lacks": Case(
        csv_of([row(k, "Caf\xe9 \x81") for k in range(N)]).encode("latin-1"), N, N,
        encoding="latin-1", note="not UTF-8"),
    "gzip": Case(gzip.compress(BASE.encode()), N, N, note="gzip-compressed"),
    "bzip2": Case(bz2.compress(BASE.encode()), N, N, note="bzip2-compressed"),
    "zip with one member": Case(_zip(BASE.encode(), "unified_payments.csv"), N, N,
                                note="zip member unified_payments.csv"),
    "header only": Case((",".join(HEADER) + "\n").encode(), 0, 0),
    "every row damaged": Case(
        (",".join(HEADER) + "\n" + "\n".join("x,y" for _ in range(5)) + "\n").encode(),
        5, 0, (2, 3, 4, 5, 6), reason="expected 12 fields, found 2"),
}


T0 = 1_767_225_600


def event(intent: str, etype: str, created: int, status: str | None, **fields) -> dict:
    obj = {"id": intent, "object": "payment_intent", "amount": 1000, "currency": "usd",
           "status": status, "created": T0, **fields}
    return {"id": f"evt_{intent}_{etype}_{created}", "object": "event", "type": etype,
            "created": created, "data": {"object": obj}}


EVENTS = [
    e for k in range(8) for e in (
        event(f"pi_{k}", "payment_intent.created", T0 + k, "requires_payment_method"),
        event(f"pi_{k}", "payment_intent.payment_failed", T0 + k + 10, "requires_payment_method",
              last_payment_error={"decline_code": "do_not_honor"}) if k % 3 == 0 else None,
        event(f"pi_{k}", "payment_intent.succeeded", T0 + k + 20, "succeeded"),
    ) if e is not None
]  # 8 intents, 11 events... see M below
M = len(EVENTS)


def jsonl(events: list) -> str:
    return "".join(json.dumps(e) + "\n" for e in events)


def _changed(k: int, change: Callable[[dict], object]) -> list:
    events = json.loads(json.dumps(EVENTS))
    change(events[k])
    return events


def _set(path: str, value: object) -> Callable[[dict], None]:
    def change(e: dict) -> None:
        *keys, last = path.split(".")
        target = e
        for key in keys:
            target = target[key]
        target[last] = value
    return change


OTHER_KINDS = [
    {"id": "evt_c1", "object": "event", "type": "customer.created", "created": T0,
     "data": {"object": {"id": "cus_1", "object": "customer"}}},
    {"id": "evt_i1", "object": "event", "type": "invoice.paid", "created": T0,
     "data": {"object": {"id": "in_1", "object": "invoice"}}},
]

EVENT_CASES: dict[str, Case] = {
    "clean": Case(jsonl(EVENTS).encode(), M, M),
    "a line nested too deeply for Python": Case(
        (jsonl(EVENTS[:3]) + '{"a": ' * 100_000 + "\n" + jsonl(EVENTS[3:])).encode(),
        M + 1, M, (4,), reason="malformed JSON: nested too deeply"),
    "an amount of 10**20": Case(
        jsonl(_changed(2, _set("data.object.amount", 10**20))).encode(), M, M - 1, (3,),
        reason="amount out of range"),
    "a dict where the type belongs": Case(
        jsonl(_changed(1, _set("type", {"name": "x"}))).encode(), M, M - 1, (2,),
        reason="not a Stripe event"),
    "a decline code that is a number": Case(
        jsonl(_changed(1, _set("data.object.last_payment_error.decline_code", 51))).encode(),
        M, M),
    "a decline code that is an object": Case(
        jsonl(_changed(1, _set("data.object.last_payment_error.decline_code", {"a": 1})))
        .encode(), M, M - 1, (2,), reason="decline_code is not text"),
    "a status that is an object": Case(
        jsonl(_changed(1, _set("data.object.status", {"a": 1}))).encode(), M, M - 1, (2,),
        reason="unknown status"),
    "customer and invoice events": Case(jsonl(OTHER_KINDS + EVENTS).encode(), M + 2, M,
                                        out_of_scope=2),
    "the same export twice": Case((jsonl(EVENTS) * 2).encode(), 2 * M, 2 * M, duplicates=M),
    "the last line cut off": Case(jsonl(EVENTS)[:-40].encode(), M, M - 1, (M,),
                                  reason="malformed JSON"),
    "NUL bytes in a line": Case(
        jsonl(EVENTS).replace('"usd"', '"u\x00sd"', 1).encode(), M, M - 1, (1,),
        reason="malformed JSON"),
    "UTF-16 events": Case(jsonl(EVENTS).encode("utf-16"), M, M, encoding="utf-16-le"),
    "gzip events": Case(gzip.compress(jsonl(EVENTS).encode()), M, M, note="gzip-compressed"),
    "a lone surrogate escape in a description": Case(
        jsonl(_changed(1, _set("data.object.description", "x\ud800"))).encode(), M, M - 1, (2,),
        reason="description is not valid Unicode"),
    "a lone surrogate escape in a metadata key": Case(
        jsonl(_changed(2, _set("data.object.metadata", {"\udc00": "1"}))).encode(), M, M - 1,
        (3,), reason="metadata is not valid Unicode"),
    "a 9999-12-31 time": Case(
        jsonl(_changed(0, _set("created", 253402300799))).encode(), M, M - 1, (1,),
        reason="impossible timestamp"),
}


def _check(case: Case) -> pl.ReadResult:
    result = pl.read(case.data)
    report = result.report
    assert (report.rows_read, report.rows_parsed) == (case.read, case.parsed)
    assert tuple(q.line for q in report.quarantined) == case.quarantined
    assert report.duplicates == case.duplicates
    assert report.rows_out_of_scope == case.out_of_scope
    assert report.balanced
    if case.reason:
        assert report.quarantined[0].reason.startswith(case.reason), report.quarantined[0]
    assert report.encoding == case.encoding
    if case.note:
        assert any(case.note in note for note in report.notes), report.notes
    return result


def _analyse_everything(log) -> None:
    result = pl.analyse(log)
    assert "Funnel" in result.summary()
    pl.paths(log)
    pl.variants(log)
    pl.transition_counts(log)
    pl.process_map(log)


@pytest.mark.parametrize("name", list(CSV_CASES))
def test_each_damaged_csv_is_read_with_exact_counts(name):
    case = CSV_CASES[name]
    log, report = _check(case)
    assert report.format == "dashboard_csv"
    kept = case.parsed - case.duplicates
    assert log["charge"].dropna().nunique() == kept
    _analyse_everything(log)


@pytest.mark.parametrize("name", list(EVENT_CASES))
def test_each_damaged_events_file_is_read_with_exact_counts(name):
    log, _ = _check(EVENT_CASES[name])
    _analyse_everything(log)


def test_text_is_never_replaced_whatever_the_encoding():
    for name in ("cp1252 (Windows)", "UTF-16 LE (Excel 'Unicode text')"):
        log, _ = pl.read(CSV_CASES[name].data)
        assert "\ufffd" not in "".join(log["description"].dropna())
    log, _ = pl.read(CSV_CASES["cp1252 (Windows)"].data)
    assert set(log["description"].dropna()) == {ACCENTS}


def test_the_swallowed_rows_around_a_stray_quote_are_all_kept():
    log, _ = pl.read(CSV_CASES["a stray quote opens a cell that never closes"].data)
    assert sorted(log["charge"].dropna()) == [f"ch_{k:03d}" for k in range(N) if k != 3]


def test_a_multi_line_cell_keeps_its_line_break_and_its_line():
    log, _ = pl.read(CSV_CASES["a description that holds line breaks"].data)
    row3 = log[log["charge"] == "ch_003"].iloc[0]
    assert row3["description"] == "two\nlines" and row3["source_line"] == 5
    assert log[log["charge"] == "ch_004"].iloc[0]["source_line"] == 7


def test_overlapping_exports_count_each_payment_once():
    log, _ = pl.read(CSV_CASES["two overlapping exports joined, with the second header"].data)
    assert log["intent"].nunique() == 30
    assert pl.declines(log).summary["declines"] == sum(1 for k in range(30) if k % 4 == 1)


def test_excel_dates_are_read_day_first():
    log, _ = pl.read(CSV_CASES["Excel re-saved dates (dd/mm/yyyy HH:MM)"].data)
    row12 = log[log["charge"] == "ch_012"].iloc[0]
    assert str(row12["time"]) == "2026-01-13 10:12:00+00:00"


def test_a_month_first_file_is_read_month_first():
    text = BASE.replace("2026-01-13 10:12:00", "01/13/2026 10:12")
    log, report = pl.read(text.encode())
    assert str(log[log["charge"] == "ch_012"].iloc[0]["time"]) == "2026-01-13 10:12:00+00:00"
    assert any("mm/dd/yyyy" in note for note in report.notes)


@pytest.mark.parametrize(("data", "says"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "holds binary data"),
    (_zip(BASE.encode(), "a.csv", "b.csv"), "zip archive of 2 files (a.csv, b.csv)"),
    (b"", "is empty"),
    (b"name,age\nada,36\n", "not a Dashboard payments export"),
    (gzip.compress(BASE.encode())[:-30], "damaged gzip data"),
])
def test_a_file_that_is_no_export_is_one_clear_sentence(data, says):
    with pytest.raises(pl.UnreadableExport, match=re.escape(says)) as error:
        pl.read(data)
    assert "\n" not in str(error.value)


def test_a_decompression_bomb_is_refused_before_it_fills_memory(monkeypatch):
    monkeypatch.setattr(source_text, "_RATIO_FLOOR", 1 << 20)
    bomb = gzip.compress(b"0" * (8 << 20))  # 8 MB of zeros in about 8 kB
    with pytest.raises(pl.UnreadableExport, match="decompression bomb"):
        pl.read(bomb)


def test_objects_repeated_across_dumps_are_kept_once():
    objects = [{"id": f"pi_{k}", "object": "payment_intent", "created": T0 + k,
                "status": "succeeded", "amount": 100, "currency": "usd"} for k in range(4)]
    data = json.dumps(objects) + "\n" + json.dumps(objects[2:])
    log, report = pl.read(data.encode())
    assert (report.rows_read, report.rows_parsed, report.duplicates) == (6, 6, 2)
    assert log["intent"].nunique() == 4


_DAMAGE = st.sampled_from(['"', ",", "\n", "\r", "\x00", ";", "é", "\\", "{", "}", ""])


def _corrupt(line: str, position: int, char: str, mode: str) -> str:
    p = position % (len(line) + 1)
    if mode == "insert":
        return line[:p] + char + line[p:]
    if mode == "replace":
        return line[:p] + char + line[p + 1:]
    return line[:p] + line[p + 1:]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.integers(0, N - 1), position=st.integers(0, 150), char=_DAMAGE,
       mode=st.sampled_from(["insert", "replace", "delete"]))
def test_one_corrupted_csv_row_costs_at_most_that_row(k, position, char, mode):
    lines = lines_of(BASE)
    lines[k + 1] = _corrupt(lines[k + 1], position, char, mode)
    log, report = pl.read("\n".join(lines).encode())
    assert report.balanced
    assert report.rows_parsed >= N - 1
    others = {f"ch_{j:03d}" for j in range(N) if j != k}
    assert others <= set(log["charge"].dropna())
    pl.analyse(log).summary()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.integers(0, M - 1), position=st.integers(0, 400), char=_DAMAGE,
       mode=st.sampled_from(["insert", "replace", "delete"]))
def test_one_corrupted_event_costs_at_most_that_event(k, position, char, mode):
    lines = lines_of(jsonl(EVENTS))
    lines[k] = _corrupt(lines[k], position, char, mode)
    log, report = pl.read("\n".join(lines).encode())
    assert report.balanced
    assert report.rows_parsed >= M - 1
    others = {e["id"] for j, e in enumerate(EVENTS) if j != k}
    assert others <= set(log["event_id"].dropna())
    pl.analyse(log).summary()
