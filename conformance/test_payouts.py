"""Payouts (issue 12, point 4): from the available balance to an external account, moved on by
Junction's clock (pending → in_transit → paid), failures by Stripe's test bank accounts with the
money returned, cancel, and the refusals, through the official SDK. Conservation: what leaves
the balance is exactly what was paid out, and comes back when the payout does not go."""

import time

import pytest
import stripe

from conftest import own_server
from test_payments import balance, on
from test_transfers import fund, onboarded
from test_webhooks import receiver  # noqa: F401  (the fixture)


@pytest.fixture
def own(junction):
    """A server of the test's own: these tests move the clock by days, which would bring every
    retry of the shared server's failing webhooks due at once."""
    with own_server(junction.database) as server:
        yield server, server.client(server.application("platform")["secret_key"])


def funded_account(client, token="btok_us_verified", amount=10000):
    """An onboarded account with a bank account and `amount` available (a transfer)."""
    account = onboarded(client)
    # Manual payouts: the clock moves in these tests, and automatic ones would take the balance.
    client.accounts.update(account, {"settings": {"payouts": {"schedule": {"interval": "manual"}}}})
    client.accounts.external_accounts.create(account, {"external_account": token})
    fund(client, amount + 1000)  # net of its processing fee, at least `amount`
    client.transfers.create({"amount": amount, "currency": "usd", "destination": account})
    return account


def advance(junction, seconds):
    status, _ = junction.control("POST", "/_junction/clock/advance", {"seconds": seconds})
    assert status == 200


