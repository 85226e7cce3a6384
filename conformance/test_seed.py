"""`junction serve --seed FILE`: creates applications, users and accounts; running twice creates
nothing new."""

import os
import tempfile
import urllib.parse

from conftest import _start

SEED = """
applications:
  - name: Seeded Platform
    kind: platform
    redirect_uris: ["http://127.0.0.1:9/callback"]
    secret_key: sk_test_seeded_platform_conformance_01
users:
  - email: seeded@example.com
    password: seeded-password-1
    accounts:
      - business_name: Seeded Shop
        country: GB
"""


def test_seed_is_idempotent_across_restarts():
    tmpdir = tempfile.mkdtemp(prefix="junction-seed-")
    seed = os.path.join(tmpdir, "seed.yaml")
    with open(seed, "w") as f:
        f.write(SEED)
    seen = []
    for _ in range(2):
        server = _start("sqlite", tmpdir, extra_args=("--seed", seed))
        try:
            own = server.client("sk_test_seeded_platform_conformance_01").accounts.retrieve_current()
            assert own.business_profile.name == "Seeded Platform"
            printed = open(os.path.join(tmpdir, "stdout.log")).read()
            assert "seed: platform Seeded Platform ca_" in printed and "authorize URL:" in printed
            client_id = printed.split("Seeded Platform ")[1].split()[0]
            status, users = server.control("GET", "/_junction/users?email=" + urllib.parse.quote("seeded@example.com"))
            assert status == 200 and len(users["data"]) == 1
            user_id = users["data"][0]["id"]
            status, offered = server.control("GET", f"/_junction/oauth/accounts?client_id={client_id}&user={user_id}")
            assert status == 200 and [a["business_profile"]["name"] for a in offered["data"]] == ["Seeded Shop"]
            seen.append((own.id, client_id, user_id, [a["id"] for a in offered["data"]]))
        finally:
            server.process.terminate()
            server.process.wait(timeout=15)
    assert seen[0] == seen[1]


def test_a_broken_seed_file_stops_the_start_with_its_reason():
    import subprocess
    from conftest import BIN
    tmpdir = tempfile.mkdtemp(prefix="junction-badseed-")
    seed = os.path.join(tmpdir, "seed.yaml")
    with open(seed, "w") as f:
        f.write("applications:\n  - name: X\n    kind: spaceship\n")
    result = subprocess.run([BIN, "serve", "--port", "0", "--database", "sqlite::memory:", "--seed", seed],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "seed file" in (result.stdout + result.stderr)
