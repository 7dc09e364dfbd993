"""Read a JSON Lines events file column by column: the fast way to the walker's log.

Webhook logs and ``stripe events list`` dumps are JSON Lines, one event per line, in
Stripe's regular shapes. pyarrow's JSON reader parses such a file in C++ straight into
columns, many times faster than decoding each line into Python dicts, so
``read_events`` tries it first. It is only a faster way to the same answer:

- the whole file goes to the record-by-record walker (``json_records``) when pyarrow
  refuses it (malformed JSON anywhere, a field whose type changes between lines, a
  pretty-printed file, a JSON list), when its lines are not each exactly one object, or
  when a field read here has a type the columns do not take (a number where text
  belongs, an expanded object where an id belongs);
- in a file it takes, each event the columns cannot settle (a dispute, another object's
  event, anything ``event_row`` would question: an unknown status or currency, an
  impossible time, an amount out of range, a missing id, a line nested deeply enough to
  trouble Python's parser) is decoded alone and goes through ``event_row``, so its row
  or its quarantine reason is the walker's.

``tests/logs/readers/test_logs_event_columns.py`` checks that both ways give the same
log and read report on every damaged file of the corpus and on Hypothesis's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from paykit.event_types import EVENT_TYPES
from paykit.logs.arrays.log_schema import TIME_RANGE
from paykit.logs.arrays.transition_rules import FAILURE_EVENT_TYPES, STATUS_EVENT_TYPES
from paykit.logs.readers.json_records import Broken, iter_records
from paykit.logs.readers.log_assembly import ROW_FIELDS, RowBuffer, flags, rows_frame
from paykit.logs.readers.read_report import ReadReport
from paykit.logs.readers.record_checks import (
    MAX_AMOUNT,
    Rejected,
    accepted,
    check_currency,
    check_status,
)
from paykit.logs.readers.source_text import Decoded

__all__ = ["columnar_events"]

#: Python's ``json`` gives up near 1,000 levels of nesting (the recursion limit); a
#: file whose inferred type nests this deep goes to the walker, which says which line.
_SAFE_DEPTH = 400
_OPENS_WITH_OBJECT = re.compile(r"[ \t\r\n]*\{")
_BLOCK_SIZE = 16 << 20
#: How many bytes of whole lines pyarrow parses at a time.
_PIECE_SIZE = 64 << 20


class _Unsuitable(Exception):
    """A field's type the columns do not take: the walker reads the file instead."""


def columnar_events(decoded: Decoded, report: ReadReport,
                    parse: Callable[[Any], tuple[dict[str, Any], Any]]) -> pd.DataFrame | None:
    """The rows of a JSON Lines events file in input order, as ``RowBuffer.frame`` has
    them (duplicates by event id already dropped and counted), or ``None`` when the
    file is not for this path. ``parse`` is ``event_row``, for the events the columns
    leave to it. A plain UTF-8 file is parsed from its own bytes, never decoded whole;
    once the file is read, ``decoded`` lets them go.

    >>> from paykit.logs.readers.event_records import event_row
    >>> from paykit.logs.readers.source_text import decode_source
    >>> line = ('{"id": "evt_1", "type": "payment_intent.created", "created": 1767225600, '
    ...         '"data": {"object": {"id": "pi_1", "object": "payment_intent"}}}')
    >>> report = ReadReport()
    >>> columnar_events(decode_source(line.encode()), report, event_row)["intent"].tolist()
    ['pi_1']
    >>> columnar_events(decode_source(f"[{line}]".encode()), report, event_row)  # a list
    """
    lines = _one_object_per_line(decoded)
    if lines is None:
        return None
    data, starts, ends, numbers = lines
    pieces = []
    buffer = pa.py_buffer(data)
    for first, last in _pieces(starts, ends):
        piece = _settled_piece(buffer.slice(int(starts[first]),
                                            int(ends[last - 1] - starts[first])), last - first)
        if piece is None:
            return None
        pieces.append(piece)
    fast, values, metadata = _joined(pieces)
    del pieces
    slow = RowBuffer()
    slow_rows: list[int] = []
    for row in np.flatnonzero(~fast):
        line = data[starts[row]:ends[row]].decode("utf-8")
        for _, (parsed, meta) in accepted(_records_at(line, int(numbers[row])), report, parse):
            parsed["source_line"] = int(numbers[row])
            slow.add(parsed, meta)
            slow_rows.append(int(row))
    # the file's bytes are read: let them go before the rows are merged and typed (the
    # caller, ``read``, may still hold ``decoded``)
    del data, buffer, lines
    decoded.release()
    settled = int(fast.sum())
    report.rows_read += settled
    report.rows_parsed += settled
    values["source_line"] = pa.array(numbers)
    return _merged(values, metadata, fast, slow, np.array(slow_rows, dtype=np.int64), report)


