"""Money: gross, refunded, fees and net, per currency and in the account's currency.

Gross is the amount of every captured charge (``charge_table``); refunded is what went
back (cumulative ``amount_refunded``); ``net_of_refunds`` is gross minus refunded, and
``net`` also minus fees. A
Dashboard export gives ``Fee`` in the account's currency (``Converted Currency``) next to
``Converted Amount`` and ``Converted Amount Refunded``, so fees are added up in the
``converted`` table; in the per-currency table a fee counts only where it is in that
currency (an export without ``Converted Currency``). Events carry no fees (they live on
the balance transaction, https://docs.stripe.com/api/balance_transactions/object): there
the fee columns say ``<NA>`` rather than 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from paykit.logs.analyses.additive_counts import Counts
from paykit.logs.analyses.drawable import Drawable
from paykit.logs.analyses.partition_counts import Partition, count_log

__all__ = ["Money", "count_money", "money", "money_from_counts"]

_COLUMNS = ["captured_charges", "gross", "refunded", "net_of_refunds", "fees", "net"]


@dataclass
class Money(Drawable):
    """``by_currency``: per presentment currency; ``converted``: per account currency."""

    by_currency: pd.DataFrame
    converted: pd.DataFrame

    def _repr_html_(self) -> str:
        return self.by_currency._repr_html_() + self.converted._repr_html_()

    def __str__(self) -> str:
        if self.by_currency.empty:
            return "no captured charges"
        parts = [f"{cur} gross {int(r['gross']):,}, net of refunds "
                 f"{int(r['net_of_refunds']):,}" for cur, r in self.by_currency.iterrows()]
        return "; ".join(parts) + " (smallest units)"


def _sums(frame: pd.DataFrame, key: str, gross: str, refunded: str, fee: pd.Series
          ) -> pd.DataFrame:
    work = pd.DataFrame({
        key: frame[key].astype(str), "captured_charges": 1,
        "gross": frame[gross].fillna(0).astype("int64"),
        "refunded": frame[refunded].fillna(0).astype("int64"),
        "fees": fee.fillna(0).astype("int64"),
        # no fee at all stays unknown, not 0
        "fee_charges": fee.notna().to_numpy(dtype=bool),
    })
    return work.groupby(key, sort=True).sum().astype("int64")


def _table(counts: pd.DataFrame) -> pd.DataFrame:
    table = counts[["captured_charges", "gross", "refunded"]].copy()
    table["fees"] = counts["fees"].astype("Int64").where(counts["fee_charges"] > 0)
    table["net_of_refunds"] = table["gross"] - table["refunded"]
    table["net"] = (table["net_of_refunds"] - table["fees"]).astype("Int64")
    return table[_COLUMNS]


def money(log: Any) -> Money:
    """Gross, refunded, fees and net of captured charges, per currency and converted.

    >>> from paykit.logs.arrays.log_schema import finish_log
    >>> log = finish_log(pd.DataFrame({"intent": ["pi_1", "pi_2"], "charge": ["ch_1", "ch_2"],
    ...     "time": pd.to_datetime([0, 0], unit="s", utc=True), "status": ["succeeded"] * 2,
    ...     "currency": ["eur", "eur"], "amount": [1000, 2000], "amount_refunded": [0, 500],
    ...     "fee": [59, 88], "converted_amount": [1100, 2200], "converted_currency": ["usd"] * 2,
    ...     "converted_amount_refunded": [0, 550]}))
    >>> m = money(log)
    >>> m.by_currency.loc["eur", ["net_of_refunds", "net"]].tolist()  # fees are in usd
    [2500, <NA>]
    >>> m.converted.loc["usd", ["gross", "refunded", "fees", "net"]].tolist()
    [3300, 550, 147, 2603]
    """
    return money_from_counts(count_log(log, [count_money]))


def count_money(part: Partition) -> Counts:
    """Per currency and per account currency: captured charges, gross, refunded, the
    fees known and how many charges had one.

    >>> from paykit.logs import simulate
    >>> sorted(count_money(Partition(simulate(50))))
    ['money.converted', 'money.currency']
    """
    charges = part.charges
    captured = charges[charges["captured"] & charges["currency"].notna()]
    fee_here = captured["fee"].where(captured["converted_currency"].isna()
                                     | (captured["converted_currency"] == captured["currency"]))
    conv = captured[captured["converted_currency"].notna()]
    return {
        "money.currency": _sums(captured, "currency", "amount", "amount_refunded", fee_here),
        "money.converted": _sums(conv, "converted_currency", "converted_amount",
                                 "converted_amount_refunded", conv["fee"]),
    }


def money_from_counts(counts: Counts) -> Money:
    """``money`` from its counts (``count_money``, added up over the log).

    >>> from paykit.logs import simulate
    >>> money_from_counts(count_log(simulate(100), [count_money])).by_currency.index.tolist()
    ['eur', 'gbp', 'jpy', 'usd']
    """
    by_currency = _table(counts["money.currency"])
    by_currency.index.name = "currency"
    converted = _table(counts["money.converted"])
    converted.index.name = "converted_currency"
    return Money(by_currency, converted)
