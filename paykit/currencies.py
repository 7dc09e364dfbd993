"""The currencies paykit accepts, as ONE declarative table: ``CURRENCIES``.

Stripe amounts are integers in the currency's *smallest unit*, so a charge's meaning
depends on the currency: ``1099`` is $10.99 in ``usd``, ¥1,099 in ``jpy`` and 1.099 KWD in
``kwd``. Each row says how many decimals the API's integer carries (``exponent``), the
minimum charge, and the special cases Stripe documents
(https://docs.stripe.com/currencies; "the reference" in the notes below is that page):

- zero-decimal currencies (``jpy``, ``krw``, ...): ``500`` means ¥500;
- three-decimal currencies (``kwd``, ...): the last digit must be 0 (5.124 KWD → 5120);
- ``isk`` and ``ugx``: zero-decimal, yet sent as two-decimal values ending in ``00``
  (5 ISK → ``500``), for backwards compatibility;
- ``huf`` and ``twd``: charged as two-decimal values, zero-decimal only for payouts.

The parameter rules (``paykit.params``) read the minimums, maximums and multiples from
here; ``format_amount`` and ``to_minor_units`` convert for display and for CSV exports.

>>> format_amount(1099, "usd"), format_amount(500, "jpy"), format_amount(5120, "kwd")
('$10.99', '¥500', '5.120 KWD')
>>> to_minor_units("10,99", "usd")
1099
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "CURRENCIES",
    "DEFAULT_MINIMUM_AMOUNT",
    "MAXIMUM_AMOUNT",
    "SUPPORTED_CODES",
    "THREE_DECIMAL",
    "ZERO_DECIMAL",
    "Currency",
    "CurrencyDefinitionError",
    "describe_amount",
    "format_amount",
    "get",
    "to_minor_units",
]

#: "The amount value supports up to eight digits"
#: (https://docs.stripe.com/api/payment_intents/create#create_payment_intent-amount). The
#: currencies page also lists higher limits for some cards and currencies (12 digits for most
#: cards, IDR 12, COP 10, INR 9 for non-card methods); paykit keeps the API field's
#: documented 8 digits for every currency.
MAXIMUM_AMOUNT = 99_999_999

#: [paykit choice] For a supported currency the reference gives no minimum for, paykit
#: uses 50 in the smallest unit the API uses (what USD's $0.50 is), rounded up to a
#: multiple the API accepts (100 for ``isk``). Stripe's real minimum depends on the
#: settlement currency; this number only keeps the sandbox consistent.
DEFAULT_MINIMUM_AMOUNT = 50

_NO_REFERENCE_MINIMUM = "minimum not in the reference: paykit's default of 50 smallest units"


@dataclass(frozen=True, slots=True)
class Currency:
    """One supported currency and the amount rules the API applies to it.

    ``exponent`` is the number of decimals in the API's integer (2 for ``usd``: 1099 is
    10.99). ``must_be_multiple_of`` is 10 for three-decimal currencies and 100 for
    ``isk``/``ugx``; ``minimum_amount`` and ``maximum_amount`` are in the smallest unit.
    ``note`` says where the minimum comes from and what is special about the currency.
    """

    code: str
    exponent: int
    minimum_amount: int
    note: str
    must_be_multiple_of: int = 1
    symbol: str | None = None
    name: str = ""
    maximum_amount: int = MAXIMUM_AMOUNT

    @property
    def zero_decimal(self) -> bool:
        """No fractional units exist (``jpy``; also ``isk``, whose amounts end in 00)."""
        return self.must_be_multiple_of == 10**self.exponent

    @property
    def decimals(self) -> int:
        """Decimals a person writes: 0 for ``jpy`` and ``isk``, 2 for ``usd``, 3 for ``kwd``."""
        return 0 if self.zero_decimal else self.exponent


def _two(code: str, name: str, minimum: int | None = None, symbol: str | None = None,
         note: str = "") -> Currency:
    """A two-decimal currency; no ``minimum`` means paykit's documented default."""
    if minimum is None:
        minimum, note = DEFAULT_MINIMUM_AMOUNT, note or _NO_REFERENCE_MINIMUM
    return Currency(code, 2, minimum, note or "minimum from the reference", 1, symbol, name)


def _zero(code: str, name: str, minimum: int | None = None, symbol: str | None = None) -> Currency:
    """A zero-decimal currency: the amount is in whole units (500 jpy is ¥500)."""
    note = "zero-decimal; minimum from the reference"
    if minimum is None:
        minimum, note = DEFAULT_MINIMUM_AMOUNT, f"zero-decimal; {_NO_REFERENCE_MINIMUM}"
    return Currency(code, 0, minimum, note, 1, symbol, name)