def _pieces(starts: np.ndarray, ends: np.ndarray) -> Iterator[tuple[int, int]]:
    """Ranges of whole lines of about ``_PIECE_SIZE`` bytes each (the last may be
    smaller; a line longer than that is a piece of its own)."""
    first = 0
    while first < len(starts):
        last = int(np.searchsorted(ends, starts[first] + _PIECE_SIZE, side="right"))
        last = max(last, first + 1)
        yield first, last
        first = last


def _settled_piece(piece: pa.Buffer, lines: int
                   ) -> tuple[np.ndarray, _Columns, _Columns] | None:
    """``_settled_rows`` of one piece of whole lines, or ``None`` when the walker must
    read the file. Parsed piece by piece, the file's parsed objects (several times its
    size) are never all in memory: only the fields read from them are kept."""
    try:
        table = pj.read_json(pa.BufferReader(piece), memory_pool=pa.system_memory_pool(),
                             read_options=pj.ReadOptions(block_size=_BLOCK_SIZE))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    if table.num_rows != lines or _nests_deeply(table.schema):
        return None
    try:
        return _settled_rows(table.to_struct_array())
    except _Unsuitable:
        return None


def _joined(pieces: list[tuple[np.ndarray, _Columns, _Columns]]
            ) -> tuple[np.ndarray, _Columns, _Columns]:
    """The pieces' settled flags, values and metadata as those of one file (a metadata
    key a piece does not have is null there)."""
    if len(pieces) == 1:
        return pieces[0]
    sizes = [len(fast) for fast, _, _ in pieces]

    def joined(arrays: list[pa.Array | None]) -> pa.Array:
        kind = next((a.type for a in arrays if a is not None and not pa.types.is_null(a.type)),
                    pa.string())
        return pa.concat_arrays([pa.nulls(size, kind) if a is None else _flat(a).cast(kind)
                                 for a, size in zip(arrays, sizes, strict=True)])

    names = dict.fromkeys(name for _, values, _ in pieces for name in values)
    keys = dict.fromkeys(key for _, _, metadata in pieces for key in metadata)
    return (np.concatenate([fast for fast, _, _ in pieces]),
            {name: joined([values.get(name) for _, values, _ in pieces]) for name in names},
            {key: joined([metadata.get(key) for _, _, metadata in pieces]) for key in keys})


def _one_object_per_line(decoded: Decoded
                         ) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray] | None:
    """The UTF-8 bytes, and the start, end and number of each non-empty line, when each
    non-empty line starts with ``{`` and ends with ``}`` and none holds ``}{``."""
    if not _OPENS_WITH_OBJECT.match(decoded.head(_BLOCK_SIZE)):
        return None
    data = decoded.utf8
    if data is None:
        try:
            data = decoded.text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: only the walker keeps it as it is
            return None
    if b"}{" in data or b"} {" in data:
        return None
    buffer = np.frombuffer(data, dtype=np.uint8)
    breaks = np.concatenate([np.zeros(0, dtype=np.int64)] + [  # no full-size mask
        np.flatnonzero(buffer[at:at + _BLOCK_SIZE] == 10) + at
        for at in range(0, len(buffer), _BLOCK_SIZE)])
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(buffer)]))
    before = np.maximum(ends - 1, 0)
    ends = ends - ((ends > starts) & (buffer[before] == 13))  # a CRLF line ends before \r
    kept = ends > starts
    starts, ends = starts[kept], ends[kept]
    if not len(starts) or not ((buffer[starts] == 123).all() and (buffer[ends - 1] == 125).all()):
        return None
    return data, starts, ends, np.flatnonzero(kept) + 1


