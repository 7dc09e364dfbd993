"""``paykit checkout``: the guide's two ways to hand the client secret to a browser, runnable.

https://docs.stripe.com/payments/payment-intents shows a single-page app that fetches the
secret from your server (``fetch('/secret')``) and a server-rendered page that carries it
in ``data-secret``; both confirm with Stripe.js. This package serves those pages, the
Payment Element with its return page, the API and paykit's Stripe.js stand-in from ONE
server on 127.0.0.1, over one sandbox: ``pages`` renders the pages, ``command`` runs them.
"""

__all__: list[str] = []
