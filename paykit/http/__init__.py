"""paykit over HTTP: the Stripe API's own wire format, in front of a sandbox.

- ``routes``  the one table of endpoints and ``handle``, used by everything below
- ``forms``   form bodies and query strings (``metadata[order_id]=6735``)
- ``auth``    API keys: ``sk_test_`` / ``pk_test_``, live keys refused
- ``server``  ``paykit serve``: a local server for curl and the SDK over loopback
- ``framing`` where a request ends in a connection's bytes, and its body
- ``sdk``     ``paykit.stripe_client`` / ``paykit.use_sandbox``: the official SDK in-process
  (imports ``stripe``; loaded only when used)
"""

from __future__ import annotations

from paykit.http.auth import ApiKey, Keys
from paykit.http.routes import ROUTES, Response, Route, handle

__all__ = ["ROUTES", "ApiKey", "Keys", "Response", "Route", "handle"]
