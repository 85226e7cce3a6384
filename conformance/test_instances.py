"""Two Junction instances on one PostgreSQL database: the single-platform policy still holds (P4)."""

import os
import tempfile
import threading

import pytest

from conftest import _start

pytestmark = pytest.mark.skipif(not os.environ.get("JUNCTION_TEST_POSTGRES_URL"),
                                reason="needs the PostgreSQL the test command starts")


def test_p4_race_across_two_instances_on_one_postgres():
    first = _start("postgres", tempfile.mkdtemp(prefix="junction-a-"))
    second = _start("postgres", tempfile.mkdtemp(prefix="junction-b-"))
    try:
        # Both instances share the database: what one writes, the other serves.
        user = first.user()
        account, _ = first.user_account(user)
        platforms = [first.application("platform") for _ in range(12)]
        results = []

        def attempt(server, app):
            results.append(server.authorize(app, user, account=account["id"], scope="read_write")[0])

        threads = [threading.Thread(target=attempt, args=((first, second)[i % 2], app)) for i, app in enumerate(platforms)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results) == [200] + [400] * 11
        status, listed = second.control("GET", f"/_junction/accounts/{account['id']}/authorized_applications")
        assert status == 200 and [e["kind"] for e in listed["data"]] == ["platform"]
    finally:
        for server in (first, second):
            server.process.terminate()
            server.process.wait(timeout=15)
