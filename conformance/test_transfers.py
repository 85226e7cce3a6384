"""Separate charges and transfers (F5): /v1/transfers and their reversals, through the official
SDK. Every test checks conservation: what the platform's balance loses, the account's gains."""

import pytest
import stripe

from test_payments import activate, balance, fee, on


def total(client, account=None):
    return sum(a + p for a, p in balance(client, account).values())


def available(client, account=None, currency="usd"):
    return balance(client, account).get(currency, (0, 0))[0]


def onboarded(client, **extra):
    """A Custom account (losses.payments=application) whose `transfers` capability is active."""
    account = client.accounts.create({"type": "custom", "country": "US", "capabilities": {
        "card_payments": {"requested": True}, "transfers": {"requested": True}}, **extra})
    activate(client, account.id)
    account = client.accounts.retrieve(account.id)
    assert account.capabilities.transfers == "active"
    return account.id


def fund(client, amount, card="pm_card_bypassPending"):
    """A charge on the platform itself; with the 0077 card its money is available at once."""
    intent = client.payment_intents.create(
        {"amount": amount, "currency": "usd", "payment_method": card, "confirm": True})
    return client.charges.retrieve(intent.latest_charge)


def test_f5_transfer_moves_available_funds_to_the_account(platform):
    _, client = platform
    account = onboarded(client)
    fund(client, 10000)
    platform_before, account_before = total(client), total(client, account)
    transfer = client.transfers.create({"amount": 4000, "currency": "usd", "destination": account,
                                        "transfer_group": "ORDER_1", "metadata": {"order": "1"}})
    assert transfer.object == "transfer" and transfer.amount == 4000 and transfer.destination == account
    assert transfer.amount_reversed == 0 and transfer.reversed is False and transfer.transfer_group == "ORDER_1"
    assert transfer.metadata.to_dict() == {"order": "1"} and transfer.reversals.total_count == 0
    # Conservation: the platform loses exactly what the account gains.
    assert total(client) - platform_before == -4000
    assert total(client, account) - account_before == 4000
    txn = client.balance_transactions.retrieve(transfer.balance_transaction)
    assert (txn.type, txn.amount, txn.net, txn.status) == ("transfer", -4000, -4000, "available")
    # The account sees a payment (py_) whose source is the transfer, and its balance transaction.
    payment = client.charges.retrieve(transfer.destination_payment, options=on(account))
    assert payment.id.startswith("py_") and payment.amount == 4000 and payment.source_transfer == transfer.id
    received = client.balance_transactions.retrieve(payment.balance_transaction, options=on(account))
    assert (received.type, received.amount, received.source) == ("payment", 4000, payment.id)
    # Retrieve, update, list with filters.
    assert client.transfers.retrieve(transfer.id).amount == 4000
    updated = client.transfers.update(transfer.id, {"description": "Order 1", "metadata": {"paid": "yes"}})
    assert updated.description == "Order 1" and updated.metadata.to_dict() == {"order": "1", "paid": "yes"}
    other = client.transfers.create({"amount": 100, "currency": "usd", "destination": account})
    assert [t.id for t in client.transfers.list({"transfer_group": "ORDER_1"}).data] == [transfer.id]
    assert [t.id for t in client.transfers.list({"destination": account}).data] == [other.id, transfer.id]
    events = [e.type for e in client.events.list({"type": "transfer.*"}).data]
    assert events.count("transfer.created") == 2 and "transfer.updated" in events


