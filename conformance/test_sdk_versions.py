"""The whole Connect flow (sdk_flow.py) with every stripe-python major platforms still pin, each
in the idiom they all share, with the SDK's own API version and with an older one pinned. Each
SDK lives in its own venv, `.venv-sdk/<version>`, which scripts/test makes."""

import os
import subprocess

import pytest

from conftest import query

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENVS = os.environ.get("JUNCTION_SDK_VENVS", os.path.join(ROOT, ".venv-sdk"))
with open(os.path.join(ROOT, "conformance", "sdk-versions.txt")) as listed:
    SDKS = [line.strip() for line in listed if line.strip() and not line.startswith("#")]
# The platform's default version: what an SDK that pins none (2.x) is answered at.
PLATFORM_DEFAULT = "2022-08-01"


@pytest.mark.parametrize("pin", ["", "2020-08-27"], ids=["own version", "pinned 2020-08-27"])
@pytest.mark.parametrize("sdk", SDKS)
def test_connect_flow_with_each_sdk(junction, sdk, pin):
    python = os.path.join(VENVS, sdk, "bin", "python")
    if not os.path.exists(python):
        if os.environ.get("JUNCTION_REQUIRE_SDKS"):
            pytest.fail(f"stripe-python {sdk} is not installed in {VENVS} (scripts/test installs it)")
        pytest.skip(f"stripe-python {sdk} is not installed in {VENVS}")
    app = junction.application("platform", api_version=PLATFORM_DEFAULT)
    user = junction.user()
    account, _ = junction.user_account(user)
    status, answer = junction.authorize(app, user, scope="read_write", account=account["id"])
    assert status == 200, answer
    code = query(answer["redirect_url"])["code"]
    run = subprocess.run(
        [python, os.path.join(ROOT, "conformance", "sdk_flow.py"), junction.base, app["secret_key"], app["id"],
         code, account["id"], pin, PLATFORM_DEFAULT],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"stripe-python {sdk} ({pin or 'own version'}):\n{run.stdout}\n{run.stderr}"
