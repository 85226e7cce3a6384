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


def test_tiered_prices_bill_graduated_and_volume_tiers(junction):
    """billing_scheme=tiered: `tiers` (sent only when expanded, as Stripe does) price a
    subscription's quantity tier by tier (graduated) or all at the tier reached (volume)."""
    app, client, account = oauth_connected(junction)
    tiers = [{"up_to": 5, "unit_amount": 1000}, {"up_to": 10, "unit_amount": 800, "flat_amount": 500},
             {"up_to": "inf", "unit_amount_decimal": "600.5"}]
    graduated = client.prices.create({"currency": "usd", "billing_scheme": "tiered", "tiers_mode": "graduated",
                                      "tiers": tiers, "recurring": {"interval": "month"},
                                      "product_data": {"name": "Seats"}}, options=on(account))
    assert graduated.billing_scheme == "tiered" and graduated.tiers_mode == "graduated"
    assert graduated.unit_amount is None and "tiers" not in graduated
    expanded = client.prices.retrieve(graduated.id, {"expand": ["tiers"]}, options=on(account))
    assert [t.up_to for t in expanded.tiers] == [5, 10, None]
    assert expanded.tiers[1].flat_amount == 500 and expanded.tiers[0].flat_amount is None
    assert expanded.tiers[2].unit_amount is None and str(expanded.tiers[2].unit_amount_decimal) == "600.5"
    volume = client.prices.create({"currency": "usd", "billing_scheme": "tiered", "tiers_mode": "volume",
                                   "tiers": tiers, "recurring": {"interval": "month"},
                                   "product": graduated.product}, options=on(account))
    customer = client.customers.create({"email": "seats@example.com"}, options=on(account))

    def first_invoice(price, quantity):
        sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price, "quantity": quantity}],
                                           "default_payment_method": "pm_card_visa"}, options=on(account))
        return client.invoices.retrieve(sub.latest_invoice, options=on(account))

    # 12 seats, graduated: 5 × 1000 + (5 × 800 + 500) + 2 × 600.5 = 10,701.
    invoice = first_invoice(graduated.id, 12)
    assert invoice.amount_due == 10701 and invoice.lines.data[0].amount == 10701 and invoice.status == "paid"
    # 7 seats, volume: all at the second tier, 7 × 800 + 500 = 6,100.
    assert first_invoice(volume.id, 7).amount_due == 6100
    # 3 seats, volume: the first tier, 3 × 1000.
    assert first_invoice(volume.id, 3).amount_due == 3000

    def refused(params):
        with pytest.raises(stripe.InvalidRequestError) as raised:
            client.prices.create({"currency": "usd", "product": graduated.product, **params}, options=on(account))
        return raised.value.param

    assert refused({"billing_scheme": "tiered", "tiers": tiers}) == "tiers_mode"
    assert refused({"billing_scheme": "tiered", "tiers_mode": "volume"}) == "tiers"
    assert refused({"billing_scheme": "tiered", "tiers_mode": "volume", "tiers": tiers, "unit_amount": 5}) == "unit_amount"
    assert refused({"unit_amount": 5, "tiers": tiers}) == "tiers"
    assert refused({"billing_scheme": "tiered", "tiers_mode": "volume",
                    "tiers": [{"up_to": 5, "unit_amount": 1}, {"up_to": 9, "unit_amount": 1}]}) == "tiers[1][up_to]"
    assert refused({"billing_scheme": "tiered", "tiers_mode": "volume",
                    "tiers": [{"up_to": 5, "unit_amount": 1}, {"up_to": 3, "unit_amount": 1},
                              {"up_to": "inf", "unit_amount": 1}]}) == "tiers[1][up_to]"
    assert refused({"billing_scheme": "tiered", "tiers_mode": "volume",
                    "tiers": [{"up_to": "inf"}]}) == "tiers[0][unit_amount]"
    assert refused({"billing_scheme": "tiered", "tiers_mode": "volume",
                    "tiers": [{"up_to": "inf", "unit_amount": 1, "unit_amount_decimal": "1"}]}) == "tiers[0][unit_amount]"
