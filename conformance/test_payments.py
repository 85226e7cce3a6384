"""Payment intents and charges on connected accounts, balances under the fee model (F1, F2),
declines (402 card_error), manual capture, through the official SDK.

Fee model (docs/connect-rules.md): 2.9 % of the amount, rounded half up, plus 30 minor units.
"""

import pytest
import stripe

from conftest import query


def fee(amount):
    return (amount * 29 + 500) // 1000 + 30


def on(account):
    return {"stripe_account": account}


def balance(client, account=None):
    """{currency: (available, pending)} of the acting account."""
    b = client.balance.retrieve(options=on(account) if account else {})
    pending = {p.currency: p.amount for p in b.pending}
    return {a.currency: (a.amount, pending.get(a.currency, 0)) for a in b.available}


def activate(client, account):
    """Provides what the account's requirements ask for, so that its requested capabilities
    become active: card charges need an active `card_payments` (issue 12, point 6)."""
    client.accounts.update(account, {
        "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
        "business_type": "individual",
        "business_profile": {"mcc": "5734", "url": "https://shop.example"},
        "individual": {"first_name": "Jane", "last_name": "Doe", "email": "jane@example.com",
                       "phone": "+15555550100", "dob": {"day": 1, "month": 2, "year": 1990},
                       "address": {"line1": "1 Main St", "city": "Springfield", "postal_code": "12345"}},
        "tos_acceptance": {"date": 1700000000, "ip": "127.0.0.1"},
    })
    return account


def oauth_connected(junction):
    """A platform connected by OAuth to a person's Standard account (fees.payer=account)."""
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    junction.connect(app, user, account["id"])
    return app, junction.client(app["secret_key"]), account["id"]


def test_f1_f2_direct_charge_with_application_fee_account_pays_processing(junction):
    app, client, account = oauth_connected(junction)
    intent = client.payment_intents.create(
        {"amount": 10000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
         "application_fee_amount": 500}, options=on(account))
    assert intent.status == "succeeded" and intent.amount_received == 10000 and intent.application == app["id"]
    charge = client.charges.retrieve(intent.latest_charge, options=on(account))
    assert charge.paid and charge.captured and charge.amount_captured == 10000 and charge.application_fee_amount == 500
    assert charge.payment_method_details.card.last4 == "4242"
    txn = client.balance_transactions.retrieve(charge.balance_transaction, options=on(account))
    assert (txn.amount, txn.fee, txn.net, txn.type, txn.status) == (10000, fee(10000) + 500, 10000 - fee(10000) - 500,
                                                                   "charge", "pending")
    assert sorted((d.type, d.amount) for d in txn.fee_details) == [("application_fee", 500), ("stripe_fee", fee(10000))]
    assert balance(client, account)["usd"] == (0, 10000 - fee(10000) - 500)
    # F2: the application fee is the platform's.
    fee_object = client.application_fees.retrieve(charge.application_fee)
    assert (fee_object.amount, fee_object.account, fee_object.charge, fee_object.application) == (500, account, charge.id, app["id"])
    assert balance(client)["usd"] == (0, 500)
    # Two days later (the US payout delay) the money is available.
    junction.control("POST", "/_junction/clock/advance", {"seconds": 2 * 86400 + 1})
    assert balance(client, account)["usd"] == (10000 - fee(10000) - 500, 0)
    assert balance(client)["usd"] == (500, 0)


