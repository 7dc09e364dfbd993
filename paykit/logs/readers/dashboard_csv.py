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

The columns analysts slice by are kept: ``Fee``, ``Converted Amount`` and ``Converted
Amount Refunded`` (in the account's currency, ``Converted Currency``, when the export has
it), ``Customer ID``, ``Card Brand``, ``Card Issue Country``, ``Card Funding``,
``Refunded date (UTC)``, ``Disputed Amount``, ``Dispute Status`` and ``Dispute Reason``
as typed log columns; every other column as
``export.<Column>``, so ``by="Card CVC Status"`` works on an "All columns" export.
Names, e-mails, phones, addresses and card fingerprints are personal data and are
not kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from paykit.currencies import CURRENCIES, to_minor_units
from paykit.lifecycle import INITIAL_STATUS, parse_status
from paykit.logs.arrays.log_schema import (
    COLUMNS,
    EVENT_DTYPE,
    EXPORT_PREFIX,
    STATUS_DTYPE,
    finish_log,
)
from paykit.logs.arrays.row_sort import coded, time_ns
from paykit.logs.arrays.transition_rules import SNAPSHOT_EVENT
from paykit.logs.readers.csv_records import split_records
from paykit.logs.readers.export_times import parse_times
from paykit.logs.readers.json_records import Progress
from paykit.logs.readers.log_assembly import is_newest_first, log_order, order_rows
from paykit.logs.readers.read_report import ReadReport, ReadResult
from paykit.logs.readers.record_checks import MAX_AMOUNT
from paykit.logs.readers.source_text import UnreadableExport, decode_source, source_name

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
_METADATA = re.compile(r"^(.*) \(metadata\)$")
#: Columns only an attempt row has: empty on the creation row made for its intent.
_ATTEMPT_ONLY = frozenset((
    "charge", "decline_code", "fee", "converted_amount", "converted_amount_refunded",
    "amount_disputed", "refunded_at", "dispute_status", "dispute_reason"))
#: The log's plain category columns (``status`` and ``event`` have fixed categories).
_CATEGORY_COLUMNS = frozenset(c.name for c in COLUMNS if isinstance(c.dtype, str)
                              and c.dtype == "category")
#: Columns of personal data, not kept in the log (the analyses never need them).
_PERSONAL = re.compile(
    r"Email|Phone|Name|Address|Shipping|Fingerprint|Last4|Exp (Month|Year)|Customer Description",
    re.IGNORECASE,
)


def _delimiter(text: str) -> str:
    """``,`` or ``;`` (or tab): whichever splits the header line most, outside quotes."""
    end = text.find("\n")  # not split(): that copies the whole text after the header
    header = text if end < 0 else text[:end]
    outside = re.sub(r'"[^"]*"', "", header)
    return max((",", ";", "\t"), key=outside.count)


def _first(columns: Sequence[str], names: Sequence[str] | str | None) -> str | None:
    if names is None:
        return None
    for name in [names] if isinstance(names, str) else names:
        if name in columns:
            return name
    return None


def _in(values: pd.Series, allowed) -> np.ndarray:
    """``values.isin(allowed)`` through the few distinct values (fast on any string dtype)."""
    codes, uniques = pd.factorize(values)
    ok = np.array([u in allowed for u in uniques] + [False], dtype=bool)
    return ok[codes]


def _blank(values: pd.Series) -> bool:
    """Whether every value is ``""``: one comparison, where ``factorize`` would hash them."""
    return bool((values == "").all())


def _no_text(n: int, dtype: Any) -> Any:
    """``n`` missing values of a string dtype, made rather than copied from a column."""
    return pd.array(pa.nulls(n, pa.large_string()), dtype=dtype)


def _or_missing(values: pd.Series) -> pd.Series:
    """``values.replace("", None)``; a blank column straight to missing values."""
    if _blank(values):
        return pd.Series(_no_text(len(values), values.dtype), index=values.index,
                         name=values.name)
    return values.replace("", None)


def _only_where(values: pd.Categorical, where: np.ndarray) -> pd.Categorical:
    """``values`` missing outside ``where``: cheaper than coding text blanked with
    ``where()``; categories then unused go with the others' at the end (``_without_unused``).
    """
    codes = values.codes.copy()
    codes[~where] = -1
    return pd.Categorical.from_codes(codes, dtype=values.dtype)


