"""Destination charges (F6): payment intents with transfer_data, their transfers, payments and
application fees, and refunds with reverse_transfer and refund_application_fee, through the
official SDK. Every test checks conservation: across the platform and the account, balances
move by exactly the charged amounts less the processing fee the platform pays."""

import pytest
import stripe

from test_payments import fee, on
from test_transfers import onboarded, total


def destination_charge(client, account, amount, **params):
    intent = client.payment_intents.create({
        "amount": amount, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
        "transfer_data": {"destination": account, **params.pop("transfer_data", {})}, **params})
    return intent, client.charges.retrieve(intent.latest_charge)


def test_f6_destination_charge_with_an_application_fee(platform):
    _, client = platform
    account = onboarded(client)
    before = total(client)
    intent, charge = destination_charge(client, account, 10000, application_fee_amount=1000)
    assert intent.status == "succeeded" and intent.transfer_data.destination == account
    assert charge.transfer and charge.transfer_data.destination == account
    assert charge.transfer_group == f"group_{intent.id}" and charge.application_fee_amount == 1000
    # The platform pays the processing fee on its own charge.
    charge_txn = client.balance_transactions.retrieve(charge.balance_transaction)
    assert (charge_txn.type, charge_txn.amount, charge_txn.fee) == ("charge", 10000, fee(10000))
    # The whole amount goes on; the fee comes back from the account's payment.
    transfer = client.transfers.retrieve(charge.transfer)
    assert transfer.amount == 10000 and transfer.destination == account
    assert transfer.source_transaction == charge.id and transfer.transfer_group == charge.transfer_group
    payment = client.charges.retrieve(transfer.destination_payment, options=on(account))
    received = client.balance_transactions.retrieve(payment.balance_transaction, options=on(account))
    assert (received.type, received.amount, received.fee, received.net) == ("payment", 10000, 1000, 9000)
    assert received.fee_details[0].type == "application_fee"
    app_fee = client.application_fees.retrieve(charge.application_fee)
    assert app_fee.amount == 1000 and app_fee.account == account
    assert app_fee.charge == payment.id and app_fee.originating_transaction == charge.id
    # Conservation.
    assert total(client) - before == 10000 - fee(10000) - 10000 + 1000
    assert total(client, account) == 9000


def test_f6_transfer_data_amount_sends_part_of_the_charge(platform):
    _, client = platform
    account = onboarded(client)
    before = total(client)
    intent, charge = destination_charge(client, account, 10000, transfer_data={"amount": 8000})
    assert intent.transfer_data.amount == 8000
    assert client.transfers.retrieve(charge.transfer).amount == 8000
    assert charge.application_fee is None
    assert total(client) - before == 10000 - fee(10000) - 8000
    assert total(client, account) == 8000


def test_f6_refund_with_reverse_transfer_and_refund_application_fee(platform):
    _, client = platform
    account = onboarded(client)
    before = total(client)
    intent, charge = destination_charge(client, account, 10000, application_fee_amount=1000)
    refund = client.refunds.create({"charge": charge.id, "amount": 2500, "reverse_transfer": True,
                                    "refund_application_fee": True})
    assert refund.transfer_reversal
    reversal = client.transfers.reversals.retrieve(charge.transfer, refund.transfer_reversal)
    assert reversal.amount == 2500 and reversal.source_refund == refund.id
    assert client.application_fees.retrieve(charge.application_fee).amount_refunded == 250
    # The platform: the charge net of its fee, less what it kept of the refund; the account:
    # its payment net of the fee, less its share of the refund, plus the fee given back.
    assert total(client) - before == (10000 - fee(10000) - 10000 + 1000) - 2500 + 2500 - 250
    assert total(client, account) == 9000 - 2500 + 250
    assert (total(client) - before) + total(client, account) == 10000 - fee(10000) - 2500


def test_f6_a_refund_without_reverse_transfer_is_the_platforms(platform):
    _, client = platform
    account = onboarded(client)
    before = total(client)
    _, charge = destination_charge(client, account, 10000, application_fee_amount=1000)
    client.refunds.create({"charge": charge.id, "amount": 2500})
    assert total(client) - before == 10000 - fee(10000) - 10000 + 1000 - 2500
    assert total(client, account) == 9000
    with pytest.raises(stripe.InvalidRequestError) as raised:
        direct = client.payment_intents.create({"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa",
                                                "confirm": True})
        client.refunds.create({"payment_intent": direct.id, "reverse_transfer": True})
    assert raised.value.param == "reverse_transfer"