def wait_for(client, payout_id, account, status, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        payout = client.payouts.retrieve(payout_id, options=on(account))
        if payout.status == status:
            return payout
        time.sleep(0.1)
    raise AssertionError(f"{payout_id} is {payout.status}, not {status}")


def test_f7_a_payout_leaves_the_balance_and_is_paid_on_its_arrival_date(own):
    junction, client = own
    account = funded_account(client)
    payout = client.payouts.create({"amount": 3000, "currency": "usd", "metadata": {"run": "1"}},
                                   options=on(account))
    assert payout.object == "payout" and payout.status == "pending" and payout.amount == 3000
    assert payout.type == "bank_account" and payout.destination.startswith("ba_") and payout.automatic is False
    assert payout.arrival_date > payout.created and payout.method == "standard"
    assert balance(client, account)["usd"] == (7000, 0)
    txn = client.balance_transactions.retrieve(payout.balance_transaction, options=on(account))
    assert (txn.type, txn.amount, txn.source) == ("payout", -3000, payout.id)
    advance(junction, 2 * 3600)
    wait_for(client, payout.id, account, "in_transit")
    advance(junction, 3 * 86400)
    paid = wait_for(client, payout.id, account, "paid")
    assert paid.failure_code is None and balance(client, account)["usd"] == (7000, 0)
    types = [e.type for e in client.events.list({"type": "payout.*"}, options=on(account)).data]
    assert "payout.created" in types and "payout.paid" in types and "payout.updated" in types
    assert [p.id for p in client.payouts.list({"status": "paid"}, options=on(account)).data] == [payout.id]


def test_f7_a_failing_bank_account_returns_the_money_with_stripes_failure_code(own):
    junction, client = own
    account = funded_account(client, token="btok_us_verified_noAccount")
    payout = client.payouts.create({"amount": 4000, "currency": "usd"}, options=on(account))
    assert balance(client, account)["usd"] == (6000, 0)
    advance(junction, 2 * 3600)
    wait_for(client, payout.id, account, "in_transit")
    advance(junction, 3 * 86400)
    failed = wait_for(client, payout.id, account, "failed")
    assert failed.failure_code == "no_account" and failed.failure_message
    back = client.balance_transactions.retrieve(failed.failure_balance_transaction, options=on(account))
    assert (back.type, back.amount) == ("payout_failure", 4000)
    assert balance(client, account)["usd"] == (10000, 0)
    assert "payout.failed" in [e.type for e in client.events.list({"type": "payout.failed"}, options=on(account)).data]


def test_f7_cancel_while_pending(own):
    _, client = own
    account = funded_account(client)
    payout = client.payouts.create({"amount": 2500, "currency": "usd"}, options=on(account))
    canceled = client.payouts.cancel(payout.id, options=on(account))
    assert canceled.status == "canceled" and balance(client, account)["usd"] == (10000, 0)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payouts.cancel(payout.id, options=on(account))
    assert raised.value.code == "payout_not_cancelable"
    reversal = client.balance_transactions.list({"type": "payout_cancel"}, options=on(account)).data
    assert [t.amount for t in reversal] == [2500]


def test_f7_what_a_payout_refuses(own):
    _, client = own
    account = funded_account(client, amount=1000)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payouts.create({"amount": 1001, "currency": "usd"}, options=on(account))
    assert raised.value.code == "balance_insufficient"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payouts.create({"amount": 100, "currency": "eur"}, options=on(account))
    assert raised.value.param == "currency"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payouts.create({"amount": 100, "currency": "usd", "destination": "ba_nope"}, options=on(account))
    assert raised.value.param == "destination"
    # No external account: payouts are not enabled.
    bare = onboarded(client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payouts.create({"amount": 100, "currency": "usd"}, options=on(bare))
    assert raised.value.code == "payouts_not_allowed"
    assert balance(client, account)["usd"] == (1000, 0)


def test_f7_automatic_payouts_follow_the_schedule(own):
    junction, client = own
    account = onboarded(client)
    client.accounts.update(account, {"settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}}}})
    client.accounts.external_accounts.create(account, {"external_account": "btok_us_verified"})
    fund(client, 6000)
    client.transfers.create({"amount": 5000, "currency": "usd", "destination": account})
    assert balance(client, account)["usd"] == (5000, 0)
    # The next midnight on Junction's clock: the whole available balance is paid out.
    advance(junction, 86400)
    deadline = time.time() + 10
    while time.time() < deadline and not client.payouts.list(options=on(account)).data:
        time.sleep(0.1)
    payouts = client.payouts.list(options=on(account)).data
    assert [(p.amount, p.automatic) for p in payouts] == [(5000, True)]
    assert balance(client, account)["usd"] == (0, 0)
    # A manual schedule makes none, however far the clock moves.
    client.accounts.update(account, {"settings": {"payouts": {"schedule": {"interval": "manual"}}}})
    client.transfers.create({"amount": 100, "currency": "usd", "destination": account})
    advance(junction, 2 * 86400)
    time.sleep(1)
    assert len(client.payouts.list(options=on(account)).data) == 1
    assert balance(client, account)["usd"][0] == 100


def test_f7_debit_negative_balances_defaults_to_who_collects_the_requirements(own):
    """`settings.payouts.debit_negative_balances` is false by default when the platform collects
    the requirements (Custom), true otherwise (Stripe's documented default)."""
    _, client = own
    custom = client.accounts.create({"type": "custom", "country": "US",
                                     "capabilities": {"transfers": {"requested": True}}})
    express = client.accounts.create({"type": "express", "country": "US"})
    standard = client.accounts.create({"country": "US", "controller": {
        "fees": {"payer": "account"}, "losses": {"payments": "stripe"}, "requirement_collection": "stripe",
        "stripe_dashboard": {"type": "full"}}})
    assert custom.settings.payouts.debit_negative_balances is False
    assert express.settings.payouts.debit_negative_balances is True
    assert standard.settings.payouts.debit_negative_balances is True
    updated = client.accounts.update(custom.id, {"settings": {"payouts": {"debit_negative_balances": True}}})
    assert updated.settings.payouts.debit_negative_balances is True


def negative_standard_account(junction):
    """A person's Standard account (losses.payments=stripe: nothing covers its deficits) that
    paid out a charge automatically and then refunded it: its balance is -amount."""
    app, user = junction.application("platform"), junction.user()
    account, secret = junction.user_account(user)
    junction.connect(app, user, account["id"])
    own = junction.client(secret)
    own.accounts.external_accounts.create(account["id"], {"external_account": "btok_us_verified"})
    own.accounts.update(account["id"], {"settings": {"payouts": {"schedule": {"interval": "daily"}}}})
    platform = junction.client(app["secret_key"])
    intent = platform.payment_intents.create({"amount": 2000, "currency": "usd", "confirm": True,
                                              "payment_method": "pm_card_bypassPending"}, options=on(account["id"]))
    net = balance(platform, account["id"])["usd"][0]
    advance(junction, 86400)  # the next daily run pays the net out
    deadline = time.time() + 10
    while time.time() < deadline and not platform.payouts.list(options=on(account["id"])).data:
        time.sleep(0.1)
    assert [p.amount for p in platform.payouts.list(options=on(account["id"])).data] == [net]
    platform.refunds.create({"payment_intent": intent.id}, options=on(account["id"]))
    # The net was paid out, and the refund's whole amount leaves the balance.
    assert balance(platform, account["id"])["usd"][0] == -2000
    return platform, own, account["id"], -2000


def test_f7_a_negative_balance_is_debited_from_the_bank_account_on_the_next_run(own):
    junction, _ = own
    platform, _, account, owed = negative_standard_account(junction)
    advance(junction, 86400)
    deadline = time.time() + 10
    while time.time() < deadline and len(platform.payouts.list(options=on(account)).data) < 2:
        time.sleep(0.1)
    debit = platform.payouts.list(options=on(account)).data[0]
    # A payout of a negative amount: the money comes in from the bank account.
    assert debit.amount == owed and debit.automatic is True and debit.type == "bank_account"
    txn = platform.balance_transactions.retrieve(debit.balance_transaction, options=on(account))
    assert (txn.type, txn.amount) == ("payout", -owed)
    assert balance(platform, account)["usd"] == (0, 0)
    advance(junction, 3 * 86400)
    assert wait_for(platform, debit.id, account, "paid").amount == owed


def test_f7_without_debit_negative_balances_a_negative_balance_waits(own):
    junction, _ = own
    platform, own_client, account, owed = negative_standard_account(junction)
    own_client.accounts.update(account, {"settings": {"payouts": {"debit_negative_balances": False}}})
    advance(junction, 2 * 86400)
    time.sleep(1)
    assert len(platform.payouts.list(options=on(account)).data) == 1
    assert balance(platform, account)["usd"][0] == owed


def test_balance_available_is_sent_when_pending_money_becomes_available(own, receiver):
    """`balance.available`: once, when a charge's money (pending for two days) becomes available
    on Junction's clock, with the balance in `data.object`; not for money available at once."""
    junction, client = own
    endpoint = client.webhook_endpoints.create({"url": receiver.url, "enabled_events": ["balance.available"]})
    client.payment_intents.create({"amount": 1000, "currency": "usd", "payment_method": "pm_card_bypassPending",
                                   "confirm": True})  # available at once: nothing to announce
    intent = client.payment_intents.create({"amount": 5000, "currency": "usd", "payment_method": "pm_card_visa",
                                            "confirm": True})
    charge = client.charges.retrieve(intent.latest_charge, {"expand": ["balance_transaction"]})
    time.sleep(0.5)
    assert client.events.list({"type": "balance.available"}).data == []
    advance(junction, 2 * 86400 + 1)
    [event] = receiver.events(endpoint.secret, types={"balance.available"})
    assert event.data.object.object == "balance"
    [usd] = [a for a in event.data.object.available if a.currency == "usd"]
    assert usd.amount == balance(client)["usd"][0] and usd.amount >= charge.balance_transaction.net
    advance(junction, 86400)
    time.sleep(1)
    assert [e.id for e in client.events.list({"type": "balance.available"}).data] == [event.id]
