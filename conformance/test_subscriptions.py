"""Subscriptions on connected accounts: the first invoice is paid at once, with the application
fee percent going to the platform (A5, F2), through the official SDK."""

import time

import pytest
import stripe

from test_payments import balance, fee, oauth_connected, on


def monthly_price(client, account, amount=2000):
    return client.prices.create({"currency": "usd", "unit_amount": amount, "recurring": {"interval": "month"},
                                 "product_data": {"name": "Membership"}}, options=on(account))


def test_subscription_first_invoice_paid_with_application_fee(junction):
    app, client, account = oauth_connected(junction)
    price = monthly_price(client, account)
    customer = client.customers.create({"email": "sub@example.com"}, options=on(account))
    platform_before = balance(client).get("usd", (0, 0))
    sub = client.subscriptions.create(
        {"customer": customer.id, "items": [{"price": price.id, "quantity": 2}], "default_payment_method": "pm_card_visa",
         "application_fee_percent": 10, "expand": ["latest_invoice"]}, options=on(account))
    assert sub.status == "active" and sub.customer == customer.id and sub.application == app["id"]
    assert sub.items.data[0].quantity == 2 and sub.items.data[0].price.id == price.id
    assert sub.items.data[0].current_period_end > sub.items.data[0].current_period_start
    invoice = sub.latest_invoice
    assert invoice.object == "invoice" and invoice.status == "paid" and invoice.amount_paid == 4000
    assert invoice.billing_reason == "subscription_create" and invoice.parent.subscription_details.subscription == sub.id
    # The payment: 4000 on the account, 10 % application fee to the platform.
    charges = client.charges.list({"customer": customer.id}, options=on(account)).data
    assert [c.amount for c in charges] == [4000] and charges[0].application_fee_amount == 400
    assert balance(client, account)["usd"] == (0, 4000 - fee(4000) - 400)
    assert balance(client)["usd"][1] - platform_before[1] == 400
    assert [i.id for i in client.invoices.list({"subscription": sub.id}, options=on(account)).data] == [invoice.id]


def test_subscription_update_quantity_and_price_then_cancel(junction):
    app, client, account = oauth_connected(junction)
    price = monthly_price(client, account)
    bigger = monthly_price(client, account, amount=5000)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_mastercard"}, options=on(account))
    item = sub.items.data[0].id
    changed = client.subscriptions.update(sub.id, {"items": [{"id": item, "quantity": 3}]}, options=on(account))
    assert changed.items.data[0].quantity == 3
    switched = client.subscriptions.update(sub.id, {"items": [{"id": item, "price": bigger.id}], "metadata": {"plan": "pro"}},
                                           options=on(account))
    assert switched.items.data[0].price.id == bigger.id and switched.metadata["plan"] == "pro"
    later = client.subscriptions.update(sub.id, {"cancel_at_period_end": True}, options=on(account))
    assert later.cancel_at_period_end is True and later.cancel_at == later.items.data[0].current_period_end
    canceled = client.subscriptions.cancel(sub.id, options=on(account))
    assert canceled.status == "canceled" and canceled.canceled_at and canceled.ended_at
    assert client.subscriptions.retrieve(sub.id, options=on(account)).status == "canceled"
    assert sub.id not in [s.id for s in client.subscriptions.list({"customer": customer.id}, options=on(account)).data]
    assert [s.id for s in client.subscriptions.list({"customer": customer.id, "status": "canceled"}, options=on(account)).data] == [sub.id]
    with pytest.raises(stripe.InvalidRequestError):
        client.subscriptions.cancel(sub.id, options=on(account))


def test_declined_first_payment_leaves_the_subscription_incomplete(junction):
    app, client, account = oauth_connected(junction)
    price = monthly_price(client, account)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_chargeDeclined"}, options=on(account))
    assert sub.status == "incomplete"
    invoice = client.invoices.retrieve(sub.latest_invoice, options=on(account))
    assert invoice.status == "open" and invoice.attempted is True and invoice.amount_paid == 0
    with pytest.raises(stripe.CardError):
        client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                     "default_payment_method": "pm_card_chargeDeclined",
                                     "payment_behavior": "error_if_incomplete"}, options=on(account))


