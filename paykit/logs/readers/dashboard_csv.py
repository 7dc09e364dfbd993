"""Read the Dashboard payments export (``unified_payments.csv``) in all its variants.

The export is made in the Dashboard under Payments, then Export
(https://support.stripe.com/questions/exporting-a-report-of-all-transactions), and
Stripe has changed it many times, as the ``unified_payments.csv`` files published in
public repositories show (github.com/kanema20/primeorca, 2023;
github.com/brknt/checkout_service, 2024; github.com/Liam-Dupeyron/AnswersAi_data_science,
"All columns", 2024; github.com/DataScience-GT/query, 2025-2026): the created column is
``Created date (UTC)`` or ``Created (UTC)``; "Default" and "All columns" sets differ;
``PaymentIntent ID`` and ``Decline Reason`` come and go; ``<key> (metadata)`` columns
are appended; some locales save it with ``;`` and comma decimals; older files stop at
the minute. So columns are found by name, never by position, and every name is a
keyword argument whose default is the export's own.

The file mixes two kinds of rows. A row with an ``id`` (``ch_…``/``py_…``) is one
payment attempt: ``Paid`` → succeeded (``requires_capture`` if not captured),
``Failed`` → back to requires_payment_method, ``Refunded`` → succeeded (refunded
later), ``Pending`` → processing. A row with an empty ``id`` holds only a
PaymentIntent and its raw status. Each intent also gets a ``synthetic`` creation row
at its earliest time, since the export has no creation event. Without a
``PaymentIntent ID`` column, rows are grouped by ``Invoice ID`` (retries of one
invoice), else each attempt is its own intent; ``intent_inferred`` marks those.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from paykit.currencies import CURRENCIES, to_minor_units
from paykit.lifecycle import INITIAL_STATUS, parse_status
from paykit.logs.arrays.log_schema import TIME_RANGE
from paykit.logs.arrays.row_sort import time_ns
from paykit.logs.arrays.transition_rules import SNAPSHOT_EVENT
from paykit.logs.readers.json_records import Progress, load_text, source_name
from paykit.logs.readers.log_assembly import is_newest_first, order_rows
from paykit.logs.readers.read_report import ReadReport, ReadResult

__all__ = ["DASHBOARD_STATUSES", "read_dashboard_csv"]

#: The Dashboard's status labels: the PaymentIntent status each shows, and the charge
#: event the row stands for. Raw PaymentIntent statuses pass through unchanged.
DASHBOARD_STATUSES: dict[str, tuple[str, str]] = {
    "Paid": ("succeeded", "charge.succeeded"),
    "Refunded": ("succeeded", "charge.refunded"),
    "Failed": (INITIAL_STATUS.value, "charge.failed"),
    "Pending": ("processing", "charge.pending"),
}
_UNCAPTURED = ("requires_capture", "charge.succeeded")
_DECLINE_IN_MESSAGE = re.compile(r"decline code `?([a-z_]+)`?")
#: What the Dashboard says on a PaymentIntent row whose last attempt failed.
_ATTEMPT_FAILED = re.compile(r"latest payment attempt .* has failed", re.IGNORECASE)
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
_METADATA = re.compile(r"^(.*) \(metadata\)$")
_CHUNK = 100_000


def _delimiter(text: str) -> str:
    """``,`` or ``;`` (or tab): whichever splits the header line most, outside quotes."""
    header = text.split("\n", 1)[0]
    outside = re.sub(r'"[^"]*"', "", header)
    return max((",", ";", "\t"), key=outside.count)


def _first(columns: Sequence[str], names: Sequence[str] | str | None) -> str | None:
    if names is None:
        return None
    for name in [names] if isinstance(names, str) else names:
        if name in columns:
            return name
    return None


def _table(
    text: str, delimiter: str, report: ReadReport, progress: Progress | None
) -> tuple[pd.DataFrame, np.ndarray]:
    """All cells as strings, and each row's first line; bad rows go to the quarantine.

    Fast path (pandas' C parser) when every row is exactly one line; otherwise the
    ``csv`` module, which knows where each row starts and how many fields it has.
    """
    newlines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if "\n\n" not in text:
        try:
            chunks = []
            reader = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, index_col=False,
                                 keep_default_na=False, chunksize=_CHUNK)
            for chunk in reader:
                chunks.append(chunk)
                if progress is not None:
                    progress(min(len(chunks) * _CHUNK, newlines), newlines)
            frame = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame()
        except pd.errors.ParserError:
            frame = None
        if frame is not None and len(frame) == newlines - 1:
            lines = np.arange(2, len(frame) + 2, dtype=np.int64)
            short = frame.iloc[:, -1].isna().to_numpy() if len(frame.columns) else None
            if short is not None and short.any():
                for i in np.flatnonzero(short):
                    raw = delimiter.join(frame.iloc[i].dropna().astype(str))
                    report.rows_read += 1
                    report.quarantine(int(lines[i]), "too few fields for the header", raw)
                frame, lines = frame[~short].reset_index(drop=True), lines[~short]
            return frame, lines
    return _table_by_csv_module(text, delimiter, report, progress, newlines)


def _table_by_csv_module(
    text: str, delimiter: str, report: ReadReport, progress: Progress | None, total: int
) -> tuple[pd.DataFrame, np.ndarray]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    rows: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            start = reader.line_num + 1
            continue
        if len(row) != len(header):
            report.rows_read += 1
            report.quarantine(
                start, f"expected {len(header)} fields, found {len(row)}", delimiter.join(row)
            )
        else:
            rows.append(row)
            lines.append(start)
        if progress is not None and len(rows) % _CHUNK == 0:
            progress(reader.line_num, total)
        start = reader.line_num + 1
    frame = pd.DataFrame(rows, columns=header, dtype=str) if header else pd.DataFrame()
    return frame, np.array(lines, dtype=np.int64)


def _times(values: pd.Series) -> pd.Series:
    """UTC timestamps from second- or minute-resolution text; NaT where impossible."""
    text = values.str.strip()
    parsed = pd.to_datetime(text, format=_TIME_FORMATS[0], errors="coerce", utc=True)
    for fmt in _TIME_FORMATS[1:]:
        missing = parsed.isna()
        if missing.any():
            parsed[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce", utc=True)
    missing = parsed.isna()
    if missing.any():
        parsed[missing] = pd.to_datetime(text[missing], format="ISO8601", errors="coerce",
                                         utc=True)
    seconds = parsed.dt.as_unit("ns").astype("int64") // 1_000_000_000
    outside = (seconds < TIME_RANGE[0]) | (seconds >= TIME_RANGE[1])
    return parsed.dt.as_unit("ns").where(~outside)


def _in(values: pd.Series, allowed) -> np.ndarray:
    """``values.isin(allowed)`` through the few distinct values (fast on any string dtype)."""
    codes, uniques = pd.factorize(values)
    ok = np.array([u in allowed for u in uniques] + [False], dtype=bool)
    return ok[codes]


def _minor_units(amounts: pd.Series, currencies: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Amounts in the smallest unit, by ``paykit.currencies.to_minor_units``; the second
    series holds the reason where it refused.

    Plain amounts (``123.45``, exactly the currency's decimals, no sign or separators)
    are converted with array arithmetic from the currency's ``decimals`` and
    ``exponent``; any other spelling goes to ``to_minor_units`` once per distinct
    (amount, currency) pair. A test checks both routes agree.
    """
    n = len(amounts)
    values = np.zeros(n, dtype=np.int64)
    missing = (amounts == "").to_numpy()
    errors = np.full(n, None, dtype=object)
    todo = ~missing
    cur_codes, cur_uniques = pd.factorize(currencies)
    for code, currency in enumerate(cur_uniques):
        found = CURRENCIES.get(currency)
        if found is None:
            continue
        pattern = rf"^\d+\.\d{{{found.decimals}}}$" if found.decimals else r"^\d+$"
        here = todo & (cur_codes == code)
        plain = here & amounts.str.match(pattern).fillna(False).to_numpy(dtype=bool)
        if plain.any():
            digits = amounts[plain].str.replace(".", "", regex=False)
            values[plain] = digits.astype("int64").to_numpy() * 10 ** (
                found.exponent - found.decimals)
            todo &= ~plain
    rest = np.flatnonzero(todo)
    if len(rest):
        pairs = pd.MultiIndex.from_arrays([amounts.iloc[rest], currencies.iloc[rest]])
        keys, uniques = pd.factorize(pairs)
        converted = np.zeros(len(uniques), dtype=np.int64)
        refused = np.full(len(uniques), None, dtype=object)
        for i, (amount, currency) in enumerate(uniques):
            try:
                converted[i] = to_minor_units(amount, currency)
            except ValueError as error:
                refused[i] = f"amount '{amount}' refused: {error}"
        values[rest] = converted[keys]
        errors[rest] = refused[keys]
    result = pd.arrays.IntegerArray(values, missing | pd.notna(errors))
    return pd.Series(result, index=amounts.index), pd.Series(errors, index=amounts.index)


def read_dashboard_csv(
    source: Any,
    *,
    delimiter: str | None = None,
    id_column: str = "id",
    created_column: Sequence[str] | str = ("Created date (UTC)", "Created (UTC)", "Created"),
    amount_column: str = "Amount",
    amount_refunded_column: str = "Amount Refunded",
    currency_column: str = "Currency",
    status_column: str = "Status",
    captured_column: str = "Captured",
    payment_intent_column: str = "PaymentIntent ID",
    invoice_column: str | None = "Invoice ID",
    decline_column: str = "Decline Reason",
    seller_message_column: str = "Seller Message",
    payment_method_column: str = "Payment Source Type",
    description_column: str = "Description",
    descriptor_column: Sequence[str] | str = ("Statement Descriptor", "Statement Description"),
    progress: Progress | None = None,
) -> ReadResult:
    """Read a Dashboard payments export into the normalised log and a read report.

    Columns are found by name; the defaults are the export's own names (the first
    present of several spellings). ``delimiter`` is sniffed from the header if not given.

    >>> from paykit.logs import sample_path
    >>> log, report = read_dashboard_csv(sample_path("payments"))
    >>> report.rows_read == report.rows_parsed + report.rows_quarantined
    True
    """
    report = ReadReport(source=source_name(source), format="dashboard_csv")
    text = load_text(source)
    delimiter = delimiter or _delimiter(text)
    cells, lines = _table(text, delimiter, report, progress)
    if progress is not None:
        progress(1, 1)
    report.rows_read += len(cells)
    columns = list(cells.columns)
    created = _first(columns, created_column)
    missing = [name for name, found in (
        ("created", created), ("amount", _first(columns, amount_column)),
        ("currency", _first(columns, currency_column)), ("status", _first(columns, status_column)),
    ) if found is None]
    if missing:
        raise ValueError(
            f"{report.source}: not a Dashboard payments export, no {', '.join(missing)} "
            f"column (header: {', '.join(columns[:8])}…)"
        )
    n = len(cells)
    empty = pd.Series([""] * n, dtype=object)

    def text_of(name: Sequence[str] | str | None) -> pd.Series:
        found = _first(columns, name)
        return cells[found].fillna("").astype(str).str.strip() if found else empty

    reasons = pd.Series([None] * n, dtype=object)

    def reject(mask: pd.Series, messages: pd.Series | str) -> None:
        mask = mask & reasons.isna()
        reasons[mask] = messages if isinstance(messages, str) else messages[mask]

    time = _times(text_of(created))
    reject(time.isna(), "impossible timestamp '" + text_of(created) + "'")

    labels = text_of(status_column)
    status = pd.Series([None] * n, dtype=object)
    event = pd.Series([None] * n, dtype=object)
    ids = text_of(id_column)
    captured = text_of(captured_column).str.lower()
    for value in labels.unique():
        where = labels == value
        if value in DASHBOARD_STATUSES:
            status[where], event[where] = DASHBOARD_STATUSES[value]
            if value == "Paid":
                held = where & (captured == "false")
                status[held], event[held] = _UNCAPTURED
            continue
        try:
            raw = parse_status(value).value
        except ValueError:
            reject(where, f"unknown status '{value}'")
            continue
        status[where] = raw
        event[where] = SNAPSHOT_EVENT
    reject(status.isna() & (labels == ""), "no status")

    currency = text_of(currency_column).str.lower()
    known = pd.Series(_in(currency, CURRENCIES), index=currency.index)
    reject(~known, "unknown currency '" + currency + "'")
    ok_currency = currency.where(known, "usd")
    amount, amount_error = _minor_units(text_of(amount_column), ok_currency)
    reject(amount_error.notna(), amount_error.astype(str))
    refunded, refund_error = _minor_units(text_of(amount_refunded_column), ok_currency)
    reject(refund_error.notna(), refund_error.astype(str))

    bad = reasons.notna().to_numpy()
    if bad.any():
        raw_rows = cells[bad].fillna("").astype(str).agg(delimiter.join, axis=1)
        for line, reason, raw in zip(lines[bad], reasons[bad], raw_rows, strict=True):
            report.quarantine(int(line), reason, raw)
    keep = ~bad
    report.rows_parsed += int(keep.sum())
    report.quarantined.sort(key=lambda q: q.line)

    pi = text_of(payment_intent_column)
    invoice = text_of(invoice_column) if invoice_column else empty
    intent = pi.where(pi != "", invoice.where(invoice != "", ids))
    intent = intent.where(intent != "", "line:" + pd.Series(lines).astype(str))
    decline = text_of(decline_column)
    from_message = text_of(seller_message_column).str.extract(_DECLINE_IN_MESSAGE)[0]
    decline = decline.where(decline != "", from_message.fillna(""))
    failed = status == INITIAL_STATUS.value
    attempt_failed = text_of(seller_message_column).str.contains(_ATTEMPT_FAILED) & (ids == "")
    rows = pd.DataFrame({
        "intent": intent,
        "time": time,
        "status": status,
        "event": event,
        "amount": amount,
        "currency": currency,
        "charge": ids.where(ids != "", None),
        "decline_code": decline.where((decline != "") & failed, None),
        "payment_method_type": text_of(payment_method_column).str.lower().replace("", None),
        "amount_refunded": refunded,
        "description": text_of(description_column).replace("", None),
        "statement_descriptor": text_of(descriptor_column).replace("", None),
        "source_line": lines,
        "attempt_failed": attempt_failed & failed,
        "intent_inferred": pi == "",
    })
    for name in columns:
        match = _METADATA.match(name)
        if match:
            rows["metadata." + match.group(1)] = cells[name].fillna("").replace("", None)
    rows = rows[keep].reset_index(drop=True)
    newest_first = is_newest_first(time_ns(rows["time"]))
    log = order_rows(_with_creation(rows), newest_first=newest_first)
    return ReadResult(log, report)


def _with_creation(rows: pd.DataFrame) -> pd.DataFrame:
    """Add each intent's creation row; keep a PaymentIntent row only if it adds a status.

    A PaymentIntent row (empty ``id``) is dated at the intent's creation and shows its
    current status: it is kept as a snapshot (sorted last) only when that status differs
    from what the intent's last attempt row shows (or, with no attempts, from the initial
    status); otherwise the creation row already says everything it says.
    """
    if rows.empty:
        return rows
    codes, _ = pd.factorize(rows["intent"])
    ns = time_ns(rows["time"])
    is_pi = rows["charge"].isna().to_numpy()
    status = rows["status"].to_numpy(dtype=object)
    n_intents = int(codes.max()) + 1
    # Per intent: its earliest row, its latest time, the status of its last attempt row.
    order = np.lexsort((ns, codes))
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = codes[order][1:] != codes[order][:-1]
    first_row = order[starts]
    ends = np.append(np.flatnonzero(starts)[1:], len(order)) - 1
    latest = np.zeros(n_intents, dtype=np.int64)
    latest[codes[order[ends]]] = ns[order[ends]]
    shown = np.full(n_intents, None, dtype=object)
    attempt_order = order[~is_pi[order]]
    if len(attempt_order):
        last = np.ones(len(attempt_order), dtype=bool)
        last[:-1] = codes[attempt_order][1:] != codes[attempt_order][:-1]
        shown[codes[attempt_order[last]]] = status[attempt_order[last]]
    expected = shown[codes]
    has_attempt = expected != None  # noqa: E711 - an object array compared element-wise
    expected = np.where(has_attempt, expected, INITIAL_STATUS.value)
    attempted = rows["attempt_failed"].to_numpy(dtype=bool) & ~has_attempt
    keep_pi = is_pi & ((status != expected) | attempted)
    pi_rows = rows[keep_pi].copy()
    pi_rows["time"] = pd.DatetimeIndex(latest[codes[keep_pi]].view("M8[ns]")).tz_localize("UTC")
    pi_rows["event"] = SNAPSHOT_EVENT
    creation = rows.iloc[first_row].assign(
        status=INITIAL_STATUS.value, event="payment_intent.created", synthetic=True,
        charge=None, decline_code=None,
    )
    out = pd.concat([rows[~is_pi], pi_rows, creation], ignore_index=True)
    out["synthetic"] = out["synthetic"].astype("boolean").fillna(False).astype(bool)
    return out.drop(columns="attempt_failed")
