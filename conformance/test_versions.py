"""API versions (Stripe-Version): validated, echoed, and deciding the shape of every response,
event and webhook, from the newest shape down (docs/versions.md)."""

import pytest
import stripe

from test_payments import activate, on
from test_webhooks import Receiver, receiver  # noqa: F401  (the fixture)

NEWEST = stripe._api_version._ApiVersion.CURRENT
PRE_2022_11_15 = "2022-08-01"
PRE_BASIL = "2024-06-20"


def at(version, account=None):
    options = {"stripe_version": version}
    if account:
        options["stripe_account"] = account
    return options


def paid_subscription(client, account=None, options=None):
    options = options or ({"stripe_account": account} if account else {})
    price = client.prices.create({"currency": "usd", "unit_amount": 700, "recurring": {"interval": "month"},
                                  "product_data": {"name": "Versioned"}}, options=options)
    customer = client.customers.create({"email": "v@example.com"}, options=options)
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa"}, options=options)
    return price, customer, sub


def test_every_answer_says_its_version_and_unknown_versions_are_refused(junction, platform):
    app, client = platform
    auth = {"Authorization": f"Bearer {app['secret_key']}"}
    status, headers, _ = junction.raw("GET", "/v1/customers", headers=auth)
    assert status == 200 and headers["Stripe-Version"] == NEWEST
    status, headers, _ = junction.raw("GET", "/v1/customers", headers={**auth, "Stripe-Version": "2024-06-20"})
    assert status == 200 and headers["Stripe-Version"] == "2024-06-20"
    status, headers, _ = junction.raw("GET", "/v1/customers",
                                      headers={**auth, "Stripe-Version": f"{NEWEST}; some_beta=v1"})
    assert status == 200 and headers["Stripe-Version"] == NEWEST
    status, headers, error = junction.raw("GET", "/v1/customers", headers={**auth, "Stripe-Version": "not-a-version"})
    assert status == 400 and error["error"]["type"] == "invalid_request_error"
    assert "Invalid Stripe API version: not-a-version" in error["error"]["message"]
    status, _, error = junction.raw("GET", "/v1/customers", headers={**auth, "Stripe-Version": "2021-13-45"})
    assert status == 400
    status, headers, _ = junction.raw("GET", "/v1/customers", headers={"Stripe-Version": "2024-06-20"})
    assert status == 401 and headers["Stripe-Version"] == "2024-06-20"


def test_2022_11_15_payment_intents_list_their_charges_before(junction, platform):
    app, client = platform
    account = activate(client, client.accounts.create({"type": "express"}).id)
    declined = None
    intent = client.payment_intents.create({"amount": 1200, "currency": "usd", "payment_method": "pm_card_visa",
                                            "confirm": True}, options=on(account))
    newest = client.payment_intents.retrieve(intent.id, options=on(account))
    assert "charges" not in newest and newest.latest_charge
    old = client.payment_intents.retrieve(intent.id, options=at(PRE_2022_11_15, account))
    assert [c.id for c in old.charges.data] == [intent.latest_charge]
    assert old.charges.data[0].amount == 1200 and old.charges.url == f"/v1/charges?payment_intent={intent.id}"
    listed = client.payment_intents.list(options=at(PRE_2022_11_15, account)).data
    assert listed[0].charges.total_count == 1


