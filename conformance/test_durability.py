"""Durability: an acknowledged write survives `kill -9`, and idempotency keys survive restarts."""

import os
import signal
import tempfile
import uuid

import pytest

from conftest import DATABASES, _start


@pytest.mark.parametrize("database", DATABASES)
def test_acknowledged_writes_and_idempotency_keys_survive_kill_9(database):
    tmpdir = tempfile.mkdtemp(prefix=f"junction-kill-{database}-")
    server = _start(database, tmpdir)
    try:
        app = server.application("platform")
        client = server.client(app["secret_key"])
        key = str(uuid.uuid4())
        account = client.accounts.create({"metadata": {"kept": "yes"}}, options={"idempotency_key": key})
        updated = client.accounts.update(account.id, {"metadata": {"second": "write"}})
        assert updated.metadata["second"] == "write"
    finally:
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)

    # The same database (and, for SQLite, the same file) after a hard kill.
    restarted = _start(database, tmpdir)
    try:
        client = restarted.client(app["secret_key"])
        again = client.accounts.retrieve(account.id)
        assert again.metadata.to_dict() == {"kept": "yes", "second": "write"}
        replay = client.accounts.create({"metadata": {"kept": "yes"}}, options={"idempotency_key": key})
        assert replay.id == account.id
        assert replay.last_response.headers.get("Idempotent-Replayed") == "true"
    finally:
        restarted.process.terminate()
        restarted.process.wait(timeout=15)


def test_sigterm_stops_gracefully():
    tmpdir = tempfile.mkdtemp(prefix="junction-term-")
    server = _start("sqlite", tmpdir)
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=15) == 0
