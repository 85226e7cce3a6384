"""`junction listen --forward-to URL` (E2): the events of a key's account and of its connected
accounts reach a local URL without a public one, signed with the secret the listener prints."""

import json
import re
import signal
import subprocess
import time

import pytest
import stripe

from conftest import BIN
from test_payments import activate, on
from test_webhook_delivery import delivery_of
from test_webhooks import Receiver, receiver  # noqa: F401  (the fixture)


class Listening:
    """A running `junction listen` and what it printed."""

    def __init__(self, junction, key, *args):
        self.process = subprocess.Popen(
            [BIN, "listen", "--api-key", key, "--api-base", junction.base, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = []
        first = self.process.stdout.readline()
        self.lines.append(first)
        match = re.search(r"Your webhook signing secret is (whsec_\w+)", first)
        assert match, first + self.process.stderr.read()
        self.secret = match.group(1)

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=15)
        self.lines += out.splitlines()
        return self.process.returncode, err


@pytest.fixture
def second_receiver():
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()  # refused at once, not left hanging


def test_e2_listen_forwards_own_and_connected_events_signed_with_the_printed_secret(
        junction, receiver, second_receiver):
    app = junction.application("platform")
    client = junction.client(app["secret_key"])
    connected = activate(client, client.accounts.create({"type": "express"}).id)
    listening = Listening(junction, app["secret_key"], "--forward-to", receiver.url,
                          "--forward-connect-to", second_receiver.url,
                          "--events", "customer.created,payment_intent.succeeded")
    try:
        own = client.customers.create({"name": "Own"})
        intent = client.payment_intents.create({"amount": 700, "currency": "usd", "payment_method": "pm_card_visa",
                                                "confirm": True}, options=on(connected))
        client.products.create({"name": "Not asked for"})
        [customer_event] = receiver.events(listening.secret)
        assert customer_event.type == "customer.created" and customer_event.data.object.id == own.id
        paid = second_receiver.events(listening.secret, types={"payment_intent.succeeded"})[0]
        assert paid.account == connected and paid.data.object.id == intent.id
        time.sleep(0.5)
        assert len(receiver.received) == 1 and len(second_receiver.received) == 1
        with pytest.raises(stripe.SignatureVerificationError):
            headers, body = receiver.received[0]
            stripe.Webhook.construct_event(body, headers["Stripe-Signature"], "whsec_other")
    finally:
        code, err = listening.stop()
    assert code == 0, err
    out = "\n".join(listening.lines)
    assert f"--> customer.created [{customer_event.id}]" in out
    assert f"--> connect payment_intent.succeeded [{paid.id}]" in out
    assert f"<--  [200] POST {receiver.url} [{customer_event.id}]" in out


def test_e2_listen_failures_are_retried_on_the_clock_and_the_session_ends_with_the_listener(junction, receiver):
    app = junction.application("platform")
    client = junction.client(app["secret_key"])
    receiver.statuses = [500]
    listening = Listening(junction, app["secret_key"], "--forward-to", receiver.url)
    try:
        client.customers.create({"name": "Retried"})
        event = client.events.list({"type": "customer.created"}).data[0].id
        first = delivery_of(junction, event, lambda d: d["attempts"] == 1)
        assert first["endpoint"].startswith("clis_") and first["last_status_code"] == 500
        assert first["status"] == "pending" and client.events.retrieve(event).pending_webhooks == 1
        junction.control("POST", "/_junction/clock/advance", {"seconds": 61})
        done = delivery_of(junction, event, lambda d: d["status"] == "succeeded")
        assert done["attempts"] == 2
        assert [e.id for e in receiver.events(listening.secret, count=2)] == [event, event]
    finally:
        code, err = listening.stop()
    assert code == 0, err
    # The session ended with the listener: later events queue nothing for it.
    client.customers.create({"name": "After"})
    later = client.events.list({"type": "customer.created"}).data[0].id
    _, deliveries = junction.control("GET", f"/_junction/webhook_deliveries?event={later}")
    assert deliveries["data"] == []
    assert client.events.retrieve(later).pending_webhooks == 0


def test_listen_refuses_a_bad_key_and_bad_urls(junction):
    bad = subprocess.run([BIN, "listen", "--api-key", "sk_test_nope", "--api-base", junction.base,
                          "--forward-to", "http://127.0.0.1:9/hook"], capture_output=True, text=True, timeout=30)
    assert bad.returncode != 0 and "Invalid API Key" in bad.stderr
    url = subprocess.run([BIN, "listen", "--api-key", "sk_test_x", "--forward-to", "localhost:4242"],
                         capture_output=True, text=True, timeout=30)
    assert url.returncode != 0 and "Invalid URL" in url.stderr


def test_a6_listen_sessions_belong_to_their_account(junction):
    mine = junction.application("platform")
    other = junction.application("platform")
    status, _, session = junction.raw("POST", "/v1/stripecli/sessions", b"enabled_events[]=charge.succeeded",
                                      {"Authorization": f"Bearer {mine['secret_key']}"})
    assert status == 200 and session["secret"].startswith("whsec_") and session["enabled_events"] == ["charge.succeeded"]
    status, _, answer = junction.raw("POST", f"/v1/stripecli/sessions/{session['id']}/poll", b"wait=0",
                                     {"Authorization": f"Bearer {other['secret_key']}"})
    assert status == 404 and answer["error"]["type"] == "invalid_request_error"
    status, _, answer = junction.raw("POST", "/v1/stripecli/sessions", b"enabled_events[]=charge.teleported",
                                     {"Authorization": f"Bearer {mine['secret_key']}"})
    assert status == 400 and answer["error"]["param"] == "enabled_events[0]"
    status, _, ended = junction.raw("DELETE", f"/v1/stripecli/sessions/{session['id']}", b"",
                                    {"Authorization": f"Bearer {mine['secret_key']}"})
    assert status == 200 and ended["deleted"] is True


def test_a_server_with_a_listener_polling_still_stops_at_once(receiver):
    import tempfile

    from conftest import _start
    server = _start("sqlite", tempfile.mkdtemp(prefix="junction-listen-stop-"))
    app = server.application("platform")
    listening = Listening(server, app["secret_key"], "--forward-to", receiver.url)
    try:
        time.sleep(0.5)  # the listener is inside a long poll now
        started = time.time()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=15) == 0
        assert time.time() - started < 5
    finally:
        if server.process.poll() is None:
            server.process.kill()
        listening.stop()