def _per_value(values: pd.Series, change: Callable[[pd.Series], pd.Series]) -> np.ndarray:
    """``change(values)``, worked out once per distinct value (a message column holds few)."""
    codes, uniques = pd.factorize(values)
    return change(pd.Series(uniques, dtype=str)).to_numpy()[codes]


def _units(currency: str) -> tuple[int, int]:
    """A currency's (decimals written, exponent of its smallest unit); (-1, 0) if unknown."""
    found = CURRENCIES.get(currency)
    return (found.decimals, found.exponent) if found else (-1, 0)


def _minor_units(amounts: pd.Series, currencies: pd.Series,
                 coded_currencies: tuple[np.ndarray, Sequence[str]] | None = None,
                 ) -> tuple[pd.Series, pd.Series]:
    """Amounts in the smallest unit, by ``paykit.currencies.to_minor_units``; the second
    series holds the reason where it refused. ``coded_currencies``: the currencies'
    ``pd.factorize`` if the caller has it.

    Plain amounts (``123.45`` with exactly the currency's decimals, or ``123``; no sign
    or separators) are converted with array arithmetic from the currency's ``decimals``
    and ``exponent``; any other spelling goes to ``to_minor_units`` once per distinct
    (amount, currency) pair. A test checks both routes agree.
    """
    n = len(amounts)
    values = np.zeros(n, dtype=np.int64)
    errors = np.full(n, None, dtype=object)
    if _blank(amounts):  # a column the export does not have: nothing to convert
        return (pd.Series(pd.arrays.IntegerArray(values, np.ones(n, dtype=bool)),
                          index=amounts.index), pd.Series(errors, index=amounts.index,
                                                          dtype=object))
    # Each distinct spelling is looked at once (a column of refunds is mostly ``0``).
    codes, spellings = pd.factorize(amounts)
    spellings = pd.Series(spellings, dtype=str)
    missing = (spellings == "").to_numpy()[codes]
    todo = ~missing
    # At most 12 whole digits: always inside int64; longer goes the careful way.
    plain = spellings.str.fullmatch(r"\d{1,12}(?:\.\d{1,4})?").fillna(False).to_numpy(bool)
    if plain.any():
        dot = spellings.str.find(".").to_numpy()
        fraction = np.where(dot >= 0, spellings.str.len().to_numpy() - dot - 1, 0)
        digits = np.zeros(len(spellings), dtype=np.int64)
        digits[plain] = spellings[plain].str.replace(".", "", regex=False).astype("int64")
        cur_codes, cur_uniques = (pd.factorize(currencies) if coded_currencies is None
                                  else coded_currencies)
        decimals = np.array([_units(c)[0] for c in cur_uniques] + [-1])[cur_codes]
        exponent = np.array([_units(c)[1] for c in cur_uniques] + [0])[cur_codes]
        dot, fraction = dot[codes], fraction[codes]
        # ``123`` or exactly the currency's decimals (``123.45``); ``123.4`` goes below
        where = np.flatnonzero(todo & plain[codes] & (decimals >= 0)
                               & ((dot < 0) | (fraction == decimals)))
        values[where] = digits[codes[where]] * 10 ** (exponent[where] - fraction[where])
        todo[where] = False
    rest = np.flatnonzero(todo)
    if len(rest):
        pairs = pd.MultiIndex.from_arrays([amounts.iloc[rest], currencies.iloc[rest]])
        keys, uniques = pd.factorize(pairs)
        converted = np.zeros(len(uniques), dtype=np.int64)
        refused = np.full(len(uniques), None, dtype=object)
        for i, (amount, currency) in enumerate(uniques):
            try:
                value = to_minor_units(amount, currency)
            except (ValueError, ArithmeticError) as error:
                refused[i] = f"amount '{amount[:40]}' refused: {error}"
                continue
            if abs(value) > MAX_AMOUNT:
                refused[i] = f"amount '{amount[:40]}' refused: out of range"
            else:
                converted[i] = value
        values[rest] = converted[keys]
        errors[rest] = refused[keys]
    result = pd.arrays.IntegerArray(values, missing | pd.notna(errors))
    # dtype given: pandas would look through every row to see if they are all strings
    return (pd.Series(result, index=amounts.index),
            pd.Series(errors, index=amounts.index, dtype=object))


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
    fee_column: str = "Fee",
    fee_currency_column: str = "Converted Currency",
    customer_column: str = "Customer ID",
    card_brand_column: str = "Card Brand",
    card_country_column: str = "Card Issue Country",
    card_funding_column: str = "Card Funding",
    converted_amount_column: str = "Converted Amount",
    converted_refunded_column: str = "Converted Amount Refunded",
    refunded_date_column: str = "Refunded date (UTC)",
    disputed_amount_column: str = "Disputed Amount",
    dispute_status_column: str = "Dispute Status",
    dispute_reason_column: str = "Dispute Reason",
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
    decoded = decode_source(source)
    report.opened(decoded.encoding, decoded.notes)
    text = decoded.text
    delimiter = delimiter or _delimiter(text)
    records = split_records(text, delimiter, progress, utf8=decoded.utf8)
    ends_with_break = text.endswith("\n")
    decoded.release()  # the file's text and bytes: the records hold what is needed now
    del text, decoded
    if progress is not None:
        progress(1, 1)
    cells, lines = records.cells, records.lines
    report.rows_read += records.records
    for line, reason, raw in records.damaged:
        report.quarantine(line, reason, raw)
    if len(cells) and not ends_with_break and int(lines[-1]) > max(
            (q.line for q in report.quarantined), default=0):
        report.notes.append(f"no line break after the last row (line {int(lines[-1])}): "
                            "if the file was cut off, that row may be incomplete")
    columns = list(cells.columns)
    created = _first(columns, created_column)
    missing = [name for name, found in (
        ("created", created), ("amount", _first(columns, amount_column)),
        ("currency", _first(columns, currency_column)), ("status", _first(columns, status_column)),
    ) if found is None]
    if not records.header:
        raise UnreadableExport(f"{report.source} is empty; expected a Dashboard payments export")
    if missing:
        shown = ", ".join(records.header[:8])[:200]
        raise UnreadableExport(
            f"{report.source}: not a Dashboard payments export, no {', '.join(missing)} "
            f"column (header: {shown}…)"
        )
    n = len(cells)
    empty = pd.Series(pd.array(pa.repeat(pa.scalar("", pa.large_string()), n),
                               dtype=pd.StringDtype(na_value=np.nan)))

    used: dict[str, pd.Series] = {}  # each column read once, stripped

    def text_of(name: Sequence[str] | str | None) -> pd.Series:
        found = _first(columns, name)
        if not found:
            return empty
        if found not in used:  # a blank column (most exports have several) needs no strip
            column = cells[found]
            used[found] = empty if _blank(column) else column.fillna("").astype(str).str.strip()
        return used[found]

    coded: set[str] = set()

    def coded_of(name: str, case: str = "") -> pd.Categorical:
        """A column as a categorical, stripped (and ``case``d) value by distinct value."""
        found = _first(columns, name)
        if not found:
            return _coded(empty)
        coded.add(found)  # kept out of the export.* columns
        return _coded(cells[found].fillna(""), case)

    def is_false(name: str) -> np.ndarray:
        """Where a column says ``false`` (any case, spaces around), value by distinct value."""
        found = _first(columns, name)
        if not found:
            return np.zeros(n, dtype=bool)
        coded.add(found)  # read here, so kept out of the export.* columns
        return _per_value(cells[found].fillna(""),
                          lambda v: v.str.strip().str.lower() == "false").astype(bool)

    reasons = pd.Series(np.full(n, None, dtype=object))
    rejected = np.zeros(n, dtype=bool)  # where reasons has one: no isna() per check

    def reject(mask: pd.Series | np.ndarray,
               messages: str | Callable[[], pd.Series]) -> None:
        """Set the reason of rows not yet rejected; messages are built only if needed."""
        mask = np.asarray(mask, dtype=bool) & ~rejected
        if mask.any():
            reasons[mask] = messages if isinstance(messages, str) else messages()[mask]
            rejected[mask] = True

    time, note = parse_times(text_of(created))
    if note:
        report.notes.append(note)
    reject(time.isna(), lambda: "impossible timestamp '" + text_of(created).str.slice(0, 40) + "'")

    labels = text_of(status_column)
    # Categoricals from the start: each distinct label gives its codes, no string per row.
    label_codes, label_values = pd.factorize(labels)
    status_of = np.full(len(label_values) + 1, -1, np.int8)
    event_of = np.full(len(label_values) + 1, -1, np.int8)
    unknown = np.zeros(len(label_values) + 1, dtype=bool)
    for i, value in enumerate(label_values):
        if value in DASHBOARD_STATUSES:
            raw, kind = DASHBOARD_STATUSES[value]
        else:
            try:
                raw, kind = parse_status(value).value, SNAPSHOT_EVENT
            except ValueError:
                unknown[i] = True
                continue
        status_of[i] = STATUS_DTYPE.categories.get_loc(raw)
        event_of[i] = EVENT_DTYPE.categories.get_loc(kind)
    status_codes, event_codes = status_of[label_codes], event_of[label_codes]
    paid = np.append(np.asarray(label_values == "Paid", dtype=bool), False)[label_codes]
    held = paid & is_false(captured_column)
    status_codes[held] = STATUS_DTYPE.categories.get_loc(_UNCAPTURED[0])
    event_codes[held] = EVENT_DTYPE.categories.get_loc(_UNCAPTURED[1])
    status = pd.Series(pd.Categorical.from_codes(status_codes, dtype=STATUS_DTYPE))
    event = pd.Series(pd.Categorical.from_codes(event_codes, dtype=EVENT_DTYPE))
    reject(unknown[label_codes], lambda: "unknown status '" + labels.str.slice(0, 40) + "'")
    reject(status.isna() & (labels == ""), "no status")
    ids = text_of(id_column)
    pi = text_of(payment_intent_column)
    invoice = text_of(invoice_column) if invoice_column else empty
    # A column wholly filled (or wholly blank) decides without a pass of where().
    fallback = ids if _blank(invoice) else invoice.where(invoice != "", ids)
    intent = pi if not (pi == "").any() else pi.where(pi != "", fallback)
    unnamed = (intent == "").to_numpy()
    if unnamed.any():  # neither an intent, an invoice nor a charge: the row is its own
        intent = intent.copy()
        intent[unnamed] = ["line:" + str(line) for line in lines[unnamed]]

    currency = text_of(currency_column).str.lower()
    # Coded once for the check, every amount column and the log's column.
    currency_codes, currency_names = pd.factorize(currency)
    known_names = np.array([c in CURRENCIES for c in currency_names] + [False])
    known = pd.Series(known_names[currency_codes], index=currency.index)
    reject(~known, lambda: "unknown currency '" + currency.str.slice(0, 40) + "'")
    ok_currency = currency.where(known, "usd")
    ok_coded = (currency_codes,
                [c if ok else "usd" for c, ok in zip(currency_names, known_names, strict=False)])
    amount, amount_error = _minor_units(text_of(amount_column), ok_currency, ok_coded)
    reject(amount_error.notna(), lambda: amount_error.astype(str))
    refunded, refund_error = _minor_units(text_of(amount_refunded_column), ok_currency,
                                          ok_coded)
    reject(refund_error.notna(), lambda: refund_error.astype(str))
    account_currency = text_of(fee_currency_column).str.lower()
    fee, fee_error = _fees(text_of(fee_column), account_currency, ok_currency)
    reject(fee_error.notna(), lambda: "fee: " + fee_error.astype(str))
    converted, converted_error = _fees(text_of(converted_amount_column), account_currency,
                                       ok_currency)
    reject(converted_error.notna(),
           lambda: "converted amount: " + converted_error.astype(str))
    converted_refunded, conv_refund_error = _fees(text_of(converted_refunded_column),
                                                  account_currency, ok_currency)
    reject(conv_refund_error.notna(),
           lambda: "converted amount refunded: " + conv_refund_error.astype(str))
    # The disputed amount is taken to be in the payment's currency, as a Dispute's amount
    # is (https://docs.stripe.com/api/disputes/object): the export does not say.
    disputed, dispute_error = _minor_units(text_of(disputed_amount_column), ok_currency,
                                           ok_coded)
    reject(dispute_error.notna(), lambda: "disputed amount: " + dispute_error.astype(str))
    refunded_text = text_of(refunded_date_column)
    refunded_at, _ = parse_times(refunded_text)
    reject(refunded_at.isna() & (refunded_text != ""),
           lambda: "impossible refunded date '" + refunded_text.str.slice(0, 40) + "'")

    bad = rejected
    if bad.any():
        raw_rows = cells[bad].fillna("").astype(str).agg(delimiter.join, axis=1)
        for line, reason, raw in zip(lines[bad], reasons[bad], raw_rows, strict=True):
            report.quarantine(int(line), reason, raw)
    keep = ~bad
    report.rows_parsed += int(keep.sum())
    report.quarantined.sort(key=lambda q: q.line)
    repeated = _repeats(cells, ids, pi, keep)
    report.duplicates += int(repeated.sum())
    keep &= ~repeated

    decline = text_of(decline_column)
    message = text_of(seller_message_column)
    failed = status == INITIAL_STATUS.value
    # The messages are searched only on the rows whose answer they can change.
    unexplained = ((decline == "") & failed & (message != "")).to_numpy()
    if unexplained.any():
        decline = decline.copy()
        decline[unexplained] = _per_value(
            message[unexplained], lambda m: m.str.extract(_DECLINE_IN_MESSAGE)[0].fillna(""))
    attempt_failed = pd.Series(np.zeros(n, dtype=bool))
    pi_rows = (ids == "").to_numpy()
    if pi_rows.any():
        attempt_failed[pi_rows] = _per_value(
            message[pi_rows], lambda m: m.str.contains(_ATTEMPT_FAILED)).astype(bool)
    rows = pd.DataFrame({
        "intent": intent,
        "time": time,
        "status": status,
        "event": event,
        "amount": amount,
        "currency": _coded_from(currency_codes, currency_names),
        "charge": ids.where(ids != "", None).astype("string"),
        "decline_code": _only_where(_coded(decline), failed.to_numpy()),
        "payment_method_type": coded_of(payment_method_column, "lower"),
        "amount_refunded": refunded,
        "fee": fee,
        "customer": _or_missing(text_of(customer_column)),
        "card_brand": coded_of(card_brand_column, "lower"),
        "card_country": coded_of(card_country_column, "upper"),
        "card_funding": coded_of(card_funding_column, "lower"),
        "converted_amount": converted,
        "converted_amount_refunded": converted_refunded,
        "converted_currency": _coded(account_currency.where(
            _in(account_currency, CURRENCIES), "")),
        "refunded_at": refunded_at,
        "amount_disputed": disputed,
        "dispute_status": coded_of(dispute_status_column, "lower"),
        "dispute_reason": coded_of(dispute_reason_column, "lower"),
        "description": _or_missing(text_of(description_column)),
        "statement_descriptor": _or_missing(text_of(descriptor_column)),
        "source_line": lines,
        "attempt_failed": attempt_failed.to_numpy() & failed.to_numpy(),
        "intent_inferred": pi == "",
    }, copy=False)
    for name in columns:  # what no text_of call read is kept by its export name
        match = _METADATA.match(name)
        if match:
            rows["metadata." + match.group(1)] = _or_missing(cells[name].fillna(""))
        elif name not in used and name not in coded and not _PERSONAL.search(name):
            rows[EXPORT_PREFIX + name] = _coded(cells[name].fillna(""))
    # the file's cells, and the stripped copies read from them, are no longer needed: the
    # log is built next, and would otherwise be built while they are all still held
    del records
    used.clear()
    cells = cells.iloc[:0]  # (``text_of`` and friends, which read it, are done)
    if not keep.all():
        rows = rows[keep].reset_index(drop=True)
    log = _with_creation(rows)
    # Category columns were coded before rows were filtered, joined and sorted (moving
    # integers, not strings); the categories only dropped rows held go now.
    for name in log.columns:
        if name in _CATEGORY_COLUMNS or name.startswith(EXPORT_PREFIX):
            log[name] = _without_unused(log[name].array)
    return ReadResult(log, report)


