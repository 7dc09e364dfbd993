"""``DescriptorPreview``: the exact text on the customer's card statement, and its rules.

A card statement shows the account's prefix, then ``* ``, then the dynamic suffix sent
with the payment (``statement_descriptor_suffix``): ``RUNCLUB* ORDER 42``. The asterisk
and the space count in the 22 characters; no ``<``, ``>``, ``'``, ``"`` or ``*``; not only
digits (https://docs.stripe.com/payments/payment-intents, dynamic statement descriptor;
https://docs.stripe.com/get-started/account/statement-descriptors). The text and every
problem come from ``paykit.params.customer_statement`` and
``statement_descriptor_problems`` (the rules the sandbox enforces); this module only lays
them out: a 22-cell budget bar and a checklist naming each rule.

>>> report = describe("RUNCLUB", "ORDER 42")
>>> report.text, report.remaining, report.ok
('RUNCLUB* ORDER 42', 5, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from paykit.params import (
    COMPLETE_MIN_LENGTH,
    DESCRIPTOR_RULES,
    PREFIX_LENGTH,
    RULES,
    StatementPreview,
    customer_statement,
    statement_descriptor_problems,
)
from paykit.widgets import layout as ui

__all__ = ["Cell", "DescriptorPreview", "DescriptorReport", "RuleCheck", "describe"]

#: What joins the prefix and the suffix on a statement (counted in the budget).
_JOINER = "* "


@dataclass(frozen=True, slots=True)
class Cell:
    """One character of the statement: which part it belongs to, and if it overflows."""

    char: str
    part: str  # "prefix", "joiner", "suffix"
    over: bool


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """One rule, where it applies, and whether the text keeps it."""

    rule: str
    applies_to: str
    ok: bool


@dataclass(frozen=True)
class DescriptorReport:
    """Everything the preview shows."""

    preview: StatementPreview
    cells: tuple[Cell, ...]
    checks: tuple[RuleCheck, ...]
    messages: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.preview.text

    @property
    def remaining(self) -> int:
        return self.preview.remaining

    @property
    def ok(self) -> bool:
        return not self.messages

    @property
    def broken(self) -> tuple[RuleCheck, ...]:
        return tuple(check for check in self.checks if not check.ok)


def _cells(prefix: str, suffix: str, budget: int) -> tuple[Cell, ...]:
    parts = [("prefix", prefix)]
    if suffix:
        parts += [("joiner", _JOINER), ("suffix", suffix)]
    cells: list[Cell] = []
    for part, text in parts:
        for char in text:
            cells.append(Cell(char, part, len(cells) >= budget))
    return tuple(cells)


def describe(prefix: str, suffix: str) -> DescriptorReport:
    """The statement for ``prefix`` and ``suffix``, cell by cell, and each rule's verdict.

    ``messages`` are the engine's own (what the API would answer), without repeats.
    """
    preview = customer_statement(prefix, suffix or None)
    suffix_limit = RULES["statement_descriptor_suffix"].max_length or preview.budget
    messages = [p.message for p in preview.problems]
    if suffix:
        messages += [p.message for p in statement_descriptor_problems(
            suffix, param="statement_descriptor_suffix")]
    low, high = PREFIX_LENGTH
    checks = [
        RuleCheck(f"prefix is {low} to {high} characters", "prefix",
                  low <= len(prefix) <= high),
        RuleCheck(f"at most {preview.budget} characters in all, counting the "
                  f"'{_JOINER.strip()}' and the space", "statement",
                  preview.length <= preview.budget),
        RuleCheck(f"at least {COMPLETE_MIN_LENGTH} characters in all", "statement",
                  preview.length >= COMPLETE_MIN_LENGTH),
    ]
    if suffix:
        checks.append(RuleCheck(f"suffix alone is at most {suffix_limit} characters", "suffix",
                                len(suffix) <= suffix_limit))
    for rule in DESCRIPTOR_RULES:
        checks.append(RuleCheck(rule.doc, "prefix", not rule.broken(prefix)))
        if suffix:
            checks.append(RuleCheck(rule.doc, "suffix", not rule.broken(suffix)))
    return DescriptorReport(preview, _cells(prefix, suffix, preview.budget), tuple(checks),
                            tuple(dict.fromkeys(messages)))


def _budget_bar(report: DescriptorReport) -> str:
    """The budget as cells: prefix, ``* ``, suffix, then what is left or what overflows."""
    cells = [
        f'<span class="paykit-cell paykit-cell-{"over" if c.over else c.part}" '
        f'title="{c.part}">{"␣" if c.char == " " else ui.esc(c.char)}</span>'
        for c in report.cells
    ]
    cells += ['<span class="paykit-cell" title="free"></span>'] * max(report.remaining, 0)
    if report.remaining >= 0:
        count = f"{report.preview.length} / {report.preview.budget} characters, " \
                f"{report.remaining} left"
    else:
        count = f"{report.preview.length} / {report.preview.budget} characters: " \
                f"{-report.remaining} too many"
    kind = "note" if report.remaining >= 0 else "error"
    return (f'<div class="paykit-bar">{"".join(cells)}</div>'
            f'<div class="paykit-msg paykit-{kind}">{ui.esc(count)}</div>')


def _checklist(report: DescriptorReport) -> str:
    """Every rule with ✓ or ✗, where it applies."""
    rows = [
        [f'<span class="paykit-{"ok" if c.ok else "error"}">{"✓" if c.ok else "✗"}</span>',
         ui.esc(c.applies_to), ui.esc(c.rule)]
        for c in report.checks
    ]
    return ui.table(["", "on", "rule"], rows)


class DescriptorPreview(ui.WidgetView):
    """Type a prefix and a suffix; see the statement line, the budget and each rule.

    Attributes: ``prefix`` and ``suffix`` (``Text``), ``statement`` (the line as printed),
    ``bar`` (the 22-character budget), ``problems`` (the API's messages), ``rules``
    (the checklist). ``report`` is the current ``DescriptorReport``.
    """

    def __init__(self, prefix: str = "PAYKIT", suffix: str = "ORDER 42") -> None:
        style = ui.DESCRIPTION_STYLE
        self.prefix = widgets.Text(value=prefix, description="Account prefix",
                                   placeholder="2–10 characters, set in the Dashboard",
                                   style=style, layout=ui.control_layout())
        self.suffix = widgets.Text(value=suffix, description="Dynamic suffix",
                                   placeholder="statement_descriptor_suffix",
                                   style=style, layout=ui.control_layout())
        self.prefix.add_class("paykit-prefix")
        self.suffix.add_class("paykit-suffix")
        self.statement = ui.pane(css_class="paykit-statement-line")
        self.bar = ui.pane()
        self.problems = ui.pane(css_class="paykit-problems")
        self.rules = ui.pane()
        note = ("On a card statement the customer reads the prefix of your account, then "
                "<code>*</code> and a space, then the suffix you send with the payment "
                "(<code>statement_descriptor_suffix</code>). The asterisk and the space count "
                "in the 22 characters.")
        self.root = ui.columns(
            [ui.section_title("Statement descriptor"), self.prefix, self.suffix,
             widgets.HTML(f'<div class="paykit-note">{note}</div>'), self.rules],
            [widgets.HTML('<div class="paykit-subtitle">The customer\'s statement</div>'),
             self.statement, self.bar, self.problems],
            css_class="paykit-descriptor-preview",
        )
        self.report = describe(prefix, suffix)
        self.prefix.observe(self.refresh, names="value")
        self.suffix.observe(self.refresh, names="value")
        self.refresh()

    def refresh(self, _change: object = None) -> DescriptorReport:
        self.report = report = describe(self.prefix.value, self.suffix.value)
        self.statement.value = f'<div class="paykit-statement">{ui.esc(report.text)}</div>'
        self.bar.value = _budget_bar(report)
        self.problems.value = (ui.messages(report.messages) if report.messages
                               else ui.messages(["Stripe accepts this descriptor."], "ok"))
        self.rules.value = _checklist(report)
        return report

    def __repr__(self) -> str:
        report = self.report
        return (f"<DescriptorPreview {report.text!r} {report.preview.length}/"
                f"{report.preview.budget} problems={len(report.messages)}>")
