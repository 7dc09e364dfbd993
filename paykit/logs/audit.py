"""Audit a log for data that breaks Stripe's rules or should never be stored.

Three kinds of findings, one table:

- **statement descriptors** that break the rules, checked by
  ``paykit.params.statement_descriptor_problems`` (the same rules the sandbox applies);
- **metadata** beyond Stripe's limits, checked by ``paykit.params.metadata_problems``;
- **sensitive data** in metadata or descriptions: card numbers (13–19 digits that pass
  the Luhn check), secret or restricted API keys (``sk_…``/``rk_…``), PaymentIntent
  client secrets (``pi_…_secret_…``) and e-mail addresses. Excerpts are masked, so the
  report itself leaks nothing.

Checks run once per distinct value (values repeat across an intent's events), then the
findings are mapped back to the intents and lines that hold them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.dask_support import as_log, map_intents
from paykit.logs.schema import metadata_columns
from paykit.payment_methods import luhn_valid  # one Luhn check for the whole package

__all__ = ["SENSITIVE_PATTERNS", "Audit", "audit", "sensitive_findings"]

_CARD = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")
#: Patterns of data that must not sit in metadata or descriptions (code -> regex).
SENSITIVE_PATTERNS: dict[str, re.Pattern[str]] = {
    "api_key": re.compile(r"\b[sr]k_(?:live|test)_[A-Za-z0-9]{8,}"),
    "client_secret": re.compile(r"\b(?:pi|seti)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+"),
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
}
_MESSAGES = {
    "card_number": "looks like a card number (passes the Luhn check): never store PANs",
    "api_key": "an API secret key: anyone who reads it can act on the account",
    "client_secret": "a PaymentIntent client secret: it must not be stored or logged",
    "email": "an e-mail address: personal data, keep it out of metadata and descriptions",
}
_COLUMNS = ["intent", "field", "code", "message", "excerpt", "source_line"]


def _mask(code: str, text: str) -> str:
    if code == "card_number":
        digits = re.sub(r"\D", "", text)
        return "•" * (len(digits) - 4) + digits[-4:]
    if code == "email":
        user, _, domain = text.partition("@")
        return user[:1] + "•••@" + domain
    return text[:8] + "•••"


def sensitive_findings(text: str) -> list[tuple[str, str]]:
    """``(code, masked excerpt)`` for each kind of sensitive data in ``text``.

    >>> sensitive_findings("card 4242 4242 4242 4242, mail a@b.co")
    [('card_number', '••••••••••••4242'), ('email', 'a•••@b.co')]
    """
    found = []
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            found.append(("card_number", _mask("card_number", match.group())))
            break
    for code, pattern in SENSITIVE_PATTERNS.items():
        match = pattern.search(text)
        if match:
            found.append((code, _mask(code, match.group())))
    return found


@dataclass
class Audit:
    """Findings (intent, field, code, message, masked excerpt, line) and counts by code."""

    findings: pd.DataFrame

    @property
    def summary(self) -> pd.Series:
        """Findings per code, most frequent first."""
        return self.findings["code"].value_counts()

    @property
    def ok(self) -> bool:
        """Whether nothing was found."""
        return not len(self.findings)

    def _repr_html_(self) -> str:
        return self.findings._repr_html_() if len(self.findings) else "<p>Nothing found.</p>"

    def __str__(self) -> str:
        if self.ok:
            return "audit: nothing found"
        counts = ", ".join(f"{n} {code}" for code, n in self.summary.items())
        return f"audit: {len(self.findings)} findings ({counts})"


def _value_findings(log: pd.DataFrame, column: str, check) -> list[dict[str, Any]]:
    """Run ``check`` once per distinct value of ``column``; one finding per intent."""
    values = log[column]
    present = values.notna().to_numpy()
    if not present.any():
        return []
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), None))
    out: list[dict[str, Any]] = []
    for index, value in enumerate(uniques):
        problems = check(str(value))
        if not problems:
            continue
        rows = np.flatnonzero(codes == index)
        frame = log.iloc[rows][["intent", "source_line"]].drop_duplicates("intent")
        for intent, line in zip(frame["intent"].astype(str), frame["source_line"], strict=True):
            for code, message, excerpt in problems:
                out.append({"intent": intent, "field": column, "code": code, "message": message,
                            "excerpt": excerpt, "source_line": int(line)})
    return out


def _descriptor_check(value: str) -> list[tuple[str, str, str]]:
    from paykit.params import statement_descriptor_problems

    return [(p.code, p.message, value) for p in statement_descriptor_problems(value)]


def _sensitive_check(value: str) -> list[tuple[str, str, str]]:
    return [(code, _MESSAGES[code], excerpt) for code, excerpt in sensitive_findings(value)]


def _metadata_findings(log: pd.DataFrame, keys: list[str]) -> list[dict[str, Any]]:
    """Metadata limits: per distinct (key, value) and per distinct set of keys in use."""
    from paykit.params import metadata_problems

    out: list[dict[str, Any]] = []
    for column in keys:
        key = column.removeprefix("metadata.")

        def check(value: str, key: str = key) -> list[tuple[str, str, str]]:
            return [(p.code, p.message, value[:40]) for p in metadata_problems({key: value})]

        out += _value_findings(log, column, check)
    if keys:
        present = log[keys].notna().to_numpy()
        patterns, inverse = np.unique(present, axis=0, return_inverse=True)
        for index, pattern in enumerate(patterns):
            names = [k.removeprefix("metadata.") for k, on in zip(keys, pattern, strict=True)
                     if on]
            # Only what the set breaks as a whole (the number of keys): each key alone
            # was already checked above.
            alone = {p.message for name in names for p in metadata_problems({name: "x"})}
            problems = [p for p in metadata_problems(dict.fromkeys(names, "x"))
                        if p.message not in alone]
            if not problems:
                continue
            rows = np.flatnonzero(inverse.reshape(-1) == index)
            frame = log.iloc[rows][["intent", "source_line"]].drop_duplicates("intent")
            for intent, line in zip(frame["intent"].astype(str), frame["source_line"],
                                    strict=True):
                for p in problems:
                    out.append({"intent": intent, "field": "metadata", "code": p.code,
                                "message": p.message, "excerpt": f"{len(names)} keys",
                                "source_line": int(line)})
    return out


def audit(log: Any) -> Audit:
    """Rule breaks and sensitive data in descriptors, metadata and descriptions.

    >>> import pandas as pd
    >>> log = pd.DataFrame({"intent": ["pi_1"], "source_line": [3],
    ...                     "description": ["for jane@example.com"],
    ...                     "statement_descriptor": [None]})
    >>> audit(log).findings.loc[0, ["code", "excerpt"]].tolist()
    ['email', 'j•••@example.com']
    """
    frames = map_intents(as_log(log), _partition_findings)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame = frame.drop_duplicates(["intent", "field", "code"], ignore_index=True)
    frame = frame.astype({c: str for c in _COLUMNS[:-1]} | {"source_line": "int64"})
    return Audit(frame.sort_values(["source_line", "intent", "field", "code"],
                                   ignore_index=True))


def _partition_findings(log: pd.DataFrame) -> pd.DataFrame:
    """Findings of a frame (whole intents); the checks run once per distinct value."""
    findings: list[dict[str, Any]] = []
    if "statement_descriptor" in log:
        findings += _value_findings(log, "statement_descriptor", _descriptor_check)
    keys = metadata_columns(log)
    for column in ["description", *keys]:
        if column in log:
            findings += _value_findings(log, column, _sensitive_check)
    findings += _metadata_findings(log, keys)
    return pd.DataFrame(findings, columns=_COLUMNS)
