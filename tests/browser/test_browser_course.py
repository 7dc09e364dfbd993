"""Every course notebook in a real JupyterLab, as a learner sees it after *Run all*.

Course 2.0's proof (issue #18): each notebook of ``notebooks/`` is opened in the session's
JupyterLab (``jupyter_support``) on Debian's Chromium at 1280 px, every cell is run, and
the page is checked for what gets in a learner's way:

- no "Error displaying widget" and no error output;
- no typeset math: no notebook means any (``test_notebook_markdown`` checks the sources,
  this checks what MathJax did in the page);
- in each lifecycle explorer, the graph's status names at least as large as body text;
- every table (Markdown or DataFrame) inside the notebook's width.

Each notebook is captured whole, from the top, in pages of at most ``PAGE_HEIGHT`` px
(``test-artifacts/browser/course/NN_name-1.png``, ``-2``…), also on failure; its kernel is
then shut down so the notebooks run one at a time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, Clock
from jupyter_support import COURSE, Lab
from lab_page import TEXT_SIZES, open_and_run_all

from tools.course.navigation import notebook_paths

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "course"
WIDTH = 1280
#: Seconds for one notebook: open, start its kernel, run every cell, check, capture.
NOTEBOOK_BUDGET = 180
RUN_BUDGET = 120
#: The tallest capture (CSS px): a long notebook is captured in several pages.
PAGE_HEIGHT = 8_000

# Every table the notebook renders that sticks out to the right of the notebook's cells,
# with the text of its first row to say which.
_TABLES_TOO_WIDE = """() => {
  const notebook = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const right = notebook.getBoundingClientRect().right;
  return [...notebook.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().right > right + 1)
    .map(t => ({width: Math.round(t.getBoundingClientRect().width),
                first: (t.rows[0] ? t.rows[0].innerText : '').slice(0, 80)}));
}"""

# The visible notebook's scrolling area (JupyterLab 4 scrolls an outer box around the
# cells): its full height, and a way to scroll it.
_SCROLLER = ("document.querySelector("
             "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')")
_NOTEBOOK_HEIGHT = f"() => {_SCROLLER}.scrollHeight"
_SCROLL_TO = f"(top) => {{ {_SCROLLER}.scrollTop = top; return {_SCROLLER}.scrollTop; }}"


@pytest.fixture(scope="module")
def browser_page(jupyterlab: Lab) -> Iterator[Any]:
    """One Chromium for the module, 1280 px wide, every notebook in its own visit."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    profile = jupyterlab.root.parent / "chromium-course-profile"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": WIDTH, "height": 1000}, timeout=60_000)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


@pytest.mark.parametrize("name", [p.name for p in notebook_paths(COURSE)])
def test_the_notebook_reads_well_after_run_all(name: str, jupyterlab: Lab,
                                               browser_page: Any) -> None:
    from playwright.sync_api import expect

    page, clock = browser_page, Clock(NOTEBOOK_BUDGET)
    path = f"{COURSE.name}/{name}"
    url = f"{jupyterlab.url}/lab/tree/{path}?reset&token={jupyterlab.token}"
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    page.set_default_timeout(clock.ms(30))
    try:
        open_and_run_all(page, url, path, clock, RUN_BUDGET)
        _check(page, expect, clock)
        _capture(page, Path(name).stem)
    except BaseException:
        with contextlib.suppress(Exception):  # the failure itself matters more
            _capture(page, f"{Path(name).stem}-failure")
        raise
    finally:
        jupyterlab.stop_kernels()


def _check(page: Any, expect: Any, clock: Clock) -> None:
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    errors = panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    if errors.count():
        pytest.fail("a cell failed or warned:\n" + "\n".join(errors.all_inner_texts()),
                    pytrace=False)
    expect(panel.get_by_text("Error displaying widget")).to_have_count(0, timeout=clock.ms(10))
    # MathJax 3 (JupyterLab 4) turns each piece of math it typesets into <mjx-container>.
    typeset = panel.locator("mjx-container")
    assert typeset.count() == 0, f"typeset math: {typeset.all_inner_texts()[:5]}"
    for explorer in panel.locator(".paykit-lifecycle-explorer").all():
        expect(explorer.locator(".paykit-graph svg")).to_be_visible(timeout=clock.ms(20))
        sizes = explorer.evaluate(TEXT_SIZES)
        assert sizes["node"] >= sizes["body"], sizes
    assert page.evaluate(_TABLES_TOO_WIDE) == []


def _capture(page: Any, stem: str) -> None:
    """The whole notebook, top to bottom, in pages: ``stem-1.png``, ``stem-2.png``…"""
    height = int(page.evaluate(_NOTEBOOK_HEIGHT))
    page_height = min(height, PAGE_HEIGHT)
    page.set_viewport_size({"width": WIDTH, "height": page_height + 200})
    page.wait_for_timeout(500)  # JupyterLab lays the taller panel out
    for number, top in enumerate(range(0, max(height, 1), page_height), start=1):
        page.evaluate(_SCROLL_TO, top)
        page.wait_for_timeout(200)
        page.screenshot(path=str(SHOTS / f"{stem}-{number}.png"), timeout=60_000)
    page.set_viewport_size({"width": WIDTH, "height": 1000})
