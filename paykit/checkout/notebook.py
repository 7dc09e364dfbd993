"""The checkout from a notebook: one call, a link that works in JupyterLab and on Binder.

``open_checkout(sb)`` serves the checkout over the notebook's own sandbox on a fixed
loopback port (a stable link; running the cell again replaces the previous server) and
shows links through the Jupyter server's proxy (jupyter-server-proxy:
``<prefix>proxy/<port>/``, where ``<prefix>`` is ``JUPYTERHUB_SERVICE_PREFIX`` on Binder
and ``/`` on a local JupyterLab), so the browser reaches it wherever Jupyter runs.
"""

from __future__ import annotations

import html
import os

from paykit.checkout.command import start
from paykit.http.server import SandboxServer
from paykit.sandbox import Sandbox

__all__ = ["NOTEBOOK_PORT", "CheckoutLinks", "open_checkout"]

#: The notebooks' checkout port: not 4242, which ``paykit checkout`` takes by default.
NOTEBOOK_PORT = 4243

_RUNNING: dict[int, SandboxServer] = {}
_PAGES = (("spa", "single-page app"), ("server-rendered", "server-rendered"),
          ("payment-element", "Payment Element"))


class CheckoutLinks:
    """A running checkout, shown as links through the Jupyter server's proxy."""

    def __init__(self, server: SandboxServer, prefix: str) -> None:
        self.server = server
        self.port = int(server.server_address[1])
        self.proxy = f"{prefix.rstrip('/')}/proxy/{self.port}/"

    @property
    def url(self) -> str:
        """The checkout on this machine (``http://127.0.0.1:<port>``)."""
        return self.server.url

    def stop(self) -> None:
        self.server.stop()
        _RUNNING.pop(self.port, None)

    def __repr__(self) -> str:
        pages = ", ".join(f"{self.proxy}{path}" for path, _ in _PAGES)
        return f"<paykit checkout through the Jupyter server: {pages}>"

    def _repr_html_(self) -> str:
        links = " · ".join(
            f'<a href="{html.escape(self.proxy + path)}" target="_blank">{label}</a>'
            for path, label in _PAGES)
        return (f"<p><b>paykit checkout</b> (opens in a new tab, through the Jupyter "
                f"server): {links}</p>")


def open_checkout(sandbox: Sandbox, port: int = NOTEBOOK_PORT, *,
                  amount: int = 1099, currency: str = "usd") -> CheckoutLinks:
    """Serve the checkout over ``sandbox`` (stopping one this process started on ``port``)."""
    previous = _RUNNING.pop(port, None)
    if previous is not None:
        previous.stop()
    server = start(sandbox, port, amount=amount, currency=currency)
    _RUNNING[port] = server
    return CheckoutLinks(server, os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"))
