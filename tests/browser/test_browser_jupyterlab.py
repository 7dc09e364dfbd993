"""The widgets in a real JupyterLab, driven by a real (headless) Chromium.

A fresh JupyterLab server per test session (127.0.0.1, a free port, a random token,
temporary Jupyter config / runtime / data / settings directories, the announcements
plugin disabled) opens ``widgets_gallery.ipynb``, runs every cell, and the test checks
what a learner would see: no "Error displaying widget", every widget rendered, a
23-character descriptor refused, and a confirm that changes the status and the graph.

Chromium is Debian's ``chromium`` package (``/usr/bin/chromium``), driven by Playwright
with ``executable_path``: never ``playwright install``, which cannot download here.
Without it the test skips (``apt-get install chromium``), except under ``CI=true``,
where it fails. Screenshots go to ``test-artifacts/browser/`` (git-ignored), also on
failure. Every wait is bounded: the whole test ends within about three minutes.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, Clock
from jupyter_support import Lab
from lab_page import TEXT_SIZES, open_and_run_all

from paykit.graph import STYLES

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
NOTEBOOK = HERE / "widgets_gallery.ipynb"
#: Seconds for the browser part; the server has its own start-up budget and shutdown
#: takes at most ~25 s more, so even a failing run ends within about three minutes.
TEST_BUDGET = 110
DESCRIPTOR_23 = "ABCDEFGHIJKLMNOPQRSTUVW"
WIDGETS = {  # root class -> a label the widget shows
    "paykit-intent-builder": "Create a PaymentIntent",
    "paykit-lifecycle-explorer": "Lifecycle explorer",
    "paykit-descriptor-preview": "Statement descriptor",
    "paykit-metadata-editor": "Metadata",
    "paykit-client-secret-flow": "Your server",
}



def test_every_widget_renders_and_works_in_jupyterlab(jupyterlab: Lab) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    clock = Clock(TEST_BUDGET)
    profile = jupyterlab.root.parent / "chromium-profile"
    url = f"{jupyterlab.url}/lab/tree/{NOTEBOOK.name}?reset&token={jupyterlab.token}"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 1400}, timeout=clock.ms(60))
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(clock.ms(30))
        try:
            open_and_run_all(page, url, NOTEBOOK.name, clock, run_budget=90)
            _check_rendered(page, expect, clock)
            _type_a_23_character_descriptor(page, expect, clock)
            _confirm_in_the_explorer(page, expect, clock)
            page.screenshot(path=str(ARTIFACTS / "99-final.png"))
        except BaseException:
            with contextlib.suppress(Exception):  # the failure itself matters more
                page.screenshot(path=str(ARTIFACTS / "failure.png"), timeout=10_000)
            raise
        finally:
            context.close()


def _check_rendered(page: Any, expect: Any, clock: Clock) -> None:
    """No widget error, no Python error, every widget drawn, SVG output as an image."""
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    if errors.count():
        pytest.fail("a cell failed:\n" + "\n".join(errors.all_inner_texts()), pytrace=False)
    for css_class, label in WIDGETS.items():
        widget = page.locator(f".{css_class}")
        expect(widget).to_have_count(1, timeout=clock.ms(30))
        expect(widget).to_be_visible(timeout=clock.ms(30))
        expect(widget).to_contain_text(label, timeout=clock.ms(10))
        widget.screenshot(path=str(ARTIFACTS / f"widget-{css_class.removeprefix('paykit-')}.png"),
                          timeout=clock.ms(20))
    expect(page.get_by_text("Error displaying widget")).to_have_count(0)
    assert "Error displaying widget" not in page.content()
    # JupyterLab shows image/svg+xml output (the PaymentIntent's own graph) as an <img>.
    expect(page.locator(".jp-RenderedSVG img").first).to_be_visible(timeout=clock.ms(20))
    page.screenshot(path=str(ARTIFACTS / "01-run-all.png"))


def _type_a_23_character_descriptor(page: Any, expect: Any, clock: Clock) -> None:
    preview = page.locator(".paykit-descriptor-preview")
    suffix = preview.locator(".paykit-suffix input")
    suffix.fill("", timeout=clock.ms(20))
    suffix.press_sequentially(DESCRIPTOR_23, delay=15, timeout=clock.ms(30))
    problems = preview.locator(".paykit-problems")
    expect(problems).to_contain_text("at most 22 characters", timeout=clock.ms(20))
    expect(problems.locator(".paykit-error")).to_be_visible(timeout=clock.ms(10))
    expect(preview.locator(".paykit-statement")).to_have_text(f"PAYKIT* {DESCRIPTOR_23}",
                                                              timeout=clock.ms(10))
    preview.screenshot(path=str(ARTIFACTS / "02-descriptor-23-characters.png"))


def _current_node(explorer: Any) -> str:
    """The status the graph draws in the ``current`` style (its node's <title>)."""
    fill = STYLES["current"]["node"]["fillcolor"]
    node = explorer.locator(f'.paykit-graph g.node:has(:is(path, polygon)[fill="{fill}"]) title')
    return str(node.text_content())


def _confirm_in_the_explorer(page: Any, expect: Any, clock: Clock) -> None:
    explorer = page.locator(".paykit-lifecycle-explorer")
    status = explorer.locator(".paykit-status")
    expect(status).to_have_text("requires_payment_method", timeout=clock.ms(20))
    assert _current_node(explorer) == "requires_payment_method"
    sizes = explorer.evaluate(TEXT_SIZES)
    # the status names read as easily as the notebook's text (Course 2.0's goal)
    assert sizes["node"] >= sizes["body"], sizes
    confirm = explorer.locator("button.paykit-action-confirm")
    expect(confirm).to_be_visible(timeout=clock.ms(10))
    explorer.screenshot(path=str(ARTIFACTS / "03-explorer-before-confirm.png"))
    confirm.click(timeout=clock.ms(20))
    expect(status).to_have_text("succeeded", timeout=clock.ms(30))
    expect(explorer.locator(".paykit-graph")).to_have_attribute(
        "data-current", "succeeded", timeout=clock.ms(20))
    assert _current_node(explorer) == "succeeded"
    expect(confirm).to_have_count(0, timeout=clock.ms(10))  # no action leaves succeeded
    expect(explorer.locator(".paykit-log")).to_contain_text("payment_intent.succeeded",
                                                            timeout=clock.ms(10))
    explorer.screenshot(path=str(ARTIFACTS / "04-explorer-after-confirm.png"))
