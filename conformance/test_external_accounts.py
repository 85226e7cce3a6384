"""External accounts (issue 12, point 3): bank accounts and debit cards an account is paid out
to, through the official SDK: Stripe's test numbers and tokens, the default per currency, the
default that cannot be deleted, the account's `external_account` parameter, requirements and
`payouts_enabled` that follow, and their events."""

import pytest
import stripe

from test_transfers import onboarded


BANK = {"object": "bank_account", "country": "US", "currency": "usd", "routing_number": "110000000",
        "account_number": "000123456789", "account_holder_name": "Jane Doe", "account_holder_type": "individual"}


def test_a_bank_account_completes_the_requirements_and_enables_payouts(platform):
    _, client = platform
    account = onboarded(client)
    before = client.accounts.retrieve(account)
    assert before.requirements.currently_due == ["external_account"] and before.payouts_enabled is False
    bank = client.accounts.external_accounts.create(account, {"external_account": BANK})
    assert bank.object == "bank_account" and bank.id.startswith("ba_") and bank.account == account
    assert bank.last4 == "6789" and bank.routing_number == "110000000" and bank.default_for_currency is True
    assert bank.currency == "usd" and bank.country == "US" and bank.account_holder_name == "Jane Doe"
    after = client.accounts.retrieve(account)
    assert after.requirements.currently_due == [] and after.payouts_enabled is True
    assert [e.id for e in after.external_accounts.data] == [bank.id] and after.external_accounts.total_count == 1
    types = [e.type for e in client.events.list({"limit": 10}, options={"stripe_account": account}).data]
    assert "account.external_account.created" in types and "account.updated" in types


def test_tokens_debit_cards_and_the_default_per_currency(platform):
    _, client = platform
    account = onboarded(client)
    first = client.accounts.external_accounts.create(account, {"external_account": "btok_us_verified"})
    assert first.default_for_currency is True and first.bank_name == "STRIPE TEST BANK"
    card = client.accounts.external_accounts.create(account, {"external_account": "tok_visa_debit"})
    assert card.object == "card" and card.id.startswith("card_") and card.funding == "debit"
    assert card.brand == "Visa" and card.last4 == "5556" and card.default_for_currency is False
    # A credit card cannot receive payouts.
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.external_accounts.create(account, {"external_account": "tok_visa"})
    assert raised.value.code == "invalid_card_type"
    # Making the card the default takes it from the bank account.
    made = client.accounts.external_accounts.update(account, card.id, {"default_for_currency": True})
    assert made.default_for_currency is True
    assert client.accounts.external_accounts.retrieve(account, first.id).default_for_currency is False
    listed = client.accounts.external_accounts.list(account)
    assert [e.id for e in listed.data] == [card.id, first.id]
    assert [e.id for e in client.accounts.external_accounts.list(account, {"object": "card"}).data] == [card.id]
    # The default cannot be deleted; the other one can.
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.external_accounts.delete(account, card.id)
    assert "default" in raised.value.user_message
    deleted = client.accounts.external_accounts.delete(account, first.id)
    assert deleted.deleted is True and deleted.id == first.id
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.external_accounts.retrieve(account, first.id)
    assert raised.value.http_status == 404


def test_the_account_external_account_parameter_replaces_the_default(platform):
    _, client = platform
    account = client.accounts.create({"type": "custom", "country": "US", "external_account": "btok_us_verified",
                                      "capabilities": {"transfers": {"requested": True}}})
    first = account.external_accounts.data[0]
    assert first.default_for_currency is True
    updated = client.accounts.update(account.id, {"external_account": {**BANK, "account_number": "000111111116"}})
    assert [e.last4 for e in updated.external_accounts.data] == ["1116"]
    assert updated.external_accounts.data[0].default_for_currency is True


def test_metadata_and_holder_updates(platform):
    _, client = platform
    account = onboarded(client)
    bank = client.accounts.external_accounts.create(account, {"external_account": BANK, "metadata": {"k": "v"}})
    assert bank.metadata.to_dict() == {"k": "v"}
    changed = client.accounts.external_accounts.update(
        account, bank.id, {"account_holder_name": "J. Doe", "metadata": {"k": "", "n": "1"}})
    assert changed.account_holder_name == "J. Doe" and changed.metadata.to_dict() == {"n": "1"}


def test_p10_a2_who_may_manage_external_accounts(junction, platform):
    _, client = platform
    account = onboarded(client)
    # A Standard account the platform controls: Stripe collects its requirements, bank
    # accounts included; the platform cannot add them.
    standard = client.accounts.create({"type": "standard"}).id
    with pytest.raises(stripe.PermissionError):
        client.accounts.external_accounts.create(standard, {"external_account": "btok_us_verified"})
    # Another platform may not see the account at all.
    other = junction.client(junction.application("platform")["secret_key"])
    with pytest.raises(stripe.PermissionError):
        other.accounts.external_accounts.list(account)
    # A platform connected by OAuth that does not control the account sees none of them
    # (Stripe returns them only where controller.is_controller is true).
    from test_payments import oauth_connected
    _, connected_client, owned = oauth_connected(junction)
    assert connected_client.accounts.external_accounts.list(owned).data == []
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.external_accounts.create(account, {"external_account": {**BANK, "routing_number": "12"}})
    assert raised.value.code == "routing_number_invalid"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.external_accounts.create(account, {"external_account": "btok_nonexistent"})
    assert raised.value.http_status == 404
