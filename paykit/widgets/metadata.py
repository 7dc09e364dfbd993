"""``MetadataEditor``: key-value rows, Stripe's limits live, and where metadata goes.

What it teaches (https://docs.stripe.com/payments/payment-intents, storing information in
metadata; the limits: https://docs.stripe.com/metadata):

- the limits, read from ``paykit.params.METADATA_LIMITS`` and checked by
  ``paykit.params.metadata_problems`` (50 keys, keys ≤ 40 and values ≤ 500 characters,
  no ``[`` or ``]`` in keys), shown next to the row at fault as the learner types;
- metadata is not for sensitive data: card numbers, e-mail addresses, secrets and keys
  are flagged (``paykit.sensitive``);
- a PaymentIntent copies its metadata to the charge it creates; a later update changes
  the intent (``""`` removes a key) but never the charges already created. The demo
  runs those calls on a scratch sandbox, so what it shows is what the engine does.

The logic (``check_rows``, ``copy_to_charge``) is pure; ``MetadataRows`` is the row
editor the ``IntentBuilder`` reuses; ``MetadataEditor`` lays it all out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from paykit.errors import StripeError
from paykit.params import METADATA_LIMITS, metadata_problems
from paykit.sandbox import Sandbox
from paykit.sensitive import scan, sensitive_key_name
from paykit.widgets import layout as ui

__all__ = [
    "CopyDemo",
    "MetadataCheck",
    "MetadataEditor",
    "MetadataRow",
    "MetadataRows",
    "RowCheck",
    "check_rows",
    "copy_to_charge",
    "default_update",
]

# -- the logic -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowCheck:
    """One row as typed: its lengths, the limits it breaks and what it should not hold."""

    key: str
    value: str
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def blank(self) -> bool:
        """An empty row is ignored, as an empty form field is not sent."""
        return not self.key and not self.value

    def summary(self) -> str:
        """``key 8/40 · value 4/500``: the room left under each limit."""
        limits = METADATA_LIMITS
        return (f"key {len(self.key)}/{limits.max_key_length} · "
                f"value {len(self.value)}/{limits.max_value_length}")


@dataclass(frozen=True)
class MetadataCheck:
    """The rows, what would be sent, and every problem and warning."""

    rows: tuple[RowCheck, ...]
    metadata: dict[str, str]
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the API would accept it (warnings do not stop a request)."""
        return not self.problems

    @property
    def key_count(self) -> int:
        """Keys that count towards the 50 (a key set to ``""`` is not stored)."""
        return sum(1 for value in self.metadata.values() if value != "")


def _row_warnings(key: str, value: str) -> list[str]:
    found = [f"{where}: {finding.describe()}"
             for where, text in (("key", key), ("value", value))
             for finding in scan(text)]
    named = sensitive_key_name(key)
    if named:
        found.append(named)
    return found


def check_rows(pairs: Sequence[tuple[str, str]]) -> MetadataCheck:
    """Check rows as typed; blank rows are dropped and a repeated key keeps its last value.

    >>> check = check_rows([("order_id", "6735"), ("email", "ada@example.com")])
    >>> check.ok, len(check.warnings)
    (True, 1)
    """
    rows: list[RowCheck] = []
    seen: dict[str, int] = {}
    for index, (key, value) in enumerate(pairs):
        if not key and not value:
            rows.append(RowCheck(key, value))
            continue
        problems = [p.message for p in metadata_problems({key: value})]
        warnings = _row_warnings(key, value)
        if key in seen:
            warnings.append(f"the key {key!r} is also on row {seen[key] + 1}: "
                            "the last value wins")
        seen[key] = index
        rows.append(RowCheck(key, value, tuple(problems), tuple(warnings)))
    metadata = {key: value for key, value in pairs if key or value}
    problems = [p.message for p in metadata_problems(metadata)]
    warnings = [warning for row in rows for warning in row.warnings]
    return MetadataCheck(tuple(rows), metadata, tuple(dict.fromkeys(problems)),
                         tuple(dict.fromkeys(warnings)))


#: The note a default update adds, so the demo shows an added key.
_UPDATE_NOTE = ("status_note", "updated after payment")


def default_update(metadata: Mapping[str, str]) -> dict[str, str]:
    """An update that removes the first key (``""``) and adds a note."""
    update = {key: "" for key in list(metadata)[:1]}
    update[_UPDATE_NOTE[0]] = _UPDATE_NOTE[1]
    return update


@dataclass(frozen=True)
class CopyDemo:
    """Metadata on the intent and its charge, at confirmation and after an update."""

    created: dict[str, str] = field(default_factory=dict)
    charge: dict[str, str] = field(default_factory=dict)
    update: dict[str, str] = field(default_factory=dict)
    intent_after: dict[str, str] = field(default_factory=dict)
    charge_after: dict[str, str] = field(default_factory=dict)
    error: dict[str, Any] | None = None


