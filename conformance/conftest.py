"""Conformance suite: the official stripe SDK (16.1.0) against the built `junction` binary.

Each database (SQLite, and PostgreSQL when the test command started one) gets its own server,
started on a free loopback port. Tests create their own platforms and users, so they never
depend on each other's data.
"""

import collections
import contextlib
import glob
import json
import os
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
import stripe

stripe.enable_telemetry = False

# Every successful answer a stripe-python parses in this session (this suite's SDK, the SDK
# matrix's subprocesses, dj-stripe's), with the version it was rendered at, and every webhook
# payload the SDK matrix receives: at the end each is checked for the shape of its version.
import recording  # noqa: E402

os.environ.setdefault("JUNCTION_RECORD", os.path.join(tempfile.mkdtemp(prefix="junction-record-"), "answers.jsonl"))
recording.install()


def pytest_sessionfinish(session, exitstatus):
    """Fails the run when an answer misses a field its version's shape has (shapes.py)."""
    import shapes

    recorded = recording.read(os.environ["JUNCTION_RECORD"])
    if not recorded:
        return
    known = shapes.Shapes(shapes.sdk_pythons())
    gaps = collections.Counter()
    unchecked = collections.Counter()
    for version, body in recorded:
        try:
            answer = json.loads(body)
        except ValueError:
            continue
        if known.shape(version) is None:
            unchecked[version] += 1
            continue
        for _, object_type, field in known.missing(answer, version):
            gaps[(version, object_type, field)] += 1
    print(f"\nShapes: {len(recorded)} answers checked against their version's shape"
          + (f"; no source for {dict(unchecked)}" if unchecked else ""))
    if gaps or (unchecked and os.environ.get("JUNCTION_REQUIRE_SDKS")):
        lines = "\n".join(f"  {v} {t}.{f} (missing in {n} answers)" for (v, t, f), n in sorted(gaps.items()))
        print(f"Answers miss fields of the version they were rendered at:\n{lines}")
        session.exitstatus = 1


BIN = os.environ.get("JUNCTION_BIN", os.path.join(os.path.dirname(__file__), "..", ".build", "debug", "junction"))
DATABASES = ["sqlite"] + (["postgres"] if os.environ.get("JUNCTION_TEST_POSTGRES_URL") else [])


class Junction:
    """A running server and helpers to drive it as a user would."""

    def __init__(self, base, admin_token, process, database):
        self.base = base
        self.admin_token = admin_token
        self.process = process
        self.database = database

    def control(self, method, path, body=None):
        """Calls the /_junction control API; returns (status, json)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.admin_token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def raw(self, method, path, body=b"", headers=None):
        """A raw HTTP request (for what the SDK would never send); returns (status, headers, json)."""
        request = urllib.request.Request(self.base + path, data=body if method != "GET" else None, method=method,
                                         headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read())

    def application(self, kind="platform", name=None, redirect_uris=None, api_version=None):
        status, body = self.control("POST", "/_junction/applications", {
            "name": name or f"{kind.title()} {uuid.uuid4().hex[:6]}",
            "kind": kind,
            "redirect_uris": redirect_uris or ["http://127.0.0.1:9/callback"],
            **({"api_version": api_version} if api_version else {}),
        })
        assert status == 200, body
        return body

    def stripe(self, key, client_id=None):
        """A whole StripeClient (with `.oauth`) for `key`."""
        return stripe.StripeClient(
            key,
            client_id=client_id,
            base_addresses={"api": self.base, "connect": self.base, "files": self.base},
            max_network_retries=0,
        )

    def user(self):
        status, body = self.control("POST", "/_junction/users",
                                    {"email": f"user-{uuid.uuid4().hex[:12]}@example.com", "password": "a long password"})
        assert status == 200, body
        return body

    def user_account(self, user, **fields):
        """A direct account the user opened: (account dict, its secret key)."""
        status, body = self.control("POST", f"/_junction/users/{user['id']}/accounts", fields)
        assert status == 200, body
        return body["account"], body["secret_key"]

    def authorize(self, app, user, **fields):
        """The authorize page's decision, headless: (status, body)."""
        return self.control("POST", "/_junction/oauth/authorize", {"client_id": app["id"], "user": user["id"], **fields})

    def connect(self, app, user, account=None, scope=None, **fields):
        """Authorize and exchange the code through the SDK: the OAuth token object."""
        scope = scope or ("read_write" if app["kind"] == "platform" else None)
        body = {"scope": scope, **fields}
        if account:
            body["account"] = account
        status, answer = self.authorize(app, user, **body)
        assert status == 200, answer
        return self.stripe(app["secret_key"]).oauth.token(
            {"grant_type": "authorization_code", "code": query(answer["redirect_url"])["code"]})

    def client(self, key):
        """The SDK's v1 API namespace for `key`."""
        return stripe.StripeClient(
            key,
            base_addresses={"api": self.base, "connect": self.base, "files": self.base},
            max_network_retries=0,
        ).v1


def query(url):
    """The query parameters of a URL as a dict of single values."""
    from urllib.parse import parse_qs, urlparse
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def _start(database, tmpdir, extra_args=()):
    if "://" in database or database.startswith("sqlite:"):
        db = database  # a database of the test's own
    elif database == "sqlite":
        db = f"sqlite:{tmpdir}/junction.sqlite"
    else:
        db = os.environ["JUNCTION_TEST_POSTGRES_URL"]
    token = "conformance-" + uuid.uuid4().hex
    out = open(os.path.join(tmpdir, "stdout.log"), "w+")
    err = open(os.path.join(tmpdir, "stderr.log"), "w")
    process = subprocess.Popen(
        [BIN, "serve", "--port", "0", "--database", db, "--admin-token", token, "--log-level", "warning", *extra_args],
        stdout=out, stderr=err)
    deadline = time.time() + 60
    while time.time() < deadline:
        out.seek(0)
        for line in out.read().splitlines():
            if line.startswith("junction listening on "):
                return Junction(line.split()[-1], token, process, database)
        if process.poll() is not None:
            raise RuntimeError(f"junction exited: {open(os.path.join(tmpdir, 'stderr.log')).read()}")
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("junction did not print its ready line within 60 s")


@contextlib.contextmanager
def own_server(kind, extra_args=()):
    """A Junction of the test's own on a fresh database of `kind` ("sqlite" or "postgres": a new
    database on the test cluster), for tests that move the clock far or must not share their
    queues: nothing they do reaches the shared server's other tests, nor the reverse."""
    tmpdir = tempfile.mkdtemp(prefix=f"junction-own-{kind}-")
    if kind == "sqlite":
        database = f"sqlite:{tmpdir}/junction.sqlite"
    else:
        shared = urllib.parse.urlparse(os.environ["JUNCTION_TEST_POSTGRES_URL"])
        name = "own_" + uuid.uuid4().hex[:16]
        pg_bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        subprocess.check_call([f"{pg_bin}/createdb", "-h", shared.hostname, "-p", str(shared.port),
                               "-U", shared.username or "junction", name])
        database = shared._replace(path="/" + name).geturl()
    server = _start(database, tmpdir, extra_args)
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()


@pytest.fixture(scope="session", params=DATABASES)
def junction(request):
    tmpdir = tempfile.mkdtemp(prefix=f"junction-{request.param}-")
    server = _start(request.param, tmpdir)
    yield server
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture
def platform(junction):
    """A new platform application: its record (with secret_key) and an SDK client for it."""
    app = junction.application("platform")
    return app, junction.client(app["secret_key"])