def _nests_deeply(schema: pa.Schema) -> bool:
    """Whether the inferred type nests ``_SAFE_DEPTH`` levels: no line's JSON nests deeper
    than its type does (counted without recursion, for the same reason)."""
    level = [field.type for field in schema]
    for _ in range(_SAFE_DEPTH):
        if not level:
            return False
        level = [kind.field(i).type for kind in level for i in range(kind.num_fields)]
    return True


def _records_at(line: str, number: int) -> Iterator[tuple[int, Any] | Broken]:
    """The walker's records of one line, numbered as the line is in the file."""
    for record in iter_records(line):
        if isinstance(record, Broken):
            yield Broken(number, record.reason, record.raw)
        else:
            yield number, record[1]


# -- the columns -------------------------------------------------------------------------

def _child(array: pa.Array | None, name: str) -> pa.Array | None:
    """``value.get(name)`` where value is a Mapping, column-wise (None: never one)."""
    if array is None or not pa.types.is_struct(array.type):
        return None
    if array.type.get_field_index(name) < 0:
        return None
    return _flat(pc.struct_field(array, name))


def _flat(array: Any) -> Any:
    """Objects stay in the parser's chunks (copying them would double the table);
    the fields read are joined into one array each."""
    if isinstance(array, pa.ChunkedArray) and not pa.types.is_struct(array.type):
        return array.combine_chunks()
    return array


def _path(array: pa.Array | None, *names: str) -> pa.Array | None:
    for name in names:
        array = _child(array, name)
    return array


def _strings(array: pa.Array | None, n: int) -> pa.Array:
    """A text or id field as strings; any other type is left to the walker."""
    if array is None or pa.types.is_null(array.type):
        return pa.nulls(n, pa.string())
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array.cast(pa.string())
    raise _Unsuitable(array.type)


def _text(array: pa.Array | None, n: int) -> pa.Array:
    """``check_text`` / ``_id`` on strings: the empty string is no value."""
    values = _strings(array, n)
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def _either(first: pa.Array, second: pa.Array) -> pa.Array:
    """``first or second`` on text."""
    return pc.if_else(pc.fill_null(pc.not_equal(first, ""), False), first, second)


def _ints(array: pa.Array | None, n: int) -> pa.Array:
    if array is None or pa.types.is_null(array.type):
        return pa.nulls(n, pa.int64())
    if pa.types.is_int64(array.type):
        return array
    raise _Unsuitable(array.type)


def _mapped(values: pa.Array, change: Callable[[str], str | None]) -> tuple[pa.Array, np.ndarray]:
    """``change`` applied to each distinct value (few: currencies, statuses, brands), and
    where ``change`` rejected it."""
    encoded = pc.dictionary_encode(values)
    new: list[str | None] = []
    bad: list[bool] = []
    for value in encoded.dictionary.to_pylist():
        try:
            new.append(change(value))
            bad.append(False)
        except Rejected:
            new.append(None)
            bad.append(True)
    indices = encoded.indices
    return (pa.array(new, pa.string()).take(indices),
            flags(pa.array(bad, pa.bool_()).take(indices)))


def _in(values: pa.Array, names: Any) -> np.ndarray:
    return flags(pc.is_in(values, value_set=pa.array(sorted(names), pa.string())))


_Columns = dict[str, pa.Array]


