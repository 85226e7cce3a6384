"""Faults survived (issue 11): PostgreSQL restarted under load, a full disk under SQLite, SIGTERM
under load. Each drives the built binary with concurrent writers, then proves that every write
Junction acknowledged is there, that what failed said it could be retried, and that webhooks
went out once. RELIABILITY.md keeps the figures of the last run (printed as `FAULT …` lines)."""

import json
import urllib.parse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from conftest import DATABASES, _start
from test_webhooks import Receiver

ROOT = os.path.join(os.path.dirname(__file__), "..")


def post(base, key, path, fields, idempotency_key):
    """One raw POST: (status, headers, body) or (None, None, error) when no answer came."""
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(base + path, data=body, method="POST", headers={
        "Authorization": f"Bearer {key}", "Idempotency-Key": idempotency_key,
        "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())
    except (urllib.error.URLError, ConnectionError, socket.timeout) as error:
        return None, None, error


class Writers:
    """Threads that create customers, each with its own Idempotency-Key, retrying a key as the
    SDK would (503 with Stripe-Should-Retry: true, 409 in flight, no answer) until it is 200."""

    def __init__(self, server, key, threads=4, retry_for=45):
        self.server, self.key, self.retry_for = server, key, retry_for
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged = {}  # idempotency key -> customer id
        self.unfinished = []  # keys that never got a 200
        self.failures = []  # (status, Stripe-Should-Retry, message) of every answer other than 200
        self.no_answer = 0
        self.longest = 0.0  # seconds, the slowest answer
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(threads)]

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=self.retry_for + 90)

    def run(self):
        while not self.stop.is_set():
            key = str(uuid.uuid4())
            deadline = time.time() + self.retry_for
            while True:
                began = time.time()
                status, headers, body = post(self.server.base, self.key, "/v1/customers",
                                             {"email": f"{key}@example.com"}, key)
                with self.lock:
                    self.longest = max(self.longest, time.time() - began)
                if status == 200:
                    with self.lock:
                        self.acknowledged[key] = body["id"]
                    break
                with self.lock:
                    if status is None:
                        self.no_answer += 1
                    else:
                        self.failures.append((status, headers.get("Stripe-Should-Retry"),
                                              body.get("error", {}).get("message")))
                if time.time() > deadline or (status is not None and status not in (409, 503)):
                    with self.lock:
                        self.unfinished.append(key)
                    break
                time.sleep(0.2)


def all_customers(server, key):
    found, after = [], None
    while True:
        path = "/v1/customers?limit=100" + (f"&starting_after={after}" if after else "")
        request = urllib.request.Request(server.base + path, headers={"Authorization": f"Bearer {key}"})
        page = json.loads(urllib.request.urlopen(request, timeout=30).read())
        found += [c["id"] for c in page["data"]]
        if not page["has_more"]:
            return found
        after = found[-1]


