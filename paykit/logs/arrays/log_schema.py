"""The normalised payment log: one pandas DataFrame, the same whatever the export.

Every reader (events, object dumps, the Dashboard CSV, a ``paykit.Sandbox``) and
``simulate`` return this shape, so every analysis is written once. One row is one
observation of one PaymentIntent: an event, a Dashboard row, or a snapshot.

========================  ======================  =================================================
column                    dtype                   meaning
========================  ======================  =================================================
``intent``                category                PaymentIntent id (``pi_…``); codes in order of
                                                  first appearance, so analyses work on integers
``time``                  datetime64[ns, UTC]     when it happened (Stripe keeps whole seconds;
                                                  exports before 2024 only minutes)
``status``                category (7 statuses)   the PaymentIntent status this row shows, in
                                                  ``Status`` order; ``<NA>`` if it shows none
                                                  (charge events, refunds, disputes)
``event``                 category                Stripe event type; Dashboard rows get the charge
                                                  event they stand for; ``payment_intent.snapshot``
                                                  is a latest-state row (object dump, CSV)
``amount``                Int64                   amount in the smallest currency unit
``currency``              category                lowercase ISO code
``charge``                string                  ``ch_…``/``py_…`` id of the payment attempt
``decline_code``          category                decline code of a failed attempt (the error
                                                  ``code`` when the issuer gave none)
``payment_method_type``   category                ``card``, ``sepa_debit``, ``us_bank_account`` …
``amount_refunded``       Int64                   refunded amount, smallest unit, where known
``fee``                   Int64                   Stripe's fee, smallest unit (Dashboard ``Fee``)
``customer``              string                  ``cus_…`` id of the customer, where known
``card_brand``            category                ``visa``, ``mastercard`` … (lowercase)
``card_country``          category                the card's issuing country (ISO code)
``card_funding``          category                ``credit``, ``debit``, ``prepaid`` …
``converted_amount``      Int64                   the amount in the account's currency (Dashboard
                                                  ``Converted Amount``), smallest unit
``converted_amount_refunded`` Int64               refunded, in the account's currency
``converted_currency``    category                the account's (settlement) currency; ``fee`` is
                                                  in it when the export has it
``refunded_at``           datetime64[ns, UTC]     when the charge was refunded (Dashboard
                                                  ``Refunded date (UTC)``); events carry it as the
                                                  time of ``charge.refunded``
``amount_disputed``       Int64                   disputed amount, smallest unit (a dispute event's
                                                  ``amount``, Dashboard ``Disputed Amount``)
``dispute_status``        category                the dispute's status (``needs_response``, ``won``,
                                                  ``lost`` …)
``dispute_reason``        category                the dispute's reason (``fraudulent`` …)
``description``           string                  the object's description
``statement_descriptor``  string                  statement descriptor (or suffix) as sent
``event_id``              string                  ``evt_…`` for events, ``<NA>`` otherwise
``source_line``           int64                   1-based line where the row starts in its file;
                                                  0 when it did not come from a file
``synthetic``             bool                    the reader inferred this row (an intent's
                                                  creation seen only through a CSV row or object)
``intent_inferred``       bool                    the intent id was guessed (Dashboard rows
                                                  without a ``PaymentIntent ID``)
``metadata.<key>``        string or category      one column per metadata key
``export.<Column>``       category                any other Dashboard column, by its export name
                                                  (personal data such as names, e-mails and
                                                  addresses is not kept)
========================  ======================  =================================================

Readers return the log sorted by ``intent``, then ``time``, then the tie-break rank
(``transition_rules.TIE_RANK``: creation first, charge before PaymentIntent events, terminal
events last, snapshots after all), then input order made chronological.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from paykit.event_types import EVENT_TYPES
from paykit.logs.arrays.transition_rules import SNAPSHOT_EVENT, STATUSES

__all__ = [
    "COLUMNS",
    "EVENT_DTYPE",
    "EXPORT_PREFIX",
    "METADATA_PREFIX",
    "STATUS_DTYPE",
    "TIME_DTYPE",
    "TIME_RANGE",
    "Column",
    "empty_log",
    "finish_log",
    "metadata_columns",
    "null_strings",
    "schema_table",
]

STATUS_DTYPE = pd.CategoricalDtype([s.value for s in STATUSES])
EVENT_DTYPE = pd.CategoricalDtype([*sorted(EVENT_TYPES), SNAPSHOT_EVENT])
TIME_DTYPE = "datetime64[ns, UTC]"
METADATA_PREFIX = "metadata."
#: Dashboard columns kept under their own name, for ``by`` (``export.Card Brand``).
EXPORT_PREFIX = "export."
#: Timestamps outside this range (epoch seconds: 2000-01-01 to 2100-01-01) are impossible
#: for a Stripe payment: readers quarantine them.
TIME_RANGE = (946_684_800, 4_102_444_800)


@dataclass(frozen=True, slots=True)
class Column:
    """One documented column of the normalised log."""

    name: str
    dtype: Any
    meaning: str
    #: The Dashboard export's name for it, so ``by="Card Brand"`` finds ``card_brand``.
    export: str | None = None


COLUMNS: tuple[Column, ...] = (
    Column("intent", "category", "PaymentIntent id (pi_…), integer-coded"),
    Column("time", TIME_DTYPE, "when it happened, UTC"),
    Column("status", STATUS_DTYPE, "status this row shows; <NA> if none", "Status"),
    Column("event", EVENT_DTYPE, "Stripe event type (or payment_intent.snapshot)"),
    Column("amount", "Int64", "amount in the smallest currency unit"),
    Column("currency", "category", "lowercase ISO currency code", "Currency"),
    Column("charge", "string", "ch_/py_ id of the payment attempt"),
    Column("decline_code", "category", "decline code of a failed attempt", "Decline Reason"),
    Column("payment_method_type", "category", "card, sepa_debit, us_bank_account, …",
           "Payment Source Type"),
    Column("amount_refunded", "Int64", "refunded amount, smallest unit"),
    Column("fee", "Int64", "Stripe's fee, smallest unit", "Fee"),
    Column("customer", "string", "cus_… id of the customer", "Customer ID"),
    Column("card_brand", "category", "card brand (visa, mastercard, …)", "Card Brand"),
    Column("card_country", "category", "card's issuing country", "Card Issue Country"),
    Column("card_funding", "category", "credit, debit, prepaid, …", "Card Funding"),
    Column("converted_amount", "Int64", "amount in the account's currency, smallest unit",
           "Converted Amount"),
    Column("converted_amount_refunded", "Int64", "refunded, in the account's currency",
           "Converted Amount Refunded"),
    Column("converted_currency", "category", "the account's currency (fee is in it)",
           "Converted Currency"),
    Column("refunded_at", TIME_DTYPE, "when the charge was refunded, UTC",
           "Refunded date (UTC)"),
    Column("amount_disputed", "Int64", "disputed amount, smallest unit", "Disputed Amount"),
    Column("dispute_status", "category", "the dispute's status", "Dispute Status"),
    Column("dispute_reason", "category", "the dispute's reason", "Dispute Reason"),
    Column("description", "string", "the object's description"),
    Column("statement_descriptor", "string", "statement descriptor or suffix"),
    Column("event_id", "string", "evt_… id of the event"),
    Column("source_line", "int64", "1-based line in the source file; 0 if none"),
    Column("synthetic", "bool", "row inferred by the reader"),
    Column("intent_inferred", "bool", "intent id guessed (no PaymentIntent ID)"),
)
_NAMES = tuple(c.name for c in COLUMNS)


def schema_table() -> pd.DataFrame:
    """The schema as a table (column, dtype, meaning), for docs and notebooks.

    >>> schema_table().loc[0, "column"]
    'intent'
    """
    return pd.DataFrame(
        [(c.name, str(c.dtype), c.meaning) for c in COLUMNS],
        columns=["column", "dtype", "meaning"],
    )


def metadata_columns(log: pd.DataFrame) -> list[str]:
    """The ``metadata.<key>`` columns of a log, in their order.

    >>> metadata_columns(pd.DataFrame(columns=["intent", "metadata.order_id"]))
    ['metadata.order_id']
    """
    return [c for c in log.columns if str(c).startswith(METADATA_PREFIX)]


def _empty_column(column: Column, n: int) -> Any:
    if column.name in ("synthetic", "intent_inferred"):
        return np.zeros(n, dtype=bool)
    if column.name == "source_line":
        return np.zeros(n, dtype=np.int64)
    if isinstance(column.dtype, pd.CategoricalDtype) or column.dtype == "category":
        dtype = (column.dtype if isinstance(column.dtype, pd.CategoricalDtype)
                 else pd.CategoricalDtype([]))
        return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8), dtype=dtype)
    if column.dtype == "Int64":
        return pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, dtype=bool))
    if column.dtype == TIME_DTYPE:
        return pd.DatetimeIndex(np.full(n, "NaT", dtype="M8[ns]")).tz_localize("UTC").array
    return null_strings(n)


def null_strings(n: int) -> Any:
    """A string array of ``n`` missing values, built without n Python objects.

    >>> null_strings(2).isna().tolist()
    [True, True]
    """
    if pd.StringDtype().storage == "pyarrow":
        import pyarrow as pa

        return pd.array(pa.nulls(n, pa.large_string()), dtype="string")
    return pd.array(np.full(n, None, dtype=object), dtype="string")


def finish_log(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame every schema column with its dtype, in schema order (metadata last).

    Missing columns are added empty; extra ``metadata.`` columns are kept as strings,
    ``export.`` columns as categories, sorted by name (whatever the file's order).
    Readers and ``simulate`` call this last, so the dtypes are the same everywhere.

    >>> finish_log(pd.DataFrame({"intent": ["pi_1"], "time": [0]}))["status"].dtype == STATUS_DTYPE
    True
    """
    n = len(frame)
    out: dict[str, Any] = {}
    for column in COLUMNS:
        if column.name not in frame.columns:
            out[column.name] = _empty_column(column, n)
            continue
        values = frame[column.name]
        if column.dtype == TIME_DTYPE:
            if not isinstance(values.dtype, pd.DatetimeTZDtype):
                values = pd.to_datetime(values, utc=True)
            values = values.dt.as_unit("ns")
        elif isinstance(column.dtype, pd.CategoricalDtype):
            if values.dtype != column.dtype:
                values = values.astype(column.dtype)
        elif column.dtype == "category":
            if not isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype("category")
        elif values.dtype != column.dtype:
            values = values.astype(column.dtype)
        out[column.name] = values
    for name in metadata_columns(frame):
        values = frame[name]
        keep = values.dtype == "string" or isinstance(values.dtype, pd.CategoricalDtype)
        out[name] = values if keep else values.astype("string")
    for name in sorted(c for c in frame.columns if str(c).startswith(EXPORT_PREFIX)):
        values = frame[name]
        out[name] = values if isinstance(values.dtype, pd.CategoricalDtype) else \
            values.astype("category")
    return pd.DataFrame(out, index=pd.RangeIndex(n), copy=False)  # columns are new already


def empty_log() -> pd.DataFrame:
    """A log with no rows and every schema column, for empty inputs.

    >>> len(empty_log()), list(empty_log().columns)[:3]
    (0, ['intent', 'time', 'status'])
    """
    return finish_log(pd.DataFrame({name: [] for name in _NAMES}))
