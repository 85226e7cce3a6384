"""Customers and payment methods on connected accounts (A5, A6, A4), through the official SDK."""

import json

import pytest
import stripe


@pytest.fixture
def connected(junction, platform):
    """A platform, its client, and an account it controls (acting through Stripe-Account)."""
    app, client = platform
    account = client.accounts.create({"type": "custom", "country": "US",
                                      "capabilities": {"card_payments": {"requested": True},
                                                       "transfers": {"requested": True}}})
    return app, client, account.id


def on(account):
    return {"stripe_account": account}


def test_a5_customers_crud_on_a_connected_account(connected):
    _, client, account = connected
    customer = client.customers.create({"email": "ada@example.com", "name": "Ada", "metadata": {"tier": "gold"}},
                                       options=on(account))
    assert customer.id.startswith("cus_") and customer.object == "customer" and customer.livemode is False
    assert client.customers.retrieve(customer.id, options=on(account)).email == "ada@example.com"
    updated = client.customers.update(customer.id, {"name": "Ada L.", "metadata": {"tier": ""}, "phone": "+15555550100"},
                                      options=on(account))
    assert updated.name == "Ada L." and updated.phone == "+15555550100" and updated.metadata.to_dict() == {}
    assert client.customers.update(customer.id, {"email": ""}, options=on(account)).email is None
    deleted = client.customers.delete(customer.id, options=on(account))
    assert deleted.deleted is True and deleted.id == customer.id
    assert client.customers.retrieve(customer.id, options=on(account)).deleted is True
    with pytest.raises(stripe.InvalidRequestError):
        client.customers.update(customer.id, {"name": "x"}, options=on(account))


def test_a6_objects_never_cross_accounts(junction, connected):
    app, client, account = connected
    customer = client.customers.create({"name": "Only here"}, options=on(account))
    other = client.accounts.create({"type": "express"})
    for options in ({}, on(other.id)):
        with pytest.raises(stripe.InvalidRequestError) as raised:
            client.customers.retrieve(customer.id, options=options)
        assert raised.value.http_status == 404 and raised.value.code == "resource_missing"
        assert raised.value.param == "id" and f"No such customer: '{customer.id}'" == raised.value.user_message
        assert customer.id not in [c.id for c in client.customers.list(options=options).auto_paging_iter()]
    stranger = junction.client(junction.application("platform")["secret_key"])
    with pytest.raises(stripe.PermissionError):
        stranger.customers.retrieve(customer.id, options=on(account))


def test_customer_list_pages_and_filters_by_email(connected):
    _, client, account = connected
    made = [client.customers.create({"email": f"c{i}@example.com"}, options=on(account)).id for i in range(5)]
    assert [c.id for c in client.customers.list({"limit": 2}, options=on(account)).auto_paging_iter()] == made[::-1]
    only = client.customers.list({"email": "c3@example.com"}, options=on(account))
    assert [c.id for c in only.data] == [made[3]] and only.has_more is False


def test_a5_card_numbers_are_never_stored_or_returned(junction, connected):
    app, client, account = connected
    method = client.payment_methods.create(
        {"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
         "billing_details": {"name": "Ada"}}, options=on(account))
    assert method.card.brand == "visa" and method.card.last4 == "4242" and method.card.exp_year == 2034
    assert method.card.fingerprint and method.card.checks.cvc_check == "pass"
    assert method.billing_details.name == "Ada"
    text = json.dumps(method.to_dict_recursive() if hasattr(method, "to_dict_recursive") else method.to_dict(), default=str)
    assert "4242424242424242" not in text and '"123"' not in text and "_decline" not in text
    again = client.payment_methods.create(
        {"type": "card", "card": {"number": "4242 4242 4242 4242", "exp_month": 1, "exp_year": 2035}}, options=on(account))
    assert again.card.fingerprint == method.card.fingerprint
    status, _, raw = junction.raw("GET", f"/v1/payment_methods/{method.id}",
                                  headers={"Authorization": f"Bearer {app['secret_key']}", "Stripe-Account": account})
    assert status == 200 and "4242424242424242" not in json.dumps(raw)


