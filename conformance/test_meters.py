"""Billing meters, meter events and metered prices: usage recorded per customer, added up by the
meter's formula, billed in arrears on the invoice that starts the next period (as Stripe bills
usage since basil, where a metered price names its meter)."""

import pytest
import stripe

from test_payments import oauth_connected, on
from test_subscriptions import pass_period_end, until


def clock(junction):
    _, now = junction.control("POST", "/_junction/clock/advance", {"seconds": 0})
    return now["now"]


def meter(client, account, name, formula="sum"):
    return client.billing.meters.create({"display_name": name.title(), "event_name": name,
                                         "default_aggregation": {"formula": formula}}, options=on(account))


def test_meters_and_their_events_are_checked_and_summarised(junction):
    app, client, account = oauth_connected(junction)
    api = meter(client, account, "api_calls")
    assert api.id.startswith("mtr_") and api.status == "active" and api.object == "billing.meter"
    assert api.customer_mapping.event_payload_key == "stripe_customer_id" and api.value_settings.event_payload_key == "value"
    with pytest.raises(stripe.InvalidRequestError) as taken:
        meter(client, account, "api_calls")
    assert taken.value.param == "event_name"
    renamed = client.billing.meters.update(api.id, {"display_name": "API calls"}, options=on(account))
    assert renamed.display_name == "API calls"
    assert [m.id for m in client.billing.meters.list(options=on(account)).data] == [api.id]

    customer = client.customers.create({}, options=on(account))
    other = client.customers.create({}, options=on(account))
    start = clock(junction)
    record = lambda payload, **extra: client.billing.meter_events.create(  # noqa: E731
        {"event_name": "api_calls", "payload": payload, **extra}, options=on(account))
    event = record({"stripe_customer_id": customer.id, "value": "5"}, identifier="call-1")
    assert event.object == "billing.meter_event" and event.identifier == "call-1" and event.timestamp == start
    record({"stripe_customer_id": customer.id, "value": "7"})
    record({"stripe_customer_id": other.id, "value": "100"})
    record({"stripe_customer_id": customer.id, "value": "1"}, timestamp=start - 7200)  # before the window

    def refused(payload, **extra):
        with pytest.raises(stripe.InvalidRequestError) as raised:
            record(payload, **extra)
        return raised.value.param

    assert refused({"stripe_customer_id": customer.id, "value": "5"}, identifier="call-1") == "identifier"
    assert refused({"value": "5"}) == "payload[stripe_customer_id]"
    assert refused({"stripe_customer_id": "cus_nobody", "value": "5"}) == "payload[stripe_customer_id]"
    assert refused({"stripe_customer_id": customer.id, "value": "many"}) == "payload[value]"
    assert refused({"stripe_customer_id": customer.id, "value": "5"}, timestamp=start - 40 * 86400) == "timestamp"
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.billing.meter_events.create({"event_name": "nothing_here", "payload": {"stripe_customer_id": customer.id}},
                                           options=on(account))
    assert unknown.value.param == "event_name"

    hour = start - start % 3600
    summary = client.billing.meters.event_summaries.list(
        api.id, {"customer": customer.id, "start_time": hour, "end_time": hour + 7200}, options=on(account)).data
    assert [(s.aggregated_value, s.start_time, s.end_time) for s in summary] == [(12, hour, hour + 7200)]
    windows = client.billing.meters.event_summaries.list(
        api.id, {"customer": customer.id, "start_time": hour - 7200, "end_time": hour + 3600,
                 "value_grouping_window": "hour"}, options=on(account)).data
    assert [s.aggregated_value for s in windows] == [12, 0, 1]  # newest first

    counted = meter(client, account, "logins", formula="count")
    last = meter(client, account, "seats_seen", formula="last")
    for value in ["3", "9", "4"]:
        client.billing.meter_events.create({"event_name": "logins", "payload": {"stripe_customer_id": customer.id}},
                                           options=on(account))
        client.billing.meter_events.create({"event_name": "seats_seen",
                                            "payload": {"stripe_customer_id": customer.id, "value": value}},
                                           options=on(account))
    window = {"customer": customer.id, "start_time": hour, "end_time": hour + 7200}
    assert client.billing.meters.event_summaries.list(counted.id, window, options=on(account)).data[0].aggregated_value == 3
    assert client.billing.meters.event_summaries.list(last.id, window, options=on(account)).data[0].aggregated_value == 4

    off = client.billing.meters.deactivate(api.id, options=on(account))
    assert off.status == "inactive" and off.status_transitions.deactivated_at
    assert refused({"stripe_customer_id": customer.id, "value": "5"}) == "event_name"
    assert client.billing.meters.reactivate(api.id, options=on(account)).status == "active"
    types = [e.type for e in client.events.list({"type": "billing.meter.*"}, options=on(account)).data]
    assert types[:2] == ["billing.meter.reactivated", "billing.meter.deactivated"]