def _three(code: str, name: str, confirmed: bool = False) -> Currency:
    """A three-decimal currency: the API refuses amounts whose last digit is not 0."""
    status = "" if confirmed else " [UNCONFIRMED as three-decimal officially]"
    return Currency(
        code, 3, DEFAULT_MINIMUM_AMOUNT,
        f"three-decimal: amounts must end in 0 (5.124 → 5120){status}; "
        f"{_NO_REFERENCE_MINIMUM}",
        10, name=name,
    )


def _zero_sent_as_two(code: str, name: str) -> Currency:
    """``isk``/``ugx``: zero-decimal, but the API takes two-decimal values ending in 00."""
    return Currency(
        code, 2, 100,
        "zero-decimal, sent as a two-decimal value ending in 00 (5 → 500) for backwards "
        "compatibility; minimum not in the reference: paykit's default of 50 rounded up "
        "to 100 (one whole unit)",
        100, name=name,
    )


_ROWS: tuple[Currency, ...] = (
    # -- minimums from https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts
    _two("usd", "US Dollar", 50, "$"),
    _two("aed", "UAE Dirham", 200),
    _two("ars", "Argentine Peso", 50),
    _two("aud", "Australian Dollar", 50, "A$"),
    _two("brl", "Brazilian Real", 50, "R$"),
    _two("cad", "Canadian Dollar", 50, "CA$"),
    _two("chf", "Swiss Franc", 50),
    _two("cop", "Colombian Peso", 50),
    _two("czk", "Czech Koruna", 1500),
    _two("dkk", "Danish Krone", 250),
    _two("eur", "Euro", 50, "€"),
    _two("gbp", "British Pound", 30, "£"),
    _two("hkd", "Hong Kong Dollar", 400, "HK$"),
    _two("huf", "Hungarian Forint", 17500, None,
         "minimum from the reference; charged as two-decimal, zero-decimal for payouts "
         "(payout amounts divisible by 100)"),
    _two("idr", "Indonesian Rupiah", 50),
    _two("ils", "Israeli New Shekel", 50, "₪"),
    _two("inr", "Indian Rupee", 50, "₹"),
    _zero("jpy", "Japanese Yen", 50, "¥"),
    _zero("krw", "South Korean Won", 50, "₩"),
    _two("mxn", "Mexican Peso", 1000, "MX$"),
    _two("myr", "Malaysian Ringgit", 200),
    _two("nok", "Norwegian Krone", 300),
    _two("nzd", "New Zealand Dollar", 50, "NZ$"),
    _two("php", "Philippine Peso", 50, "₱"),
    _two("pln", "Polish Złoty", 200),
    _two("ron", "Romanian Leu", 200),
    _two("rub", "Russian Ruble", 50),
    _two("sek", "Swedish Krona", 300),
    _two("sgd", "Singapore Dollar", 50, "S$"),
    _two("thb", "Thai Baht", 1000, "฿"),
    _two("zar", "South African Rand", 50),
    # -- the other zero-decimal currencies (https://docs.stripe.com/currencies) -----------
    _zero("bif", "Burundian Franc"),
    _zero("clp", "Chilean Peso"),
    _zero("djf", "Djiboutian Franc"),
    _zero("gnf", "Guinean Franc"),
    _zero("kmf", "Comorian Franc"),
    _zero("mga", "Malagasy Ariary"),
    _zero("pyg", "Paraguayan Guaraní"),
    _zero("rwf", "Rwandan Franc"),
    _zero("vnd", "Vietnamese Đồng", None, "₫"),
    _zero("vuv", "Vanuatu Vatu"),
    _zero("xaf", "Central African CFA Franc"),
    _zero("xof", "West African CFA Franc"),
    _zero("xpf", "CFP Franc"),
    # -- zero-decimal, sent as two decimals ending in 00 (the page's "special cases") ---
    _zero_sent_as_two("isk", "Icelandic Króna"),
    _zero_sent_as_two("ugx", "Ugandan Shilling"),
    # -- three-decimal: the page's example is KWD; the others are UNCONFIRMED officially -
    _three("bhd", "Bahraini Dinar"),
    _three("jod", "Jordanian Dinar"),
    _three("kwd", "Kuwaiti Dinar", confirmed=True),
    _three("omr", "Omani Rial"),
    _three("tnd", "Tunisian Dinar"),
    # -- other Stripe-supported currencies, no minimum in the reference -------------------
    _two("twd", "New Taiwan Dollar", None, "NT$",
         f"charged as two-decimal, zero-decimal for payouts (payout amounts divisible by "
         f"100); {_NO_REFERENCE_MINIMUM}"),
    _two("try", "Turkish Lira", None, "₺"),
    _two("cny", "Chinese Yuan", None, "CN¥"),
    _two("bdt", "Bangladeshi Taka"),
    _two("bgn", "Bulgarian Lev"),
    _two("egp", "Egyptian Pound"),
    _two("gel", "Georgian Lari"),
    _two("kes", "Kenyan Shilling"),
    _two("kzt", "Kazakhstani Tenge"),
    _two("lkr", "Sri Lankan Rupee"),
    _two("mad", "Moroccan Dirham"),
    _two("ngn", "Nigerian Naira", None, "₦"),
    _two("pen", "Peruvian Sol"),
    _two("pkr", "Pakistani Rupee"),
    _two("qar", "Qatari Riyal"),
    _two("rsd", "Serbian Dinar"),
    _two("sar", "Saudi Riyal"),
    _two("uah", "Ukrainian Hryvnia", None, "₴"),
    _two("uyu", "Uruguayan Peso"),
)

