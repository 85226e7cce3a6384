"""A realistic Connect flow end to end through the official SDK, with every number checked
against the documented fee model, and no card number in any response (A5, F1–F4)."""

import json

import pytest
import stripe

from test_payments import balance, fee, on

CARD = "4242424242424242"


def test_end_to_end_connect_flow_and_no_card_number_anywhere(junction):
    seen = []  # every raw response body

    def keep(obj):
        seen.append(obj.last_response.body)
        return obj

    # Connect a person's account to a platform through OAuth.
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user, business_name="Corner Cafe")
    token = junction.connect(app, user, account["id"])
    platform = junction.client(app["secret_key"])
    acct = on(token.stripe_user_id)

    # A customer with a test card typed in.
    customer = keep(platform.customers.create({"email": "guest@example.com"}, options=acct))
    card = keep(platform.payment_methods.create(
        {"type": "card", "card": {"number": CARD, "exp_month": 8, "exp_year": 2036, "cvc": "314"}}, options=acct))
    keep(platform.payment_methods.attach(card.id, {"customer": customer.id}, options=acct))

    # A charge with an application fee, then a partial refund that gives part of the fee back.
    intent = keep(platform.payment_intents.create(
        {"amount": 10000, "currency": "usd", "customer": customer.id, "payment_method": card.id, "confirm": True,
         "application_fee_amount": 1000}, options=acct))
    charge = keep(platform.charges.retrieve(intent.latest_charge, options=acct))
    keep(platform.refunds.create({"charge": charge.id, "amount": 2500, "refund_application_fee": True}, options=acct))

    # A subscription, started and canceled.
    price = keep(platform.prices.create({"currency": "usd", "unit_amount": 1500, "recurring": {"interval": "month"},
                                         "product_data": {"name": "Coffee club"}}, options=acct))
    sub = keep(platform.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                              "default_payment_method": card.id, "application_fee_percent": 20},
                                             options=acct))
    assert sub.status == "active"
    keep(platform.subscriptions.cancel(sub.id, options=acct))

    # Every number agrees with the fee model: 2.9 % + 30 per charge, paid by the account here.
    account_total = (10000 - fee(10000) - 1000) - 2500 + 250 + (1500 - fee(1500) - 300)
    platform_total = 1000 - 250 + 300
    assert sum(a + p for a, p in balance(platform, token.stripe_user_id).values()) == account_total
    assert sum(a + p for a, p in balance(platform).values()) == platform_total
    fees = platform.application_fees.list().data
    assert sorted(f.amount for f in fees) == [300, 1000] and sum(f.amount_refunded for f in fees) == 250

    # No card number (or CVC) in anything the server said, events included.
    for listing in (platform.charges.list(options=acct), platform.payment_methods.list({"customer": customer.id}, options=acct),
                    platform.events.list({"limit": 100}, options=acct), platform.invoices.list(options=acct),
                    platform.payment_intents.list(options=acct), platform.balance_transactions.list(options=acct)):
        seen.append(listing.last_response.body)
    everything = "\n".join(seen)
    assert CARD not in everything and "4242 4242" not in everything
    assert '"cvc": "314"' not in everything and '"314"' not in everything
    assert '"last4":"4242"' in everything  # what is kept of the card


def test_f4_only_the_controlling_platform_changes_the_payout_schedule(junction, platform):
    app, client = platform
    controlled = client.accounts.create({"type": "express"})
    weekly = client.accounts.update(controlled.id, {"settings": {"payouts": {"schedule": {"interval": "weekly",
                                                                                          "weekly_anchor": "monday"}}}})
    assert weekly.settings.payouts.schedule.interval == "weekly"
    other, user = junction.application("platform"), junction.user()
    direct, _ = junction.user_account(user)
    junction.connect(other, user, direct["id"])
    with pytest.raises(stripe.PermissionError):
        junction.client(other["secret_key"]).accounts.update(
            direct["id"], {"settings": {"payouts": {"schedule": {"interval": "monthly", "monthly_anchor": 1}}}})