def _coded(values: pd.Series, case: str = "") -> pd.Categorical:
    """Text as a categorical, empty text missing: ``values.str.strip()`` (then
    ``.str.lower()`` or ``.str.upper()`` as ``case`` says) ``.replace("", None)
    .astype("category")``, by way of the few distinct values (sorted as pandas sorts them).
    """
    if _blank(values):  # an empty column (most exports have some): nothing to code
        return pd.Categorical.from_codes(np.full(len(values), -1, np.int8),
                                         categories=pd.Index([], dtype=str))
    codes, uniques = pd.factorize(values)
    return _coded_from(codes, uniques, case)


def _coded_from(codes: np.ndarray, uniques: Any, case: str = "") -> pd.Categorical:
    """``_coded`` of text already factorized (``pd.factorize``'s codes and uniques)."""
    uniques = pd.Index(uniques, dtype=str).str.strip()
    if case:
        uniques = getattr(uniques.str, case)()
    categories = uniques[uniques != ""].unique().sort_values()
    mapped = np.append(categories.get_indexer(uniques), -1)  # code -1 (NaN) stays -1
    return pd.Categorical.from_codes(mapped[codes], categories=categories)


def _without_unused(values: pd.Categorical) -> pd.Categorical:
    """``remove_unused_categories`` by counting codes (no sort when none is unused)."""
    if not len(values.categories):  # a blank column: nothing to count
        return values
    codes = values.codes
    counts = np.bincount(codes.astype(np.int64) + 1, minlength=len(values.categories) + 1)
    used = counts[1:] > 0
    if used.all():
        return values
    renumber = np.append(np.cumsum(used) - 1, -1)  # code -1 (missing) stays -1
    return pd.Categorical.from_codes(renumber[codes], categories=values.categories[used])


