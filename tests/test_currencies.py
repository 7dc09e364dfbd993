"""The currency table: decimals, minimums, special cases, display and CSV reading."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paykit import currencies
from paykit.currencies import (
    CURRENCIES,
    DEFAULT_MINIMUM_AMOUNT,
    MAXIMUM_AMOUNT,
    SUPPORTED_CODES,
    THREE_DECIMAL,
    ZERO_DECIMAL,
    Currency,
    CurrencyDefinitionError,
    describe_amount,
    format_amount,
    get,
    to_minor_units,
)

#: https://docs.stripe.com/currencies (minimum charge amounts), in the smallest unit
REFERENCE_MINIMUMS = {
    "usd": 50, "aed": 200, "ars": 50, "aud": 50, "brl": 50, "cad": 50, "chf": 50,
    "cop": 50, "czk": 1500, "dkk": 250, "eur": 50, "gbp": 30, "hkd": 400, "huf": 17500,
    "idr": 50, "ils": 50, "inr": 50, "jpy": 50, "krw": 50, "mxn": 1000, "myr": 200,
    "nok": 300, "nzd": 50, "php": 50, "pln": 200, "ron": 200, "rub": 50, "sek": 300,
    "sgd": 50, "thb": 1000, "zar": 50,
}
REFERENCE_ZERO_DECIMAL = {
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd",
    "vuv", "xaf", "xof", "xpf",
}


def test_all_is_exact() -> None:
    public = {n for n in vars(currencies) if not n.startswith("_")}
    imported = {"Decimal", "annotations", "dataclass", "re"}
    assert set(currencies.__all__) == public - imported


# -- the table ------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "minimum"), sorted(REFERENCE_MINIMUMS.items()))
def test_minimums_come_from_the_reference(code: str, minimum: int) -> None:
    assert CURRENCIES[code].minimum_amount == minimum
    assert "reference" in CURRENCIES[code].note


def test_currencies_without_a_reference_minimum_use_50_units_and_say_so() -> None:
    others = [c for c in CURRENCIES.values() if c.code not in REFERENCE_MINIMUMS]
    assert len(others) > 30
    for c in others:
        expected = max(DEFAULT_MINIMUM_AMOUNT, c.must_be_multiple_of)
        assert c.minimum_amount == expected, c.code
        assert "paykit's default" in c.note, c.code


def test_the_table_covers_the_common_stripe_currencies() -> None:
    for code in ("twd", "isk", "try", "cny", "kwd", "bhd", "jod", "omr", "tnd", "vnd"):
        assert code in CURRENCIES


def test_every_zero_decimal_currency_of_the_reference_has_no_minor_unit() -> None:
    assert REFERENCE_ZERO_DECIMAL <= ZERO_DECIMAL
    assert {"isk"} == ZERO_DECIMAL - REFERENCE_ZERO_DECIMAL
    assert CURRENCIES["jpy"].exponent == 0
    assert CURRENCIES["jpy"].decimals == 0


def test_isk_and_ugx_are_sent_as_two_decimal_values_ending_in_00() -> None:
    for code in ("isk", "ugx"):
        c = CURRENCIES[code]
        assert (c.exponent, c.must_be_multiple_of, c.decimals) == (2, 100, 0)
        assert c.zero_decimal
        assert "ending in 00" in c.note
    assert to_minor_units("5", "isk") == 500


def test_three_decimal_currencies_are_multiples_of_10_and_unconfirmed_except_kwd() -> None:
    assert {"bhd", "jod", "kwd", "omr", "tnd"} == THREE_DECIMAL
    for code in THREE_DECIMAL:
        c = CURRENCIES[code]
        assert (c.exponent, c.must_be_multiple_of, c.decimals) == (3, 10, 3)
        assert ("UNCONFIRMED" in c.note) == (code != "kwd")


def test_huf_and_twd_are_two_decimal_for_charges_with_a_note_on_payouts() -> None:
    for code in ("huf", "twd"):
        c = CURRENCIES[code]
        assert (c.exponent, c.must_be_multiple_of) == (2, 1)
        assert "payout" in c.note


def test_every_currency_allows_eight_digits() -> None:
    assert MAXIMUM_AMOUNT == 99_999_999
    assert {c.maximum_amount for c in CURRENCIES.values()} == {MAXIMUM_AMOUNT}


def test_supported_codes_list_usd_first_then_alphabetically() -> None:
    assert SUPPORTED_CODES[0] == "usd"
    assert list(SUPPORTED_CODES[1:]) == sorted(SUPPORTED_CODES[1:])
    assert set(SUPPORTED_CODES) == set(CURRENCIES)


def test_a_broken_row_cannot_be_imported() -> None:
    bad_rows = [
        Currency("USD", 2, 50, "upper case", name="n"),
        Currency("kwd", 3, 55, "minimum not a multiple", 10, name="n"),
        Currency("xyz", 2, 50, "", name="no note"),
        Currency("xyz", 2, 50, "no name"),
        Currency("abc", 1, 50, "odd exponent", name="n"),
        Currency("def", 2, 50, "multiple does not divide 100", 3, name="n"),
        Currency("ghi", 2, 10**9, "minimum above maximum", name="n"),
        Currency("jkl", 2, 0, "no minimum", name="n"),
    ]
    for row in bad_rows:
        with pytest.raises(CurrencyDefinitionError):
            currencies._check((row,))
    with pytest.raises(CurrencyDefinitionError):
        currencies._check((CURRENCIES["usd"], CURRENCIES["usd"]))


def test_get_finds_exact_lowercase_codes_only() -> None:
    assert get("usd") is CURRENCIES["usd"]
    assert get("USD") is None
    assert get("xyz") is None
    assert get(None) is None
    assert get(["usd"]) is None


# -- display --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "code", "text"),
    [
        (1099, "usd", "$10.99"),
        (500, "jpy", "¥500"),
        (1099, "eur", "€10.99"),
        (5120, "kwd", "5.120 KWD"),
        (30, "gbp", "£0.30"),
        (500, "isk", "5 ISK"),
        (1099, "chf", "10.99 CHF"),
        (-1099, "usd", "-$10.99"),
        (0, "usd", "$0.00"),
        (1099, "xyz", "10.99 XYZ"),
        (1099, "USD", "$10.99"),
    ],
)
def test_format_amount_shows_what_a_person_reads(amount: int, code: str, text: str) -> None:
    assert format_amount(amount, code) == text


def test_format_amount_groups_digits_only_when_asked() -> None:
    assert format_amount(99_999_999, "usd") == "$999999.99"
    assert format_amount(99_999_999, "usd", grouping=True) == "$999,999.99"
    assert format_amount(99_999_999, "jpy", grouping=True) == "¥99,999,999"


def test_format_amount_hides_no_digit_of_an_isk_amount_not_ending_in_00() -> None:
    assert format_amount(550, "isk") == "5.50 ISK"


def test_describe_amount_writes_amounts_like_stripe_error_messages() -> None:
    assert describe_amount(50, "usd") == "$0.50 usd"
    assert describe_amount(17500, "huf") == "175.00 huf"
    assert describe_amount(50, "jpy") == "¥50 jpy"


# -- reading CSV amounts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "amount"),
    [
        ("10.99", "usd", 1099),
        ("10,99", "usd", 1099),
        ("10.9", "usd", 1090),
        ("10", "usd", 1000),
        (" $10.99 ", "usd", 1099),
        ("10.99 USD", "usd", 1099),
        ("1,234.56", "usd", 123456),
        ("1.234,56", "eur", 123456),
        ("1 234,56", "eur", 123456),
        ("1.000.000", "jpy", 1_000_000),
        ("-€3.50", "eur", -350),
        ("500", "jpy", 500),
        ("5.120", "kwd", 5120),
        ("5,124", "kwd", 5124),
        ("5", "isk", 500),
        ("123456789012345678901234567890.12", "usd", 12345678901234567890123456789012),
    ],
)
def test_to_minor_units_reads_comma_and_dot_decimals(text: str, code: str, amount: int) -> None:
    assert to_minor_units(text, code) == amount


def test_to_minor_units_takes_a_decimal() -> None:
    assert to_minor_units(Decimal("10.99"), "usd") == 1099


@pytest.mark.parametrize(
    ("text", "code"),
    [("10.999", "usd"), ("10.990", "usd"), ("1,000", "usd"), ("500.00", "jpy"),
     ("5.5", "isk"), ("5.1234", "kwd")],
)
def test_to_minor_units_refuses_more_decimals_than_the_currency_has(text: str, code: str) -> None:
    with pytest.raises(ValueError, match="decimals"):
        to_minor_units(text, code)


@pytest.mark.parametrize("text", ["", "abc", "1e5", "NaN", "Infinity", "10.", ".5", "1,2.3.4"])
def test_to_minor_units_refuses_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError):
        to_minor_units(text, "usd")


def test_to_minor_units_refuses_an_unsupported_currency() -> None:
    with pytest.raises(ValueError, match="unsupported currency"):
        to_minor_units("10.99", "xyz")


@st.composite
def _valid_amounts(draw: st.DrawFn) -> tuple[int, str]:
    code = draw(st.sampled_from(sorted(CURRENCIES)))
    c = CURRENCIES[code]
    units = draw(st.integers(-MAXIMUM_AMOUNT, MAXIMUM_AMOUNT)) // c.must_be_multiple_of
    return units * c.must_be_multiple_of, code


@given(_valid_amounts())
def test_format_amount_reads_back_with_to_minor_units_for_every_currency(
    case: tuple[int, str],
) -> None:
    amount, code = case
    assert to_minor_units(format_amount(amount, code), code) == amount


@given(_valid_amounts())
def test_grouped_amounts_with_decimals_read_back_too(case: tuple[int, str]) -> None:
    amount, code = case
    if CURRENCIES[code].decimals:
        assert to_minor_units(format_amount(amount, code, grouping=True), code) == amount


@pytest.mark.parametrize("code", sorted(CURRENCIES))
def test_every_minimum_reads_back_exactly(code: str) -> None:
    minimum = CURRENCIES[code].minimum_amount
    assert to_minor_units(format_amount(minimum, code), code) == minimum