def test_print_secret_then_listen_with_the_same_secret(junction, receiver):
    """The Stripe CLI flow dj-stripe's `stripe_listen` uses: store the printed secret, then listen."""
    app = junction.application("platform")
    printed = subprocess.run([BIN, "listen", "--api-key", app["secret_key"], "--api-base", junction.base,
                              "--print-secret", "--device-name", "ci-box"], capture_output=True, text=True, timeout=30)
    assert printed.returncode == 0, printed.stderr
    secret = printed.stdout.strip()
    assert re.fullmatch(r"whsec_\w+", secret)
    listening = Listening(junction, app["secret_key"], "--forward-to", receiver.url, "--device-name", "ci-box")
    try:
        assert listening.secret == secret
        junction.client(app["secret_key"]).customers.create({"email": "stable@example.com"})
        [event] = receiver.events(secret, types={"customer.created"})
        assert event.data.object.email == "stable@example.com"
    finally:
        listening.stop()
    other_device = subprocess.run([BIN, "listen", "--api-key", app["secret_key"], "--api-base", junction.base,
                                   "--print-secret", "--device-name", "laptop"], capture_output=True, text=True,
                                  timeout=30)
    assert other_device.stdout.strip() != secret
    # No --forward-to and no --print-secret: nothing to do.
    nothing = subprocess.run([BIN, "listen", "--api-key", app["secret_key"]], capture_output=True, text=True,
                             timeout=30)
    assert nothing.returncode != 0 and "--forward-to" in nothing.stderr