def test_trials_and_one_time_prices(junction):
    app, client, account = oauth_connected(junction)
    price = monthly_price(client, account)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}], "trial_period_days": 14},
                                      options=on(account))
    assert sub.status == "trialing" and sub.trial_end - sub.trial_start == 14 * 86400
    assert client.invoices.retrieve(sub.latest_invoice, options=on(account)).amount_due == 0
    one_time = client.prices.create({"currency": "usd", "unit_amount": 100, "product_data": {"name": "Once"}}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.subscriptions.create({"customer": customer.id, "items": [{"price": one_time.id}]}, options=on(account))
    assert raised.value.param == "items[0][price]"


def daily_price(client, account, amount=1500):
    return client.prices.create({"currency": "usd", "unit_amount": amount, "recurring": {"interval": "day"},
                                 "product_data": {"name": "Day pass"}}, options=on(account))


def pass_period_end(junction, subscription):
    """Moves Junction's clock just past the subscription's current period."""
    _, now = junction.control("POST", "/_junction/clock/advance", {"seconds": 0})
    end = subscription.items.data[0].current_period_end
    junction.control("POST", "/_junction/clock/advance", {"seconds": max(0, end - now["now"] + 1)})


def until(read, holds, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = read()
        if holds(value):
            return value
        time.sleep(0.05)
    raise AssertionError(f"never held: {value}")


def test_e1_f2_subscription_renews_with_a_paid_invoice_when_the_clock_passes_the_period_end(junction):
    app, client, account = oauth_connected(junction)
    price = daily_price(client, account)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa", "application_fee_percent": 10},
                                      options=on(account))
    first_end = sub.items.data[0].current_period_end
    assert first_end - sub.items.data[0].current_period_start == 86400
    pass_period_end(junction, sub)
    renewed = until(lambda: client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=on(account)),
                    lambda s: s.latest_invoice.id != sub.latest_invoice)
    assert renewed.status == "active"
    assert renewed.items.data[0].current_period_start == first_end
    assert renewed.items.data[0].current_period_end == first_end + 86400
    invoice = renewed.latest_invoice
    assert invoice.billing_reason == "subscription_cycle" and invoice.status == "paid" and invoice.amount_paid == 1500
    assert invoice.lines.data[0].period.start == first_end
    intent = client.payment_intents.retrieve(invoice.payments.data[0].payment.payment_intent, options=on(account))
    charge = client.charges.retrieve(intent.latest_charge, options=on(account))
    assert charge.amount == 1500 and charge.application_fee_amount == 150 and charge.paid
    assert len(client.invoices.list({"subscription": sub.id}, options=on(account)).data) == 2
    # Events of the renewal, on the connected account, from no API request.
    updated = [e for e in client.events.list({"type": "customer.subscription.updated"}, options=on(account)).data
               if e.data.object.id == sub.id][0]
    assert updated.account == account and updated.request.id is None
    assert updated.data.previous_attributes.latest_invoice == sub.latest_invoice
    paid = [e for e in client.events.list({"type": "invoice.paid"}, options=on(account)).data
            if e.data.object.id == invoice.id]
    assert len(paid) == 1


def test_e1_subscription_set_to_cancel_at_period_end_ends_there(junction):
    app, client, account = oauth_connected(junction)
    price = daily_price(client, account)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa", "cancel_at_period_end": True},
                                      options=on(account))
    pass_period_end(junction, sub)
    ended = until(lambda: client.subscriptions.retrieve(sub.id, options=on(account)), lambda s: s.status != "active")
    assert ended.status == "canceled" and ended.ended_at == sub.items.data[0].current_period_end
    assert len(client.invoices.list({"subscription": sub.id}, options=on(account)).data) == 1
    deleted = client.events.list({"type": "customer.subscription.deleted"}, options=on(account)).data
    assert [e.data.object.id for e in deleted] == [sub.id]


def past_due_subscription(junction, client, account):
    """A daily subscription paid by card, whose card then fails at the period's end."""
    price = daily_price(client, account)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa"}, options=on(account))
    failing = client.payment_methods.create(
        {"type": "card", "card": {"number": "4000000000000341", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
        options=on(account))
    client.payment_methods.attach(failing.id, {"customer": customer.id}, options=on(account))
    client.subscriptions.update(sub.id, {"default_payment_method": failing.id}, options=on(account))
    pass_period_end(junction, sub)
    return sub


def test_e1_subscription_renewal_declined_becomes_past_due(junction):
    app, client, account = oauth_connected(junction)
    sub = past_due_subscription(junction, client, account)
    overdue = until(lambda: client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=on(account)),
                    lambda s: s.status != "active")
    assert overdue.status == "past_due"
    assert overdue.latest_invoice.status == "open" and overdue.latest_invoice.attempted is True
    assert overdue.latest_invoice.amount_remaining == 1500
    failed = client.events.list({"type": "invoice.payment_failed"}, options=on(account)).data
    assert [e.data.object.id for e in failed] == [overdue.latest_invoice.id]


def test_subscription_left_incomplete_expires_after_23_hours(junction):
    app, client, account = oauth_connected(junction)
    price = daily_price(client, account)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "payment_behavior": "default_incomplete"}, options=on(account))
    assert sub.status == "incomplete"
    junction.control("POST", "/_junction/clock/advance", {"seconds": 23 * 3600 + 1})
    expired = until(lambda: client.subscriptions.retrieve(sub.id, options=on(account)),
                    lambda s: s.status != "incomplete")
    assert expired.status == "incomplete_expired" and expired.ended_at


def test_a_renewal_on_an_account_that_can_no_longer_charge_is_a_failed_attempt(junction, platform):
    """Issue 12, point 6: the renewal is not stuck retrying an error; as a decline, its invoice
    stays open and the subscription is past_due."""
    from test_payments import activate
    _, client = platform
    account = activate(client, client.accounts.create({"type": "custom", "country": "US", "capabilities": {
        "card_payments": {"requested": True}, "transfers": {"requested": True}}}).id)
    price = monthly_price(client, account)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa"}, options=on(account))
    assert sub.status == "active"
    client.accounts.reject(account, {"reason": "fraud"})
    pass_period_end(junction, sub)
    renewed = until(lambda: client.subscriptions.retrieve(sub.id, options=on(account)),
                    lambda s: s.latest_invoice != sub.latest_invoice)
    assert renewed.status == "past_due"
    invoice = client.invoices.retrieve(renewed.latest_invoice, options=on(account))
    assert invoice.status == "open" and invoice.attempted is True