#: Every supported currency by its lowercase ISO code.
CURRENCIES: dict[str, Currency] = {c.code: c for c in _ROWS}

#: The codes in the order Stripe lists them in its "Invalid currency" message: usd first.
SUPPORTED_CODES: tuple[str, ...] = ("usd", *sorted(set(CURRENCIES) - {"usd"}))
#: Currencies without fractional units (including ``isk``/``ugx``, sent with 00).
ZERO_DECIMAL: frozenset[str] = frozenset(c.code for c in _ROWS if c.zero_decimal)
#: Currencies whose API amounts carry three decimals.
THREE_DECIMAL: frozenset[str] = frozenset(c.code for c in _ROWS if c.exponent == 3)


class CurrencyDefinitionError(Exception):
    """The currency table breaks a rule every row must keep."""


def _check(rows: tuple[Currency, ...]) -> None:
    """Refuse a table the amount rules could not use (checked at import)."""
    seen: set[str] = set()
    for c in rows:
        if not re.fullmatch(r"[a-z]{3}", c.code) or c.code in seen:
            raise CurrencyDefinitionError(f"bad or repeated code: {c.code!r}")
        seen.add(c.code)
        if c.exponent not in (0, 2, 3):
            raise CurrencyDefinitionError(f"{c.code}: exponent {c.exponent}")
        if (10**c.exponent) % c.must_be_multiple_of:
            raise CurrencyDefinitionError(f"{c.code}: multiple must divide 10**exponent")
        if not 0 < c.minimum_amount < c.maximum_amount:
            raise CurrencyDefinitionError(f"{c.code}: minimum out of range")
        if c.minimum_amount % c.must_be_multiple_of:
            raise CurrencyDefinitionError(f"{c.code}: minimum is not a valid amount")
        if not c.note or not c.name:
            raise CurrencyDefinitionError(f"{c.code}: every row has a name and a note")


_check(_ROWS)


def get(code: object) -> Currency | None:
    """The currency for an exact lowercase ISO code, ``None`` when unsupported."""
    return CURRENCIES.get(code) if isinstance(code, str) else None


def _lookup(currency: str) -> Currency | None:
    """Display helpers are forgiving about case: ``"USD"`` finds ``usd``."""
    return CURRENCIES.get(currency.lower()) if isinstance(currency, str) else None


def _number(amount: int, exponent: int, decimals: int, grouping: bool) -> str:
    """``amount`` smallest units as a positive decimal string with ``decimals`` places."""
    whole, minor = divmod(abs(amount), 10**exponent)
    minor //= 10 ** (exponent - decimals)
    text = f"{whole:,}" if grouping else str(whole)
    return f"{text}.{minor:0{decimals}d}" if decimals else text


def _parts(amount: int, currency: str, grouping: bool) -> tuple[str, str | None, str]:
    """(sign, symbol, number) for display; unknown currencies are shown with 2 decimals."""
    found = _lookup(currency)
    exponent = found.exponent if found else 2
    decimals = found.decimals if found else 2
    if amount % 10 ** (exponent - decimals):
        decimals = exponent  # not a whole number of units: show every digit, hide nothing
    sign = "-" if amount < 0 else ""
    return sign, (found.symbol if found else None), _number(amount, exponent, decimals, grouping)