def _repeats(cells: pd.DataFrame, ids: pd.Series, intents: pd.Series,
             keep: np.ndarray) -> np.ndarray:
    """Kept rows that repeat an earlier kept row's object (overlapping exports joined).

    The object is the charge (``id``); a PaymentIntent row (no ``id``) is its intent,
    keyed ``pi:…`` so it never matches a charge; a row with neither is the whole row's
    text, ``row:…``. Ids that cannot look like those keys are compared among themselves
    and the few other rows together (no key of one set equals one of the other), so the
    long id column is never rewritten with keys.
    """
    repeated = np.zeros(len(keep), dtype=bool)
    if not keep.any():
        return repeated
    no_id = (ids == "").to_numpy()
    plain = keep & ~no_id & ~ids.str.startswith(("pi:", "row:")).to_numpy(bool)
    rows = np.flatnonzero(plain)
    repeated[rows] = ids.iloc[rows].duplicated(keep="first").to_numpy()
    rest = np.flatnonzero(keep & ~plain)
    if len(rest):
        key = ids.iloc[rest].copy()
        pi_rows = no_id[rest]
        key[pi_rows] = ("pi:" + intents.iloc[rest[pi_rows]]).to_numpy()
        nothing = rest[pi_rows & (intents.iloc[rest] == "").to_numpy()]
        if len(nothing):
            rows_text = cells.iloc[nothing].fillna("").astype(str).agg("\x1f".join, axis=1)
            key[np.isin(rest, nothing)] = ("row:" + rows_text).to_numpy()
        repeated[rest] = key.duplicated(keep="first").to_numpy()
    return repeated


