"""Coupons on connected accounts (A5, A6, E1) through the official SDK: Stripe's fields,
validation and events. Applying coupons to subscriptions is not supported yet and says so."""

import pytest
import stripe

from test_payments import oauth_connected, on
from test_subscriptions import monthly_price


def refused(call):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        call()
    assert raised.value.http_status == 400
    return raised.value


def test_coupon_lifecycle_with_events(junction):
    app, client, account = oauth_connected(junction)
    summer = client.coupons.create({"id": "SUMMER25", "percent_off": 25.5, "duration": "repeating",
                                    "duration_in_months": 3, "name": "Summer sale", "metadata": {"campaign": "s26"}},
                                   options=on(account))
    assert summer.id == "SUMMER25" and summer.object == "coupon" and summer.percent_off == 25.5
    assert summer.duration == "repeating" and summer.duration_in_months == 3 and summer.name == "Summer sale"
    assert summer.amount_off is None and summer.currency is None and summer.max_redemptions is None
    assert summer.valid is True and summer.times_redeemed == 0 and summer.livemode is False
    assert summer.metadata.to_dict() == {"campaign": "s26"}

    five_off = client.coupons.create({"amount_off": 500, "currency": "USD", "max_redemptions": 10},
                                     options=on(account))
    assert len(five_off.id) == 8 and five_off.amount_off == 500 and five_off.currency == "usd"
    assert five_off.duration == "once" and five_off.duration_in_months is None and five_off.max_redemptions == 10

    assert client.coupons.retrieve("SUMMER25", options=on(account)).percent_off == 25.5
    assert [c.id for c in client.coupons.list(options=on(account)).data] == [five_off.id, "SUMMER25"]
    renamed = client.coupons.update("SUMMER25", {"name": "Late summer", "metadata": {"campaign": ""}},
                                    options=on(account))
    assert renamed.name == "Late summer" and renamed.metadata.to_dict() == {}

    deleted = client.coupons.delete("SUMMER25", options=on(account))
    assert deleted.deleted is True and deleted.id == "SUMMER25"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.coupons.retrieve("SUMMER25", options=on(account))
    assert raised.value.http_status == 404 and raised.value.code == "resource_missing"
    assert [c.id for c in client.coupons.list(options=on(account)).data] == [five_off.id]

    # E1: created, updated (with what changed) and deleted, on the connected account.
    events = client.events.list({"types": ["coupon.created", "coupon.updated", "coupon.deleted"]},
                                options=on(account)).data
    assert [e.type for e in events] == ["coupon.deleted", "coupon.updated", "coupon.created", "coupon.created"]
    assert all(e.account == account for e in events)
    assert events[1].data.previous_attributes["name"] == "Summer sale"


def test_coupon_ids_are_per_account(junction):
    app, client, account = oauth_connected(junction)
    client.coupons.create({"id": "WELCOME", "percent_off": 10}, options=on(account))
    taken = refused(lambda: client.coupons.create({"id": "WELCOME", "percent_off": 20}, options=on(account)))
    assert taken.code == "resource_already_exists" and taken.param == "id"
    # A6: another account (the platform's own) has its own codes and does not see the first one.
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.coupons.retrieve("WELCOME")
    assert raised.value.http_status == 404
    own = client.coupons.create({"id": "WELCOME", "amount_off": 300, "currency": "eur"})
    assert own.id == "WELCOME" and own.amount_off == 300
    assert client.coupons.retrieve("WELCOME", options=on(account)).percent_off == 10
    # The same goes for product ids a client chooses.
    client.products.create({"id": "gold", "name": "Gold"}, options=on(account))
    assert client.products.create({"id": "gold", "name": "Gold"}).id == "gold"


def test_coupon_validation(junction):
    app, client, account = oauth_connected(junction)
    create = lambda **params: (lambda: client.coupons.create(params, options=on(account)))
    assert refused(create(duration="forever")).param == "percent_off"
    assert refused(create(percent_off=10, amount_off=100, currency="usd")).param == "amount_off"
    missing = refused(create(amount_off=100))
    assert missing.param == "currency" and missing.code == "parameter_missing"
    assert refused(create(percent_off=10, currency="usd")).param == "currency"
    assert refused(create(percent_off=0)).param == "percent_off"
    assert refused(create(percent_off=100.5)).param == "percent_off"
    assert refused(create(amount_off=0, currency="usd")).param == "amount_off"
    assert refused(create(amount_off=100, currency="xyz")).param == "currency"
    assert refused(create(percent_off=10, duration="repeating")).param == "duration_in_months"
    assert refused(create(percent_off=10, duration="once", duration_in_months=2)).param == "duration_in_months"
    assert refused(create(percent_off=10, duration="weekly")).param == "duration"
    assert refused(create(percent_off=10, max_redemptions=0)).param == "max_redemptions"
    assert refused(create(percent_off=10, redeem_by=1_000_000)).param == "redeem_by"
    assert refused(create(percent_off=10, name="x" * 41)).param == "name"
    assert refused(create(percent_off=10, applies_to={"products": ["prod_1"]})).param.startswith("applies_to")
    assert client.coupons.list(options=on(account)).data == [], "nothing is created by a refused request"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.coupons.update("nope", {"name": "x"}, options=on(account))
    assert raised.value.http_status == 404


def test_coupon_stops_being_valid_after_redeem_by(junction):
    app, client, account = oauth_connected(junction)
    probe = client.coupons.create({"percent_off": 5}, options=on(account))  # Junction's clock, which tests move
    coupon = client.coupons.create({"percent_off": 15, "redeem_by": probe.created + 120}, options=on(account))
    assert coupon.valid is True and coupon.redeem_by == probe.created + 120
    junction.control("POST", "/_junction/clock/advance", {"seconds": 121})
    assert client.coupons.retrieve(coupon.id, options=on(account)).valid is False
    assert {c.id: c.valid for c in client.coupons.list(options=on(account)).data} == {coupon.id: False, probe.id: True}


def test_subscriptions_refuse_discounts_clearly(junction):
    app, client, account = oauth_connected(junction)
    coupon = client.coupons.create({"percent_off": 50}, options=on(account))
    price = monthly_price(client, account)
    customer = client.customers.create({"email": "discount@example.com"}, options=on(account))
    params = {"customer": customer.id, "items": [{"price": price.id}], "default_payment_method": "pm_card_visa"}
    error = refused(lambda: client.subscriptions.create({**params, "coupon": coupon.id}, options=on(account)))
    assert error.param == "coupon" and "does not apply discounts to subscriptions yet" in error.user_message
    error = refused(lambda: client.subscriptions.create({**params, "discounts": [{"coupon": coupon.id}]},
                                                        options=on(account)))
    assert error.param == "discounts"
    assert client.subscriptions.list(options=on(account)).data == []
    sub = client.subscriptions.create(params, options=on(account))
    error = refused(lambda: client.subscriptions.update(sub.id, {"coupon": coupon.id}, options=on(account)))
    assert error.param == "coupon"
