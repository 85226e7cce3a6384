"""What libraries that sync Stripe objects (dj-stripe among them) ask for: includable properties
through expand[], and the lists objects hold, with the official SDK's own services."""

import pytest
import stripe

from test_payments import oauth_connected, on
from test_subscriptions import monthly_price


def subscribed(client, account):
    price = monthly_price(client, account, amount=900)
    customer = client.customers.create({"email": "sync@example.com"}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id, "quantity": 2}],
                                       "default_payment_method": "pm_card_visa"}, options=on(account))
    return price, customer, sub


def test_includable_properties_are_added_when_expanded(junction):
    app, client, account = oauth_connected(junction)
    price, customer, sub = subscribed(client, account)
    plain = client.customers.retrieve(customer.id, options=on(account))
    assert "sources" not in plain and "subscriptions" not in plain
    full = client.customers.retrieve(customer.id, {"expand": ["sources", "subscriptions", "tax_ids", "tax"]},
                                     options=on(account))
    assert full.sources.data == [] and full.sources.url == f"/v1/customers/{customer.id}/sources"
    assert [s.id for s in full.subscriptions.data] == [sub.id]
    assert full.tax_ids.total_count == 0 and full.tax.automatic_tax == "unrecognized_location"
    listed = client.customers.list({"expand": ["data.sources"]}, options=on(account)).data
    assert listed[0].sources.object == "list"

    expanded = client.prices.retrieve(price.id, {"expand": ["currency_options", "tiers"]}, options=on(account))
    assert expanded.currency_options["usd"].unit_amount == 900 and expanded.tiers is None
    prices = client.prices.list({"expand": ["data.currency_options", "data.tiers"]}, options=on(account)).data
    assert prices[0].currency_options["usd"].unit_amount_decimal == "900"

    invoice = client.invoices.retrieve(sub.latest_invoice, {"expand": ["discounts", "lines.data.discounts"]},
                                       options=on(account))
    assert invoice.discounts == [] and invoice.lines.data[0].discounts == []
    assert invoice.lines.data[0].discountable is True

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.customers.retrieve(customer.id, {"expand": ["teleporter"]}, options=on(account))
    assert raised.value.param == "expand" and "cannot be expanded" in raised.value.user_message


def test_lists_objects_hold(junction):
    app, client, account = oauth_connected(junction)
    price, customer, sub = subscribed(client, account)
    assert client.customers.payment_sources.list(customer.id, options=on(account)).data == []
    assert client.customers.tax_ids.list(customer.id, options=on(account)).data == []
    lines = client.invoices.line_items.list(sub.latest_invoice, options=on(account))
    assert [line.quantity for line in lines.data] == [2] and lines.url == f"/v1/invoices/{sub.latest_invoice}/lines"
    items = client.subscription_items.list({"subscription": sub.id}, options=on(account))
    assert [i.id for i in items.data] == [sub["items"].data[0].id] and items.data[0].price.id == price.id
    assert client.accounts.external_accounts.list(account, options=on(account)).data == []
    product = client.products.create({"name": "Featureless"}, options=on(account))
    assert client.products.features.list(product.id, options=on(account)).data == []

    # Objects that are not there are 404s, as everywhere (A6: not another account's either).
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.customers.payment_sources.list("cus_missing", options=on(account))
    assert raised.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.invoices.line_items.list(sub.latest_invoice)  # the platform's own account
    assert raised.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.subscription_items.list({}, options=on(account))
    assert raised.value.param == "subscription"


def test_embedded_lists_page_by_id(junction):
    app, client, account = oauth_connected(junction)
    prices = [monthly_price(client, account, amount=100 * (n + 1)) for n in range(3)]
    customer = client.customers.create({"email": "pages@example.com"}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": p.id} for p in prices],
                                       "default_payment_method": "pm_card_visa"}, options=on(account))
    first = client.invoices.line_items.list(sub.latest_invoice, {"limit": 2}, options=on(account))
    assert len(first.data) == 2 and first.has_more is True
    rest = client.invoices.line_items.list(sub.latest_invoice, {"starting_after": first.data[-1].id},
                                           options=on(account))
    assert len(rest.data) == 1 and rest.has_more is False
    everything = [line.id for line in client.invoices.line_items.list(
        sub.latest_invoice, {"limit": 1}, options=on(account)).auto_paging_iter()]
    assert everything == [line.id for line in first.data + rest.data]


def test_subscription_items_one_at_a_time(junction):
    app, client, account = oauth_connected(junction)
    price, customer, sub = subscribed(client, account)
    other = monthly_price(client, account, amount=300)
    added = client.subscription_items.create({"subscription": sub.id, "price": other.id, "quantity": 3,
                                              "metadata": {"seat": "extra"}}, options=on(account))
    assert added.object == "subscription_item" and added.quantity == 3 and added.price.id == other.id
    assert added.plan.id == other.id and added.metadata["seat"] == "extra" and added.subscription == sub.id
    assert client.subscription_items.retrieve(added.id, options=on(account)).quantity == 3
    changed = client.subscription_items.update(added.id, {"quantity": 5}, options=on(account))
    assert changed.quantity == 5
    items = client.subscription_items.list({"subscription": sub.id}, options=on(account)).data
    assert [i.id for i in items] == [sub["items"].data[0].id, added.id]
    # E1: each change is a change of the subscription.
    updates = client.events.list({"type": "customer.subscription.updated"}, options=on(account)).data
    assert len(updates) == 2 and updates[0].data.object.id == sub.id
    deleted = client.subscription_items.delete(added.id, options=on(account))
    assert deleted.deleted is True and deleted.id == added.id
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.subscription_items.retrieve(added.id, options=on(account))
    assert raised.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError) as raised:  # the last item stays
        client.subscription_items.delete(sub["items"].data[0].id, options=on(account))
    assert raised.value.param == "items"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.subscription_items.create({"subscription": sub.id, "price": "price_missing"}, options=on(account))
    assert raised.value.param == "price" and raised.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError) as raised:  # A6: not the platform's own
        client.subscription_items.retrieve(sub["items"].data[0].id)
    assert raised.value.http_status == 404
