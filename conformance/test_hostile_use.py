"""Shared and hostile use (../shared/reviews/security.md): no tenant can crash or stall the server
for the others. Each test names the finding it checks."""

import urllib.error
import urllib.parse
import urllib.request

import pytest
import stripe

from test_payments import oauth_connected, on
from test_subscriptions import daily_price, pass_period_end, until
from test_webhooks import receiver  # noqa: F401  (the fixture)


def alive(junction):
    status, _, _ = junction.raw("GET", "/healthz")
    return status == 200


def test_h1_amounts_past_what_stripe_charges_are_refused_and_fee_math_never_traps(junction):
    app, client, account = oauth_connected(junction)
    top = client.prices.create({"currency": "usd", "unit_amount": 99999999, "recurring": {"interval": "month"},
                                "product_data": {"name": "Everything"}}, options=on(account))
    customer = client.customers.create({}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.subscriptions.create({"customer": customer.id, "items": [{"price": top.id, "quantity": 1000000}],
                                     "default_payment_method": "pm_card_visa", "application_fee_percent": 1},
                                    options=on(account))
    assert refused.value.code == "amount_too_large" and refused.value.param == "items"
    # The largest subscription that can be paid, refunded with its application fee.
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": top.id}],
                                       "default_payment_method": "pm_card_visa", "application_fee_percent": 33.3},
                                      options=on(account))
    invoice = client.invoices.retrieve(sub.latest_invoice, options=on(account))
    intent = client.payment_intents.retrieve(invoice.payments.data[0].payment.payment_intent, options=on(account))
    refund = client.refunds.create({"charge": intent.latest_charge, "refund_application_fee": True},
                                   options=on(account))
    assert refund.amount == 99999999 and alive(junction)
    with pytest.raises(stripe.InvalidRequestError) as growing:
        client.subscriptions.update(sub.id, {"items": [{"id": sub["items"].data[0].id, "quantity": 2}]},
                                    options=on(account))
    assert growing.value.code == "amount_too_large"


