"""Which notebook section teaches each point of the Stripe pages the course follows.

The course grew from two pages of Stripe's documentation, in their French edition (the
quotes from them are verbatim), numbered as the appendix's coverage table shows them:

- ``000`` *API Payment Intents*: https://docs.stripe.com/payments/payment-intents
  (French: https://docs.stripe.com/payments/payment-intents?locale=fr-FR);
- ``001`` *Fonctionnement des PaymentIntents*, the lifecycle:
  https://docs.stripe.com/payments/paymentintents/lifecycle
  (French: https://docs.stripe.com/payments/paymentintents/lifecycle?locale=fr-FR).

The flows those pages point to are taught from Stripe's English pages (``GUIDES`` from
``002`` on: saving payment methods, refunds, webhooks, 3D Secure in the browser); their
quotes are verbatim from the project's reference notes that cite them
(``REFERENCE_NOTES``).

Every rule, caution and example the course teaches from them is a ``SeedPoint`` below,
with a short quote.

The map itself lives in the notebooks: the Markdown cell that opens the section teaching
a point carries the cell tag ``seed:<point id>``. ``coverage_map`` reads those tags back,
``coverage_problems`` says what is missing or unknown (the test suite asserts it is
empty), and ``coverage_markdown`` renders the table of the appendix
(``tools.course.appendix``). So the map cannot
drift from the notebooks: move a section and its tag moves with it.

>>> len({p.id for p in SEED_POINTS}) == len(SEED_POINTS)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import nbformat

__all__ = [
    "GUIDES",
    "REFERENCE_NOTES",
    "SEEDS",
    "SEED_POINTS",
    "TAG_PREFIX",
    "Guide",
    "Section",
    "SeedPoint",
    "coverage_map",
    "coverage_markdown",
    "coverage_problems",
    "heading_anchor",
    "sections",
]

#: Cell tags ``seed:<id>`` mark the section that teaches a point.
TAG_PREFIX = "seed:"

class Guide(NamedTuple):
    """A Stripe page the course teaches from: its English title and address."""

    title: str
    url: str


#: Every guide by number (the column "guide" of the coverage table): the two seed pages,
#: then the pages of the flows they point to.
GUIDES: dict[str, Guide] = {
    "000": Guide("API Payment Intents", "https://docs.stripe.com/payments/payment-intents"),
    "001": Guide("How PaymentIntents work",
                 "https://docs.stripe.com/payments/paymentintents/lifecycle"),
    "002": Guide("Save and reuse payment methods",
                 "https://docs.stripe.com/payments/save-and-reuse"),
    "003": Guide("Refunds", "https://docs.stripe.com/refunds"),
    "004": Guide("Receive Stripe events in your webhook endpoint",
                 "https://docs.stripe.com/webhooks"),
    "005": Guide("3D Secure authentication flow",
                 "https://docs.stripe.com/payments/3d-secure/authentication-flow"),
}

#: The two seed pages, in the French edition the course quotes them from.
SEEDS: dict[str, str] = {number: f"{GUIDES[number].url}?locale=fr-FR"
                         for number in ("000", "001")}

#: Where the quotes of the guides after the seeds can be checked: the reference note (in
#: ``shared/reference/``) that quotes and cites each page.
REFERENCE_NOTES: dict[str, str] = {
    "002": "stripe_objects_next.md",
    "003": "stripe_objects_next.md",
    "004": "stripe_webhooks.md",
    "005": "stripe_js_surface.md",
}


@dataclass(frozen=True, slots=True)
class SeedPoint:
    """One rule, caution or example of a guide (``seed``: its number in ``GUIDES``), and
    the notebook meant to teach it."""

    id: str
    seed: str
    notebook: str
    summary: str
    quote: str


def _p(id: str, seed: str, notebook: str, summary: str, quote: str) -> SeedPoint:
    """Short positional constructor, so the table below reads as a table."""
    return SeedPoint(id, seed, notebook, summary, quote)


_NB00 = "00_start_here.ipynb"
_NB01 = "01_creating_a_payment_intent.ipynb"
_NB02 = "02_one_intent_per_purchase.ipynb"
_NB03 = "03_the_client_secret.ipynb"
_NB04 = "04_a_checkout_in_the_browser.ipynb"
_NB05 = "05_the_lifecycle.ipynb"
_NB06 = "06_capture_and_cancel.ipynb"
_NB07 = "07_saving_a_payment_method.ipynb"
_NB08 = "08_setupintents.ipynb"
_NB09 = "09_statement_descriptors.ipynb"
_NB10 = "10_metadata.ipynb"
_NB11 = "11_webhooks.ipynb"
_NB12 = "12_charges_and_refunds.ipynb"

#: Every point of both guides, in the order the guides make them.
SEED_POINTS: tuple[SeedPoint, ...] = (
    # -- 000: https://docs.stripe.com/payments/payment-intents ---------------------------
    _p("pi-api-benefits", "000", _NB00,
       "A PaymentIntent tracks a payment from creation to completion and triggers extra "
       "authentication when needed: automatic authentication, no double payments, no "
       "idempotency key problems, SCA support.",
       "Il suit un paiement de sa création jusqu’à son paiement"),
    _p("complete-api-set", "000", _NB00,
       "PaymentIntents work with the Setup Intents and Payment Methods APIs: dynamic "
       "payments (3D Secure), new regulations and local payment methods.",
       "Utilisez l’API Payment Intents avec les API Setup Intents et Payment Methods"),
    _p("create-and-confirm", "000", _NB01,
       "An integration creates, then confirms a PaymentIntent; each intent belongs to a "
       "cart or session and holds the payment methods, amount and currency.",
       "implique deux actions : la création et la confirmation d’un PaymentIntent"),
    _p("amount-currency", "000", _NB01,
       "Choose the amount and the currency when you create the intent (amount=1099, "
       "currency=usd).",
       "vous pouvez choisir certains éléments comme le montant et la devise"),
    _p("create-early-update-amount", "000", _NB02,
       "Create the intent as soon as the amount is known; update its amount when the "
       "cart changes.",
       "créer un PaymentIntent dès que le montant est connu"),
    _p("reuse-intent", "000", _NB02,
       "A customer who comes back reuses the same intent: keep its id in the cart or "
       "session.",
       "essayez d’utiliser le même PaymentIntent au lieu d’en créer un nouveau"),
    _p("idempotency-key", "000", _NB02,
       "Provide an idempotency key, usually derived from the cart or session id, so that "
       "one purchase never creates two intents.",
       "Cette clé est généralement basée sur l’ID associé au panier ou à la session"),
    _p("server-creates-client-secret", "000", _NB03,
       "Create the intent on the server and pass only its client secret to the client, "
       "not the whole object.",
       "pour éviter de transmettre l’objet PaymentIntent dans son intégralité"),
    _p("client-secret-what", "000", _NB03,
       "The client secret is a unique key of one intent, used by Stripe.js "
       "(confirmCardPayment, handleCardAction) to finish the payment.",
       "la clé secrète est utilisée par Stripe.js comme paramètre"),
    _p("client-secret-spa", "000", _NB03,
       "A single-page app fetches the client secret from an endpoint of your server.",
       "Récupérez la clé secrète du client à partir d’un endpoint sur votre serveur"),
    _p("client-secret-ssr", "000", _NB03,
       "Server-side rendering puts the client secret into the page the server renders.",
       "Rendu côté serveur"),
    _p("client-secret-caution", "000", _NB03,
       "The client secret can complete the payment: never store it, put it in a URL or "
       "show it to anyone but the customer; TLS on every page that contains it.",
       "Vous ne devez pas l’enregistrer, l’intégrer à une URL ni la dévoiler"),
    _p("webhooks-after-payment", "000", _NB11,
       "After the customer confirms, listen to webhooks on your server to learn whether "
       "the payment succeeded or failed.",
       "nous vous recommandons de surveiller les webhooks côté serveur"),
    _p("several-charges", "000", _NB12,
       "One intent can have several charges (one per attempt, e.g. retries); check each "
       "one's outcome and payment method.",
       "Un objet `PaymentIntent` peut être associé à plusieurs objets Charge"),
    _p("sfu-table", "000", _NB07,
       "setup_future_usage saves the payment method: on_session for on-session reuse only, "
       "off_session for off-session only or both (example: setup_future_usage=off_session).",
       "Le paramètre setup_future_usage enregistre les moyens de paiement"),
    _p("off-session-decline-risk", "000", _NB07,
       "An off-session payment with a card set up on session is likely to be declined, "
       "the bank asking the cardholder to authenticate.",
       "il est probable que la banque refuse le paiement hors session"),
    _p("sfu-friction-caution", "000", _NB08,
       "Off-session setups cause more friction: use on_session if you will not charge the "
       "saved card off session.",
       "sont plus susceptibles d’entraîner des frictions supplémentaires"),
    _p("descriptor-default", "000", _NB09,
       "By default the account's descriptor appears on statements; statement_descriptor "
       "sets another one for one payment (example: \"Custom descriptor\").",
       "Par défaut, le libellé de votre compte Stripe apparaît sur les relevés"),
    _p("descriptor-limits", "000", _NB09,
       "Descriptors have at most 22 characters, none of `<` `>` `'` `\"` `*`, and not only "
       "digits.",
       "Les libellés de relevé bancaire sont limités à 22 caractères"),
    _p("descriptor-prefix-suffix", "000", _NB09,
       "A dynamic suffix follows the prefix set in the Dashboard, joined by `\"* \"`, and "
       "those two characters count in the 22.",
       "Ces deux caractères sont décomptés des 22 caractères disponibles"),
    _p("metadata-purpose", "000", _NB10,
       "Metadata is invisible to customers and never affects declines or fraud blocking.",
       "Les métadonnées ne sont pas visibles pour vos clients"),
    _p("metadata-order-id", "000", _NB10,
       "Metadata shows in the Dashboard and reports; e.g. your order id on the intent to "
       "reconcile payments and orders (metadata[order_id]=6735).",
       "Vous pouvez par exemple associer l’ID de commande de votre boutique"),
    _p("metadata-radar", "000", _NB10,
       "With Radar for Fraud Teams, metadata can feed Radar rules and reviews.",
       "Si vous utilisez Radar for Fraud Teams"),
    _p("metadata-copied-to-charge", "000", _NB10,
       "A charge copies the intent's metadata when it is created; later changes to the "
       "intent's metadata do not reach earlier charges.",
       "le PaymentIntent copie ses métadonnées dans le paiement"),
    _p("no-sensitive-data", "000", _NB10,
       "Never put sensitive data (personal data, card data) in metadata or the "
       "description.",
       "Veillez à ne pas stocker d’informations confidentielles"),
    # -- 001: https://docs.stripe.com/payments/paymentintents/lifecycle ------------------
    _p("lifecycle-state-machine", "001", _NB05,
       "Asynchronous payments are hard to follow; PaymentIntents track their state in a "
       "state machine.",
       "suivre l’état du flux dans un state machine"),
    _p("lifecycle-every-status", "001", _NB05,
       "The seven statuses and every move between them.",
       "requires_payment_method"),
    _p("status-requires-payment-method", "001", _NB05,
       "A new intent is requires_payment_method until a payment method is attached; "
       "create it early so that Stripe records every attempt.",
       "son état est requires_payment_method1 jusqu’à ce qu’un mode de paiement soit associé"),
    _p("status-requires-confirmation", "001", _NB05,
       "requires_confirmation is optional and skipped by most integrations, which send the "
       "payment method with the confirmation.",
       "Dans la plupart des intégrations, cet état est ignoré"),
    _p("status-requires-action", "001", _NB05,
       "Extra actions such as 3D Secure put the intent in requires_action.",
       "comme l’authentification avec 3D Secure"),
    _p("status-processing", "001", _NB05,
       "processing is for asynchronous methods such as bank debits (days); cards do not "
       "go through it.",
       "ne passent pas à l’état processing"),
    _p("status-requires-capture", "001", _NB06,
       "Authorising and capturing separately puts the intent in requires_capture; "
       "capturing moves it on.",
       "votre PaymentIntent peut passer à l’état requires_capture"),
    _p("status-succeeded", "001", _NB05,
       "succeeded: the flow is complete, fulfil the order; refunds go through the Refunds "
       "API.",
       "cela signifie que le flux de paiement est terminé"),
    _p("decline-retry", "001", _NB05,
       "A failed attempt (a decline) returns the intent to requires_payment_method so the "
       "payment can be retried.",
       "l’état du PaymentIntent revient à requires_payment_method"),
    _p("cancel-rules", "001", _NB06,
       "Cancel any time before processing or succeeded; canceling cannot be undone and "
       "releases held funds.",
       "cette action ne peut être annulée"),
    _p("cancel-processing-us-bank", "001", _NB06,
       "Footnote 2: a processing intent can be canceled for US bank accounts, within a "
       "limited and varying window.",
       "lorsque le mode de paiement associé est US Bank Account"),
    _p("auto-cancel", "001", _NB06,
       "Intents can be canceled automatically after too many confirmations.",
       "après un trop grand nombre de confirmations"),
    _p("legacy-names", "001", _NB06,
       "Before API version 2019-02-11: requires_source and requires_source_action.",
       "requires_source est affiché au lieu de requires_payment_method"),
    # -- 002: https://docs.stripe.com/payments/save-and-reuse ---------------------------
    _p("pm-attach-to-customer", "002", _NB07,
       "A payment method is reused only once it is attached to a Customer: pay with "
       "customer and setup_future_usage, and a method used without a Customer cannot be "
       "used again.",
       "To use a PaymentMethod multiple times, you must attach it to a Customer first"),
    _p("off-session-authenticate-on-session", "002", _NB07,
       "An off-session payment the bank wants authenticated fails (authentication_required, "
       "the intent back in requires_payment_method): bring the customer back and confirm "
       "the same intent with the same payment method.",
       "Reuse the PaymentIntent and PaymentMethod to have the customer authenticate the "
       "payment"),
    _p("setupintent-without-payment", "002", _NB08,
       "A SetupIntent saves a payment method for later without a payment; once set up, "
       "off-session payments no longer need the customer to authenticate.",
       "After you set it up, off-session payments no longer require authentication"),
    _p("setupintent-statuses", "002", _NB08,
       "A SetupIntent has its own lifecycle: requires_payment_method until a method is "
       "attached, requires_action for 3D Secure, then succeeded (or canceled).",
       "When the SetupIntent is created, it has a status of requires_payment_method until a "
       "payment method is attached."),
    # -- 003: https://docs.stripe.com/refunds -------------------------------------------
    _p("refund-full-or-partial", "003", _NB12,
       "A refund gives back the whole payment by default, or part of it with an amount.",
       "You can also refund only part of a PaymentIntent by specifying an amount"),
    _p("refund-not-beyond-charge", "003", _NB12,
       "Several refunds can be made against one charge, never more than it took in all.",
       "You can issue more than one refund against a charge, but you can't refund a total "
       "greater than the original charge amount."),
    _p("refund-lifecycle", "003", _NB12,
       "A refund starts pending and later succeeds or fails; refund.updated and "
       "refund.failed tell the server.",
       "If you initiate a refund, its status begins as `pending`"),
    # -- 004: https://docs.stripe.com/webhooks ------------------------------------------
    _p("webhook-endpoint-secret", "004", _NB11,
       "Register an endpoint with its url and the events it wants; its signing secret is "
       "shown once, in the create response.",
       "The endpoint's secret, used to generate webhook signatures. **Only returned at "
       "creation.**"),
    _p("webhook-raw-body-signature", "004", _NB11,
       "Verify each delivery's signature over the raw body with the endpoint's secret; "
       "any change to the body fails it.",
       "Stripe requires the raw body of the request to perform signature verification"),
    _p("webhook-tolerance", "004", _NB11,
       "The signature's timestamp must be recent (5 minutes by default), so a captured "
       "delivery cannot be replayed.",
       "Our libraries have a default tolerance of 5 minutes"),
    _p("webhook-duplicates", "004", _NB11,
       "The same event can arrive more than once: log the ids of the events handled.",
       "Webhook endpoints might occasionally receive the same event more than once."),
    _p("webhook-order", "004", _NB11,
       "Events are not delivered in the order they were generated.",
       "Stripe doesn't guarantee the delivery of events in the order that they're "
       "generated"),
    _p("webhook-2xx-retries", "004", _NB11,
       "Answer 2xx quickly; anything else is a failed delivery, retried (in a sandbox, "
       "three times over a few hours).",
       "We retry event deliveries created in a sandbox three times over the course of a few "
       "hours."),
    # -- 005: https://docs.stripe.com/payments/3d-secure/authentication-flow -------------
    _p("stripejs-3ds-modal", "005", _NB04,
       "In the browser, Stripe.js confirms with the client secret and shows the bank's 3D "
       "Secure challenge in a modal when the bank asks for it.",
       "If the customer's bank decides it needs proof, a modal asks the customer to "
       "authenticate"),
)


@dataclass(frozen=True, slots=True)
class Section:
    """A tagged Markdown cell: the notebook, its heading, and the seed points it teaches."""

    notebook: str
    heading: str
    points: tuple[str, ...]
    is_heading: bool

    @property
    def anchor(self) -> str:
        """The link fragment of this section's heading."""
        return heading_anchor(self.heading)