def _settled_rows(root: pa.ChunkedArray) -> tuple[np.ndarray, _Columns, _Columns]:
    """Which rows the columns settle, their values per log field, and their metadata.

    Each expression is ``event_row``'s, written for whole columns; a row is settled only
    when ``event_row`` would accept it and every value below is the one it would give.
    """
    n = len(root)
    obj = _path(root, "data", "object")
    etype = _strings(_child(root, "type"), n)
    kind = _strings(_child(obj, "object"), n)
    is_pi, is_charge = flags(pc.equal(kind, "payment_intent")), flags(pc.equal(kind, "charge"))
    created = _ints(_child(root, "created"), n)
    time_ok = flags(pc.and_(pc.greater_equal(created, TIME_RANGE[0]),
                            pc.less(created, TIME_RANGE[1])))

    def amount(name: str) -> tuple[pa.Array, np.ndarray]:
        values = _ints(_child(obj, name), n)
        inside = pc.less_equal(pc.abs(values), MAX_AMOUNT)
        return values, ~flags(values.is_valid()) | flags(inside)

    amount_values, amount_ok = amount("amount")
    refunded, refunded_ok = amount("amount_refunded")
    currency, bad_currency = _mapped(_strings(_child(obj, "currency"), n), check_currency)
    failure = _in(etype, FAILURE_EVENT_TYPES)
    values: dict[str, pa.Array] = {
        "event": etype,
        "event_id": _text(_child(root, "id"), n),
        "time": created,
        "amount": amount_values,
        "currency": currency,
        "description": _text(_child(obj, "description"), n),
        "statement_descriptor": _text(_either(
            _strings(_child(obj, "statement_descriptor"), n),
            _strings(_child(obj, "statement_descriptor_suffix"), n)), n),
        "customer": _text(_child(obj, "customer"), n),
    }
    pi_intent = _text(_child(obj, "id"), n)
    status, bad_status = _pi_status(obj, etype, n)
    pi_decline, pi_method = _pi_failure(obj, failure, n)
    charge_intent = _text(_child(obj, "payment_intent"), n)
    details = _child(obj, "payment_method_details")
    card = _child(details, "card")
    brand, _ = _mapped(_text(_child(card, "brand"), n), str.lower)
    outcome_reason = _strings(_path(obj, "outcome", "reason"), n)
    charge_decline = _text(_either(outcome_reason, _strings(_child(obj, "failure_code"), n)), n)

    pi, charge = pa.array(is_pi), pa.array(is_charge)
    failing = pa.array(failure)
    none = pa.nulls(n, pa.string())
    values.update({
        "intent": pc.if_else(pi, pi_intent, charge_intent),
        "status": pc.if_else(pi, status, none),
        "charge": pc.if_else(pi, _text(_child(obj, "latest_charge"), n),
                             _text(_child(obj, "id"), n)),
        "decline_code": pc.if_else(pi, pi_decline, pc.if_else(failing, charge_decline, none)),
        "payment_method_type": pc.if_else(pi, pi_method, _text(_child(details, "type"), n)),
        "amount_refunded": pc.if_else(charge, refunded, pa.nulls(n, pa.int64())),
        "card_brand": pc.if_else(charge, brand, none),
        "card_country": pc.if_else(charge, _text(_child(card, "country"), n), none),
        "card_funding": pc.if_else(charge, _text(_child(card, "funding"), n), none),
    })
    settled = (
        _in(etype, EVENT_TYPES) & time_ok & amount_ok & ~bad_currency
        & ((is_pi & flags(pi_intent.is_valid()) & ~bad_status)
           | (is_charge & flags(charge_intent.is_valid()) & refunded_ok))
    )
    return settled, values, _metadata(_child(obj, "metadata"))


def _pi_status(obj: pa.Array | None, etype: pa.Array, n: int) -> tuple[pa.Array, np.ndarray]:
    """A PaymentIntent event's status: its object's (legacy names read as today's), else
    the status its type reports; and where the object's status is unknown."""
    status, bad = _mapped(_strings(_child(obj, "status"), n), check_status)
    reported = {name: (s.value if s else None) for name, s in STATUS_EVENT_TYPES.items()}
    fallback, _ = _mapped(etype, reported.get)
    known = pa.array(_in(etype, STATUS_EVENT_TYPES))
    none = pa.nulls(n, pa.string())
    return pc.if_else(known, pc.coalesce(status, fallback), none), bad


