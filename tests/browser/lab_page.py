"""What the JupyterLab browser tests do in the page: find a notebook's panel, run every
cell, wait until all have run, and measure text sizes, all through the app object that
``--expose-app-in-browser`` puts at ``window.jupyterapp``."""

from __future__ import annotations

from typing import Any

from browser_support import Clock

__all__ = ["ALL_EXECUTED", "NOTEBOOK_READY", "RUN_ALL", "TEXT_SIZES", "open_and_run_all"]

_FIND_PANEL = """
(name) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) { return null; }
  for (const widget of Array.from(app.shell.widgets('main'))) {
    if (widget.context && widget.context.path === name) { return widget; }
  }
  return null;
}
"""

NOTEBOOK_READY = f"""
(name) => {{
  const panel = ({_FIND_PANEL})(name);
  if (!panel || !panel.context.isReady || !panel.sessionContext.isReady) {{ return false; }}
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}}
"""

RUN_ALL = f"""
(name) => {{
  const panel = ({_FIND_PANEL})(name);
  window.jupyterapp.shell.activateById(panel.id);
  window.jupyterapp.commands.execute('notebook:run-all-cells');  // not awaited: bounded below
  return true;
}}
"""

ALL_EXECUTED = f"""
(name) => {{
  const panel = ({_FIND_PANEL})(name);
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter((cell) => cell.model.type === 'code');
  return !!kernel && kernel.status === 'idle'
    && cells.every((cell) => cell.model.executionCount !== null);
}}
"""

#: The smallest status name a widget's graph draws, and the notebook's body text, in CSS
#: pixels as shown (the drawing is scaled to its pane).
TEXT_SIZES = """widget => {
    const body = parseFloat(getComputedStyle(
        document.querySelector('.jp-RenderedMarkdown p, .jp-RenderedHTMLCommon p')).fontSize);
    const svg = widget.querySelector('.paykit-graph svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('g.node text')].map(
        t => parseFloat(t.getAttribute('font-size')) * scale);
    return {body, node: Math.min(...sizes)};
}"""


def open_and_run_all(page: Any, url: str, name: str, clock: Clock, run_budget: float) -> None:
    """Open the notebook ``name`` at ``url``, wait for its kernel, run every cell and wait
    (at most ``run_budget`` seconds) until each has run."""
    page.goto(url, wait_until="domcontentloaded", timeout=clock.ms(60))
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=clock.ms(60))
    page.wait_for_function(NOTEBOOK_READY, arg=name, polling=250, timeout=clock.ms(60))
    page.evaluate(RUN_ALL, name)
    page.wait_for_function(ALL_EXECUTED, arg=name, polling=250, timeout=clock.ms(run_budget))