def format_amount(amount: int, currency: str, *, grouping: bool = False) -> str:
    """An API amount as a person reads it: ``1099 usd`` → ``"$10.99"``.

    Currencies without a symbol here show their code: ``5120 kwd`` → ``"5.120 KWD"``.
    Digits are not grouped unless ``grouping=True`` (``"$999,999.99"``), so that the
    default text reads back unchanged with ``to_minor_units``.

    >>> format_amount(500, "jpy"), format_amount(500, "isk"), format_amount(1099, "xyz")
    ('¥500', '5 ISK', '10.99 XYZ')
    """
    sign, symbol, number = _parts(amount, currency, grouping)
    if symbol:
        return f"{sign}{symbol}{number}"
    return f"{sign}{number} {currency.upper()}"


def describe_amount(amount: int, currency: str) -> str:
    """An amount the way Stripe's error messages write it: ``"$0.50 usd"``.

    >>> describe_amount(50, "usd"), describe_amount(17500, "huf")
    ('$0.50 usd', '175.00 huf')
    """
    sign, symbol, number = _parts(amount, currency, False)
    return f"{sign}{symbol or ''}{number} {currency.lower()}"


_SPACES = (" ", "\u00a0", "\u202f", "'", "’")
_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?")


def _strip_currency(text: str, found: Currency) -> str:
    """Drop the symbol or code a display string may carry (``"$10.99"``, ``"5 ISK"``)."""
    marks = [m for m in (found.symbol, found.code.upper(), found.code) if m]
    for mark in sorted(marks, key=len, reverse=True):
        if text.startswith(mark):
            return text[len(mark):].strip()
        if text.endswith(mark):
            return text[: -len(mark)].strip()
    return text


def _canonical(text: str) -> str:
    """Digits with one ``.`` decimal point, from a comma- or dot-decimal amount.

    With both ``,`` and ``.`` present, the last one is the decimal point and the other
    groups digits (``1,234.56``, ``1.234,56``). A single ``,`` or ``.`` is always the
    decimal point: ``"1,000"`` in ``usd`` is read as 1.000 and refused, never guessed.
    A separator that appears several times groups digits (``1.000.000``).
    """
    for space in _SPACES:
        text = text.replace(space, "")
    if "," in text and "." in text:
        point = max(text.rfind(","), text.rfind("."))
        group = "," if text[point] == "." else "."
        head = text[:point].replace(group, "")
        return f"{head}.{text[point + 1:]}"
    for sep in (",", "."):
        if text.count(sep) > 1:
            return text.replace(sep, "")
    return text.replace(",", ".")


def to_minor_units(decimal_str: str | Decimal, currency: str) -> int:
    """An amount written in major units (``"10,99"``, ``"€10.99"``) as an API integer.

    For reading amounts out of CSV exports. Exact or refused: more decimals than the
    currency has (``"10.999"`` or ``"10.990"`` in ``usd``, ``"5.5"`` in ``isk``) raise
    ``ValueError``, never a silent rounding and never a guess (``"1,000"`` in ``usd``
    has three decimals, so it is refused rather than read as one thousand).

    >>> to_minor_units("10.99", "usd"), to_minor_units("1.234,5", "eur")
    (1099, 123450)
    >>> to_minor_units("5", "isk"), to_minor_units("5.120", "kwd")
    (500, 5120)
    """
    found = _lookup(currency)
    if found is None:
        raise ValueError(f"unsupported currency: {currency!r}")
    if isinstance(decimal_str, Decimal):
        decimal_str = format(decimal_str, "f")
    if not isinstance(decimal_str, str):
        raise ValueError(f"expected a decimal string, got {type(decimal_str).__name__}")
    text = decimal_str.strip()
    sign = ""
    if text[:1] in ("-", "+"):
        sign, text = text[0], text[1:].strip()
    text = _strip_currency(text, found)
    if not sign and text[:1] in ("-", "+"):
        sign, text = text[0], text[1:].strip()
    plain = _canonical(text)
    if not _PLAIN.fullmatch(plain):
        raise ValueError(f"not a decimal amount: {decimal_str!r}")
    value = Decimal(sign + plain)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), "a finite decimal: _PLAIN refused the rest"
    places = -exponent  # digits written after the decimal point
    if places > found.decimals:
        raise ValueError(f"{decimal_str!r} has {places} decimals, {found.code} allows "
                         f"{found.decimals}: paykit does not round amounts")
    sign_, digits, _ = value.as_tuple()
    units = int("".join(map(str, digits))) * 10 ** (found.exponent - places)  # exact
    return -units if sign_ else units