def _fees(fees: pd.Series, fee_currencies: pd.Series, currencies: pd.Series
          ) -> tuple[pd.Series, pd.Series]:
    """Fees in the smallest unit of the currency they are in: the account's
    (``Converted Currency``) where the export gives it, else the payment's."""
    if not (fees != "").any():  # not in the export: no currency to work out
        return _minor_units(fees, currencies)
    known = pd.Series(_in(fee_currencies, CURRENCIES), index=fees.index)
    return _minor_units(fees, fee_currencies.where(known, currencies))


def _with_creation(rows: pd.DataFrame) -> pd.DataFrame:
    """The sorted log of the rows: each intent's creation row added, a PaymentIntent row
    kept only if it adds a status.

    A PaymentIntent row (empty ``id``) is dated at the intent's creation and shows its
    current status: it is kept as a snapshot (sorted last) only when that status differs
    from what the intent's last attempt row shows (or, with no attempts, from the initial
    status); otherwise the creation row already says everything it says. The rows are
    joined and sorted by index arithmetic first, then every column is taken once.
    """
    if rows.empty:
        return order_rows(rows)
    newest_first = is_newest_first(time_ns(rows["time"]))
    codes, intents = pd.factorize(rows["intent"])
    # Coded once here: the rows are joined and sorted moving integers, not ids.
    rows = rows.assign(intent=coded(codes, intents))
    ns = time_ns(rows["time"])
    is_pi = rows["charge"].isna().to_numpy()
    status = rows["status"].cat.codes.to_numpy()  # codes, not names: -1 shows none
    n_intents = int(codes.max()) + 1
    # Per intent: its earliest row, its latest time, the status of its last attempt row.
    order = np.lexsort((ns, codes))
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = codes[order][1:] != codes[order][:-1]
    first_row = order[starts]
    ends = np.append(np.flatnonzero(starts)[1:], len(order)) - 1
    latest = np.zeros(n_intents, dtype=np.int64)
    latest[codes[order[ends]]] = ns[order[ends]]
    initial = STATUS_DTYPE.categories.get_loc(INITIAL_STATUS.value)
    shown = np.full(n_intents, -1, dtype=np.int16)  # -1: no attempt row (or no status)
    attempt_order = order[~is_pi[order]]
    if len(attempt_order):
        last = np.ones(len(attempt_order), dtype=bool)
        last[:-1] = codes[attempt_order][1:] != codes[attempt_order][:-1]
        shown[codes[attempt_order[last]]] = status[attempt_order[last]]
    expected = shown[codes]
    has_attempt = expected >= 0
    expected = np.where(has_attempt, expected, initial)
    attempted = rows["attempt_failed"].to_numpy(dtype=bool) & ~has_attempt
    keep_pi = is_pi & ((status != expected) | attempted)
    # One take per column builds attempts, then snapshots, then creation rows.
    snapshots = np.flatnonzero(keep_pi)
    take = np.concatenate([np.flatnonzero(~is_pi), snapshots, first_row])
    made = np.arange(len(take)) >= len(take) - len(first_row)
    snap = np.zeros(len(take), dtype=bool)
    snap[len(take) - len(first_row) - len(snapshots):len(take) - len(first_row)] = True
    ns_out = ns[take]
    ns_out[snap] = latest[codes[snapshots]]
    status_out = status[take]
    status_out[made] = initial
    event_out = rows["event"].cat.codes.to_numpy()[take]
    event_out[snap] = EVENT_DTYPE.categories.get_loc(SNAPSHOT_EVENT)
    event_out[made] = EVENT_DTYPE.categories.get_loc("payment_intent.created")
    blank = np.where(made, -1, take)  # what an attempt row alone says: none on creation
    event_all = pd.Series(pd.Categorical.from_codes(event_out, dtype=EVENT_DTYPE))
    at, intent_codes, ids = log_order(ns_out, rows["intent"].iloc[take], event_all,
                                      newest_first=newest_first)
    take, blank = take[at], blank[at]
    out = {}
    for name in rows.columns:
        values = rows[name].array
        if name in ("attempt_failed", "intent"):
            continue
        if isinstance(values.dtype, pd.StringDtype) and values.isna().all():
            out[name] = _no_text(len(take), values.dtype)  # a blank column: nothing to take
        elif name in _ATTEMPT_ONLY:
            out[name] = values.take(blank, allow_fill=True)
        else:
            out[name] = values.take(take)
    out.update(intent=coded(intent_codes, ids),
               time=pd.DatetimeIndex(ns_out[at].view("M8[ns]")).tz_localize("UTC"),
               status=pd.Categorical.from_codes(status_out[at], dtype=STATUS_DTYPE),
               event=event_all.array.take(at), synthetic=made[at])
    return finish_log(pd.DataFrame(out, copy=False))
