"""The look every paykit widget shares: controls on the left, what they produce on the right.

Two halves. The HTML helpers (``esc``, ``json_block``, ``messages``…) are pure functions
returning strings, so the widgets' text can be tested without a browser; every JSON they
show goes through ``sensitive.redact`` first, so no screen ever shows a whole secret.
The ipywidgets helpers (``columns``, ``labelled``…) and ``WidgetView`` build the boxes.

Styling is one stylesheet, ``CSS``, using JupyterLab's theme variables (with fallbacks),
so widgets read well in the light and dark themes. Class names start with ``paykit-``;
the browser test finds widgets by them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import ipywidgets as widgets

from paykit.sensitive import redact
from paykit.widgets.outcome import Outcome
from paykit.widgets.requests import as_curl, as_python

__all__ = [
    "CSS",
    "DESCRIPTION_STYLE",
    "WidgetView",
    "badge",
    "code_block",
    "columns",
    "control_layout",
    "esc",
    "json_block",
    "messages",
    "outcome_html",
    "pane",
    "section_title",
    "stylesheet",
    "table",
    "to_json",
    "walk",
    "widget_texts",
]

#: The one stylesheet. Colours echo ``paykit.graph.STYLES`` (amber: current status).
CSS = """
.paykit-widget { font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px;
  color: var(--jp-ui-font-color1, #1f2933); gap: 12px; align-items: flex-start; }
.paykit-widget .paykit-col { gap: 4px; }
.paykit-widget .widget-html, .paykit-widget .widget-html-content { min-width: 0;
  max-width: 100%; }
.paykit-widget .widget-html-content { flex: 1 1 auto; }
.paykit-title { font-weight: 600; font-size: 14px; margin: 6px 0 2px; }
.paykit-subtitle { font-weight: 600; margin: 8px 0 2px; }
.paykit-note { color: var(--jp-ui-font-color2, #52606d); font-size: 12px; line-height: 1.45; }
.paykit-msg { font-size: 12px; margin: 0 0 2px 4px; line-height: 1.4; }
.paykit-msg ul { margin: 0; padding-left: 18px; }
.paykit-error { color: var(--jp-error-color1, #b42318); }
.paykit-warning { color: var(--jp-warn-color1, #b54708); }
.paykit-ok { color: var(--jp-success-color1, #027a48); }
.paykit-code { font-family: var(--jp-code-font-family, monospace); font-size: 12px;
  background: var(--jp-layout-color2, #f5f7fa); border: 1px solid var(--jp-border-color2, #e4e7eb);
  border-radius: 4px; padding: 6px 8px; margin: 2px 0 6px; white-space: pre; overflow: auto;
  max-height: 320px; max-width: 100%; box-sizing: border-box; line-height: 1.35; }
.paykit-code.paykit-error-json { border-color: var(--jp-error-color2, #f7b4ae); }
.paykit-widget details > summary { cursor: pointer; margin: 2px 0; }
.paykit-badge { display: inline-block; padding: 1px 9px; border-radius: 10px;
  font-family: var(--jp-code-font-family, monospace); font-size: 12px;
  background: var(--jp-layout-color3, #e4e7eb); }
.paykit-badge.paykit-current { background: #fde68a; color: #1f2933; }
.paykit-badge.paykit-event { background: #dbeafe; color: #1d4ed8; margin: 1px 2px; }
.paykit-table { border-collapse: collapse; font-size: 12px; margin: 2px 0 6px; }
.paykit-table th, .paykit-table td { border: 1px solid var(--jp-border-color2, #e4e7eb);
  padding: 2px 6px; text-align: left; vertical-align: top; }
.paykit-table td.paykit-mono { font-family: var(--jp-code-font-family, monospace); }
.paykit-step { border-left: 3px solid #9aa5b1; padding: 2px 0 2px 8px; margin: 0 0 8px; }
.paykit-step.paykit-step-error { border-left-color: #dc2626; }
.paykit-step.paykit-step-ok { border-left-color: #3b82f6; }
.paykit-graph svg { max-width: 100%; height: auto; }
.paykit-bar { display: flex; flex-wrap: wrap; gap: 2px; margin: 4px 0; }
.paykit-cell { width: 18px; height: 24px; line-height: 24px; text-align: center;
  font-family: var(--jp-code-font-family, monospace); font-size: 12px; border-radius: 2px;
  border: 1px solid var(--jp-border-color2, #d0d5dd); background: var(--jp-layout-color1, #fff); }
.paykit-cell-prefix { background: #dbeafe; color: #1d4ed8; }
.paykit-cell-joiner { background: #ede9fe; color: #6d28d9; font-weight: 700; }
.paykit-cell-suffix { background: #dcfce7; color: #166534; }
.paykit-cell-over { background: #fee2e2; color: #b42318; border-color: #dc2626; }
.paykit-statement { font-family: var(--jp-code-font-family, monospace); font-size: 15px;
  letter-spacing: 1px; padding: 6px 10px; border: 1px dashed #9aa5b1; display: inline-block;
  background: var(--jp-layout-color2, #f5f7fa); margin: 4px 0; white-space: pre; }
.paykit-side { border: 1px solid var(--jp-border-color2, #e4e7eb); border-radius: 6px;
  padding: 4px 10px 8px; overflow: hidden; }
"""


def esc(value: object) -> str:
    """Text made safe for HTML (a learner's input is never markup)."""
    return html.escape(str(value), quote=True)


def stylesheet() -> widgets.HTML:
    """The stylesheet as a widget; each widget carries one, so each works on its own."""
    return widgets.HTML(f"<style>{CSS}</style>", layout=widgets.Layout(display="none"))


def code_block(text: str, *, css_class: str = "") -> str:
    """A monospaced block; ``text`` is redacted and escaped."""
    redacted = redact(text)
    return f'<div class="paykit-code {css_class}">{esc(redacted)}</div>'


def to_json(value: Any, *, compact: bool = False) -> str:
    """JSON of a value with every secret masked, indented unless ``compact``."""
    return json.dumps(redact(value), indent=None if compact else 2, ensure_ascii=False)


def json_block(value: Any, summary: str | None = None, *, open: bool = False,
               error: bool = False) -> str:
    """JSON in a code block, folded under ``summary`` when one is given."""
    block = code_block(to_json(value), css_class="paykit-error-json" if error else "")
    if summary is None:
        return block
    return f"<details{' open' if open else ''}><summary>{summary}</summary>{block}</details>"


def messages(items: Iterable[str], kind: str = "error") -> str:
    """A short list of messages coloured by ``kind`` (error, warning, ok); ``""`` if none."""
    shown = [esc(item) for item in dict.fromkeys(items)]
    if not shown:
        return ""
    if len(shown) == 1:
        return f'<div class="paykit-msg paykit-{kind}">{shown[0]}</div>'
    lis = "".join(f"<li>{item}</li>" for item in shown)
    return f'<div class="paykit-msg paykit-{kind}"><ul>{lis}</ul></div>'


def badge(text: str, css_class: str = "") -> str:
    return f'<span class="paykit-badge {css_class}">{esc(text)}</span>'


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *,
          mono: Sequence[int] = ()) -> str:
    """An HTML table; cells are already HTML (escape them first)."""
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="paykit-mono">{cell}</td>' if i in mono else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return f'<table class="paykit-table"><tr>{head}</tr>{body}</table>'


def section_title(text: str) -> widgets.HTML:
    return widgets.HTML(f'<div class="paykit-title">{esc(text)}</div>')


def pane(value: str = "", css_class: str | None = None) -> widgets.HTML:
    """An HTML output pane (what the right-hand side is made of)."""
    widget = widgets.HTML(value, layout=widgets.Layout(width="100%"))
    if css_class:
        widget.add_class(css_class)
    return widget


def columns(left: Sequence[widgets.Widget], right: Sequence[widgets.Widget], *,
            css_class: str, left_width: str = "410px",
            top: Sequence[widgets.Widget] = ()) -> widgets.HBox:
    """Controls on the left, output on the right; wraps on narrow screens. ``top`` takes
    the whole width above them (a drawing that must stay large enough to read)."""
    left_box = widgets.VBox(list(left), layout=widgets.Layout(width=left_width,
                                                               min_width="300px"))
    right_box = widgets.VBox(list(right), layout=widgets.Layout(flex="1 1 420px",
                                                                min_width="320px"))
    left_box.add_class("paykit-col")
    right_box.add_class("paykit-col")
    rows = [widgets.VBox(list(top), layout=widgets.Layout(width="100%"))] if top else []
    root = widgets.HBox([stylesheet(), *rows, left_box, right_box],
                        layout=widgets.Layout(flex_flow="row wrap", width="100%"))
    root.add_class("paykit-widget")
    root.add_class(css_class)
    return root


#: Labels line up: every control's description takes this width.
DESCRIPTION_STYLE = {"description_width": "150px"}


def control_layout(width: str = "390px") -> widgets.Layout:
    return widgets.Layout(width=width)


def walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """``widget`` and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def widget_texts(widget: widgets.Widget) -> Iterator[str]:
    """Every string a widget tree can put on screen (values, labels, tooltips, options)."""
    for item in walk(widget):
        for name in ("value", "description", "tooltip", "placeholder"):
            value = getattr(item, name, None)
            if isinstance(value, str):
                yield value
        yield from getattr(item, "_options_labels", ())


class WidgetView:
    """Base of paykit's widgets: a plain object that *has* a root widget and shows it.

    Keeping the ipywidgets tree in ``root`` (not subclassing a Box) leaves the class's
    own namespace to its controls, so ``builder.amount.value = 500`` reads naturally.
    """

    root: widgets.Box

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **kwargs: Any) -> dict[str, Any]:
        """The root widget's view, with a stable ``text/plain`` (nbval compares it)."""
        bundle = dict(self.root._repr_mimebundle_(**kwargs))
        bundle["text/plain"] = repr(self)
        return bundle

    def texts(self) -> list[str]:
        """Everything this widget can show, for tests and for secret checks."""
        return list(widget_texts(self.root))


def outcome_html(outcome: Outcome, number: int | None = None, *,
                 show_request: bool = True) -> str:
    """One action as it happened: the call, the object or error JSON, and each event."""
    ok = outcome.ok
    head = f"{number}. " if number is not None else ""
    move = ""
    if outcome.status_before or outcome.status_after:
        before = outcome.status_before or "new"
        move = f" · {esc(before)} → {badge(outcome.status_after or '?', 'paykit-current')}"
    verdict = ("" if ok else
               f' · <span class="paykit-error">{esc(outcome.error_code or "error")}</span>')
    parts = [f"<div><b>{esc(head + outcome.label)}</b>{move}{verdict}</div>"]
    if show_request and outcome.request is not None:
        request = outcome.request
        parts.append(
            f"<details><summary>{esc(request.describe())}</summary>"
            f"{code_block(as_python(request, setup=False))}{code_block(as_curl(request))}"
            "</details>"
        )
    if outcome.error is not None:
        parts.append(json_block(outcome.error, "Stripe error (JSON)", open=True, error=True))
    if outcome.result is not None:
        kind = outcome.result.get("object", "object")
        parts.append(json_block(outcome.result, f"{esc(kind)} {esc(outcome.result.get('id', ''))}"))
    if outcome.events:
        chips = "".join(badge(t, "paykit-event") for t in outcome.event_types)
        folded = "".join(
            json_block(event, f"{esc(event['type'])} {esc(event['id'])}")
            for event in outcome.events
        )
        parts.append(f"<div>events: {chips}</div>{folded}")
    else:
        parts.append('<div class="paykit-note">no event</div>')
    css = "paykit-step-ok" if ok else "paykit-step-error"
    return f'<div class="paykit-step {css}">{"".join(parts)}</div>'