def test_h1_usage_beyond_one_payment_makes_the_renewal_fail_not_the_server(junction):
    app, client, account = oauth_connected(junction)
    meter = client.billing.meters.create({"display_name": "Huge", "event_name": "huge_usage",
                                          "default_aggregation": {"formula": "sum"}}, options=on(account))
    price = client.prices.create({"currency": "usd", "unit_amount": 99999999, "product_data": {"name": "Usage"},
                                  "recurring": {"interval": "day", "usage_type": "metered", "meter": meter.id}},
                                 options=on(account))
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa"}, options=on(account))
    for _ in range(3):
        client.billing.meter_events.create({"event_name": "huge_usage",
                                            "payload": {"stripe_customer_id": customer.id, "value": "1000000000000"}},
                                           options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as too_big:
        client.billing.meter_events.create({"event_name": "huge_usage",
                                            "payload": {"stripe_customer_id": customer.id, "value": "1e30"}},
                                           options=on(account))
    assert too_big.value.param == "payload[value]"
    pass_period_end(junction, sub)
    overdue = until(lambda: client.subscriptions.retrieve(sub.id, {"expand": ["latest_invoice"]}, options=on(account)),
                    lambda s: s.latest_invoice.id != sub.latest_invoice)
    assert overdue.status == "past_due" and overdue.latest_invoice.status == "open" and alive(junction)


def test_m1_a_default_payment_method_that_is_not_the_customers_is_refused_where_it_is_set(junction):
    app, client, account = oauth_connected(junction)
    price = daily_price(client, account)
    customer = client.customers.create({}, options=on(account))
    sub = client.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}],
                                       "default_payment_method": "pm_card_visa"}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.subscriptions.update(sub.id, {"default_payment_method": "pm_does_not_exist"}, options=on(account))
    assert missing.value.param == "default_payment_method"
    other = client.customers.create({}, options=on(account))
    theirs = client.payment_methods.attach("pm_card_mastercard", {"customer": other.id}, options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as foreign:
        client.subscriptions.update(sub.id, {"default_payment_method": theirs.id}, options=on(account))
    assert foreign.value.param == "default_payment_method"
    with pytest.raises(stripe.InvalidRequestError) as customer_default:
        client.customers.update(customer.id, {"invoice_settings": {"default_payment_method": "pm_nope"}},
                                options=on(account))
    assert customer_default.value.param == "invoice_settings[default_payment_method]"
    aliased = client.customers.update(customer.id, {"invoice_settings": {"default_payment_method": "pm_card_visa"}},
                                      options=on(account))
    assert aliased.invoice_settings.default_payment_method.startswith("pm_")
    # Renewals go on for everyone.
    pass_period_end(junction, sub)
    renewed = until(lambda: client.subscriptions.retrieve(sub.id, options=on(account)),
                    lambda s: s.latest_invoice != sub.latest_invoice)
    assert renewed.status == "active"


def test_l2_an_application_fee_never_exceeds_the_payment(junction):
    app, client, account = oauth_connected(junction)
    intent = client.payment_intents.create({"amount": 10000, "currency": "usd", "application_fee_amount": 9000},
                                           options=on(account))
    with pytest.raises(stripe.InvalidRequestError) as lowered:
        client.payment_intents.update(intent.id, {"amount": 100}, options=on(account))
    assert lowered.value.param == "amount"
    both = client.payment_intents.update(intent.id, {"amount": 100, "application_fee_amount": 50}, options=on(account))
    assert both.amount == 100 and both.application_fee_amount == 50
    paid = client.payment_intents.confirm(intent.id, {"payment_method": "pm_card_visa"}, options=on(account))
    assert paid.status == "succeeded"


def test_l7_the_clock_cannot_be_moved_past_what_it_can_count(junction):
    status, answer = junction.control("POST", "/_junction/clock/advance", {"seconds": 9223372036000000000})
    assert status == 400 and answer["error"]["param"] == "seconds"
    status, answer = junction.control("POST", "/_junction/clock/advance", {"seconds": 101 * 366 * 86400})
    assert status == 400 and "100 years" in answer["error"]["message"]
    status, answer = junction.control("POST", "/_junction/clock/advance", {"seconds": 0})
    assert status == 200 and alive(junction)


def test_h2_pages_refuse_a_form_of_thousands_of_fields_before_any_other_work(junction):
    body = "&".join(["a[]="] * 10000).encode()
    page = urllib.request.Request(junction.base + "/login", data=body, method="POST",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(page, timeout=10)
    assert refused.value.code == 400 and b"Too many parameters" in refused.value.read()
    status, _, error = junction.raw("POST", "/oauth/token", body,
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and "Too many parameters" in str(error)
    assert alive(junction)


def test_l3_government_and_tax_ids_are_never_read_back(junction, platform):
    app, client = platform
    person = client.accounts.create({"type": "custom", "country": "US", "business_type": "individual",
                                     "individual": {"first_name": "Ada", "id_number": "000000000",
                                                    "ssn_last_4": "0000"},
                                     "capabilities": {"card_payments": {"requested": True},
                                                      "transfers": {"requested": True}}})
    assert "id_number" not in person.individual and person.individual.id_number_provided is True
    assert "ssn_last_4" not in person.individual and person.individual.ssn_last_4_provided is True
    assert person.individual.id_number_secondary_provided is False
    company = client.accounts.create({"type": "custom", "country": "US", "business_type": "company",
                                      "company": {"name": "Acme", "tax_id": "000000000"},
                                      "capabilities": {"card_payments": {"requested": True},
                                                       "transfers": {"requested": True}}})
    assert "tax_id" not in company.company and company.company.tax_id_provided is True
    updated = client.accounts.update(company.id, {"company": {"phone": "+15555550100"}})
    assert updated.company.tax_id_provided is True and "tax_id" not in updated.company
    for event in client.events.list({"type": "account.updated"}).data:
        assert "tax_id" not in str(event.data.object.get("company") or {})


def test_m5_webhook_deliveries_do_not_follow_redirects(junction, platform, receiver):
    """A 3xx is a failed attempt, as on Stripe: the delivery never reaches where it points."""
    import http.server
    import threading

    from test_webhook_delivery import delivery_of

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(302)
            self.send_header("Location", receiver.url)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        app, client = platform
        client.webhook_endpoints.create({"url": f"http://127.0.0.1:{server.server_address[1]}/hook",
                                         "enabled_events": ["customer.created"]})
        client.customers.create({"name": "Redirected"})
        event = client.events.list({"type": "customer.created"}).data[0].id
        attempt = delivery_of(junction, event, lambda d: d["attempts"] == 1)
        assert attempt["last_status_code"] == 302 and attempt["status"] == "pending"
        assert receiver.received == []
    finally:
        server.shutdown()


def test_m3_an_application_loses_the_webhook_endpoints_it_planted_when_its_access_ends(junction, receiver):
    app, user = junction.application("platform"), junction.user()
    account, account_key = junction.user_account(user)
    token = junction.connect(app, user, account["id"])
    client = junction.stripe(app["secret_key"], client_id=app["id"])
    planted = junction.client(app["secret_key"]).webhook_endpoints.create(
        {"url": receiver.url, "enabled_events": ["*"]}, options={"stripe_account": token.stripe_user_id})
    assert planted.application == app["id"]
    own = junction.client(account_key).webhook_endpoints.create({"url": receiver.url, "enabled_events": ["*"]})
    assert own.application is None
    client.oauth.deauthorize({"stripe_user_id": token.stripe_user_id})
    owner = junction.client(account_key)
    assert owner.webhook_endpoints.retrieve(planted.id).status == "disabled"
    assert owner.webhook_endpoints.retrieve(own.id).status == "enabled"
    receiver.received.clear()
    owner.customers.create({"email": "private@example.com"})
    customer_event = owner.events.list({"type": "customer.created"}).data[0].id
    _, deliveries = junction.control("GET", f"/_junction/webhook_deliveries?event={customer_event}")
    assert [d["endpoint"] for d in deliveries["data"]] == [own.id]


def test_m2_sign_in_attempts_are_limited_per_email(junction):
    import http.cookiejar
    import re

    user = junction.user()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def log_in(password):
        page = opener.open(junction.base + "/login", timeout=10).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "email": user["email"], "password": password}).encode()
        try:
            response = opener.open(urllib.request.Request(junction.base + "/login", data=body, method="POST"),
                                   timeout=10)
            return response.status, response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    for _ in range(10):
        status, _ = log_in("not the password")
        assert status == 400
    status, page = log_in("a long password")  # right, but too late
    assert status == 429 and "Too many failed attempts" in page


def test_l8_account_link_urls_must_be_absolute_http_urls(junction, platform):
    app, client = platform
    account = client.accounts.create({"type": "express"}).id
    for bad in ["javascript:alert(1)", "/relative", "https://", "https://ok.example/\tpath"]:
        with pytest.raises(stripe.InvalidRequestError) as refused:
            client.account_links.create({"account": account, "type": "account_onboarding",
                                         "refresh_url": "https://p.example/refresh", "return_url": bad})
        assert refused.value.param == "return_url", bad
    link = client.account_links.create({"account": account, "type": "account_onboarding",
                                        "refresh_url": "http://127.0.0.1:9/refresh", "return_url": "https://p.example/r"})
    page = urllib.request.urlopen(link.url, timeout=10)
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_m5_a_shared_junction_can_refuse_webhook_endpoints_on_internal_addresses(tmp_path):
    import os
    import signal

    from conftest import _start

    server = _start("sqlite", str(tmp_path), extra_args=("--webhook-destinations", "public"))
    try:
        client = server.client(server.application("platform")["secret_key"])
        for url in ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/hook",
                    "http://169.254.169.254/latest", "http://[::1]:9/hook", "http://192.168.0.1/"]:
            with pytest.raises(stripe.InvalidRequestError) as refused:
                client.webhook_endpoints.create({"url": url, "enabled_events": ["*"]})
            assert refused.value.code == "url_invalid", url
        endpoint = client.webhook_endpoints.create({"url": "https://93.184.215.14/hook", "enabled_events": ["*"]})
        with pytest.raises(stripe.InvalidRequestError):
            client.webhook_endpoints.update(endpoint.id, {"url": "http://127.0.0.1/elsewhere"})
    finally:
        os.kill(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)