def test_f6_manual_capture_transfers_at_capture(platform):
    _, client = platform
    account = onboarded(client)
    intent = client.payment_intents.create({
        "amount": 5000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
        "capture_method": "manual", "transfer_data": {"destination": account}, "application_fee_amount": 500})
    assert intent.status == "requires_capture" and total(client, account) == 0
    captured = client.payment_intents.capture(intent.id, {"amount_to_capture": 4000})
    charge = client.charges.retrieve(captured.latest_charge)
    assert client.transfers.retrieve(charge.transfer).amount == 4000
    assert total(client, account) == 4000 - 500


def test_f6_what_a_destination_charge_refuses(junction, platform):
    _, client = platform
    account = onboarded(client)
    not_ready = client.accounts.create({"type": "custom", "country": "US", "capabilities": {
        "card_payments": {"requested": True}, "transfers": {"requested": True}}}).id
    with pytest.raises(stripe.InvalidRequestError) as raised:
        destination_charge(client, not_ready, 1000)
    assert raised.value.code == "insufficient_capabilities_for_transfer"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        destination_charge(client, account, 1000, transfer_data={"amount": 1001})
    assert raised.value.param == "transfer_data[amount]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        destination_charge(client, account, 1000, on_behalf_of=not_ready)
    assert raised.value.param == "on_behalf_of"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payment_intents.create({"amount": 1000, "currency": "usd", "transfer_data": {"destination": account}},
                                      options=on(account))
    assert raised.value.param == "transfer_data[destination]"
    other = junction.client(junction.application("platform")["secret_key"])
    with pytest.raises(stripe.InvalidRequestError) as raised:
        destination_charge(client, onboarded(other), 1000)
    assert raised.value.param == "transfer_data[destination]"
    # on_behalf_of naming the destination is the settlement merchant.
    intent, _ = destination_charge(client, account, 1000, on_behalf_of=account)
    assert intent.on_behalf_of == account


def test_f6_reversing_a_destination_charges_transfer_with_its_fee(platform):
    _, client = platform
    account = onboarded(client)
    before = total(client)
    _, charge = destination_charge(client, account, 10000, application_fee_amount=1000)
    reversal = client.transfers.reversals.create(charge.transfer, {"amount": 5000, "refund_application_fee": True})
    assert reversal.amount == 5000
    assert client.application_fees.retrieve(charge.application_fee).amount_refunded == 500
    assert total(client, account) == 9000 - 5000 + 500
    assert total(client) - before == (10000 - fee(10000) - 10000 + 1000) + 5000 - 500
    # A destination charge's transfer can be reversed up to the charge, even beyond what the
    # account still holds: the platform carries the loss (losses.payments=application, F3).
    client.transfers.reversals.create(charge.transfer)
    assert total(client, account) == 0
    assert (total(client) - before) + total(client, account) == 10000 - fee(10000)


def test_f6_subscriptions_with_transfer_data_make_destination_charges(platform):
    _, client = platform
    account = onboarded(client)
    price = client.prices.create({"currency": "usd", "unit_amount": 5000, "recurring": {"interval": "month"},
                                  "product_data": {"name": "Lessons"}})
    customer = client.customers.create({"payment_method": "pm_card_visa",
                                        "invoice_settings": {"default_payment_method": "pm_card_visa"}})
    before = total(client)
    sub = client.subscriptions.create({
        "customer": customer.id, "items": [{"price": price.id}], "application_fee_percent": 10,
        "transfer_data": {"destination": account}})
    assert sub.status == "active" and sub.transfer_data.destination == account
    [intent] = client.payment_intents.list({"customer": customer.id}).data
    assert intent.transfer_data.destination == account and intent.application_fee_amount == 500
    charge = client.charges.retrieve(intent.latest_charge)
    assert client.transfers.retrieve(charge.transfer).amount == 5000 and charge.application_fee_amount == 500
    assert total(client, account) == 4500
    assert total(client) - before == 5000 - fee(5000) - 5000 + 500
    # amount_percent sends a share instead, with no fee.
    other = client.subscriptions.create({
        "customer": customer.id, "items": [{"price": price.id}],
        "transfer_data": {"destination": account, "amount_percent": 80}})
    assert other.transfer_data.amount_percent == 80
    assert total(client, account) == 4500 + 4000