def heading_anchor(heading: str) -> str:
    """The fragment JupyterLab gives a Markdown heading (spaces become ``-``)."""
    return heading.strip().replace(" ", "-")


def _heading(source: str) -> tuple[str, bool]:
    """A cell's first line without its ``#`` marks, and whether it is a heading."""
    first = source.strip().splitlines()[0] if source.strip() else ""
    if first.startswith("#"):
        return first.lstrip("#").strip(), True
    return first, False


def sections(paths: Iterable[Path]) -> list[Section]:
    """Every Markdown cell tagged ``seed:…`` in the given notebooks, in order."""
    found = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            points = tuple(tag[len(TAG_PREFIX):] for tag in cell.metadata.get("tags", [])
                           if tag.startswith(TAG_PREFIX))
            if points:
                heading, is_heading = _heading(cell.source)
                found.append(Section(path.name, heading,
                                     points, is_heading and cell.cell_type == "markdown"))
    return found


def coverage_map(paths: Iterable[Path]) -> dict[str, list[Section]]:
    """Seed point id → the sections that carry its tag (unknown ids included)."""
    result: dict[str, list[Section]] = {point.id: [] for point in SEED_POINTS}
    for section in sections(paths):
        for point in section.points:
            result.setdefault(point, []).append(section)
    return result