def _pi_failure(obj: pa.Array | None, failure: np.ndarray, n: int) -> tuple[pa.Array, pa.Array]:
    """A PaymentIntent event's decline code and payment method type."""
    error = _child(obj, "last_payment_error")
    failing = pa.array(failure & (flags(error.is_valid()) if error is not None else False))
    none = pa.nulls(n, pa.string())
    decline = _text(_either(_strings(_child(error, "decline_code"), n),
                            _strings(_child(error, "code"), n)), n)
    from_error = pc.if_else(failing, _text(_path(error, "payment_method", "type"), n), none)
    method = _child(obj, "payment_method")  # an id unless expanded: only then a Mapping
    expanded = pa.array(flags(method.is_valid()) if method is not None
                        and pa.types.is_struct(method.type) else np.zeros(n, dtype=bool))
    fallback = pc.if_else(expanded, _text(_child(method, "type"), n), _only_item(
        _child(obj, "payment_method_types"), n))
    return (pc.if_else(failing, decline, none), pc.coalesce(from_error, fallback))


def _only_item(lists: pa.Array | None, n: int) -> pa.Array:
    """The item of each one-item list of text (``payment_method_types``), else null."""
    if lists is None or pa.types.is_null(lists.type):
        return pa.nulls(n, pa.string())
    if not pa.types.is_list(lists.type):
        raise _Unsuitable(lists.type)
    single = pa.array(flags(pc.equal(pc.list_value_length(lists), 1)))
    items = pc.list_element(pc.if_else(single, lists, pa.scalar(None, lists.type)), 0)
    return _text(items, n)


def _metadata(metadata: pa.Array | None) -> dict[str, pa.Array]:
    """The object's metadata, key by key (values are text in Stripe's objects)."""
    if metadata is None or not pa.types.is_struct(metadata.type):
        return {}
    out: dict[str, pa.Array] = {}
    for index in range(metadata.type.num_fields):
        name = metadata.type.field(index).name
        values = _flat(pc.struct_field(metadata, index))
        if pa.types.is_null(values.type):
            continue
        out[name] = _strings(values, len(values))
    return out


# -- back to the walker's frame ----------------------------------------------------------

def _merged(values: dict[str, pa.Array], metadata: dict[str, pa.Array], fast: np.ndarray,
            slow: RowBuffer, slow_rows: np.ndarray, report: ReadReport) -> pd.DataFrame:
    """The settled rows and the walker's rows in line order, one per event id."""
    settled = np.flatnonzero(fast)
    order = pa.array(np.argsort(np.concatenate((settled, slow_rows)), kind="stable"))
    picked = pa.array(settled)
    slow_columns, slow_metadata = slow.arrays()

    def column(fast_values: pa.Array | None, slow_values: pa.Array | None) -> pa.Array:
        given = fast_values if fast_values is not None else slow_values
        assert given is not None  # every key comes from one side or the other
        kind = given.type
        head = (fast_values.take(picked) if fast_values is not None
                else pa.nulls(len(settled), kind))
        tail = slow_values if slow_values is not None else pa.nulls(slow.size, kind)
        return pa.concat_arrays([head.cast(kind), tail.cast(kind)]).take(order)

    columns = {name: column(values.get(name), slow_columns[name]) for name in ROW_FIELDS
               if name != "synthetic"}
    meta = {key: column(metadata.get(key), slow_metadata.get(key))
            for key in sorted(set(metadata) | set(slow_metadata))}
    # Arrow-backed: hashed without a Python string per event
    ids = pd.Series(pd.array(columns["event_id"], dtype=pd.StringDtype("pyarrow")))
    repeated = (ids.notna() & ids.duplicated()).to_numpy()
    report.duplicates += int(repeated.sum())
    if repeated.any():
        keep = pa.array(~repeated)
        columns = {name: array.filter(keep) for name, array in columns.items()}
        meta = {key: array.filter(keep) for key, array in meta.items()}
        meta = {key: array for key, array in meta.items() if array.null_count < len(array)}
    return rows_frame(columns, meta)
