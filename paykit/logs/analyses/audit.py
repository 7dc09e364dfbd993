"""Audit a log for data that breaks Stripe's rules or should never be stored.

Three kinds of findings, one table:

- **statement descriptors** that break the rules, checked by
  ``paykit.params.statement_descriptor_problems`` (the same rules the sandbox applies);
- **metadata** beyond Stripe's limits, checked by ``paykit.params.metadata_problems``;
- **sensitive data** in metadata or descriptions, found by ``paykit.sensitive.scan``
  (the same detection the widgets warn with): card numbers (13–19 digits that pass the
  Luhn check), secret or restricted API keys (``sk_…``/``rk_…``), webhook signing
  secrets, client secrets (``pi_…_secret_…``) and e-mail addresses. Excerpts are
  masked, so the report itself leaks nothing.

Checks run once per distinct value (values repeat across an intent's events), then the
findings are mapped back to the intents and lines that hold them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.intent_partitions import as_log, map_intents
from paykit.logs.arrays.log_schema import metadata_columns
from paykit.sensitive import scan  # the same detection the widgets warn with

__all__ = ["Audit", "audit", "sensitive_findings"]

_COLUMNS = ["intent", "field", "code", "message", "excerpt", "source_line"]


#: Long values are scanned in overlapping windows of this many characters: the
#: patterns backtrack over a long run of letters in time that grows with its square
#: (one 140 kB cell took 20 s whole, well under a second in windows).
_WINDOW = 2_000
_OVERLAP = 200  # longer than anything the patterns match


def _first_of_each_kind(text: str) -> list[tuple[str, str, str]]:
    """``(kind, message, masked excerpt)``: the first finding of each kind in ``text``."""
    seen: dict[str, tuple[str, str, str]] = {}
    step = _WINDOW - _OVERLAP
    for start in range(0, max(len(text) - _OVERLAP, 1), step):
        for finding in scan(text[start : start + _WINDOW]):
            seen.setdefault(finding.kind, (finding.kind, finding.message, finding.shown))
    return list(seen.values())


def sensitive_findings(text: str) -> list[tuple[str, str]]:
    """``(code, masked excerpt)`` for each kind of sensitive data in ``text``, in order.

    The kinds, patterns and masks are ``paykit.sensitive.KINDS``.

    >>> sensitive_findings("card 4242 4242 4242 4242, mail a@b.co")
    [('card_number', '•••• 4242'), ('email', 'a•••@b.co')]
    """
    return [(code, excerpt) for code, _message, excerpt in _first_of_each_kind(text)]


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
    return _first_of_each_kind(value)


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
