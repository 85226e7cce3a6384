"""Products and prices on connected accounts (A5), through the official SDK."""

import pytest
import stripe

from test_payments import oauth_connected, on


def test_products_and_prices(junction):
    app, client, account = oauth_connected(junction)
    product = client.products.create({"name": "Coffee beans", "metadata": {"sku": "cb-1"}}, options=on(account))
    assert product.id.startswith("prod_") and product.active is True and product.name == "Coffee beans"
    one_time = client.prices.create({"currency": "usd", "unit_amount": 1500, "product": product.id}, options=on(account))
    assert one_time.type == "one_time" and one_time.recurring is None and str(one_time.unit_amount_decimal) == "1500"
    monthly = client.prices.create({"currency": "usd", "unit_amount": 900, "recurring": {"interval": "month"},
                                    "product_data": {"name": "Coffee club"}}, options=on(account))
    assert monthly.type == "recurring" and monthly.recurring.interval == "month" and monthly.recurring.interval_count == 1
    assert client.products.retrieve(monthly.product, options=on(account)).name == "Coffee club"
    assert [p.id for p in client.prices.list({"product": product.id}, options=on(account)).data] == [one_time.id]
    client.prices.update(one_time.id, {"active": False}, options=on(account))
    assert [p.id for p in client.prices.list({"active": True}, options=on(account)).data] == [monthly.id]
    updated = client.products.update(product.id, {"default_price": one_time.id, "description": "Whole beans"}, options=on(account))
    assert updated.default_price == one_time.id and updated.description == "Whole beans"
    with pytest.raises(stripe.InvalidRequestError):
        client.products.delete(product.id, options=on(account))
    lonely = client.products.create({"name": "Lonely"}, options=on(account))
    assert client.products.delete(lonely.id, options=on(account)).deleted is True
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.prices.retrieve(one_time.id)
    assert raised.value.http_status == 404  # A6: not on the platform's own account
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.prices.create({"currency": "usd", "unit_amount": 100}, options=on(account))
    assert raised.value.param == "product"
