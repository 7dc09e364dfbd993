"""sb.customers: create, retrieve, update, delete, list, their events and their methods."""

from __future__ import annotations

import pytest

import paykit
from paykit.customer_lifecycle import CUSTOMER, CustomerAction, CustomerStatus


def test_create_shows_stripes_fields_and_emits_customer_created(sb):
    customer = sb.customers.create(email="jenny@example.com", name="Jenny Rosen",
                                   metadata={"user": 42}, address={"city": "Paris"})
    assert customer.id.startswith("cus_") and customer.object == "customer"
    assert (customer.email, customer.name, customer.metadata) == (
        "jenny@example.com", "Jenny Rosen", {"user": "42"})
    assert customer.address["city"] == "Paris"
    assert customer.invoice_settings["default_payment_method"] is None
    assert customer.balance == 0 and customer.livemode is False
    event = sb.events.list(limit=1).data[0]
    assert event.type == "customer.created" and event.data.object.id == customer.id


def test_update_changes_only_what_it_is_given_and_reports_the_old_values(sb):
    customer = sb.customers.create(email="a@example.com", name="A", phone="+33100000000")
    updated = sb.customers.update(customer.id, name="B", phone="", metadata={"k": "v"})
    assert (updated.email, updated.name, updated.phone) == ("a@example.com", "B", None)
    event = sb.events.list(limit=1).data[0]
    assert event.type == "customer.updated"
    assert event.data.previous_attributes == {"name": "A", "phone": "+33100000000",
                                              "metadata": {}}
    assert sb.customers.update(customer.id, name="B").name == "B"
    assert sb.events.list(limit=1).data[0].id == event.id  # nothing changed, no event


@pytest.mark.parametrize(("params", "param", "code"), [
    ({"email": "not-an-email"}, "email", "email_invalid"),
    ({"name": "x" * 257}, "name", None),
    ({"phone": "1" * 21}, "phone", None),
    ({"tax_exempt": "sometimes"}, "tax_exempt", None),
    ({"coupon": "SPRING"}, "coupon", "parameter_unknown"),
])
def test_bad_parameters_are_refused_by_name(sb, params, param, code):
    with pytest.raises(paykit.InvalidRequestError) as error:
        sb.customers.create(**params)
    assert error.value.param == param
    if code:
        assert error.value.code == code
    assert sb.customers.list().data == []


def test_delete_is_final(sb):
    customer = sb.customers.create(email="gone@example.com")
    deleted = sb.customers.delete(customer.id)
    assert deleted.to_dict() == {"id": customer.id, "object": "customer", "deleted": True}
    assert sb.customers.retrieve(customer.id).deleted is True
    assert sb.events.list(limit=1).data[0].type == "customer.deleted"
    for call in (lambda: sb.customers.update(customer.id, name="x"),
                 lambda: sb.customers.delete(customer.id)):
        with pytest.raises(paykit.InvalidRequestError) as error:
            call()
        assert error.value.code == "resource_missing"
    assert sb.customers.list().data == []
    with pytest.raises(paykit.InvalidRequestError, match="No such customer"):
        sb.payment_intents.create(amount=1000, currency="usd", customer=customer.id)


@pytest.mark.parametrize("call", ["attach", "list_methods", "payment_intent",
                                  "setup_intent"])
def test_no_request_may_name_a_deleted_customer(sb, call):
    customer = sb.customers.create()
    sb.customers.delete(customer.id)
    events = [event.id for event in sb.events.list(limit=100).data]
    calls = {
        "attach": lambda: sb.payment_methods.attach("pm_card_visa", customer=customer.id),
        "list_methods": lambda: sb.payment_methods.list(customer=customer.id),
        "payment_intent": lambda: sb.payment_intents.create(amount=1000, currency="usd",
                                                            customer=customer.id),
        "setup_intent": lambda: sb.setup_intents.create(customer=customer.id),
    }
    with pytest.raises(paykit.InvalidRequestError) as error:
        calls[call]()
    assert (error.value.code, error.value.param) == ("resource_missing", "customer")
    assert error.value.message == f"No such customer: '{customer.id}'"
    assert [event.id for event in sb.events.list(limit=100).data] == events
    assert sb.payment_methods.list().data == []