def delivered_once(receiver, expected, timeout=60):
    """Waits until every customer in `expected` was announced by customer.created; returns the
    event ids delivered more than once."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        created = {json.loads(body)["data"]["object"]["id"] for _, body in list(receiver.received)
                   if json.loads(body)["type"] == "customer.created"}
        if expected <= created:
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"{len(expected - created)} customers never announced")
    time.sleep(2)  # anything sent twice would come now
    ids = [json.loads(body)["id"] for _, body in list(receiver.received)]
    return {i for i in ids if ids.count(i) > 1}


def stop(server):
    server.process.send_signal(signal.SIGTERM)
    return server.process.wait(timeout=60)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not shutil.which("su") or "postgres" not in DATABASES,
                    reason="needs PostgreSQL (JUNCTION_TEST_POSTGRES_URL)")
def test_fault_postgres_restarted_under_load():
    tmpdir = tempfile.mkdtemp(prefix="junction-pg-restart-")
    os.chmod(tmpdir, 0o755)
    pg = os.path.join(tmpdir, "pg")
    url = subprocess.check_output([f"{ROOT}/scripts/postgres", "start", pg, str(free_port())], text=True).strip()
    receiver = Receiver()
    server = _start(url, tmpdir)
    try:
        app = server.application("platform")
        server.client(app["secret_key"]).webhook_endpoints.create(
            {"url": receiver.url, "enabled_events": ["customer.created"]})
        writers = Writers(server, app["secret_key"]).start()
        time.sleep(2)
        restarted = time.time()
        subprocess.check_call([f"{ROOT}/scripts/postgres", "restart", pg])
        restart_seconds = time.time() - restarted
        time.sleep(3)
        writers.finish()

        assert writers.unfinished == [], (writers.failures[-5:], writers.no_answer, writers.longest)
        # Every request was answered, within the time Junction gives a request to wait on the
        # database (20 s) and to store its idempotent answer (8 s), far below an SDK's timeout.
        assert writers.no_answer == 0 and writers.longest < 35, (writers.no_answer, writers.longest)
        # What failed said so, and said it could be retried.
        for status, retry, message in writers.failures:
            assert (status == 503 and retry == "true") or status == 409, (status, retry, message)
        listed = all_customers(server, app["secret_key"])
        acknowledged = set(writers.acknowledged.values())
        assert acknowledged <= set(listed)  # nothing acknowledged is lost
        assert len(listed) == len(acknowledged)  # and nothing was done twice
        assert delivered_once(receiver, acknowledged) == set()
        print(f"\nFAULT postgres-restart: {len(acknowledged)} writes acknowledged, all found; "
              f"{len(writers.failures)} answered 503/409 and retried, {writers.no_answer} without answer, "
              f"slowest answer {writers.longest:.1f} s; "
              f"restart took {restart_seconds:.1f} s; {len(receiver.received)} webhooks, none twice")
        assert stop(server) == 0
    finally:
        if server.process.poll() is None:
            server.process.kill()
        receiver.server.shutdown()
        receiver.server.server_close()  # refused at once, not left hanging
        subprocess.call([f"{ROOT}/scripts/postgres", "stop", pg])


@pytest.mark.skipif(os.geteuid() != 0 and not os.environ.get("JUNCTION_REQUIRE_FAULTS"),
                    reason="mounting a small file system takes root")
def test_fault_full_disk_under_sqlite():
    tmpdir = tempfile.mkdtemp(prefix="junction-full-disk-")
    disk = os.path.join(tmpdir, "disk")
    os.mkdir(disk)
    if subprocess.call(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", disk]) != 0:
        pytest.skip("this machine does not let the test mount a file system")
    database = f"sqlite:{disk}/junction.sqlite"
    server = None
    try:
        server = _start(database, tmpdir)
        app = server.application("platform")
        key = app["secret_key"]
        acknowledged = {}
        for n in range(20):
            status, _, body = post(server.base, key, "/v1/customers", {"name": f"before {n}"}, str(uuid.uuid4()))
            assert status == 200
            acknowledged[body["id"]] = f"before {n}"
        # Fill what is left of the disk.
        with open(os.path.join(disk, "filler"), "wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        refused = None
        for n in range(2000):  # the WAL may still have room for a while
            status, headers, body = post(server.base, key, "/v1/customers", {"name": "x" * 2000 + str(n)},
                                         str(uuid.uuid4()))
            if status == 200:
                acknowledged[body["id"]] = "x" * 2000 + str(n)
                continue
            refused = (status, headers, body)
            break
        assert refused is not None, "the disk never filled"
        status, headers, body = refused
        assert status == 503 and headers["Stripe-Should-Retry"] == "true", refused
        assert "disk" in body["error"]["message"] and body["error"]["type"] == "api_error"
        # Reads go on while the disk is full.
        some = next(iter(acknowledged))
        request = urllib.request.Request(f"{server.base}/v1/customers/{some}",
                                         headers={"Authorization": f"Bearer {key}"})
        assert urllib.request.urlopen(request, timeout=10).status == 200
        # Space returns: work resumes without a restart.
        os.remove(os.path.join(disk, "filler"))
        status, _, body = post(server.base, key, "/v1/customers", {"name": "after"}, str(uuid.uuid4()))
        assert status == 200
        acknowledged[body["id"]] = "after"
        assert stop(server) == 0
        check = sqlite3.connect(f"{disk}/junction.sqlite")
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check.close()
        server = _start(database, tmpdir)
        listed = all_customers(server, key)
        assert set(acknowledged) <= set(listed)
        print(f"\nFAULT full-disk: {len(acknowledged)} writes acknowledged, all found after restart; "
              f"refused with 503 once full; integrity_check ok")
        assert stop(server) == 0
    finally:
        if server and server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=10)
        subprocess.call(["umount", disk])


@pytest.mark.parametrize("database", DATABASES)
def test_fault_sigterm_under_load(database):
    tmpdir = tempfile.mkdtemp(prefix=f"junction-sigterm-{database}-")
    receiver = Receiver()
    slow = threading.Event()
    original = receiver.server.RequestHandlerClass.do_POST

    def slow_post(handler):
        if slow.is_set():
            time.sleep(1.5)  # deliveries are under way when SIGTERM comes
        original(handler)

    receiver.server.RequestHandlerClass.do_POST = slow_post
    server = _start(database, tmpdir)
    try:
        app = server.application("platform")
        server.client(app["secret_key"]).webhook_endpoints.create(
            {"url": receiver.url, "enabled_events": ["customer.created"]})
        slow.set()
        writers = Writers(server, app["secret_key"], retry_for=0).start()
        time.sleep(2)
        assert stop(server) == 0  # in-flight requests and deliveries finished, then it exited
        writers.finish()
        # Every answer that came was a success: nothing was cut half-way.
        assert writers.failures == [], writers.failures[:5]
        slow.clear()
        server = _start(database, tmpdir)
        listed = set(all_customers(server, app["secret_key"]))
        acknowledged = set(writers.acknowledged.values())
        assert acknowledged <= listed
        assert delivered_once(receiver, listed) == set()
        print(f"\nFAULT sigterm-{database}: {len(acknowledged)} writes acknowledged before and during "
              f"SIGTERM, all found; {len(receiver.received)} webhooks, none twice")
        assert stop(server) == 0
    finally:
        if server.process.poll() is None:
            server.process.kill()
        receiver.server.shutdown()
        receiver.server.server_close()  # refused at once, not left hanging
