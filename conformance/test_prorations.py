"""Changing a subscription's items in the middle of a period, as Stripe prorates it
(`proration_behavior`): a credit for the unused time of what was, a charge for the rest of the
period of what is, to the second; kept for the next invoice (`create_prorations`, the default),
invoiced and charged at once (`always_invoice`), or nothing (`none`). A negative invoice leaves a
credit on the customer's balance, which the next invoice uses."""

from decimal import ROUND_HALF_UP, Decimal

from test_payments import oauth_connected, on
from test_subscriptions import monthly_price, pass_period_end, until


def share(amount, start, end, now):
    return int((Decimal(amount) * Decimal(end - now) / Decimal(end - start)).quantize(Decimal(1), ROUND_HALF_UP))


def advance(junction, seconds):
    _, now = junction.control("POST", "/_junction/clock/advance", {"seconds": seconds})
    return now["now"]


def test_always_invoice_charges_the_prorated_difference_at_once(junction):
    app, client, account = oauth_connected(junction)
    price = monthly_price(client, account, amount=3000)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa"}, options=on(account))
    item = sub["items"].data[0]
    start, end = item.current_period_start, item.current_period_end
    now = advance(junction, 10 * 86400)
    up = client.subscriptions.update(sub.id, {"items": [{"id": item.id, "quantity": 2}],
                                              "proration_behavior": "always_invoice", "expand": ["latest_invoice"]},
                                     options=on(account))
    invoice = up.latest_invoice
    assert invoice.id != sub.latest_invoice and invoice.billing_reason == "subscription_update"
    credit, charge = -share(3000, start, end, now), share(6000, start, end, now)
    assert [line.amount for line in invoice.lines.data] == [credit, charge]
    assert all(line.parent.subscription_item_details.proration for line in invoice.lines.data)
    assert invoice.lines.data[0].description.startswith("Unused time on 1 ×")
    assert invoice.lines.data[1].description.startswith("Remaining time on 2 ×")
    assert (invoice.lines.data[0].period.start, invoice.lines.data[0].period.end) == (now, end)
    assert invoice.total == credit + charge and invoice.status == "paid" and invoice.amount_paid == credit + charge
    assert up.status == "active"

    # Down again, at once: the invoice is negative, so nothing is charged and the customer has a credit.
    now = advance(junction, 86400)
    down = client.subscriptions.update(sub.id, {"items": [{"id": item.id, "quantity": 1}],
                                                "proration_behavior": "always_invoice", "expand": ["latest_invoice"]},
                                       options=on(account))
    refund = -share(6000, start, end, now) + share(3000, start, end, now)
    assert down.latest_invoice.total == refund < 0 and down.latest_invoice.amount_due == 0
    assert down.latest_invoice.status == "paid" and down.latest_invoice.ending_balance == refund
    assert client.customers.retrieve(customer.id, options=on(account)).balance == refund
    # The renewal uses the credit.
    pass_period_end(junction, down)
    renewed = until(lambda: client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=on(account)),
                    lambda s: s.latest_invoice.id != down.latest_invoice.id)
    assert renewed.latest_invoice.starting_balance == refund
    assert renewed.latest_invoice.amount_due == 3000 + refund and renewed.latest_invoice.status == "paid"
    assert client.customers.retrieve(customer.id, options=on(account)).balance == 0


def test_create_prorations_waits_for_the_next_invoice_and_none_bills_nothing(junction):
    app, client, account = oauth_connected(junction)
    basic = monthly_price(client, account, amount=1000)
    pro = monthly_price(client, account, amount=4000)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": basic.id}],
                                       "default_payment_method": "pm_card_visa"}, options=on(account))
    item = sub["items"].data[0]
    start, end = item.current_period_start, item.current_period_end
    now = advance(junction, 5 * 86400)
    upgraded = client.subscriptions.update(sub.id, {"items": [{"id": item.id, "price": pro.id}]}, options=on(account))
    assert upgraded.latest_invoice == sub.latest_invoice  # nothing invoiced yet
    quiet = client.subscriptions.update(sub.id, {"items": [{"id": item.id, "quantity": 3}],
                                                 "proration_behavior": "none"}, options=on(account))
    assert quiet.latest_invoice == sub.latest_invoice
    pass_period_end(junction, quiet)
    renewed = until(lambda: client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=on(account)),
                    lambda s: s.latest_invoice.id != sub.latest_invoice)
    lines = renewed.latest_invoice.lines.data
    assert [line.amount for line in lines] == [12000, -share(1000, start, end, now), share(4000, start, end, now)]
    assert [line.parent.subscription_item_details.proration for line in lines] == [False, True, True]
    assert renewed.latest_invoice.amount_paid == sum(line.amount for line in lines)


def test_pending_if_incomplete_keeps_the_items_until_the_invoice_is_paid_or_23_hours_pass(junction):
    app, client, account = oauth_connected(junction)
    price = monthly_price(client, account, amount=2000)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa"}, options=on(account))
    item = sub["items"].data[0].id
    failing = client.payment_methods.create(
        {"type": "card", "card": {"number": "4000000000000341", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
        options=on(account))
    client.payment_methods.attach(failing.id, {"customer": customer.id}, options=on(account))
    client.subscriptions.update(sub.id, {"default_payment_method": failing.id}, options=on(account))
    now = advance(junction, 3 * 86400)
    change = {"items": [{"id": item, "quantity": 2}], "proration_behavior": "always_invoice",
              "payment_behavior": "pending_if_incomplete"}
    pending = client.subscriptions.update(sub.id, {**change, "expand": ["latest_invoice"]}, options=on(account))
    assert pending.status == "active" and pending["items"].data[0].quantity == 1
    assert pending.pending_update.subscription_items[0].quantity == 2
    assert pending.pending_update.expires_at == now + 23 * 3600
    assert pending.latest_invoice.status == "open" and pending.latest_invoice.attempted is True
    client.invoices.pay(pending.latest_invoice.id, {"payment_method": "pm_card_visa"}, options=on(account))
    applied = client.subscriptions.retrieve(sub.id, options=on(account))
    assert applied["items"].data[0].quantity == 2 and applied.pending_update is None and applied.status == "active"

    again = client.subscriptions.update(sub.id, {**change, "items": [{"id": item, "quantity": 3}]},
                                        options=on(account))
    assert again.pending_update.subscription_items[0].quantity == 3
    advance(junction, 23 * 3600 + 1)
    dropped = until(lambda: client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=on(account)),
                    lambda s: s.pending_update is None)
    assert dropped["items"].data[0].quantity == 2 and dropped.latest_invoice.status == "void"
    assert dropped.status == "active"