def test_basil_moves_periods_to_items_and_invoices_to_parent_and_payments(junction, platform):
    app, client = platform
    price, customer, sub = paid_subscription(client)
    newest = client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]})
    assert "current_period_end" not in newest and newest["items"].data[0].current_period_end
    invoice = newest.latest_invoice
    assert "subscription" not in invoice and "paid" not in invoice and "charge" not in invoice
    assert invoice.parent.subscription_details.subscription == sub.id
    assert invoice.payments.data[0].status == "paid" and invoice.status_transitions.paid_at
    assert invoice.lines.data[0].pricing.price_details.price == price.id and "price" not in invoice.lines.data[0]

    old = client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=at(PRE_BASIL))
    assert old.current_period_end == newest["items"].data[0].current_period_end
    assert "current_period_end" not in old["items"].data[0]
    invoice = old.latest_invoice
    assert invoice.subscription == sub.id and invoice.paid is True and invoice.charge.startswith("ch_")
    assert invoice.payment_intent.startswith("pi_") and "parent" not in invoice and "payments" not in invoice
    line = invoice.lines.data[0]
    assert line.price.id == price.id and line.price.unit_amount == 700 and line.subscription == sub.id
    assert line.type == "subscription" and "pricing" not in line
    charge = client.charges.retrieve(invoice.charge)
    assert charge.payment_intent == invoice.payment_intent


def test_before_basil_payments_name_their_invoice_and_lines_their_plan(junction, platform):
    """Basil removed `invoice` from payment intents and charges, `plan` and the tax fields from
    invoice lines, `application_fee_amount` and `discount` from invoices; 2024-04-10 renamed
    `rendering_options` to `rendering`. Older versions get them back, with the values Stripe had."""
    app, client = platform
    account = activate(client, client.accounts.create({"type": "express"}).id)
    options = {"stripe_account": account}
    price = client.prices.create({"currency": "usd", "unit_amount": 900, "recurring": {"interval": "month"},
                                  "product_data": {"name": "Plan"}}, options=options)
    customer = client.customers.create({"email": "p@example.com"}, options=options)
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa", "application_fee_percent": 10},
                                      options=options)
    old = client.invoices.retrieve(sub.latest_invoice, options=at(PRE_BASIL, account))
    assert old.application_fee_amount == 90 and old.discount is None and old.transfer_data is None
    assert old.paid_out_of_band is False and "rendering_options" not in old
    intent = client.payment_intents.retrieve(old.payment_intent, options=at(PRE_BASIL, account))
    assert intent.invoice == old.id and intent.application_fee_amount == 90
    assert client.charges.retrieve(old.charge, options=at(PRE_BASIL, account)).invoice == old.id
    assert "invoice" not in client.payment_intents.retrieve(old.payment_intent, options=on(account))
    line = old.lines.data[0]
    assert line.plan.id == price.id and line.plan.object == "plan" and line.plan.amount == 900
    assert line.plan.interval == "month" and line.plan.aggregate_usage is None
    assert line.amount_excluding_tax == 900 and line.tax_amounts == [] and line.proration is False
    older = client.invoices.retrieve(sub.latest_invoice, options=at("2023-10-16", account))
    assert "rendering_options" in older
    assert client.subscriptions.retrieve(sub.id, options=at(PRE_BASIL, account)).discount is None


def test_the_application_default_version_applies_without_a_header(junction):
    app = junction.application("platform", api_version=PRE_BASIL)
    assert app["api_version"] == PRE_BASIL
    client = junction.client(app["secret_key"])
    # The SDK sends its own version; a client that sends none gets the account's.
    auth = {"Authorization": f"Bearer {app['secret_key']}"}
    price, customer, sub = paid_subscription(client, options={"stripe_version": PRE_BASIL})
    status, headers, body = junction.raw("GET", f"/v1/subscriptions/{sub.id}", headers=auth)
    assert status == 200 and headers["Stripe-Version"] == PRE_BASIL and "current_period_end" in body
    status, headers, body = junction.raw("GET", f"/v1/subscriptions/{sub.id}",
                                         headers={**auth, "Stripe-Version": NEWEST})
    assert headers["Stripe-Version"] == NEWEST and "current_period_end" not in body
    status, error = junction.control("POST", "/_junction/applications",
                                     {"name": "Bad", "kind": "platform", "api_version": "2099-01-01"})
    assert status == 400 and error["error"]["param"] == "api_version"


