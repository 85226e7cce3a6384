"""Webhook endpoints and signed deliveries (E1, E2), verified with the official SDK's
`stripe.Webhook.construct_event`, against a real receiver on 127.0.0.1."""

import http.server
import json
import threading
import time

import pytest
import stripe

from test_payments import oauth_connected, on


class Receiver:
    """A loopback webhook receiver that answers with the statuses it is given, then 200."""

    def __init__(self):
        self.received = []
        self.statuses = []
        self.answered = []  # (event id, status answered)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                receiver.answered.append((json.loads(body)["id"], status))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"

    def events(self, secret, timeout=15, count=1, types=None):
        """Waits for `count` events (of `types`), each checked by construct_event."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            verified = [stripe.Webhook.construct_event(body, headers["Stripe-Signature"], secret)
                        for headers, body in list(self.received)]
            if types:
                verified = [e for e in verified if e.type in types]
            if len(verified) >= count:
                return verified
            time.sleep(0.05)
        raise AssertionError(f"expected {count} events, received {len(self.received)}")


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()  # refused at once, not left hanging


def test_e2_connect_endpoints_receive_connected_accounts_events_signed(junction, receiver):
    app, user = junction.application("platform"), junction.user()
    client = junction.client(app["secret_key"])
    endpoint = client.webhook_endpoints.create({"url": receiver.url, "enabled_events": ["*"], "connect": True})
    assert endpoint.secret.startswith("whsec_") and endpoint.status == "enabled"
    assert getattr(client.webhook_endpoints.retrieve(endpoint.id), "secret", None) is None  # shown once
    account, _ = junction.user_account(user)
    junction.connect(app, user, account["id"])
    authorized = receiver.events(endpoint.secret, types={"account.application.authorized"})[0]
    assert authorized.account == account["id"] and authorized.data.object.id == app["id"]
    intent = client.payment_intents.create({"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa",
                                            "confirm": True}, options=on(account["id"]))
    succeeded = receiver.events(endpoint.secret, types={"payment_intent.succeeded"})[0]
    assert succeeded.account == account["id"] and succeeded.data.object.id == intent.id
    assert succeeded.request.id.startswith("req_") and succeeded.request.idempotency_key
    with pytest.raises(stripe.SignatureVerificationError):
        headers, body = receiver.received[0]
        stripe.Webhook.construct_event(body, headers["Stripe-Signature"], "whsec_wrong")


def test_e2_account_endpoints_get_their_own_events_filtered(junction, receiver):
    app, client, account = oauth_connected(junction)
    own = junction.client(app["secret_key"])
    endpoint = own.webhook_endpoints.create({"url": receiver.url, "enabled_events": ["customer.created"]})
    own.customers.create({"name": "Mine"})
    own.products.create({"name": "Not subscribed to"})
    client.customers.create({"name": "On the connected account"}, options=on(account))
    got = receiver.events(endpoint.secret)
    time.sleep(0.5)
    assert [e.type for e in receiver.events(endpoint.secret)] == ["customer.created"]
    assert got[0].data.object.name == "Mine" and getattr(got[0], "account", None) is None


def test_e2_failed_deliveries_retry_with_back_off_on_the_clock(junction, receiver):
    app = junction.application("platform")
    client = junction.client(app["secret_key"])
    receiver.statuses = [500]
    endpoint = client.webhook_endpoints.create({"url": receiver.url, "enabled_events": ["customer.created"]})
    customer = client.customers.create({"name": "Retry me"})
    deadline = time.time() + 10
    while time.time() < deadline and not receiver.received:
        time.sleep(0.05)
    event = client.events.list({"type": "customer.created"}).data[0]
    deadline = time.time() + 10
    while time.time() < deadline:
        status, deliveries = junction.control("GET", f"/_junction/webhook_deliveries?event={event.id}")
        if deliveries["data"] and deliveries["data"][0]["attempts"] == 1:
            break
        time.sleep(0.05)
    delivery = deliveries["data"][0]
    assert delivery["status"] == "pending" and delivery["last_status_code"] == 500 and delivery["next_attempt_at"]
    assert client.events.retrieve(event.id).pending_webhooks == 1
    # Nothing is retried before the back-off has passed on Junction's clock; then it is.
    time.sleep(0.5)
    assert len(receiver.received) == 1
    junction.control("POST", "/_junction/clock/advance", {"seconds": 61})
    retried = receiver.events(endpoint.secret, count=2)
    assert [e.id for e in retried] == [event.id, event.id] and retried[1].data.object.id == customer.id
    deadline = time.time() + 10
    while time.time() < deadline:
        status, deliveries = junction.control("GET", f"/_junction/webhook_deliveries?event={event.id}")
        if deliveries["data"][0]["status"] == "succeeded":
            break
        time.sleep(0.05)
    assert deliveries["data"][0]["status"] == "succeeded" and deliveries["data"][0]["attempts"] == 2
    assert client.events.retrieve(event.id).pending_webhooks == 0


def test_webhook_endpoint_crud_and_validation(junction):
    client = junction.client(junction.application("platform")["secret_key"])
    endpoint = client.webhook_endpoints.create({"url": "https://example.com/hook", "enabled_events": ["charge.succeeded"],
                                                "description": "prod"})
    updated = client.webhook_endpoints.update(endpoint.id, {"enabled_events": ["*"], "disabled": True})
    assert updated.enabled_events == ["*"] and updated.status == "disabled"
    assert [e.id for e in client.webhook_endpoints.list().data] == [endpoint.id]
    assert client.webhook_endpoints.delete(endpoint.id).deleted is True
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.webhook_endpoints.create({"url": "https://example.com/hook", "enabled_events": ["charge.teleported"]})
    assert raised.value.param == "enabled_events[0]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.webhook_endpoints.create({"url": "ftp://example.com", "enabled_events": ["*"]})
    assert raised.value.param == "url"


def test_e1_account_updated_and_capability_updated_reach_the_platform(junction, receiver):
    app = junction.application("platform")
    client = junction.client(app["secret_key"])
    endpoint = client.webhook_endpoints.create({"url": receiver.url, "connect": True,
                                                "enabled_events": ["account.updated", "capability.updated"]})
    account = client.accounts.create({"type": "custom", "country": "US",
                                      "capabilities": {"transfers": {"requested": True}}})
    client.accounts.update(account.id, {"business_profile": {"name": "Renamed Co"}})
    client.accounts.capabilities.update(account.id, "card_payments", {"requested": True})
    # Two account.updated: the rename, and the capabilities map when card_payments was requested.
    updates = receiver.events(endpoint.secret, types={"account.updated"}, count=2)
    renamed = next(e for e in updates if "business_profile" in e.data.previous_attributes)
    assert renamed.account == account.id and renamed.data.object.business_profile.name == "Renamed Co"
    assert renamed.data.previous_attributes.business_profile.name is None
    assert any("capabilities" in e.data.previous_attributes for e in updates)
    capability = receiver.events(endpoint.secret, types={"capability.updated"})[0]
    assert capability.data.object.id == "card_payments" and capability.data.object.requested is True
    assert capability.data.previous_attributes.requested is False
    listed = client.events.list({"type": "account.updated"}, options={"stripe_account": account.id}).data
    assert sorted(e.id for e in listed) == sorted(e.id for e in updates)
    assert {e.account for e in listed} == {account.id}


def test_e1_p12_deauthorization_delivers_deauthorized_and_account_updated(junction, receiver):
    platform, extension, user = junction.application("platform"), junction.application("extension"), junction.user()
    platform_hooks = junction.client(platform["secret_key"]).webhook_endpoints.create(
        {"url": receiver.url, "connect": True, "enabled_events": ["account.application.deauthorized"]})
    extension_receiver = Receiver()
    try:
        extension_hooks = junction.client(extension["secret_key"]).webhook_endpoints.create(
            {"url": extension_receiver.url, "connect": True, "enabled_events": ["account.updated"]})
        account = junction.connect(platform, user, create_account=True).stripe_user_id
        junction.connect(extension, user, account, scope="read_only")
        junction.stripe(platform["secret_key"], client_id=platform["id"]).oauth.deauthorize({"stripe_user_id": account})
        # The platform learns it lost the account (P12); the extension still connected to it
        # sees the account become direct: its controller changed in the same transaction (E1).
        gone = receiver.events(platform_hooks.secret)[0]
        assert gone.type == "account.application.deauthorized" and gone.account == account
        assert gone.data.object.id == platform["id"]
        updated = extension_receiver.events(extension_hooks.secret, types={"account.updated"})[0]
        assert updated.account == account and updated.data.object.controller.type == "account"
        assert updated.data.previous_attributes.controller.type == "application"
        time.sleep(0.3)
        assert len(receiver.received) == 1
    finally:
        extension_receiver.server.shutdown()
        extension_receiver.server.server_close()  # refused at once, not left hanging
