"""Delivery survives restarts and shared databases (E2): no delivery is lost or sent twice."""

import collections
import os
import signal
import tempfile
import threading
import time

import pytest

from conftest import DATABASES, _start, own_server
from test_webhooks import receiver  # noqa: F401  (the fixture)


def delivery_of(server, event, until, timeout=15):
    """The delivery of `event` once `until(delivery)` holds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, answer = server.control("GET", f"/_junction/webhook_deliveries?event={event}")
        assert status == 200, answer
        if answer["data"] and until(answer["data"][0]):
            return answer["data"][0]
        time.sleep(0.05)
    raise AssertionError(f"delivery of {event} never reached the state wanted: {answer}")


def stop(server, sig=signal.SIGTERM):
    os.kill(server.process.pid, sig)
    server.process.wait(timeout=15)


@pytest.mark.parametrize("database", DATABASES)
def test_e2_kill_9_in_the_middle_of_a_retry_schedule_loses_and_doubles_nothing(database, receiver):
    tmpdir = tempfile.mkdtemp(prefix=f"junction-retry-{database}-")
    server = _start(database, tmpdir)
    receiver.statuses = [500, 503]
    try:
        app = server.application("platform")
        client = server.client(app["secret_key"])
        endpoint = client.webhook_endpoints.create({"url": receiver.url, "enabled_events": ["customer.created"]})
        client.customers.create({"name": "Across a restart"})
        event = client.events.list({"type": "customer.created"}).data[0].id
        delivery_of(server, event, lambda d: d["attempts"] == 1)
        server.control("POST", "/_junction/clock/advance", {"seconds": 61})
        second = delivery_of(server, event, lambda d: d["attempts"] == 2)
        assert second["status"] == "pending" and second["last_status_code"] == 503
    finally:
        stop(server, signal.SIGKILL)

    restarted = _start(database, tmpdir)
    try:
        # The moved clock and the schedule both outlived the kill: not due yet, then due.
        _, now = restarted.control("POST", "/_junction/clock/advance", {"seconds": 0})
        assert second["updated"] <= now["now"] < second["next_attempt_at"]
        time.sleep(0.5)
        assert len(receiver.received) == 2
        restarted.control("POST", "/_junction/clock/advance", {"seconds": second["next_attempt_at"] - now["now"]})
        done = delivery_of(restarted, event, lambda d: d["status"] == "succeeded")
        assert done["attempts"] == 3 and done["last_status_code"] == 200
        verified = receiver.events(endpoint.secret, count=3)
        time.sleep(0.5)
        assert [e.id for e in verified] == [event] * 3 and len(receiver.received) == 3
        assert [status for _, status in receiver.answered] == [500, 503, 200]
        assert restarted.client(app["secret_key"]).events.retrieve(event).pending_webhooks == 0
    finally:
        stop(restarted)


@pytest.mark.skipif(not os.environ.get("JUNCTION_TEST_POSTGRES_URL"),
                    reason="needs the PostgreSQL the test command starts")
def test_e2_two_instances_on_one_postgres_send_each_delivery_once(receiver):
    first = _start("postgres", tempfile.mkdtemp(prefix="junction-deliver-a-"))
    second = _start("postgres", tempfile.mkdtemp(prefix="junction-deliver-b-"))
    try:
        app = first.application("platform")
        clients = [first.client(app["secret_key"]), second.client(app["secret_key"])]
        endpoint = clients[0].webhook_endpoints.create({"url": receiver.url, "enabled_events": ["customer.created"]})
        receiver.statuses = [500] * 10  # the first ten attempts fail and are retried
        threads = [threading.Thread(target=lambda i=i: clients[i % 2].customers.create({"name": f"c{i}"}))
                   for i in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        events = [e.id for e in clients[1].events.list({"type": "customer.created", "limit": 100}).data]
        assert len(events) == 40
        deadline = time.time() + 30
        while time.time() < deadline and len(receiver.answered) < 40:
            time.sleep(0.05)
        # One instance moves the clock; the other reads it from the database.
        first.control("POST", "/_junction/clock/advance", {"seconds": 61})
        for event in events:
            delivery_of(second, event, lambda d: d["status"] == "succeeded", timeout=30)
        time.sleep(0.5)
        answered = collections.Counter(receiver.answered)
        assert sorted(answered.values()) == [1] * 50, answered.most_common(3)
        assert sorted(e for e, status in answered if status == 200) == sorted(events)
        assert len(receiver.answered) == 50
        receiver.events(endpoint.secret, count=50)
    finally:
        for server in (first, second):
            stop(server)


def test_a_slow_endpoint_does_not_hold_back_anyone_elses_deliveries(junction, receiver):
    """Shared use: one tenant's endpoint that never answers (until the attempt times out) must not
    delay the deliveries to other tenants."""
    import http.server
    import socket

    release = threading.Event()

    class Hanging(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            release.wait(15)  # answers only when the test ends

        def log_message(self, *args):
            pass

    hanging = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hanging)
    hanging.daemon_threads = True
    threading.Thread(target=hanging.serve_forever, daemon=True).start()
    try:
        slow_app, fast_app = junction.application("platform"), junction.application("platform")
        slow, fast = junction.client(slow_app["secret_key"]), junction.client(fast_app["secret_key"])
        slow.webhook_endpoints.create({"url": f"http://127.0.0.1:{hanging.server_address[1]}/hook",
                                       "enabled_events": ["customer.created"]})
        endpoint = fast.webhook_endpoints.create({"url": receiver.url, "enabled_events": ["customer.created"]})
        for n in range(5):
            slow.customers.create({"email": f"slow{n}@example.com"})
        time.sleep(0.3)  # the slow attempts are under way
        started = time.time()
        fast.customers.create({"email": "fast@example.com"})
        receiver.events(endpoint.secret, types={"customer.created"}, timeout=5)
        assert time.time() - started < 3, "a delivery waited for another tenant's slow endpoint"
    finally:
        release.set()
        hanging.shutdown()


@pytest.mark.parametrize("database", DATABASES)
def test_m5_endpoints_gone_dark_take_only_their_share_of_the_delivery_worker(database, receiver):
    """Issue 11, no tenant waits on another: the retries to endpoints that stopped answering, more
    than the worker attempts at once and all due together (the clock moved by an hour), hold at
    most their share of it, at most 8 per endpoint; a new event to an endpoint that answers goes
    out at once. (On a server of its own: the hanging attempts are not other tests' business.)"""
    import http.server

    lock, hang, release = threading.Lock(), threading.Event(), threading.Event()
    arrived = collections.Counter()

    class Dark(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                arrived[self.path] += 1
            if hang.is_set():
                release.wait(20)
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args):
            pass

    def total():
        with lock:
            return sum(arrived.values())

    def wait_for(count, timeout=30):
        deadline = time.time() + timeout
        while total() < count and time.time() < deadline:
            time.sleep(0.05)
        return total()

    dark = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Dark)
    dark.daemon_threads = True
    threading.Thread(target=dark.serve_forever, daemon=True).start()
    try:
        with own_server(database) as server:
            for tenant in range(10):
                client = server.client(server.application("platform")["secret_key"])
                client.webhook_endpoints.create({"url": f"http://127.0.0.1:{dark.server_address[1]}/t{tenant}",
                                                 "enabled_events": ["customer.created"]})
                for n in range(20 if tenant == 0 else 8):
                    client.customers.create({"email": f"t{tenant}.{n}@example.com"})
            assert wait_for(92) == 92  # every first attempt failed with a 500
            with lock:
                arrived.clear()
            hang.set()
            server.control("POST", "/_junction/clock/advance", {"seconds": 3600})  # all 92 retries due
            wait_for(48)
            time.sleep(1)  # the worker has taken all it will
            with lock:
                under_way = dict(arrived)
            assert sum(under_way.values()) == 48, under_way  # the failing lane's share of 64
            assert max(under_way.values()) == 8, under_way  # tenant 0's 20 retries: 8 at a time
            client = server.client(server.application("platform")["secret_key"])
            endpoint = client.webhook_endpoints.create({"url": receiver.url, "enabled_events": ["customer.created"]})
            started = time.time()
            client.customers.create({"email": "answers@example.com"})
            receiver.events(endpoint.secret, types={"customer.created"}, timeout=8)
            assert time.time() - started < 3, "a delivery waited for endpoints gone dark"
    finally:
        release.set()
        dark.shutdown()
        dark.server_close()
