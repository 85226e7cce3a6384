"""Refunds, application fee refunds (F2) and negative balances (F3), through the official SDK."""

import pytest
import stripe

from test_payments import activate, balance, fee, oauth_connected, on


def total(client, account=None):
    return sum(a + p for a, p in balance(client, account).values())


def charge(client, account, amount, application_fee=None):
    params = {"amount": amount, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    if application_fee is not None:
        params["application_fee_amount"] = application_fee
    intent = client.payment_intents.create(params, options=on(account))
    return intent, client.charges.retrieve(intent.latest_charge, options=on(account))


def test_partial_refund_with_the_application_fee_refunded_in_proportion(junction):
    app, client, account = oauth_connected(junction)
    platform_before = total(client)
    intent, ch = charge(client, account, 10000, application_fee=500)
    refund = client.refunds.create({"charge": ch.id, "amount": 4000, "refund_application_fee": True}, options=on(account))
    assert refund.object == "refund" and refund.status == "succeeded" and refund.amount == 4000
    assert refund.charge == ch.id and refund.payment_intent == intent.id
    after = client.charges.retrieve(ch.id, options=on(account))
    assert after.amount_refunded == 4000 and after.refunded is False
    app_fee = client.application_fees.retrieve(ch.application_fee)
    assert app_fee.amount_refunded == 200 and app_fee.refunded is False
    assert [r.amount for r in client.application_fees.refunds.list(app_fee.id).data] == [200]
    # The account: charge net, less the refund, plus the fee given back.
    assert total(client, account) == 10000 - fee(10000) - 500 - 4000 + 200
    assert total(client) - platform_before == 500 - 200
    refund_txn = client.balance_transactions.retrieve(refund.balance_transaction, options=on(account))
    assert (refund_txn.type, refund_txn.amount, refund_txn.status) == ("refund", -4000, "available")


def test_full_refund_by_payment_intent_and_limits(junction):
    app, client, account = oauth_connected(junction)
    intent, ch = charge(client, account, 3000)
    client.refunds.create({"payment_intent": intent.id}, options=on(account))
    assert client.charges.retrieve(ch.id, options=on(account)).refunded is True
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.refunds.create({"charge": ch.id}, options=on(account))
    assert raised.value.code == "charge_already_refunded"
    intent2, ch2 = charge(client, account, 1000)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.refunds.create({"charge": ch2.id, "amount": 1001}, options=on(account))
    assert raised.value.param == "amount"
    assert [r.charge for r in client.refunds.list({"charge": ch.id}, options=on(account)).data] == [ch.id]


def test_f3_platform_covers_negative_balances_when_it_carries_the_losses(platform):
    app, client = platform
    account = client.accounts.create({"type": "custom", "country": "US", "capabilities": {
        "card_payments": {"requested": True}, "transfers": {"requested": True}}}).id  # losses.payments=application
    activate(client, account)
    intent, ch = charge(client, account, 1000)
    before = total(client)
    client.refunds.create({"charge": ch.id}, options=on(account))
    # The refund took the whole amount, the processing fee is not returned: -fee, covered.
    assert total(client, account) == 0
    assert total(client) - before == -fee(1000)
    covers = client.balance_transactions.list({"type": "connect_collection_transfer"}).data
    assert covers[0].amount == -fee(1000)


def test_f3_the_deficit_stays_on_the_account_when_stripe_carries_the_losses(platform):
    app, client = platform
    account = activate(client, client.accounts.create().id)  # Standard: losses.payments=stripe
    intent, ch = charge(client, account, 1000)
    before = total(client)
    client.refunds.create({"charge": ch.id}, options=on(account))
    assert total(client, account) == -fee(1000)
    assert total(client) == before


def test_f2_refunding_an_application_fee_directly(junction):
    app, client, account = oauth_connected(junction)
    intent, ch = charge(client, account, 5000, application_fee=300)
    refund = client.application_fees.refunds.create(ch.application_fee, {"amount": 100})
    assert refund.object == "fee_refund" and refund.amount == 100 and refund.fee == ch.application_fee
    fee_object = client.application_fees.retrieve(ch.application_fee)
    assert fee_object.amount_refunded == 100 and fee_object.refunds.data[0].id == refund.id
    with pytest.raises(stripe.InvalidRequestError):
        client.application_fees.refunds.create(ch.application_fee, {"amount": 201})
    renamed = client.application_fees.refunds.update(ch.application_fee, refund.id, {"metadata": {"why": "goodwill"}})
    assert renamed.metadata["why"] == "goodwill"
    assert client.application_fees.refunds.retrieve(ch.application_fee, refund.id).metadata["why"] == "goodwill"
    assert [f.id for f in client.application_fees.list({"charge": ch.id}).data] == [ch.application_fee]


def test_failed_and_uncaptured_charges_cannot_be_refunded(junction):
    app, client, account = oauth_connected(junction)
    with pytest.raises(stripe.CardError) as raised:
        client.payment_intents.create({"amount": 1000, "currency": "usd", "payment_method": "pm_card_chargeDeclined",
                                       "confirm": True}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError):
        client.refunds.create({"charge": raised.value.error.charge}, options=on(account))
