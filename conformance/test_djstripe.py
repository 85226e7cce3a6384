"""dj-stripe 2.11.0, the Django library most Connect platforms in Python sync Stripe with, in a
small Django project pointed at Junction (djstripe_project/run_checks.py): migrations, a webhook
endpoint created as its admin creates one, its model methods, webhooks delivered by Junction and
processed by its view, and `djstripe_sync_models` for every model whose objects Junction serves.

Left out, because it fails against Stripe too: syncing `Account` (dj-stripe 2.11 calls
`Account.list_external_accounts()` without the account with stripe-python 15, a TypeError
inside dj-stripe)."""

import os
import socket
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.environ.get("JUNCTION_DJSTRIPE_VENV", os.path.join(ROOT, ".venv-djstripe"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_djstripe_syncs_and_processes_webhooks(junction, tmp_path):
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        if os.environ.get("JUNCTION_REQUIRE_SDKS"):
            pytest.fail(f"dj-stripe is not installed in {VENV} (scripts/test installs it)")
        pytest.skip(f"dj-stripe is not installed in {VENV}")
    app = junction.application("platform")
    run = subprocess.run(
        [python, os.path.join(ROOT, "conformance", "djstripe_project", "run_checks.py"), junction.base,
         app["secret_key"], str(free_port())],
        env={**os.environ, "DJSTRIPE_DB": str(tmp_path / "djstripe.sqlite3")},
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"{run.stdout[-3000:]}\n{run.stderr[-6000:]}"
    assert "Synced 1 WebhookEndpoint" in run.stdout and "Synced 1 Subscription" in run.stdout