@pytest.mark.parametrize("card,code,param", [
    ({"number": "4242424242424241", "exp_month": 12, "exp_year": 2034}, "incorrect_number", "card[number]"),
    ({"number": "4242424242424242", "exp_month": 13, "exp_year": 2034}, "invalid_expiry_month", "card[exp_month]"),
    ({"number": "4242424242424242", "exp_month": 1, "exp_year": 2001}, "invalid_expiry_year", "card[exp_year]"),
    ({"number": "4242424242424242", "exp_month": 1, "exp_year": 2034, "cvc": "12"}, "invalid_cvc", "card[cvc]"),
])
def test_invalid_cards_are_402_card_errors(connected, card, code, param):
    _, client, account = connected
    with pytest.raises(stripe.CardError) as raised:
        client.payment_methods.create({"type": "card", "card": card}, options=on(account))
    assert raised.value.http_status == 402 and raised.value.code == code and raised.value.param == param


def test_test_aliases_attach_and_detach(connected):
    _, client, account = connected
    customer = client.customers.create({"payment_method": "pm_card_visa"}, options=on(account))
    methods = client.customers.payment_methods.list(customer.id, options=on(account)).data \
        if hasattr(client.customers, "payment_methods") else client.payment_methods.list({"customer": customer.id}, options=on(account)).data
    assert len(methods) == 1 and methods[0].card.last4 == "4242" and methods[0].customer == customer.id
    amex = client.payment_methods.create({"type": "card", "card": {"token": "tok_amex"}}, options=on(account))
    assert amex.card.brand == "amex" and amex.customer is None
    attached = client.payment_methods.attach(amex.id, {"customer": customer.id}, options=on(account))
    assert attached.customer == customer.id
    listed = client.payment_methods.list({"customer": customer.id, "type": "card"}, options=on(account))
    assert {m.card.brand for m in listed.data} == {"visa", "amex"}
    assert client.payment_methods.detach(amex.id, options=on(account)).customer is None
    with pytest.raises(stripe.InvalidRequestError):
        client.payment_methods.detach(amex.id, options=on(account))


def test_a4_read_only_connections_list_customers_but_cannot_create(junction):
    user = junction.user()
    account, account_key = junction.user_account(user)
    junction.client(account_key).customers.create({"name": "Visible"})
    ext = junction.application("extension")
    token = junction.connect(ext, user, account["id"])
    reader = junction.client(token.access_token)
    assert [c.name for c in reader.customers.list().data] == ["Visible"]
    with pytest.raises(stripe.PermissionError) as raised:
        reader.customers.create({"name": "Nope"})
    assert raised.value.error.code == "more_permissions_required_for_application"
    with pytest.raises(stripe.PermissionError):
        junction.client(ext["secret_key"]).customers.create({"name": "Nope"}, options=on(account["id"]))


def test_e1_customer_events_carry_the_connected_account(connected):
    _, client, account = connected
    customer = client.customers.create({"name": "Evented"}, options=on(account))
    client.customers.update(customer.id, {"name": "Renamed"}, options=on(account))
    events = client.events.list({"types": ["customer.created", "customer.updated"]}, options=on(account)).data
    assert [e.type for e in events] == ["customer.updated", "customer.created"]
    assert events[0].data.previous_attributes.name == "Evented" and events[0].data.object.name == "Renamed"
    assert {e.account for e in events} == {account}  # E1: events on a connected account carry it


def test_a6_a_route_only_touches_objects_of_its_own_type(connected):
    _, client, account = connected
    intent = client.payment_intents.create({"amount": 1000, "currency": "usd"}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.customers.delete(intent.id, options=on(account))
    assert raised.value.http_status == 404 and raised.value.user_message == f"No such customer: '{intent.id}'"
    assert client.payment_intents.retrieve(intent.id, options=on(account)).status == "requires_payment_method"