def coverage_problems(paths: Iterable[Path]) -> list[str]:
    """What breaks the map: untaught points, unknown tags, wrong notebook, no heading."""
    paths = list(paths)
    known = {point.id: point for point in SEED_POINTS}
    problems = []
    for point_id, found in coverage_map(paths).items():
        point = known.get(point_id)
        if point is None:
            problems.append(f"unknown seed point tag seed:{point_id} in "
                            f"{sorted({s.notebook for s in found})}")
            continue
        if not found:
            problems.append(f"{point_id} (guide {point.seed}) is taught nowhere")
        for section in found:
            if section.notebook != point.notebook:
                problems.append(f"{point_id} is tagged in {section.notebook}, but "
                                f"SEED_POINTS says {point.notebook}")
            if not section.is_heading:
                problems.append(f"{point_id}: the tagged cell in {section.notebook} is not "
                                "a Markdown heading, so it names no section")
    return problems


def coverage_markdown(paths: Iterable[Path]) -> str:
    """The appendix's table: each point, and links to the sections that teach it."""
    mapping = coverage_map(paths)
    lines = ["| guide | what the guide says | taught in |", "|---|---|---|"]
    for point in SEED_POINTS:
        links = ", ".join(
            f"[{s.notebook[:2]} · {s.heading}]({s.notebook}#{s.anchor})"
            for s in mapping.get(point.id, [])
        ) or "**not taught yet**"
        lines.append(f"| {point.seed} | {point.summary} | {links} |")
    return "\n".join(lines)
