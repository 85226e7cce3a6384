"""Paying open invoices as Stripe integrations do: confirming the invoice's payment intent after
`payment_behavior=default_incomplete`, `POST /v1/invoices/{id}/pay` (with a payment method or out
of band), and `collection_method=send_invoice` subscriptions that go `past_due` at the due date."""

import pytest
import stripe

from test_payments import oauth_connected, on
from test_subscriptions import daily_price, pass_period_end, past_due_subscription, until
from test_versions import at


def test_default_incomplete_then_the_customer_confirms_the_invoice_payment_intent(junction):
    app, client, account = oauth_connected(junction)
    price = daily_price(client, account, amount=2500)
    customer = client.customers.create({"email": "di@example.com"}, options=on(account))
    sub = client.subscriptions.create(
        {"customer": customer.id, "items": [{"price": price.id}], "payment_behavior": "default_incomplete",
         "payment_settings": {"save_default_payment_method": "on_subscription"},
         "expand": ["latest_invoice.confirmation_secret"]}, options=on(account))
    assert sub.payment_settings.save_default_payment_method == "on_subscription"
    assert sub.status == "incomplete" and sub.latest_invoice.status == "open"
    secret = sub.latest_invoice.confirmation_secret
    assert secret.type == "payment_intent" and "_secret_" in secret.client_secret
    # Before basil the same flow reads `latest_invoice.payment_intent`, expanded.
    old = client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice.payment_intent"]},
                                        options=at("2024-06-20", account))
    intent = old.latest_invoice.payment_intent
    assert intent.client_secret == secret.client_secret and intent.invoice == sub.latest_invoice.id
    # What Stripe.js does with the client secret, done from the server.
    paid = client.payment_intents.confirm(intent.id, {"payment_method": "pm_card_visa"}, options=on(account))
    assert paid.status == "succeeded"
    now = client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=on(account))
    assert now.status == "active" and now.latest_invoice.status == "paid"
    assert now.latest_invoice.amount_paid == 2500 and now.latest_invoice.status_transitions.paid_at
    assert now.default_payment_method == paid.payment_method  # save_default_payment_method=on_subscription
    types = [e.type for e in client.events.list({"limit": 10}, options=on(account)).data]
    assert types[:3] == ["customer.subscription.updated", "invoice.payment_succeeded", "invoice.paid"]
    updated = client.events.list({"type": "customer.subscription.updated"}, options=on(account)).data[0]
    assert updated.data.previous_attributes.status == "incomplete"
    # Active now, it is renewed at the period's end instead of expiring, charged to the saved card.
    pass_period_end(junction, now)
    renewed = until(lambda: client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=on(account)),
                    lambda s: s.latest_invoice.id != now.latest_invoice.id)
    assert renewed.status == "active" and renewed.latest_invoice.status == "paid"
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.subscriptions.update(sub.id, {"payment_settings": {"payment_method_types": ["card", "nope"]}},
                                    options=on(account))
    assert unknown.value.param == "payment_method_types"


def test_pay_an_open_invoice_with_a_card_declined_then_good_and_already_paid(junction):
    app, client, account = oauth_connected(junction)
    price = daily_price(client, account, amount=1800)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "payment_behavior": "default_incomplete"}, options=on(account))
    invoice = sub.latest_invoice
    with pytest.raises(stripe.InvalidRequestError) as nothing:
        client.invoices.pay(invoice, options=on(account))
    assert nothing.value.param == "payment_method"
    with pytest.raises(stripe.CardError) as declined:
        client.invoices.pay(invoice, {"payment_method": "pm_card_chargeDeclined"}, options=on(account))
    assert declined.value.code == "card_declined"
    still = client.invoices.retrieve(invoice, options=on(account))
    assert still.status == "open" and still.attempt_count == 1 and still.attempted is True
    assert client.subscriptions.retrieve(sub.id, options=on(account)).status == "incomplete"
    paid = client.invoices.pay(invoice, {"payment_method": "pm_card_visa"}, options=on(account))
    assert paid.status == "paid" and paid.amount_paid == 1800 and paid.amount_remaining == 0
    assert paid.attempt_count == 2
    assert client.subscriptions.retrieve(sub.id, options=on(account)).status == "active"
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.invoices.pay(invoice, {"payment_method": "pm_card_visa"}, options=on(account))
    assert "already paid" in again.value.user_message
    failed = [e.data.object.id for e in client.events.list({"type": "invoice.payment_failed"}, options=on(account))]
    assert failed == [invoice]


def test_send_invoice_subscription_is_active_open_until_due_then_past_due_and_paid(junction):
    app, client, account = oauth_connected(junction)
    price = daily_price(client, account, amount=4000)
    customer = client.customers.create({"email": "ap@example.com"}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                     "collection_method": "send_invoice"}, options=on(account))
    assert missing.value.param == "days_until_due"
    with pytest.raises(stripe.InvalidRequestError) as misplaced:
        client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                     "days_until_due": 3}, options=on(account))
    assert misplaced.value.param == "days_until_due"
    # A yearly price: the due date (a day) comes well before the period's end.
    yearly = client.prices.create({"currency": "usd", "unit_amount": 4000, "recurring": {"interval": "year"},
                                   "product": price.product}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": yearly.id}],
                                       "collection_method": "send_invoice", "days_until_due": 1,
                                       "expand": ["latest_invoice"]}, options=on(account))
    invoice = sub.latest_invoice
    assert sub.status == "active" and sub.collection_method == "send_invoice" and sub.days_until_due == 1
    assert invoice.status == "open" and invoice.collection_method == "send_invoice" and invoice.attempted is False
    assert invoice.due_date == invoice.created + 86400 and invoice.amount_due == 4000
    assert client.charges.list({"customer": customer.id}, options=on(account)).data == []
    junction.control("POST", "/_junction/clock/advance", {"seconds": 86400 + 1})
    overdue = until(lambda: client.subscriptions.retrieve(sub.id, options=on(account)),
                    lambda s: s.status != "active")
    assert overdue.status == "past_due" and overdue.latest_invoice == invoice.id
    paid = client.invoices.pay(invoice.id, {"paid_out_of_band": True}, options=on(account))
    assert paid.status == "paid" and paid.amount_paid_off_stripe == 4000
    assert client.subscriptions.retrieve(sub.id, options=on(account)).status == "active"
    old = client.invoices.retrieve(invoice.id, options=at("2024-06-20", account))
    assert old.paid is True and old.paid_out_of_band is True


def test_a_past_due_subscription_is_active_again_when_its_invoice_is_paid(junction):
    app, client, account = oauth_connected(junction)
    sub = past_due_subscription(junction, client, account)
    overdue = until(lambda: client.subscriptions.retrieve(sub.id, options=on(account)),
                    lambda s: s.status != "active")
    assert overdue.status == "past_due"
    paid = client.invoices.pay(overdue.latest_invoice, {"payment_method": "pm_card_visa"}, options=on(account))
    assert paid.status == "paid"
    assert client.subscriptions.retrieve(sub.id, options=on(account)).status == "active"
