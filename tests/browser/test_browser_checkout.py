"""The checkout in a real (headless) Chromium: the customer's half of the client secret.

``paykit.checkout.command.start`` serves the pages, the API and the Stripe.js stand-in
over a sandbox this test holds, so every payment made by clicking in the page is checked
in the sandbox itself: the intent's status, its events, and for 3D Secure the same moves
``sb.payment_intents.authenticate(...)`` makes. Screenshots go to
``test-artifacts/browser/checkout/``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, require_browser

import paykit
from paykit.checkout.command import start
from paykit.stripejs import card_checks

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "checkout"
DOCS_PAGE = Path(__file__).resolve().parent / "docs_card_page.html"
TIMEOUT_MS = 15_000

SUCCEEDS, THREE_D_SECURE, DECLINED = "4242424242424242", "4000002760003184", "4000000000000002"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_FLAGS, timeout=60_000)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def shop() -> Iterator[tuple[paykit.Sandbox, str]]:
    sandbox = paykit.Sandbox(seed=0)
    with start(sandbox) as server:
        yield sandbox, server.url


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 900, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield tab
        assert errors == [], errors
    except BaseException:
        with contextlib.suppress(Exception):
            tab.screenshot(path=str(SHOTS / f"failure-{request.node.name}.png"))
        raise
    finally:
        context.close()


def fill_card(tab: Any, number: str, expiry: str = "12 / 34", cvc: str = "123") -> None:
    tab.locator("input[name=cardnumber]").fill(number)
    tab.locator("input[name=exp-date]").fill(expiry)
    tab.locator("input[name=cvc]").fill(cvc)


def only_intent(sb: paykit.Sandbox) -> paykit.PaymentIntent:
    intents = sb.payment_intents.list(limit=None).data
    assert len(intents) == 1
    return intents[0]


def event_types(sb: paykit.Sandbox) -> list[str]:
    return [event.type for event in reversed(sb.events.list(limit=None).data)]


def python_twin(number: str, success: bool | None) -> paykit.Sandbox:
    """The same payment made in Python: confirm as Stripe.js does, then
    ``sb.payment_intents.authenticate`` when the card asks for 3D Secure."""
    sb = paykit.Sandbox(seed=0)
    intent = sb.payment_intents.create(amount=1099, currency="usd")
    with contextlib.suppress(paykit.CardError):
        sb.payment_intents.confirm(intent.id, client_secret=intent.client_secret,
                                   use_stripe_sdk=True, payment_method_data={
                                       "type": "card", "billing_details": {"name": "Jenny Rosen"},
                                       "card": {"number": number, "exp_month": 12,
                                                "exp_year": 2034, "cvc": "123"}})
    if success is not None:
        sb.payment_intents.authenticate(intent.id, success=success)
    return sb


CASES = {  # name -> (card, 3DS answer, outcome shown, final status)
    "4242": (SUCCEEDS, None, "succeeded", "succeeded"),
    "3ds-complete": (THREE_D_SECURE, True, "succeeded", "succeeded"),
    "3ds-fail": (THREE_D_SECURE, False, "error", "requires_payment_method"),
    "declined": (DECLINED, None, "error", "requires_payment_method"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("where", ["spa", "server-rendered"])
def test_the_customer_pays_and_the_sandbox_moves_as_in_python(shop, page, where, case):
    sb, url = shop
    number, answer, outcome, status = CASES[case]
    page.goto(f"{url}/{where}")
    fill_card(page, number)
    page.locator("#submit").click()
    if answer is not None:
        challenge = page.locator("#paykit-3ds-challenge")
        challenge.wait_for()
        assert "3D Secure" in challenge.inner_text()
        page.screenshot(path=str(SHOTS / f"{where}-{case}-challenge.png"))
        page.locator("#test-source-authorize-3ds" if answer else "#test-source-fail-3ds").click()
    result = page.locator(f"#result[data-outcome={outcome}]")
    result.wait_for()
    page.screenshot(path=str(SHOTS / f"{where}-{case}.png"))
    intent = only_intent(sb)
    assert intent.status == status
    twin = python_twin(number, answer)
    assert event_types(sb) == event_types(twin)
    assert intent.to_dict()["last_payment_error"] == only_intent(twin).to_dict()[
        "last_payment_error"]
    if case == "3ds-fail":
        assert "failed authentication" in result.inner_text()
        assert intent.last_payment_error["code"] == "payment_intent_authentication_failure"
    if case == "declined":
        assert "Your card was declined." in result.inner_text()


def test_the_card_element_shows_stripe_js_messages_as_the_customer_types(shop, page):
    _, url = shop
    page.goto(f"{url}/spa")
    errors = page.locator("#card-errors")
    page.locator("input[name=cardnumber]").fill("4242424242424241")
    assert errors.inner_text() == "Your card number is invalid."
    page.locator("input[name=cardnumber]").fill("4242424242424242")
    assert errors.inner_text() == ""
    page.locator("input[name=exp-date]").fill("1220")
    assert page.locator("input[name=exp-date]").input_value() == "12 / 20"
    assert errors.inner_text() == "Your card's expiration year is in the past."
    page.locator("input[name=exp-date]").fill("12 / 34")
    page.locator("input[name=cvc]").fill("1")
    page.locator("#cardholder-name").click()  # leaving the field shows "incomplete"
    assert errors.inner_text() == "Your card's security code is incomplete."
    page.screenshot(path=str(SHOTS / "card-element-validation.png"))


def test_the_browser_reads_the_card_table_as_python_does(shop, page):
    _, url = shop
    page.goto(f"{url}/spa")
    answered = page.evaluate("""([examples, today]) => examples.map(([field, typed, extra]) => {
        const checks = Stripe.paykit.checks;
        const found = field === 'number' ? checks.number(typed)
          : field === 'expiry' ? checks.expiry(typed, today) : checks.cvc(typed, extra);
        return found ? [found.type, found.code, found.message, found.param] : null;
    })""", [list(map(list, card_checks.EXAMPLES)), list(card_checks.EXAMPLES_TODAY)])
    expected = []
    for field, typed, extra, _ in card_checks.EXAMPLES:
        found = (card_checks.check_number(typed) if field == "number"
                 else card_checks.check_expiry(typed, today=card_checks.EXAMPLES_TODAY)
                 if field == "expiry" else card_checks.check_cvc(typed, extra))
        expected.append(None if found is None else list(found.to_dict().values()))
    assert answered == expected


def test_the_payment_element_confirms_and_redirects_to_the_return_page(shop, page):
    sb, url = shop
    page.goto(f"{url}/payment-element")
    page.locator("#payment-element input[name=cardnumber]").wait_for()
    assert "stand-in" in page.locator("#payment-element").inner_text()
    fill_card(page, THREE_D_SECURE)
    page.locator("#submit").click()
    page.locator("#test-source-authorize-3ds").click()
    message = page.locator("#message[data-outcome=succeeded]")
    message.wait_for()
    page.screenshot(path=str(SHOTS / "payment-element-return.png"))
    intent = only_intent(sb)
    assert intent.status == "succeeded"
    query = page.url.split("?", 1)[1]
    assert page.url.startswith(f"{url}/return?")
    assert f"payment_intent={intent.id}" in query and "redirect_status=succeeded" in query
    assert "payment_intent_client_secret=" + (intent.client_secret or "x") in query
    assert message.inner_text().endswith(f"{intent.id} is succeeded")


def test_the_payment_element_shows_an_immediate_error_without_leaving(shop, page):
    sb, url = shop
    page.goto(f"{url}/payment-element")
    fill_card(page, DECLINED)
    page.locator("#submit").click()
    page.locator("#error-message", has_text="Your card was declined.").wait_for()
    assert page.url == f"{url}/payment-element"
    assert only_intent(sb).status == "requires_payment_method"


def test_a_page_written_as_the_docs_write_it_works_with_only_its_script_url_changed(
        shop, page):
    sb, url = shop
    html = DOCS_PAGE.read_text().replace("https://js.stripe.com/v3/", f"{url}/v3/")
    page.route(f"{url}/docs-page", lambda route: route.fulfill(
        status=200, content_type="text/html", body=html))
    page.goto(f"{url}/docs-page")
    fill_card(page, SUCCEEDS)
    page.locator("#submit").click()
    page.locator("#outcome", has_text="succeeded").wait_for()
    page.screenshot(path=str(SHOTS / "docs-page.png"))
    assert only_intent(sb).status == "succeeded"


def test_setup_intents_confirm_with_3d_secure_from_the_card_element(shop, page):
    sb, url = shop
    setup = sb.setup_intents.create(customer=sb.customers.create().id)
    page.goto(f"{url}/spa")
    page.evaluate("""(secret) => {
        const stripe = Stripe('pk_test_paykit');
        const card = stripe.elements().create('card');
        card.mount(document.body);
        const inputs = document.querySelectorAll('.paykit-element');
        const mine = inputs[inputs.length - 1];
        mine.querySelector('[name=cardnumber]').value = '4000 0027 6000 3184';
        mine.querySelector('[name=exp-date]').value = '12 / 34';
        mine.querySelector('[name=cvc]').value = '123';
        // kept, not returned: evaluate would wait for it, and it waits for the click
        window.pending = stripe.confirmCardSetup(secret, {payment_method: {card}});
    }""", setup.client_secret)
    page.locator("#test-source-authorize-3ds").click()
    result = page.evaluate("() => window.pending.then((r) => r.setupIntent.status)")
    assert result == "succeeded"
    assert sb.setup_intents.retrieve(setup.id).status == "succeeded"


def test_handle_card_action_completes_a_manual_confirmation(shop, page):
    sb, url = shop
    intent = sb.payment_intents.create(amount=1099, currency="usd",
                                       confirmation_method="manual",
                                       payment_method="pm_card_authenticationRequired",
                                       confirm=True)
    assert intent.status == "requires_action"
    page.goto(f"{url}/spa")
    page.evaluate("(secret) => { window.pending = "
                  "Stripe('pk_test_paykit').handleCardAction(secret); }", intent.client_secret)
    page.locator("#test-source-authorize-3ds").click()
    status = page.evaluate("() => window.pending.then((r) => r.paymentIntent.status)")
    assert status == "requires_confirmation"  # the server confirms again (manual)
    assert sb.payment_intents.retrieve(intent.id).status == "requires_confirmation"


def test_retrieve_and_create_payment_method_answer_as_stripe_js_documents(shop, page):
    sb, url = shop
    intent = sb.payment_intents.create(amount=1099, currency="usd", metadata={"k": "v"})
    page.goto(f"{url}/spa")
    fill_card(page, SUCCEEDS)
    seen = page.evaluate("""async (secret) => {
        const stripe = Stripe('pk_test_paykit');
        const {paymentIntent} = await stripe.retrievePaymentIntent(secret);
        const card = stripe.elements().create('card');
        const made = await stripe.createPaymentMethod({type: 'card', card,
                                                       billing_details: {name: 'J'}});
        const early = made.error;  // not mounted yet
        card.mount(document.body);
        const boxes = document.querySelectorAll('.paykit-element');
        const mine = boxes[boxes.length - 1];
        mine.querySelector('[name=cardnumber]').value = '4242 4242 4242 4242';
        mine.querySelector('[name=exp-date]').value = '12 / 34';
        mine.querySelector('[name=cvc]').value = '123';
        const {paymentMethod} = await stripe.createPaymentMethod({type: 'card', card});
        const bad = await stripe.retrievePaymentIntent(secret.replace(/.$/, 'x'));
        return {status: paymentIntent.status, metadata: 'metadata' in paymentIntent,
                early: early.code, last4: paymentMethod.card.last4, bad: bad.error.param};
    }""", intent.client_secret)
    assert seen == {"status": "requires_payment_method", "metadata": False,
                    "early": "element_not_mounted", "last4": "4242", "bad": "client_secret"}


@pytest.mark.parametrize("call, name", [
    ("Stripe('pk_test_x').confirmAlipayPayment('pi_1_secret_2')", "confirmAlipayPayment"),
    ("Stripe('pk_test_x').createToken()", "createToken"),
    ("Stripe('pk_test_x').elements().create('iban')", "create('iban')"),
    ("Stripe('pk_test_x').elements().fetchUpdates()", "fetchUpdates"),
    ("Stripe('sk_test_x')", "secret key"),
    ("Stripe('pk_test_x').confirmCardPayment('not a secret')", "clientSecret"),
    ("Stripe('pk_test_x').elements({paymentMethodTypes: ['card']})", "paymentMethodTypes"),
])
def test_an_unknown_or_wrong_call_throws_an_error_naming_it(shop, page, call, name):
    _, url = shop
    page.goto(f"{url}/spa")
    message = page.evaluate(f"() => {{ try {{ {call}; return null; }} "
                            f"catch (e) {{ return e.name + ': ' + e.message; }} }}")
    assert message is not None and name in message
    assert message.startswith("IntegrationError")


def test_the_notebooks_customer_sends_what_the_page_sends(shop, page):
    """``paykit.checkout.customer`` (notebook 04) and the stand-in: the same requests."""
    from paykit.checkout.customer import Customer

    sb, url = shop
    page.goto(f"{url}/spa")
    fill_card(page, THREE_D_SECURE)
    page.locator("#submit").click()
    page.locator("#test-source-authorize-3ds").click()
    page.locator("#result[data-outcome=succeeded]").wait_for()
    browser_sent = page.evaluate("""() => Stripe.paykit.log.map((entry) => [
        entry.method, entry.path.replace(/pi_[A-Za-z0-9]+/, 'pi'),
        ['key', ...Object.keys(entry.sent)].sort()])""")
    customer = Customer(url)
    customer.pay(THREE_D_SECURE)
    python_sent = [[step.method, re.sub(r"pi_[A-Za-z0-9]+", "pi", step.path),
                    sorted(step.sent)]
                   for step in customer.steps[1:]]  # [0] is fetch('secret'), the page's own
    assert browser_sent == python_sent
    assert [i.status for i in sb.payment_intents.list(limit=None).data] == ["succeeded"] * 2


def test_confirm_setup_with_the_payment_element_and_redirect_if_required(shop, page):
    sb, url = shop
    setup = sb.setup_intents.create(customer=sb.customers.create().id)
    page.goto(f"{url}/spa")
    page.evaluate("""(secret) => {
        const stripe = Stripe('pk_test_paykit');
        const elements = stripe.elements({clientSecret: secret});
        const holder = document.createElement('div');
        holder.id = 'setup-element';
        document.body.appendChild(holder);
        elements.create('payment').mount('#setup-element');
        holder.querySelector('[name=cardnumber]').value = '4242 4242 4242 4242';
        holder.querySelector('[name=exp-date]').value = '12 / 34';
        holder.querySelector('[name=cvc]').value = '123';
        window.pending = stripe.confirmSetup({elements, redirect: 'if_required'});
    }""", setup.client_secret)
    status = page.evaluate("() => window.pending.then((r) => r.setupIntent.status)")
    assert status == "succeeded"
    assert sb.setup_intents.retrieve(setup.id).status == "succeeded"


def test_an_element_fires_ready_on_mount_and_change_with_its_state(shop, page):
    _, url = shop
    page.goto(f"{url}/spa")
    page.evaluate("""() => {
        window.seen = [];
        const card = Stripe('pk_test_paykit').elements().create('card');
        card.on('ready', (e) => window.seen.push(['ready', e.elementType]));
        card.on('change', (e) => window.seen.push(
            ['change', e.empty, e.complete, e.brand, e.error ? e.error.code : null]));
        const holder = document.createElement('div');
        holder.id = 'second';
        document.body.appendChild(holder);
        card.mount('#second');
    }""")
    page.locator("#second input[name=cardnumber]").fill("378282246310005")
    page.locator("#second input[name=exp-date]").fill("12 / 34")
    page.locator("#second input[name=cvc]").fill("123")
    seen = page.evaluate("() => window.seen")
    assert seen[0] == ["ready", "card"]
    assert seen[1] == ["change", False, False, "amex", None]
    assert seen[-1] == ["change", False, False, "amex", None]  # 3 of amex's 4 CVC digits
    page.locator("#second input[name=cvc]").fill("1234")
    assert page.evaluate("() => window.seen.at(-1)") == ["change", False, True, "amex", None]