def test_f5_transfer_beyond_the_available_balance_is_balance_insufficient(platform):
    _, client = platform
    account = onboarded(client)
    fund(client, 1000, card="pm_card_visa")  # pending for two days: not available
    before = total(client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.transfers.create({"amount": 500, "currency": "usd", "destination": account})
    assert raised.value.code == "balance_insufficient" and raised.value.http_status == 400
    assert total(client) == before and total(client, account) == 0


def test_f5_source_transaction_funds_a_transfer_before_its_money_is_available(platform):
    _, client = platform
    account = onboarded(client)
    charge = fund(client, 3000, card="pm_card_visa")  # pending
    transfer = client.transfers.create({"amount": 2000, "currency": "usd", "destination": account,
                                        "source_transaction": charge.id})
    assert transfer.source_transaction == charge.id
    # Its money reaches the account when the charge's reaches the platform.
    charge_txn = client.balance_transactions.retrieve(charge.balance_transaction)
    payment = client.charges.retrieve(transfer.destination_payment, options=on(account))
    received = client.balance_transactions.retrieve(payment.balance_transaction, options=on(account))
    assert received.available_on == charge_txn.available_on and received.status == "pending"
    assert balance(client, account)["usd"] == (0, 2000)
    # No more than the charge holds.
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.transfers.create({"amount": 1001, "currency": "usd", "destination": account,
                                 "source_transaction": charge.id})
    assert raised.value.param == "amount"
    client.transfers.create({"amount": 1000, "currency": "usd", "destination": account,
                             "source_transaction": charge.id})
    assert total(client) == 3000 - fee(3000) - 3000 and total(client, account) == 3000


def test_f5_reversals_partial_and_full(platform):
    _, client = platform
    account = onboarded(client)
    fund(client, 10000)
    transfer = client.transfers.create({"amount": 5000, "currency": "usd", "destination": account})
    platform_before = total(client)
    partial = client.transfers.reversals.create(transfer.id, {"amount": 1500, "metadata": {"why": "partial"}})
    assert partial.object == "transfer_reversal" and partial.amount == 1500 and partial.transfer == transfer.id
    after = client.transfers.retrieve(transfer.id)
    assert after.amount_reversed == 1500 and after.reversed is False and after.reversals.total_count == 1
    rest = client.transfers.reversals.create(transfer.id)
    assert rest.amount == 3500
    after = client.transfers.retrieve(transfer.id)
    assert after.amount_reversed == 5000 and after.reversed is True
    assert total(client) - platform_before == 5000 and total(client, account) == 0
    txn = client.balance_transactions.retrieve(rest.balance_transaction)
    assert (txn.type, txn.amount) == ("transfer_refund", 3500)
    payment = client.charges.retrieve(transfer.destination_payment, options=on(account))
    assert payment.amount_refunded == 5000 and payment.refunded is True
    assert [r.id for r in client.transfers.reversals.list(transfer.id).data] == [rest.id, partial.id]
    assert client.transfers.reversals.retrieve(transfer.id, partial.id).metadata.to_dict() == {"why": "partial"}
    assert client.transfers.reversals.update(transfer.id, partial.id, {"metadata": {"n": "2"}}).metadata.to_dict() == {
        "why": "partial", "n": "2"}
    with pytest.raises(stripe.InvalidRequestError):
        client.transfers.reversals.create(transfer.id, {"amount": 1})
    assert "transfer.reversed" in [e.type for e in client.events.list({"type": "transfer.reversed"}).data]


def test_f5_transfers_need_an_active_transfers_capability_and_a_connection(junction, platform):
    _, client = platform
    fund(client, 5000)
    not_ready = client.accounts.create({"type": "custom", "country": "US", "capabilities": {
        "card_payments": {"requested": True}, "transfers": {"requested": True}}}).id
    before = total(client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.transfers.create({"amount": 100, "currency": "usd", "destination": not_ready})
    assert raised.value.code == "insufficient_capabilities_for_transfer"
    # Another platform's account is not a destination.
    other_app = junction.application("platform")
    other = junction.client(other_app["secret_key"])
    theirs = onboarded(other)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.transfers.create({"amount": 100, "currency": "usd", "destination": theirs})
    assert raised.value.param == "destination"
    assert total(client) == before
    # Another platform cannot read this platform's transfers (A6).
    mine = client.transfers.create({"amount": 100, "currency": "usd", "destination": onboarded(client)})
    with pytest.raises(stripe.InvalidRequestError) as raised:
        other.transfers.retrieve(mine.id)
    assert raised.value.http_status == 404
