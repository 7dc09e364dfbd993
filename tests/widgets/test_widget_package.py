"""Every widget: exported, shows itself, and shows the same thing on every run."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

import paykit
import paykit.widgets
from paykit.lifecycle import Action
from paykit.widgets.layout import WidgetView


def test_the_public_names_are_exactly_the_five_widgets() -> None:
    assert sorted(paykit.widgets.__all__) == [
        "ClientSecretFlow", "DescriptorPreview", "IntentBuilder", "LifecycleExplorer",
        "MetadataEditor"]


def _builder(sb: paykit.Sandbox) -> WidgetView:
    widget = paykit.widgets.IntentBuilder(sb)
    widget.metadata.rows[0].key.value = "order_id"
    widget.metadata.rows[0].value.value = "6735"
    widget.create()
    return widget


def _explorer(sb: paykit.Sandbox) -> WidgetView:
    widget = paykit.widgets.LifecycleExplorer(sb)
    widget.new_capture_method.value = "manual"
    widget.create()
    widget.perform(Action.CONFIRM)
    widget.perform(Action.EXPIRE)
    return widget


def _flow(sb: paykit.Sandbox) -> WidgetView:
    widget = paykit.widgets.ClientSecretFlow(sb)
    widget.create()
    widget.fetch()
    widget.confirm()
    return widget


FACTORIES: dict[str, Callable[[paykit.Sandbox], WidgetView]] = {
    "IntentBuilder": _builder,
    "LifecycleExplorer": _explorer,
    "DescriptorPreview": lambda sb: paykit.widgets.DescriptorPreview(),
    "MetadataEditor": lambda sb: paykit.widgets.MetadataEditor({"email": "a@example.com"}),
    "ClientSecretFlow": _flow,
}


@pytest.mark.parametrize("name", FACTORIES)
def test_each_widget_displays_itself_as_its_root_widget(name: str) -> None:
    widget = FACTORIES[name](paykit.Sandbox(seed=0))
    bundle = widget._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == widget.root.model_id
    assert bundle["text/plain"] == repr(widget)
    assert repr(widget).startswith(f"<{name}")
    assert any(cls.startswith("paykit-") and cls != "paykit-widget"
               for cls in widget.root._dom_classes)


@pytest.mark.parametrize("name", FACTORIES)
def test_each_widget_shows_the_same_text_on_every_run(name: str) -> None:
    first = FACTORIES[name](paykit.Sandbox(seed=0))
    second = FACTORIES[name](paykit.Sandbox(seed=0))
    assert first.texts() == second.texts()
    assert repr(first) == repr(second)
    assert not any(re.search(r"\b0x[0-9a-f]{6,}", text) for text in first.texts())
