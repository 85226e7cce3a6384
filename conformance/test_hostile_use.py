"""Shared and hostile use (../shared/reviews/security.md): no tenant can crash or stall the server
for the others. Each test names the finding it checks."""

import urllib.error
import urllib.parse
import urllib.request

import pytest
import stripe

from conftest import query
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
        server.server_close()  # refused at once, not left hanging


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


def credentials_form(junction, path):
    """Posts the email and password form of `path` (/login, /signup) as a browser would, with the
    session and CSRF token its page gives: a function of (email, password) -> (status, page or url)."""
    import http.cookiejar
    import re

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post(email, password):
        page = opener.open(junction.base + path, timeout=10).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
        try:
            response = opener.open(urllib.request.Request(junction.base + path, data=body, method="POST"),
                                   timeout=10)
            return response.status, response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    return post


def test_m2_sign_in_attempts_are_limited_per_email(junction):
    user = junction.user()
    form = credentials_form(junction, "/login")
    log_in = lambda password: form(user["email"], password)  # noqa: E731

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


def test_l1_product_ids_a_client_chooses_belong_to_its_account(junction):
    first = junction.client(junction.application("platform")["secret_key"])
    second = junction.client(junction.application("platform")["secret_key"])
    first.products.create({"id": "gold-plan", "name": "Gold"})
    # Another tenant neither sees it nor is kept from using the same id.
    with pytest.raises(stripe.InvalidRequestError):
        second.products.retrieve("gold-plan")
    assert second.products.create({"id": "gold-plan", "name": "Also gold"}).name == "Also gold"
    assert first.products.retrieve("gold-plan").name == "Gold"
    with pytest.raises(stripe.InvalidRequestError) as again:
        first.products.create({"id": "gold-plan", "name": "Twice"})
    assert again.value.param == "id"


def test_l3_account_events_show_the_controllers_fields_to_the_controller_only(junction):
    app, user = junction.application("platform"), junction.user()
    token = junction.connect(app, user, create_account=True)
    account = token.stripe_user_id
    ext = junction.application("extension")
    junction.connect(ext, user, account)
    platform = junction.client(app["secret_key"])
    platform.accounts.update(account, {"business_profile": {"name": "Renamed"}})
    mine = platform.events.list({"type": "account.updated"}, options=on(account)).data[0]
    assert mine.data.object.controller.is_controller is True
    theirs = junction.client(ext["secret_key"]).events.retrieve(mine.id, options=on(account))
    assert "is_controller" not in theirs.data.object.controller
    assert "requirement_collection" not in theirs.data.object.controller
    assert "external_accounts" not in theirs.data.object
    assert theirs.data.object.business_profile.name == "Renamed"


def test_l4_debug_logs_carry_no_secrets(tmp_path):
    import os
    import signal

    from conftest import _start

    server = _start("sqlite", str(tmp_path), extra_args=("--log-level", "debug"))
    try:
        client = server.client(server.application("platform")["secret_key"])
        endpoint = client.webhook_endpoints.create({"url": "http://127.0.0.1:9/hook", "enabled_events": ["*"]})
        client.customers.create({"email": "someone-private@example.com"})
    finally:
        os.kill(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)
    logs = (tmp_path / "stdout.log").read_text() + (tmp_path / "stderr.log").read_text()
    assert "request" in logs.lower()  # debug logging did run
    for secret in [endpoint.secret, "someone-private@example.com", "$2b$"]:
        assert secret not in logs


def test_l5_a_request_head_sent_slowly_is_cut_off(tmp_path):
    import os
    import signal
    import socket
    import time

    from conftest import _start

    server = _start("sqlite", str(tmp_path), extra_args=("--idle-timeout", "2"))
    try:
        port = int(server.base.rsplit(":", 1)[1])
        dripping = socket.create_connection(("127.0.0.1", port))
        started, closed_after = time.time(), None
        for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
            try:
                dripping.send(bytes([byte]))
            except OSError:
                closed_after = time.time() - started
                break
            dripping.settimeout(0.2)
            try:
                if dripping.recv(16) == b"":
                    closed_after = time.time() - started
                    break
            except socket.timeout:
                pass
        assert closed_after is not None and closed_after < 5, closed_after
        # A connection that asks quickly is served, again and again.
        quick = socket.create_connection(("127.0.0.1", port))
        for _ in range(3):
            quick.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while not answer.endswith(b"}"):
                answer += quick.recv(4096)
            assert answer.startswith(b"HTTP/1.1 200")
            time.sleep(0.5)
    finally:
        os.kill(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)