def test_webhooks_and_events_are_rendered_at_their_version(junction, receiver):
    app = junction.application("platform", api_version=PRE_BASIL)
    client = junction.client(app["secret_key"])
    old_endpoint = client.webhook_endpoints.create(
        {"url": receiver.url, "enabled_events": ["payment_intent.succeeded"], "api_version": PRE_2022_11_15})
    assert old_endpoint.api_version == PRE_2022_11_15
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.webhook_endpoints.create({"url": receiver.url, "enabled_events": ["*"], "api_version": "1999-01-01"})
    assert raised.value.param == "api_version"
    intent = client.payment_intents.create({"amount": 900, "currency": "usd", "payment_method": "pm_card_visa",
                                            "confirm": True})
    [event] = receiver.events(old_endpoint.secret, types={"payment_intent.succeeded"})
    assert event.api_version == PRE_2022_11_15 and [c.id for c in event.data.object.charges.data] == [
        intent.latest_charge]
    newest = client.events.list({"type": "payment_intent.succeeded"}, options={"stripe_version": NEWEST}).data[0]
    assert newest.api_version == NEWEST and "charges" not in newest.data.object
    old = client.events.list({"type": "payment_intent.succeeded"}, options={"stripe_version": PRE_2022_11_15}).data[0]
    assert old.api_version == PRE_2022_11_15 and old.data.object.charges.total_count == 1


def test_2022_11_15_charges_list_their_refunds_before_and_when_expanded(junction, platform):
    app, client = platform
    intent = client.payment_intents.create({"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa",
                                            "confirm": True})
    refund = client.refunds.create({"payment_intent": intent.id, "amount": 300})
    newest = client.charges.retrieve(intent.latest_charge)
    assert "refunds" not in newest and newest.amount_refunded == 300
    expanded = client.charges.retrieve(intent.latest_charge, {"expand": ["refunds"]})
    assert [r.id for r in expanded.refunds.data] == [refund.id]
    old = client.charges.retrieve(intent.latest_charge, options=at(PRE_2022_11_15))
    assert [r.id for r in old.refunds.data] == [refund.id] and old.refunds.total_count == 1
    old_intent = client.payment_intents.retrieve(intent.id, options=at(PRE_2022_11_15))
    assert old_intent.charges.data[0].refunds.data[0].amount == 300


def test_the_application_default_version_can_be_upgraded(junction):
    app = junction.application("platform", api_version=PRE_BASIL)
    auth = {"Authorization": f"Bearer {app['secret_key']}"}
    assert junction.raw("GET", "/v1/customers", headers=auth)[1]["Stripe-Version"] == PRE_BASIL
    status, upgraded = junction.control("POST", f"/_junction/applications/{app['id']}", {"api_version": NEWEST})
    assert status == 200 and upgraded["api_version"] == NEWEST
    assert junction.raw("GET", "/v1/customers", headers=auth)[1]["Stripe-Version"] == NEWEST
    status, error = junction.control("POST", f"/_junction/applications/{app['id']}", {"api_version": "someday"})
    assert status == 400 and error["error"]["param"] == "api_version"
    status, error = junction.control("POST", "/_junction/applications/ca_missing", {"api_version": NEWEST})
    assert status == 404


def test_before_2020_08_27_a_customer_lists_its_subscriptions_and_before_2022_08_01_says_its_default_currency(
        junction, platform):
    app, client = platform
    price, customer, sub = paid_subscription(client)
    old = client.customers.retrieve(customer.id, options=at("2019-12-03"))
    assert [s.id for s in old.subscriptions.data] == [sub.id] and old.subscriptions.url.endswith("/subscriptions")
    assert old.sources.data == [] and old.tax_ids.data == [] and old.default_currency == "usd"
    pinned = client.customers.retrieve(customer.id, options=at("2020-08-27"))
    assert "subscriptions" not in pinned and "sources" not in pinned and pinned.default_currency == "usd"
    assert "default_currency" not in client.customers.retrieve(customer.id, options=at("2022-08-01"))
    client.subscriptions.cancel(sub.id)
    assert client.customers.retrieve(customer.id, options=at("2019-12-03")).subscriptions.data == []