def test_deleting_a_customer_detaches_its_methods(sb):
    customer = sb.customers.create()
    pm = sb.payment_methods.attach("pm_card_visa", customer=customer.id)
    sb.customers.delete(customer.id)
    assert sb.payment_methods.retrieve(pm.id).customer is None
    with pytest.raises(paykit.InvalidRequestError, match="may not be used again"):
        sb.payment_intents.create(amount=1000, currency="usd", payment_method=pm.id,
                                  confirm=True)


def test_list_newest_first_filtered_by_email(sb):
    a = sb.customers.create(email="a@example.com")
    b = sb.customers.create(email="b@example.com")
    c = sb.customers.create(email="a@example.com")
    assert [x.id for x in sb.customers.list().data] == [c.id, b.id, a.id]
    assert [x.id for x in sb.customers.list(email="a@example.com").data] == [c.id, a.id]
    assert sb.customers.list(email="A@example.com").data == []  # case-sensitive
    assert [x.id for x in sb.customers.list(limit=1, starting_after=c.id).data] == [b.id]


def test_create_with_a_payment_method_attaches_it(sb):
    customer = sb.customers.create(payment_method="pm_card_mastercard")
    methods = sb.customers.list_payment_methods(customer.id).data
    assert len(methods) == 1 and methods[0].card.brand == "mastercard"
    assert [e.type for e in sb.events.list(limit=2)] == ["payment_method.attached",
                                                         "customer.created"]
    with pytest.raises(paykit.CardError):  # an issuer-decline card: no customer is made
        sb.customers.create(payment_method="pm_card_chargeDeclined")
    assert len(sb.customers.list().data) == 1


def test_default_payment_method_must_be_the_customers(sb):
    customer = sb.customers.create()
    pm = sb.payment_methods.attach("pm_card_visa", customer=customer.id)
    updated = sb.customers.update(customer.id,
                                  invoice_settings={"default_payment_method": pm.id})
    assert updated.invoice_settings["default_payment_method"] == pm.id
    other = sb.payment_methods.create(type="card", card={"number": "4242424242424242",
                                                         "exp_month": 1, "exp_year": 2031})
    with pytest.raises(paykit.InvalidRequestError) as error:
        sb.customers.update(customer.id, invoice_settings={"default_payment_method": other.id})
    assert error.value.param == "invoice_settings[default_payment_method]"


def test_the_customer_table_is_complete():
    assert CUSTOMER.check_decisions() == 5
    assert CUSTOMER.terminal == {CustomerStatus.DELETED}
    assert CUSTOMER.allowed_actions(CustomerStatus.ACTIVE) == (CustomerAction.UPDATE,
                                                                CustomerAction.DELETE)


def test_an_invoice_setting_set_to_empty_is_unset(sb):
    customer = sb.customers.create(invoice_settings={"footer": "Thanks"})
    customer = sb.customers.update(customer.id,
                                   invoice_settings={"rendering_options": "",
                                                     "custom_fields": ""})
    assert customer.invoice_settings.to_dict() == {
        "custom_fields": None, "default_payment_method": None, "footer": "Thanks",
        "rendering_options": None}


def test_a_new_customers_default_method_must_be_the_one_it_attaches(sb):
    before = len(sb.customers.list(limit=None))
    with pytest.raises(paykit.InvalidRequestError) as caught:
        sb.customers.create(invoice_settings={"default_payment_method": "pm_nothing"})
    assert caught.value.param == "invoice_settings[default_payment_method]"
    assert len(sb.customers.list(limit=None)) == before
    method = sb.payment_methods.create(type="card", card={"number": "4242424242424242",
                                                          "exp_month": 1, "exp_year": 2031})
    customer = sb.customers.create(payment_method=method.id,
                                   invoice_settings={"default_payment_method": method.id})
    assert customer.invoice_settings.default_payment_method == method.id


def test_business_and_individual_names_from_clover(sb):
    customer = sb.customers.create(business_name="Rosen Goods", individual_name="Jenny")
    assert (customer.business_name, customer.individual_name) == ("Rosen Goods", "Jenny")
    assert sb.customers.update(customer.id, business_name="").business_name is None
    with pytest.raises(paykit.InvalidRequestError) as caught:
        sb.customers.create(business_name="x" * 151)
    assert caught.value.param == "business_name"