def test_metered_prices_bill_the_usage_of_the_period_just_ended(junction):
    app, client, account = oauth_connected(junction)
    calls = meter(client, account, "requests")
    with pytest.raises(stripe.InvalidRequestError) as unmetered:
        client.prices.create({"currency": "usd", "unit_amount": 3, "product_data": {"name": "Requests"},
                              "recurring": {"interval": "day", "usage_type": "metered"}}, options=on(account))
    assert unmetered.value.param == "recurring[meter]"
    with pytest.raises(stripe.InvalidRequestError) as licensed:
        client.prices.create({"currency": "usd", "unit_amount": 3, "product_data": {"name": "Requests"},
                              "recurring": {"interval": "day", "meter": calls.id}}, options=on(account))
    assert licensed.value.param == "recurring[meter]"
    usage = client.prices.create({"currency": "usd", "unit_amount": 3, "product_data": {"name": "Requests"},
                                  "recurring": {"interval": "day", "usage_type": "metered", "meter": calls.id}},
                                 options=on(account))
    assert usage.recurring.usage_type == "metered" and usage.recurring.meter == calls.id
    base = client.prices.create({"currency": "usd", "unit_amount": 500, "product": usage.product,
                                 "recurring": {"interval": "day"}}, options=on(account))
    customer = client.customers.create({}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as quantity:
        client.subscriptions.create({"customer": customer.id, "items": [{"price": usage.id, "quantity": 2}]},
                                    options=on(account))
    assert quantity.value.param == "items[0][quantity]"
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": base.id}, {"price": usage.id}],
                                       "default_payment_method": "pm_card_visa", "expand": ["latest_invoice"]},
                                      options=on(account))
    first = sub.latest_invoice
    assert sub.status == "active" and first.amount_due == 500  # usage is billed when the period ends
    assert [(line.quantity, line.amount) for line in first.lines.data] == [(1, 500), (0, 0)]
    metered_item = [i for i in sub["items"].data if i.price.id == usage.id][0]
    assert metered_item.quantity is None
    for value in ["40", "2"]:
        client.billing.meter_events.create({"event_name": "requests",
                                            "payload": {"stripe_customer_id": customer.id, "value": value}},
                                           options=on(account))
    pass_period_end(junction, sub)
    renewed = until(lambda: client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=on(account)),
                    lambda s: s.latest_invoice.id != first.id)
    invoice = renewed.latest_invoice
    assert invoice.status == "paid" and invoice.amount_paid == 500 + 42 * 3
    lines = {line.pricing.price_details.price: line for line in invoice.lines.data}
    assert lines[usage.id].quantity == 42 and lines[usage.id].amount == 126
    ended = sub["items"].data[0]
    assert (lines[usage.id].period.start, lines[usage.id].period.end) == (ended.current_period_start,
                                                                           ended.current_period_end)
    assert lines[base.id].period.start == ended.current_period_end
