"""A person's path in a real Chromium (Debian's chromium and chromium-driver, via Selenium):
sign up, open the authorize URL the SDK builds, pick or create an account, allow, land on the
redirect URI with a code, exchange it; revoke from the authorized-applications page, including
the refusal for a controlling platform."""

import http.server
import os
import shutil
import threading
import time
import uuid

import pytest

from test_payments import activate

from conftest import query

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

if not (CHROMIUM and DRIVER):
    if os.environ.get("JUNCTION_REQUIRE_BROWSER"):
        raise RuntimeError("chromium and chromium-driver are required (apt-get install chromium chromium-driver)")
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def receiver():
    """The platform's redirect URI: a loopback server that records what it receives."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!doctype html><title>Platform</title><h1>Back at the platform</h1>")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/callback", received
    server.shutdown()
    server.server_close()  # refused at once, not left hanging


def fresh(browser, junction):
    """A browser with no Junction session."""
    browser.get(junction.base + "/login")
    browser.delete_all_cookies()


def wait_for(browser, condition, timeout=15):
    return WebDriverWait(browser, timeout).until(condition)


def log_in(browser, junction, email, password):
    fresh(browser, junction)
    browser.get(junction.base + "/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    wait_for(browser, expected_conditions.title_contains("Your accounts"))


def test_sign_up_authorize_create_account_and_exchange_the_code(browser, junction, receiver):
    callback, received = receiver
    app = junction.application("platform", name="Rocket Rides", redirect_uris=[callback])
    url = junction.stripe(app["secret_key"], client_id=app["id"]).oauth.authorize_url(
        {"scope": "read_write", "state": "state-42", "redirect_uri": callback})
    fresh(browser, junction)
    browser.get(url)
    # Not signed in: the log-in page, with a way to create a login that comes back here.
    wait_for(browser, expected_conditions.title_contains("Log in"))
    browser.find_element(By.LINK_TEXT, "Create one").click()
    wait_for(browser, expected_conditions.title_contains("Create your login"))
    browser.find_element(By.ID, "email").send_keys(f"person-{uuid.uuid4().hex[:8]}@example.com")
    browser.find_element(By.ID, "password").send_keys("a long password")
    browser.find_element(By.CSS_SELECTOR, "form[action='/signup'] button[type=submit]").click()
    # Back on the authorize page: the application's name and kind, the scope in plain words.
    wait_for(browser, expected_conditions.title_contains("Connect with Rocket Rides"))
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "platform" in page and "Read and write" in page and "never see card numbers" in page
    # A new login has no accounts: "Create a new account" is the choice.
    new = browser.find_element(By.CSS_SELECTOR, "input[name=account][value=new]")
    assert new.is_selected()
    browser.find_element(By.CSS_SELECTOR, "button[name=decision][value=allow]").click()
    wait_for(browser, lambda b: b.current_url.startswith(callback))
    params = query(browser.current_url)
    assert params["state"] == "state-42" and params["scope"] == "read_write"
    token = junction.stripe(app["secret_key"]).oauth.token({"grant_type": "authorization_code", "code": params["code"]})
    account = junction.client(app["secret_key"]).accounts.retrieve(token.stripe_user_id)
    assert account.controller.type == "application" and account.controller.is_controller is True


def test_pick_an_existing_account_hides_unavailable_ones_and_deny(browser, junction, receiver):
    callback, _ = receiver
    user = junction.user()
    free, _ = junction.user_account(user, business_name="Free Shop")
    taken, _ = junction.user_account(user, business_name="Taken Shop")
    junction.connect(junction.application("platform"), user, taken["id"])
    app = junction.application("platform", name="Second Platform", redirect_uris=[callback])
    log_in(browser, junction, user["email"], "a long password")
    url = junction.stripe(app["secret_key"], client_id=app["id"]).oauth.authorize_url(
        {"scope": "read_write", "state": "s", "redirect_uri": callback})
    browser.get(url)
    wait_for(browser, expected_conditions.title_contains("Connect with Second Platform"))
    offered = [e.get_attribute("value") for e in browser.find_elements(By.CSS_SELECTOR, "input[name=account]")]
    assert free["id"] in offered and taken["id"] not in offered and "new" in offered
    browser.find_element(By.CSS_SELECTOR, "button[name=decision][value=deny]").click()
    wait_for(browser, lambda b: b.current_url.startswith(callback))
    assert query(browser.current_url) == {"error": "access_denied", "error_description": "The user denied your request",
                                          "state": "s"}
    browser.get(url)
    wait_for(browser, expected_conditions.title_contains("Connect with Second Platform"))
    browser.find_element(By.CSS_SELECTOR, f"input[name=account][value='{free['id']}']").click()
    browser.find_element(By.CSS_SELECTOR, "button[name=decision][value=allow]").click()
    wait_for(browser, lambda b: b.current_url.startswith(callback))
    token = junction.stripe(app["secret_key"]).oauth.token(
        {"grant_type": "authorization_code", "code": query(browser.current_url)["code"]})
    assert token.stripe_user_id == free["id"]


def test_revoke_from_the_authorized_applications_page(browser, junction):
    user = junction.user()
    account, _ = junction.user_account(user, business_name="Corner Shop")
    insights = junction.application("extension", name="Insights Extension")
    helper = junction.application("platform", name="Helper Platform")
    junction.connect(insights, user, account["id"])
    junction.connect(helper, user, account["id"])
    log_in(browser, junction, user["email"], "a long password")
    browser.find_element(By.LINK_TEXT, "Open").click()
    browser.find_element(By.LINK_TEXT, "Authorized applications").click()
    wait_for(browser, expected_conditions.title_contains("Authorized applications"))
    rows = {r.get_attribute("data-application"): r.text for r in browser.find_elements(By.CSS_SELECTOR, "tr[data-application]")}
    assert "Extension" in rows[insights["id"]] and "Read only" in rows[insights["id"]]
    assert "Platform" in rows[helper["id"]] and "Read and write" in rows[helper["id"]]
    browser.find_element(By.CSS_SELECTOR, f"tr[data-application='{insights['id']}'] button").click()
    wait_for(browser, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[role=status]")))
    assert "Insights Extension" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    remaining = [r.get_attribute("data-application") for r in browser.find_elements(By.CSS_SELECTOR, "tr[data-application]")]
    assert remaining == [helper["id"]]
    status, listed = junction.control("GET", f"/_junction/accounts/{account['id']}/authorized_applications")
    assert [e["application"]["id"] for e in listed["data"]] == [helper["id"]]


def test_the_controlling_platform_shows_the_reason_instead_of_a_revoke_button(browser, junction):
    user = junction.user()
    controller = junction.application("platform", name="Controlling Platform")
    token = junction.connect(controller, user, create_account=True)
    log_in(browser, junction, user["email"], "a long password")
    browser.get(f"{junction.base}/dashboard/accounts/{token.stripe_user_id}/applications")
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-application='{controller['id']}']")
    assert row.find_elements(By.TAG_NAME, "button") == []
    assert "cannot be revoked" in row.text and "On" in row.text


def test_express_login_link_opens_the_reduced_dashboard_once(browser, junction, platform):
    app, client = platform
    account = client.accounts.create({"type": "express", "business_profile": {"name": "Express Courier"}})
    activate(client, account.id)
    client.accounts.update(account.id, {"business_profile": {"name": "Express Courier"}})
    # What it received from the platform shows on its dashboard (issue 12, point 7).
    client.payment_intents.create({"amount": 3000, "currency": "usd", "payment_method": "pm_card_bypassPending",
                                   "confirm": True})
    transfer = client.transfers.create({"amount": 1200, "currency": "usd", "destination": account.id})
    link = client.accounts.login_links.create(account.id)
    fresh(browser, junction)
    browser.get(link.url)
    wait_for(browser, expected_conditions.title_contains("Express Courier"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Express dashboard" in main and "12.00 USD available" in main
    received = browser.find_element(By.CSS_SELECTOR, f"tr[data-payment='{transfer.destination_payment}']").text
    assert "12.00 USD" in received and transfer.id in received
    fresh(browser, junction)
    browser.get(link.url)
    assert "expired" in browser.find_element(By.TAG_NAME, "h1").text.lower()


def test_forms_without_the_csrf_token_are_refused(junction):
    import urllib.error
    import urllib.request
    request = urllib.request.Request(junction.base + "/login", data=b"email=a%40b.c&password=x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 403


def test_a7_platform_owner_sees_a_restricted_read_only_view_of_a_connected_account(browser, junction):
    owner = junction.user()
    status, app = junction.control("POST", "/_junction/applications", {
        "name": "Viewing Platform", "kind": "platform", "redirect_uris": ["http://127.0.0.1:9/cb"], "owner": owner["id"]})
    assert status == 200
    client = junction.client(app["secret_key"])
    # Custom: the platform collects its requirements, its bank account included.
    connected = client.accounts.create({"type": "custom", "country": "US",
                                        "business_profile": {"name": "Bike Shop"},
                                        "capabilities": {"card_payments": {"requested": True},
                                                         "transfers": {"requested": True}}}).id
    activate(client, connected)
    client.accounts.update(connected, {"business_profile": {"name": "Bike Shop"}})
    options = {"stripe_account": connected}
    customer = client.customers.create({"name": "Rider", "email": "rider@example.com"}, options=options)
    method = client.payment_methods.create(
        {"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}}, options=options)
    intent = client.payment_intents.create({"amount": 2599, "currency": "usd", "customer": customer.id,
                                            "payment_method": method.id, "confirm": True}, options=options)
    refund = client.refunds.create({"payment_intent": intent.id, "amount": 599}, options=options)
    # The platform sends it money, and it is paid out (issue 12, point 7).
    client.payment_intents.create({"amount": 5000, "currency": "usd", "payment_method": "pm_card_bypassPending",
                                   "confirm": True})
    transfer = client.transfers.create({"amount": 1500, "currency": "usd", "destination": connected,
                                        "transfer_group": "ORDER_9"})
    client.accounts.update(connected, {"settings": {"payouts": {"schedule": {"interval": "manual"}}}})
    client.accounts.external_accounts.create(connected, {"external_account": "btok_us_verified"})
    payout = client.payouts.create({"amount": 800, "currency": "usd"}, options=options)  # 1500 less the refund
    stranger = junction.client(junction.application("platform")["secret_key"]).accounts.create({"type": "express"}).id

    log_in(browser, junction, owner["email"], "a long password")
    browser.get(f"{junction.base}/dashboard/accounts/{app['account']}")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Accounts connected to Viewing Platform").click()
    wait_for(browser, expected_conditions.title_contains("Accounts connected"))
    browser.find_element(By.CSS_SELECTOR, f"a[href$='/connected/{connected}']").click()
    wait_for(browser, expected_conditions.title_contains("Bike Shop"))
    page = browser.find_element(By.TAG_NAME, "main").text
    charge_row = browser.find_element(By.CSS_SELECTOR, f"tr[data-charge='{intent.latest_charge}']").text
    assert "25.99 USD" in charge_row and "Visa •••• 4242" in charge_row and "5.99 USD" in charge_row
    assert "5.99 USD" in browser.find_element(By.CSS_SELECTOR, f"tr[data-refund='{refund.id}']").text
    assert "rider@example.com" in browser.find_element(By.CSS_SELECTOR, f"tr[data-customer='{customer.id}']").text
    transfer_row = browser.find_element(By.CSS_SELECTOR, f"tr[data-transfer='{transfer.id}']").text
    assert "15.00 USD" in transfer_row and "ORDER_9" in transfer_row
    payout_row = browser.find_element(By.CSS_SELECTOR, f"tr[data-payout='{payout.id}']").text
    assert "8.00 USD" in payout_row and "pending" in payout_row
    source = browser.page_source
    assert "4242424242424242" not in source and "000123456789" not in source
    assert "payout schedule" not in page.lower()  # settings are not shown
    assert browser.find_elements(By.TAG_NAME, "form") == [browser.find_element(By.CSS_SELECTOR, "form[action='/logout']")]
    # Nothing of accounts not connected to the platform.
    browser.get(f"{junction.base}/dashboard/accounts/{app['account']}/connected/{stranger}")
    assert "Not found" in browser.find_element(By.TAG_NAME, "h1").text


def test_e2_the_webhooks_page_shows_each_delivery_attempt(browser, junction):
    from test_webhooks import Receiver
    from test_webhook_delivery import delivery_of

    hooks = Receiver()
    hooks.statuses = [500]
    try:
        owner = junction.user()
        status, app = junction.control("POST", "/_junction/applications", {
            "name": "Hooked Platform", "kind": "platform", "redirect_uris": ["http://127.0.0.1:9/cb"],
            "owner": owner["id"]})
        assert status == 200
        client = junction.client(app["secret_key"])
        endpoint = client.webhook_endpoints.create({"url": hooks.url, "enabled_events": ["customer.created"]})
        client.customers.create({"name": "Watched"})
        event = client.events.list({"type": "customer.created"}).data[0].id
        delivery_of(junction, event, lambda d: d["attempts"] == 1)

        log_in(browser, junction, owner["email"], "a long password")
        browser.get(f"{junction.base}/dashboard/accounts/{app['account']}")
        browser.find_element(By.LINK_TEXT, "Webhooks").click()
        wait_for(browser, expected_conditions.title_contains("Webhooks"))
        assert hooks.url in browser.find_element(By.CSS_SELECTOR, f"tr[data-endpoint='{endpoint.id}']").text
        row = browser.find_element(By.CSS_SELECTOR, f"tr[data-event='{event}']").text
        assert "customer.created" in row and "Pending" in row and "HTTP 500" in row and "UTC" in row

        junction.control("POST", "/_junction/clock/advance", {"seconds": 61})
        delivery_of(junction, event, lambda d: d["status"] == "succeeded")
        browser.refresh()
        row = browser.find_element(By.CSS_SELECTOR, f"tr[data-event='{event}']").text
        assert "Succeeded" in row and "HTTP 200" in row and "2" in row and "UTC" in row
    finally:
        hooks.server.shutdown()
        hooks.server.server_close()  # refused at once, not left hanging


def test_marketplace_end_to_end(browser, junction):
    """Issue 12, done-when: a platform onboards an Express company through an account link in
    Chromium (business details, representative, bank account), charges a customer with a
    destination charge and an application fee, refunds part with reverse_transfer, and the
    account is paid out automatically as the clock passes; every balance is checked."""
    from conftest import own_server

    # A server of its own: the clock moves six days, which must not move the shared server's.
    with own_server(junction.database) as server:
        marketplace(browser, server, server.client(server.application("platform")["secret_key"]))


def marketplace(browser, junction, client):
    from test_payments import balance, fee, on

    def total(account=None):
        return sum(a + p for a, p in balance(client, account).values())

    account = client.accounts.create({"type": "express", "country": "US", "business_type": "company",
                                      "capabilities": {"card_payments": {"requested": True},
                                                       "transfers": {"requested": True}}}).id
    link = client.account_links.create({"account": account, "type": "account_onboarding",
                                        "refresh_url": f"{junction.base}/healthz?refresh",
                                        "return_url": f"{junction.base}/healthz?return"})
    fresh(browser, junction)
    browser.get(link.url)
    wait_for(browser, expected_conditions.presence_of_element_located((By.ID, "routing_number")))
    browser.find_element(By.ID, "business_name").send_keys("Sunny Rentals")
    browser.find_element(By.ID, "email").send_keys("owner@sunny.example")
    browser.find_element(By.ID, "representative_first_name").send_keys("Ada")
    browser.find_element(By.ID, "representative_last_name").send_keys("Lovelace")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, lambda b: "return" in b.current_url)

    onboarded = client.accounts.retrieve(account)
    assert onboarded.charges_enabled and onboarded.payouts_enabled and onboarded.requirements.currently_due == []
    assert onboarded.business_profile.name == "Sunny Rentals"
    [bank] = onboarded.external_accounts.data
    assert bank.last4 == "6789" and bank.default_for_currency is True
    [representative] = client.accounts.persons.list(account, {"relationship": {"representative": True}}).data
    assert (representative.first_name, representative.last_name) == ("Ada", "Lovelace")

    platform_before = total()
    intent = client.payment_intents.create({
        "amount": 10000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
        "application_fee_amount": 1000, "transfer_data": {"destination": account}})
    charge = client.charges.retrieve(intent.latest_charge)
    assert total() - platform_before == 10000 - fee(10000) - 10000 + 1000
    assert balance(client, account)["usd"] == (0, 9000)
    client.refunds.create({"charge": charge.id, "amount": 2500, "reverse_transfer": True})
    assert total(account) == 6500 and total() - platform_before == 680 - 2500 + 2500
    # Across both: the charge less its processing fee and the refund.
    assert (total() - platform_before) + total(account) == 10000 - fee(10000) - 2500

    # The default schedule (daily, 2 days' delay): once the payment is available, the next
    # run pays it all out; then it arrives.
    for _ in range(6):
        junction.control("POST", "/_junction/clock/advance", {"seconds": 86400})
        time.sleep(0.5)
    deadline = time.time() + 15
    while time.time() < deadline:
        payouts = client.payouts.list(options=on(account)).data
        if payouts and all(p.status == "paid" for p in payouts):
            break
        time.sleep(0.2)
    assert [(p.amount, p.automatic, p.status) for p in payouts] == [(6500, True, "paid")]
    assert balance(client, account)["usd"] == (0, 0)
