"""The browser side: a learning stand-in for Stripe.js v3, served by the sandbox.

``stripe.js`` (the script), ``assets`` (the paths it is served at) and ``card_checks``
(the table its card fields validate with, shared with Python). Not Stripe.js: written
from Stripe's public documentation, and labelled as a stand-in wherever it shows.
"""

__all__: list[str] = []