def test_l5_pages_viewed_without_signing_in_keep_their_session_an_hour(junction):
    response = urllib.request.urlopen(junction.base + "/login", timeout=10)
    cookie = response.headers["Set-Cookie"]
    assert "Max-Age=3600" in cookie and "HttpOnly" in cookie


def test_l8_cursors_of_another_tenant_are_unknown(junction):
    first, second = junction.application("platform"), junction.application("platform")
    theirs = junction.client(first["secret_key"])
    theirs.customers.create({})
    event = theirs.events.list({"limit": 1}).data[0].id
    with pytest.raises(stripe.InvalidRequestError) as refused:
        junction.client(second["secret_key"]).events.list({"starting_after": event})
    assert refused.value.param == "starting_after"
    account = theirs.accounts.create({"type": "express"}).id
    with pytest.raises(stripe.InvalidRequestError):
        junction.client(second["secret_key"]).accounts.list({"starting_after": account})


def test_l8_an_idempotency_key_covers_the_query_string(junction, platform):
    app, client = platform
    headers = {"Authorization": f"Bearer {app['secret_key']}", "Idempotency-Key": "l8-query",
               "Content-Type": "application/x-www-form-urlencoded"}
    status, _, first = junction.raw("POST", "/v1/customers?email=a@example.com", b"", headers)
    assert status == 200 and first["email"] == "a@example.com"
    status, _, replay = junction.raw("POST", "/v1/customers?email=a@example.com", b"", headers)
    assert status == 200 and replay["id"] == first["id"]
    status, _, other = junction.raw("POST", "/v1/customers?email=b@example.com", b"", headers)
    assert status == 400 and other["error"]["type"] == "idempotency_error"


def test_l8_replaying_a_code_revokes_the_tokens_refreshed_from_it(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    status, answer = junction.authorize(app, user, account=account["id"], scope="read_write")
    code = query(answer["redirect_url"])["code"]
    oauth = junction.stripe(app["secret_key"]).oauth
    token = oauth.token({"grant_type": "authorization_code", "code": code})
    refreshed = oauth.token({"grant_type": "refresh_token", "refresh_token": token.refresh_token})
    assert junction.client(refreshed.access_token).customers.list().data == []
    with pytest.raises(stripe.oauth_error.InvalidGrantError):
        oauth.token({"grant_type": "authorization_code", "code": code})
    for key in [token.access_token, refreshed.access_token]:
        with pytest.raises(stripe.AuthenticationError):
            junction.client(key).customers.list()


def test_l8_behind_a_proxy_links_and_cookies_follow_the_public_url(tmp_path):
    import os
    import signal

    from conftest import _start

    server = _start("sqlite", str(tmp_path), extra_args=("--public-url", "https://junction.example.com"))
    try:
        client = server.client(server.application("platform")["secret_key"])
        account = client.accounts.create({"type": "express"}).id
        link = client.account_links.create({"account": account, "type": "account_onboarding",
                                            "refresh_url": "https://p.example/r", "return_url": "https://p.example/d"})
        assert link.url.startswith("https://junction.example.com/connect/onboarding/")
        request = urllib.request.Request(server.base + "/login", headers={"Host": "evil.example"})
        cookie = urllib.request.urlopen(request, timeout=10).headers["Set-Cookie"]
        assert "Secure" in cookie
    finally:
        os.kill(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)


def test_m2_sign_up_with_a_taken_email_counts_as_a_failed_sign_in(junction):
    user = junction.user()
    form = credentials_form(junction, "/signup")
    sign_up = lambda password: form(user["email"], password)  # noqa: E731

    for _ in range(10):
        status, page = sign_up("a guessed password")
        assert status == 400 and "already exists" in page
    status, page = sign_up("another guess")
    assert status == 429 and "Too many failed attempts" in page
