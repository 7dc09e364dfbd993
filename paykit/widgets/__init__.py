"""Learning widgets for JupyterLab (ipywidgets 8): touch the PaymentIntents API.

Five widgets, each a small class over pure functions (the logic is tested without a
kernel) that lays out controls on the left, what they produce on the right, and shows
itself when it is the last expression of a cell:

- ``IntentBuilder(sandbox)``: compose a create request; see it as the ``stripe`` SDK
  call, as curl and as the API's JSON; create it in the sandbox.
- ``LifecycleExplorer(sandbox, intent=None)``: buttons for exactly the actions the
  lifecycle table allows now, the state graph, and every object, error and event.
- ``DescriptorPreview()``: the card statement line, its 22-character budget and rules.
- ``MetadataEditor()``: metadata limits, sensitive-data warnings, the copy to the charge.
- ``ClientSecretFlow(sandbox)``: the server creates, the browser confirms with the secret.

>>> import paykit
>>> from paykit.widgets import LifecycleExplorer
>>> sb = paykit.Sandbox(seed=0)
>>> explorer = LifecycleExplorer(sb, sb.payment_intents.create(amount=1099, currency="usd"))
>>> [action.value for action in explorer.visible_actions]
['attach_payment_method', 'confirm', 'cancel']
"""

from __future__ import annotations

try:
    import ipywidgets  # noqa: F401  (a clear message beats a deep traceback)
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError(
        "paykit.widgets needs ipywidgets: pip install 'paykit[widgets]'"
    ) from exc

from paykit.widgets.builder import IntentBuilder
from paykit.widgets.client_secret import ClientSecretFlow
from paykit.widgets.descriptor import DescriptorPreview
from paykit.widgets.explorer import LifecycleExplorer
from paykit.widgets.metadata import MetadataEditor

__all__ = [
    "ClientSecretFlow",
    "DescriptorPreview",
    "IntentBuilder",
    "LifecycleExplorer",
    "MetadataEditor",
]