def copy_to_charge(
    metadata: Mapping[str, str],
    update: Mapping[str, str] | None = None,
    *,
    api_version: str | None = None,
) -> CopyDemo:
    """Create with ``metadata``, confirm (a charge copies it), update, and read both again.

    Runs on a scratch sandbox with a fixed seed, so the demo never touches the
    learner's and shows the same thing every run.

    >>> demo = copy_to_charge({"order_id": "6735"})
    >>> demo.charge, demo.intent_after, demo.charge_after
    ({'order_id': '6735'}, {'status_note': 'updated after payment'}, {'order_id': '6735'})
    """
    change = dict(default_update(metadata) if update is None else update)
    scratch = Sandbox(seed="paykit-metadata-demo", api_version=api_version)
    intents = scratch.payment_intents
    try:
        created = intents.create(amount=1099, currency="usd", metadata=dict(metadata))
        confirmed = intents.confirm(created.id, payment_method="pm_card_visa")
        charge = scratch.charges.retrieve(confirmed.latest_charge).to_dict()["metadata"]
        updated = intents.update(created.id, metadata=change)
        charge_after = scratch.charges.retrieve(confirmed.latest_charge).to_dict()["metadata"]
    except StripeError as exc:
        return CopyDemo(update=change, error=exc.to_dict())
    return CopyDemo(
        created=created.to_dict()["metadata"],
        charge=charge,
        update=change,
        intent_after=updated.to_dict()["metadata"],
        charge_after=charge_after,
    )


def _sent(value: str) -> str:
    """A value as the update sends it: ``""`` spelt out, since it removes the key."""
    return '"" (removes it)' if value == "" else ui.esc(value)


def _copy_table(demo: CopyDemo) -> str:
    """The demo as a table: one row per key, one column per moment."""
    if demo.error is not None:
        return ui.json_block(demo.error, error=True)
    keys = list(dict.fromkeys([*demo.created, *demo.update, *demo.intent_after]))
    if not keys:
        return '<div class="paykit-note">Add a row to see it copied to the charge.</div>'

    def cell(mapping: Mapping[str, str], key: str, before: Mapping[str, str] | None = None,
             ) -> str:
        shown = ui.esc(mapping[key]) if key in mapping else "—"
        changed = before is not None and mapping.get(key) != before.get(key)
        return f"<b>{shown}</b>" if changed else shown

    rows = [
        [ui.esc(key), cell(demo.created, key), cell(demo.charge, key),
         _sent(demo.update[key]) if key in demo.update else "",
         cell(demo.intent_after, key, demo.created), cell(demo.charge_after, key, demo.charge)]
        for key in keys
    ]
    header = ["key", "intent (create)", "charge (copied at confirm)", "update sends",
              "intent after update", "charge after update"]
    return ui.table(header, rows, mono=(0, 1, 2, 3, 4, 5))


# -- the row editor ---------------------------------------------------------------------------


class MetadataRow:
    """One key-value row: ``key`` and ``value`` text boxes, ``remove`` and a ``hint``."""

    def __init__(self, key: str = "", value: str = "") -> None:
        self.key = widgets.Text(value=key, placeholder="key", layout=widgets.Layout(width="140px"))
        self.value = widgets.Text(value=value, placeholder="value",
                                  layout=widgets.Layout(width="170px"))
        self.remove = widgets.Button(icon="trash", tooltip="remove this row",
                                     layout=widgets.Layout(width="36px"))
        self.key.add_class("paykit-metadata-key")
        self.value.add_class("paykit-metadata-value")
        self.hint = widgets.HTML()
        self.box = widgets.VBox([widgets.HBox([self.key, self.value, self.remove]), self.hint])

    @property
    def pair(self) -> tuple[str, str]:
        return self.key.value, self.value.value

    def show(self, check: RowCheck) -> None:
        """Show the row's lengths, the limits it breaks and its warnings."""
        if check.blank:
            self.hint.value = ""
            return
        self.hint.value = (f'<div class="paykit-msg paykit-note">{ui.esc(check.summary())}'
                           f"</div>{ui.messages(check.problems)}"
                           f"{ui.messages(check.warnings, 'warning')}")