def test_f1_the_platform_pays_processing_when_fees_payer_is_application(platform):
    app, client = platform
    account = client.accounts.create({
        "controller": {"fees": {"payer": "application"}, "losses": {"payments": "application"},
                       "requirement_collection": "application", "stripe_dashboard": {"type": "none"}},
        "country": "US", "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}}}).id
    activate(client, account)
    before = balance(client).get("usd", (0, 0))
    intent = client.payment_intents.create(
        {"amount": 2000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
         "application_fee_amount": 100}, options=on(account))
    txn = client.balance_transactions.retrieve(
        client.charges.retrieve(intent.latest_charge, options=on(account)).balance_transaction, options=on(account))
    assert (txn.fee, txn.net) == (100, 1900)  # only the application fee
    after = balance(client)["usd"]
    assert after[0] - before[0] == -fee(2000)  # the platform paid processing, at once
    assert after[1] - before[1] == 100  # and earns the application fee
    stripe_fees = client.balance_transactions.list({"type": "stripe_fee"}).data
    assert stripe_fees[0].amount == -fee(2000) and stripe_fees[0].source == intent.latest_charge


@pytest.mark.parametrize("account_type", ["express", "custom"])
def test_f1_type_based_accounts_pay_their_own_processing(platform, account_type):
    app, client = platform
    params = {"type": account_type}
    if account_type == "custom":
        params.update(country="US", capabilities={"card_payments": {"requested": True}, "transfers": {"requested": True}})
    account = activate(client, client.accounts.create(params).id)
    intent = client.payment_intents.create(
        {"amount": 1000, "currency": "usd", "payment_method": "pm_card_mastercard", "confirm": True}, options=on(account))
    txn = client.balance_transactions.retrieve(
        client.charges.retrieve(intent.latest_charge, options=on(account)).balance_transaction, options=on(account))
    assert (txn.fee, txn.net) == (fee(1000), 1000 - fee(1000))


def test_declines_are_402_card_errors_with_the_intent(junction):
    app, client, account = oauth_connected(junction)
    with pytest.raises(stripe.CardError) as raised:
        client.payment_intents.create({"amount": 1500, "currency": "usd", "payment_method": "pm_card_chargeDeclined",
                                       "confirm": True}, options=on(account))
    error = raised.value
    assert error.http_status == 402 and error.code == "card_declined" and error.error.decline_code == "generic_decline"
    intent = error.error.payment_intent
    assert intent.status == "requires_payment_method" and intent.last_payment_error.code == "card_declined"
    failed = client.charges.list({"payment_intent": intent.id}, options=on(account)).data
    assert [c.status for c in failed] == ["failed"] and failed[0].failure_code == "card_declined"
    assert balance(client, account).get("usd", (0, 0)) == (0, 0)
    # The same intent succeeds with another card.
    retried = client.payment_intents.confirm(intent.id, {"payment_method": "pm_card_visa"}, options=on(account))
    assert retried.status == "succeeded"


@pytest.mark.parametrize("method,decline", [
    ("pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds"),
    ("pm_card_chargeDeclinedFraudulent", "fraudulent"),
    ("pm_card_chargeDeclinedExpiredCard", "expired_card"),
])
def test_decline_codes(junction, method, decline):
    app, client, account = oauth_connected(junction)
    with pytest.raises(stripe.CardError) as raised:
        client.payment_intents.create({"amount": 1500, "currency": "usd", "payment_method": method, "confirm": True},
                                      options=on(account))
    assert raised.value.error.decline_code == decline


def test_manual_capture_partial_and_cancel(junction):
    app, client, account = oauth_connected(junction)
    intent = client.payment_intents.create({"amount": 5000, "currency": "usd", "capture_method": "manual",
                                            "payment_method": "pm_card_visa", "confirm": True}, options=on(account))
    assert intent.status == "requires_capture" and intent.amount_capturable == 5000
    assert balance(client, account).get("usd", (0, 0)) == (0, 0)
    captured = client.payment_intents.capture(intent.id, {"amount_to_capture": 3000}, options=on(account))
    assert captured.status == "succeeded" and captured.amount_received == 3000
    assert balance(client, account)["usd"] == (0, 3000 - fee(3000))
    held = client.payment_intents.create({"amount": 700, "currency": "usd", "capture_method": "manual",
                                          "payment_method": "pm_card_visa", "confirm": True}, options=on(account))
    canceled = client.payment_intents.cancel(held.id, {"cancellation_reason": "requested_by_customer"}, options=on(account))
    assert canceled.status == "canceled" and canceled.cancellation_reason == "requested_by_customer"
    with pytest.raises(stripe.InvalidRequestError):
        client.payment_intents.capture(held.id, options=on(account))


def test_two_step_confirm_with_customer_and_automatic_payment_methods(junction):
    app, client, account = oauth_connected(junction)
    customer = client.customers.create({"payment_method": "pm_card_visa"}, options=on(account))
    method = client.payment_methods.list({"customer": customer.id}, options=on(account)).data[0]
    intent = client.payment_intents.create({"amount": 1200, "currency": "usd", "customer": customer.id,
                                            "automatic_payment_methods": {"enabled": True}}, options=on(account))
    assert intent.status == "requires_payment_method" and intent.automatic_payment_methods.enabled is True
    confirmed = client.payment_intents.confirm(intent.id, {"payment_method": method.id}, options=on(account))
    assert confirmed.status == "succeeded" and confirmed.payment_method == method.id
    assert [p.id for p in client.payment_intents.list({"customer": customer.id}, options=on(account)).data] == [intent.id]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payment_intents.update(intent.id, {"amount": 1}, options=on(account))
    assert raised.value.code == "payment_intent_unexpected_state"


def test_application_fee_needs_a_connection_and_amount_minimum(platform):
    app, client = platform
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payment_intents.create({"amount": 1000, "currency": "usd", "application_fee_amount": 10})
    assert raised.value.param == "application_fee_amount"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payment_intents.create({"amount": 10, "currency": "usd"})
    assert raised.value.param == "amount" and raised.value.code == "amount_too_small"


def test_a6_payments_stay_on_their_account(junction):
    app, client, account = oauth_connected(junction)
    intent = client.payment_intents.create({"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa",
                                            "confirm": True}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payment_intents.retrieve(intent.id)
    assert raised.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError):
        client.charges.retrieve(intent.latest_charge)


def test_payment_method_types_take_every_documented_type_and_bind_confirmation(junction, platform):
    """Stripe's payment_method_types is a list of documented types: an intent may allow several
    (as the Payment Element asks); a card is refused on an intent that leaves `card` out, with
    Stripe's message; a type Stripe does not document is refused by name."""
    app, client = platform
    account = activate(client, client.accounts.create({"type": "express"}).id)
    both = client.payment_intents.create({"amount": 1500, "currency": "usd",
                                          "payment_method_types": ["card", "us_bank_account", "card"]},
                                         options=on(account))
    assert both.payment_method_types == ["card", "us_bank_account"]
    paid = client.payment_intents.confirm(both.id, {"payment_method": "pm_card_visa"}, options=on(account))
    assert paid.status == "succeeded"
    bank_only = client.payment_intents.create({"amount": 1500, "currency": "usd",
                                               "payment_method_types": ["us_bank_account"]}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.payment_intents.confirm(bank_only.id, {"payment_method": "pm_card_visa"}, options=on(account))
    assert refused.value.code == "payment_intent_invalid_parameter" and refused.value.param == "payment_method"
    assert "not allowed for this PaymentIntent" in refused.value.user_message
    assert client.payment_intents.retrieve(bank_only.id, options=on(account)).status == "requires_payment_method"
    updated = client.payment_intents.update(bank_only.id, {"payment_method_types": ["card"]}, options=on(account))
    assert updated.payment_method_types == ["card"]
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.payment_intents.create({"amount": 1500, "currency": "usd", "payment_method_types": ["bogus_pay"]},
                                      options=on(account))
    assert unknown.value.param == "payment_method_types" and '"bogus_pay" is invalid' in unknown.value.user_message


def test_payment_method_lists_filter_by_any_documented_type(junction, platform):
    app, client = platform
    account = client.accounts.create({"type": "express"}).id
    customer = client.customers.create({}, options=on(account))
    card = client.payment_methods.attach("pm_card_visa", {"customer": customer.id}, options=on(account))
    listed = client.customers.payment_methods.list(customer.id, {"type": "card"}, options=on(account)).data
    assert [m.id for m in listed] == [card.id]
    assert client.payment_methods.list({"customer": customer.id, "type": "us_bank_account"},
                                       options=on(account)).data == []
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.payment_methods.list({"customer": customer.id, "type": "bogus_pay"}, options=on(account))
    assert unknown.value.param == "type"


def test_charges_need_an_active_card_payments_capability(platform):
    """Issue 12, point 6: Stripe refuses card charges on an account whose card_payments is not
    active, in these words; the payment intent itself may be created."""
    _, client = platform
    account = client.accounts.create({"type": "custom", "country": "US", "capabilities": {
        "card_payments": {"requested": True}, "transfers": {"requested": True}}}).id
    intent = client.payment_intents.create({"amount": 1000, "currency": "usd"}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.payment_intents.confirm(intent.id, {"payment_method": "pm_card_visa"}, options=on(account))
    assert raised.value.user_message.startswith("Your account cannot currently make charges.")
    assert client.charges.list(options=on(account)).data == []
    activate(client, account)
    assert client.payment_intents.confirm(intent.id, {"payment_method": "pm_card_visa"},
                                          options=on(account)).status == "succeeded"
    # A rejected account cannot charge either.
    client.accounts.reject(account, {"reason": "fraud"})
    with pytest.raises(stripe.InvalidRequestError):
        client.payment_intents.create({"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa",
                                       "confirm": True}, options=on(account))