class MetadataRows:
    """Editable rows; ``on_change`` callbacks run after every edit, add or removal."""

    def __init__(self, metadata: Mapping[str, str] | None = None, *, blank_row: bool = True,
                 ) -> None:
        self.rows: list[MetadataRow] = []
        self._callbacks: list[Callable[[], object]] = []
        self.add_button = widgets.Button(description="Add row", icon="plus",
                                         tooltip="add a key-value pair")
        self.add_button.add_class("paykit-metadata-add")
        self.add_button.on_click(lambda _: self.add())
        self.list_box = widgets.VBox()
        self.box = widgets.VBox([self.list_box, self.add_button])
        for key, value in (metadata or {}).items():
            self.add(key, str(value), notify=False)
        if blank_row and not self.rows:
            self.add(notify=False)

    def on_change(self, callback: Callable[[], object]) -> None:
        """Call ``callback()`` (its result is ignored) after every edit, add or removal."""
        self._callbacks.append(callback)

    def _changed(self, _change: object = None) -> None:
        for callback in self._callbacks:
            callback()

    def add(self, key: str = "", value: str = "", *, notify: bool = True) -> MetadataRow:
        """A new row at the end."""
        row = MetadataRow(key, value)
        row.key.observe(self._changed, names="value")
        row.value.observe(self._changed, names="value")
        row.remove.on_click(lambda _: self.remove(row))
        self.rows.append(row)
        self._relayout()
        if notify:
            self._changed()
        return row

    def remove(self, row: MetadataRow) -> None:
        self.rows.remove(row)
        self._relayout()
        self._changed()

    def _relayout(self) -> None:
        self.list_box.children = [row.box for row in self.rows]

    def pairs(self) -> list[tuple[str, str]]:
        return [row.pair for row in self.rows]

    def check(self) -> MetadataCheck:
        """Check the rows and show each row's hint."""
        result = check_rows(self.pairs())
        for row, row_check in zip(self.rows, result.rows, strict=True):
            row.show(row_check)
        return result


# -- the widget -------------------------------------------------------------------------------


class MetadataEditor(ui.WidgetView):
    """Edit metadata and watch the limits, sensitive-data warnings and the charge copy.

    Attributes: ``rows`` (``MetadataRows``: ``rows.add()``, ``rows.rows[i].key``…),
    ``counter``, ``problems`` (limits and warnings), ``request`` (what would be sent),
    ``copy_demo`` (the charge copy and an update). ``metadata`` is the dict now.
    """

    def __init__(self, metadata: Mapping[str, str] | None = None, *,
                 api_version: str | None = None) -> None:
        self.api_version = api_version
        self.rows = MetadataRows(metadata)
        self.counter = widgets.HTML()
        self.problems = ui.pane(css_class="paykit-problems")
        self.request = ui.pane()
        self.copy_demo = ui.pane(css_class="paykit-copy-demo")
        limits = METADATA_LIMITS
        note = (f"Up to {limits.max_keys} keys; keys up to {limits.max_key_length} characters "
                f"without [ or ]; values up to {limits.max_value_length} characters. Metadata "
                "is visible in the Dashboard and reports, never to customers: keep card data "
                "and personal information out of it.")
        self.root = ui.columns(
            [ui.section_title("Metadata"), widgets.HTML(f'<div class="paykit-note">{note}</div>'),
             self.rows.box, self.counter],
            [widgets.HTML('<div class="paykit-subtitle">Limits and warnings</div>'),
             self.problems, self.request,
             widgets.HTML('<div class="paykit-subtitle">Copied to the charge, not kept in '
                          "sync</div>"), self.copy_demo],
            css_class="paykit-metadata-editor",
        )
        self.rows.on_change(self.refresh)
        self.refresh()

    @property
    def metadata(self) -> dict[str, str]:
        """What the API would receive (blank rows dropped)."""
        return check_rows(self.rows.pairs()).metadata

    def refresh(self) -> MetadataCheck:
        """Recheck every row and redraw the right-hand side."""
        check = self.rows.check()
        self.counter.value = (f'<div class="paykit-note">{check.key_count} / '
                              f"{METADATA_LIMITS.max_keys} keys</div>")
        if check.ok and not check.warnings:
            self.problems.value = ui.messages(["Within every limit."], "ok")
        else:
            self.problems.value = (ui.messages(check.problems)
                                   + ui.messages(check.warnings, "warning"))
        self.request.value = ui.json_block({"metadata": check.metadata}, "Request parameter")
        if check.ok:
            demo = copy_to_charge(check.metadata, api_version=self.api_version)
            update = ui.esc(ui.to_json({"metadata": demo.update}, compact=True))
            self.copy_demo.value = (
                _copy_table(demo)
                + '<div class="paykit-note">Confirming copies the intent\'s metadata to the '
                f"charge. The update (<code>{update}</code>) changes the intent only: "
                "<code>\"\"</code> removes a key, others are added or replaced, and the "
                "charge keeps the copy it got.</div>"
            )
        else:
            self.copy_demo.value = ('<div class="paykit-note">Fix the limits above to see the '
                                    "copy.</div>")
        return check

    def __repr__(self) -> str:
        check = check_rows(self.rows.pairs())
        return (f"<MetadataEditor keys={check.key_count} problems={len(check.problems)} "
                f"warnings={len(check.warnings)}>")
